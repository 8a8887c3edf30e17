"""Free text beside the ledger: a reason is committed by a salted hash, kept apart, and a
privacy officer can redact it while `liaison ledger verify` still proves the log."""

from __future__ import annotations

import hashlib
import os
from datetime import UTC, datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client

from liaison.accounts.tests.factories import make_user
from liaison.core.errors import PermissionDenied, ServiceError
from liaison.core.roles import Role
from liaison.ledger import merkle
from liaison.ledger.models import Entry, EntryText, RedactionAuthority
from liaison.ledger.services import (
    access_record_list,
    checkpoint_issue,
    entry_leaf_data,
    entry_text_redact,
    leaf_data,
    ledger_append,
)
from liaison.ledger.tests.tampering import tamper

pytestmark = pytest.mark.django_db

SECRET = "Nils Thao (DOB 1980-02-03, badge MSP-000004) asked for the suspension"


def verify() -> str:
    out = StringIO()
    call_command("ledger", "verify", stdout=out)
    return out.getvalue()


def verify_fails() -> str:
    with pytest.raises(CommandError) as failure:
        verify()
    return str(failure.value)


@pytest.fixture
def privacy_officer():
    return make_user(Role.PRIVACY_OFFICER)


@pytest.fixture
def suspended():
    """An entry whose reason holds personal data, between others, with a checkpoint after."""
    ledger_append(actor=None, action="test.before", object_type="tests.thing", object_id=1)
    entry = ledger_append(
        actor=None,
        action="agreement.suspend",
        object_type="agreements.agreement",
        object_id=1,
        reason=SECRET,
    )
    ledger_append(actor=None, action="test.after", object_type="tests.thing", object_id=2)
    checkpoint_issue()
    return entry


def test_the_leaf_commits_to_a_salted_hash_of_the_reason_not_the_text(suspended):
    row = Entry.objects.get(seq=suspended.seq)
    data = entry_leaf_data(row)
    assert SECRET.encode() not in data
    assert row.reason == ""
    assert row.leaf_version == 2
    assert b'"v":2' in data
    kept = EntryText.objects.get(entry_id=row.seq)
    assert kept.text == SECRET
    assert len(bytes.fromhex(kept.salt)) == 16
    expected = hashlib.sha256(bytes.fromhex(kept.salt) + SECRET.encode()).hexdigest()
    assert row.reason_hash == expected
    assert f'"reason_hash":"{expected}"'.encode() in data
    assert bytes(row.leaf_hash) == merkle.leaf_hash(data)


def test_every_reason_has_its_own_salt():
    a = ledger_append(actor=None, action="t.a", object_type="tests.thing", reason="same")
    b = ledger_append(actor=None, action="t.a", object_type="tests.thing", reason="same")
    assert a.reason_hash != b.reason_hash


def test_a_privacy_officer_redacts_a_reason_and_the_ledger_still_verifies(
    suspended, privacy_officer
):
    kept = entry_text_redact(
        actor=privacy_officer, seq=suspended.seq, authority=RedactionAuthority.NOT_PUBLIC_DATA
    )
    kept.refresh_from_db()
    assert (kept.text, kept.salt) == ("", "")
    assert kept.redacted_by_id == privacy_officer.pk
    redaction = Entry.objects.get(seq=kept.redaction_seq)
    assert (redaction.action, redaction.object_type, redaction.object_id) == (
        "ledger.text.redact",
        "ledger.entry",
        str(suspended.seq),
    )
    assert redaction.actor_id == privacy_officer.pk
    assert redaction.reason_hash == ""  # the redaction gives a code, not free text again
    assert SECRET not in str(list(Entry.objects.values_list()))
    assert SECRET not in str(list(EntryText.objects.values_list()))
    row = Entry.objects.select_related("text").get(seq=suspended.seq)
    assert row.reason_text == "(redacted)"
    assert row.reason_redacted
    checkpoint_issue()
    assert verify().startswith("ledger verified: 4 entries, 2 checkpoints")


def test_only_a_privacy_officer_may_redact_and_only_once(suspended, privacy_officer):
    for role in (Role.OVERSIGHT, Role.ADMIN, Role.COORDINATOR):
        with pytest.raises(PermissionDenied):
            entry_text_redact(actor=make_user(role), seq=suspended.seq, authority="not_public_data")
    with pytest.raises(ServiceError) as bad:
        entry_text_redact(actor=privacy_officer, seq=suspended.seq, authority="because I said")
    assert bad.value.code == "bad_authority"
    entry_text_redact(actor=privacy_officer, seq=suspended.seq, authority="court_order")
    with pytest.raises(ServiceError) as twice:
        entry_text_redact(actor=privacy_officer, seq=suspended.seq, authority="court_order")
    assert twice.value.code == "already_redacted"
    assert EntryText.objects.get(entry_id=suspended.seq).redaction_authority == "court_order"


def test_a_changed_reason_is_named(suspended):
    tamper(f"UPDATE ledger_entrytext SET text = 'nothing to see' WHERE entry_id = {suspended.seq}")  # noqa: S608
    assert (
        f"entry {suspended.seq}: its reason does not match the hash in its leaf" in verify_fails()
    )


def test_a_reason_removed_without_a_redaction_is_named(suspended):
    tamper(f"DELETE FROM ledger_entrytext WHERE entry_id = {suspended.seq}")  # noqa: S608
    assert f"entry {suspended.seq}: its reason is gone" in verify_fails()


