"""Nobody can lock anybody out for good: the sign-in lock is timed (30 minutes), one
source address is throttled on its own, a lock never ends a live session or stops an
API token, and wrong second-factor codes count towards the lock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import Client, override_settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from liaison.accounts import services
from liaison.accounts.models import User
from liaison.accounts.services import LOCKED_MESSAGE, SOURCE_THROTTLED_MESSAGE
from liaison.accounts.tests.factories import PASSWORD, make_user
from liaison.accounts.tests.test_mfa import code_for, wrong_code_for
from liaison.core.roles import Role
from liaison.directory.models import Agency

pytestmark = pytest.mark.django_db
T0 = datetime(2026, 3, 2, 14, 0, 7, tzinfo=UTC)


def sign_in(client: Client, username: str, password: str, ip: str = "198.51.100.7") -> object:
    return client.post(
        "/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def test_the_lock_ends_by_itself_after_30_minutes(client: Client, officer: User) -> None:
    with time_machine.travel(T0, tick=False) as traveller:
        for _ in range(5):
            sign_in(client, "ofc", "wrong password")
        traveller.shift(timedelta(minutes=29))
        assert LOCKED_MESSAGE.encode() in sign_in(client, "ofc", PASSWORD).content  # type: ignore[attr-defined]
        assert User.objects.get(pk=officer.pk).locked_until == T0 + timedelta(minutes=30)
        traveller.shift(timedelta(minutes=1, seconds=1))
        assert User.objects.get(pk=officer.pk).locked_until is None
        response = sign_in(client, "ofc", PASSWORD)
    assert response.status_code == 302  # type: ignore[attr-defined]


def test_retrying_during_the_lock_does_not_stretch_it(client: Client, officer: User) -> None:
    with time_machine.travel(T0, tick=False) as traveller:
        for _ in range(5):
            sign_in(client, "ofc", "wrong password")
        for _ in range(10):
            traveller.shift(timedelta(minutes=2))
            sign_in(client, "ofc", "wrong password")
        traveller.shift(timedelta(minutes=10, seconds=1))
        assert sign_in(client, "ofc", PASSWORD).status_code == 302  # type: ignore[attr-defined]


def test_someone_elses_wrong_passwords_neither_end_the_session_nor_stop_tokens(
    officer: User,
) -> None:
    session = Client()
    assert sign_in(session, "ofc", PASSWORD).status_code == 302  # type: ignore[attr-defined]
    _, secret = services.token_create(actor=officer, user=officer, name="sync", scope="read")
    attacker = Client()
    for _ in range(8):
        sign_in(attacker, "ofc", "guess", ip="203.0.113.66")
    assert User.objects.get(pk=officer.pk).locked_until is not None
    assert session.get("/accounts/me/").status_code == 200
    api = Client().get("/api/v1/accounts/me", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert api.status_code == 200


def test_admins_are_locked_for_a_while_too_not_for_good(admin: User) -> None:
    with time_machine.travel(T0, tick=False) as traveller:
        for _ in range(5):
            sign_in(Client(), "root-admin", "guess", ip="203.0.113.5")
        assert LOCKED_MESSAGE.encode() in sign_in(Client(), "root-admin", PASSWORD).content  # type: ignore[attr-defined]
        traveller.shift(timedelta(minutes=31))
        assert sign_in(Client(), "root-admin", PASSWORD).status_code == 302  # type: ignore[attr-defined]


@override_settings(LIAISON_SOURCE_FAILURE_LIMIT=20)
def test_one_source_is_throttled_across_usernames(agency: Agency) -> None:
    users = [make_user(Role.OFFICER, agency=agency, username=f"u{n}") for n in range(6)]
    with time_machine.travel(T0, tick=False) as traveller:
        for n in range(20):  # 20 failures spread over 6 accounts: none of them 5 times
            sign_in(Client(), f"u{n % 6}" if n < 18 else f"nobody{n}", "guess", ip="203.0.113.9")
            traveller.shift(timedelta(seconds=10))
        throttled = sign_in(Client(), "u0", PASSWORD, ip="203.0.113.9")
        assert throttled.status_code == 429  # type: ignore[attr-defined]
        assert SOURCE_THROTTLED_MESSAGE.encode() in throttled.content  # type: ignore[attr-defined]
        # Refused attempts count against no account, and other addresses are not affected.
        assert all(User.objects.get(pk=u.pk).locked_until is None for u in users)
        assert sign_in(Client(), "u1", PASSWORD, ip="192.0.2.44").status_code == 302  # type: ignore[attr-defined]
        traveller.shift(timedelta(minutes=15))
        assert sign_in(Client(), "u0", PASSWORD, ip="203.0.113.9").status_code == 302  # type: ignore[attr-defined]


@override_settings(LIAISON_REQUIRE_MFA=True)
def test_wrong_second_factor_codes_count_towards_the_lock(officer: User) -> None:
    device = TOTPDevice.objects.create(user=officer, name="app", confirmed=True)
    with time_machine.travel(T0, tick=False) as traveller:
        client = Client()
        sign_in(client, "ofc", PASSWORD)
        for _ in range(3):
            traveller.shift(timedelta(seconds=40))  # past django-otp's own back-off
            client.post("/accounts/mfa/", {"token": wrong_code_for(device)})
        # Two more wrong passwords from elsewhere make five failures: locked.
        for _ in range(2):
            sign_in(Client(), "ofc", "guess", ip="203.0.113.70")
        assert User.objects.get(pk=officer.pk).locked_until is not None
        traveller.shift(timedelta(seconds=40))
        device.refresh_from_db()
        response = client.post("/accounts/mfa/", {"token": code_for(device)})
        assert response.status_code == 302
        assert response["Location"] == "/accounts/login/?locked=1"
        assert "_auth_user_id" not in client.session


@override_settings(LIAISON_REQUIRE_MFA=True)
def test_five_wrong_codes_lock_and_sign_out(officer: User) -> None:
    device = TOTPDevice.objects.create(user=officer, name="app", confirmed=True)
    with time_machine.travel(T0, tick=False) as traveller:
        client = Client()
        sign_in(client, "ofc", PASSWORD)
        for _ in range(5):
            traveller.shift(timedelta(seconds=40))
            response = client.post("/accounts/mfa/", {"token": wrong_code_for(device)})
        assert response["Location"] == "/accounts/login/?locked=1"
        assert LOCKED_MESSAGE.encode() in client.get("/accounts/login/?locked=1").content
        assert LOCKED_MESSAGE.encode() in sign_in(Client(), "ofc", PASSWORD).content  # type: ignore[attr-defined]


@override_settings(LIAISON_REQUIRE_MFA=True)
def test_knowing_the_password_does_not_buy_more_guesses_at_the_code(officer: User) -> None:
    device = TOTPDevice.objects.create(user=officer, name="app", confirmed=True)
    with time_machine.travel(T0, tick=False) as traveller:
        for _ in range(2):  # password right, then three wrong codes, twice over
            client = Client()
            sign_in(client, "ofc", PASSWORD)
            for _ in range(3):
                traveller.shift(timedelta(seconds=40))
                client.post("/accounts/mfa/", {"token": wrong_code_for(device)})
        # The fifth wrong code locked the account, though the password was right twice.
        assert User.objects.get(pk=officer.pk).locked_until is not None
        assert LOCKED_MESSAGE.encode() in sign_in(Client(), "ofc", PASSWORD).content  # type: ignore[attr-defined]


@override_settings(LIAISON_REQUIRE_MFA=True)
def test_a_complete_sign_in_starts_the_count_again(officer: User) -> None:
    device = TOTPDevice.objects.create(user=officer, name="app", confirmed=True)
    with time_machine.travel(T0, tick=False) as traveller:
        for _ in range(2):
            client = Client()
            sign_in(client, "ofc", PASSWORD)
            for _ in range(3):
                traveller.shift(timedelta(seconds=40))
                client.post("/accounts/mfa/", {"token": wrong_code_for(device)})
            traveller.shift(timedelta(seconds=40))
            device.refresh_from_db()
            assert client.post("/accounts/mfa/", {"token": code_for(device)}).status_code == 302
            traveller.shift(timedelta(seconds=40))
        assert User.objects.get(pk=officer.pk).locked_until is None
