"""Ledger examples of the operations services, read by the ledger's walker
(``liaison/ledger/tests/test_every_service_is_ledgered.py``)."""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property, partial
from typing import Any

from liaison.directory.tests.ledger_examples import World as Directory
from liaison.operations import services as s
from liaison.operations.models import Conflict, Operation
from liaison.operations.plans import PLAN_FORMAT, validate_plan

__all__ = ["EXAMPLES", "EXEMPT", "World"]


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
