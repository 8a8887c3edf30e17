"""Operations reads.

An operation is seen by its own side only (``operations.operation.view``: the lead
agency and the participating agencies, at any role the rule lists; admins and
oversight everywhere). Of a conflicting operation the other side learns only what
:class:`ConflictView` holds: whom to call (name, agency, phone) and why.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from liaison.core import access
from liaison.core.access import Relation, role_of
from liaison.core.errors import NotFound
from liaison.directory import scope
from liaison.operations import rules  # noqa: F401 - the rules are declared on import
from liaison.operations.deconfliction import Found, find
from liaison.operations.models import Conflict, FollowUp, Operation, Participant
from liaison.operations.plans import PlanInput


def operation_list_for_user(*, user: Any) -> QuerySet[Operation]:
    """The operations ``user`` may see (the list form of ``operations.operation.view``)."""
    role = role_of(user)
    relations = access.relations_for(user, "operations.operation.view") if role else frozenset()
    qs = Operation.objects.select_related("lead_agency", "point_of_contact")
    if not relations:
        return qs.none()
    if relations >= {Relation.PARTNER, Relation.OUTSIDER}:
        return qs
    own = scope.own_agency_ids(user)
    where = Q(lead_agency_id__in=own)
    if Relation.PARTY in relations:
        where |= Q(
            Exists(Participant.objects.filter(operation_id=OuterRef("pk"), agency_id__in=own))
        )
    return qs.filter(where)


def operation_get_for_user(*, user: Any, pk: object, purpose: str = "view") -> Operation:
    """The operation ``pk`` for ``purpose``; ``NotFound`` when missing or not the user's."""
    return access.fetch(
        actor=user,
        visible=operation_list_for_user(user=user),
        pk=pk,
        kind="operations.operation",
        purpose=purpose,
    )


def unacknowledged_conflicts(operation: Operation) -> QuerySet[Conflict]:
    """The standing conflicts ``operation``'s side has not acknowledged (approval waits
    for none)."""
    return Conflict.objects.filter(
        Q(operation_a_id=operation.pk, acknowledged_at_a__isnull=True)
        | Q(operation_b_id=operation.pk, acknowledged_at_b__isnull=True),
        cleared_at__isnull=True,
    ).order_by("detected_at", "pk")


@dataclass(frozen=True)
class ConflictView:
    """One conflict as a side sees it: why, whom to call, and its own acknowledgement."""

    id: int
    operation: int
    reason: str
    reason_label: str
    detected_at: datetime
    cleared_at: datetime | None
    acknowledged_at: datetime | None
    contact_name: str
    contact_agency: str
    contact_phone: str


def _view(conflict: Conflict, operation_id: int) -> ConflictView:
    side = conflict.side_of(operation_id)
    other = conflict.operation_b if side == "a" else conflict.operation_a
    poc = other.point_of_contact
    return ConflictView(
        id=conflict.pk,
        operation=operation_id,
        reason=conflict.reason,
        reason_label=conflict.get_reason_display(),
        detected_at=conflict.detected_at,
        cleared_at=conflict.cleared_at,
        acknowledged_at=getattr(conflict, f"acknowledged_at_{side}"),
        contact_name=poc.get_full_name() or poc.username,
        contact_agency=other.lead_agency.name,
        contact_phone=other.contact_phone,
    )


def conflicts_for_operation(
    *, user: Any, operation: Operation, include_cleared: bool = False
) -> list[ConflictView]:
    """The conflicts of an operation the user may see, as its side sees them."""
    operation = operation_get_for_user(user=user, pk=operation.pk)
    qs = Conflict.objects.filter(
        Q(operation_a_id=operation.pk) | Q(operation_b_id=operation.pk)
    ).select_related(
        "operation_a__point_of_contact",
        "operation_a__lead_agency",
        "operation_b__point_of_contact",
        "operation_b__lead_agency",
    )
    if not include_cleared:
        qs = qs.filter(cleared_at__isnull=True)
    return [_view(c, operation.pk) for c in qs.order_by("-detected_at", "-pk")]


def conflict_list_for_user(
    *, user: Any, operation: Operation | None = None, include_cleared: bool = False
) -> list[ConflictView]:
    """Every conflict of the operations ``user`` sees (or of one of them), once per side
    the user sees — a fixed number of queries whatever the rows."""
    visible = operation_list_for_user(user=user)
    if operation is not None:
        visible = visible.filter(pk=operation.pk)
    qs = (
        Conflict.objects.filter(
            Q(operation_a__in=visible.values("pk")) | Q(operation_b__in=visible.values("pk"))
        )
        .annotate(
            a_seen=Exists(visible.filter(pk=OuterRef("operation_a_id"))),
            b_seen=Exists(visible.filter(pk=OuterRef("operation_b_id"))),
        )
        .select_related(
            "operation_a__point_of_contact",
            "operation_a__lead_agency",
            "operation_b__point_of_contact",
            "operation_b__lead_agency",
        )
        .order_by("-detected_at", "-pk")
    )
    if not include_cleared:
        qs = qs.filter(cleared_at__isnull=True)
    views = []
    for conflict in qs:
        if conflict.a_seen:
            views.append(_view(conflict, conflict.operation_a_id))
        if conflict.b_seen:
            views.append(_view(conflict, conflict.operation_b_id))
    return views


def conflict_get_for_user(*, user: Any, pk: object, operation: Operation) -> Conflict:
    """A conflict of ``operation`` (which the user must see); ``NotFound`` otherwise."""
    operation = operation_get_for_user(user=user, pk=operation.pk)
    try:
        key = int(str(pk))
    except (TypeError, ValueError):
        raise NotFound() from None
    found = (
        Conflict.objects.filter(pk=key)
        .filter(Q(operation_a_id=operation.pk) | Q(operation_b_id=operation.pk))
        .first()
    )
    if found is None:
        raise NotFound()
    return found


def plan_check(*, user: Any, plan: PlanInput) -> list[Found]:
    """The conflicts ``plan`` would raise against the stored live operations, saving
    nothing (the dry run of ``liaison operations check`` and ``POST .../check``)."""
    access.check(user, "operations.operation.check")
    return find(plan.footprint)


def operation_actions(*, user: Any, operation: Operation) -> frozenset[str]:
    """The steps ``user`` may take on the operation now (``edit``, ``submit``, …)."""
    return access.actions(user, "operations.operation", operation)


def follow_up_of(operation: Operation, pk: int) -> FollowUp | None:
    """Follow-up ``pk`` of one of ``operation``'s after-action reviews, if it is one."""
    return FollowUp.objects.filter(review__operation=operation, pk=pk).first()
