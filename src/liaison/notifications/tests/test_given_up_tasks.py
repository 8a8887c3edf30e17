"""A task given up because its workers kept dying raises the alarm on the jobs page and in
``liaison jobs`` (non-zero exit, for monitoring)."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from liaison.accounts.tests.factories import make_user
from liaison.core.leases import task_claim, task_leases_expire
from liaison.core.roles import Role
from liaison.notifications.tests import jobs
from liaison.notifications.tests.conftest import client_for


def give_up_one_task(settings: Any) -> None:
    settings.LIAISON_TASK_MAX_ATTEMPTS = 2
    jobs.nothing.enqueue()
    start = timezone.now()
    for n in (1, 2):
        with time_machine.travel(start + timedelta(seconds=(n - 1) * 61)):
            assert task_claim(DBTaskResult.objects.ready(), worker_id=f"w{n}") is not None
        with time_machine.travel(start + timedelta(seconds=n * 61)):
            task_leases_expire()


def jobs_command(*args: str) -> str:
    out = StringIO()
    call_command("jobs", *args, stdout=out)
    return out.getvalue()


def test_the_jobs_page_alerts_on_a_task_given_up(db: None, settings: Any) -> None:
    client = client_for(make_user(Role.ADMIN))
    assert 'data-testid="tasks-given-up"' not in client.get("/system/jobs/").content.decode()

    give_up_one_task(settings)

    page = client.get("/system/jobs/").content.decode()
    assert 'data-testid="tasks-given-up"' in page
    assert "1 task given up" in page
    assert "2 times in a row" in page
    assert "liaison.core.leases.WorkerLost" in page


def test_liaison_jobs_fails_the_check_when_a_task_was_given_up(db: None, settings: Any) -> None:
    assert "given up in the last 24 h (their workers died): 0" in jobs_command()

    give_up_one_task(settings)

    with pytest.raises(CommandError, match="1 task given up after 2 attempts") as exc:
        jobs_command()
    assert exc.value.returncode == 1
    # An old one no longer fails the check (it stays on the jobs page).
    with time_machine.travel(timezone.now() + timedelta(hours=25)):
        assert "given up in the last 24 h (their workers died): 0" in jobs_command()
