"""Operations stored in bulk (``synthetic.bulk_store``, what the benchmark loads) give the
check the same rows and the same answers as the same plans stored through the services."""

from __future__ import annotations

import random
from typing import Any

import pytest
from django.db import transaction

from liaison.core.roles import Role
from liaison.operations import deconfliction, services
from liaison.operations.geometry import Circle
from liaison.operations.models import Location, OperationCell
from liaison.operations.plans import validate_plan
from liaison.operations.synthetic import SyntheticPlan, bulk_store, random_plans
from liaison.operations.tests.conftest import plan_data
from liaison.personas import World

TWIN_CITIES = (44.6, 45.3, -93.8, -92.7)


def _data(plan: SyntheticPlan) -> dict[str, Any]:
    return plan_data(
        window={"start": plan.window_start.isoformat(), "end": plan.window_end.isoformat()},
        locations=[
            {"lat": s.lat, "lon": s.lon, "radius_m": s.radius_m}
            if isinstance(s, Circle)
            else {"polygon": [list(p) for p in s.points]}
            for s in plan.shapes
        ],
        subjects=[{"kind": k, "value": v} for k, v in plan.subjects],
    )


def _stored(ids: list[int]) -> list[Any]:
    """Each operation's index rows and places, in the order of ``ids``."""
    rank = {pk: i for i, pk in enumerate(ids)}
    cells = sorted(
        (
            (rank[pk], *row)
            for pk, *row in OperationCell.objects.filter(operation_id__in=ids).values_list(
                *("operation_id", "cell", "span", "window_start", "window_end"),
                *("min_lat", "max_lat", "min_lon", "max_lon", "lat", "lon", "radius_m"),
            )
        ),
        key=repr,  # a polygon's row has no centre (None)
    )
    places = sorted(
        (rank[pk], *row)
        for pk, *row in Location.objects.filter(operation_id__in=ids).values_list(
            "operation_id", "shape", "lat", "lon", "radius_m", "min_lat", "max_lat", "min_lon"
        )
    )
    return [cells, places]


def _answers(ids: list[int], probes: list[SyntheticPlan]) -> list[list[tuple[int, str]]]:
    rank = {pk: i for i, pk in enumerate(ids)}
    return [
        [(rank[f.operation], f.reason) for f in deconfliction.find(p.footprint())] for p in probes
    ]


@pytest.mark.parametrize("place_names", [True, False])
def test_bulk_stored_operations_answer_the_check_as_service_stored_ones(
    world: World, place_names: bool
) -> None:
    rng = random.Random("bulk against services")
    plans = list(random_plans(rng, 30, area=TWIN_CITIES, days=10, subject_pool=20))
    probes = list(random_plans(rng, 40, area=TWIN_CITIES, days=10, subject_pool=20))
    actor = world.persona(Role.COORDINATOR, "BCA")
    with transaction.atomic():
        ids = []
        for plan in plans:
            operation = services.operation_create(
                actor=actor,
                plan=validate_plan(_data(plan)),
                details=services.OperationDetails(contact_phone="651-555-0100"),
            )
            ids.append(services.operation_submit(actor=actor, operation=operation).pk)
        by_services = (_stored(ids), _answers(ids, probes))
        transaction.set_rollback(True)
    ids = bulk_store(
        plans, lead_agency=world.agencies["BCA"], point_of_contact=actor, place_names=place_names
    )
    assert (_stored(ids), _answers(ids, probes)) == by_services
    assert any(by_services[1])
    assert not all(by_services[1])
    [again] = bulk_store(plans[:1], lead_agency=world.agencies["BCA"], point_of_contact=actor)
    assert again == ids[-1] + 1
