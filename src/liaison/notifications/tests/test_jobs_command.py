"""``liaison jobs``: queue health for monitoring checks."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.utils import timezone

from liaison.notifications.tests import jobs


def run(*args: str) -> str:
    out = StringIO()
    call_command("jobs", *args, stdout=out)
    return out.getvalue()


def test_it_counts_tasks_by_status(db: None) -> None:
    jobs.nothing.enqueue()
    jobs.nothing.enqueue()

    output = run()

    assert "ready: 2" in output
    assert "failed: 0" in output


def test_a_backlog_older_than_max_wait_fails_the_check(db: None) -> None:
    jobs.nothing.enqueue()
    assert "ready: 1" in run("--max-wait", "600")

    with (
        time_machine.travel(timezone.now() + timedelta(minutes=11)),
        pytest.raises(CommandError, match="waited too long"),
    ):
        run("--max-wait", "600")


def test_an_empty_queue_passes_every_check(db: None) -> None:
    assert "oldest ready task waited: 0 s" in run("--max-wait", "1", "--max-running", "1")
