"""Dates and times on every page, in one format: a built-in template library.

* ``{{ value|day }}`` — a date (or the local date of a time): ``Dec 1, 2026``.
* ``{{ value|when }}`` — a time in the deployment's time zone, labelled with it:
  ``Dec 1, 2026, 01:39 CST``.
* ``{{ value|when_utc }}`` — a time in UTC to the second, labelled UTC, for the ledger,
  whose proofs and checkpoints are in UTC: ``Dec 1, 2026, 07:39:20 UTC``.

Each renders a ``<time datetime="…">`` element (machine-readable ISO 8601) and an
empty string for ``None``, so ``{{ value|day|default:"present" }}`` works.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString

from liaison.core.dates import day_text, when_text, when_utc_text

register = template.Library()


def _element(iso: str, text: str) -> SafeString:
    return format_html('<time datetime="{}">{}</time>', iso, text)


@register.filter
def day(value: date | datetime | None) -> SafeString | str:
    if value is None or value == "":
        return ""
    iso = value.date().isoformat() if isinstance(value, datetime) else value.isoformat()
    if isinstance(value, datetime) and timezone.is_aware(value):
        iso = timezone.localtime(value).date().isoformat()
    return _element(iso, day_text(value))


@register.filter
def when(value: datetime | None) -> SafeString | str:
    if value is None or value == "":
        return ""
    return _element(value.isoformat(), when_text(value))


@register.filter
def when_utc(value: datetime | None) -> SafeString | str:
    if value is None or value == "":
        return ""
    return _element(value.astimezone(UTC).isoformat(), when_utc_text(value))
