"""`liaison ledger verify` holds on an honest log and names the first bad item otherwise.

The tamper tests lift the database's append-only triggers, as someone with direct
access to the database could, then change rows behind the application's back.
"""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from liaison.ledger import checkpoint as notes
from liaison.ledger import guards, merkle
from liaison.ledger.models import Checkpoint
from liaison.ledger.services import checkpoint_issue, ledger_integrate, origin
from liaison.ledger.tests.tampering import tamper

pytestmark = pytest.mark.django_db


def verify(*args: str) -> str:
    out = StringIO()
    call_command("ledger", "verify", *args, stdout=out)
    return out.getvalue()


def verify_fails(*args: str) -> str:
    with pytest.raises(CommandError) as failure:
        verify(*args)
    assert failure.value.returncode == 1
    return str(failure.value)


@pytest.fixture
def log(append):
    """20 entries, checkpoints at 8 and 15, five more entries after them."""
    append(8)
    checkpoint_issue()
    append(7)
    checkpoint_issue()
    append(5)


def test_an_honest_log_verifies_in_one_line(log):
    out = verify()
    assert out.startswith("ledger verified: 20 entries, 2 checkpoints")
    assert out.count("\n") == 1


def test_an_empty_log_verifies():
    assert verify().startswith("ledger verified: 0 entries")


def test_verify_reads_in_chunks_and_checks_stored_subtrees(log):
    ledger_integrate()
    from liaison.ledger import signing
    from liaison.ledger.verify import verify_ledger

    report = verify_ledger(verifier_key=signing.verifier_key(), chunk=3)
    assert report.entries == 20


def test_a_changed_row_is_named(log):
    tamper("UPDATE ledger_entry SET action = 'nothing.happened' WHERE seq = 11")
    assert "entry 11: its contents do not match its leaf hash" in verify_fails()


def test_verify_warns_when_the_triggers_are_gone(log):
    guards.set_armed(connection, False)
    err = StringIO()
    call_command("ledger", "verify", stdout=StringIO(), stderr=err)
    assert "append-only triggers of the ledger tables are missing" in err.getvalue()
    guards.set_armed(connection, True)


def test_a_changed_row_with_a_recomputed_leaf_hash_is_caught_by_the_stored_tree(log):
    from liaison.ledger.models import Entry
    from liaison.ledger.services import entry_leaf_data

    ledger_integrate()
    entry = Entry.objects.get(seq=5)
    entry.action = "nothing.happened"
    forged = merkle.leaf_hash(entry_leaf_data(entry)).hex()
    hex_literal = f"X'{forged}'" if connection.vendor == "sqlite" else f"'\\x{forged}'::bytea"
    tamper(
        f"UPDATE ledger_entry SET action = 'nothing.happened', leaf_hash = {hex_literal} WHERE seq = 5"  # noqa: S608
    )
    message = verify_fails()
    assert "stored subtree 1/2 (entries 4-5) does not match" in message


def test_a_deleted_row_is_named(log):
    tamper("DELETE FROM ledger_entry WHERE seq = 6")
    assert "entry 6 is missing" in verify_fails()


def test_deleted_rows_at_the_end_are_named(log):
    tamper("DELETE FROM ledger_entry WHERE seq >= 18")
    assert "entry 18 is missing" in verify_fails()


def test_rewinding_the_log_below_a_checkpoint_is_named(log):
    tamper("DELETE FROM ledger_entry WHERE seq >= 12", "UPDATE ledger_head SET size = 12")
    message = verify_fails()
    assert "(size 15)" in message
    assert "entry 12 onwards is missing" in message


def test_reordered_rows_are_named(log):
    ledger_integrate()
    tamper(
        "UPDATE ledger_entry SET seq = -1 WHERE seq = 2",
        "UPDATE ledger_entry SET seq = 2 WHERE seq = 3",
        "UPDATE ledger_entry SET seq = 3 WHERE seq = -1",
    )
    assert "stored subtree 1/1 (entries 2-3) does not match" in verify_fails()


