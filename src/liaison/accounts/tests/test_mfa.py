"""TOTP MFA when LIAISON_REQUIRE_MFA is on: enrolment, verification, backup codes."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import Client, override_settings
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from liaison.accounts.models import User
from liaison.accounts.tests.factories import PASSWORD
from liaison.ledger.models import Entry

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("mfa_on")]
T0 = datetime(2026, 3, 2, 14, 0, 7, tzinfo=UTC)


@pytest.fixture
def mfa_on() -> object:
    with override_settings(LIAISON_REQUIRE_MFA=True):
        yield


def code_for(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


def wrong_code_for(device: TOTPDevice) -> str:
    return f"{(int(code_for(device)) + 1) % 1_000_000:06d}"


def sign_in(client: Client, username: str = "ofc") -> None:
    response = client.post("/accounts/login/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302


def enrol(client: Client, user: User) -> list[str]:
    client.get("/accounts/mfa/")
    device = TOTPDevice.objects.get(user=user)
    response = client.post("/accounts/mfa/", {"token": code_for(device)})
    assert response.status_code == 200
    return re.findall(r"<li>([a-z2-7]{8})</li>", response.content.decode())


def test_an_unverified_user_is_sent_to_the_mfa_page_from_every_staff_page(
    client: Client, officer: User
) -> None:
    sign_in(client)
    for path in ("/", "/accounts/me/", "/accounts/me/tokens/", "/directory/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith("/accounts/mfa/?next=")


def test_the_session_api_refuses_until_the_second_factor_is_passed(
    client: Client, officer: User
) -> None:
    sign_in(client)
    assert client.get("/api/v1/accounts/me").status_code == 401
    with time_machine.travel(T0, tick=False):
        enrol(client, officer)
        assert client.get("/api/v1/accounts/me").json()["username"] == "ofc"


def test_enrolment_shows_a_qr_code_and_the_secret_for_manual_entry(
    client: Client, officer: User
) -> None:
    sign_in(client)
    response = client.get("/accounts/mfa/")
    page = response.content.decode()
    assert "<svg" in page.split('data-testid="mfa-qr"')[1]
    device = TOTPDevice.objects.get(user=officer, confirmed=False)
    secret = re.search(r'data-testid="mfa-secret">([A-Z2-7 ]+)<', page)
    assert secret is not None
    import base64

    assert base64.b32decode(secret.group(1).replace(" ", "")) == device.bin_key


def test_enrolment_refuses_a_wrong_code_and_accepts_the_right_one(
    client: Client, officer: User
) -> None:
    sign_in(client)
    with time_machine.travel(T0, tick=False) as traveller:
        client.get("/accounts/mfa/")
        device = TOTPDevice.objects.get(user=officer)
        response = client.post("/accounts/mfa/", {"token": wrong_code_for(device)})
        assert response.status_code == 200
        assert b"not correct" in response.content
        assert client.get("/").status_code == 302
        traveller.shift(timedelta(seconds=3))  # past the throttle delay of one failure
        response = client.post("/accounts/mfa/", {"token": code_for(device)})
        assert response.status_code == 200
        codes = re.findall(r"<li>([a-z2-7]{8})</li>", response.content.decode())
        assert len(codes) == 10
        assert client.get("/").status_code == 200
    assert TOTPDevice.objects.get(user=officer).confirmed
    assert Entry.objects.filter(action="mfa.fail", object_id=str(officer.pk)).count() == 1
    assert Entry.objects.filter(action="mfa.enrol", object_id=str(officer.pk)).count() == 1


def test_later_sign_ins_ask_for_a_code_and_accept_only_the_right_one(
    client: Client, officer: User
) -> None:
    with time_machine.travel(T0, tick=False) as traveller:
        sign_in(client)
        enrol(client, officer)
        client.post("/accounts/logout/")
        traveller.shift(timedelta(minutes=1))
        sign_in(client)
        assert client.get("/")["Location"].startswith("/accounts/mfa/")
        device = TOTPDevice.objects.get(user=officer)
        page = client.get("/accounts/mfa/").content
        assert b"Enter your code" in page
        assert b"mfa-secret" not in page  # no second enrolment, the secret is not shown again
        response = client.post("/accounts/mfa/", {"token": wrong_code_for(device)})
        assert response.status_code == 200
        assert client.get("/").status_code == 302
        traveller.shift(timedelta(seconds=3))
        response = client.post(
            "/accounts/mfa/", {"token": code_for(device), "next": "/accounts/me/"}
        )
        assert response["Location"] == "/accounts/me/"
        assert client.get("/").status_code == 200


def test_a_backup_code_works_once_in_place_of_the_app(client: Client, officer: User) -> None:
    with time_machine.travel(T0, tick=False) as traveller:
        sign_in(client)
        codes = enrol(client, officer)
        for attempt in range(2):
            client.post("/accounts/logout/")
            traveller.shift(timedelta(minutes=1))
            sign_in(client)
            response = client.post("/accounts/mfa/", {"token": codes[0]})
            if attempt == 0:
                assert response.status_code == 302
                assert client.get("/").status_code == 200
            else:
                assert response.status_code == 200
                assert client.get("/").status_code == 302
    assert StaticToken.objects.filter(device__user=officer).count() == 9


def test_an_admin_can_reset_a_lost_second_factor(
    client: Client, officer: User, admin_client: Client
) -> None:
    with time_machine.travel(T0, tick=False):
        sign_in(client)
        enrol(client, officer)
    with override_settings(LIAISON_REQUIRE_MFA=False):
        admin_client.post(f"/accounts/users/{officer.pk}/mfa-reset/")
    assert not TOTPDevice.objects.filter(user=officer).exists()
    assert Entry.objects.filter(action="mfa.reset", object_id=str(officer.pk)).exists()


@override_settings(LIAISON_REQUIRE_MFA=False)
def test_without_required_mfa_pages_open_after_the_password_and_warn(
    client: Client, officer: User
) -> None:
    sign_in(client)
    response = client.get("/")
    assert response.status_code == 200
    assert b'data-testid="mfa-off"' in response.content
