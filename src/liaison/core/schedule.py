"""The periodic job scheduler: enqueues each job of ``LIAISON_PERIODIC_TASKS`` once per slot.

Time is cut into slots of each job's interval, aligned on the Unix epoch (UTC): a
daily job's slots start at midnight UTC, a five-minute job's at :00, :05, …. When a
slot begins, every running scheduler tries to claim it by inserting a
:class:`~liaison.core.models.ScheduledSlot` row; the unique constraint on
(job, slot start) lets exactly one insert succeed, and that scheduler enqueues the
task in the same transaction. So any number of workers may run the scheduler, and a
crash between claim and enqueue leaves neither behind.

Missed slots (no worker running) are not caught up one by one: the next claim runs
the job once, and jobs are written as idempotent sweeps of what is due, so one run
catches up.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks.base import Task

from liaison.core.models import ScheduledSlot

logger = logging.getLogger(__name__)

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class PeriodicJob:
    """One line of ``LIAISON_PERIODIC_TASKS``."""

    path: str
    interval: int
    task: Task[..., Any]

    def slot_start(self, now: datetime) -> datetime:
        """Start of the slot ``now`` falls in."""
        seconds = int((now - EPOCH).total_seconds())
        return EPOCH + timedelta(seconds=seconds - seconds % self.interval)

    def next_slot_start(self, now: datetime) -> datetime:
        return self.slot_start(now) + timedelta(seconds=self.interval)


def periodic_jobs() -> list[PeriodicJob]:
    """The configured jobs, each checked: an importable Task and a positive interval."""
    jobs: list[PeriodicJob] = []
    seen: set[str] = set()
    for path, interval in getattr(settings, "LIAISON_PERIODIC_TASKS", []):
        if path in seen:
            raise ImproperlyConfigured(f"LIAISON_PERIODIC_TASKS lists {path} twice.")
        seen.add(path)
        if not isinstance(interval, int) or interval <= 0:
            raise ImproperlyConfigured(f"LIAISON_PERIODIC_TASKS: {path} needs a positive interval.")
        task = import_string(path)
        if not isinstance(task, Task):
            raise ImproperlyConfigured(
                f"LIAISON_PERIODIC_TASKS: {path} is not a task (decorate it with @task())."
            )
        jobs.append(PeriodicJob(path=path, interval=interval, task=task))
    return jobs


def slot_claim(*, job: PeriodicJob, slot_start: datetime, worker_id: str = "") -> bool:
    """Enqueue ``job`` for the slot starting at ``slot_start`` unless some scheduler already
    did. Returns True if this call enqueued it."""
    try:
        with transaction.atomic():
            slot = ScheduledSlot.objects.create(
                job=job.path,
                slot_start=slot_start,
                interval_seconds=job.interval,
                claimed_by=worker_id[:64],
            )
            result = job.task.enqueue()
            ScheduledSlot.objects.filter(pk=slot.pk).update(task_result_id=result.id)
    except IntegrityError:
        return False
    logger.info("Enqueued periodic job %s for slot %s", job.path, slot_start.isoformat())
    return True


class Scheduler:
    """Claims due slots. Call :meth:`tick` often (each worker loop); it touches the
    database only when one of its jobs has entered a slot it has not yet tried."""

    def __init__(self, *, jobs: list[PeriodicJob] | None = None, worker_id: str = "") -> None:
        self.jobs = periodic_jobs() if jobs is None else jobs
        self.worker_id = worker_id
        self._tried: dict[str, datetime] = {}

    def tick(self, now: datetime | None = None) -> list[str]:
        """Enqueue every job whose current slot nobody has claimed yet; returns their paths."""
        now = now or timezone.now()
        enqueued: list[str] = []
        for job in self.jobs:
            start = job.slot_start(now)
            if self._tried.get(job.path) == start:
                continue
            try:
                if slot_claim(job=job, slot_start=start, worker_id=self.worker_id):
                    enqueued.append(job.path)
            except Exception:
                # A busy or unreachable database: try again on the next tick.
                logger.exception("Could not schedule %s; will retry", job.path)
                continue
            self._tried[job.path] = start
        return enqueued
