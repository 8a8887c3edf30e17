"""A later app refuses or annotates a task-force assignment through the guard registry,
without the directory importing it (the guard here is registered by the test, as
training's ``AppConfig.ready()`` would)."""

from __future__ import annotations

from contextlib import ExitStack
from datetime import date
from typing import Any

import pytest

from liaison.core import guards
from liaison.core.errors import PermissionDenied
from liaison.core.roles import Role
from liaison.directory import services
from liaison.directory.models import TaskForceAssignment
from liaison.ledger.models import Entry

POINT = "directory.task_force_assignment_create"


@pytest.fixture
def training_guard():
    """``training_guard(fn)`` stands in for training's guard; training's own is back after
    the test."""
    with ExitStack() as stack:

        def register(fn: guards.Guard) -> None:
            stack.enter_context(guards.replaced(POINT, fn, key="training"))

        yield register


@pytest.fixture
def ledgered(monkeypatch):
    """The ``change`` of every ledger entry the directory's services append."""
    changes: list[dict[str, Any]] = []
    original = services.ledger_append

    def spy(**kwargs: Any) -> Any:
        changes.append(dict(kwargs.get("change") or {}))
        return original(**kwargs)

    monkeypatch.setattr(services, "ledger_append", spy)
    return changes


def _assign(world: Any) -> TaskForceAssignment:
    return services.task_force_assignment_create(
        actor=world.users[Role.SUPERVISOR],
        person=world.people["BCA"],
        task_force=world.task_forces["BCA-TF"],
        role="Case Agent",
        start_date=date(2025, 1, 1),
    )


def test_training_refuses_an_assignment_and_nothing_is_written(world, training_guard):
    seen: list[dict[str, Any]] = []

    def not_current(**context: Any) -> None:
        seen.append(context)
        raise guards.Refused(
            "Required training is not current.",
            fields={"person": ["Task Force Officer orientation expired on 2024-12-31."]},
        )

    training_guard(not_current)
    assignments, entries = TaskForceAssignment.objects.count(), Entry.objects.count()
    with pytest.raises(guards.Refused) as exc:
        _assign(world)
    assert exc.value.fields == {"person": ["Task Force Officer orientation expired on 2024-12-31."]}
    assert (TaskForceAssignment.objects.count(), Entry.objects.count()) == (assignments, entries)
    assert seen == [
        {
            "actor": world.users[Role.SUPERVISOR],
            "person": world.people["BCA"],
            "task_force": world.task_forces["BCA-TF"],
            "role": "Case Agent",
            "start_date": date(2025, 1, 1),
            "end_date": None,
        }
    ]


def test_guards_run_after_the_directorys_own_checks(world, training_guard):
    calls: list[object] = []
    training_guard(lambda **context: calls.append(context))
    with pytest.raises(PermissionDenied):
        services.task_force_assignment_create(
            actor=world.users[Role.OFFICER],
            person=world.people["BCA"],
            task_force=world.task_forces["BCA-TF"],
            role="Case Agent",
            start_date=date(2025, 1, 1),
        )
    assert calls == []


def test_a_guards_notes_are_recorded_in_the_assignments_ledger_change(
    world, training_guard, ledgered
):
    training_guard(lambda **context: {"courses_current": ["orientation"]})
    assignment = _assign(world)
    assert ledgered[-1]["guards"] == {"training": {"courses_current": ["orientation"]}}
    assert ledgered[-1]["id"] == assignment.pk


def test_without_guards_the_change_holds_only_the_assignment(world, ledgered):
    _assign(world)
    assert "guards" not in ledgered[-1]
