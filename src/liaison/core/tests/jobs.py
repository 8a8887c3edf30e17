"""Tasks used only by the worker tests (module-level, as tasks must be)."""

from __future__ import annotations

from django_tasks import task


@task()
def nothing() -> str:
    return "done"
