"""The staff entry page recomputes the leaf from the row, checks the inclusion proof and
the root against the signed checkpoint, says which it checked, and says when one fails."""

from __future__ import annotations

import pytest
from django.db import connection

from liaison.ledger import merkle
from liaison.ledger.models import Entry
from liaison.ledger.services import checkpoint_issue, entry_leaf_data, ledger_integrate
from liaison.ledger.tests.tampering import tamper

pytestmark = pytest.mark.django_db


def checks(page) -> dict[str, bool | None]:
    return {c.name: c.ok for c in page.context["report"].checks}


def test_an_honest_entry_names_each_check_it_passed(oversight_client, append):
    append(6, reason="routine")
    checkpoint_issue()
    page = oversight_client.get("/ledger/entries/4/")
    assert checks(page) == {"leaf": True, "text": True, "inclusion": True, "checkpoint": True}
    html = page.content.decode()
    assert "The proof checks: the leaf hash recomputed from this entry" in html
    assert "signed by the latest checkpoint (size 6); its signature verifies" in html


def test_a_changed_row_is_shown_as_failing_the_leaf_check(oversight_client, append):
    append(6)
    checkpoint_issue()
    tamper("UPDATE ledger_entry SET action = 'nothing.happened' WHERE seq = 4")
    page = oversight_client.get("/ledger/entries/4/")
    assert checks(page)["leaf"] is False
    assert "The proof FAILS" in page.content.decode()


def test_a_row_and_a_tree_rewritten_together_fail_against_the_signed_checkpoint(
    oversight_client, append
):
    """The old page passed this: the stored leaf matched a root built from the same table."""
    append(6)
    checkpoint_issue()
    ledger_integrate()
    entry = Entry.objects.get(seq=4)
    entry.action = "nothing.happened"
    forged = merkle.leaf_hash(entry_leaf_data(entry)).hex()
    literal = f"X'{forged}'" if connection.vendor == "sqlite" else f"'\\x{forged}'::bytea"
    tamper(
        f"UPDATE ledger_entry SET action = 'nothing.happened', leaf_hash = {literal} WHERE seq = 4",  # noqa: S608
        "DELETE FROM ledger_node",
        "UPDATE ledger_tree SET size = 0",
    )
    ledger_integrate()
    page = oversight_client.get("/ledger/entries/4/")
    assert checks(page) == {"leaf": True, "text": True, "inclusion": True, "checkpoint": False}
    html = page.content.decode()
    assert "does NOT match the root signed by the latest checkpoint" in html
    assert "The proof FAILS" in html


def test_a_forged_checkpoint_signature_fails(oversight_client, append):
    append(6)
    cp = checkpoint_issue()
    assert cp is not None
    body, _, sig = cp.note.rpartition(" ")
    bad = body + " " + ("A" if sig[0] != "A" else "B") + sig[1:]
    tamper(f"UPDATE ledger_checkpoint SET note = '{bad}' WHERE id = {cp.pk}")  # noqa: S608
    page = oversight_client.get("/ledger/entries/2/")
    assert checks(page)["checkpoint"] is False
    assert "the signature does not verify" in page.content.decode()
