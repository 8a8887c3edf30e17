"""``liaison training``: readiness of a person or a task force (text and JSON), the CSV
import (a preview that saves nothing, then ``--commit``), and assignments from the
command line refused by training gating exactly as on the pages and in the API."""

from __future__ import annotations

import json
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from liaison.core.roles import Role
from liaison.directory.models import TaskForceAssignment
from liaison.ledger.models import Entry
from liaison.training.models import Completion, CompletionImport, Requirement
from liaison.training.tests.conftest import complete, require

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("training", *args, stdout=out)
    return out.getvalue()


def test_readiness_of_a_person_in_words_and_as_json(world, catalog):
    require(catalog.ice, task_force=world.task_forces["HSI-TF"])
    person = world.people["BCA"]
    complete(person, catalog.cfr, timezone.localdate() - timedelta(days=3))
    text = run("readiness", "--person", person.badge_number)
    assert f"{person} (" in text
    assert "Missing: ICE-287G ICE 287(g) task force officer course: No verified completion." in text
    assert "28CFRCertificationIndicator=true" in text
    body = json.loads(run("readiness", "--person", str(person.pk), "--json"))
    assert body["ready"] is False
    assert [r["state"] for r in body["requirements"]] == ["missing"]
    assert body["attributes"]["28CFRCertificationIndicator"] is True


def test_readiness_of_a_task_force_roster(world, catalog):
    tf = world.task_forces["HSI-TF"]
    require(catalog.ice, task_force=tf)
    complete(world.people["BCA"], catalog.ice, timezone.localdate(), score=90)
    text = run("readiness", "--task-force", tf.name)
    assert f"{world.people['BCA']} (#{world.people['BCA'].pk}), Task Force Officer: Current" in text
    body = json.loads(run("readiness", "--task-force", str(tf.pk), "--json"))
    assert {p["readiness"] for p in body["people"]} == {"current", "missing"}


def test_an_unknown_person_is_a_sentence():
    with pytest.raises(CommandError, match="No one has the id, badge number or e-mail 'nobody'"):
        run("readiness", "--person", "nobody")


def _file(tmp_path: Path, world, catalog) -> Path:
    badge = world.people["BCA"].badge_number
    day = (timezone.localdate() - timedelta(days=2)).isoformat()
    path = tmp_path / "done.csv"
    path.write_text(
        "person,course,date,hours,score\n"
        f"{badge},{catalog.ice.code},{day},8,90\n"
        f"{badge},{catalog.privacy.code},{day},2,\n"
        f"{badge},{catalog.privacy.code},{day},2,\n"
        f"nobody,{catalog.privacy.code},{day},2,\n"
        f"{badge},NOPE,01/02/2026,2,\n",
        encoding="utf-8",
    )
    return path


def test_the_import_previews_every_row_and_saves_nothing(world, catalog, tmp_path):
    before = Entry.objects.count()
    text = run("import", str(_file(tmp_path, world, catalog)))
    assert "line 2: " in text
    assert "line 3: " in text
    assert "Will be imported" in text
    assert "line 4: " in text
    assert "Duplicate: the same completion is on an earlier line of the file." in text
    assert "line 5: nobody" in text
    assert "Unknown person" in text
    assert "line 6: " in text
    assert "Unknown course" in text
    assert "Bad date" in text
    assert "Preview only: 2 of 5 rows would be imported, 3 rejected." in text
    assert not Completion.objects.exists()
    assert not CompletionImport.objects.exists()
    assert Entry.objects.count() == before


def test_the_import_commits_the_valid_rows_and_writes_the_rejected_ones(world, catalog, tmp_path):
    path = _file(tmp_path, world, catalog)
    text = run("import", str(path), "--commit", "--user", world.users[Role.SUPERVISOR].username)
    assert "Imported 2 of 5 rows (verified)" in text
    assert Completion.objects.filter(verified_at__isnull=False).count() == 2
    rejected = (tmp_path / "done.rejected.csv").read_text(encoding="utf-8").splitlines()
    assert rejected[0] == "person,course,date,hours,score,line,errors"
    assert len(rejected) == 4
    assert Entry.objects.filter(action="completion_import.commit").count() == 1
    again = run("import", str(path), "--commit", "--rejected", str(tmp_path / "again.csv"))
    assert "Imported 0 of 5 rows" in again
    assert "Duplicate: this completion is recorded already." in again


def test_an_assignment_from_the_command_line_is_gated_by_training(world, catalog):
    tf = world.task_forces["HSI-TF"]
    require(catalog.ice, task_force=tf)
    require(catalog.privacy, role="Task Force Officer", basis=Requirement.Basis.POLICY)
    person = world.person("BCA")
    args = ("assign", "--person", str(person.pk), "--task-force", str(tf.pk))
    with pytest.raises(CommandError) as refused:
        run(*args)
    message = str(refused.value)
    assert f"{person} was not assigned to {tf}." in message
    assert "ICE-287G" in message
    assert "Statutory: no override." in message
    assert "ST-PRIV" in message
    assert not TaskForceAssignment.objects.filter(person=person).exists()
    complete(person, catalog.ice, timezone.localdate(), score=80)
    complete(person, catalog.privacy, timezone.localdate())
    assert "Assigned" in run(*args, "--user", world.users[Role.SUPERVISOR].username)
    assert TaskForceAssignment.objects.filter(person=person, task_force=tf).count() == 1
