"""Sharing reads, scoped by the declared rules (``sharing/rules.py``).

A partner sees the requests, decisions and disclosures of their own agency and nothing
else; the custodian's staff (privacy officers, counsel, coordinators) see the requests
held by agencies in the state rule's reach; oversight and admins see all. Opening one
request or disclosure — its facts, decision and fields — is a read of private data and
appends an ``access`` entry (``sharing_request.read``, ``disclosure.read``); a list page
records one entry for the rows it shows (``liaison.ledger.reads``).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet

from liaison.core import access
from liaison.core.access import Relation
from liaison.core.roles import READ_ALL_ROLES, Role
from liaison.directory import scope
from liaison.directory.models import Agency
from liaison.ledger.services import access_record
from liaison.policy import vocabulary as v
from liaison.sharing.models import Disclosure, Override, RequestItem, SharingRequest


def _visible_q(user: Any, prefix: str = "") -> Q:
    """Requests ``user`` may see under ``sharing.sharing_request.view`` (``prefix`` leads to the
    request from another model, e.g. ``"request__"``)."""
    role = access.role_of(user)
    if role is None:
        return Q(pk__in=[])
    if role in READ_ALL_ROLES:
        return Q()
    relations = access.get_rule("sharing.sharing_request.view").roles.get(role, frozenset())
    if not relations:
        return Q(pk__in=[])
    own = sorted(scope.own_agency_ids(user))
    q = Q(pk__in=[])
    if Relation.OWN in relations:
        q |= Q(**{f"{prefix}custodian_agency_id__in": own})
    if Relation.PARTY in relations:
        q |= Q(**{f"{prefix}requesting_agency_id__in": own})
    if Relation.PARTNER in relations:
        q |= scope.agency_scope_q(user, f"{prefix}custodian_agency")
    return q


def request_list_for_user(
    *,
    user: Any,
    status: str = "",
    state: str = "",
    purpose: str = "",
    urgent: bool | None = None,
    agency: int | None = None,
    q: str = "",
) -> QuerySet[SharingRequest]:
    """Requests ``user`` may see, newest first, filtered."""
    qs = SharingRequest.objects.filter(_visible_q(user)).select_related(
        "requesting_agency", "custodian_agency", "requested_by"
    )
    if status:
        qs = qs.filter(status=status)
    if state:
        qs = qs.filter(state=state)
    if purpose:
        qs = qs.filter(purpose=purpose)
    if urgent is not None:
        qs = qs.filter(urgent=urgent)
    if agency is not None:
        qs = qs.filter(Q(requesting_agency_id=agency) | Q(custodian_agency_id=agency))
    if q:
        qs = qs.filter(reference__icontains=q.strip())
    return qs.order_by("-filed_at", "-pk")


def request_get_for_user(
    *, user: Any, pk: object, purpose: str = "view", reason: str = ""
) -> SharingRequest:
    """The request, for ``purpose`` (``view``, ``review``, ``override``, ``disclose``),
    after appending a ``sharing_request.read`` access entry. Missing and out of scope are
    the same ``NotFound``."""
    request = access.fetch(
        actor=user,
        visible=request_list_for_user(user=user).select_related("jurisdiction", "filed_by"),
        pk=pk,
        kind="sharing.sharing_request",
        purpose=purpose,
    )
    access_record(actor=user, obj=request, action="sharing_request.read", reason=reason)
    return request


def request_items(request: SharingRequest) -> list[RequestItem]:
    """The request's items in order, with counsel's override where there is one."""
    return list(request.items.select_related("override", "override__counsel").order_by("index"))


def item_get(*, request: SharingRequest, index: object) -> RequestItem:
    """Item ``index`` of a request the caller already opened through a selector."""
    from liaison.core.errors import NotFound

    try:
        number = int(str(index))
    except ValueError:
        raise NotFound() from None
    found = request.items.filter(index=number).first()
    if found is None:
        raise NotFound()
    return found


def review_queue_for_user(*, user: Any) -> QuerySet[SharingRequest]:
    """Requests waiting for ``user``'s review (a privacy officer of the custodian side):
    urgent first, then oldest first."""
    if access.role_of(user) != Role.PRIVACY_OFFICER:
        return SharingRequest.objects.none()
    own = sorted(scope.own_agency_ids(user))
    return (
        SharingRequest.objects.filter(
            status=SharingRequest.Status.AWAITING_REVIEW, custodian_agency_id__in=own
        )
        .select_related("requesting_agency", "custodian_agency")
        .order_by("-urgent", "filed_at", "pk")
    )


def disclosure_list_for_user(
    *, user: Any, request: int | None = None, state: str = "", review_due: bool | None = None
) -> QuerySet[Disclosure]:
    qs = Disclosure.objects.filter(_visible_q(user, "request__")).select_related(
        "request", "recipient_agency"
    )
    if request is not None:
        qs = qs.filter(request_id=request)
    if state:
        qs = qs.filter(request__state=state)
    if review_due is not None:
        qs = qs.filter(review_due__isnull=not review_due)
    return qs.order_by("-disclosed_on", "-pk")


def disclosure_get_for_user(
    *, user: Any, pk: object, purpose: str = "view", reason: str = ""
) -> Disclosure:
    """The disclosure, after appending a ``disclosure.read`` access entry."""
    disclosure = access.fetch(
        actor=user,
        visible=disclosure_list_for_user(user=user).select_related("recorded_by"),
        pk=pk,
        kind="sharing.disclosure",
        purpose=purpose,
    )
    access_record(actor=user, obj=disclosure, action="disclosure.read", reason=reason)
    return disclosure


def override_list_for_user(*, user: Any) -> QuerySet[Override]:
    """Counsel's overrides on requests ``user`` sees, newest first (the oversight view)."""
    return (
        Override.objects.filter(_visible_q(user, "item__request__"))
        .select_related("item", "item__request", "counsel")
        .order_by("-created_at", "-pk")
    )


def requester_choices(*, agency_id: int) -> QuerySet[Any]:
    """Active partner accounts of the requesting agency: whom a coordinator may name as
    the requesting user."""
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(agency_id=agency_id, role=Role.PARTNER, is_active=True)
        .order_by("last_name", "first_name", "pk")
    )


def stored_requests_for_replay(
    since: date | None,
) -> Iterator[tuple[str, date, dict[str, Any], dict[str, Any]]]:
    """Every stored request filed on or after ``since`` (all when ``None``), oldest first,
    as ``liaison policy diff`` replays it: (reference, the day whose pack versions decided
    it, the facts as evaluated, the decision as stored). Counsel's tool, run from the
    command line by an operator: no per-user scope."""
    rows = SharingRequest.objects.order_by("decided_on", "pk")
    if since is not None:
        rows = rows.filter(decided_on__gte=since)
    yield from rows.values_list("reference", "decided_on", "facts", "decision").iterator(
        chunk_size=500
    )


def custodian_agencies() -> QuerySet[Agency]:
    """State and local agencies of the states the rule packs speak for."""
    return (
        Agency.objects.filter(
            active=True, level__in=("state", "local"), jurisdiction__state__in=v.STATES
        )
        .select_related("jurisdiction")
        .order_by("name")
    )
