"""The operations API's writes take a token scoped ``write`` or ``write:operations``; a
read-only token or one scoped to another area reads operations and may run the dry-run
check (it writes nothing) but changes nothing."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from liaison.accounts.models import TokenScope
from liaison.accounts.services import token_create
from liaison.core.roles import Role
from liaison.operations.models import Operation
from liaison.operations.tests.conftest import plan_data
from liaison.personas import World

pytestmark = pytest.mark.django_db


def _api(world: World, scope: str) -> Client:
    user = world.persona(Role.COORDINATOR, "BCA")
    _, secret = token_create(actor=None, user=user, name=f"t-{scope}", scope=scope)
    return Client(headers={"Authorization": f"Bearer {secret}"})


def _post(api: Client, url: str, body: Any = None) -> Any:
    if body is None:
        return api.post(url)
    return api.post(url, json.dumps(body), content_type="application/json")


def _writes(api: Client, planned: Operation) -> list[int]:
    """The status of each operations write: plan, submit."""
    return [
        _post(api, "/api/v1/operations", plan_data("BCA", name="Scoped plan")).status_code,
        _post(api, f"/api/v1/operations/{planned.pk}/submit").status_code,
    ]


@pytest.mark.parametrize("scope", [TokenScope.WRITE_OPERATIONS, TokenScope.WRITE])
def test_an_operations_or_full_write_token_plans_and_submits(
    world: World, planner: Callable[..., Operation], scope: str
) -> None:
    planned = planner("BCA")
    assert _writes(_api(world, scope), planned) == [201, 200]
    assert Operation.objects.filter(name="Scoped plan").exists()
    planned.refresh_from_db()
    assert planned.status == Operation.Status.SUBMITTED


@pytest.mark.parametrize(
    "scope", [TokenScope.READ, TokenScope.WRITE_TRAINING, TokenScope.WRITE_SHARING]
)
def test_a_read_only_or_other_area_token_changes_no_operation(
    world: World, planner: Callable[..., Operation], scope: str
) -> None:
    planned = planner("BCA")
    api = _api(world, scope)
    refused = _post(api, "/api/v1/operations", plan_data("BCA", name="Scoped plan"))
    assert refused.status_code == 403
    assert refused.json()["code"] == "permission_denied"
    assert _writes(api, planned) == [403, 403]
    assert not Operation.objects.filter(name="Scoped plan").exists()
    planned.refresh_from_db()
    assert planned.status == Operation.Status.PLANNED
    assert api.get(f"/api/v1/operations/{planned.pk}").status_code == 200


def test_a_read_only_token_may_run_the_dry_run_check(
    world: World, planner: Callable[..., Operation]
) -> None:
    standing = planner("BCA", submit=True)
    answer = _post(_api(world, TokenScope.READ), "/api/v1/operations/check", plan_data("BCA"))
    assert answer.status_code == 200, answer.content
    assert answer.json()["conflicts"] == [{"operation": standing.pk, "reason": "place_time"}]
    assert Operation.objects.count() == 1


def test_an_operations_token_cannot_write_elsewhere(world: World) -> None:
    answer = _post(
        _api(world, TokenScope.WRITE_OPERATIONS),
        "/api/v1/sharing/requests",
        {
            "custodian_agency_id": world.agencies["DPS"].pk,
            "purpose": "criminal_investigation",
            "instrument": "judicial_warrant",
            "items": [],
        },
    )
    assert answer.status_code == 403
    assert answer.json()["code"] == "permission_denied"
