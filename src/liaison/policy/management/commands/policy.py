"""``liaison policy check|test`` — for the authors of rule packs (like ``opa eval`` / ``opa test``).

* ``check REQUEST.json`` (``-`` for standard input; a pack's case file works too) ``[--pack NAME ...] [--on DATE]`` —
  print the ``liaison.sharing.decision/1`` decision, using every pack that applies to the
  request's jurisdiction (or only the named ones). Exit 0 whatever the decision; exit 2
  with a message per field when the request is malformed.
* ``test [--pack NAME ...]`` — run every pack's cases and report each with its citation;
  exit 1 when a case fails or a policy has no case.
* ``diff --to PACKDIR [--since DATE] [--json]`` — replay the stored requests (their stored
  facts, on their filing dates) with the pack version in PACKDIR in place of the pack of
  the same name and list every item whose answer would change, with the old and the new
  reasons (:mod:`liaison.policy.replay`). Exit 0 when nothing would change, 1 when
  something would (or a stored request could not be replayed), 2 for a bad PACKDIR or
  date, or when no app registered stored requests.

``check`` and ``test`` do not need the database.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from liaison.core.errors import ServiceError
from liaison.core.management.base import LiaisonCommand
from liaison.policy import replay
from liaison.policy.cases import policies_without_case, run_cases
from liaison.policy.engine import decide
from liaison.policy.packs import shipped


def _problem(error: ServiceError) -> str:
    lines = [error.message]
    lines += [f"  {field}: {' '.join(messages)}" for field, messages in error.fields.items()]
    return "\n".join(lines)


class Command(LiaisonCommand):
    help = "Decide a sharing request with the rule packs, or run the packs' cases."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        check = sub.add_parser("check", help="Print the decision on a request (JSON file or -).")
        check.add_argument("request", help="A liaison.sharing.request/1 JSON file, or - for stdin.")
        check.add_argument(
            "--pack",
            action="append",
            default=None,
            metavar="NAME",
            help="Use only this pack (repeat for more); default: every pack that applies.",
        )
        check.add_argument(
            "--on",
            default=None,
            metavar="YYYY-MM-DD",
            help="Decide as on this date (default today).",
        )
        test = sub.add_parser("test", help="Run every pack's cases.")
        test.add_argument(
            "--pack", action="append", default=None, metavar="NAME", help="Only this pack's cases."
        )

        diff = sub.add_parser(
            "diff", help="List the stored requests a changed pack would decide differently."
        )
        diff.add_argument(
            "--to",
            required=True,
            metavar="PACKDIR",
            help="Directory of the changed pack version (pack.json, *.cedar); it replaces the "
            "shipped pack of the same name.",
        )
        diff.add_argument(
            "--since",
            default=None,
            metavar="YYYY-MM-DD",
            help="Only requests filed on or after this date (default: every stored request).",
        )
        diff.add_argument("--json", action="store_true", help="Print the report as JSON.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            library = shipped()
        except ServiceError as exc:
            raise CommandError(_problem(exc), returncode=2) from None
        if options["action"] == "check":
            self._check(options["request"], options["pack"], options["on"])
            return
        if options["action"] == "diff":
            self._diff(options["to"], options["since"], as_json=options["json"])
            return
        results = run_cases(library, names=options["pack"])
        for result in results:
            mark = "PASS" if result.passed else "FAIL"
            self.stdout.write(
                f"{mark} {result.pack}/{result.name}: {result.description} ({result.citation})"
            )
            for problem in result.problems:
                self.stdout.write(f"     {problem}")
        missing = [
            p
            for p in policies_without_case(library)
            if options["pack"] is None or p.split(".", 1)[0] in options["pack"]
        ]
        for policy in missing:
            self.stdout.write(f"FAIL {policy}: no case names this policy")
        failed = sum(not r.passed for r in results) + len(missing)
        self.stdout.write(f"{len(results)} cases, {failed} failed")
        if failed:
            raise CommandError(f"{failed} case(s) failed.", returncode=1)

    def _diff(self, directory: str, since: str | None, *, as_json: bool) -> None:
        try:
            day = date.fromisoformat(since) if since else None
        except ValueError:
            raise CommandError(
                f"--since {since!r} is not a date (YYYY-MM-DD).", returncode=2
            ) from None
        try:
            report = replay.pack_diff(Path(directory), since=day)
        except ServiceError as exc:
            raise CommandError(_problem(exc), returncode=2) from None
        if as_json:
            self.stdout.write(json.dumps(report.as_json(), indent=2, ensure_ascii=False))
        else:
            self.stdout.write(replay.render_text(report))
        if report.changed or report.unreplayable:
            raise CommandError(
                f"{len(report.changed)} stored request(s) would be decided differently"
                + (
                    f"; {len(report.unreplayable)} could not be replayed."
                    if report.unreplayable
                    else "."
                ),
                returncode=1,
            )

    def _check(self, source: str, packs: list[str] | None, on: str | None) -> None:
        try:
            text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"cannot read {source}: {exc.strerror}", returncode=2) from None
        try:
            request = json.loads(text)
        except ValueError as exc:
            raise CommandError(f"{source} is not JSON: {exc}", returncode=2) from None
        if isinstance(request, dict) and "request" in request and "expect" in request:
            request = request["request"]  # a pack's case file: decide its request
        try:
            day = date.fromisoformat(on) if on else None
        except ValueError:
            raise CommandError(f"--on {on!r} is not a date (YYYY-MM-DD).", returncode=2) from None
        try:
            decision = decide(request, packs=packs, on=day)
        except ServiceError as exc:
            raise CommandError(_problem(exc), returncode=2) from None
        self.stdout.write(json.dumps(decision, indent=2, ensure_ascii=False))
