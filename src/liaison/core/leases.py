"""Task leases: a worker's claim on a task lapses unless the worker keeps renewing it.

django-tasks-db marks a claimed task ``RUNNING`` and nothing more, so a worker that
dies mid-task (``kill -9``, a lost machine) would leave it ``RUNNING`` for ever. Here
each claim also writes a :class:`~liaison.core.models.TaskLease` row, in the same
transaction as the claim: the worker, the attempt number and when the claim expires
(``LIAISON_TASK_LEASE_SECONDS`` after the claim). While the task runs, a
:class:`LeaseHeartbeat` thread of the worker renews it every third of that. Any worker
that finds a ``RUNNING`` task whose lease expired (:func:`task_leases_expire`) puts it
back in the queue, or, after ``LIAISON_TASK_MAX_ATTEMPTS`` claims, fails it for good
with :class:`WorkerLost` and records when it gave up; the jobs page and
``liaison jobs`` raise the alarm.

Each renewal and each expiry is a conditional update of the lease row naming the
claim it is about (worker and attempt), so a renewal that comes too late and an
expiry that comes too early exclude each other: exactly one of them changes the row.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from types import TracebackType
from typing import Any
from uuid import UUID

from django.conf import settings
from django.db import connections
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult, DBTaskResultQuerySet
from django_tasks_db.utils import exclusive_transaction

from liaison.core.models import TaskLease

logger = logging.getLogger("liaison.worker")


class WorkerLost(Exception):
    """Recorded as a task's failure when every worker that claimed it died before
    finishing it (the task is not run again)."""


def lease_seconds() -> int:
    return int(settings.LIAISON_TASK_LEASE_SECONDS)


def max_attempts() -> int:
    return int(settings.LIAISON_TASK_MAX_ATTEMPTS)


@dataclass(frozen=True)
class Claim:
    """One claim of one task by one worker: what a renewal or a release must name."""

    task_id: UUID
    worker_id: str
    attempt: int


def task_claim(
    tasks: DBTaskResultQuerySet, *, worker_id: str
) -> tuple[DBTaskResult[Any, Any], Claim] | None:
    """Claim the first ready task of ``tasks`` and lease it to ``worker_id``.

    On PostgreSQL the task's row is locked with ``FOR UPDATE SKIP LOCKED``, so any number
    of workers claim different tasks without waiting on each other; on SQLite the claim
    is an exclusive transaction on the file. The lease is written in the same
    transaction. Returns ``None`` when no task is ready. A locked SQLite file raises
    :class:`~django.db.OperationalError` for the caller to retry.
    """
    with exclusive_transaction(tasks.db):
        task_result = tasks.get_locked()
        if task_result is None:
            return None
        task_result.claim(worker_id)
        expires_at = task_result.started_at + timedelta(seconds=lease_seconds())
        updated = TaskLease.objects.filter(task_result_id=task_result.pk).update(
            worker_id=worker_id, attempts=F("attempts") + 1, expires_at=expires_at
        )
        if not updated:
            TaskLease.objects.create(
                task_result=task_result, worker_id=worker_id, attempts=1, expires_at=expires_at
            )
        attempt = TaskLease.objects.values_list("attempts", flat=True).get(
            task_result_id=task_result.pk
        )
    return task_result, Claim(task_id=task_result.pk, worker_id=worker_id, attempt=attempt)


def _held(claim: Claim) -> QuerySet[TaskLease]:
    return TaskLease.objects.filter(
        task_result_id=claim.task_id,
        worker_id=claim.worker_id,
        attempts=claim.attempt,
        expires_at__isnull=False,
    )


def lease_renew(claim: Claim, *, now: datetime | None = None) -> bool:
    """Extend the claim by a lease period. False if it was lost (it expired and the task
    went back to the queue, or was given up): the worker should not trust its result."""
    now = now or timezone.now()
    return bool(_held(claim).update(expires_at=now + timedelta(seconds=lease_seconds())))


def lease_release(claim: Claim) -> bool:
    """The task finished (successfully or not): nobody holds it any more."""
    return bool(_held(claim).update(expires_at=None))


@dataclass
class ExpiredLeases:
    """What :func:`task_leases_expire` did: task ids put back in the queue, and given up."""

    requeued: list[str] = field(default_factory=list)
    given_up: list[str] = field(default_factory=list)


def task_leases_expire(*, now: datetime | None = None, limit: int = 100) -> ExpiredLeases:
    """Put back in the queue each running task whose lease expired (its worker died), or
    fail it with :class:`WorkerLost` once it has been claimed ``LIAISON_TASK_MAX_ATTEMPTS``
    times. A running task without a lease (claimed before leases existed, or by another
    worker program) counts as expired once it has run a lease period.

    Safe with any number of workers: the rows are locked with ``SKIP LOCKED`` on
    PostgreSQL, and each lease is taken over with a conditional update that loses to a
    renewal committed first.
    """
    now = now or timezone.now()
    stale = Q(lease__expires_at__lt=now) | Q(
        lease__isnull=True, started_at__lt=now - timedelta(seconds=lease_seconds())
    )
    running = DBTaskResult.objects.running().filter(stale).order_by("started_at")
    done = ExpiredLeases()
    with exclusive_transaction(running.db):
        for task_result in running.select_for_update(skip_locked=True, of=("self",))[:limit]:
            lease, _ = TaskLease.objects.get_or_create(
                task_result=task_result,
                defaults={
                    "worker_id": (task_result.worker_ids or [""])[-1][:64],
                    "attempts": max(len(task_result.worker_ids), 1),
                    "expires_at": now,
                },
            )
            taken = (
                TaskLease.objects.filter(
                    pk=lease.pk,
                    worker_id=lease.worker_id,
                    attempts=lease.attempts,
                    expires_at__lte=now,
                ).update(expires_at=None)
                if lease.expires_at is not None
                else 0
            )
            if not taken:
                continue  # renewed meanwhile: its worker is alive
            if lease.attempts >= max_attempts():
                _give_up(task_result, attempts=lease.attempts, now=now)
                TaskLease.objects.filter(pk=lease.pk).update(gave_up_at=now)
                done.given_up.append(str(task_result.pk))
            else:
                DBTaskResult.objects.filter(pk=task_result.pk).update(
                    status=TaskResultStatus.READY, started_at=None
                )
                done.requeued.append(str(task_result.pk))
    for task_id in done.requeued:
        logger.warning("Task %s: its worker stopped renewing the lease; queued again", task_id)
    for task_id in done.given_up:
        logger.error(
            "Task %s: gave up after %s attempts whose workers all died", task_id, max_attempts()
        )
    return done


def _give_up(task_result: DBTaskResult[Any, Any], *, attempts: int, now: datetime) -> None:
    workers = ", ".join(task_result.worker_ids) or "unknown"
    DBTaskResult.objects.filter(pk=task_result.pk).update(
        status=TaskResultStatus.FAILED,
        finished_at=now,
        return_value=None,
        exception_class_path=f"{WorkerLost.__module__}.{WorkerLost.__qualname__}",
        traceback=(
            f"{WorkerLost.__qualname__}: gave up after {attempts} attempts: each worker that "
            f"claimed the task stopped renewing its lease before finishing it "
            f"(workers: {workers}). It is not run again; a periodic job's next slot "
            f"does what this run did not."
        ),
    )


class LeaseHeartbeat:
    """Renews ``claim`` from a background thread while the ``with`` block runs the task.

    The thread has its own database connection and closes it when done. A renewal that
    fails (a busy database) is tried again at the next beat; a lost claim is logged and
    ends the heartbeat.
    """

    def __init__(self, claim: Claim, *, every: float | None = None) -> None:
        self.claim = claim
        self.every = every if every is not None else max(lease_seconds() / 3, 0.1)
        self.lost = False
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._beat, name=f"lease-{claim.task_id}", daemon=True
        )

    def __enter__(self) -> LeaseHeartbeat:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._stop.set()
        self._thread.join()

    def _beat(self) -> None:
        try:
            while not self._stop.wait(self.every):
                try:
                    renewed = lease_renew(self.claim)
                except Exception:
                    logger.warning(
                        "Task %s: could not renew its lease; will retry",
                        self.claim.task_id,
                        exc_info=True,
                    )
                    continue
                if not renewed:
                    self.lost = True
                    logger.error(
                        "Task %s: lease lost (it expired and another worker may run the task)",
                        self.claim.task_id,
                    )
                    return
        finally:
            connections.close_all()