def test_a_forged_redaction_is_named(suspended):
    """Emptying the text and pointing at some other entry is not a redaction."""
    tamper(
        "UPDATE ledger_entrytext SET text = '', salt = '', redaction_seq = 0, "  # noqa: S608
        f"redaction_authority = 'court_order' WHERE entry_id = {suspended.seq}"
    )
    assert "entry 0 does not record that redaction" in verify_fails()


def test_a_reason_put_back_in_clear_is_named(suspended):
    tamper(f"UPDATE ledger_entry SET reason = 'x' WHERE seq = {suspended.seq}")  # noqa: S608
    assert "holds a reason in clear that its leaf does not cover" in verify_fails()


def test_entries_written_before_version_2_still_verify_under_their_checkpoints():
    """A log begun with version-1 leaves (reason in clear) keeps verifying after new entries."""
    at = datetime(2026, 11, 1, tzinfo=UTC)
    salt = os.urandom(16).hex()
    fields = {
        "recorded_at": at,
        "kind": "action",
        "actor_id": None,
        "agency_id": None,
        "action": "agreement.suspend",
        "object_type": "agreements.agreement",
        "object_id": "1",
        "reason": "an old reason",
        "change_hash": "00" * 32,
        "salt": salt,
    }
    leaf = merkle.leaf_hash(leaf_data(**fields))  # type: ignore[arg-type]
    with connection.cursor() as cursor:
        cursor.execute("UPDATE ledger_head SET size = 1 WHERE id = 1")
    Entry.objects.bulk_create([Entry(seq=0, leaf_hash=leaf, **fields)])  # type: ignore[misc]
    checkpoint_issue()
    ledger_append(actor=None, action="t.new", object_type="tests.thing", reason="new")
    checkpoint_issue()
    old = Entry.objects.select_related("text").get(seq=0)
    assert old.leaf_version == 1
    assert old.reason_text == "an old reason"
    assert verify().startswith("ledger verified: 2 entries, 2 checkpoints")


def test_a_list_read_is_one_entry_naming_its_records_and_verify_checks_them():
    entry = access_record_list(
        actor=None, object_type="directory.person", object_ids=[3, 1, 2], action="person.list"
    )
    assert entry is not None
    assert entry.kind == "access"
    assert list(entry.records.order_by("id").values_list("object_id", flat=True)) == [
        "3",
        "1",
        "2",
    ]
    assert verify().startswith("ledger verified: 1 entries")
    tamper(f"DELETE FROM ledger_entryrecord WHERE entry_id = {entry.seq} AND object_id = '1'")  # noqa: S608
    assert f"entry {entry.seq}: the records it lists do not match its change hash" in (
        verify_fails()
    )


def test_the_redaction_page_asks_for_a_confirmation(suspended, privacy_officer):
    client = Client()
    client.force_login(privacy_officer)
    page = client.get(f"/ledger/texts/{suspended.seq}/redact")
    assert page.status_code == 200
    assert SECRET in page.content.decode()
    refused = client.post(f"/ledger/texts/{suspended.seq}/redact", {"authority": "court_order"})
    assert refused.status_code == 200  # not confirmed: the form says so
    assert EntryText.objects.get(entry_id=suspended.seq).text == SECRET
    done = client.post(
        f"/ledger/texts/{suspended.seq}/redact",
        {"authority": "court_order", "confirm": "on"},
    )
    assert done.status_code == 302
    assert EntryText.objects.get(entry_id=suspended.seq).text == ""
    listing = client.get("/ledger/texts/")
    assert SECRET not in listing.content.decode()


def test_the_redaction_pages_are_for_the_privacy_officer_only(suspended):
    client = Client()
    client.force_login(make_user(Role.OVERSIGHT))
    assert client.get(f"/ledger/texts/{suspended.seq}/redact").status_code == 404
    assert client.get("/ledger/texts/").status_code == 404


def test_the_api_shows_the_kept_reason_and_then_that_it_was_redacted(suspended, privacy_officer):
    from liaison.accounts.services import token_create

    auditor = make_user(Role.OVERSIGHT)
    _, secret = token_create(actor=auditor, user=auditor, name="audit")
    client = Client(headers={"Authorization": f"Bearer {secret}"})
    before = client.get(f"/api/v1/ledger/entries/{suspended.seq}").json()
    assert (before["reason"], before["reason_redacted"], before["leaf_version"]) == (
        SECRET,
        False,
        2,
    )
    entry_text_redact(actor=privacy_officer, seq=suspended.seq, authority="court_order")
    after = client.get(f"/api/v1/ledger/entries/{suspended.seq}").json()
    assert (after["reason"], after["reason_redacted"]) == ("(redacted)", True)
    assert after["reason_hash"] == before["reason_hash"]
    listed = client.get("/api/v1/ledger/entries?action=agreement.").json()["items"]
    assert SECRET not in str(listed)


def test_the_proof_download_carries_the_text_and_salt_that_prove_the_reason(
    suspended, oversight_client
):
    import json

    body = json.loads(oversight_client.get(f"/ledger/entries/{suspended.seq}/proof.json").content)
    kept = body["reason_text"]
    assert kept["text"] == SECRET
    digest = hashlib.sha256(bytes.fromhex(kept["salt"]) + kept["text"].encode()).hexdigest()
    assert json.loads(body["leaf_data"])["reason_hash"] == digest
