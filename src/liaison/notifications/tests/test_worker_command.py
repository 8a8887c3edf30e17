"""``liaison worker`` called in-process: what --burst and --no-scheduler do."""

from __future__ import annotations

import signal

import pytest
from django.core.management import CommandError, call_command
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from liaison.core.models import ScheduledSlot
from liaison.notifications.tests import jobs

NOTHING = "liaison.notifications.tests.jobs.nothing"

# The worker closes stale connections between tasks, as a long-running process must;
# that needs autocommit, so these tests commit instead of rolling back.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def one_job(settings) -> None:
    settings.LIAISON_PERIODIC_TASKS = [(NOTHING, 300)]


def test_burst_schedules_due_jobs_runs_every_ready_task_and_exits(one_job: None) -> None:
    queued = jobs.nothing.enqueue()

    call_command("worker", "--burst", verbosity=0)

    assert DBTaskResult.objects.filter(task_path=NOTHING).count() == 2  # queued + periodic
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {
        TaskResultStatus.SUCCESSFUL
    }
    assert DBTaskResult.objects.get(id=queued.id).return_value == "done"
    assert ScheduledSlot.objects.filter(job=NOTHING).count() == 1


def test_without_the_scheduler_only_queued_tasks_run(one_job: None) -> None:
    jobs.nothing.enqueue()

    call_command("worker", "--once", "--no-scheduler", verbosity=0)

    assert DBTaskResult.objects.filter(task_path=NOTHING).count() == 1
    assert not ScheduledSlot.objects.exists()


def test_the_callers_signal_handlers_are_restored(one_job: None) -> None:
    before = signal.getsignal(signal.SIGTERM)
    call_command("worker", "--burst", verbosity=0)
    assert signal.getsignal(signal.SIGTERM) is before


def test_a_worker_id_longer_than_64_characters_is_refused() -> None:
    with pytest.raises(CommandError):
        call_command("worker", "--burst", "--worker-id", "w" * 65)
