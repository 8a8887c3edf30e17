"""Public pages (the public ledger, its API) and the sign-in page are rate limited per
client address: over the limit they answer 429, a plain page or the API's JSON."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.apps import apps
from django.core.cache import caches
from django.db import connection
from django.test import Client, override_settings

from liaison.core.apps import _create_cache_tables

pytestmark = pytest.mark.django_db

LIMITS: dict[str, dict[str, Any]] = {
    "sign-in": {"paths": [r"/accounts/login/"], "rate": "4/m"},
    "public": {
        "paths": [r"/ledger/(?!entries/|texts/)", r"/api/v1/ledger/(checkpoint|key|proof)"],
        "rate": "6/m",
    },
}


@pytest.fixture
def limits_on() -> Iterator[None]:
    with override_settings(RATELIMIT_ENABLE=True, LIAISON_RATE_LIMITS=LIMITS):
        caches["ratelimit"].clear()
        yield
        caches["ratelimit"].clear()


def _hit(path: str, n: int, ip: str = "198.51.100.20", method: str = "get") -> list[Any]:
    client = Client(REMOTE_ADDR=ip)
    return [getattr(client, method)(path) for _ in range(n)]


@pytest.mark.usefixtures("limits_on")
def test_the_public_ledger_page_answers_429_past_the_limit_with_a_plain_page() -> None:
    answers = _hit("/ledger/", 7)
    assert [r.status_code for r in answers] == [200] * 6 + [429]
    last = answers[-1]
    assert 1 <= int(last["Retry-After"]) <= 60
    assert b"<h1>Too many requests</h1>" in last.content
    assert b"usa-intro" in last.content  # the site's own USWDS page, not a bare text
    # Another address is not affected.
    assert _hit("/ledger/", 1, ip="192.0.2.9")[0].status_code == 200


@pytest.mark.usefixtures("limits_on")
def test_the_public_ledger_api_answers_429_in_json() -> None:
    answers = _hit("/api/v1/ledger/key", 7)
    assert [r.status_code for r in answers][:6] == [200] * 6
    last = answers[-1]
    assert last.status_code == 429
    assert last["Content-Type"].startswith("application/json")
    assert last.json()["code"] == "throttled"
    assert "Retry-After" in last


@pytest.mark.usefixtures("limits_on")
def test_the_sign_in_page_is_limited_per_address() -> None:
    answers = _hit("/accounts/login/", 5, method="post")
    assert [r.status_code for r in answers] == [200] * 4 + [429]
    assert _hit("/accounts/login/", 1, ip="192.0.2.10")[0].status_code == 200


@pytest.mark.usefixtures("limits_on")
def test_staff_pages_are_not_counted() -> None:
    client = Client(REMOTE_ADDR="198.51.100.21")
    for _ in range(10):
        assert client.get("/ledger/entries/").status_code != 429


@pytest.mark.usefixtures("limits_on")
def test_the_database_cache_counts_for_every_app_server() -> None:
    db_cache = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "ratelimit": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "liaison_ratelimit_cache",
        },
    }
    with override_settings(CACHES=db_cache):
        _create_cache_tables(apps.get_app_config("core"), using="default")
        answers = _hit("/ledger/", 4)
        # A second app server has its own cache object but the same table.
        del caches["ratelimit"]
        answers += _hit("/ledger/", 3)
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM liaison_ratelimit_cache")
            (rows,) = cursor.fetchone()
    assert [r.status_code for r in answers] == [200] * 6 + [429]
    assert rows >= 1


def test_the_test_profile_has_the_limits_off_by_default() -> None:
    assert all(r.status_code == 200 for r in _hit("/ledger/", 8, ip="198.51.100.22"))
