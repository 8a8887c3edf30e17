"""Operations tests stand in the shared persona world: a coordinator at BCA and one at MPD
plan operations in the Twin Cities; ``plan(...)`` writes a ``liaison.operations.plan/1``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from liaison.core.roles import Role
from liaison.operations import services
from liaison.operations.models import Operation
from liaison.operations.plans import PLAN_FORMAT, validate_plan
from liaison.personas import World

ST_PAUL = (44.9537, -93.0900)
PHONES = {"BCA": "651-555-0101", "MPD": "612-555-0102", "HCSO": "612-555-0103"}


def plan_data(lead: str = "BCA", **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "format": PLAN_FORMAT,
        "name": "Operation North Star",
        "lead_agency": lead,
        "status": "planned",
        "window": {"start": "2026-06-01T06:00:00Z", "end": "2026-06-01T10:00:00Z"},
        "locations": [{"lat": ST_PAUL[0], "lon": ST_PAUL[1], "radius_m": 500}],
        "subjects": [],
    }
    data.update(overrides)
    return data


@pytest.fixture
def planner(world: World) -> Callable[..., Operation]:
    """``planner("BCA", submit=True, **plan fields)``: an operation planned by that
    agency's coordinator (submitted when asked)."""

    def make(lead: str = "BCA", *, submit: bool = False, **overrides: Any) -> Operation:
        actor = world.persona(Role.COORDINATOR, lead)
        operation = services.operation_create(
            actor=actor,
            plan=validate_plan(plan_data(lead, **overrides)),
            details=services.OperationDetails(contact_phone=PHONES.get(lead, "")),
        )
        if submit:
            operation = services.operation_submit(actor=actor, operation=operation)
        return operation

    return make
