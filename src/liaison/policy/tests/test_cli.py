"""``liaison policy check`` and ``liaison policy test``: output and exit codes."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from liaison.policy.packs import PACKS_DIR
from liaison.policy.tests.factories import data_item, request

CASE = PACKS_DIR / "mn" / "cases" / "detainer-hold-admin-warrant.json"


def _run(*args: str, stdin: str = "") -> tuple[int, str, str]:
    done = subprocess.run(
        [sys.executable, "-m", "liaison", "policy", *args],
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
    )
    return done.returncode, done.stdout, done.stderr


def test_check_prints_the_decision_and_exits_0_even_for_a_deny(tmp_path: Path) -> None:
    path = tmp_path / "request.json"
    path.write_text(json.dumps(json.loads(CASE.read_text())["request"]))
    out = io.StringIO()
    call_command("policy", "check", str(path), "--on", "2026-12-01", stdout=out)
    decision = json.loads(out.getvalue())
    assert decision["items"][0]["decision"] == "deny"
    assert [p["name"] for p in decision["packs"]] == ["agreements", "federal", "mn"]


def test_check_reads_standard_input_and_restricts_to_named_packs() -> None:
    code, out, _ = _run(
        "check",
        "-",
        "--pack",
        "federal",
        "--on",
        "2026-12-01",
        stdin=json.dumps(request(data_item())),
    )
    assert code == 0
    decision = json.loads(out)
    assert decision["packs"] == [
        {"name": "federal", "version": "2026.11.1", "effective": "2026-11-01"}
    ]
    assert decision["items"][0]["reasons"][0]["policy"] == "liaison.no-authority"


def test_check_exits_2_with_a_message_per_field_for_a_malformed_request() -> None:
    code, out, err = _run(
        "check", "-", stdin=json.dumps(request(data_item(category="shoe_size"), purpose=3))
    )
    assert code == 2
    assert out == ""
    assert (
        "liaison policy: The request is not a valid liaison.sharing.request/1 request (2 problems)."
        in err
    )
    assert "  purpose: Must be a string." in err
    assert "  items[0].category: Unknown value 'shoe_size'" in err


@pytest.mark.parametrize(
    ("stdin", "says"), [("{not json", "is not JSON"), ("[]", "must be a JSON object")]
)
def test_check_exits_2_for_text_that_is_not_a_request(stdin: str, says: str) -> None:
    code, _, err = _run("check", "-", stdin=stdin)
    assert code == 2
    assert says in err


def test_check_refuses_an_unknown_pack_with_exit_2(tmp_path: Path) -> None:
    with pytest.raises(CommandError) as caught:
        call_command("policy", "check", str(CASE), "--pack", "nowhere", stdout=io.StringIO())
    assert caught.value.returncode == 2
    assert "no pack named 'nowhere'" in str(caught.value)


def test_test_runs_every_case_with_its_citation_and_exits_0() -> None:
    out = io.StringIO()
    call_command("policy", "test", stdout=out)
    lines = out.getvalue().splitlines()
    assert (
        "PASS mn/detainer-hold-admin-warrant: A hold past release on an administrative detainer in Minnesota (Esparza v. Nobles County (Minn. Ct. App. 2019))"
        in lines
    )
    assert lines[-1].endswith("cases, 0 failed")


def test_test_can_run_one_pack() -> None:
    out = io.StringIO()
    call_command("policy", "test", "--pack", "st_paul", stdout=out)
    assert out.getvalue().splitlines() == [
        "PASS st_paul/no-status-inquiry: A status inquiry by Saint Paul police (Saint Paul Administrative Code ch. 44)",
        "1 cases, 0 failed",
    ]
