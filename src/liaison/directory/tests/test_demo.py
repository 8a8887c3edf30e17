"""The demo directory: real agencies under their abbreviations, idempotent, deterministic."""

from __future__ import annotations

import random

import pytest
from django.core.management import call_command

from liaison.directory import demo
from liaison.directory.models import (
    Agency,
    Contact,
    Jurisdiction,
    LiaisonDesignation,
    Person,
    TaskForce,
    TaskForceAssignment,
    TaskForceMembership,
)
from liaison.ledger.models import Entry

MODELS = [
    Jurisdiction,
    Agency,
    TaskForce,
    TaskForceMembership,
    Person,
    TaskForceAssignment,
    LiaisonDesignation,
    Contact,
]


def _counts() -> dict[str, int]:
    return {m.__name__: m.objects.count() for m in [*MODELS, Entry]}


@pytest.mark.django_db
@pytest.mark.parametrize("state", ["MN", "WI"])
def test_loading_the_demo_directory_twice_adds_nothing(state):
    demo.load(state=state, scale=1, rng=random.Random(1))
    first = _counts()
    assert first["Person"] >= 30
    demo.load(state=state, scale=1, rng=random.Random(1))
    assert _counts() == first


@pytest.mark.django_db
def test_the_demo_is_the_same_on_every_run():
    demo.load(state="MN", scale=1, rng=random.Random(7))
    people = list(Person.objects.order_by("badge_number").values_list("given_name", "family_name"))
    Contact.objects.all().delete()
    TaskForceAssignment.objects.all().delete()
    LiaisonDesignation.objects.all().delete()
    Person.objects.all().delete()
    demo.load(state="MN", scale=1, rng=random.Random(7))
    again = list(Person.objects.order_by("badge_number").values_list("given_name", "family_name"))
    assert again == people


@pytest.mark.django_db
def test_a_larger_scale_extends_the_demo_and_is_still_idempotent():
    demo.load(state="WI", scale=1, rng=random.Random(3))
    small = Person.objects.count()
    demo.load(state="WI", scale=3, rng=random.Random(3))
    large = _counts()
    assert large["Person"] == small + 2 * demo.PEOPLE_PER_SCALE
    assert large["TaskForce"] == 3 + 2
    demo.load(state="WI", scale=3, rng=random.Random(3))
    assert _counts() == large


@pytest.mark.django_db
def test_the_demo_has_the_agencies_other_modules_rely_on():
    demo.load(state="MN", scale=1, rng=random.Random(1))
    demo.load(state="WI", scale=1, rng=random.Random(1))
    by_abbr = {a.abbreviation: a for a in Agency.objects.select_related("parent", "jurisdiction")}
    parents = {
        "BCA": "DPS", "MSP": "DPS", "MNFC": "BCA", "ERO-SPM": "ICE", "HSI-SPM": "ICE",
        "DCI": "WI-DOJ", "WSIC": "DCI", "ERO-CHI": "ICE", "HSI-MKE": "ICE",
    }  # fmt: skip
    for child, parent in parents.items():
        assert by_abbr[child].parent == by_abbr[parent]
    for abbr in ["CBP", "ICE", "AGO", "HCSO", "RCSO", "MPD", "SPPD", "OLA", "WSP", "MCSO",
                 "DCSO", "MPD-WI", "STAC", "LAB"]:  # fmt: skip
        assert abbr in by_abbr
    assert by_abbr["HCSO"].jurisdiction.fips == "27053"
    assert by_abbr["SPPD"].jurisdiction.fips == "2758000"
    assert by_abbr["MPD-WI"].jurisdiction.fips == "5553000"
    assert by_abbr["DCSO"].jurisdiction.fips == "55025"
    hsi_tf = TaskForce.objects.get(lead_agency=by_abbr["HSI-SPM"])
    members = set(hsi_tf.member_agencies.values_list("abbreviation", flat=True))
    assert {"BCA", "MSP", "HCSO"} <= members


@pytest.mark.django_db
def test_every_demo_record_is_in_the_ledger():
    demo.load(state="MN", scale=1, rng=random.Random(1))
    for model in MODELS:
        label = model._meta.label_lower
        covered: set[int] = set()
        for object_id in Entry.objects.filter(object_type=label).values_list(
            "object_id", flat=True
        ):
            first, _, last = object_id.partition("-")  # a bulk batch names its id range
            covered.update(range(int(first), int(last or first) + 1))
        assert set(model.objects.values_list("pk", flat=True)) <= covered, label


@pytest.mark.django_db
def test_the_demo_command_runs_twice_and_prints_a_directory_line(capsys):
    call_command("demo", "--state", "MN", "--no-migrate")
    first = capsys.readouterr().out
    call_command("demo", "--state", "MN", "--no-migrate")
    second = capsys.readouterr().out
    assert "directory:" in first
    assert "(0 new)" in second
