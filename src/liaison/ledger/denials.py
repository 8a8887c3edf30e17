"""Recording refused requests as ``security`` entries, from any view or API endpoint.

A refusal is recorded when one of these leaves a view (the middleware) or an API
operation (the API's error handler):

* Django's ``PermissionDenied`` or Liaison's :class:`liaison.core.errors.PermissionDenied`;
* :class:`NotFoundForbidden` — a ``NotFound`` that an access selector raises when the
  record exists but the user may not see it. It answers exactly like ``NotFound``
  (404, same message), so nothing leaks; only the ledger knows the difference.

A plain ``NotFound`` (the record does not exist) is not recorded.

The entry is written in its own transaction once the view's work has rolled back,
on the same database connection — so it survives the refusal, and on SQLite no
second connection ever waits for the write lock the request holds.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

from liaison.core.errors import NotFound
from liaison.core.errors import PermissionDenied as ServicePermissionDenied
from liaison.core.net import source_key
from liaison.ledger.models import Entry
from liaison.ledger.services import denial_record


class NotFoundForbidden(NotFound):
    """Answer "not found" for a record that exists but is not the user's to see."""

    def __init__(self, *, object_type: str = "", object_id: str | int = "") -> None:
        super().__init__()
        self.object_type = object_type
        self.object_id = str(object_id)


def is_denial(exc: BaseException) -> bool:
    return isinstance(exc, DjangoPermissionDenied | ServicePermissionDenied | NotFoundForbidden)


def record_refusal(request: HttpRequest, exc: BaseException) -> Entry | None:
    """Record ``exc`` as a ``permission.deny`` entry if it is a refusal; else do nothing."""
    if not is_denial(exc):
        return None
    user = getattr(request, "user", None)
    actor = user if user is not None and user.is_authenticated else None
    match = request.resolver_match
    where = match.view_name if match is not None else "unrouted"
    code = getattr(exc, "code", "permission_denied")
    return denial_record(
        actor=actor,
        where=f"{request.method} {where}",
        object_type=getattr(exc, "object_type", ""),
        object_id=getattr(exc, "object_id", ""),
        code=str(code),
        source=source_key(request),
    )


class RefusalRecordMiddleware:
    """Record refusals raised out of any view (see the module docstring).

    A ``NotFound`` or Liaison ``PermissionDenied`` that escapes a view then answers
    like Django's own: the 404 or 403 page.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        record_refusal(request, exception)
        if isinstance(exception, NotFound):
            raise Http404(exception.message) from exception
        if isinstance(exception, ServicePermissionDenied):
            raise DjangoPermissionDenied(exception.message) from exception
