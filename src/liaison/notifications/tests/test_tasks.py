"""Housekeeping jobs of the notifications app."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from liaison.core.models import ScheduledSlot
from liaison.core.schedule import Scheduler
from liaison.notifications.tasks import prune_job_history
from liaison.notifications.tests import jobs


def test_prune_job_history_deletes_old_finished_tasks_and_slots_only(db: None, settings) -> None:
    settings.LIAISON_PERIODIC_TASKS = [("liaison.notifications.tests.jobs.nothing", 60)]
    settings.LIAISON_JOB_HISTORY_DAYS = 30
    long_ago = timezone.now() - timedelta(days=40)
    with time_machine.travel(long_ago, tick=False):
        Scheduler().tick()
        old_waiting = jobs.nothing.enqueue()
    DBTaskResult.objects.exclude(id=old_waiting.id).update(
        status=TaskResultStatus.SUCCESSFUL, finished_at=long_ago
    )
    Scheduler().tick()
    recent = DBTaskResult.objects.order_by("-enqueued_at").first()
    assert recent is not None
    DBTaskResult.objects.filter(id=recent.id).update(
        status=TaskResultStatus.SUCCESSFUL, finished_at=timezone.now()
    )

    assert prune_job_history.call() == {"slots": 1, "task_results": 1}

    assert list(ScheduledSlot.objects.values_list("task_result_id", flat=True)) == [recent.id]
    remaining = {str(pk) for pk in DBTaskResult.objects.values_list("id", flat=True)}
    assert remaining == {str(recent.id), old_waiting.id}  # an old task never run is kept
