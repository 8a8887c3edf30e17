"""Daily operations job for the worker (registered in ``LIAISON_PERIODIC_TASKS``)."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from liaison.operations import aar


@task()
def send_follow_up_reminders() -> int:
    """Remind owners of after-action follow-ups due within a week or overdue, once a day;
    idempotent, returns how many notifications were new."""
    return aar.follow_up_reminders_send(today=timezone.localdate())
