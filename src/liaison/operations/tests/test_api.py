"""The operations API: plans in the plan format, the dry-run check, conflicts as each side
sees them, and acknowledgement — the same rules as the services."""

from __future__ import annotations

import json
from typing import Any

from liaison.core.roles import Role
from liaison.operations.models import Operation
from liaison.operations.tests.conftest import plan_data
from liaison.personas import World


def _post(client: Any, url: str, body: Any) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json")


def test_a_coordinator_plans_submits_and_reads_an_operation(world: World, api_as: Any) -> None:
    bca = api_as(world.persona(Role.COORDINATOR, "BCA"))
    body = plan_data(
        "BCA", subjects=[{"kind": "plate", "value": "ABC-123"}], contact_phone="651-555-0101"
    )
    created = _post(bca, "/api/v1/operations", body)
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["subjects"] == [{"kind": "plate", "hint": "…123"}]
    assert "submit" in created.json()["actions"]
    submitted = bca.post(f"/api/v1/operations/{pk}/submit")
    assert submitted.json()["status"] == "submitted"
    listed = bca.get("/api/v1/operations").json()
    assert [item["id"] for item in listed["items"]] == [pk]


def test_a_malformed_plan_is_refused_naming_each_field(world: World, api_as: Any) -> None:
    bca = api_as(world.persona(Role.COORDINATOR, "BCA"))
    body = plan_data("BCA", window={"start": "2026-06-02T00:00:00Z", "end": "2026-06-01T00:00Z"})
    answer = _post(bca, "/api/v1/operations", body)
    assert answer.status_code == 400
    assert answer.json()["code"] == "invalid_plan"
    assert answer.json()["fields"] == {"window.end": ["The operation cannot end before it starts."]}
    assert not Operation.objects.exists()


def test_the_other_side_gets_only_whom_to_call_and_acknowledges_for_itself(
    world: World, api_as: Any
) -> None:
    bca = api_as(world.persona(Role.COORDINATOR, "BCA"))
    mpd = api_as(world.persona(Role.COORDINATOR, "MPD"))
    first = _post(bca, "/api/v1/operations", plan_data("BCA", name="Quiet Harbor")).json()["id"]
    bca.post(f"/api/v1/operations/{first}/submit")
    second = _post(mpd, "/api/v1/operations", plan_data("MPD", name="Bright Lantern")).json()["id"]
    mpd.post(f"/api/v1/operations/{second}/submit")
    assert mpd.get(f"/api/v1/operations/{first}").status_code == 404
    assert mpd.get(f"/api/v1/operations/conflicts?operation={first}").status_code == 404
    assert mpd.get("/api/v1/operations/conflicts").json()["total"] == 1
    page = mpd.get(f"/api/v1/operations/conflicts?operation={second}").json()
    [conflict] = page["items"]
    assert conflict["reason"] == "place_time"
    assert conflict["contact_agency"] == world.agencies["BCA"].name
    assert "Quiet Harbor" not in json.dumps(page)
    assert conflict["operation"] == second
    ack = mpd.post(f"/api/v1/operations/{second}/conflicts/{conflict['id']}/acknowledge")
    assert ack.status_code == 200
    assert ack.json()["acknowledged_at"] is not None
    theirs = bca.get(f"/api/v1/operations/{first}").json()
    assert theirs["unacknowledged_conflicts"] == 1
    # MPD cannot acknowledge on BCA's behalf
    other_side = mpd.post(f"/api/v1/operations/{first}/conflicts/{conflict['id']}/acknowledge")
    assert other_side.status_code == 404


def test_the_dry_run_check_saves_nothing(world: World, api_as: Any) -> None:
    bca = api_as(world.persona(Role.COORDINATOR, "BCA"))
    first = _post(bca, "/api/v1/operations", plan_data("BCA")).json()["id"]
    bca.post(f"/api/v1/operations/{first}/submit")
    mpd = api_as(world.persona(Role.COORDINATOR, "MPD"))
    answer = _post(mpd, "/api/v1/operations/check", plan_data("MPD"))
    assert answer.json() == {
        "format": "liaison.operations.conflicts/1",
        "conflicts": [{"operation": first, "reason": "place_time"}],
    }
    assert Operation.objects.count() == 1
    officer = api_as(world.persona(Role.OFFICER, "MPD"))
    assert _post(officer, "/api/v1/operations/check", plan_data("MPD")).status_code == 403
