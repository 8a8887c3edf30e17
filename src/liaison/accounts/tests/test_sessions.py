"""Session rules: 30-minute idle lock, 12-hour re-authentication, activity and 90-day disable."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from django.test import Client

from liaison.accounts.models import LoginAttempt, User
from liaison.accounts.services import users_disable_inactive
from liaison.accounts.tasks import disable_inactive_accounts, prune_login_attempts
from liaison.accounts.tests.factories import PASSWORD, make_user
from liaison.core.roles import Role
from liaison.directory.models import Agency
from liaison.ledger.models import Entry, EntryKind

pytestmark = pytest.mark.django_db
T0 = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)


def sign_in(client: Client) -> None:
    assert (
        client.post("/accounts/login/", {"username": "ofc", "password": PASSWORD}).status_code
        == 302
    )


def test_thirty_minutes_without_activity_sign_the_user_out(client: Client, officer: User) -> None:
    with time_machine.travel(T0, tick=False) as traveller:
        sign_in(client)
        traveller.shift(timedelta(minutes=29))
        assert client.get("/").status_code == 200
        traveller.shift(timedelta(minutes=31))
        response = client.get("/")
        assert response.status_code == 302
        assert response["Location"] == "/accounts/login/?timeout=1"
        page = client.get(response["Location"])
    assert b"You were signed out after 30 minutes without activity" in page.content
    assert "_auth_user_id" not in client.session


def test_an_active_session_still_ends_twelve_hours_after_sign_in(
    client: Client, officer: User
) -> None:
    with time_machine.travel(T0, tick=False) as traveller:
        sign_in(client)
        for _ in range(12 * 3):
            traveller.shift(timedelta(minutes=20))
            assert client.get("/").status_code == 200
        traveller.shift(timedelta(minutes=1))
        response = client.get("/")
    assert response["Location"] == "/accounts/login/?reauth=1"
    assert b"12 hours after sign-in" in client.get(response["Location"]).content


def test_an_idle_session_cannot_use_the_api_either(client: Client, officer: User) -> None:
    with time_machine.travel(T0, tick=False) as traveller:
        sign_in(client)
        assert client.get("/api/v1/accounts/me").status_code == 200
        traveller.shift(timedelta(minutes=31))
        assert client.get("/api/v1/accounts/me").status_code == 401


def test_activity_is_written_at_most_every_few_minutes(client: Client, officer: User) -> None:
    with time_machine.travel(T0, tick=False) as traveller:
        sign_in(client)
        client.get("/")
        first = User.objects.get(pk=officer.pk).last_activity_at
        assert first == T0
        traveller.shift(timedelta(minutes=2))
        client.get("/")
        assert User.objects.get(pk=officer.pk).last_activity_at == first
        traveller.shift(timedelta(minutes=4))
        client.get("/")
        assert User.objects.get(pk=officer.pk).last_activity_at == T0 + timedelta(minutes=6)


def test_accounts_idle_for_90_days_are_disabled_once(agency: Agency) -> None:
    with time_machine.travel(T0, tick=False):
        stale = make_user(Role.OFFICER, agency=agency, username="stale")
        never_used = make_user(Role.OFFICER, agency=agency, username="never")
        recent = make_user(Role.OFFICER, agency=agency, username="recent")
    User.objects.filter(pk=stale.pk).update(last_activity_at=T0)
    User.objects.filter(pk=recent.pk).update(last_activity_at=T0 + timedelta(days=60))
    now = T0 + timedelta(days=91)
    assert users_disable_inactive(now=now) == 2
    assert users_disable_inactive(now=now) == 0
    active = dict(User.objects.values_list("username", "is_active"))
    assert active == {"stale": False, "never": False, "recent": True}
    entries = Entry.objects.filter(action="user.disable_inactive")
    assert {e.object_id for e in entries} == {str(stale.pk), str(never_used.pk)}
    assert all(e.kind == EntryKind.SECURITY and e.actor_id is None for e in entries)


def test_a_user_changes_their_password_with_the_current_one(client: Client, officer: User) -> None:
    sign_in(client)
    response = client.post(
        "/accounts/me/password/",
        {
            "old_password": "not it",
            "password": "a-new-long-passphrase",
            "password_again": "a-new-long-passphrase",
        },
    )
    assert b"Your current password is not correct." in response.content
    assert Entry.objects.filter(action="user.password_change_fail").count() == 1
    response = client.post(
        "/accounts/me/password/",
        {"old_password": PASSWORD, "password": "password123", "password_again": "password123"},
    )
    assert b"too common" in response.content or b"too short" in response.content
    response = client.post(
        "/accounts/me/password/",
        {
            "old_password": PASSWORD,
            "password": "a-new-long-passphrase",
            "password_again": "a-new-long-passphrase",
        },
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 200  # still signed in
    assert User.objects.get(pk=officer.pk).check_password("a-new-long-passphrase")
    assert (
        Entry.objects.filter(action="user.password_change", object_id=str(officer.pk)).count() == 1
    )


def test_the_demo_and_production_profiles_hash_passwords_with_argon2(tmp_path: Path) -> None:
    code = (
        "from liaison import settings as s; "
        "print(s.PASSWORD_HASHERS[0]); "
        "print(' '.join(v['NAME'].rsplit('.', 1)[-1] for v in s.AUTH_PASSWORD_VALIDATORS))"
    )
    env = {**os.environ, "LIAISON_PROFILE": "demo", "LIAISON_VAR": str(tmp_path)}
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout.split("\n")
    assert out[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert {"CommonPasswordValidator", "MinimumLengthValidator"} <= set(out[1].split())


def test_the_periodic_sweeps_disable_idle_accounts_and_forget_old_attempts(
    client: Client, agency: Agency
) -> None:
    with time_machine.travel(T0, tick=False):
        make_user(Role.OFFICER, agency=agency, username="stale")
        client.post("/accounts/login/", {"username": "stale", "password": "wrong"})
    with time_machine.travel(T0 + timedelta(days=91), tick=False):
        client.post("/accounts/login/", {"username": "someone", "password": "wrong"})
        assert disable_inactive_accounts.call() == 1
        assert prune_login_attempts.call() == 1
        assert prune_login_attempts.call() == 0
    assert not User.objects.get(username="stale").is_active
    assert LoginAttempt.objects.count() == 1
