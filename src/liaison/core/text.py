"""Text every interface refuses before it reaches the database.

PostgreSQL cannot store a NUL character in a text column, and SQLite cannot encode an
unpaired UTF-16 surrogate (which JSON's ``"\\ud800"`` escapes produce); either would
otherwise fail inside a query. API schemas (``liaison.core.api.Input``) and forms
(:func:`validate_storable_text`) use the same check.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError

_NUL = "\x00"
_SURROGATE = re.compile("[\ud800-\udfff]")

NUL_MESSAGE = "Text may not contain a NUL character."
SURROGATE_MESSAGE = "Text may not contain an unpaired surrogate character."


def text_problem(value: str) -> str | None:
    """Why ``value`` cannot be stored, or ``None`` when it can."""
    if _NUL in value:
        return NUL_MESSAGE
    if not value.isascii() and _SURROGATE.search(value):  # a surrogate is not ASCII
        return SURROGATE_MESSAGE
    return None


def validate_storable_text(value: object) -> None:
    """A Django validator for form fields: the same rule as the API's."""
    if isinstance(value, str):
        problem = text_problem(value)
        if problem:
            raise ValidationError(problem, code="unstorable_text")
