"""The staff ledger browser: oversight and admin only, filters, no N+1, entry detail."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
import time_machine
from django.test import Client

from liaison.accounts.tests.factories import make_user
from liaison.core.roles import Role
from liaison.ledger import merkle
from liaison.ledger.models import Entry, EntryKind
from liaison.ledger.services import access_record, checkpoint_issue, ledger_append

pytestmark = pytest.mark.django_db


def test_oversight_sees_the_entries_newest_first(oversight_client: Client, append):
    append(3, action="agreement.activate")
    page = oversight_client.get("/ledger/entries/")
    assert page.status_code == 200
    rows = page.context["rows"]
    assert [r.entry.seq for r in rows] == [2, 1, 0]
    assert b"agreement.activate" in page.content


def test_an_admin_sees_the_browser_too(append):
    client = Client()
    client.force_login(make_user(Role.ADMIN))
    assert client.get("/ledger/entries/").status_code == 200


@pytest.mark.parametrize("role", [r for r in Role if r not in (Role.OVERSIGHT, Role.ADMIN)])
def test_other_roles_get_not_found_and_the_refusal_is_recorded(role, append):
    append(2)
    user = make_user(role)
    client = Client()
    client.force_login(user)
    assert client.get("/ledger/entries/").status_code == 404
    assert client.get("/ledger/entries/0/").status_code == 404
    # another entry: repeats of one refusal of one record are aggregated per burst
    assert client.get("/ledger/entries/1/proof.json").status_code == 404
    denials = Entry.objects.filter(kind=EntryKind.SECURITY, action="permission.deny")
    assert denials.count() == 3
    assert set(denials.values_list("actor_id", flat=True)) == {user.pk}
    assert denials.first().object_type == "ledger.entry"


def test_filters_narrow_by_actor_agency_action_object_kind_and_time(oversight, oversight_client):
    other = make_user(Role.COORDINATOR)
    with time_machine.travel(datetime(2026, 3, 1, 15, tzinfo=UTC), tick=False):
        ledger_append(
            actor=other, action="agreement.create", object_type="agreements.agreement", object_id=4
        )
    with time_machine.travel(datetime(2026, 5, 1, 15, tzinfo=UTC), tick=False):
        ledger_append(
            actor=other,
            action="agreement.activate",
            object_type="agreements.agreement",
            object_id=4,
        )
        ledger_append(
            actor=oversight, action="audit.open", object_type="oversight.audit", object_id=1
        )
        access_record(
            actor=oversight, object_type="directory.person", object_id=9, action="person.read"
        )

    def seqs(query: str) -> list[int]:
        return [
            r.entry.seq for r in oversight_client.get(f"/ledger/entries/?{query}").context["rows"]
        ]

    assert seqs(f"actor={other.username}") == [1, 0]
    assert seqs(f"agency={oversight.agency_id}") == [3, 2]
    assert seqs("action=agreement.") == [1, 0]
    assert seqs("object_type=agreements.agreement&object_id=4") == [1, 0]
    assert seqs("kind=access") == [3]
    assert seqs("since=2026-04-01") == [3, 2, 1]
    assert seqs("until=2026-03-01") == [0]
    assert seqs("actor=nobody-by-that-name") == []


def test_the_browser_query_count_does_not_grow_with_rows(
    oversight_client, django_assert_max_num_queries
):
    users = [make_user(Role.OFFICER) for _ in range(3)]
    for user in users:
        ledger_append(actor=user, action="x.do", object_type="x.thing", object_id=1)
    with django_assert_max_num_queries(20) as few:
        oversight_client.get("/ledger/entries/")
    more = [make_user(Role.OFFICER) for _ in range(20)]
    for user in more * 3:
        ledger_append(actor=user, action="x.do", object_type="x.thing", object_id=1)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = oversight_client.get("/ledger/entries/")
    assert len(page.context["rows"]) == 50


def test_the_entry_page_shows_a_proof_that_checks_and_records_the_read(
    oversight, oversight_client, append
):
    append(6)
    checkpoint_issue()
    page = oversight_client.get("/ledger/entries/4/")
    assert page.status_code == 200
    assert page.context["report"].ok is True
    assert page.context["proof"].checkpoint is not None
    read = Entry.objects.order_by("-seq").first()
    assert (read.kind, read.action, read.object_id, read.actor_id) == (
        EntryKind.ACCESS,
        "ledger.entry.read",
        "4",
        oversight.pk,
    )


def test_an_entry_after_the_latest_checkpoint_is_proved_against_the_current_tree(
    oversight_client, append
):
    append(3)
    page = oversight_client.get("/ledger/entries/2/")
    assert page.context["report"].failed == []
    assert [c.ok for c in page.context["report"].checks][-1] is None  # no checkpoint yet
    assert "No checkpoint covers this entry yet" in page.content.decode()
    assert page.context["proof"].checkpoint is None


def test_the_proof_downloads_as_json_an_auditor_can_check(oversight_client, append):
    append(9)
    checkpoint_issue()
    response = oversight_client.get("/ledger/entries/7/proof.json")
    assert response["Content-Disposition"] == 'attachment; filename="ledger-entry-7-proof.json"'
    body = json.loads(response.content)
    import base64

    leaf = merkle.leaf_hash(body["leaf_data"].encode())
    inclusion = body["inclusion"]
    assert base64.b64encode(leaf).decode() == inclusion["leaf_hash"]
    assert merkle.verify_inclusion(
        leaf,
        7,
        inclusion["tree_size"],
        [base64.b64decode(h) for h in inclusion["proof"]],
        base64.b64decode(inclusion["root_hash"]),
    )


def test_a_missing_entry_is_not_found(oversight_client):
    assert oversight_client.get("/ledger/entries/99/").status_code == 404


def test_the_api_serves_entries_to_oversight_only(oversight, officer, append):
    from liaison.accounts.services import token_create

    append(3)
    _, secret = token_create(actor=oversight, user=oversight, name="audit")
    client = Client(headers={"Authorization": f"Bearer {secret}"})
    listed = client.get("/api/v1/ledger/entries?action=test.")
    assert listed.status_code == 200
    assert [e["seq"] for e in listed.json()["items"]] == [2, 1, 0]
    assert client.get("/api/v1/ledger/entries/1").json()["action"] == "test.record"
    _, secret = token_create(actor=officer, user=officer, name="field")
    client = Client(headers={"Authorization": f"Bearer {secret}"})
    assert client.get("/api/v1/ledger/entries").status_code == 404
    assert Entry.objects.filter(action="permission.deny", actor_id=officer.pk).count() == 1
