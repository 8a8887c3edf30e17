"""``liaison jobs``: the task queue's health, for operators and monitoring checks."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError, CommandParser
from django.utils import timezone

from liaison.core.management.base import LiaisonCommand
from liaison.notifications.selectors import task_queue_summary


class Command(LiaisonCommand):
    help = (
        "Show how many tasks are ready, running, failed and done. Exit 1 when a task was "
        "given up (every worker that claimed it died) in the last --given-up-hours, and, "
        "with --max-wait or --max-running, when the oldest ready task waited longer, or a "
        "task has run longer (a worker missing or stuck) — for monitoring checks."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--max-wait", type=int, default=None, metavar="SECONDS", help="Alert on backlog."
        )
        parser.add_argument(
            "--max-running",
            type=int,
            default=None,
            metavar="SECONDS",
            help="Alert on a task running this long.",
        )
        parser.add_argument(
            "--given-up-hours",
            type=int,
            default=24,
            metavar="HOURS",
            help="Alert on tasks given up this many hours back (default 24): every worker "
            "that claimed them died before finishing.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        summary = task_queue_summary(
            given_up_since=now - timedelta(hours=max(options["given_up_hours"], 0))
        )
        for _value, label, count in summary.counts:
            self.stdout.write(f"{label.lower()}: {count}")
        waited = now - summary.oldest_ready_at if summary.oldest_ready_at else timedelta(0)
        running = (
            now - summary.oldest_running_since if summary.oldest_running_since else timedelta(0)
        )
        self.stdout.write(f"oldest ready task waited: {int(waited.total_seconds())} s")
        self.stdout.write(f"longest running task: {int(running.total_seconds())} s")
        self.stdout.write(
            f"given up in the last {options['given_up_hours']} h "
            f"(their workers died): {summary.given_up}"
        )
        problems = []
        if options["max_wait"] is not None and waited.total_seconds() > options["max_wait"]:
            problems.append("the oldest ready task has waited too long (no or too few workers)")
        if options["max_running"] is not None and running.total_seconds() > options["max_running"]:
            problems.append("a task has been running too long (a worker stuck or killed)")
        if summary.given_up:
            problems.append(
                f"{summary.given_up} task{'s' if summary.given_up != 1 else ''} given up after "
                f"{settings.LIAISON_TASK_MAX_ATTEMPTS} attempts whose workers all died"
            )
        if problems:
            raise CommandError("; ".join(problems), returncode=1)
