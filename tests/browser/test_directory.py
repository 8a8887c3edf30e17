"""The directory in a real browser: two roles, a form corrected after an error, axe checks."""

from __future__ import annotations

import random
from typing import Any

import pytest
from playwright.sync_api import expect

from liaison.directory import demo
from liaison.directory.models import Person

pytestmark = pytest.mark.browser


@pytest.fixture
def mn_directory(transactional_db: None) -> None:
    demo.load(state="MN", scale=1, rng=random.Random(2026))


def _no_serious_violations(page: Any, axe_violations: Any) -> None:
    violations = axe_violations(page)
    assert violations == [], violations


def test_a_coordinator_adds_a_person_after_correcting_the_form(
    page: Any, mn_directory: None, make_user: Any, login: Any, axe_violations: Any
) -> None:
    user = make_user("coordinator", "DPS", first_name="Dana", last_name="Lindqvist")
    login(page, user.username)
    page.get_by_role("navigation", name="Primary navigation").get_by_role(
        "link", name="Directory"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Directory")
    _no_serious_violations(page, axe_violations)

    page.get_by_role("navigation", name="Directory sections").get_by_role(
        "link", name="Personnel"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Personnel")
    _no_serious_violations(page, axe_violations)

    # Search as you type: the results update without submitting the form.
    count = page.get_by_test_id("result-count")
    before = count.inner_text()
    page.get_by_label("Search").press_sequentially("HSI-SPM")
    expect(count).not_to_have_text(before)
    expect(page.locator('tbody td[data-label="Agency"]').first).to_have_text("HSI-SPM")

    page.get_by_role("link", name="New person").click()
    page.get_by_label("Agency").select_option(label="Bureau of Criminal Apprehension")
    page.get_by_label("Given name").fill("Astrid")
    page.get_by_label("Active from").fill("2025-03-03")
    page.get_by_label("Active until").fill("2025-01-01")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_test_id("form-errors")).to_be_visible()
    expect(page.locator("#family_name-error")).to_contain_text("required")
    expect(page.locator("#active_until-error")).to_contain_text("on or after the first day")
    expect(page.get_by_label("Family name")).to_have_attribute("aria-invalid", "true")
    _no_serious_violations(page, axe_violations)
    assert not Person.objects.filter(given_name="Astrid").exists()

    page.get_by_label("Family name").fill("Solberg")
    page.get_by_label("Active until").fill("")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Astrid Solberg")
    expect(page.get_by_test_id("history")).to_contain_text("person.create")
    _no_serious_violations(page, axe_violations)
    assert Person.objects.get(given_name="Astrid").agency.abbreviation == "BCA"


def test_a_federal_partner_sees_only_their_own_office(
    page: Any, mn_directory: None, make_user: Any, login: Any, axe_violations: Any
) -> None:
    user = make_user("partner", "HSI-SPM", first_name="Pat", last_name="Delgado")
    login(page, user.username)
    page.goto("/directory/personnel/")
    rows = page.locator("tbody tr")
    expect(rows.first).to_be_visible()
    agencies = set(page.locator('tbody td[data-label="Agency"]').all_inner_texts())
    assert agencies == {"HSI-SPM"}
    expect(page.get_by_role("link", name="New person")).to_have_count(0)
    _no_serious_violations(page, axe_violations)

    page.goto("/directory/task-forces/")
    expect(
        page.get_by_role("link", name="HSI St. Paul Transnational Crime Task Force")
    ).to_be_visible()
    # HSI is a member of the BCA-led trafficking task force, not of CBP's border one.
    expect(
        page.get_by_role("link", name="Twin Cities Human Trafficking Task Force")
    ).to_be_visible()
    expect(page.get_by_role("link", name="Minnesota Northern Border Task Force")).to_have_count(0)

    outsider = Person.objects.filter(agency__abbreviation="BCA").first()
    assert outsider is not None
    response = page.goto(f"/directory/personnel/{outsider.pk}/")
    assert response is not None
    assert response.status == 404
