"""An agreement from draft to active in the browser, and onto the expiring list."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _taxonomy() -> None:
    # Browser tests run on a flushed database: put back the seeded codes this test uses.
    from liaison.agreements.models import Activity

    Activity.objects.get_or_create(
        code="joint_investigation", defaults={"name": "Joint criminal investigation"}
    )


def _sign_out(page: Any) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name="Sign out").click()


def _no_violations(axe_violations: Any, page: Any) -> None:
    violations = axe_violations(page)
    assert violations == [], violations


def test_a_coordinator_drafts_counsel_approves_and_the_active_agreement_shows_as_expiring(
    page: Any, make_user: Any, login: Any, axe_violations: Any
) -> None:
    _taxonomy()
    coordinator = make_user("coordinator", "BCA", first_name="Ana", last_name="Lindqvist")
    counsel = make_user("legal_counsel", "BCA", first_name="Rae", last_name="Counsel")
    make_user("partner", "HSI")
    today = timezone.localdate()
    title = "BCA–HSI joint investigations MOU"

    login(page, coordinator.username)
    page.get_by_role("navigation", name="Primary navigation").get_by_role(
        "link", name="Agreements"
    ).click()
    _no_violations(axe_violations, page)
    page.get_by_role("link", name="New agreement").click()
    _no_violations(axe_violations, page)
    page.get_by_label("Title").fill(title)
    page.get_by_label("Type").select_option("task_force_mou")
    page.get_by_label("Effective date").fill((today - timedelta(days=10)).isoformat())
    page.get_by_label("Last day in force").fill((today + timedelta(days=40)).isoformat())
    page.get_by_label("Party 1", exact=True).select_option(label="BCA Test Agency")
    page.get_by_label("Party 1 role").select_option("state_party")
    page.get_by_label("Party 2", exact=True).select_option(label="HSI Test Agency")
    page.get_by_label("Party 2 role").select_option("federal_party")
    # USWDS draws its own checkbox; the input itself is off screen, so click the label.
    page.locator("label", has_text="Joint criminal investigation").click()
    expect(page.get_by_label("Joint criminal investigation")).to_be_checked()
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.get_by_test_id("status")).to_have_text("Draft")
    _no_violations(axe_violations, page)
    detail_url = page.url
    page.get_by_role("button", name="Send to legal review").click()
    expect(page.get_by_test_id("status")).to_have_text("In legal review")
    _sign_out(page)

    login(page, counsel.username)
    page.goto(detail_url)
    page.get_by_role("link", name="Review").click()
    _no_violations(axe_violations, page)
    page.locator("label", has_text="Approve the text").click()
    page.get_by_role("button", name="Record review").click()
    expect(page.get_by_text("Review recorded.")).to_be_visible()
    _sign_out(page)

    login(page, coordinator.username)
    page.goto(detail_url)
    for agency in ("BCA Test Agency", "HSI Test Agency"):
        if agency == "HSI Test Agency":
            # Another party's signature is recorded on its behalf with the signed copy.
            page.get_by_role("link", name="Attach a document").click()
            page.get_by_label("Title").fill("Signed MOU")
            page.locator("input[name=file]").set_input_files(
                {"name": "signed-hsi.pdf", "mimeType": "application/pdf", "buffer": PDF}
            )
            page.get_by_role("button", name="Upload").click()
            expect(page.get_by_text("Document uploaded.")).to_be_visible()
        page.get_by_role("link", name="Record a signature").click()
        page.get_by_label("Signed for").select_option(label=agency)
        page.get_by_label("Signatory's name").fill("Authorized Official")
        page.get_by_label("Signatory's title").fill("Director")
        page.get_by_label("Date signed").fill((today - timedelta(days=12)).isoformat())
        if agency == "HSI Test Agency":
            page.get_by_label("Signed document").select_option(index=1)
        page.get_by_role("button", name="Record signature").click()
    expect(page.get_by_test_id("status")).to_have_text("Signed")
    page.get_by_role("button", name="Activate").click()
    expect(page.get_by_test_id("status")).to_have_text("Active")
    expect(page.get_by_test_id("history")).to_contain_text("agreement.activate")
    _no_violations(axe_violations, page)

    page.get_by_role("navigation", name="Primary navigation").get_by_role(
        "link", name="Agreements"
    ).click()
    page.get_by_role("navigation", name="Agreement sections").get_by_role(
        "link", name="Ending within 90 days"
    ).click()
    expect(page.get_by_role("link", name=title)).to_be_visible()
    _no_violations(axe_violations, page)
    page.goto("/agreements/?expiring_within=30")
    expect(page.get_by_role("link", name=title)).to_have_count(0)
