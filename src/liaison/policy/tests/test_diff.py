"""``liaison policy diff``: stored requests replayed against a changed pack."""

from __future__ import annotations

import contextlib
import io
import json
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from liaison.policy import replay
from liaison.policy.engine import decide
from liaison.policy.packs import PACKS_DIR
from liaison.policy.tests.factories import data_item, request

PUBLIC_ARREST = request(data_item("arrest", "public"))
WISCONSIN_BOOKING = request(data_item("booking", "public"), state="WI")
PRIVATE_ADDRESS = request(data_item("address", "private"))
STORED = [
    ("SR-2026-000001", date(2026, 12, 1), PUBLIC_ARREST),
    ("SR-2026-000002", date(2026, 12, 2), WISCONSIN_BOOKING),
    ("SR-2026-000003", date(2026, 11, 15), PRIVATE_ADDRESS),
]


@pytest.fixture
def stored() -> Iterator[list[tuple[str, date, dict[str, Any], dict[str, Any]]]]:
    rows = [(ref, day, facts, decide(facts, on=day)) for ref, day, facts in STORED]
    calls: list[date | None] = []

    def source(since: date | None) -> Iterator[tuple[str, date, dict[str, Any], dict[str, Any]]]:
        calls.append(since)
        yield from (row for row in rows if since is None or row[1] >= since)

    with replay.sources_replaced({"test": source}):
        yield rows


def _copy_mn(tmp_path: Path) -> Path:
    target = tmp_path / "mn-next"
    shutil.copytree(PACKS_DIR / "mn", target)
    return target


def _forbid_public_arrest_data(pack: Path) -> None:
    path = pack / "data-practices.cedar"
    text = path.read_text()
    first = text.index("permit (principal")
    path.write_text(text[:first] + "forbid" + text[first + len("permit") :])


def _diff(*args: str) -> tuple[int, str]:
    """(exit code, what was printed and the error message, if any)."""
    out = io.StringIO()
    try:
        call_command("policy", "diff", *args, stdout=out)
    except CommandError as exc:
        return exc.returncode, f"{out.getvalue()}\n{exc}"
    return 0, out.getvalue()


def _json(*args: str) -> dict[str, Any]:
    out = io.StringIO()
    with contextlib.suppress(CommandError):
        call_command("policy", "diff", *args, "--json", stdout=out)
    report: dict[str, Any] = json.loads(out.getvalue())
    return report


def test_a_changed_policy_that_flips_a_decision_is_named_with_old_and_new_reasons(
    stored: list[Any], tmp_path: Path
) -> None:
    pack = _copy_mn(tmp_path)
    _forbid_public_arrest_data(pack)
    code, out = _diff("--to", str(pack))
    assert code == 1
    assert "SR-2026-000001 (filed 2026-12-01)" in out
    assert "item 0 (arrest): permit → deny" in out
    assert "was: mn.law-enforcement-public-data (permit; Minn. Stat. § 13.82" in out
    assert "now: mn.law-enforcement-public-data (forbid; Minn. Stat. § 13.82" in out
    assert "SR-2026-000002" not in out
    assert "SR-2026-000003" not in out
    assert "1 of 3 stored requests would change (1 items)." in out


def test_the_json_report_lists_each_changed_item_and_since_limits_the_replay(
    stored: list[Any], tmp_path: Path
) -> None:
    pack = _copy_mn(tmp_path)
    _forbid_public_arrest_data(pack)
    code, _ = _diff("--to", str(pack), "--since", "2026-12-02")
    assert code == 0  # the changed request was filed before --since
    report = _json("--to", str(pack), "--since", "2026-12-02")
    assert report["replayed"] == 1
    assert report["changed"] == []
    report = _json("--to", str(pack))
    assert report["format"] == "liaison.policy.diff/1"
    assert report["pack"]["name"] == "mn"
    [change] = report["changed"]
    assert change["reference"] == "SR-2026-000001"
    [item] = change["items"]
    assert item["old"]["decision"] == "permit"
    assert item["new"]["decision"] == "deny"
    assert [r["effect"] for r in item["new"]["reasons"]] == ["forbid"]


def test_an_unchanged_pack_reports_no_changes_and_exits_0(
    stored: list[Any], tmp_path: Path
) -> None:
    code, out = _diff("--to", str(_copy_mn(tmp_path)))
    assert code == 0
    assert "0 of 3 stored requests would change (0 items)." in out


def test_a_stored_request_that_cannot_be_replayed_is_listed(
    stored: list[Any], tmp_path: Path
) -> None:
    stored.append(("SR-2026-000004", date(2026, 12, 3), {"format": "nonsense"}, {}))
    code, out = _diff("--to", str(_copy_mn(tmp_path)))
    assert code == 1
    assert "SR-2026-000004: could not be replayed" in out


def test_a_bad_packdir_is_refused_naming_the_file_and_the_policy(
    stored: list[Any], tmp_path: Path
) -> None:
    pack = _copy_mn(tmp_path)
    path = pack / "data-practices.cedar"
    path.write_text(path.read_text().replace("resource.classification", "resource.sauce", 1))
    code, out = _diff("--to", str(pack))
    assert code == 2
    assert "mn-next/data-practices.cedar, policy mn.law-enforcement-public-data:" in out
    code, out = _diff("--to", str(tmp_path / "nowhere"))
    assert code == 2
    assert "no pack.json here" in out
    code, out = _diff("--to", str(pack), "--since", "soon")
    assert code == 2
    assert "--since 'soon' is not a date" in out


def test_without_a_registered_source_the_diff_says_so(tmp_path: Path) -> None:
    with replay.sources_replaced({}):
        code, out = _diff("--to", str(_copy_mn(tmp_path)))
    assert code == 2
    assert "no replay source is registered" in out
