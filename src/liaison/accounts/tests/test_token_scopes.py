"""A token carries its own scope (read only, or what it may change), chosen and shown when
made and enforced by the API; an administrator's password reset revokes the user's tokens."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from liaison.accounts import services
from liaison.accounts.models import ApiToken, TokenScope, User
from liaison.accounts.tests.factories import make_user
from liaison.core.roles import Role
from liaison.directory.models import Agency
from liaison.ledger.models import Entry

pytestmark = pytest.mark.django_db


def bearer(secret: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def _patch_agency(secret: str, agency: Agency) -> object:
    return Client().patch(
        f"/api/v1/directory/agencies/{agency.pk}",
        {"phone": "(651) 555-0199"},
        content_type="application/json",
        **bearer(secret),
    )


def test_a_read_only_token_reads_but_cannot_write(admin: User, agency: Agency) -> None:
    _, secret = services.token_create(
        actor=admin, user=admin, name="reporting", scope=TokenScope.READ
    )
    assert Client().get("/api/v1/accounts/me", **bearer(secret)).status_code == 200
    response = _patch_agency(secret, agency)
    assert response.status_code == 403
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["code"] == "permission_denied"
    assert "read only" in body["message"]
    agency.refresh_from_db()
    assert agency.phone != "(651) 555-0199"
    assert Entry.objects.filter(action="permission.deny").exists()


def test_a_write_token_writes_within_its_users_permissions(admin: User, agency: Agency) -> None:
    _, secret = services.token_create(actor=admin, user=admin, name="sync", scope="write")
    assert _patch_agency(secret, agency).status_code == 200  # type: ignore[attr-defined]


def test_an_area_scope_writes_only_in_its_area(admin: User, agency: Agency) -> None:
    _, secret = services.token_create(
        actor=admin, user=admin, name="notices", scope=TokenScope.WRITE_AGREEMENTS
    )
    assert _patch_agency(secret, agency).status_code == 403  # type: ignore[attr-defined]
    _, secret = services.token_create(
        actor=admin, user=admin, name="directory", scope=TokenScope.WRITE_DIRECTORY
    )
    assert _patch_agency(secret, agency).status_code == 200  # type: ignore[attr-defined]


def test_the_token_page_offers_read_only_first_and_shows_the_scope(officer: User) -> None:
    client = Client()
    client.force_login(officer)
    page = client.get("/accounts/me/tokens/")
    assert b'value="read" checked' in page.content
    response = client.post("/accounts/me/tokens/", {"name": "sync", "scope": "read"})
    assert response.status_code == 200
    assert b"Read only" in response.content
    assert ApiToken.objects.get(name="sync").scope == TokenScope.READ
    assert b"Read only" in client.get("/accounts/me/tokens/").content


def test_the_command_line_takes_a_scope_and_says_it(officer: User) -> None:
    err = StringIO()
    call_command(
        "token", "create", "--user=ofc", "--name=x", "--scope=write:agreements",
        stdout=StringIO(), stderr=err,
    )  # fmt: skip
    assert ApiToken.objects.get(name="x").scope == "write:agreements"
    assert "write:agreements" in err.getvalue()
    call_command("token", "create", "--user=ofc", "--name=y", stdout=StringIO(), stderr=err)
    assert ApiToken.objects.get(name="y").scope == TokenScope.READ


def test_an_admin_password_reset_revokes_the_users_tokens(admin: User, agency: Agency) -> None:
    user = make_user(Role.OFFICER, agency=agency, username="reset-me")
    other = make_user(Role.OFFICER, agency=agency, username="bystander")
    _, secret = services.token_create(actor=user, user=user, name="a")
    services.token_create(actor=user, user=user, name="b")
    _, other_secret = services.token_create(actor=other, user=other, name="c")
    assert Client().get("/api/v1/accounts/me", **bearer(secret)).status_code == 200
    services.user_password_set(actor=admin, user=user, password="a brand new passphrase 42")
    assert Client().get("/api/v1/accounts/me", **bearer(secret)).status_code == 401
    assert not ApiToken.objects.filter(user=user, revoked_at__isnull=True).exists()
    assert Entry.objects.filter(action="token.revoke", actor_id=admin.pk).count() == 2
    assert Client().get("/api/v1/accounts/me", **bearer(other_secret)).status_code == 200
