"""Daily training job for the worker (registered in ``LIAISON_PERIODIC_TASKS``)."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from liaison.training import services


@task()
def send_expiry_reminders() -> int:
    """Remind people and their supervisors 60, 30 and 7 days before training expires;
    idempotent, returns how many notifications were new."""
    return services.training_expiry_reminders_send(today=timezone.localdate())


@task()
def check_completion_import(batch_id: int) -> int:
    """Check a large uploaded file of completions, saving progress; returns the valid rows."""
    return services.completion_import_check(batch_id=batch_id).valid_rows
