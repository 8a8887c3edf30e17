"""Errors that services raise and every interface turns into a clear answer.

A service raises :class:`ServiceError` (or a subclass) with a stable ``code`` and,
where the problem is one field, ``fields``: ``{"field": ["message", ...]}``. Views
show the messages beside the fields; the API answers 4xx with a JSON body
``{"code": ..., "message": ..., "fields": {...}}``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.core.exceptions import ValidationError


class ServiceError(Exception):
    """A request a service refuses. ``status`` is the HTTP status an API should use."""

    status = 400
    code = "invalid"

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        fields: Mapping[str, Sequence[str]] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.fields: dict[str, list[str]] = {k: list(v) for k, v in (fields or {}).items()}

    def as_dict(self) -> dict[str, object]:
        return {"code": self.code, "message": self.message, "fields": self.fields}

    @classmethod
    def from_validation_error(cls, error: ValidationError) -> ServiceError:
        if hasattr(error, "error_dict"):
            fields = {
                k: [str(m) for e in v for m in e.messages] for k, v in error.error_dict.items()
            }
            return cls("Please correct the errors below.", code="invalid", fields=fields)
        return cls("; ".join(error.messages), code="invalid")


class NotFound(ServiceError):
    """Missing *or* not allowed: the two answer the same so nothing leaks."""

    status = 404
    code = "not_found"

    def __init__(self, message: str = "Not found.") -> None:
        super().__init__(message)


class PermissionDenied(ServiceError):
    """The actor may see the object but may not do this to it."""

    status = 403
    code = "permission_denied"

    def __init__(self, message: str = "You are not allowed to do this.") -> None:
        super().__init__(message)


class Conflict(ServiceError):
    """The object is not in a state that allows this (e.g. a lifecycle step out of order)."""

    status = 409
    code = "conflict"
