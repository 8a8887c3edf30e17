"""``liaison operations check|import`` — the deconfliction contract for tools.

* ``check PLAN.json`` (``-`` for standard input) — print, saving nothing, the conflicts a
  ``liaison.operations.plan/1`` plan would raise against every agency's planned and
  active operations, as ``{"format": "liaison.operations.conflicts/1", "conflicts":
  [{"operation": ID, "reason": "place_time" | "subject"}]}``. Exit 0; exit 2 with a
  message per field when the plan is malformed.
* ``import FILE.jsonl --as USERNAME`` — store one plan per line through the service
  (checked, ledgered and deconflicted like a plan entered on a page), as the account
  named, which becomes each operation's point of contact. Prints each new operation's
  id; progress and every refused line (by its number) go to standard error. Exit 2
  when a line was refused (the other lines are stored).

See docs/operations.md.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, TextIO

from django.core.management.base import CommandError, CommandParser

from liaison.accounts.models import User
from liaison.core.errors import ServiceError
from liaison.core.management.base import LiaisonCommand
from liaison.operations import selectors, services
from liaison.operations.plans import CONFLICTS_FORMAT, validate_plan

PROGRESS_EVERY = 100


def _problem(error: ServiceError) -> str:
    lines = [error.message]
    lines += [f"  {field}: {' '.join(messages)}" for field, messages in error.fields.items()]
    return "\n".join(lines)


def _open(source: str) -> TextIO:
    if source == "-":
        return sys.stdin
    try:
        return Path(source).open(encoding="utf-8")
    except OSError as exc:
        raise CommandError(f"cannot read {source}: {exc.strerror}", returncode=2) from None


class Command(LiaisonCommand):
    help = "Check a plan for conflicts without saving it, or import plans in bulk."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        check = sub.add_parser("check", help="Print the conflicts a plan would raise.")
        check.add_argument("plan", help="A liaison.operations.plan/1 JSON file, or - for stdin.")
        imports = sub.add_parser("import", help="Store plans, one JSON object per line.")
        imports.add_argument("file", help="A JSON Lines file of plans, or - for stdin.")
        imports.add_argument(
            "--as",
            dest="username",
            required=True,
            metavar="USERNAME",
            help="The account importing; it is the point of contact of every operation.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "check":
            self._check(options["plan"])
        else:
            self._import(options["file"], options["username"])

    def _check(self, source: str) -> None:
        with _open(source) as stream:
            text = stream.read()
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise CommandError(f"{source} is not JSON: {exc}", returncode=2) from None
        try:
            plan = validate_plan(data)
        except ServiceError as exc:
            raise CommandError(_problem(exc), returncode=2) from None
        found = selectors.plan_check(user=None, plan=plan)
        out = {
            "format": CONFLICTS_FORMAT,
            "conflicts": [{"operation": f.operation, "reason": f.reason} for f in found],
        }
        self.stdout.write(json.dumps(out, indent=2))

    def _import(self, source: str, username: str) -> None:
        actor = User.objects.filter(username=username, is_active=True).first()
        if actor is None:
            raise CommandError(f"there is no active account {username!r}.", returncode=2)
        stored = refused = 0
        with _open(source) as stream:
            for number, line in enumerate(stream, start=1):
                if not line.strip():
                    continue
                try:
                    data = json.loads(line)
                except ValueError as exc:
                    self.stderr.write(f"line {number}: not JSON: {exc}")
                    refused += 1
                    continue
                try:
                    operation = services.operation_create(actor=actor, plan=validate_plan(data))
                except ServiceError as exc:
                    self.stderr.write(f"line {number}: {_problem(exc)}")
                    refused += 1
                    continue
                stored += 1
                self.stdout.write(str(operation.pk))
                if (stored + refused) % PROGRESS_EVERY == 0:
                    self.stderr.write(f"{stored + refused} lines read, {stored} stored")
        self.stderr.write(f"{stored} operations stored, {refused} lines refused")
        if refused:
            raise CommandError(f"{refused} line(s) refused.", returncode=2)
