"""Each role lands on a home page with its work queues and their counts, accessible, and
with the same modules in its cards as in the navigation."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def _agreement(title: str, *, submit: bool = False, returned: bool = False) -> Any:
    from liaison.agreements import services
    from liaison.agreements.models import Activity
    from liaison.directory.models import Agency

    bca = Agency.objects.get(abbreviation="BCA")
    hsi = Agency.objects.filter(abbreviation="HSI").first() or Agency.objects.create(
        name="HSI Test Agency", abbreviation="HSI", level="federal", jurisdiction=bca.jurisdiction
    )
    today = timezone.localdate()
    agreement = services.agreement_create(
        actor=None,
        owner_agency=bca,
        fields=services.AgreementFields(
            title=title,
            kind="task_force_mou",
            effective_date=today - timedelta(days=30),
            expiry_date=today + timedelta(days=45),
            parties=[(bca, "state_party"), (hsi, "federal_party")],
            activities=[Activity.objects.get(code="joint_investigation")],
        ),
    )
    if submit or returned:
        services.agreement_submit_for_review(actor=None, agreement=agreement)
    if returned:
        services.agreement_review(
            actor=None, agreement=agreement, approve=False, notes="Cite the statute."
        )
    return agreement


def _check_home(page: Any, axe_violations: Any) -> None:
    expect(page.get_by_role("heading", name="What waits for you")).to_be_visible()
    violations = axe_violations(page)
    assert violations == [], violations
    nav = page.get_by_role("navigation", name="Primary navigation")
    nav_links = {a.get_attribute("href") for a in nav.locator("a.usa-nav-link").all()}
    cards = page.get_by_test_id("dashboard-modules").locator("a").all()
    assert nav_links - {"/", "/accounts/me/"} == {a.get_attribute("href") for a in cards}


def test_a_coordinator_sees_the_returned_draft_and_opens_it_from_the_card(
    page: Any, make_user: Any, login: Any, axe_violations: Any
) -> None:
    coordinator = make_user("coordinator", "BCA")
    _agreement("Returned MOU", returned=True)
    login(page, coordinator.username)
    _check_home(page, axe_violations)
    card = page.get_by_test_id("queue-agreements.returned")
    expect(card.get_by_test_id("queue-count")).to_have_text("1")
    ending = page.get_by_test_id("queue-agreements.ending")
    expect(ending.get_by_test_id("queue-count")).to_have_text("0")
    expect(ending).to_contain_text("None of your agreements ends in the next 90 days.")
    card.get_by_role("link").click()
    expect(page.get_by_test_id("stage")).to_have_text("Returned by counsel")
    expect(page.get_by_role("link", name="Returned MOU")).to_be_visible()


def test_counsel_sees_what_awaits_review(
    page: Any, make_user: Any, login: Any, axe_violations: Any
) -> None:
    counsel = make_user("legal_counsel", "BCA")
    _agreement("For review one", submit=True)
    _agreement("For review two", submit=True)
    _agreement("Still a draft")
    login(page, counsel.username)
    _check_home(page, axe_violations)
    card = page.get_by_test_id("queue-agreements.awaiting_review")
    expect(card.get_by_test_id("queue-count")).to_have_text("2")
    card.get_by_role("link").click()
    expect(page.get_by_test_id("result-count")).to_have_text("2 agreements.")
    expect(page.get_by_role("link", name="Still a draft")).to_have_count(0)


def test_a_supervisor_sees_the_empty_personnel_queue(
    page: Any, make_user: Any, login: Any, axe_violations: Any
) -> None:
    supervisor = make_user("supervisor", "BCA")
    login(page, supervisor.username)
    _check_home(page, axe_violations)
    card = page.get_by_test_id("queue-directory.personnel_changes")
    expect(card.get_by_test_id("queue-count")).to_have_text("0")
    expect(card).to_contain_text("No personnel change waits for your approval.")


def test_oversight_sees_the_verified_checkpoint(
    page: Any, make_user: Any, login: Any, axe_violations: Any
) -> None:
    from liaison.ledger.services import checkpoint_issue

    oversight = make_user("oversight", "BCA")
    _agreement("Recorded in the ledger")
    checkpoint_issue()
    login(page, oversight.username)
    _check_home(page, axe_violations)
    card = page.get_by_test_id("queue-ledger.checkpoint")
    expect(card.get_by_test_id("queue-status")).to_contain_text("Verified")
    card.get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"/ledger/checkpoints/$"))


_FITS = """(el) => {
  const style = getComputedStyle(el);
  const ctx = document.createElement("canvas").getContext("2d");
  ctx.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
  const text = el.options[el.selectedIndex].text;
  const room = el.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  return ctx.measureText(text).width <= room;
}"""


def test_the_coverage_pickers_show_the_chosen_value_whole(
    page: Any, make_user: Any, login: Any, axe_violations: Any
) -> None:
    from liaison.agreements.models import Activity, DataCategory, Purpose

    coordinator = make_user("coordinator", "BCA")
    login(page, coordinator.username)
    page.goto("/agreements/coverage/")
    longest = {
        "activity": max(Activity.objects.all(), key=lambda a: len(a.name)),
        "data_category": max(DataCategory.objects.all(), key=lambda c: len(c.name)),
        "purpose": max(Purpose.objects.all(), key=lambda p: len(p.name)),
    }
    for name, item in longest.items():
        picker = page.locator(f"select[name={name}]")
        picker.select_option(str(item.pk))
        assert picker.evaluate(_FITS), f"{item.name} is cut off in the {name} picker"
    violations = axe_violations(page)
    assert violations == [], violations
