"""How the engine combines policies: deny wins, review, no authority, paths, dates."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from liaison.policy.engine import decide, evaluator
from liaison.policy.engine.decision import NO_AUTHORITY_ID
from liaison.policy.packs import UnknownPack
from liaison.policy.tests.factories import data_item, library, policy, request, write_pack
from liaison.policy.vocabulary import INSTRUMENTS

ON = date(2026, 12, 1)
PRIVATE = 'resource.classification == "private"'


def _decide(root: Path, req: dict[str, object], **kwargs: object) -> dict[str, object]:
    return decide(req, on=kwargs.pop("on", ON), library=library(root), **kwargs)


def _item(decision: dict[str, object], index: int = 0) -> dict[str, object]:
    return decision["items"][index]


def test_a_forbid_wins_over_a_permit_that_matches_too(tmp_path: Path) -> None:
    write_pack(
        tmp_path,
        "mn",
        policy("mn.ok", when=PRIVATE) + policy("mn.no", effect="forbid", when=PRIVATE),
    )
    item = _item(_decide(tmp_path, request()))
    assert item["decision"] == "deny"
    assert [r["policy"] for r in item["reasons"]] == ["mn.no"]
    assert item["reasons"][0]["effect"] == "forbid"
    assert item["fields"] == []
    assert item["obligations"] == []


def test_a_forbid_in_a_local_pack_wins_over_a_state_permit(tmp_path: Path) -> None:
    write_pack(tmp_path, "mn", policy("mn.ok", when=PRIVATE))
    write_pack(
        tmp_path,
        "town",
        policy("town.no", effect="forbid"),
        level="local",
        applies_to={"state": "MN", "county": "Nobles"},
    )
    assert _item(_decide(tmp_path, request()))["decision"] == "deny"
    elsewhere = request(jurisdiction={"state": "MN", "county": "Rock", "city": None})
    assert _item(_decide(tmp_path, elsewhere))["decision"] == "permit"


def test_no_matching_permit_is_a_deny_that_says_no_authority_found(tmp_path: Path) -> None:
    write_pack(tmp_path, "mn", policy("mn.public", when='resource.classification == "public"'))
    item = _item(_decide(tmp_path, request()))
    assert item["decision"] == "deny"
    (reason,) = item["reasons"]
    assert reason["policy"] == NO_AUTHORITY_ID
    assert "No authority found" in reason["explanation"]
    assert reason["citation"].startswith("Minn. Stat. § 13.05, subd. 9")


def test_an_uncertain_permit_answers_needs_review_never_a_silent_permit(tmp_path: Path) -> None:
    write_pack(
        tmp_path,
        "mn",
        policy("mn.ok", when=PRIVATE, obligations="log_access")
        + policy("mn.unsure", when=PRIVATE, outcome="needs_review", obligations="notify_subject"),
    )
    item = _item(_decide(tmp_path, request()))
    assert item["decision"] == "needs_review"
    assert sorted(r["policy"] for r in item["reasons"]) == ["mn.ok", "mn.unsure"]
    assert item["fields"] == []
    assert item["obligations"] == ["notify_subject", "log_access"]


def test_a_permit_that_only_adds_review_or_obligations_authorizes_nothing(tmp_path: Path) -> None:
    write_pack(
        tmp_path,
        "mn",
        policy("mn.review", outcome="adds_review")
        + policy("mn.log", outcome="adds_obligations", obligations="log_access"),
    )
    item = _item(_decide(tmp_path, request()))
    assert item["decision"] == "deny"
    assert [r["policy"] for r in item["reasons"]] == [NO_AUTHORITY_ID]


def test_a_permit_lets_the_category_fields_leave_narrowed_by_at_fields(tmp_path: Path) -> None:
    write_pack(
        tmp_path,
        "mn",
        policy("mn.ok", when=PRIVATE) + policy("mn.narrow", when=PRIVATE, fields="name,address"),
    )
    item = _item(_decide(tmp_path, request()))
    assert item["decision"] == "permit"
    assert item["fields"] == ["name", "address"]
    assert item["paths"] == []


def test_paths_list_the_instruments_and_agreements_that_would_change_the_answer(
    tmp_path: Path,
) -> None:
    write_pack(
        tmp_path,
        "mn",
        policy("mn.warrant", when='context.instrument == "judicial_warrant"')
        + policy(
            "mn.subpoena",
            when='context.instrument == "administrative_subpoena"',
            outcome="needs_review",
        )
        + policy(
            "mn.mou",
            when='context.covering_agreement_types.contains("information_sharing")',
            agreement="information_sharing",
        ),
    )
    item = _item(_decide(tmp_path, request()))
    assert item["decision"] == "deny"
    assert item["paths"] == [
        {"instrument": "judicial_warrant", "decision": "permit"},
        {"instrument": "administrative_subpoena", "decision": "needs_review"},
        {"agreement": {"type": "information_sharing", "status": "active"}, "decision": "permit"},
    ]
    review = _item(_decide(tmp_path, request(instrument="administrative_subpoena")))
    assert review["decision"] == "needs_review"
    # The uncertain permit still matches under the agreement: only the warrant changes it.
    assert review["paths"] == [{"instrument": "judicial_warrant", "decision": "permit"}]


def test_only_an_active_agreement_covering_category_and_purpose_counts(tmp_path: Path) -> None:
    write_pack(tmp_path, "mn", policy("mn.mou", when="context.agreement_covers"))
    agreement = {
        "type": "information_sharing",
        "status": "active",
        "activities": [],
        "categories": ["address"],
        "purposes": ["criminal_investigation"],
    }
    assert _item(_decide(tmp_path, request(agreements=[agreement])))["decision"] == "permit"
    for change in ({"status": "expired"}, {"categories": ["photo"]}, {"purposes": ["statistical"]}):
        item = _item(_decide(tmp_path, request(agreements=[agreement | change])))
        assert item["decision"] == "deny", change
    expired = _item(_decide(tmp_path, request(agreements=[agreement | {"status": "expired"}])))
    assert "expired, not active" in expired["reasons"][0]["explanation"]


def test_the_versions_in_effect_on_the_date_decide_and_are_named(tmp_path: Path) -> None:
    write_pack(
        tmp_path,
        "mn-2026",
        policy("mn.ok", when=PRIVATE),
        name="mn",
        version="2026.1",
        effective="2026-01-01",
    )
    write_pack(
        tmp_path,
        "mn-2027",
        policy("mn.no", effect="forbid"),
        name="mn",
        version="2027.1",
        effective="2027-01-01",
    )
    before = _decide(tmp_path, request(), on=date(2026, 6, 1))
    after = _decide(tmp_path, request(), on=date(2027, 1, 1))
    assert before["packs"] == [{"name": "mn", "version": "2026.1", "effective": "2026-01-01"}]
    assert _item(before)["decision"] == "permit"
    assert after["packs"] == [{"name": "mn", "version": "2027.1", "effective": "2027-01-01"}]
    assert _item(after)["decision"] == "deny"
    assert _decide(tmp_path, request(), on=date(2025, 12, 31))["packs"] == []


def test_a_policy_is_left_out_before_its_own_effective_date(tmp_path: Path) -> None:
    write_pack(
        tmp_path,
        "mn",
        policy("mn.ok", when=PRIVATE) + policy("mn.later", effect="forbid", effective="2027-03-01"),
    )
    assert _item(_decide(tmp_path, request(), on=date(2027, 2, 28)))["decision"] == "permit"
    assert _item(_decide(tmp_path, request(), on=date(2027, 3, 1)))["decision"] == "deny"


def test_naming_packs_restricts_the_evaluation_and_refuses_an_unknown_one(tmp_path: Path) -> None:
    write_pack(tmp_path, "mn", policy("mn.ok", when=PRIVATE))
    write_pack(tmp_path, "town", policy("town.no", effect="forbid"), level="local")
    assert _item(_decide(tmp_path, request()))["decision"] == "deny"
    assert _item(_decide(tmp_path, request(), packs=["mn"]))["decision"] == "permit"
    with pytest.raises(UnknownPack):
        _decide(tmp_path, request(), packs=["nowhere"])
    with pytest.raises(UnknownPack):
        _decide(tmp_path, request(state="WI"), packs=["mn"])


def test_one_entry_per_item_in_order_with_its_index(tmp_path: Path) -> None:
    write_pack(tmp_path, "mn", policy("mn.ok", when=PRIVATE))
    decision = _decide(
        tmp_path,
        request(
            data_item(), data_item(classification="confidential"), {"action": "status_inquiry"}
        ),
    )
    assert [(i["index"], i["decision"]) for i in decision["items"]] == [
        (0, "permit"),
        (1, "deny"),
        (2, "deny"),
    ]
    assert decision["format"] == "liaison.sharing.decision/1"


def test_the_shipped_packs_answer_the_issues_example_request() -> None:
    decision = decide(
        request(
            {
                "category": "release_date_custody_status",
                "classification": "private",
                "source": "jail_management",
            },
            {"action": "hold_past_release"},
            requester={"agency": "ICE ERO St. Paul", "level": "federal", "component": "ice_ero"},
            purpose="civil_immigration_enforcement",
            instrument="detainer_with_administrative_warrant",
            agreements=[
                {
                    "type": "287g_jail_enforcement",
                    "status": "active",
                    "activities": ["jail_screening"],
                    "categories": ["booking"],
                    "purposes": ["civil_immigration_enforcement"],
                }
            ],
        ),
        on=ON,
    )
    assert {p["name"] for p in decision["packs"]} == {"agreements", "federal", "mn"}
    hold = decision["items"][1]
    assert hold["decision"] == "deny"
    assert hold["reasons"][0]["policy"] == "mn.detainer-hold-admin-warrant"
    assert hold["reasons"][0]["citation"].startswith("Esparza v. Nobles County")
    assert hold["paths"] == [{"instrument": "judicial_warrant", "decision": "permit"}]


def test_instruments_no_policy_names_are_tried_once_and_all_listed(tmp_path: Path) -> None:
    write_pack(tmp_path, "mn", policy("mn.any", when='context.instrument != "judicial_warrant"'))
    lib = library(tmp_path)
    (compiled,) = [
        evaluator(lib.select({"state": "MN", "county": None, "city": None}, on=ON), on=ON)
    ]
    classes = compiled.instrument_classes["disclose"]
    assert classes[0] == ("judicial_warrant",)
    assert len(classes) == 2
    item = _item(_decide(tmp_path, request(instrument="judicial_warrant")))
    assert [p["instrument"] for p in item["paths"]] == [
        i for i in INSTRUMENTS if i != "judicial_warrant"
    ]


def test_an_instrument_used_other_than_against_literals_is_tried_one_by_one(tmp_path: Path) -> None:
    write_pack(tmp_path, "mn", policy("mn.odd", when='context.instrument like "*warrant"'))
    lib = library(tmp_path)
    compiled = evaluator(lib.select({"state": "MN", "county": None, "city": None}, on=ON), on=ON)
    assert compiled.instrument_classes["disclose"] == [(i,) for i in INSTRUMENTS]
    item = _item(_decide(tmp_path, request()))
    assert [p["instrument"] for p in item["paths"]] == [
        "judicial_warrant",
        "administrative_warrant",
        "detainer_with_administrative_warrant",
    ]
