"""Daily agreement jobs for the worker (registered in ``LIAISON_PERIODIC_TASKS``).

Each is an idempotent sweep over what is due today, so a retried or doubled run
changes nothing.
"""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from liaison.agreements import services


@task()
def expire_agreements() -> int:
    """Mark agreements past their last day expired; returns how many changed."""
    return services.agreements_expire(today=timezone.localdate())


@task()
def send_expiry_reminders() -> int:
    """Remind parties 90, 60 and 30 days before an agreement ends; returns how many were new."""
    return services.agreement_expiry_reminders_send(today=timezone.localdate())


@task()
def send_reporting_reminders() -> int:
    """Remind parties of reports coming due; returns how many notifications were new."""
    return services.agreement_reporting_reminders_send(today=timezone.localdate())
