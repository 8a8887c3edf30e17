"""The review endpoints: the checklist as JSON, and approval refused with the failing
items while anything blocks."""

from __future__ import annotations

import pytest

from liaison.accounts.services import token_create
from liaison.operations import review
from liaison.operations.tests.review_fixtures import (
    active_agreement,
    in_review,
    people,
    plan,
    tfo_requirement,
)

pytestmark = pytest.mark.django_db


def _api(client, user):
    _, secret = token_create(actor=None, user=user, name="tests", scope="write")
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
    return client


def test_the_api_refuses_approval_with_an_uncovered_activity(world, client):
    active_agreement(world)
    p = people(world)
    operation = in_review(world, activities=("joint_investigation", "surveillance_support"))
    answer = _api(client, p["supervisor"]).post(
        f"/api/v1/operations/{operation.pk}/approve",
        {"reason": ""},
        content_type="application/json",
    )
    assert answer.status_code == 409
    body = answer.json()
    assert body["code"] == "checklist_blocked"
    assert any("Surveillance support" in line for line in body["fields"]["__all__"])


def test_the_api_refuses_approval_with_an_unready_participant_then_a_conflict(world, client):
    active_agreement(world)
    tfo_requirement(world)
    p = people(world)
    operation = in_review(world)
    plan(world, lead="MPD", name="Operation Neighbour")
    review.operation_signoff(actor=p["counsel"], operation=operation, reason="Lawful.")
    api = _api(client, p["supervisor"])
    checklist = api.get(f"/api/v1/operations/{operation.pk}/checklist").json()
    assert checklist["approvable"] is False
    blocked = {i["section"] for i in checklist["items"] if i["state"] == "blocked"}
    assert blocked == {"readiness", "conflicts"}
    answer = api.post(
        f"/api/v1/operations/{operation.pk}/approve", {}, content_type="application/json"
    )
    assert answer.status_code == 409
    lines = " ".join(answer.json()["fields"]["__all__"])
    assert "TFO-1" in lines
    assert "Not acknowledged" in lines


def test_the_api_runs_the_steps_to_the_after_action_review(world, client):
    active_agreement(world)
    p = people(world)
    operation = in_review(world)
    pk = operation.pk
    post = lambda who, path, data: _api(client, p[who]).post(  # noqa: E731
        f"/api/v1/operations/{pk}/{path}", data, content_type="application/json"
    )
    assert post("counsel", "signoff", {"reason": "Covered."}).status_code == 200
    assert post("supervisor", "approve", {}).json()["status"] == "approved"
    assert post("coordinator", "start", {}).json()["status"] == "active"
    assert post("officer", "log", {"text": "In position."}).status_code == 201
    assert post("coordinator", "close", {}).json()["status"] == "closed"
    answer = post(
        "coordinator",
        "after-action",
        {
            "objectives_met": "met",
            "outcomes": [{"kind": "arrest", "count": 2, "category": "Weapons"}],
            "costs": [{"agency_id": world.agencies["BCA"].pk, "hours": "12.0", "cost": "0"}],
            "follow_ups": [
                {"action": "Debrief", "owner_id": p["coordinator"].pk, "due_on": "2027-05-01"}
            ],
        },
    )
    assert answer.status_code == 201, answer.content
    assert answer.json()["outcomes"]["arrest"] == 2
