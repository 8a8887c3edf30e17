"""The index answers exactly what a brute-force scan of every live operation answers:
seeded random plans over Minnesota and Wisconsin (circles of 0–20 km and polygons,
windows of half an hour to months), under several distances and buffers."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest
from django.test import override_settings

from liaison.core.roles import Role
from liaison.operations import deconfliction
from liaison.operations.geometry import Circle
from liaison.operations.models import Operation, OperationCell
from liaison.operations.synthetic import SyntheticPlan, bulk_store, random_plans
from liaison.personas import World

TWIN_CITIES = (44.6, 45.3, -93.8, -92.7)


def _store(world: World, rng: random.Random) -> list[int]:
    poc = world.persona(Role.COORDINATOR, "BCA")
    agency = world.agencies["BCA"]
    dense = list(random_plans(rng, 250, area=TWIN_CITIES, days=20, subject_pool=60))
    spread = list(random_plans(rng, 100, days=40, subject_pool=60))
    ids = bulk_store(dense + spread, lead_agency=agency, point_of_contact=poc, seal=False)
    closed = list(random_plans(rng, 30, area=TWIN_CITIES, days=20, subject_pool=60))
    bulk_store(closed, lead_agency=agency, point_of_contact=poc, status="closed", seal=False)
    return ids


@pytest.mark.parametrize(("distance", "buffer"), [(0, 120), (0, 0), (750, 30), (5_000, 600)])
def test_the_index_finds_what_a_brute_force_scan_finds(
    world: World, distance: float, buffer: int
) -> None:
    rng = random.Random(f"deconfliction {distance} {buffer}")
    _store(world, rng)
    plans = list(random_plans(rng, 60, area=TWIN_CITIES, days=20, subject_pool=60))
    plans += list(random_plans(rng, 20, days=40, subject_pool=60))
    found_any = 0
    with override_settings(DECONFLICT_DISTANCE_M=distance, DECONFLICT_BUFFER_MIN=buffer):
        for plan in plans:
            footprint = plan.footprint()
            indexed = deconfliction.find(footprint)
            assert indexed == deconfliction.find_brute_force(footprint)
            found_any += bool(indexed)
    assert 5 < found_any < len(plans)  # the plans are neither all clear nor all conflicting


def test_a_stored_operation_is_found_by_the_index_and_not_against_itself(world: World) -> None:
    rng = random.Random(7)
    ids = _store(world, rng)
    operation = Operation.objects.get(pk=ids[0])
    footprint = deconfliction.footprint_of(operation)
    assert operation.pk not in {
        f.operation for f in deconfliction.find(footprint, exclude=operation.pk)
    }
    assert deconfliction.Found(operation.pk, "place_time") in deconfliction.find(footprint)


def test_a_window_longer_than_every_span_is_still_found(world: World) -> None:
    poc = world.persona(Role.COORDINATOR, "BCA")
    start = datetime(2026, 1, 1, tzinfo=UTC)
    decade = SyntheticPlan(start, start + timedelta(days=3_650), (Circle(45.0, -93.0, 1_000),), ())
    [pk] = bulk_store([decade], lead_agency=world.agencies["BCA"], point_of_contact=poc)
    assert OperationCell.objects.filter(operation_id=pk, span=deconfliction.MAX_SPAN).exists()
    late = SyntheticPlan(
        start + timedelta(days=3_000), start + timedelta(days=3_001), (Circle(45.0, -93.0, 0),), ()
    )
    assert deconfliction.find(late.footprint()) == [deconfliction.Found(pk, "place_time")]
