"""``liaison operations check`` prints the conflicts of a plan and saves nothing;
``liaison operations import`` stores plans through the service, one per line."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from liaison.core.roles import Role
from liaison.ledger.models import Entry
from liaison.operations.models import Operation
from liaison.operations.tests.conftest import plan_data
from liaison.personas import World


def _run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("operations", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_check_prints_the_conflicts_and_saves_nothing(
    planner: Callable[..., Operation], tmp_path: Path
) -> None:
    first = planner("BCA", submit=True, subjects=[{"kind": "plate", "value": "ABC-123"}])
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(plan_data("MPD", subjects=[{"kind": "plate", "value": "abc123"}])))
    before = (Operation.objects.count(), Entry.objects.count())
    out, _ = _run("check", str(path))
    assert json.loads(out) == {
        "format": "liaison.operations.conflicts/1",
        "conflicts": [
            {"operation": first.pk, "reason": "place_time"},
            {"operation": first.pk, "reason": "subject"},
        ],
    }
    assert (Operation.objects.count(), Entry.objects.count()) == before


def test_check_of_a_malformed_plan_exits_2_naming_each_field(world: World, tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(plan_data(locations=[{"lat": 91, "lon": -93}])))
    with pytest.raises(CommandError) as refused:
        _run("check", str(path))
    assert refused.value.returncode == 2
    assert "locations[0].lat: Latitude is a number from −90 to 90." in str(refused.value)


def test_import_stores_each_plan_through_the_service_and_reports_bad_lines(
    world: World, tmp_path: Path
) -> None:
    user = world.persona(Role.COORDINATOR, "BCA")
    lines = [
        json.dumps(plan_data("BCA", name="First")),
        "{not json",
        json.dumps(plan_data("BCA", name="Second", window={"start": "x"})),
        json.dumps(plan_data("BCA", name="Third", status="active")),
    ]
    path = tmp_path / "plans.jsonl"
    path.write_text("\n".join(lines) + "\n")
    out = io.StringIO()
    err = io.StringIO()
    with pytest.raises(CommandError) as refused:
        call_command(
            "operations", "import", str(path), "--as", user.username, stdout=out, stderr=err
        )
    assert refused.value.returncode == 2
    stored = list(Operation.objects.order_by("pk"))
    assert [o.name for o in stored] == ["First", "Third"]
    assert out.getvalue().split() == [str(o.pk) for o in stored]
    assert "line 2: not JSON" in err.getvalue()
    assert "line 3:" in err.getvalue()
    assert "window.start" in err.getvalue()
    assert "2 operations stored, 2 lines refused" in err.getvalue()
    assert Entry.objects.filter(action="operation.create").count() == 2
    assert stored[1].status == "active"
    assert stored[0].point_of_contact == user
    # both overlap and the second is active: deconflicted on the way in
    assert stored[1].conflicts_as_b.count() == 1


def test_import_refuses_a_plan_of_an_agency_the_account_may_not_plan_for(
    world: World, tmp_path: Path
) -> None:
    user = world.persona(Role.COORDINATOR, "MPD")
    path = tmp_path / "plans.jsonl"
    path.write_text(json.dumps(plan_data("BCA")) + "\n")
    with pytest.raises(CommandError):
        _run("import", str(path), "--as", user.username)
    assert not Operation.objects.exists()
