"""Recording the reads of lists and exports that return private fields.

A list that returns e-mails, phones or badge numbers is as much a read of those
records as opening each one, so it records ONE ``access`` entry naming the records
returned (:func:`liaison.ledger.services.access_record_list`): by id, never by
content. Pages call :func:`record_listed` with the records they show; API list
endpoints put :func:`listed_reads` between the route and the pagination:

    @router.get("/personnel", response=list[PersonOut])
    @listed_reads(action="person.list", object_type="directory.person")
    @paginate(Pagination)  # liaison.core.api.Pagination, as the router would
    def person_list(request, ...): ...
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.db.models import Model

from liaison.ledger.models import Entry
from liaison.ledger.services import access_record_list

F = TypeVar("F", bound=Callable[..., Any])


def record_listed(
    *, actor: Any, records: Iterable[Model], action: str, object_type: str
) -> Entry | None:
    """One access entry for ``records`` shown to ``actor`` (none when there are none)."""
    ids = [str(r.pk) for r in records]
    if not ids or not getattr(actor, "is_authenticated", False):
        return None
    return access_record_list(actor=actor, object_type=object_type, object_ids=ids, action=action)


def listed_reads(*, action: str, object_type: str) -> Callable[[F], F]:
    """Decorate a paginated API list: the page's items are read once, and recorded."""

    def decorate(view: F) -> F:
        @functools.wraps(view)
        def wrapper(request: Any, *args: Any, **kwargs: Any) -> Any:
            result = view(request, *args, **kwargs)
            if isinstance(result, dict) and "items" in result:
                items = list(result["items"])
                result["items"] = items
                record_listed(
                    actor=getattr(request, "auth", None),
                    records=items,
                    action=action,
                    object_type=object_type,
                )
            return result

        return wrapper  # type: ignore[return-value]

    return decorate
