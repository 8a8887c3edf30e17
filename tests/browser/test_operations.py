"""A joint operation in a real browser: planned on the form, a conflict with another
agency's operation shown to both sides, acknowledged, legal review signed off, approved,
started, logged, closed, and its after-action review written."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from liaison.agreements import demo as agreements_demo
from liaison.agreements.models import Activity
from liaison.directory import demo as directory_demo
from liaison.directory.models import Agency
from liaison.operations import services
from liaison.operations.models import Operation
from liaison.operations.plans import PLAN_FORMAT, validate_plan

pytestmark = pytest.mark.browser

PLACE = (44.9537, -93.0900)  # St. Paul, Ramsey County


def _as(page: Any, login: Any, user: Any) -> None:
    page.context.clear_cookies()
    login(page, user.username)


def _clean(page: Any, axe_violations: Any) -> None:
    violations = axe_violations(page)
    assert violations == [], violations


@pytest.fixture
def scene(transactional_db: None, make_user: Any) -> dict[str, Any]:
    directory_demo.load(state="MN", scale=1, rng=random.Random(2026))
    agreements_demo.load(state="MN", scale=1, rng=random.Random(2026))
    users = {
        "coordinator": make_user("coordinator", "BCA", first_name="Dana", last_name="Lind"),
        "counsel": make_user("legal_counsel", "BCA", first_name="Lauren", last_name="Berg"),
        "supervisor": make_user("supervisor", "BCA", first_name="Teresa", last_name="Hal"),
        "officer": make_user("officer", "BCA", first_name="Marcus", last_name="Olsen"),
        "other": make_user("coordinator", "MPD", first_name="Isaac", last_name="Warsame"),
    }
    start = timezone.localtime() + timedelta(days=3)
    start = start.replace(hour=9, minute=0, second=0, microsecond=0)
    mpd = Agency.objects.get(abbreviation="MPD")
    theirs = services.operation_create(
        actor=users["other"],
        plan=validate_plan(
            {
                "format": PLAN_FORMAT,
                "name": "MPD warrant sweep",
                "lead_agency": mpd.pk,
                "window": {
                    "start": (start + timedelta(hours=1)).isoformat(),
                    "end": (start + timedelta(hours=5)).isoformat(),
                },
                "locations": [{"lat": PLACE[0], "lon": PLACE[1], "radius_m": 200}],
            }
        ),
        details=services.OperationDetails(
            contact_phone="612-555-0199", activities=[Activity.objects.get(code="warrant_service")]
        ),
    )
    services.operation_submit(actor=users["other"], operation=theirs)
    return {"users": users, "start": start, "theirs": theirs}


def test_an_operation_from_plan_to_after_action_review(
    page: Any, scene: dict[str, Any], login: Any, axe_violations: Any
) -> None:
    users, start = scene["users"], scene["start"]
    _as(page, login, users["coordinator"])

    # Plan it on the form; the coordinates are typed (the map fills them on a click too).
    page.goto("/operations/new/")
    expect(page.get_by_role("img", name="Choose a place")).to_be_visible()
    _clean(page, axe_violations)
    page.locator("#id_name").fill("Operation Granite")
    page.get_by_label("Lead agency").select_option(label="Bureau of Criminal Apprehension")
    page.get_by_label("Starts").fill(start.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Ends").fill((start + timedelta(hours=4)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_text("Joint criminal investigation", exact=True).click()
    page.locator("#id_lat").fill(str(PLACE[0]))
    page.locator("#id_lon").fill(str(PLACE[1]))
    page.locator("#id_radius_m").fill("300")
    page.get_by_role("button", name="Save the plan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Operation Granite")
    ours = Operation.objects.get(name="Operation Granite")

    # The conflict, as our side sees it: whom to call and why, nothing else.
    conflicts = page.get_by_test_id("conflicts")
    expect(conflicts).to_contain_text("Place and time")
    expect(conflicts).to_contain_text("Isaac Warsame")
    expect(conflicts).not_to_contain_text("MPD warrant sweep")
    _clean(page, axe_violations)

    # And as theirs does.
    _as(page, login, users["other"])
    page.goto(f"/operations/{scene['theirs'].pk}/")
    expect(page.get_by_test_id("conflicts")).to_contain_text("Dana Lind")
    expect(page.get_by_test_id("conflicts")).not_to_contain_text("Operation Granite")
    page.get_by_role("button", name="Acknowledge (we called)").click()
    expect(page.get_by_test_id("conflicts")).to_contain_text("Acknowledged")
    assert page.goto(f"/operations/{ours.pk}/").status == 404  # their side sees none of ours

    # Our side acknowledges, adds the participants and submits.
    _as(page, login, users["coordinator"])
    page.goto(f"/operations/{ours.pk}/")
    page.get_by_role("button", name="Acknowledge (we called)").click()
    page.get_by_role("link", name="Add a participant").click()
    page.get_by_label("Agency").select_option(label="Bureau of Criminal Apprehension")
    page.get_by_label("Role").fill("Entry team")
    page.get_by_role("button", name="Add").click()
    page.get_by_role("button", name="Submit for legal review").click()
    expect(page.get_by_test_id("checklist-summary")).to_have_text("nothing blocks approval")

    # Counsel reviews and signs off; the St. Paul item is theirs to answer.
    _as(page, login, users["counsel"])
    page.goto(f"/operations/{ours.pk}/")
    page.get_by_role("button", name="Start the legal review").click()
    expect(page.get_by_test_id("checklist")).to_contain_text("Ordinance: St. Paul")
    _clean(page, axe_violations)
    page.get_by_role("link", name="Sign off the legal review").click()
    page.get_by_label("Counsel's reasons").fill("Covered by the MOU; no city property is used.")
    page.get_by_role("button", name="Sign off").click()
    expect(page.get_by_test_id("timeline")).to_contain_text("Counsel signed off")

    # The supervisor approves; the coordinator starts it; an officer logs; it closes.
    _as(page, login, users["supervisor"])
    page.goto(f"/operations/{ours.pk}/")
    page.get_by_role("link", name="Approve").click()
    page.get_by_role("button", name="Approve").click()
    expect(page.get_by_text("Approved", exact=True).first).to_be_visible()
    _as(page, login, users["coordinator"])
    page.goto(f"/operations/{ours.pk}/")
    page.get_by_role("button", name="Start the operation").click()
    _as(page, login, users["officer"])
    page.goto(f"/operations/{ours.pk}/")
    page.get_by_role("link", name="Write in the log").click()
    page.get_by_label("What happened").fill("Entry made, scene secure.")
    page.get_by_role("button", name="Log it").click()
    expect(page.get_by_test_id("timeline")).to_contain_text("Entry made, scene secure.")
    _as(page, login, users["coordinator"])
    page.goto(f"/operations/{ours.pk}/")
    page.get_by_role("link", name="Close the operation").click()
    page.get_by_role("button", name="Close").click()

    # The after-action review.
    page.get_by_role("link", name="Write the after-action review").click()
    page.get_by_text("Partly met", exact=True).click()
    page.get_by_label("Arrests", exact=True).fill("2")
    page.get_by_label("Charge category of the arrests").fill("Narcotics")
    page.get_by_label("Complaints received", exact=True).fill("1")
    page.get_by_label("What went well").fill("The joint briefing.")
    page.get_by_label("Follow-up 1", exact=True).fill("Share the radio plan")
    page.get_by_label("Follow-up 1: owner").select_option(index=1)
    page.get_by_label("Follow-up 1: due").fill((start + timedelta(days=14)).date().isoformat())
    _clean(page, axe_violations)
    page.get_by_role("button", name="Record the review").click()
    expect(page.get_by_role("heading", name="After-action review")).to_be_visible()
    expect(page.get_by_text("Share the radio plan")).to_be_visible()
    ours.refresh_from_db()
    assert ours.status == Operation.Status.CLOSED
    assert ours.after_action_review.outcomes.get(kind="arrest").count == 2

    page.goto("/operations/map/")
    expect(
        page.get_by_role("img", name="Operations and conflicts on county outlines")
    ).to_be_visible()
    _clean(page, axe_violations)
    page.goto("/operations/evaluation/")
    expect(page.get_by_role("table")).to_contain_text("Operation Granite")
    _clean(page, axe_violations)
