"""Operations writes: plans, their participants and resources, submission, cancellation,
deconfliction and the acknowledgement of conflicts.

Each service checks its rule (``operations/rules.py``) with ``access.check``, works in
one transaction and appends its ledger entry there; notifications go out after
commit. ``actor=None`` is the system (demo loader, imports without an account), which
is not permission-checked. A plan's content is checked by
:func:`liaison.operations.plans.validate_plan` before it reaches a service.

Every write that changes where, when or whom an operation is about calls
:func:`operation_deconflict`, which records new conflicts, clears the ones the change
removed and notifies both points of contact. Later steps of the lifecycle (approval,
activation, closing) call it after changing the status, so a closed operation's
conflicts are cleared and it leaves the index.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from liaison.accounts.models import User
from liaison.agreements.models import Activity, Agreement
from liaison.core import access
from liaison.core.errors import Conflict as ConflictError
from liaison.core.errors import ServiceError
from liaison.core.validation import save, validate
from liaison.directory.models import Agency, Person
from liaison.ledger.services import ledger_append
from liaison.notifications.services import notification_send
from liaison.operations import deconfliction
from liaison.operations.error_codes import OperationsErrorCode
from liaison.operations.models import Conflict as ConflictRecord
from liaison.operations.models import (
    Location,
    Operation,
    Participant,
    Resource,
    Subject,
)
from liaison.operations.plans import PlanInput, location_row

if TYPE_CHECKING:
    from liaison.core.roles import Actor as SignedIn

    Actor = SignedIn | None

S = Operation.Status


@dataclass(frozen=True)
class OperationDetails:
    """What an operation says besides its plan (``None``: leave as it is / the default)."""

    objectives: str | None = None
    point_of_contact: User | None = None
    """Default on creation: the actor."""
    contact_phone: str | None = None
    agreements: Sequence[Agreement] | None = None
    activities: Sequence[Activity] | None = None


def _plan_change(plan: PlanInput) -> dict[str, Any]:
    """What the ledger commits to of a plan (hashed, never stored): no value in clear."""
    return {
        "name": plan.name,
        "lead_agency": plan.lead_agency.pk,
        "status": plan.status,
        "window": [plan.window_start.isoformat(), plan.window_end.isoformat()],
        "locations": [repr(loc.shape) for loc in plan.locations],
        "subjects": sorted(f"{s.kind}:{s.hash}" for s in plan.subjects),
    }


def _store_plan_rows(operation: Operation, plan: PlanInput) -> None:
    Location.objects.filter(operation=operation).delete()
    Subject.objects.filter(operation=operation).delete()
    Location.objects.bulk_create([location_row(operation, loc) for loc in plan.locations])
    Subject.objects.bulk_create(
        [
            Subject(operation=operation, kind=s.kind, sealed=s.sealed, hash=s.hash)
            for s in plan.subjects
        ]
    )


def _apply_details(operation: Operation, details: OperationDetails) -> list[str]:
    changed = []
    for name in ("objectives", "contact_phone", "point_of_contact"):
        value = getattr(details, name)
        if value is not None and getattr(operation, name) != value:
            setattr(operation, name, value)
            changed.append(name)
    return changed


def _set_links(operation: Operation, details: OperationDetails) -> list[str]:
    changed = []
    if details.agreements is not None:
        new = {a.pk for a in details.agreements}
        if new != set(operation.agreements.values_list("pk", flat=True)):
            operation.agreements.set(list(details.agreements))
            changed.append("agreements")
    if details.activities is not None:
        new = {a.pk for a in details.activities}
        if new != set(operation.activities.values_list("pk", flat=True)):
            operation.activities.set(list(details.activities))
            changed.append("activities")
    return changed


def operation_create(
    *, actor: Actor, plan: PlanInput, details: OperationDetails | None = None
) -> Operation:
    """Store a plan as a new operation (planned, or active for a running one) and
    deconflict it."""
    details = details or OperationDetails()
    with transaction.atomic():
        access.check(actor, "operations.operation.create", plan.lead_agency)
        contact = details.point_of_contact or (actor if isinstance(actor, User) else None)
        if contact is None:
            raise ServiceError(
                "Name the point of contact.",
                code=OperationsErrorCode.CONTACT_REQUIRED,
                fields={"point_of_contact": ["Name the point of contact."]},
            )
        operation = Operation(
            name=plan.name,
            lead_agency=plan.lead_agency,
            status=plan.status,
            window_start=plan.window_start,
            window_end=plan.window_end,
            objectives=details.objectives or "",
            point_of_contact=contact,
            contact_phone=details.contact_phone or "",
            created_by=actor if isinstance(actor, User) else None,
        )
        validate(operation)
        save(operation)
        _set_links(operation, details)
        _store_plan_rows(operation, plan)
        ledger_append(
            actor=actor,
            action="operation.create",
            obj=operation,
            agency_id=operation.lead_agency_id,
            change=_plan_change(plan)
            | {"point_of_contact": contact.pk, "objectives": operation.objectives},
        )
        operation_deconflict(actor=actor, operation=operation)
        return operation


def operation_update(
    *,
    actor: Actor,
    operation: Operation,
    plan: PlanInput | None = None,
    details: OperationDetails | None = None,
) -> Operation:
    """Change a live operation's plan (name, lead agency, window, locations, subjects) and
    details; deconflicts again when the plan changed. The status is not changed here."""
    with transaction.atomic():
        operation = Operation.objects.select_for_update().get(pk=operation.pk)
        access.check(actor, "operations.operation.edit", operation)
        changed: list[str] = []
        if plan is not None:
            if plan.lead_agency.pk != operation.lead_agency_id:
                access.check(actor, "operations.operation.create", plan.lead_agency)
            for name, value in (
                ("name", plan.name),
                ("lead_agency", plan.lead_agency),
                ("window_start", plan.window_start),
                ("window_end", plan.window_end),
            ):
                if getattr(operation, name) != value:
                    setattr(operation, name, value)
                    changed.append(name)
            before = deconfliction.footprint_of(operation)
            if (before.shapes, before.subjects) != (
                plan.footprint.shapes,
                plan.footprint.subjects,
            ) or {loc.label for loc in plan.locations} != set(
                operation.locations.values_list("label", flat=True)
            ):
                _store_plan_rows(operation, plan)
                changed.append("places_or_subjects")
        if details is not None:
            changed += _apply_details(operation, details)
            changed += _set_links(operation, details)
        if not changed:
            return operation
        validate(operation)
        save(operation)
        ledger_append(
            actor=actor,
            action="operation.update",
            obj=operation,
            agency_id=operation.lead_agency_id,
            change={"changed": sorted(set(changed))}
            | (_plan_change(plan) if plan is not None else {}),
        )
        operation_deconflict(actor=actor, operation=operation)
        return operation


def operation_submit(*, actor: Actor, operation: Operation) -> Operation:
    """Submit a planned operation (for legal review) and deconflict it."""
    with transaction.atomic():
        operation = Operation.objects.select_for_update().get(pk=operation.pk)
        access.check(actor, "operations.operation.submit", operation)
        operation.status = S.SUBMITTED
        operation.submitted_at = timezone.now()
        save(operation, update_fields=["status", "submitted_at", "updated_at"])
        ledger_append(
            actor=actor,
            action="operation.submit",
            obj=operation,
            agency_id=operation.lead_agency_id,
            change={"status": operation.status},
        )
        operation_deconflict(actor=actor, operation=operation)
        return operation


def operation_cancel(*, actor: Actor, operation: Operation, reason: str) -> Operation:
    """Cancel an operation that has not begun: it leaves deconfliction, its conflicts clear."""
    if not reason.strip():
        raise ServiceError(
            "Say why the operation is cancelled.",
            code=OperationsErrorCode.REASON_REQUIRED,
            fields={"reason": ["Say why the operation is cancelled."]},
        )
    with transaction.atomic():
        operation = Operation.objects.select_for_update().get(pk=operation.pk)
        access.check(actor, "operations.operation.cancel", operation)
        operation.status = S.CANCELLED
        save(operation, update_fields=["status", "updated_at"])
        ledger_append(
            actor=actor,
            action="operation.cancel",
            obj=operation,
            agency_id=operation.lead_agency_id,
            reason=reason.strip(),
            change={"status": operation.status},
        )
        operation_deconflict(actor=actor, operation=operation)
        return operation


# --- participants and resources ------------------------------------------------------------


def operation_participant_add(
    *,
    actor: Actor,
    operation: Operation,
    agency: Agency,
    person: Person | None = None,
    role: str = "",
) -> Participant:
    """Add a participating agency, or one of its people, with their role."""
    with transaction.atomic():
        operation = Operation.objects.select_for_update().get(pk=operation.pk)
        access.check(actor, "operations.operation.edit", operation)
        if person is not None and person.agency_id != agency.pk:
            raise ServiceError(
                "The person does not work for that agency.",
                code=OperationsErrorCode.AGENCY_MISMATCH,
                fields={"person": ["The person does not work for that agency."]},
            )
        participant = Participant(operation=operation, agency=agency, person=person, role=role)
        validate(participant)
        save(participant)
        ledger_append(
            actor=actor,
            action="operation.participant_add",
            obj=participant,
            agency_id=operation.lead_agency_id,
            change={"agency": agency.pk, "person": person.pk if person else None, "role": role},
        )
        return participant


def operation_participant_remove(*, actor: Actor, participant: Participant) -> None:
    """Take a participant off the operation."""
    with transaction.atomic():
        operation = Operation.objects.select_for_update().get(pk=participant.operation_id)
        access.check(actor, "operations.operation.edit", operation)
        ledger_append(
            actor=actor,
            action="operation.participant_remove",
            obj=participant,
            agency_id=operation.lead_agency_id,
            change={"agency": participant.agency_id, "person": participant.person_id},
        )
        participant.delete()


def operation_resource_set(
    *,
    actor: Actor,
    operation: Operation,
    agency: Agency,
    personnel_hours: Decimal = Decimal(0),
    vehicles: int = 0,
    equipment: str = "",
    funding: Decimal = Decimal(0),
) -> Resource:
    """Set what one agency puts into the operation (one row per agency)."""
    with transaction.atomic():
        operation = Operation.objects.select_for_update().get(pk=operation.pk)
        access.check(actor, "operations.operation.edit", operation)
        resource = Resource.objects.filter(operation=operation, agency=agency).first() or Resource(
            operation=operation, agency=agency
        )
        resource.personnel_hours = Decimal(personnel_hours)
        resource.vehicles = vehicles
        resource.equipment = equipment
        resource.funding = Decimal(funding)
        validate(resource)
        save(resource)
        ledger_append(
            actor=actor,
            action="operation.resource_set",
            obj=resource,
            agency_id=operation.lead_agency_id,
            change={
                "agency": agency.pk,
                "personnel_hours": str(resource.personnel_hours),
                "vehicles": vehicles,
                "equipment": equipment,
                "funding": str(resource.funding),
            },
        )
        return resource


# --- deconfliction ---------------------------------------------------------------------------


def _open_conflicts(operation_id: int) -> list[ConflictRecord]:
    return list(
        ConflictRecord.objects.filter(
            Q(operation_a_id=operation_id) | Q(operation_b_id=operation_id), cleared_at__isnull=True
        )
    )


def operation_deconflict(*, actor: Actor, operation: Operation) -> list[ConflictRecord]:
    """Re-index the operation and bring its conflicts in step with the rule: record each
    new one (and notify both points of contact after commit), clear those an edit or the
    operation's end removed. Returns the conflicts recorded now. Call it inside the
    transaction of the write that changed the operation."""
    with transaction.atomic():
        deconfliction.reindex(operation)
        found: set[tuple[int, str]] = set()
        if operation.status in deconfliction.LIVE:
            hits = deconfliction.find(deconfliction.footprint_of(operation), exclude=operation.pk)
            statuses = dict(
                Operation.objects.filter(pk__in={h.operation for h in hits}).values_list(
                    "pk", "status"
                )
            )
            checked = operation.status in deconfliction.CHECKED
            found = {
                (h.operation, h.reason)
                for h in hits
                if checked or statuses.get(h.operation) in deconfliction.CHECKED
            }
        now = timezone.now()
        standing: set[tuple[int, str]] = set()
        for conflict in _open_conflicts(operation.pk):
            key = (conflict.other_id(operation.pk), conflict.reason)
            if key in found:
                standing.add(key)
                continue
            conflict.cleared_at = now
            save(conflict, update_fields=["cleared_at"])
            ledger_append(
                actor=actor,
                action="conflict.clear",
                obj=conflict,
                agency_id=operation.lead_agency_id,
                change={"reason": conflict.reason, "operations": sorted([key[0], operation.pk])},
            )
        recorded = []
        for other_id, reason in sorted(found - standing):
            a, b = sorted((operation.pk, other_id))
            conflict = ConflictRecord(
                operation_a_id=a, operation_b_id=b, reason=reason, detected_at=now
            )
            save(conflict)
            ledger_append(
                actor=actor,
                action="conflict.detect",
                obj=conflict,
                agency_id=operation.lead_agency_id,
                change={"reason": reason, "operations": [a, b]},
            )
            recorded.append(conflict)
        if recorded:
            ids = [c.pk for c in recorded]
            transaction.on_commit(lambda: _notify(ids))
        return recorded


def _operation_url(operation_id: int) -> str:
    try:
        return reverse("operations:operation_detail", args=[operation_id])
    except NoReverseMatch:  # before the pages are mounted, the API record
        return f"/api/v1/operations/{operation_id}"


def notice_for(conflict: ConflictRecord, own: Operation, other: Operation) -> tuple[str, str]:
    """The subject and body telling ``own``'s point of contact whom to call and why —
    nothing of the other operation but its point of contact and the reason."""
    why = (
        "it plans to be at or near the same place at about the same time"
        if conflict.reason == ConflictRecord.Reason.PLACE_TIME
        else "it names a subject your operation names too"
    )
    poc = other.point_of_contact
    name = poc.get_full_name() or poc.username
    phone = other.contact_phone or "no phone given"
    agency = other.lead_agency.name
    subject = "Deconfliction: call another agency before going ahead"
    body = (
        f"Another agency's operation conflicts with your operation “{own.name}”: {why}.\n\n"
        f"Call {name} of {agency} ({phone}) before going ahead, then acknowledge the "
        "conflict on your operation's page.\n\n"
        "Nothing else about the other operation is shared."
    )
    return subject, body


def _notify(conflict_ids: Iterable[int]) -> None:
    conflicts = ConflictRecord.objects.filter(pk__in=list(conflict_ids)).select_related(
        "operation_a__point_of_contact",
        "operation_a__lead_agency",
        "operation_b__point_of_contact",
        "operation_b__lead_agency",
    )
    for conflict in conflicts:
        for own, other in (
            (conflict.operation_a, conflict.operation_b),
            (conflict.operation_b, conflict.operation_a),
        ):
            subject, body = notice_for(conflict, own, other)
            notification_send(
                recipients=[own.point_of_contact],
                key=f"operations.conflict:{conflict.pk}:{own.pk}",
                subject=subject,
                body=body,
                url=_operation_url(own.pk),
            )


def conflict_acknowledge(
    *, actor: Actor, conflict: ConflictRecord, operation: Operation
) -> ConflictRecord:
    """Acknowledge a standing conflict for ``operation``'s side (its point of contact
    has called the other)."""
    with transaction.atomic():
        conflict = ConflictRecord.objects.select_for_update().get(pk=conflict.pk)
        operation = Operation.objects.get(pk=operation.pk)
        access.check(actor, "operations.operation.acknowledge", operation)
        if operation.pk not in (conflict.operation_a_id, conflict.operation_b_id):
            raise ServiceError(
                "This conflict is not one of the operation's.", code=OperationsErrorCode.NOT_A_SIDE
            )
        if conflict.cleared_at is not None:
            raise ConflictError(
                "An edit cleared this conflict; there is nothing to acknowledge.",
                code=OperationsErrorCode.CONFLICT_CLEARED,
            )
        side = conflict.side_of(operation.pk)
        if getattr(conflict, f"acknowledged_at_{side}") is not None:
            raise ConflictError(
                "Your side acknowledged this conflict already.",
                code=OperationsErrorCode.ALREADY_ACKNOWLEDGED,
            )
        setattr(conflict, f"acknowledged_at_{side}", timezone.now())
        setattr(conflict, f"acknowledged_by_{side}", actor if isinstance(actor, User) else None)
        save(conflict, update_fields=[f"acknowledged_at_{side}", f"acknowledged_by_{side}"])
        ledger_append(
            actor=actor,
            action="conflict.acknowledge",
            obj=conflict,
            agency_id=operation.lead_agency_id,
            change={"operation": operation.pk, "side": side},
        )
        return conflict
