"""The product's one way to write a date or a time, for pages, e-mails and messages.

Dates read ``Dec 1, 2026``; times are 24-hour in the deployment's time zone and
carry the zone (``Dec 1, 2026, 01:39 CST``); ledger times are in UTC, labelled UTC,
as its proofs and checkpoints are. Templates use the ``day``, ``when`` and
``when_utc`` filters, which call these.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from django.utils import timezone
from django.utils.dateformat import format as date_format

DAY_FORMAT = "M j, Y"
WHEN_FORMAT = "M j, Y, H:i T"
WHEN_UTC_FORMAT = "M j, Y, H:i:s \\U\\T\\C"


def day_text(value: date | datetime) -> str:
    """``value`` as the product writes a date (a time counts by its local date)."""
    if isinstance(value, datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return date_format(value, DAY_FORMAT)


def when_text(value: datetime) -> str:
    """``value`` in the deployment's time zone, with the zone's abbreviation."""
    return date_format(timezone.localtime(value), WHEN_FORMAT)


def when_utc_text(value: datetime) -> str:
    """``value`` in UTC to the second, labelled UTC."""
    return date_format(value.astimezone(UTC), WHEN_UTC_FORMAT)
