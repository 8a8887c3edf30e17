"""Every shipped pack's cases pass (``liaison policy test``) and name every policy."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from liaison.policy.cases import policies_without_case, run_case, run_cases
from liaison.policy.packs import Library, shipped
from liaison.policy.tests.factories import copy_shipped

SHIPPED = [
    (pack, path)
    for versions in shipped().versions.values()
    for pack in versions
    for path in pack.cases
]

# The cases the issue lists, each with the statute its case cites.
LISTED = {
    "mn/dvs-immigration-status-data": "171.12",
    "mn/public-arrest-data": "13.82, subd. 2",
    "mn/active-investigative-data": "13.82, subd. 24",
    "federal/1373-status-information": "1373",
    "mn/release-date-civil-immigration": "13.05",
    "mn/detainer-hold-admin-warrant": "Esparza",
    "agreements/287g-jail-hold": "1357(g)",
    "federal/28cfr23-political-religious-views": "23.20(b)",
    "mn/private-data-no-instrument": "13.05, subd. 9",
    "agreements/expired-agreement": "agreement",
}


@pytest.mark.parametrize(("pack", "path"), SHIPPED, ids=[f"{p.name}/{c.stem}" for p, c in SHIPPED])
def test_the_shipped_case_passes(pack: object, path: Path) -> None:
    result = run_case(shipped(), pack, path)
    assert result.problems == []


def test_every_policy_of_every_pack_has_a_case() -> None:
    assert policies_without_case(shipped()) == []


def test_the_cases_the_issue_lists_ship_and_cite_their_statute() -> None:
    found = {f"{r.pack}/{r.name}": r.citation for r in run_cases(shipped())}
    for case, statute in LISTED.items():
        assert statute in found[case], case


def test_a_case_whose_expectation_is_wrong_fails_with_what_differs(tmp_path: Path) -> None:
    root = copy_shipped(tmp_path)
    path = root / "mn" / "cases" / "detainer-hold-admin-warrant.json"
    case = json.loads(path.read_text())
    case["expect"][0]["decision"] = "permit"
    case["expect"][0]["paths"] = []
    path.write_text(json.dumps(case))
    lib = Library(root)
    (result,) = [r for r in run_cases(lib, names=["mn"]) if r.name == "detainer-hold-admin-warrant"]
    assert not result.passed
    assert "item 0: decision 'deny', expected 'permit'" in result.problems
    assert any(p.startswith("item 0: paths") for p in result.problems)


def test_a_policy_without_a_case_is_reported(tmp_path: Path) -> None:
    root = copy_shipped(tmp_path)
    (root / "st_paul" / "cases" / "no-status-inquiry.json").unlink()
    assert policies_without_case(Library(root)) == ["st_paul.no-status-inquiry"]
