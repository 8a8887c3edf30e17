"""Background jobs of the ledger (the worker runs them on the schedule in
``settings.LIAISON_PERIODIC_TASKS``)."""

from __future__ import annotations

from django_tasks import task

from liaison.ledger.services import checkpoint_issue


@task()
def issue_checkpoint() -> int | None:
    """Integrate new entries and sign a checkpoint if the tree grew; return its size.

    Idempotent: when the tree has not grown nothing is issued (returns ``None``).
    """
    issued = checkpoint_issue()
    return issued.size if issued is not None else None
