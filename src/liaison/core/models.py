"""Small shared model pieces, and the tables of the background worker.

A :class:`ScheduledSlot` records that one periodic job was enqueued for one time
slot; its unique constraint is what lets any number of workers run the scheduler
while each slot is enqueued exactly once.
"""

from django.db import models


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(
        auto_now_add=True, help_text="When the record was created (UTC)."
    )
    updated_at = models.DateTimeField(
        auto_now=True, help_text="When the record last changed (UTC)."
    )

    class Meta:
        abstract = True


class ScheduledSlot(models.Model):
    """One periodic job enqueued for one time slot (claimed by exactly one scheduler)."""

    job = models.CharField(
        max_length=200, help_text="Dotted path of the task, as in LIAISON_PERIODIC_TASKS."
    )
    slot_start = models.DateTimeField(
        help_text="Start of the slot (UTC): a multiple of the interval since the Unix epoch."
    )
    interval_seconds = models.PositiveIntegerField(help_text="The job's interval at the time.")
    claimed_at = models.DateTimeField(
        auto_now_add=True, help_text="When a scheduler enqueued the job for this slot."
    )
    claimed_by = models.CharField(
        max_length=64, blank=True, help_text="Id of the worker whose scheduler claimed the slot."
    )
    task_result = models.ForeignKey(
        "django_tasks_database.DBTaskResult",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The queued task; empty once old results are pruned.",
    )

    class Meta:
        ordering = ["-slot_start", "job"]
        constraints = [
            models.UniqueConstraint(
                fields=["job", "slot_start"],
                name="scheduled_slot_unique",
                violation_error_message="This job has already been queued for this time slot.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.job} @ {self.slot_start:%Y-%m-%d %H:%M:%S}"


class TaskLease(models.Model):
    """A worker's claim on a queued task: who holds it, until when, and how many times it
    was claimed. The worker renews it while the task runs; a claim nobody renewed in time
    (its worker died) puts the task back in the queue, or gives up on it after
    ``LIAISON_TASK_MAX_ATTEMPTS`` claims."""

    task_result = models.OneToOneField(
        "django_tasks_database.DBTaskResult",
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="lease",
        help_text="The task this claim is on; deleted with it when old results are pruned.",
    )
    worker_id = models.CharField(
        max_length=64, blank=True, help_text="Id of the worker that claimed the task last."
    )
    attempts = models.PositiveIntegerField(
        default=0, help_text="How many times a worker claimed the task (the first run included)."
    )
    expires_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the claim lapses unless its worker renews it; empty when no worker "
        "holds the task (finished, or back in the queue).",
    )
    gave_up_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the task was failed for good because the worker of each of its "
        "claims died before finishing it.",
    )

    class Meta:
        indexes = [
            models.Index(fields=["expires_at"], name="task_lease_expires_idx"),
            models.Index(fields=["gave_up_at"], name="task_lease_gave_up_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.task_result_id} by {self.worker_id or '-'} (attempt {self.attempts})"
