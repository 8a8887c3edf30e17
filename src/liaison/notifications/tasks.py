"""Background tasks of the notifications app. Each is idempotent: running it twice,
or on two workers at once, has the effect of running it once."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from liaison.core.models import ScheduledSlot
from liaison.notifications.services import notification_emails_retry, notification_send

# A notification whose email keeps failing is retried this long, then left alone
# (it stays visible in the app).
EMAIL_RETRY_WINDOW = timedelta(days=3)


@task()
def send_notification(
    *,
    recipient_ids: list[int],
    key: str,
    subject: str,
    body: str,
    url: str = "",
    email: bool = True,
) -> int:
    """Queue-friendly :func:`notification_send`: recipients by id. Returns how many were new."""
    users = get_user_model().objects.filter(pk__in=recipient_ids, is_active=True)
    return notification_send(
        recipients=users, key=key, subject=subject, body=body, url=url, email=email
    )


@task()
def send_pending_emails() -> int:
    """Send the emails that were not sent when their notification was created (mail
    server down, process stopped before commit hooks ran or before the server accepted
    the email). Returns how many were sent."""
    return notification_emails_retry(since=timezone.now() - EMAIL_RETRY_WINDOW)


@task()
def prune_job_history() -> dict[str, int]:
    """Delete finished task results and scheduler slots older than LIAISON_JOB_HISTORY_DAYS.

    The ledger, not the task table, is the record of what the system did; results are
    kept only long enough to diagnose failures.
    """
    cutoff = timezone.now() - timedelta(days=settings.LIAISON_JOB_HISTORY_DAYS)
    slots, _ = ScheduledSlot.objects.filter(slot_start__lt=cutoff).delete()
    results, _ = DBTaskResult.objects.finished().filter(finished_at__lt=cutoff).delete()
    return {"slots": slots, "task_results": results}
