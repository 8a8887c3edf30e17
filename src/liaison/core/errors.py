"""Errors that services raise and every interface turns into a clear answer.

A service raises :class:`ServiceError` (or a subclass) with a stable ``code`` and,
where the problem is one field, ``fields``: ``{"field": ["message", ...]}``. Views
show the messages beside the fields; the API answers 4xx with a JSON body
``{"code": ..., "message": ..., "fields": {...}}``.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping, Sequence
from enum import StrEnum

from django.apps import apps
from django.core.exceptions import ValidationError

from liaison.core.error_codes import CoreErrorCode


class ServiceError(Exception):
    """A request a service refuses. ``status`` is the HTTP status an API should use."""

    status = 400
    code: str = CoreErrorCode.INVALID

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
            return cls(
                "Please correct the errors below.", code=CoreErrorCode.INVALID, fields=fields
            )
        return cls("; ".join(error.messages), code=CoreErrorCode.INVALID)


class NotFound(ServiceError):
    """Missing *or* not allowed: the two answer the same so nothing leaks."""

    status = 404
    code = CoreErrorCode.NOT_FOUND

    def __init__(self, message: str = "Not found.", *, code: str | None = None) -> None:
        super().__init__(message, code=code)


class NotFoundForbidden(NotFound):
    """A record that exists but is not the user's to see.

    It answers exactly like :class:`NotFound` (404, same message, same body), so nothing
    leaks; only the refusal record in the ledger knows the difference.
    """

    def __init__(self, *, object_type: str = "", object_id: str | int = "") -> None:
        super().__init__()
        self.object_type = object_type
        self.object_id = str(object_id)


class PermissionDenied(ServiceError):
    """The actor may see the object but may not do this to it."""

    status = 403
    code = CoreErrorCode.PERMISSION_DENIED

    def __init__(
        self, message: str = "You are not allowed to do this.", *, code: str | None = None
    ) -> None:
        super().__init__(message, code=code)


class Conflict(ServiceError):
    """The object is not in a state that allows this (e.g. a lifecycle step out of order)."""

    status = 409
    code = CoreErrorCode.CONFLICT


def error_code_enums() -> dict[str, type[StrEnum]]:
    """Every app's error-code enumeration, by app label (``core`` first).

    An app declares its codes in ``liaison.<app>.error_codes`` as one ``StrEnum``;
    the API lists them in its documented error responses.
    """
    found: dict[str, type[StrEnum]] = {"core": CoreErrorCode}
    for config in apps.get_app_configs():
        if not config.name.startswith("liaison.") or config.label == "core":
            continue
        try:
            module = importlib.import_module(f"{config.name}.error_codes")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.error_codes":
                raise
            continue
        enums = [
            value
            for value in vars(module).values()
            if isinstance(value, type)
            and issubclass(value, StrEnum)
            and value is not StrEnum
            and value.__module__ == module.__name__
        ]
        if len(enums) != 1:
            raise RuntimeError(f"{module.__name__} must define exactly one StrEnum of codes.")
        found[config.label] = enums[0]
    return found


def error_codes() -> list[str]:
    """Every code any service may answer with, sorted (codes shared by apps listed once)."""
    return sorted({str(member) for enum in error_code_enums().values() for member in enum})
