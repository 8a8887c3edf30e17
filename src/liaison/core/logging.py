"""Logging that keeps personal data out of the logs.

Request bodies are never logged. Query strings can carry what a user searched for
(a name, a tracking code), so they are cut from every log line, and the request
object Django attaches to error records is dropped before formatting.
"""

from __future__ import annotations

import logging
import re

QUERY_STRING = re.compile(r"\?[^\s\"']*")


class RedactQueryStrings(logging.Filter):
    """Replace ``?query`` in log messages with ``?…`` and drop attached requests."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = QUERY_STRING.sub("?…", message)
        if redacted != message:
            record.msg = redacted
            record.args = None
        if hasattr(record, "request"):
            record.request = None
        return True
