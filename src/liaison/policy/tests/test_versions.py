"""Pack versions: each has an effective date; a request is decided by the versions in
effect on its date, and the decision names them; a staged version waits beside today's."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from liaison.policy import docs
from liaison.policy.cases import run_cases
from liaison.policy.engine import decide
from liaison.policy.packs import BadPack, Library
from liaison.policy.tests.factories import data_item, policy, request, write_pack

TODAY_VERSION = policy("mn.private-with-warrant", when='context.instrument == "judicial_warrant"')
# The staged version also requires the data to be private (not confidential).
STAGED_VERSION = policy(
    "mn.private-with-warrant",
    when='context.instrument == "judicial_warrant" && resource.classification == "private"',
)
ASK = request(data_item(classification="confidential"), instrument="judicial_warrant")


def _case(root: Path, directory: str, expect: str, **extra: object) -> None:
    case = {
        "description": "Confidential data on a judicial warrant",
        "citation": "Test Stat. § 1",
        "request": ASK,
        "expect": [{"decision": expect, "policies": ["mn.private-with-warrant"]}],
        **extra,
    }
    if expect == "deny":
        case["expect"] = [{"decision": "deny", "policies": ["liaison.no-authority"]}]
    (root / directory / "cases" / "warrant.json").write_text(json.dumps(case))


@pytest.fixture
def staged(tmp_path: Path) -> Library:
    write_pack(tmp_path, "mn", TODAY_VERSION, version="2026.1", effective="2026-01-01")
    write_pack(
        tmp_path, "mn-2099", STAGED_VERSION, name="mn", version="2099.1", effective="2099-01-01"
    )
    _case(tmp_path, "mn", "permit")
    _case(tmp_path, "mn-2099", "deny")
    return Library(tmp_path)


def test_a_request_is_decided_by_the_version_in_effect_on_its_date(staged: Library) -> None:
    before = decide(ASK, on=date(2098, 12, 31), library=staged)
    after = decide(ASK, on=date(2099, 1, 1), library=staged)
    assert before["packs"] == [{"name": "mn", "version": "2026.1", "effective": "2026-01-01"}]
    assert after["packs"] == [{"name": "mn", "version": "2099.1", "effective": "2099-01-01"}]
    assert before["items"][0]["decision"] == "permit"
    assert after["items"][0]["decision"] == "deny"
    assert decide(ASK, library=staged)["packs"][0]["version"] == "2026.1"  # today


def test_each_versions_cases_run_on_a_day_that_version_decides(staged: Library) -> None:
    results = run_cases(staged)
    assert [(r.name, r.passed, r.problems) for r in results] == [
        ("warrant", True, []),
        ("warrant", True, []),
    ]


def test_a_case_dated_outside_its_version_fails_saying_so(tmp_path: Path) -> None:
    write_pack(tmp_path, "mn", TODAY_VERSION, version="2026.1", effective="2026-01-01")
    write_pack(
        tmp_path, "mn-2099", STAGED_VERSION, name="mn", version="2099.1", effective="2099-01-01"
    )
    _case(tmp_path, "mn", "permit")
    _case(tmp_path, "mn-2099", "deny", on="2026-12-01")
    failed = [r for r in run_cases(Library(tmp_path)) if not r.passed]
    assert len(failed) == 1
    assert "decided on 2026-12-01, when version 2099.1 of mn is not in effect" in failed[0].problems


def test_two_versions_may_not_share_a_version_number(tmp_path: Path) -> None:
    write_pack(tmp_path, "mn", TODAY_VERSION, version="1", effective="2026-01-01")
    write_pack(tmp_path, "mn-next", STAGED_VERSION, name="mn", version="1", effective="2027-01-01")
    with pytest.raises(BadPack) as caught:
        Library(tmp_path)
    assert caught.value.message == (
        f"{tmp_path.name}/mn/pack.json: pack 'mn' version '1' is already "
        f"{tmp_path.name}/mn-next/pack.json; give the new version its own number."
    )


def test_the_pack_page_says_until_when_a_version_decides(staged: Library) -> None:
    page = docs.packs_page(staged)
    assert "In effect from 2026-01-01 until 2098-12-31." in page
    assert "In effect from 2099-01-01." in page
