"""Shared test setup: the ``test`` settings profile, and a snapshot of the fresh test
database for tests that need its data-migration rows back after a flush."""

from __future__ import annotations

import os
from typing import Any

import pytest

os.environ.setdefault("LIAISON_PROFILE", "test")

_SNAPSHOT: dict[str, str] = {}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> None:
    """pytest-django's test database, plus a serialized copy of its rows taken before
    any test runs (the vocabularies and content types data migrations create)."""
    from django.db import connections

    with django_db_blocker.unblock():
        for alias in connections:
            _SNAPSHOT[alias] = connections[alias].creation.serialize_db_to_string()


@pytest.fixture
def restore_migration_data(transactional_db: None, django_db_blocker: Any) -> None:
    """Empty every table and put back the rows the fresh test database had.

    Transactional tests end by emptying every table, data-migration rows included;
    a test that needs those rows (the live server's browser tests) asks for this.
    """
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.db import connections

    with django_db_blocker.unblock():
        for alias, data in _SNAPSHOT.items():
            call_command(
                "flush", database=alias, interactive=False, inhibit_post_migrate=True, verbosity=0
            )
            connections[alias].creation.deserialize_db_from_string(data)
    ContentType.objects.clear_cache()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Leave ``postgres_only`` tests out of a run on another database.

    They exercise what only PostgreSQL has (concurrent writers, TRUNCATE); ``make test``
    runs the suite on PostgreSQL as well, where they are selected like any other test.
    """
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        return
    kept = [item for item in items if item.get_closest_marker("postgres_only") is None]
    if len(kept) != len(items):
        config.hook.pytest_deselected(items=[i for i in items if i not in kept])
        items[:] = kept


# --- the one persona world (``liaison.personas``) -------------------------------------------


@pytest.fixture
def world(db: None) -> Any:
    """Agencies, task forces, records and one user per role: see :mod:`liaison.personas`.

    An app whose tests need other personas builds on ``build_agencies`` and
    ``World.persona`` in its own ``conftest.py``.
    """
    from liaison.personas import build_world

    return build_world()


def _user_of(world: Any, who: Any) -> Any:
    """``who`` is a user, a role (``world.users[role]``) or a persona name of the world."""
    from liaison.accounts.models import User

    return who if isinstance(who, User) else world.users[who]


@pytest.fixture
def client_as(world: Any) -> Any:
    """``client_as(who)``: a Django test client signed in as that user, role or persona."""
    from django.test import Client

    def make(who: Any) -> Client:
        client = Client()
        client.force_login(_user_of(world, who))
        return client

    return make


@pytest.fixture
def api_as(world: Any) -> Any:
    """``api_as(who)``: a test client sending that user's (role's, persona's) bearer token."""
    from django.test import Client

    from liaison.accounts.services import token_create

    def make(who: Any) -> Client:
        _, secret = token_create(actor=None, user=_user_of(world, who), name="tests")
        return Client(headers={"Authorization": f"Bearer {secret}"})

    return make
