"""The operations pages: list, calendar, map, the operation page with its checklist, and
the review steps through the forms — approval refused on the page while anything blocks."""

from __future__ import annotations

import pytest

from liaison.core.roles import Role
from liaison.operations import review
from liaison.operations.models import LogEntry, Operation
from liaison.operations.tests.review_fixtures import (
    active_agreement,
    in_review,
    people,
    plan,
    tfo_requirement,
)

pytestmark = pytest.mark.django_db


def _login(client, user):
    client.force_login(user)
    return client


def test_the_list_calendar_and_map_show_only_what_the_reader_may_see(world, client):
    mine = plan(world, name="Operation Mine")
    plan(world, lead="CBP", name="Operation Theirs")
    _login(client, world.persona(Role.COORDINATOR, "BCA"))
    page = client.get("/operations/").content.decode()
    assert "Operation Mine" in page
    assert "Operation Theirs" not in page
    cal = client.get("/operations/calendar/?month=2027-03").content.decode()
    assert "Operation Mine" in cal
    assert "Operation Theirs" not in cal
    shown = client.get("/operations/map/")
    assert shown.status_code == 200
    body = shown.content.decode()
    assert 'role="img"' in body
    assert "Ramsey County" in body
    assert "Operation Mine" in body
    assert "Operation Theirs" not in body
    assert client.get(f"/operations/{mine.pk}/").status_code == 200


def test_an_outsider_gets_404_for_the_operation_page(world, client):
    operation = plan(world)
    _login(client, world.persona(Role.COORDINATOR, "CBP"))
    assert client.get(f"/operations/{operation.pk}/").status_code == 404
    assert client.get(f"/operations/{operation.pk}/signoff/").status_code == 404


def test_a_plan_entered_as_coordinates_is_saved_with_its_county(world, client):
    active_agreement(world)
    user = world.persona(Role.COORDINATOR, "BCA")
    _login(client, user)
    assert client.get("/operations/new/").status_code == 200
    answer = client.post(
        "/operations/new/",
        {
            "name": "Operation Typed",
            "lead_agency": world.agencies["BCA"].pk,
            "window_start": "2027-04-01T08:00",
            "window_end": "2027-04-01T12:00",
            "lat": "44.9772",
            "lon": "-93.2654",
            "radius_m": "200",
            "subjects": "plate: abc 123",
        },
    )
    assert answer.status_code == 302, answer.content.decode()[:2000]
    operation = Operation.objects.get(name="Operation Typed")
    assert operation.locations.get().county == "Hennepin County"
    assert operation.subjects.count() == 1
    page = client.get(answer["Location"]).content.decode()
    assert "No activity listed" in page  # the checklist, computed at once
    assert "Minneapolis" in page  # the uncertain ordinance item, for counsel


def test_approval_on_the_page_is_refused_listing_what_blocks(world, client):
    active_agreement(world)
    tfo_requirement(world)
    p = people(world)
    operation = in_review(world)
    review.operation_signoff(actor=p["counsel"], operation=operation, reason="Lawful.")
    _login(client, p["supervisor"])
    page = client.get(f"/operations/{operation.pk}/").content.decode()
    assert 'data-testid="approval-blocked"' in page
    assert "TFO-1" in page
    answer = client.post(f"/operations/{operation.pk}/approve/", {"reason": ""})
    assert answer.status_code == 409
    assert "TFO-1 Task force officer orientation" in answer.content.decode()
    operation.refresh_from_db()
    assert operation.status == Operation.Status.IN_REVIEW


def test_the_steps_through_the_pages_from_signoff_to_the_after_action_review(world, client):
    active_agreement(world)
    p = people(world)
    operation = in_review(world)
    pk = operation.pk
    _login(client, p["counsel"])
    assert client.post(f"/operations/{pk}/signoff/", {"reason": "Covered."}).status_code == 302
    _login(client, p["supervisor"])
    assert client.post(f"/operations/{pk}/approve/", {"reason": ""}).status_code == 302
    _login(client, p["coordinator"])
    assert client.post(f"/operations/{pk}/start/").status_code == 302
    _login(client, p["officer"])
    assert client.post(f"/operations/{pk}/log/", {"text": "Entry made."}).status_code == 302
    assert LogEntry.objects.filter(operation_id=pk).count() == 1
    _login(client, p["coordinator"])
    assert client.post(f"/operations/{pk}/close/", {"reason": ""}).status_code == 302
    assert client.get(f"/operations/{pk}/after-action/").status_code == 200
    answer = client.post(
        f"/operations/{pk}/after-action/",
        {
            "objectives_met": "met",
            "count_arrest": "1",
            "arrest_category": "Weapons",
            f"hours_{world.agencies['BCA'].pk}": "12",
            "went_well": "Briefing.",
            "follow_up_1_action": "Share lessons",
            "follow_up_1_owner": p["coordinator"].pk,
            "follow_up_1_due": "2027-05-01",
        },
    )
    assert answer.status_code == 302, answer.content.decode()[:3000]
    page = client.get(f"/operations/{pk}/").content.decode()
    assert "Share lessons" in page
    assert "Weapons" in page
    assert "Operation Review" in client.get("/operations/evaluation/").content.decode()
