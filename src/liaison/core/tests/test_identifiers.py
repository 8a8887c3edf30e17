"""Keyed hashes and sealing of personal identifiers (``liaison.core.identifiers``)."""

from __future__ import annotations

import re

import pytest
from django.test import override_settings
from hypothesis import given
from hypothesis import strategies as st

from liaison.core import identifiers
from liaison.core.errors import ServiceError
from liaison.core.identifiers import Kind, keyed_hash, normalize, seal, unseal

SAME = [
    (Kind.PERSON, "Maria Lopez, 1990-01-31", "LOPEZ, María 01/31/1990"),
    (Kind.PERSON, "Maria Lopez 1990-01-31", "maria  lopez, January 31, 1990"),
    (Kind.PERSON, "Maria Lopez, 19900131", "Lopez Maria 31 Jan 1990"),
    (Kind.PLATE, "ABC-123", "abc 123"),
    (Kind.PLATE, "MN ABC·123", "mnabc123"),
    (Kind.PHONE, "(612) 555-0100", "+1 612 555 0100"),
    (Kind.ADDRESS, "350 South 5th Street", "350 S. 5th St"),
    (Kind.LICENSE, "D-123-456-789", "d123456789"),
]

DIFFERENT = [
    (Kind.PERSON, "Maria Lopez, 1990-01-31", "Maria Lopez, 1990-01-30"),
    (Kind.PERSON, "Maria Lopez, 1990-01-31", "Mario Lopez, 1990-01-31"),
    (Kind.PLATE, "ABC-123", "ABC-124"),
    (Kind.ADDRESS, "350 South 5th Street", "350 North 5th Street"),
]


@pytest.mark.parametrize(("kind", "one", "other"), SAME)
def test_spellings_of_one_identifier_hash_alike(kind: Kind, one: str, other: str) -> None:
    assert normalize(kind, one) == normalize(kind, other)
    assert keyed_hash(kind, one) == keyed_hash(kind, other)


@pytest.mark.parametrize(("kind", "one", "other"), DIFFERENT)
def test_different_identifiers_hash_apart(kind: Kind, one: str, other: str) -> None:
    assert keyed_hash(kind, one) != keyed_hash(kind, other)


def test_the_kind_is_part_of_the_hash() -> None:
    assert keyed_hash(Kind.LICENSE, "1234567") != keyed_hash(Kind.RECORD, "1234567")
    assert keyed_hash(Kind.LICENSE, "1234567") != keyed_hash(Kind.PHONE, "1234567")


def test_the_hash_depends_on_the_key_and_shows_no_value() -> None:
    first = keyed_hash(Kind.PLATE, "ABC-123")
    assert re.fullmatch(r"[0-9a-f]{64}", first)
    with override_settings(LIAISON_HASH_KEY="another-key-another-key-another-key"):
        assert keyed_hash(Kind.PLATE, "ABC-123") != first


@pytest.mark.parametrize(
    ("kind", "value", "field"),
    [
        (Kind.PERSON, "Maria Lopez", "value"),
        (Kind.PERSON, "1990-01-31", "value"),
        (Kind.PHONE, "555", "value"),
        (Kind.PLATE, "  ", "value"),
        (Kind.PLATE, "---", "value"),
        (Kind.PLATE, "A" * 301, "value"),
        ("passport", "X1", "kind"),
    ],
)
def test_what_is_not_an_identifier_is_refused_on_its_field(
    kind: str, value: str, field: str
) -> None:
    with pytest.raises(ServiceError) as refused:
        keyed_hash(kind, value)
    assert list(refused.value.fields) == [field]
    assert refused.value.fields[field][0]


@given(st.text(min_size=1, max_size=200))
def test_sealing_round_trips_and_hides_the_value(value: str) -> None:
    token = seal(value)
    assert unseal(token) == value
    if len(value) >= 4:
        assert value not in token


def test_sealed_values_open_after_a_key_rotation_only_with_the_old_key() -> None:
    with override_settings(LIAISON_HASH_KEY="old-key-old-key-old-key-old-key-0"):
        token = seal("ABC-123")
    with override_settings(
        LIAISON_HASH_KEY="new-key-new-key-new-key-new-key-1",
        LIAISON_HASH_KEY_FALLBACKS=["old-key-old-key-old-key-old-key-0"],
    ):
        assert unseal(token) == "ABC-123"
    with (
        override_settings(LIAISON_HASH_KEY="new-key-new-key-new-key-new-key-1"),
        pytest.raises(ServiceError),
    ):
        unseal(token)
    with pytest.raises(ServiceError):
        unseal(token[:-4] + "AAAA")


def test_masked_hints_reveal_little() -> None:
    assert identifiers.masked(Kind.PERSON, "Maria Lopez, 1990-01-31") == "L… M…, born 1990"
    assert identifiers.masked(Kind.PLATE, "ABC-123") == "…123"
