"""``liaison createuser`` and ``liaison token``: run as the system, errors are clear."""

from __future__ import annotations

import hashlib
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from liaison.accounts.models import ApiToken, User
from liaison.directory.models import Agency
from liaison.ledger.models import Entry, EntryKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def password_file(tmp_path: Path) -> str:
    path = tmp_path / "pw"
    path.write_text("a-long-command-line-passphrase\n")
    return str(path)


def createuser(password_file: str, **overrides: str) -> str:
    args = {
        "username": "bca-sup",
        "email": "sup@example.gov",
        "role": "supervisor",
        "agency": "DPS",
        "password_file": password_file,
        **overrides,
    }
    out = StringIO()
    call_command(
        "createuser", *[f"--{k.replace('_', '-')}={v}" for k, v in args.items()], stdout=out
    )
    return out.getvalue()


def test_createuser_makes_an_account_for_an_agency_by_abbreviation(
    agency: Agency, password_file: str
) -> None:
    out = createuser(password_file)
    user = User.objects.get(username="bca-sup")
    assert (user.role, user.agency_id) == ("supervisor", agency.pk)
    assert user.check_password("a-long-command-line-passphrase")
    assert "Created bca-sup (Supervisor, Minnesota Department of Public Safety)" in out
    entry = Entry.objects.get(action="user.create")
    assert (entry.actor_id, entry.kind, entry.object_id) == (None, EntryKind.SECURITY, str(user.pk))


def test_createuser_accepts_the_agency_by_full_name(agency: Agency, password_file: str) -> None:
    createuser(password_file, agency="minnesota department of public safety")
    assert User.objects.get(username="bca-sup").agency_id == agency.pk


def test_createuser_explains_a_bad_role_agency_or_password(
    agency: Agency, password_file: str, tmp_path: Path
) -> None:
    with pytest.raises(CommandError, match="Unknown role 'chief'"):
        createuser(password_file, role="chief")
    with pytest.raises(CommandError, match="No agency has the abbreviation or name 'FBI'"):
        createuser(password_file, agency="FBI")
    weak = tmp_path / "weak"
    weak.write_text("password\n")
    with pytest.raises(CommandError, match="password"):
        createuser(str(weak))
    with pytest.raises(CommandError, match="Cannot read the password file"):
        createuser(str(tmp_path / "missing"))
    assert not User.objects.filter(username="bca-sup").exists()


def test_createuser_refuses_a_taken_username(
    agency: Agency, officer: User, password_file: str
) -> None:
    with pytest.raises(CommandError, match="username"):
        createuser(password_file, username="ofc")


def test_createuser_prompts_for_the_password_twice(
    agency: Agency, monkeypatch: pytest.MonkeyPatch
) -> None:
    answers = iter(["prompted-passphrase-1", "prompted-passphrase-1"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    call_command(
        "createuser",
        "--username=p",
        "--email=p@example.gov",
        "--role=officer",
        "--agency=DPS",
        stdout=StringIO(),
    )
    assert User.objects.get(username="p").check_password("prompted-passphrase-1")


def test_token_create_prints_the_secret_once_and_stores_its_hash(officer: User) -> None:
    out, err = StringIO(), StringIO()
    call_command(
        "token",
        "create",
        "--user=ofc",
        "--name=nightly sync",
        "--expires-days=30",
        stdout=out,
        stderr=err,
    )
    secret = out.getvalue().strip()
    row = ApiToken.objects.get(user=officer)
    assert row.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert row.expires_at is not None
    assert secret not in err.getvalue()
    assert row.prefix in err.getvalue()
    response = Client().get("/api/v1/accounts/me", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 200
    entry = Entry.objects.get(action="token.create")
    assert entry.actor_id is None


def test_token_revoke_by_prefix_or_id(officer: User) -> None:
    for _ in range(2):
        call_command(
            "token", "create", "--user=ofc", "--name=x", stdout=StringIO(), stderr=StringIO()
        )
    first, second = ApiToken.objects.order_by("pk")
    call_command("token", "revoke", f"--prefix={first.prefix}", stdout=StringIO())
    call_command("token", "revoke", f"--id={second.pk}", stdout=StringIO())
    assert ApiToken.objects.filter(revoked_at__isnull=True).count() == 0
    assert Entry.objects.filter(action="token.revoke", actor_id=None).count() == 2


def test_token_commands_explain_mistakes(officer: User) -> None:
    with pytest.raises(CommandError, match="No user is named 'nobody'"):
        call_command("token", "create", "--user=nobody", "--name=x", stdout=StringIO())
    with pytest.raises(CommandError, match="No token has the prefix"):
        call_command("token", "revoke", "--prefix=lia_nothing")
    with pytest.raises(CommandError, match="No token has the id 999"):
        call_command("token", "revoke", "--id=999")
    call_command("token", "create", "--user=ofc", "--name=x", stdout=StringIO(), stderr=StringIO())
    row = ApiToken.objects.get()
    call_command("token", "revoke", f"--id={row.pk}", stdout=StringIO())
    with pytest.raises(CommandError, match="already revoked"):
        call_command("token", "revoke", f"--id={row.pk}")
