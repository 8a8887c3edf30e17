"""Recording refused requests as ``security`` entries, from any view or API endpoint.

A refusal is recorded when one of these leaves a view (``core``'s
``ServiceErrorMiddleware``) or an API operation (the API's error handler), which hand it
to :func:`record_refusal` through :func:`liaison.core.access.on_refusal`:

* Django's ``PermissionDenied`` or Liaison's :class:`liaison.core.errors.PermissionDenied`;
* :class:`~liaison.core.errors.NotFoundForbidden` — a ``NotFound`` that an access selector raises when the
  record exists but the user may not see it. It answers exactly like ``NotFound``
  (404, same message), so nothing leaks; only the ledger knows the difference.

A plain ``NotFound`` (the record does not exist) is not recorded.

The entry is written in its own transaction once the view's work has rolled back,
on the same database connection — so it survives the refusal, and on SQLite no
second connection ever waits for the write lock the request holds.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import HttpRequest

from liaison.core.errors import NotFoundForbidden
from liaison.core.errors import PermissionDenied as ServicePermissionDenied
from liaison.core.net import source_key
from liaison.ledger.models import Entry
from liaison.ledger.services import denial_record

__all__ = ["NotFoundForbidden", "is_denial", "record_refusal"]


def is_denial(exc: BaseException) -> bool:
    return isinstance(exc, DjangoPermissionDenied | ServicePermissionDenied | NotFoundForbidden)


def record_refusal(request: HttpRequest, exc: BaseException) -> Entry | None:
    """Record ``exc`` as a ``permission.deny`` entry if it is a refusal; else do nothing."""
    if not is_denial(exc):
        return None
    actor = None
    # A signed-in page user, or the account an API token acts for (``request.auth``).
    for user in (getattr(request, "user", None), getattr(request, "auth", None)):
        if user is not None and getattr(user, "is_authenticated", False):
            actor = user
            break
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
