"""API tokens: shown once, stored as SHA-256, scoped to their user, revocable, expiring."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.utils import timezone

from liaison.accounts import services
from liaison.accounts.models import ApiToken, User
from liaison.accounts.tests.factories import make_user
from liaison.core.errors import PermissionDenied
from liaison.core.roles import Role
from liaison.directory.models import Agency
from liaison.ledger.models import Entry, EntryKind, Head

pytestmark = pytest.mark.django_db


def bearer(secret: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_a_token_authenticates_as_its_user_on_the_api(officer: User) -> None:
    _, secret = services.token_create(actor=officer, user=officer, name="sync")
    response = Client().get("/api/v1/accounts/me", **bearer(secret))
    assert response.status_code == 200
    assert response.json() == {
        "username": "ofc",
        "role": "officer",
        "agency_id": officer.agency_id,
        "agency_name": "Minnesota Department of Public Safety",
    }


def test_no_token_or_a_made_up_one_gets_401() -> None:
    assert Client().get("/api/v1/accounts/me").status_code == 401
    assert Client().get("/api/v1/accounts/me", **bearer("lia_made-up")).status_code == 401


def test_a_revoked_token_gets_401(officer: User) -> None:
    row, secret = services.token_create(actor=officer, user=officer, name="sync")
    services.token_revoke(actor=officer, token=row)
    assert Client().get("/api/v1/accounts/me", **bearer(secret)).status_code == 401


def test_an_expired_token_gets_401(officer: User) -> None:
    _, secret = services.token_create(
        actor=officer, user=officer, name="sync", expires_at=timezone.now() + timedelta(days=1)
    )
    assert Client().get("/api/v1/accounts/me", **bearer(secret)).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(days=1, seconds=1)):
        assert Client().get("/api/v1/accounts/me", **bearer(secret)).status_code == 401


def test_a_token_of_a_deactivated_user_gets_401_a_sign_in_lock_does_not_stop_it(
    officer: User,
) -> None:
    _, secret = services.token_create(actor=officer, user=officer, name="sync")
    User.objects.filter(pk=officer.pk).update(locked_at=timezone.now())
    assert Client().get("/api/v1/accounts/me", **bearer(secret)).status_code == 200
    User.objects.filter(pk=officer.pk).update(locked_at=None, is_active=False)
    assert Client().get("/api/v1/accounts/me", **bearer(secret)).status_code == 401


def test_tokens_are_stored_only_as_sha256(officer: User) -> None:
    row, secret = services.token_create(actor=officer, user=officer, name="sync")
    assert row.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret.startswith(row.prefix)
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - test-only scan of every table
            for values in cursor.fetchall():
                for value in values:
                    raw = isinstance(value, bytes | memoryview)
                    text = bytes(value).decode("latin-1") if raw else str(value)
                    assert secret not in text, table


def test_token_create_and_revoke_are_ledgered(officer: User) -> None:
    size = Head.objects.get_or_create(id=1)[0].size
    row, _ = services.token_create(actor=officer, user=officer, name="sync")
    services.token_revoke(actor=officer, token=row)
    entries = list(Entry.objects.filter(seq__gte=size).order_by("seq"))
    assert [(e.action, e.kind, e.object_id) for e in entries] == [
        ("token.create", EntryKind.SECURITY, str(row.pk)),
        ("token.revoke", EntryKind.SECURITY, str(row.pk)),
    ]
    assert Head.objects.get().size == size + 2


def test_a_user_cannot_make_or_revoke_tokens_for_someone_else(
    officer: User, agency: Agency
) -> None:
    other = make_user(Role.OFFICER, agency=agency)
    with pytest.raises(PermissionDenied):
        services.token_create(actor=officer, user=other, name="x")
    row, _ = services.token_create(actor=other, user=other, name="mine")
    with pytest.raises(PermissionDenied):
        services.token_revoke(actor=officer, token=row)


def test_the_tokens_page_shows_a_new_secret_once_and_lists_only_prefixes(
    officer_client: Client, officer: User
) -> None:
    response = officer_client.post(
        "/accounts/me/tokens/", {"name": "case sync", "expires_days": 30}
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    secret = re.search(r'value="(lia_[^"]+)"', response.content.decode())
    assert secret is not None
    assert secret.group(1)
    row = ApiToken.objects.get(user=officer)
    assert row.expires_at is not None
    listing = officer_client.get("/accounts/me/tokens/").content.decode()
    assert "case sync" in listing
    assert row.prefix in listing
    assert secret.group(1) not in listing
    assert Client().get("/api/v1/accounts/me", **bearer(secret.group(1))).status_code == 200


def test_a_user_revokes_their_own_token_from_the_page(
    officer_client: Client, officer: User
) -> None:
    row, secret = services.token_create(actor=officer, user=officer, name="sync")
    assert b"Revoke the token" in officer_client.get(f"/accounts/tokens/{row.pk}/revoke/").content
    response = officer_client.post(f"/accounts/tokens/{row.pk}/revoke/")
    assert response.status_code == 302
    assert ApiToken.objects.get(pk=row.pk).revoked_at is not None
    assert Client().get("/api/v1/accounts/me", **bearer(secret)).status_code == 401


def test_another_users_token_is_not_found_for_a_non_admin(
    officer_client: Client, agency: Agency
) -> None:
    other = make_user(Role.OFFICER, agency=agency)
    row, _ = services.token_create(actor=other, user=other, name="theirs")
    assert officer_client.post(f"/accounts/tokens/{row.pk}/revoke/").status_code == 404
    assert ApiToken.objects.get(pk=row.pk).revoked_at is None


def test_an_admin_can_revoke_anyones_token(admin_client: Client, officer: User) -> None:
    row, _ = services.token_create(actor=officer, user=officer, name="sync")
    response = admin_client.post(f"/accounts/tokens/{row.pk}/revoke/")
    assert response["Location"] == f"/accounts/users/{officer.pk}/"
    assert ApiToken.objects.get(pk=row.pk).revoked_at is not None


def test_the_api_lists_the_callers_tokens_without_secrets(officer: User, agency: Agency) -> None:
    _, secret = services.token_create(actor=officer, user=officer, name="sync")
    other = make_user(Role.OFFICER, agency=agency)
    services.token_create(actor=other, user=other, name="theirs")
    body = Client().get("/api/v1/accounts/tokens", **bearer(secret)).json()["items"]
    assert [t["name"] for t in body] == ["sync"]
    assert "token_hash" not in body[0]


def test_the_session_api_checks_csrf_on_writes(officer: User) -> None:
    from django.test import RequestFactory
    from ninja.errors import HttpError

    from liaison.accounts.api import ApiAuth

    factory = RequestFactory()
    read = factory.get("/api/v1/accounts/me")
    read.user = officer
    assert ApiAuth()(read) == officer
    write = factory.post("/api/v1/anything")
    write.user = officer
    with pytest.raises(HttpError):
        ApiAuth()(write)
