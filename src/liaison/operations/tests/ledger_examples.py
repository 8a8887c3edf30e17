"""Ledger examples of the operations services, read by the ledger's walker
(``liaison/ledger/tests/test_every_service_is_ledgered.py``)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import cached_property, partial
from typing import Any

from liaison.directory.tests.ledger_examples import World as Directory
from liaison.operations import aar, review
from liaison.operations import services as s
from liaison.operations.models import Conflict, FollowUp, Operation
from liaison.operations.plans import PLAN_FORMAT, validate_plan
from liaison.operations.tests import review_fixtures as rf
from liaison.personas import build_world

__all__ = ["EXAMPLES", "EXEMPT", "SERVICE_MODULES", "World"]

# The review and after-action steps write the ledger too; the walker reads them as well.
SERVICE_MODULES = ("review", "aar")


def _plan(world: Any, name: str, agency: Any) -> Any:
    return validate_plan(
        {
            "format": PLAN_FORMAT,
            "name": name,
            "lead_agency": agency.pk,
            "window": {"start": "2026-06-01T06:00:00Z", "end": "2026-06-01T10:00:00Z"},
            "locations": [{"lat": 44.95, "lon": -93.09, "radius_m": 300}],
            "subjects": [{"kind": "plate", "value": "ABC-123"}],
        }
    )


class World(Directory):
    """The directory world, plus an operation of its agency led and planned by its admin."""

    def plan(self, name: str = "Example operation", agency: Any = None) -> Any:
        return _plan(self, name, agency or self.agency)

    @cached_property
    def operation(self) -> Operation:
        return s.operation_create(
            actor=None,
            plan=self.plan(),
            details=s.OperationDetails(point_of_contact=self.admin),
        )

    def conflict(self) -> Conflict:
        self.operation.status = Operation.Status.SUBMITTED
        self.operation.save(update_fields=["status"])
        other = s.operation_create(
            actor=None,
            plan=self.plan("Other operation", self.federal),
            details=s.OperationDetails(point_of_contact=self.officer),
        )
        return Conflict.objects.get(operation_b=other, reason="place_time")


Example = Callable[[World], Callable[[], object]]


def _participant_remove(w: World) -> Callable[[], object]:
    participant = s.operation_participant_add(
        actor=None, operation=w.operation, agency=w.federal, role="Surveillance"
    )
    return partial(s.operation_participant_remove, actor=None, participant=participant)


def _deconflict(w: World) -> Callable[[], object]:
    conflict = w.conflict()
    Conflict.objects.filter(pk=conflict.pk).delete()  # the check records it again
    return partial(s.operation_deconflict, actor=None, operation=w.operation)


def _acknowledge(w: World) -> Callable[[], object]:
    conflict = w.conflict()
    return partial(s.conflict_acknowledge, actor=None, conflict=conflict, operation=w.operation)


o = "liaison.operations.services."
EXAMPLES: dict[str, Example] = {
    o + "operation_create": lambda w: partial(
        s.operation_create,
        actor=None,
        plan=w.plan("New operation"),
        details=s.OperationDetails(point_of_contact=w.admin),
    ),
    o + "operation_update": lambda w: partial(
        s.operation_update, actor=None, operation=w.operation, plan=w.plan("Renamed operation")
    ),
    o + "operation_submit": lambda w: partial(
        s.operation_submit, actor=None, operation=w.operation
    ),
    o + "operation_cancel": lambda w: partial(
        s.operation_cancel, actor=None, operation=w.operation, reason="Called off."
    ),
    o + "operation_participant_add": lambda w: partial(
        s.operation_participant_add, actor=None, operation=w.operation, agency=w.federal
    ),
    o + "operation_participant_remove": _participant_remove,
    o + "operation_resource_set": lambda w: partial(
        s.operation_resource_set, actor=None, operation=w.operation, agency=w.agency, vehicles=3
    ),
    o + "operation_deconflict": _deconflict,
    o + "conflict_acknowledge": _acknowledge,
}

EXEMPT: dict[str, str] = {
    o + "notice_for": "Words a notice; notification_send ledgers each one it sends.",
}


# --- review and after-action steps: on the personas world, where a plan can pass review ---

STEPS = ("signoff", "approve", "start", "close")


def _reached(step: str) -> tuple[Operation, dict[str, Any]]:
    """BCA's covered operation, in review, taken through the steps before ``step``."""
    world = build_world()
    rf.active_agreement(world)
    p = rf.people(world)
    operation = rf.in_review(world)
    done = {
        "signoff": lambda: review.operation_signoff(
            actor=p["counsel"], operation=operation, reason="Lawful."
        ),
        "approve": lambda: review.operation_approve(actor=p["supervisor"], operation=operation),
        "start": lambda: review.operation_start(actor=p["coordinator"], operation=operation),
        "close": lambda: review.operation_close(actor=p["coordinator"], operation=operation),
    }
    for earlier in STEPS[: STEPS.index(step) if step in STEPS else len(STEPS)]:
        done[earlier]()
    operation.refresh_from_db()
    return operation, p


