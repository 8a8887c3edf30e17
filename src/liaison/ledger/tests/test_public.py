"""The public sees checkpoints, the verifier key and proofs — hashes only, no login."""

from __future__ import annotations

import base64

import pytest
from django.test import Client

from liaison.ledger import checkpoint as notes
from liaison.ledger import merkle, signing
from liaison.ledger.models import Entry
from liaison.ledger.services import checkpoint_issue, entry_leaf_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def log(append):
    append(5, reason="warrant 2026-CV-17")
    checkpoint_issue()
    append(6)
    checkpoint_issue()
    append(2)


def b(text: str) -> bytes:
    return base64.b64decode(text)


def test_the_latest_checkpoint_is_a_signed_note_anyone_can_check(client: Client, log):
    response = client.get("/api/v1/ledger/checkpoint")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    key = client.get("/api/v1/ledger/key").content.decode().strip()
    assert key == signing.verifier_key()
    checkpoint = notes.parse_checkpoint(notes.open_note(response.content.decode(), key))
    assert checkpoint.size == 11
    leaves = [entry_leaf_data(e) for e in Entry.objects.order_by("seq")[:11]]
    assert checkpoint.root_hash == merkle.root_hash(leaves)


def test_an_inclusion_proof_verifies_against_the_latest_checkpoint(client: Client, log):
    body = client.get("/api/v1/ledger/proof/inclusion?seq=3").json()
    assert body["tree_size"] == 11
    checkpoint = notes.parse_checkpoint(notes.open_note(body["checkpoint"], signing.verifier_key()))
    assert b(body["root_hash"]) == checkpoint.root_hash
    assert merkle.verify_inclusion(
        b(body["leaf_hash"]), 3, 11, [b(h) for h in body["proof"]], checkpoint.root_hash
    )
    assert "warrant" not in str(body)


def test_an_inclusion_proof_at_a_given_size(client: Client, log):
    body = client.get("/api/v1/ledger/proof/inclusion?seq=12&size=13").json()
    assert body["checkpoint"] is None
    assert merkle.verify_inclusion(
        b(body["leaf_hash"]), 12, 13, [b(h) for h in body["proof"]], b(body["root_hash"])
    )


def test_an_entry_not_yet_checkpointed_asks_for_a_size(client: Client, log):
    response = client.get("/api/v1/ledger/proof/inclusion?seq=12")
    assert response.status_code == 400
    assert response.json()["code"] == "not_checkpointed"


def test_a_size_beyond_the_log_is_refused(client: Client, log):
    response = client.get("/api/v1/ledger/proof/consistency?old_size=3&new_size=99")
    assert response.status_code == 400
    assert response.json()["fields"]["new_size"]


def test_a_consistency_proof_links_two_checkpoints(client: Client, log):
    listed = client.get("/api/v1/ledger/checkpoints").json()
    assert [c["size"] for c in listed["items"]] == [11, 5]
    old, new = listed["items"][1], listed["items"][0]
    body = client.get("/api/v1/ledger/proof/consistency?old_size=5&new_size=11").json()
    assert body["old_root"] == old["root_hash"]
    assert body["new_root"] == new["root_hash"]
    assert merkle.verify_consistency(
        5, 11, b(old["root_hash"]), b(new["root_hash"]), [b(h) for h in body["proof"]]
    )


def test_each_checkpoint_stays_available_by_size(client: Client, log):
    assert client.get("/api/v1/ledger/checkpoints/5").content.decode().split("\n")[1] == "5"
    assert client.get("/ledger/checkpoints/5").status_code == 200
    assert client.get("/ledger/checkpoints/6").status_code == 404


def test_the_public_pages_explain_and_show_the_checkpoint(client: Client, log):
    page = client.get("/ledger/")
    assert page.status_code == 200
    assert b"What a checkpoint is" in page.content
    assert signing.verifier_key().encode() in page.content
    assert client.get("/ledger/checkpoint").content.startswith(b"liaison.")
    assert client.get("/ledger/key").content.decode().strip() == signing.verifier_key()
    listing = client.get("/ledger/checkpoints/")
    assert listing.status_code == 200
    assert b"11" in listing.content


def test_the_public_proof_page_answers_both_questions(client: Client, log):
    page = client.get("/ledger/proofs/?seq=2")
    assert page.status_code == 200
    assert b'data-testid="inclusion"' in page.content
    page = client.get("/ledger/proofs/?old_size=5&new_size=11")
    assert b'data-testid="consistency"' in page.content
    page = client.get("/ledger/proofs/?seq=50")
    assert b'data-testid="form-errors"' in page.content


def test_entries_are_not_public(client: Client, log):
    assert client.get("/api/v1/ledger/entries").status_code == 401
    assert client.get("/ledger/entries/").status_code == 302  # to sign in


def test_with_no_checkpoint_yet_the_pages_say_so(client: Client):
    assert client.get("/api/v1/ledger/checkpoint").status_code == 404
    assert b"No checkpoint has been issued yet" in client.get("/ledger/").content


def test_the_schema_publishes_the_public_endpoints_without_a_token(client: Client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in [
        "/api/v1/ledger/checkpoint",
        "/api/v1/ledger/checkpoints",
        "/api/v1/ledger/key",
        "/api/v1/ledger/proof/inclusion",
        "/api/v1/ledger/proof/consistency",
    ]:
        assert not paths[path]["get"].get("security"), path
    assert paths["/api/v1/ledger/entries"]["get"]["security"]


def test_the_public_ledger_links_to_sign_in_and_sign_in_links_back(client):
    ledger = client.get("/ledger/").content.decode()
    assert 'href="/accounts/login/"' in ledger
    login = client.get("/accounts/login/").content.decode()
    assert 'data-testid="public-ledger-link"' in login
    assert 'href="/ledger/"' in login
