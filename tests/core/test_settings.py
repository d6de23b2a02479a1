"""Production mode must refuse to start insecurely."""

import os
import subprocess
import sys

PRINT_SETTINGS = (
    "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'threefold.settings');"
    "from django.conf import settings as s;"
    "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT,"
    " s.SECURE_HSTS_SECONDS > 0, s.DATABASES['default']['ENGINE'],"
    " s.CACHES['default']['BACKEND'].rsplit('.', 1)[-1])"
)


def run_settings(**env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "THREEFOLD_"))}
    clean.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-c", PRINT_SETTINGS],
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_without_a_secret_key_refuses_to_start():
    result = run_settings(THREEFOLD_ENV="production")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_production_defaults_are_secure():
    result = run_settings(
        THREEFOLD_ENV="production",
        DJANGO_SECRET_KEY="x" * 50,
        DATABASE_URL="postgres://u@db.invalid/threefold",
    )
    assert result.stdout.split() == [
        "False",
        "True",
        "True",
        "True",
        "True",
        "django.db.backends.postgresql",
        "DatabaseCache",  # every server process shares the kept months and rate limits
    ]


def test_development_defaults_to_sqlite_with_debug():
    result = run_settings()
    assert result.stdout.split() == [
        "True",
        "False",
        "False",
        "False",
        "False",
        "django.db.backends.sqlite3",
        "LocMemCache",
    ]


def test_an_unknown_cache_is_refused():
    result = run_settings(THREEFOLD_CACHE="redis")
    assert result.returncode != 0
    assert "THREEFOLD_CACHE must be 'database' or 'memory'" in result.stderr