def _review_start(w: World) -> Callable[[], object]:
    world = build_world()
    p = rf.people(world)
    operation = rf.plan(world)
    s.operation_submit(actor=p["coordinator"], operation=operation)
    return partial(review.operation_review_start, actor=p["counsel"], operation=operation)


def _signoff(w: World) -> Callable[[], object]:
    operation, p = _reached("signoff")
    return partial(
        review.operation_signoff, actor=p["counsel"], operation=operation, reason="Lawful."
    )


def _return(w: World) -> Callable[[], object]:
    operation, p = _reached("signoff")
    return partial(
        review.operation_return, actor=p["counsel"], operation=operation, reason="Name the team."
    )


def _approve(w: World) -> Callable[[], object]:
    operation, p = _reached("approve")
    return partial(review.operation_approve, actor=p["supervisor"], operation=operation)


def _start(w: World) -> Callable[[], object]:
    operation, p = _reached("start")
    return partial(review.operation_start, actor=p["coordinator"], operation=operation)


def _log(w: World) -> Callable[[], object]:
    operation, p = _reached("close")
    return partial(
        review.operation_log, actor=p["officer"], operation=operation, text="Team in place."
    )


def _close(w: World) -> Callable[[], object]:
    operation, p = _reached("close")
    return partial(review.operation_close, actor=p["coordinator"], operation=operation)


def _after_action(w: World) -> Callable[[], object]:
    operation, p = _reached("after")
    return partial(
        aar.after_action_review_write,
        actor=p["coordinator"],
        operation=operation,
        fields=aar.ReviewFields(objectives_met="met"),
    )


def _follow_up(due_on: date) -> tuple[FollowUp, dict[str, Any]]:
    operation, p = _reached("after")
    written = aar.after_action_review_write(
        actor=p["coordinator"],
        operation=operation,
        fields=aar.ReviewFields(
            objectives_met="met",
            follow_ups=[
                aar.FollowUpFields(
                    action="Fix radio plan", owner_id=p["coordinator"].pk, due_on=due_on
                )
            ],
        ),
    )
    return FollowUp.objects.get(review=written), p


def _follow_up_done(w: World) -> Callable[[], object]:
    follow_up, p = _follow_up(date(2027, 4, 1))
    return partial(aar.follow_up_done, actor=p["coordinator"], follow_up=follow_up)


def _reminders(w: World) -> Callable[[], object]:
    _follow_up(date(2027, 4, 1))
    return partial(aar.follow_up_reminders_send, today=date(2027, 3, 30))


r = "liaison.operations.review."
a = "liaison.operations.aar."
EXAMPLES.update(
    {
        r + "operation_review_start": _review_start,
        r + "operation_signoff": _signoff,
        r + "operation_return": _return,
        r + "operation_approve": _approve,
        r + "operation_start": _start,
        r + "operation_log": _log,
        r + "operation_close": _close,
        a + "after_action_review_write": _after_action,
        a + "follow_up_done": _follow_up_done,
        a + "follow_up_reminders_send": _reminders,
    }
)

EXEMPT.update(
    {
        r + "may": "Answers whether a step is open to the actor; writes nothing.",
        r + "latest_signoff": "Reads counsel's latest sign-off.",
        r + "approval_problems": "Lists what stands in the way of approval; writes nothing.",
        r + "timeline": "Reads the review steps and log of an operation.",
        a + "follow_ups_due": "Reads the follow-up actions that are due.",
        a + "evaluation": "Sums outcomes, hours and costs across operations; writes nothing.",
        a + "owners_for": "Reads who may own a follow-up action.",
    }
)
