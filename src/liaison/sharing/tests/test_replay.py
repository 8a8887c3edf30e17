"""``liaison policy diff`` replays the requests this app stored, with their stored facts."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

from django.core.management import CommandError, call_command

from liaison.policy.packs import PACKS_DIR
from liaison.sharing.selectors import stored_requests_for_replay
from liaison.sharing.tests.conftest import ADDRESS, HOLD

ARREST = {"category": "arrest", "classification": "public", "source": "records_management"}


def _diff(*args: str) -> tuple[int, dict[str, object]]:
    out = io.StringIO()
    code = 0
    try:
        call_command("policy", "diff", *args, "--json", stdout=out)
    except CommandError as exc:
        code = exc.returncode
        if code == 2:
            raise
    return code, json.loads(out.getvalue())


def test_stored_requests_replay_with_their_facts_and_decision(world) -> None:
    first = world.file([HOLD], custodian="BCA")
    second = world.file([ADDRESS], custodian="BCA")
    replayed = list(stored_requests_for_replay(None))
    assert [row[0] for row in replayed] == [first.reference, second.reference]
    assert replayed[0][1:] == (first.decided_on, first.facts, first.decision)
    assert list(stored_requests_for_replay(first.decided_on.replace(year=2100))) == []


def test_an_unchanged_pack_changes_no_stored_answer_and_a_changed_one_is_listed(
    world, tmp_path: Path
) -> None:
    request = world.file([ARREST], custodian="BCA")
    assert request.decision["items"][0]["decision"] == "permit"
    same = tmp_path / "mn-same"
    shutil.copytree(PACKS_DIR / "mn", same)
    code, report = _diff("--to", str(same))
    assert code == 0
    assert report["replayed"] == 1

    changed = tmp_path / "mn-changed"
    shutil.copytree(PACKS_DIR / "mn", changed)
    practices = changed / "data-practices.cedar"
    # Counsel's draft forbids what Minn. Stat. 13.82 subd. 2 makes public.
    practices.write_text(practices.read_text().replace("permit (", "forbid (", 1))
    code, report = _diff("--to", str(changed))
    assert code == 1
    changed_requests = report["changed"]
    assert isinstance(changed_requests, list)
    assert [change["reference"] for change in changed_requests] == [request.reference]
    (item,) = changed_requests[0]["items"]
    assert (item["old"]["decision"], item["new"]["decision"]) == ("permit", "deny")
