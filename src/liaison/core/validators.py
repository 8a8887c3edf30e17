"""Validators shared by every app's models and forms."""

from __future__ import annotations

import unicodedata

from django.core.exceptions import ValidationError

NAME_MESSAGE = (
    "Names cannot contain invisible formatting or control characters "
    "(such as a right-to-left override or a zero-width space). Type the name again."
)


def _is_invisible(char: str) -> bool:
    # Cf (format): bidi embeddings, overrides and isolates, zero-width space/joiners,
    # word joiner, byte-order mark, soft hyphen, tag characters. Cc: control characters.
    return unicodedata.category(char) in {"Cf", "Cc"}


def validate_name(value: str) -> None:
    """Refuse a name (of an agency, person, task force, …) that hides characters.

    A right-to-left override makes a name read differently from what is stored, and a
    zero-width character makes two names that look identical differ — both are ways
    to pass one record off as another. Used by every name field.
    """
    if any(_is_invisible(char) for char in str(value)):
        raise ValidationError(NAME_MESSAGE, code="invisible_characters")
