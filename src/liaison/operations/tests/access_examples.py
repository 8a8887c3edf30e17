"""How the generated rule matrix tries each operations action (see ``liaison.personas.Example``).

The records: an operation BCA leads with MPD taking part (planned), one BCA led that is
closed (a state no step is for), and one CBP leads (planned)."""

from __future__ import annotations

from datetime import date
from typing import Any

from liaison.accounts.models import User
from liaison.core.roles import Role
from liaison.operations import aar, review
from liaison.operations import selectors as sel
from liaison.operations import services as svc
from liaison.operations.models import AfterActionReview, Conflict, FollowUp, Operation
from liaison.operations.plans import PLAN_FORMAT, validate_plan
from liaison.personas import Example, World


def _plan(lead: Any, name: str = "Matrix operation") -> Any:
    return validate_plan(
        {
            "format": PLAN_FORMAT,
            "name": name,
            "lead_agency": lead.pk,
            "window": {"start": "2026-06-01T06:00:00Z", "end": "2026-06-01T10:00:00Z"},
            "locations": [{"lat": 46.0, "lon": -94.0, "radius_m": 100}],
        }
    )


def _operation(w: World, lead: str, name: str, status: str = "planned") -> Operation:
    found = Operation.objects.filter(name=name).first()
    if found is not None:
        return found
    operation = svc.operation_create(
        actor=None,
        plan=_plan(w.agencies[lead], name),
        details=svc.OperationDetails(point_of_contact=w.persona(Role.COORDINATOR, lead)),
    )
    if lead == "BCA":
        svc.operation_participant_add(
            actor=None, operation=operation, agency=w.agencies["MPD"], role="Perimeter"
        )
    if status != "planned":
        Operation.objects.filter(pk=operation.pk).update(status=status)
        operation.refresh_from_db()
    return operation


def _operations(w: World) -> list[Any]:
    return [
        _operation(w, "BCA", "Matrix BCA"),
        _operation(w, "BCA", "Matrix BCA closed", "closed"),
        _operation(w, "CBP", "Matrix CBP"),
    ]


def _conflict(w: World, operation: Operation) -> Conflict:
    other = _operation(w, "HCSO", f"Matrix other of {operation.pk}")
    found = Conflict.objects.filter(operation_a=operation, operation_b=other).first()
    return found or Conflict.objects.create(
        operation_a=operation, operation_b=other, reason="subject", detected_at=other.created_at
    )


def _agencies(w: World) -> list[Any]:
    return list(w.agencies.values())


def _none(w: World) -> list[Any]:
    return [None]


EXAMPLES: dict[str, Example] = {
    "operations.operation.view": Example(
        _operations,
        lambda w, u, r: sel.operation_get_for_user(user=u, pk=r.pk),
        api=lambda r: f"/api/v1/operations/{r.pk}",
    ),
    "operations.operation.create": Example(
        _agencies,
        lambda w, u, r: svc.operation_create(actor=u, plan=_plan(r, "New matrix operation")),
    ),
    "operations.operation.edit": Example(
        _operations,
        lambda w, u, r: svc.operation_update(
            actor=u, operation=r, details=svc.OperationDetails(objectives="Changed.")
        ),
    ),
    "operations.operation.submit": Example(
        _operations,
        lambda w, u, r: svc.operation_submit(actor=u, operation=r),
    ),
    "operations.operation.cancel": Example(
        _operations,
        lambda w, u, r: svc.operation_cancel(actor=u, operation=r, reason="Called off."),
    ),
    "operations.operation.acknowledge": Example(
        _operations,
        lambda w, u, r: svc.conflict_acknowledge(actor=u, conflict=_conflict(w, r), operation=r),
    ),
    "operations.operation.check": Example(
        _none,
        lambda w, u, r: sel.plan_check(user=u, plan=_plan(w.agencies["BCA"])),
    ),
}


# --- legal review, approval, execution and after-action review -------------------------


def _in(status: str) -> Any:
    """Records for a step: BCA's operation in ``status``, BCA's planned one (a state no
    step is for) and CBP's in ``status``."""

    def records(w: World) -> list[Any]:
        return [
            _operation(w, "BCA", f"Matrix BCA {status}", status),
            _operation(w, "BCA", "Matrix BCA"),
            _operation(w, "CBP", f"Matrix CBP {status}", status),
        ]

    return records


def _follow_up(w: World, operation: Operation) -> FollowUp:
    # Not a persona of the matrix: an owner may always mark their own follow-up done.
    owner, _ = User.objects.get_or_create(
        username="matrix-follow-up-owner",
        defaults={"role": Role.OFFICER, "agency": w.agencies["BCA"]},
    )
    review_row = AfterActionReview.objects.filter(operation=operation).first()
    if review_row is None:
        review_row = AfterActionReview.objects.create(
            operation=operation, objectives_met="met", written_by=owner
        )
    found = review_row.follow_ups.first()
    return found or FollowUp.objects.create(
        review=review_row, action="Matrix follow-up", owner=owner, due_on=date(2026, 7, 1)
    )


EXAMPLES.update(
    {
        "operations.operation.review": Example(
            _in("submitted"),
            lambda w, u, r: review.operation_review_start(actor=u, operation=r),
        ),
        "operations.operation.signoff": Example(
            _in("in_review"),
            lambda w, u, r: review.operation_signoff(actor=u, operation=r, reason="Lawful."),
            page=lambda r: f"/operations/{r.pk}/signoff/",
        ),
        "operations.operation.return": Example(
            _in("in_review"),
            lambda w, u, r: review.operation_return(actor=u, operation=r, reason="Name the team."),
            page=lambda r: f"/operations/{r.pk}/return/",
        ),
        "operations.operation.approve": Example(
            _in("in_review"),
            lambda w, u, r: review.operation_approve(actor=u, operation=r),
            page=lambda r: f"/operations/{r.pk}/approve/",
        ),
        "operations.operation.start": Example(
            _in("approved"),
            lambda w, u, r: review.operation_start(actor=u, operation=r),
        ),
        "operations.operation.log": Example(
            _in("active"),
            lambda w, u, r: review.operation_log(actor=u, operation=r, text="In position."),
            page=lambda r: f"/operations/{r.pk}/log/",
        ),
        "operations.operation.close": Example(
            _in("active"),
            lambda w, u, r: review.operation_close(actor=u, operation=r),
            page=lambda r: f"/operations/{r.pk}/close/",
        ),
        "operations.operation.review_after": Example(
            _in("closed"),
            lambda w, u, r: aar.after_action_review_write(
                actor=u, operation=r, fields=aar.ReviewFields(objectives_met="met")
            ),
            page=lambda r: f"/operations/{r.pk}/after-action/",
        ),
        "operations.operation.follow_up": Example(
            _in("closed"),
            lambda w, u, r: aar.follow_up_done(actor=u, follow_up=_follow_up(w, r)),
        ),
    }
)
