import logging
import re

QUERY_STRING = re.compile(r"\?[^\s\"']*")


class RedactQueryStrings(logging.Filter):
    """Query strings carry what people searched for (children's names): keep them out of logs."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "?" in message:
            record.msg, record.args = QUERY_STRING.sub("?[redacted]", message), ()
        return True
