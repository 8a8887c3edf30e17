"""Background jobs of the ledger (the worker runs them on the schedule in
``settings.LIAISON_PERIODIC_TASKS``)."""

from __future__ import annotations

from django_tasks import task

from liaison.ledger.services import checkpoint_issue, security_bursts_flush


@task()
def issue_checkpoint() -> int | None:
    """Integrate new entries and sign a checkpoint if the tree grew; return its size.

    Idempotent: when the tree has not grown nothing is issued (returns ``None``).
    """
    issued = checkpoint_issue()
    return issued.size if issued is not None else None


@task()
def flush_security_bursts() -> int:
    """Write one summary entry for each burst of repeated security events that has
    ended; return how many. Idempotent."""
    return security_bursts_flush()
