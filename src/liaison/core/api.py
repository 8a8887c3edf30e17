"""What every router of the JSON API shares: the error body, input schemas that refuse
what the database cannot store, bounded integers, and the one pagination of every list.

* :class:`ErrorOut` is the body of every error answer, 500 included:
  ``{"code", "message", "fields"}``.
* :class:`Input` is the base of every request schema (bodies and query filters). A text
  value with a NUL character or an unpaired surrogate, or an integer outside the signed
  64-bit range, is refused with a field message (422) before it reaches a query; ``null``
  for a text field of a PATCH means "clear it", and the model's own rules then decide
  whether it may be blank.
* :class:`Pagination` pages every list: ``page`` and ``page_size`` in the query string,
  ``{"items", "page", "page_size", "total", "next"}`` in the answer.
* :data:`Id` and :data:`PageNumber` are bounded integers for path and query parameters.
"""

from __future__ import annotations

import ast
import enum
import inspect
import itertools
import textwrap
import types
import typing
from collections.abc import Callable
from typing import Annotated, Any, TypeVar

import ninja
import pydantic
from django.core.exceptions import ImproperlyConfigured
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Path, Schema
from ninja.constants import NOT_SET
from ninja.pagination import PaginationBase, paginate
from ninja.signature.details import is_collection_type
from pydantic import field_validator, model_validator
from pydantic_core import PydanticCustomError

from liaison.core.errors import NotFound, error_code_enums
from liaison.core.roles import Actor, signed_in_actor
from liaison.core.text import text_problem

MAX_INT = 2**63 - 1  # the largest integer every supported database column can hold
PAGE_SIZE = 25
MAX_PAGE_SIZE = 100
MAX_PAGE = 1_000_000

Id = Annotated[int, Path(ge=1, le=MAX_INT, description="Record id.")]
"""A record id in the path: 1 to 2^63 − 1; anything else is refused with 422."""


class ErrorOut(Schema):
    """The body of every error answer."""

    code: str = Field(description="Stable machine-readable code (see the list in the text).")
    message: str = Field(description="One sentence for a person.")
    fields: dict[str, list[str]] = Field(
        description="Messages per request field (dotted path for nested ones); may be empty."
    )


def error_body(
    code: str, message: str, fields: dict[str, list[str]] | None = None
) -> dict[str, Any]:
    return {"code": code, "message": message, "fields": fields or {}}


def _is_text(annotation: Any) -> bool:
    """``str`` or ``str | None`` (a PATCH field)."""
    if annotation is str:
        return True
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return str in typing.get_args(annotation)
    return False


def _check(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        if not -MAX_INT - 1 <= value <= MAX_INT:
            raise PydanticCustomError("out_of_range", f"Must be at most {MAX_INT} in size.")
    elif isinstance(value, str):
        problem = text_problem(value)
        if problem:
            raise PydanticCustomError("unstorable_text", problem)
    elif isinstance(value, list | tuple | set):
        for item in value:
            _check(item)
    return value


class Input(Schema):
    """Base of every request schema; see the module docstring for what it refuses."""

    @field_validator("*", mode="after")
    @classmethod
    def _storable(cls, value: Any) -> Any:
        return _check(value)

    @model_validator(mode="after")
    def _null_text_clears(self) -> Input:
        for name in self.model_fields_set:
            field = type(self).model_fields[name]
            if getattr(self, name) is None and _is_text(field.annotation):
                setattr(self, name, "")
        return self


class Pagination(PaginationBase):
    """``?page=N&page_size=M`` (1 ≤ M ≤ 100); answers ``{items, page, page_size, total, next}``.

    A page past the last answers an empty ``items`` with the true ``total``. Each page
    costs two queries (the count and the rows), whatever the number of rows.
    """

    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE, description="1 for the first page.")
        page_size: int = Field(
            PAGE_SIZE,
            ge=1,
            le=MAX_PAGE_SIZE,
            description=f"Items per page, at most {MAX_PAGE_SIZE}.",
        )

    class Output(Schema):
        items: list[Any]
        page: int = Field(description="This page's number.")
        page_size: int = Field(description="Items per page.")
        total: int = Field(description="Items on every page together.")
        next: int | None = Field(description="The next page's number, or null on the last page.")

    items_attribute = "items"

    def paginate_queryset(
        self,
        queryset: QuerySet[Any],
        pagination: Any,
        request: HttpRequest,
        **params: Any,
    ) -> dict[str, Any]:
        size = pagination.page_size
        offset = (pagination.page - 1) * size
        total = self._items_count(queryset)
        return {
            "items": queryset[offset : offset + size],
            "page": pagination.page,
            "page_size": size,
            "total": total,
            "next": pagination.page + 1 if offset + size < total else None,
        }


# --- documented answers ----------------------------------------------------------------

API_ERROR_CODES: dict[str, str] = {
    "unauthorized": "No valid token or signed-in session.",
    "throttled": "Too many requests; try again later.",
    "method_not_allowed": "The endpoint does not answer that HTTP method.",
    "server_error": "Something failed on the server; nothing was changed.",
}
"""Codes the API itself answers with, besides the services' (``liaison.<app>.error_codes``)."""

