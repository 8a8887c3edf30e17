"""``liaison training readiness|import|assign``: training from the command line.

* ``readiness --person P | --task-force T [--json]`` — each requirement's state and
  reason for a person, or for each person of a task force's current roster.
* ``import FILE.csv [--commit] [--rejected OUT.csv]`` — check every row and print its
  outcome (nothing is saved); with ``--commit``, import the valid rows in one
  transaction and write the rejected rows, with their errors, to ``OUT.csv``.
* ``assign --person P --task-force T --role R [--start DAY]`` — assign a person to a
  task force through the directory's service, so training gating refuses it exactly as
  on the pages and in the API when required training is not current.

A person is named by id, badge number or work e-mail; a task force by id or (part of)
its name. The commands run as the system, like ``liaison token``, unless ``--user``
names an account: then that account's rules apply, and a supervisor's or an
administrator's import is verified by them.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.db.models import Q
from django.utils import timezone

from liaison.accounts.models import User
from liaison.core.errors import ServiceError
from liaison.core.management.base import LiaisonCommand, refusal_sentence
from liaison.directory import services as directory
from liaison.directory.models import Person, TaskForce, TaskForceAssignment
from liaison.training import readiness
from liaison.training.services import imports


def _person(value: str) -> Person:
    q = Q(badge_number__iexact=value) | Q(email__iexact=value)
    if value.isdigit():
        q |= Q(pk=int(value))
    found = list(Person.objects.filter(q).select_related("agency")[:2])
    if len(found) != 1:
        raise CommandError(
            f"No one has the id, badge number or e-mail {value!r}."
            if not found
            else f"More than one person matches {value!r}: use the id."
        )
    return found[0]


def _task_force(value: str) -> TaskForce:
    if value.isdigit() and TaskForce.objects.filter(pk=int(value)).exists():
        return TaskForce.objects.get(pk=int(value))
    exact = list(TaskForce.objects.filter(name__iexact=value)[:2])
    found = exact or list(TaskForce.objects.filter(name__icontains=value)[:2])
    if len(found) != 1:
        raise CommandError(
            f"No task force has the id or name {value!r}."
            if not found
            else f"More than one task force matches {value!r}: use the id or the full name."
        )
    return found[0]


def _status(s: readiness.Status) -> dict[str, Any]:
    r = s.requirement
    return {
        "requirement_id": r.pk,
        "course_code": r.course.code,
        "course_title": r.course.title,
        "applies_to": r.applies_to,
        "basis": r.basis,
        "overridable": r.overridable,
        "state": s.state,
        "reason": s.reason,
        "expires_on": s.expires_on.isoformat() if s.expires_on else None,
    }


class Command(LiaisonCommand):
    help = (
        "Training readiness of a person or a task force, a CSV import of completions "
        "(preview, or --commit), and assignments gated by training."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        ready = sub.add_parser("readiness", help="Each requirement's state and reason.")
        which = ready.add_mutually_exclusive_group(required=True)
        which.add_argument("--person", help="Id, badge number or work e-mail.")
        which.add_argument("--task-force", help="Id or (part of) the name; its current roster.")
        ready.add_argument("--json", action="store_true", help="Print JSON, as the API answers.")
        load = sub.add_parser("import", help="Check a CSV of completions; --commit imports it.")
        load.add_argument("file", help="CSV: person, course, date, hours, score.")
        load.add_argument(
            "--commit", action="store_true", help="Import the valid rows (default: preview only)."
        )
        load.add_argument(
            "--rejected",
            help="Where --commit writes the rejected rows (default FILE.rejected.csv).",
        )
        load.add_argument("--user", help="Import as this account (default: the system).")
        assign = sub.add_parser("assign", help="Assign a person to a task force (gated).")
        assign.add_argument("--person", required=True, help="Id, badge number or work e-mail.")
        assign.add_argument("--task-force", required=True, help="Id or (part of) the name.")
        assign.add_argument("--role", default="Task Force Officer", help="Role on the task force.")
        assign.add_argument("--start", type=date.fromisoformat, help="First day (default today).")
        assign.add_argument("--user", help="Assign as this account (default: the system).")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        try:
            if action == "readiness":
                self._readiness(options)
            elif action == "import":
                self._import(options)
            else:
                self._assign(options)
        except ServiceError as exc:
            raise CommandError(refusal_sentence(exc)) from exc

    def _actor(self, options: dict[str, Any]) -> User | None:
        if not options.get("user"):
            return None
        user = User.objects.filter(username=options["user"], is_active=True).first()
        if user is None:
            raise CommandError(f"No active user is named {options['user']!r}.")
        return user

    # --- readiness ---------------------------------------------------------------------

    def _readiness(self, options: dict[str, Any]) -> None:
        today = timezone.localdate()
        if options["person"]:
            person = _person(options["person"])
            found = readiness.person_readiness(person=person, on=today)
            attributes = readiness.training_attributes(person=person, on=today)
            if options["json"]:
                self._json(
                    {
                        "person_id": person.pk,
                        "as_of": today.isoformat(),
                        "ready": not any(s.blocking for s in found),
                        "requirements": [_status(s) for s in found],
                        "attributes": attributes,
                    }
                )
                return
            self.stdout.write(f"{person} ({person.agency}), readiness on {today.isoformat()}:")
            self._statuses(found)
            names = ", ".join(f"{k}={'true' if v else 'false'}" for k, v in attributes.items())
            self.stdout.write(f"Attributes: {names}")
            return
        task_force = _task_force(options["task_force"])
        assignments = TaskForceAssignment.objects.filter(task_force=task_force).select_related(
            "person", "person__agency"
        )
        lines = readiness.task_force_readiness(
            task_force=task_force, assignments=list(assignments), on=today
        )
        if options["json"]:
            self._json(
                {
                    "task_force_id": task_force.pk,
                    "as_of": today.isoformat(),
                    "people": [
                        {
                            "person_id": line.assignment.person_id,
                            "role": line.assignment.role,
                            "readiness": line.overall,
                            "requirements": [_status(s) for s in line.statuses],
                        }
                        for line in lines
                    ],
                }
            )
            return
        self.stdout.write(f"{task_force}, current roster on {today.isoformat()}:")
        for line in lines:
            self.stdout.write(
                f"{line.assignment.person} (#{line.assignment.person_id}), "
                f"{line.assignment.role}: {line.overall_label}"
            )
            self._statuses(line.statuses, indent="    ")
        if not lines:
            self.stdout.write("No current assignments.")

    def _statuses(self, found: list[readiness.Status], *, indent: str = "  ") -> None:
        for s in found:
            self.stdout.write(f"{indent}{s.label}: {s.line}")
        if not found:
            self.stdout.write(f"{indent}No requirement applies.")

    def _json(self, data: dict[str, Any]) -> None:
        self.stdout.write(json.dumps(data, indent=2, sort_keys=True))

    # --- import ------------------------------------------------------------------------

    def _import(self, options: dict[str, Any]) -> None:
        path = Path(options["file"])
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}.") from exc
        if len(raw) > imports.MAX_BYTES:
            raise CommandError(f"{path} is too large: at most {imports.MAX_BYTES // 1_048_576} MB.")
        try:
            content = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise CommandError(f"{path} is not UTF-8 text: save it as CSV UTF-8.") from exc
        actor = self._actor(options)
        if not options["commit"]:
            rows = imports.check(actor, content)
            self._outcomes(rows)
            valid = sum(1 for r in rows if not r.errors)
            self.stdout.write(
                f"Preview only: {valid} of {len(rows)} rows would be imported, "
                f"{len(rows) - valid} rejected. Nothing was saved; add --commit to import."
            )
            return
        batch = imports.completion_import_preview(actor=actor, file_name=path.name, content=content)
        if batch.status == batch.Status.CHECKING:
            batch = imports.completion_import_check(batch_id=batch.pk)
        self._outcomes(imports.preview_rows(batch))
        batch = imports.completion_import_commit(actor=actor, batch=batch)
        rejected = batch.total_rows - batch.imported_rows
        out = Path(options["rejected"] or path.with_suffix(".rejected.csv"))
        if rejected:
            out.write_text(batch.rejected, encoding="utf-8")
        verified = (
            "verified"
            if batch.imported_rows and actor is not None and (actor.role in ("supervisor", "admin"))
            else "waiting for a supervisor's verification"
        )
        self.stdout.write(
            f"Imported {batch.imported_rows} of {batch.total_rows} rows ({verified}), "
            f"import #{batch.pk}."
            + (f" {rejected} rejected rows written to {out}." if rejected else "")
        )

    def _outcomes(self, rows: list[imports.Row]) -> None:
        for r in rows:
            said = f"Rejected: {' '.join(r.errors)}" if r.errors else r.outcome
            self.stdout.write(f"line {r.line}: {r.values['person']} {r.values['course']} — {said}")

    # --- assign ------------------------------------------------------------------------

    def _assign(self, options: dict[str, Any]) -> None:
        person = _person(options["person"])
        task_force = _task_force(options["task_force"])
        try:
            assignment = directory.task_force_assignment_create(
                actor=self._actor(options),
                person=person,
                task_force=task_force,
                role=options["role"],
                start_date=options["start"] or timezone.localdate(),
            )
        except ServiceError as exc:
            raise CommandError(
                refusal_sentence(exc, what=f"{person} was not assigned to {task_force}.")
            ) from exc
        self.stdout.write(
            f"Assigned {person} to {task_force} as {assignment.role} "
            f"from {assignment.start_date.isoformat()} (assignment #{assignment.pk})."
        )
