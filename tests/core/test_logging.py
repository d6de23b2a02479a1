import logging

from core.logging import RedactQueryStrings


def test_searches_never_reach_the_logs():
    record = logging.LogRecord(
        "django.server",
        logging.INFO,
        __file__,
        1,
        '"GET /?q=%s&show=all HTTP/1.1" 200',
        ("Okafor",),
        None,
    )
    assert RedactQueryStrings().filter(record)
    assert record.getMessage() == '"GET /?[redacted] HTTP/1.1" 200'


def test_the_console_handler_uses_the_filter(settings):
    assert "no_query_strings" in settings.LOGGING["handlers"]["console"]["filters"]
