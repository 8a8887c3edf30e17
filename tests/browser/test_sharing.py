"""Sharing end to end in a real browser: a partner files a request on a phone, sees that
it needs review; the custodian's privacy officer narrows it; the partner sees the
decision and its reasons; the disclosure is recorded with the subject's identifier, and
it appears on that subject's data-subject report."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from liaison.sharing.models import DataSubjectRequest, Disclosure, SharingRequest

pytestmark = pytest.mark.browser


def _clean(page: Any, axe_violations: Any) -> None:
    violations = axe_violations(page)
    assert violations == [], violations


def test_a_partners_request_is_narrowed_disclosed_and_on_the_subjects_report(
    phone_page: Any, page: Any, make_user: Any, login: Any, axe_violations: Any
) -> None:
    partner = make_user("partner", "HSI", first_name="Dana", last_name="Reyes")
    officer = make_user("privacy_officer", "BCA", first_name="Lena", last_name="Olson")

    # The partner files on a phone: immigration-status data of DVS under a court order.
    login(phone_page, partner.username)
    phone_page.goto("/sharing/new/")
    _clean(phone_page, axe_violations)
    phone_page.get_by_label("Agency holding the data or the person").select_option(
        label="BCA Test Agency"
    )
    phone_page.get_by_label("Purpose").select_option(value="civil_immigration_enforcement")
    phone_page.get_by_label("Legal instrument you hold").select_option(value="court_order")
    phone_page.locator("#id_items-0-what").select_option(
        value="category:citizenship_immigration_status"
    )
    phone_page.locator("#id_items-0-classification").select_option(value="private")
    phone_page.locator("#id_items-0-source").select_option(value="driver_vehicle_services")
    assert phone_page.evaluate("() => document.documentElement.scrollWidth") <= 390
    phone_page.get_by_role("button", name="File the request").click()
    expect(phone_page.get_by_test_id("item-0")).to_contain_text("Needs review")
    _clean(phone_page, axe_violations)
    request = SharingRequest.objects.get()
    assert request.status == SharingRequest.Status.AWAITING_REVIEW

    # The privacy officer narrows it to the status field alone.
    login(page, officer.username)
    page.goto(f"/sharing/requests/{request.pk}/review/")
    _clean(page, axe_violations)
    page.get_by_label("Narrow (fewer items or fields)").dispatch_event("click")
    boxes = page.locator('input[name="keep_0"]')
    for n in range(boxes.count()):
        box = boxes.nth(n)
        if box.get_attribute("value") != "immigration_status":
            box.dispatch_event("click")
            expect(box).not_to_be_checked()
    page.get_by_label("Reason").fill("Status only; the licence record stays with DVS.")
    page.get_by_role("button", name="Record the review").click()
    expect(page.get_by_test_id("status")).to_contain_text("Decided")

    # The partner sees the decision and the reasons.
    phone_page.goto(f"/sharing/requests/{request.pk}/")
    expect(phone_page.get_by_test_id("item-0")).to_contain_text("171.12")
    expect(phone_page.locator("main")).to_contain_text(
        "Status only; the licence record stays with DVS."
    )
    _clean(phone_page, axe_violations)

    # The disclosure is recorded, with the subject's identifier.
    page.goto(f"/sharing/requests/{request.pk}/disclose/")
    page.locator('input[name="package"]').set_input_files(
        files=[{"name": "package.json", "mimeType": "application/json", "buffer": b'{"s":1}'}]
    )
    page.get_by_label("Received by (name)").fill("Special Agent Reyes")
    page.get_by_label("Subjects (one per line, kind: value)").fill(
        "person: LÓPEZ, María 01/31/1990"
    )
    _clean(page, axe_violations)
    page.get_by_role("button", name="Record the disclosure").click()
    expect(page.locator("h1")).to_contain_text("Disclosure")
    disclosure = Disclosure.objects.get()

    # The subject asks; the report lists the disclosure, matched on another spelling.
    page.goto("/sharing/subjects/new/")
    page.get_by_label("Agency asked").select_option(label="BCA Test Agency")
    page.get_by_label("Received on").fill(timezone.localdate().isoformat())
    page.get_by_label("How the requester proved their identity").select_option(
        value="photo_id_in_person"
    )
    page.get_by_label("Name and date of birth").fill("Maria Lopez, 1990-01-31")
    _clean(page, axe_violations)
    page.get_by_role("button", name="Record the request").click()
    report = page.get_by_test_id("report-line")
    expect(report).to_have_count(1)
    expect(report).to_contain_text(request.reference)
    expect(report).to_contain_text("immigration status")
    expect(report).to_contain_text("Civil immigration enforcement")
    expect(report).to_contain_text("HSI Test Agency — Special Agent Reyes")
    _clean(page, axe_violations)
    subject_request = DataSubjectRequest.objects.get()
    assert subject_request.due_on is not None
    page.goto(f"/sharing/subjects/{subject_request.pk}/report/")
    expect(page.get_by_test_id("report-line")).to_contain_text(
        disclosure.disclosed_on.strftime("%b")
    )
    _clean(page, axe_violations)

    # The partner never sees that the subject asked.
    answer = phone_page.goto(f"/sharing/subjects/{subject_request.pk}/")
    assert answer is not None
    assert answer.status == 404
