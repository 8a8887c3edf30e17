"""Error codes of the shared kernel: the ones any service may answer with.

Each app lists its own codes in ``liaison.<app>.error_codes`` (a ``StrEnum``); the
value is the stable ``code`` an API client sees. :func:`liaison.core.errors.error_code_enums`
collects them all, for the API's documented error responses.
"""

from __future__ import annotations

from enum import StrEnum


class CoreErrorCode(StrEnum):
    INVALID = "invalid"
    """A value was refused; ``fields`` says which."""
    NOT_FOUND = "not_found"
    """No such record, or one the actor may not see (the two answer the same)."""
    PERMISSION_DENIED = "permission_denied"
    """The actor may see the record but may not do this to it."""
    CONFLICT = "conflict"
    """The record is not in a state that allows this."""
    THROTTLED = "throttled"
    """Too many requests from the client's address; try again after ``Retry-After``."""
    FIELD_NOT_ALLOWED = "field_not_allowed"
    """An update named a field that cannot be changed that way."""