_ERROR_STATUSES_ALWAYS = (400, 404, 422, 429, 500)
_ERROR_STATUSES_SIGNED_IN = (401, 403)
_ERROR_STATUSES_WRITES = (409,)
_WRITES = {"POST", "PUT", "PATCH", "DELETE"}


def _documented(codes: type[enum.StrEnum]) -> dict[str, str]:
    """Each code of ``codes`` with the docstring written under it (or its name)."""
    notes: dict[str, str] = {}
    body = ast.parse(textwrap.dedent(inspect.getsource(codes))).body[0]
    assert isinstance(body, ast.ClassDef)
    for assign, doc in itertools.pairwise(body.body):
        if (
            isinstance(assign, ast.Assign)
            and isinstance(assign.targets[0], ast.Name)
            and isinstance(doc, ast.Expr)
            and isinstance(doc.value, ast.Constant)
            and isinstance(doc.value.value, str)
        ):
            notes[assign.targets[0].id] = " ".join(doc.value.value.split())
    return {str(m.value): notes.get(m.name, m.name.replace("_", " ").capitalize()) for m in codes}


def error_schema(app: str) -> type[ErrorOut]:
    """The error body of ``app``'s operations, its description listing every code: the
    core's, the API's and the app's own (``liaison.<app>.error_codes``)."""
    enums = error_code_enums()
    codes = {**_documented(enums["core"]), **API_ERROR_CODES}
    if app in enums and app != "core":
        codes.update(_documented(enums[app]))
    listing = "\n".join(f"- `{code}`: {text}" for code, text in sorted(codes.items()))
    return pydantic.create_model(
        f"{app.capitalize()}Error",
        __base__=ErrorOut,
        __doc__=f"An error answer of the {app} endpoints. Codes:\n\n{listing}",
    )


class PlainText:
    """``response=PlainText``: the operation answers 200 with a ``text/plain`` body."""


_PLAIN_TEXT_OPENAPI = {
    "responses": {200: {"content": {"text/plain": {"schema": {"type": "string"}}}}}
}


_WRITES_NOTHING: set[tuple[str, str]] = set()

ViewFunc = TypeVar("ViewFunc", bound=Callable[..., Any])


def writes_nothing(view_func: ViewFunc) -> ViewFunc:
    """Mark an operation that takes a body (so it is a POST) but changes nothing — a
    computation, such as a policy decision: a read-only API token may call it. Put it
    under the router's decorator."""
    view_func.__dict__["liaison_writes_nothing"] = True
    return view_func


def changes_nothing(area: str, path: str) -> bool:
    """Whether the operation at ``/api/v1/<area><path>`` was marked :func:`writes_nothing`."""
    return (area, path) in _WRITES_NOTHING


class Router(ninja.Router):
    """An app's router: every operation declares its error answers, every list is paged.

    ``response=`` names the success schema (or ``{status: schema}``); the router adds
    :class:`ErrorOut` (as ``<App>Error``, listing the app's codes) for each error status
    the operation can answer, and a ``response=list[X]`` operation gets
    :class:`Pagination`.
    """

    def __init__(self, *, app: str, **kwargs: Any) -> None:
        kwargs.setdefault("tags", [app])
        super().__init__(**kwargs)
        self.app = app
        self._error_schema: type[ErrorOut] | None = None

    def add_api_operation(
        self, path: str, methods: list[str], view_func: Callable[..., Any], **kwargs: Any
    ) -> None:
        response = kwargs.get("response", NOT_SET)
        if response is NOT_SET:
            raise ImproperlyConfigured(f"{self.app} API {path}: declare response=")
        if response is PlainText:
            response = {200: None}
            kwargs["openapi_extra"] = {**_PLAIN_TEXT_OPENAPI, **(kwargs.get("openapi_extra") or {})}
        ok = dict(response) if isinstance(response, dict) else {200: response}
        if any(is_collection_type(schema) for schema in ok.values()):
            view_func = paginate(Pagination)(view_func)
        if self._error_schema is None:
            self._error_schema = error_schema(self.app)
        statuses = list(_ERROR_STATUSES_ALWAYS)
        if kwargs.get("auth", NOT_SET) is not None:
            statuses += _ERROR_STATUSES_SIGNED_IN
        if _WRITES & {m.upper() for m in methods}:
            statuses += _ERROR_STATUSES_WRITES
        errors = {status: self._error_schema for status in sorted(statuses) if status not in ok}
        kwargs["response"] = {**ok, **errors}
        if getattr(view_func, "liaison_writes_nothing", False):
            _WRITES_NOTHING.add((self.app, path))
        super().add_api_operation(path, methods, view_func, **kwargs)


def api_actor(request: HttpRequest) -> Actor:
    """The account a bearer token acts for; a request without one finds nothing (404)."""
    user = signed_in_actor(getattr(request, "auth", None))
    if user is None:
        raise NotFound()
    return user
