"""The guard registry: declared points, registration from a later app, veto and notes."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from liaison.core import guards

POINT = guards.point("core.example_write", context=("actor", "record"))


@pytest.fixture
def registered():
    """Register guards at ``POINT`` for one test; they are removed afterwards."""
    keys: list[str] = []

    def add(guard: guards.Guard, key: str) -> None:
        guards.register(POINT.name, guard, key=key)
        keys.append(key)

    yield add
    for key in keys:
        guards.unregister(POINT.name, key=key)


@pytest.mark.django_db
def test_guards_run_in_registration_order_and_their_notes_come_back_by_key(registered):
    calls = []
    registered(lambda **kw: calls.append(("first", kw)) or {"checked": True}, "first")
    registered(lambda **kw: calls.append(("second", kw)), "second")
    with transaction.atomic():
        notes = POINT.run(actor=None, record=7)
    assert calls == [
        ("first", {"actor": None, "record": 7}),
        ("second", {"actor": None, "record": 7}),
    ]
    assert notes == {"first": {"checked": True}}


@pytest.mark.django_db
def test_a_guard_refuses_with_field_messages_and_the_write_rolls_back(registered):
    from liaison.ledger.models import Entry
    from liaison.ledger.services import ledger_append

    def refuse(**context: object) -> None:
        raise guards.Refused("Training is not current.", fields={"person": ["Expired."]})

    def service() -> None:
        with transaction.atomic():
            ledger_append(actor=None, action="example.write", object_type="core.x", object_id=1)
            POINT.run(actor=None, record=1)

    registered(refuse, "training")
    before = Entry.objects.count()
    with pytest.raises(guards.Refused) as exc:
        service()
    assert exc.value.status == 409
    assert exc.value.fields == {"person": ["Expired."]}
    assert Entry.objects.count() == before


def test_registering_again_under_a_key_replaces_the_guard(registered):
    registered(lambda **kw: {"v": 1}, "training")
    registered(lambda **kw: {"v": 2}, "training")
    assert POINT.registered() == ["training"]


def test_a_misspelt_point_fails_at_registration():
    with pytest.raises(ImproperlyConfigured, match="No guard point"):
        guards.register("directory.task_force_assigment_create", lambda **kw: None, key="x")
    with pytest.raises(ImproperlyConfigured, match="No guard point"):
        guards.register("nowhere.anything", lambda **kw: None, key="x")


def test_a_point_is_found_in_the_services_of_the_app_its_name_starts_with():
    for name in ("directory.task_force_assignment_create", "agreements.agreement_nominate_person"):
        guards.register(name, lambda **kw: None, key="example")
        assert name in guards.points()
        guards.unregister(name, key="example")
        assert "example" not in guards.points()[name].registered()


@pytest.mark.django_db(transaction=True)
def test_a_point_runs_only_with_its_context_and_inside_a_transaction():
    with pytest.raises(TypeError, match="takes"), transaction.atomic():
        POINT.run(actor=None)
    with pytest.raises(RuntimeError, match="inside the service's transaction"):
        POINT.run(actor=None, record=1)


@pytest.mark.django_db
def test_a_stand_in_guard_leaves_the_registered_one_in_place_afterwards(registered):
    registered(lambda **kw: {"v": "app"}, "app")
    registered(lambda **kw: {"v": "other"}, "other")
    with guards.replaced(POINT.name, lambda **kw: {"v": "stand-in"}, key="app"):
        assert POINT.registered() == ["app", "other"]
        with transaction.atomic():
            assert POINT.run(actor=None, record=1)["app"] == {"v": "stand-in"}
    with transaction.atomic():
        assert POINT.run(actor=None, record=1)["app"] == {"v": "app"}