def test_reordered_rows_are_caught_by_the_checkpoints_when_the_tree_was_rebuilt_too(log):
    tamper(
        "DELETE FROM ledger_node",
        "UPDATE ledger_tree SET size = 0",
        "UPDATE ledger_entry SET seq = -1 WHERE seq = 2",
        "UPDATE ledger_entry SET seq = 2 WHERE seq = 3",
        "UPDATE ledger_entry SET seq = 3 WHERE seq = -1",
    )
    ledger_integrate()  # a stored tree consistent with the reordered rows
    first = Checkpoint.objects.order_by("size").first()
    assert f"checkpoint #{first.pk} (size 8): its root does not match the log" in verify_fails()


def test_a_forged_checkpoint_is_named(log):
    other = notes.generate_signer_key(origin())
    ledger_integrate()
    from liaison.ledger import tree

    note = notes.sign_note(notes.format_checkpoint(origin(), 19, tree.root_at(19)), other)
    forged = Checkpoint.objects.create(
        size=19,
        root_hash=tree.root_at(19),
        issued_at="2026-01-01T00:00Z",
        key_id="00000000",
        note=note,
    )
    message = verify_fails()
    assert f"checkpoint #{forged.pk} (size 19): the signature does not verify" in message


def test_a_checkpoint_whose_stored_root_was_changed_is_named(log):
    first = Checkpoint.objects.order_by("size").first()
    tamper(f"UPDATE ledger_checkpoint SET size = 9 WHERE id = {first.pk}")  # noqa: S608
    assert f"checkpoint #{first.pk} (size 9)" in verify_fails()


def test_a_validly_signed_checkpoint_of_another_history_is_named(log, settings):
    from liaison.ledger import signing

    bogus_root = merkle.leaf_hash(b"another history")
    note = notes.sign_note(notes.format_checkpoint(origin(), 17, bogus_root), signing.signer_key())
    cp = Checkpoint.objects.create(
        size=17, root_hash=bogus_root, issued_at="2026-01-01T00:00Z", key_id="00000000", note=note
    )
    assert f"checkpoint #{cp.pk} (size 17): its root does not match the log" in verify_fails()


def test_an_outsiders_saved_checkpoint_is_checked_too(log, tmp_path: Path):
    saved = tmp_path / "checkpoint.txt"
    saved.write_text(Checkpoint.objects.order_by("-size").first().note)
    out = verify("--checkpoint", str(saved))
    assert "1 outside checkpoint(s)" in out
    tamper("DELETE FROM ledger_checkpoint", "DELETE FROM ledger_entry WHERE seq >= 10")
    tamper("UPDATE ledger_head SET size = 10")
    message = verify_fails("--checkpoint", str(saved))
    assert str(saved) in message
    assert "entry 10 onwards is missing" in message


def test_an_outsiders_checkpoint_from_another_key_is_refused(log, tmp_path: Path):
    other = notes.generate_signer_key(origin())
    saved = tmp_path / "checkpoint.txt"
    saved.write_text(notes.sign_note(notes.format_checkpoint(origin(), 3, b"\0" * 32), other))
    assert "the signature does not verify" in verify_fails("--checkpoint", str(saved))


def test_the_checkpoint_command_skips_when_the_tree_did_not_grow(log):
    out, err = StringIO(), StringIO()
    call_command("ledger", "checkpoint", stdout=out, stderr=err)
    assert out.getvalue().startswith(f"{origin()}\n20\n")
    assert Checkpoint.objects.count() == 3
    call_command("ledger", "checkpoint", stdout=out, stderr=err)
    assert "has not grown" in err.getvalue()
    assert Checkpoint.objects.count() == 3


def test_the_key_command_prints_the_verifier_key():
    call_command("ledger", "checkpoint", stdout=StringIO(), stderr=StringIO())
    out = StringIO()
    call_command("ledger", "key", stdout=out)
    assert out.getvalue().startswith(f"{origin()}+")


def test_the_key_command_makes_no_key_when_there_is_none_yet(settings):
    with pytest.raises(CommandError, match="no checkpoint signer key"):
        call_command("ledger", "key", stdout=StringIO())
    assert not settings.LIAISON_LEDGER_SIGNER_KEY_PATH.exists()
