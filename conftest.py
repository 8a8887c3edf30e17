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


# What gives a test the database: pytest-django refuses every other test any access.
DATABASE_FIXTURES = frozenset(
    {
        "db",
        "transactional_db",
        "django_db_reset_sequences",
        "django_db_serialized_rollback",
        "live_server",
    }
)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--database-tests-only",
        action="store_true",
        help="run only the tests that use the test database (the django_db mark or one "
        "of the database fixtures); `make test` runs the others once, on SQLite",
    )


def uses_database(item: pytest.Item) -> bool:
    """Whether pytest-django lets ``item`` reach the test database: the ``django_db``
    mark, a database fixture, or a fixture of ours unblocking it (``django_db_blocker``)."""
    if item.get_closest_marker("django_db") is not None:
        return True
    if DATABASE_FIXTURES & set(getattr(item, "fixturenames", ())):
        return True
    info = getattr(item, "_fixtureinfo", None)
    definitions = info.name2fixturedefs.values() if info is not None else ()
    return any(
        "django_db_blocker" in d.argnames and not d.func.__module__.startswith("pytest_django")
        for defs in definitions
        for d in defs
    )


WORKER_TEST_FILES = "test_worker"  # the names of the files that hold the ``worker`` tests


def transactional(item: pytest.Item) -> bool:
    """Whether ``item`` commits to the test database (and pytest-django empties it after)."""
    from pytest_django.plugin import validate_django_db

    marker = item.get_closest_marker("django_db")
    if marker is not None:
        transaction, reset_sequences, *_ = validate_django_db(marker)
        if transaction or reset_sequences:
            return True
    fixtures = {"transactional_db", "django_db_reset_sequences", "live_server"}
    return bool(fixtures & set(getattr(item, "fixturenames", ())))


def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """With ``--dist loadgroup`` (``make test``): every test on its own, as ``load`` does,
    but the ``worker`` tests as one unit, so one test process runs them one after the
    other and the worker processes they start never compete with each other's.

    The controller has only the tests' ids, so the unit is the ``test_worker*.py``
    files; :func:`pytest_collection_modifyitems` keeps every ``worker`` test in one.
    (pytest-xdist's own grouping by the ``xdist_group`` mark renames test ids, which
    pytest 9 no longer lets a plugin do.)
    """
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadScopeScheduling

    # Keep pytest-django's order (transactional tests after the others, whose data
    # migrations' rows they empty): the unit goes where its first test is.
    config.option.loadscopereorder = False

    class WorkerTestsTogether(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            name = nodeid.split("::", 1)[0].rsplit("/", 1)[-1]
            return "worker" if name.startswith(WORKER_TEST_FILES) else nodeid

    return WorkerTestsTogether(config, log)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Leave ``postgres_only`` tests out of a run on another database; with
    ``--database-tests-only``, leave out the tests that never reach the database.

    ``postgres_only`` tests exercise what only PostgreSQL has (concurrent writers,
    TRUNCATE); ``make test`` runs the suite on PostgreSQL as well, where they are
    selected like any other test. A test without the database cannot tell SQLite from
    PostgreSQL — pytest-django fails any query it makes, and the subprocesses tests
    start choose their own database (or none) — so ``make test`` runs those once, in the
    SQLite pass, and only the database tests again on PostgreSQL.
    """
    from django.conf import settings

    on_postgres = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    only_database = config.getoption("--database-tests-only")
    kept = [
        item
        for item in items
        if (on_postgres or item.get_closest_marker("postgres_only") is None)
        and (not only_database or uses_database(item))
    ]
    if len(kept) != len(items):
        config.hook.pytest_deselected(items=[i for i in items if i not in kept])
        items[:] = kept
    misplaced = [
        item.nodeid
        for item in items
        if item.get_closest_marker("worker") is not None
        and not item.path.name.startswith(WORKER_TEST_FILES)
    ]
    if misplaced:
        raise pytest.UsageError(
            f"worker tests belong in {WORKER_TEST_FILES}*.py files: " + ", ".join(misplaced)
        )
    # The files' tests run as one unit, at the place of the first: a test there that
    # rolls back its transaction could follow one that emptied the tables.
    rolled_back = [
        item.nodeid
        for item in items
        if item.path.name.startswith(WORKER_TEST_FILES)
        and uses_database(item)
        and not transactional(item)
    ]
    if rolled_back:
        raise pytest.UsageError(
            f"tests in {WORKER_TEST_FILES}*.py files use transactional_db: "
            + ", ".join(rolled_back)
        )


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
