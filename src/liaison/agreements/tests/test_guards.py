"""A later app refuses or annotates a nomination through the guard registry, without
agreements importing it (the guard here is registered by the test, as training's
``AppConfig.ready()`` would)."""

from __future__ import annotations

from contextlib import ExitStack
from datetime import date
from typing import Any

import pytest

from liaison.agreements import services
from liaison.agreements.models import NominatedPerson
from liaison.agreements.services import terms
from liaison.core import guards
from liaison.directory.models import Person
from liaison.ledger.models import Entry

POINT = "agreements.agreement_nominate_person"


@pytest.fixture
def training_guard():
    """``training_guard(fn)`` stands in for training's guard; training's own is back after
    the test."""
    with ExitStack() as stack:

        def register(fn: guards.Guard) -> None:
            stack.enter_context(guards.replaced(POINT, fn, key="training"))

        yield register


@pytest.fixture
def agent(world: Any) -> Person:
    return Person.objects.create(
        agency=world.agencies["BCA"],
        given_name="Agent",
        family_name="Example",
        active_from=date(2020, 1, 1),
    )


def _nominate(world: Any, agreement: Any, person: Person) -> NominatedPerson:
    return services.agreement_nominate_person(
        actor=world.users["coordinator"],
        agreement=agreement,
        person=person,
        function="Task Force Officer",
        nominated_on=date(2025, 2, 1),
    )


def test_training_refuses_a_nomination_and_nothing_is_written(world, agent, training_guard):
    agreement = world.active()
    seen: list[dict[str, Any]] = []

    def not_current(**context: Any) -> None:
        seen.append(context)
        raise guards.Refused(
            "Required training is not current.",
            fields={"person": ["ICE 287(g) refresher is overdue."]},
        )

    training_guard(not_current)
    entries = Entry.objects.count()
    with pytest.raises(guards.Refused) as exc:
        _nominate(world, agreement, agent)
    assert exc.value.fields == {"person": ["ICE 287(g) refresher is overdue."]}
    assert not NominatedPerson.objects.filter(person=agent).exists()
    assert Entry.objects.count() == entries
    assert [sorted(c) for c in seen] == [
        ["actor", "agreement", "function", "nominated_on", "person"]
    ]
    assert seen[0]["person"] == agent
    assert seen[0]["agreement"].pk == agreement.pk


def test_a_guards_notes_are_recorded_in_the_nominations_ledger_change(
    world, agent, training_guard, monkeypatch
):
    changes: list[dict[str, Any]] = []
    original = terms.ledger_append

    def spy(**kwargs: Any) -> Any:
        changes.append(dict(kwargs.get("change") or {}))
        return original(**kwargs)

    agreement = world.active()
    monkeypatch.setattr(terms, "ledger_append", spy)
    training_guard(lambda **context: {"courses_current": ["orientation"]})
    _nominate(world, agreement, agent)
    assert changes[-1]["guards"] == {"training": {"courses_current": ["orientation"]}}
    assert changes[-1]["person"] == agent.pk
