"""Ledger test fixtures: a signer key per test, personas, and a way to append quickly."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from django.test import Client

from liaison.accounts.models import User
from liaison.accounts.tests.factories import make_agency, make_user
from liaison.core.roles import Role
from liaison.ledger.models import Entry
from liaison.ledger.services import ledger_append


@pytest.fixture(autouse=True)
def _signer_key_per_test(settings: pytest.FixtureRequest, tmp_path: Path) -> None:
    settings.LIAISON_LEDGER_SIGNER_KEY = None  # type: ignore[attr-defined]
    settings.LIAISON_LEDGER_SIGNER_KEY_PATH = tmp_path / "ledger-signer.key"  # type: ignore[attr-defined]


@pytest.fixture
def append() -> Callable[..., list[Entry]]:
    """``append(n, actor=None, **fields)`` appends ``n`` system entries and returns them."""

    def _append(n: int = 1, *, actor: User | None = None, **fields: object) -> list[Entry]:
        values: dict[str, object] = {
            "action": "test.record",
            "object_type": "tests.thing",
            "object_id": "1",
            "reason": "test",
            "change": {"n": 1},
        }
        values.update(fields)
        return [ledger_append(actor=actor, **values) for _ in range(n)]  # type: ignore[arg-type]

    return _append


@pytest.fixture
def oversight(db: None) -> User:
    return make_user(Role.OVERSIGHT, agency=make_agency("OLA", "Office of the Legislative Auditor"))


@pytest.fixture
def officer(db: None) -> User:
    return make_user(Role.OFFICER)


@pytest.fixture
def oversight_client(oversight: User) -> Client:
    client = Client()
    client.force_login(oversight)
    return client


@pytest.fixture
def officer_client(officer: User) -> Client:
    client = Client()
    client.force_login(officer)
    return client
