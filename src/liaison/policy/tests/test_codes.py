"""The agreements module's codes map to the format's codes, both ways, from one table."""

from __future__ import annotations

import importlib

import pytest

from liaison.policy import vocabulary as v
from liaison.policy.codes import (
    AGREEMENTS_ONLY,
    PAIRS,
    WHATS,
    agreement_fact,
    from_format,
    to_format,
)

SEED = importlib.import_module("liaison.agreements.migrations.0002_seed_taxonomy")


def _agreements_codes() -> dict[str, set[str]]:
    from liaison.agreements.models import Agreement

    return {
        "type": {c.value for c in Agreement.Kind},
        "status": {c.value for c in Agreement.Status},
        "activity": {code for code, *_ in SEED.ACTIVITIES},
        "category": {code for code, *_ in SEED.DATA_CATEGORIES},
        "purpose": {code for code, *_ in SEED.PURPOSES},
    }


FORMAT = {
    "type": set(v.AGREEMENT_TYPES),
    "status": set(v.AGREEMENT_STATUSES),
    "activity": set(v.ACTIVITIES),
    "category": set(v.CATEGORIES),
    "purpose": set(v.PURPOSES),
}


@pytest.mark.parametrize("what", WHATS)
def test_every_agreements_code_maps_to_a_format_code_or_is_listed_as_having_none(what: str) -> None:
    for code in _agreements_codes()[what]:
        mapped = to_format(what, code)
        assert mapped or (what, code) in AGREEMENTS_ONLY, code
        assert mapped <= FORMAT[what], code


@pytest.mark.parametrize("what", WHATS)
def test_each_pair_reads_the_same_both_ways(what: str) -> None:
    for w, agreements_code, format_code in PAIRS:
        if w != what:
            continue
        assert agreements_code in _agreements_codes()[what], agreements_code
        assert format_code in to_format(what, agreements_code)
        assert agreements_code in from_format(what, format_code)


def test_the_lifecycle_codes_map_one_to_one() -> None:
    for what in ("type", "status"):
        for code in FORMAT[what]:
            (back,) = from_format(what, code)
            assert to_format(what, back) == {code}


def test_an_agreement_from_the_agreements_module_becomes_a_request_fact() -> None:
    fact = agreement_fact(
        kind="287g_jail",
        status="active",
        activities=["jail_screening", "detainer_processing", "information_sharing"],
        categories=[
            "booking_data",
            "immigration_status",
            "release_date",
            "biometric_data",
            "personnel_data",
        ],
        purposes=["civil_immigration_enforcement"],
    )
    assert fact == {
        "type": "287g_jail_enforcement",
        "status": "active",
        "activities": ["information_sharing", "jail_screening"],
        "categories": [
            "booking",
            "citizenship_immigration_status",
            "photo",
            "release_date_custody_status",
        ],
        "purposes": ["civil_immigration_enforcement"],
    }
