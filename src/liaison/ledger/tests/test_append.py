"""Appending: gap-free sequence, canonical leaf hashes, no personal data, integration."""

from __future__ import annotations

import hashlib

import pytest
from django.db import transaction

from liaison.ledger import merkle, tree
from liaison.ledger.models import Entry, EntryKind, Head, Node, Tree
from liaison.ledger.services import (
    canonical_json,
    change_digest,
    entry_leaf_data,
    ledger_append,
    ledger_integrate,
)

pytestmark = pytest.mark.django_db


def test_appends_take_gap_free_sequence_numbers_from_zero(append):
    entries = append(5)
    assert [e.seq for e in entries] == [0, 1, 2, 3, 4]
    assert Head.objects.get().size == 5
    assert list(Entry.objects.values_list("seq", flat=True)) == [0, 1, 2, 3, 4]


def test_an_entry_holds_the_hash_of_the_change_not_the_change(officer):
    change = {"name": "Jane Q. Public", "dob": "1980-01-01"}
    entry = ledger_append(
        actor=officer, action="person.update", object_type="x.person", object_id=7, change=change
    )
    stored = Entry.objects.get(seq=entry.seq)
    assert stored.change_hash == hashlib.sha256(canonical_json(change)).hexdigest()
    assert stored.change_hash == change_digest(change)
    row = " ".join(str(v) for v in Entry.objects.filter(seq=entry.seq).values_list().get())
    assert "Jane" not in row
    assert "1980" not in row
    assert (stored.actor_id, stored.agency_id) == (officer.pk, officer.agency_id)


def test_the_stored_leaf_hash_is_the_rfc9162_hash_of_the_entry_fields(append):
    (entry,) = append(1)
    stored = Entry.objects.get(seq=entry.seq)
    assert bytes(stored.leaf_hash) == merkle.leaf_hash(entry_leaf_data(stored))
    assert stored.recorded_at.microsecond == entry.recorded_at.microsecond


def test_a_rolled_back_action_leaves_no_entry_and_no_gap(append):
    append(2)

    def failing_service() -> None:
        with transaction.atomic():
            append(1)
            raise RuntimeError("the service failed after appending")

    with pytest.raises(RuntimeError):
        failing_service()
    (entry,) = append(1)
    assert entry.seq == 2
    assert Head.objects.get().size == 3


def test_an_entry_needs_an_action_and_an_object_type():
    with pytest.raises(ValueError, match="action"):
        ledger_append(actor=None, action="", object_type="x.y")
    with pytest.raises(ValueError, match="kind"):
        ledger_append(actor=None, action="a.b", object_type="x.y", kind="gossip")


def test_integration_stores_every_complete_subtree_and_matches_the_pure_tree(append):
    entries = append(13)
    assert ledger_integrate() == 13
    assert Tree.objects.get().size == 13
    # 13 leaves: 6 + 3 + 1 complete subtrees above the leaves
    assert Node.objects.count() == 6 + 3 + 1
    data = [entry_leaf_data(Entry.objects.get(seq=e.seq)) for e in entries]
    assert tree.root_at(13) == merkle.root_hash(data)
    assert tree.root_at(5) == merkle.root_hash(data[:5])


def test_integration_is_idempotent_and_resumes_in_batches(append):
    append(10)
    assert ledger_integrate(batch=3) == 10
    assert ledger_integrate() == 10
    append(7)
    assert ledger_integrate(batch=4) == 17
    data = [entry_leaf_data(e) for e in Entry.objects.order_by("seq")]
    assert tree.root_at(17) == merkle.root_hash(data)


def test_proofs_beyond_the_integrated_size_integrate_first(append):
    append(9)
    assert Tree.objects.get().size == 0
    data = [entry_leaf_data(e) for e in Entry.objects.order_by("seq")]
    leaf, proof, root = tree.inclusion(4, 9)
    assert root == merkle.root_hash(data)
    assert merkle.verify_inclusion(leaf, 4, 9, proof, root)
    assert Tree.objects.get().size == 9
    assert tree.consistency(3, 9) == (
        merkle.consistency_proof(data, 3),
        merkle.root_hash(data[:3]),
        root,
    )


def test_access_records_are_kind_access(officer):
    from liaison.ledger.services import access_record

    entry = access_record(actor=officer, object_type="x.person", object_id=3, action="person.read")
    assert entry.kind == EntryKind.ACCESS


def test_a_proof_fetches_its_hashes_in_one_query(append, django_assert_num_queries):
    append(40)
    ledger_integrate()
    with django_assert_num_queries(1):
        tree.inclusion(17, 40)


def test_changes_with_dates_decimals_and_ids_hash_as_their_json_strings():
    import datetime
    import decimal
    import uuid

    value = {
        "on": datetime.date(2026, 3, 1),
        "amount": decimal.Decimal("12.50"),
        "id": uuid.UUID(int=5),
        "n": 3,
    }
    assert canonical_json(value) == (
        b'{"amount":"12.50","id":"00000000-0000-0000-0000-000000000005","n":3,"on":"2026-03-01"}'
    )
    assert (
        canonical_json({"b": [1, 2.5, None, True], "a": "é"})
        == '{"a":"é","b":[1,2.5,null,true]}'.encode()
    )
