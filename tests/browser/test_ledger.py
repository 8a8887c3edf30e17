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
