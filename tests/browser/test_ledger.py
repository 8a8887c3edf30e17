"""The ledger pages in a real browser: public checkpoint pages and the staff browser."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect


@pytest.fixture
def ledger(transactional_db: None, settings: Any, tmp_path: Path) -> None:
    from liaison.ledger.services import checkpoint_issue, ledger_append

    settings.LIAISON_LEDGER_SIGNER_KEY = None
    settings.LIAISON_LEDGER_SIGNER_KEY_PATH = tmp_path / "ledger-signer.key"
    for i in range(5):
        ledger_append(actor=None, action="agreement.activate", object_type="x.y", object_id=i)
    checkpoint_issue()


def test_anyone_reads_the_latest_checkpoint_and_how_to_verify_it(
    page: Any, ledger: None, axe_violations: Any
) -> None:
    page.goto("/ledger/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Public ledger")
    expect(page.get_by_test_id("checkpoint")).to_contain_text("\n5\n")
    expect(page.get_by_test_id("verifier-key")).to_contain_text("+")
    assert axe_violations(page) == []


def test_anyone_gets_a_consistency_proof_on_a_phone(
    phone_page: Any, ledger: None, axe_violations: Any
) -> None:
    phone_page.goto("/ledger/proofs/")
    phone_page.get_by_label("Older tree size").fill("2")
    phone_page.get_by_label("Newer tree size").fill("5")
    phone_page.get_by_role("button", name="Get the consistency proof").click()
    expect(phone_page.get_by_test_id("consistency")).to_be_visible()
    assert axe_violations(phone_page) == []


def test_oversight_browses_entries_and_opens_one(
    page: Any, ledger: None, make_user: Any, login: Any, axe_violations: Any
) -> None:
    user = make_user("oversight", "OLA")
    login(page, user.username)
    page.goto("/ledger/entries/")
    expect(page.get_by_test_id("result-count")).to_contain_text("entries")
    assert axe_violations(page) == []
    page.get_by_role("link", name="#3").click()
    expect(page.get_by_test_id("proof-status")).to_contain_text("The proof checks")
    assert axe_violations(page) == []


def test_the_privacy_officer_finds_who_read_a_person_and_redacts_a_reason(
    page: Any, ledger: None, make_user: Any, login: Any, axe_violations: Any
) -> None:
    from liaison.ledger.models import EntryText
    from liaison.ledger.services import access_record

    partner = make_user("partner", "HSI")
    read = access_record(
        actor=partner,
        object_type="directory.person",
        object_id=7,
        action="person.read",
        reason="Asked by Nils Thao, DOB 1980-02-03",
    )
    officer = make_user("privacy_officer", "DPS")
    login(page, officer.username)
    page.get_by_role("link", name="Access log").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Access log")
    page.get_by_label("Person").fill("7")
    page.get_by_role("button", name="Apply").click()
    expect(page.get_by_test_id("result-count")).to_have_text("1 read.")
    expect(page.get_by_test_id("access-log")).to_contain_text(partner.username)
    assert axe_violations(page) == []

    page.get_by_role("link", name="free text").click()
    page.get_by_role("link", name=f"Redact the text of entry {read.seq}").click()
    expect(page.get_by_test_id("kept-text")).to_contain_text("Nils Thao")
    assert axe_violations(page) == []
    page.get_by_label("Authority for the redaction").select_option("not_public_data")
    page.get_by_role("button", name="Redact the text").click()  # not confirmed: stays
    expect(page.get_by_role("heading", level=1)).to_contain_text("Redact the text")
    assert EntryText.objects.get(entry_id=read.seq).text != ""
    page.get_by_text("I confirm").click()
    page.get_by_role("button", name="Redact the text").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Free text beside the ledger")
    assert EntryText.objects.get(entry_id=read.seq).text == ""
    assert axe_violations(page) == []


def test_the_access_log_works_at_phone_width(
    phone_page: Any, ledger: None, make_user: Any, login: Any, axe_violations: Any
) -> None:
    login(phone_page, make_user("oversight", "OLA").username)
    phone_page.goto("/ledger/access/")
    expect(phone_page.get_by_test_id("result-count")).to_be_visible()
    width = phone_page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 390
    assert axe_violations(phone_page) == []
