"""Reads of notifications (each user sees only their own) and of the job queue."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth.models import AbstractUser
from django.db.models import Case, Count, Max, Q, QuerySet, Value, When
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from liaison.core.errors import NotFound
from liaison.core.models import ScheduledSlot, TaskLease
from liaison.core.roles import READ_ALL_ROLES
from liaison.notifications.models import Notification


def notification_list_for_user(
    *, user: AbstractUser, unread_only: bool = False
) -> QuerySet[Notification]:
    """The user's own notifications, unread first, then newest first."""
    qs = Notification.objects.filter(recipient_id=user.pk)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    unread_first = Case(When(read_at__isnull=True, then=Value(0)), default=Value(1))
    return qs.order_by(unread_first, "-created_at", "-id")


def notification_get_for_user(*, user: AbstractUser, pk: int) -> Notification:
    """The user's notification ``pk``; :class:`NotFound` if missing or someone else's."""
    notification = Notification.objects.filter(recipient_id=user.pk, pk=pk).first()
    if notification is None:
        raise NotFound()
    return notification


def notification_unread_count(*, user: AbstractUser) -> int:
    return Notification.objects.filter(recipient_id=user.pk, read_at__isnull=True).count()


@dataclass(frozen=True)
class JobRow:
    """A periodic job as the jobs page shows it."""

    path: str
    interval: int
    last_slot: ScheduledSlot | None
    next_run: datetime

    @property
    def every(self) -> str:
        """The interval in words: "5 minutes", "1 day"."""
        for size, unit in ((86400, "day"), (3600, "hour"), (60, "minute"), (1, "second")):
            if self.interval % size == 0:
                n = self.interval // size
                return f"{n} {unit}{'' if n == 1 else 's'}"
        return f"{self.interval} seconds"  # pragma: no cover - size 1 always divides


@dataclass(frozen=True)
class QueueSummary:
    """Tasks per status as (status, label, count), and the oldest ready task's enqueue time."""

    counts: list[tuple[str, str, int]]
    oldest_ready_at: datetime | None
    oldest_running_since: datetime | None = None
    # Tasks failed for good because each worker that claimed them died (see core.leases).
    given_up: int = 0
    last_given_up_at: datetime | None = None


def _require_job_reader(user: AbstractUser) -> None:
    if getattr(user, "role", None) not in READ_ALL_ROLES:
        raise NotFound()


def periodic_jobs_for_user(*, user: AbstractUser, now: datetime | None = None) -> list[JobRow]:
    """Each configured periodic job with its last claimed slot and next slot start.
    Administrators and oversight only; anyone else gets :class:`NotFound`."""
    _require_job_reader(user)
    from liaison.core.schedule import periodic_jobs

    now = now or timezone.now()
    jobs = periodic_jobs()
    latest = (
        ScheduledSlot.objects.filter(job__in=[j.path for j in jobs])
        .values("job")
        .annotate(last=Max("slot_start"))
    )
    match = Q(pk__in=[])
    for row in latest:
        match |= Q(job=row["job"], slot_start=row["last"])
    slots = {s.job: s for s in ScheduledSlot.objects.filter(match).select_related("task_result")}
    return [
        JobRow(
            path=job.path,
            interval=job.interval,
            last_slot=slots.get(job.path),
            next_run=job.next_slot_start(now),
        )
        for job in jobs
    ]


def task_results_for_user(
    *, user: AbstractUser, status: str = ""
) -> QuerySet[DBTaskResult[Any, Any]]:
    """Queued and finished tasks, newest first, optionally of one status."""
    _require_job_reader(user)
    qs = DBTaskResult.objects.order_by("-enqueued_at")
    if status:
        qs = qs.filter(status=status)
    return qs.defer("args_kwargs", "return_value")


def task_queue_summary_for_user(*, user: AbstractUser) -> QueueSummary:
    """How many tasks are in each status, and since when the oldest ready one waits."""
    _require_job_reader(user)
    return task_queue_summary()


def task_queue_summary(*, given_up_since: datetime | None = None) -> QueueSummary:
    """The queue's health, unscoped: for operators' command-line checks only. Tasks given
    up are counted over the kept history, or since ``given_up_since``."""
    counts = {
        row["status"]: row["n"]
        for row in DBTaskResult.objects.order_by().values("status").annotate(n=Count("id"))
    }
    oldest = (
        DBTaskResult.objects.ready()
        .order_by("enqueued_at")
        .values_list("enqueued_at", flat=True)
        .first()
    )
    oldest_running = (
        DBTaskResult.objects.running()
        .order_by("started_at")
        .values_list("started_at", flat=True)
        .first()
    )
    gave_up = TaskLease.objects.filter(gave_up_at__isnull=False)
    if given_up_since is not None:
        gave_up = gave_up.filter(gave_up_at__gte=given_up_since)
    given_up = gave_up.aggregate(n=Count("pk"), last=Max("gave_up_at"))
    return QueueSummary(
        counts=[
            (value, str(label), counts.get(value, 0)) for value, label in TaskResultStatus.choices
        ],
        oldest_ready_at=oldest,
        oldest_running_since=oldest_running,
        given_up=given_up["n"],
        last_given_up_at=given_up["last"],
    )
