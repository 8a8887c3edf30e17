"""The plan format is checked in one place, with a message per wrong field."""

from __future__ import annotations

from typing import Any

import pytest

from liaison.core.errors import ServiceError
from liaison.operations.geometry import Circle, Polygon
from liaison.operations.plans import validate_plan
from liaison.operations.tests.conftest import plan_data
from liaison.personas import World


def _fields(data: Any) -> dict[str, list[str]]:
    with pytest.raises(ServiceError) as refused:
        validate_plan(data)
    assert refused.value.code == "invalid_plan"
    return refused.value.fields


def test_a_good_plan_resolves_its_agency_places_and_subjects(world: World) -> None:
    ring = [[-93.1, 44.9], [-93.0, 44.9], [-93.0, 45.0], [-93.1, 44.9]]
    plan = validate_plan(
        plan_data(
            "bca",
            locations=[{"lat": 44.95, "lon": -93.09, "radius_m": 250}, {"polygon": ring}],
            subjects=[{"kind": "plate", "value": "ABC-123"}, {"kind": "plate", "value": "abc 123"}],
        )
    )
    assert plan.lead_agency == world.agencies["BCA"]
    assert plan.locations[0].shape == Circle(44.95, -93.09, 250)
    assert isinstance(plan.locations[1].shape, Polygon)
    assert len(plan.locations[1].shape.points) == 3  # the closing point is dropped
    assert len(plan.subjects) == 1  # one plate, however written
    assert "ABC" not in repr(plan)


def test_each_wrong_field_is_named_by_its_path(world: World) -> None:
    fields = _fields(
        plan_data(
            "Nobody",
            format="liaison.operations.plan/2",
            status="closed",
            window={"start": "2026-06-01T10:00:00Z", "end": "2026-06-01T06:00:00Z"},
            locations=[{"lat": 95, "lon": -93, "radius_m": -1}, {"polygon": [[0, 0], [1], [2, 2]]}],
            subjects=[{"kind": "email", "value": "x"}, {"kind": "person", "value": "Maria"}],
            colour="red",
        )
    )
    assert set(fields) == {
        "format",
        "lead_agency",
        "status",
        "window.end",
        "locations[0].lat",
        "locations[0].radius_m",
        "locations[1].polygon[1]",
        "subjects[0].kind",
        "subjects[1].value",
        "colour",
    }


def test_a_time_without_its_offset_is_refused(world: World) -> None:
    fields = _fields(plan_data(window={"start": "2026-06-01T06:00", "end": "2026-06-01T07:00Z"}))
    assert fields["window.start"] == ["Give the UTC offset (Z or ±hh:mm) with the time."]


def test_a_plan_that_is_not_an_object_is_refused(world: World) -> None:
    assert _fields(["not", "a", "plan"]) == {"plan": ["A plan is a JSON object."]}
