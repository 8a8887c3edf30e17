"""Tasks used only by the scheduler and worker tests (module-level, as tasks must be)."""

from __future__ import annotations

from django_tasks import task


@task()
def nothing() -> str:
    return "done"


@task()
def fail() -> None:
    raise RuntimeError("this job always fails")


def not_a_task() -> None:
    """A plain function, which the scheduler must refuse."""
