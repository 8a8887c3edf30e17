"""Sign-in per CJIS: use notice, lockout after 5 failures in 15 minutes, ledgered attempts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import Client

from liaison.accounts.models import LoginAttempt, User
from liaison.accounts.services import LOCKED_MESSAGE, username_hash
from liaison.accounts.tests.factories import PASSWORD
from liaison.ledger.models import Entry, EntryKind, Head

pytestmark = pytest.mark.django_db
T0 = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)


def sign_in(client: Client, username: str, password: str) -> object:
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_the_login_page_shows_the_use_notification(client: Client) -> None:
    response = client.get("/accounts/login/")
    assert b"Authorized use only" in response.content


def test_a_user_signs_in_with_the_right_password(client: Client, officer: User) -> None:
    response = sign_in(client, "ofc", PASSWORD)
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    entry = Entry.objects.get(action="login.success")
    assert (entry.kind, entry.actor_id, entry.object_id) == (
        EntryKind.SECURITY,
        officer.pk,
        str(officer.pk),
    )


def test_a_wrong_password_is_refused_without_saying_which_part_was_wrong(
    client: Client, officer: User
) -> None:
    response = sign_in(client, "ofc", "wrong password")
    assert response.status_code == 200
    assert b"Please enter a correct username and password." in response.content
    assert not User.objects.get(pk=officer.pk).locked_at


def test_an_unknown_username_gets_the_same_answer(client: Client, officer: User) -> None:
    unknown = sign_in(client, "nobody-here", "wrong password")
    known = sign_in(client, "ofc", "wrong password")
    assert b"Please enter a correct username and password." in unknown.content
    assert b"Please enter a correct username and password." in known.content
    assert b"no such user" not in unknown.content.lower()


def test_five_failures_within_15_minutes_lock_the_account(client: Client, officer: User) -> None:
    with time_machine.travel(T0, tick=False) as traveller:
        for _ in range(4):
            sign_in(client, "ofc", "wrong password")
            traveller.shift(timedelta(minutes=3))
        assert User.objects.get(pk=officer.pk).locked_at is None
        response = sign_in(client, "ofc", "wrong password")
    assert LOCKED_MESSAGE.encode() in response.content
    assert User.objects.get(pk=officer.pk).locked_at == T0 + timedelta(minutes=12)
    lock = Entry.objects.get(action="user.lock")
    assert (lock.kind, lock.object_type, lock.object_id) == (
        EntryKind.SECURITY,
        "accounts.user",
        str(officer.pk),
    )


def test_five_failures_spread_over_more_than_15_minutes_do_not_lock(
    client: Client, officer: User
) -> None:
    with time_machine.travel(T0, tick=False) as traveller:
        for _ in range(5):
            response = sign_in(client, "ofc", "wrong password")
            traveller.shift(timedelta(minutes=4))
    assert User.objects.get(pk=officer.pk).locked_at is None
    assert b"Please enter a correct username and password." in response.content


def test_a_successful_sign_in_starts_the_count_again(client: Client, officer: User) -> None:
    with time_machine.travel(T0, tick=False) as traveller:
        for _ in range(4):
            sign_in(client, "ofc", "wrong password")
            traveller.shift(timedelta(seconds=10))
        sign_in(client, "ofc", PASSWORD)
        client.logout()
        traveller.shift(timedelta(seconds=10))
        sign_in(client, "ofc", "wrong password")
    assert User.objects.get(pk=officer.pk).locked_at is None


def test_a_locked_user_cannot_sign_in_even_with_the_right_password(
    client: Client, officer: User
) -> None:
    for _ in range(5):
        sign_in(client, "ofc", "wrong password")
    response = sign_in(client, "ofc", PASSWORD)
    assert response.status_code == 200
    assert LOCKED_MESSAGE.encode() in response.content
    assert "_auth_user_id" not in client.session
    assert client.get("/").status_code == 302


def test_an_admin_can_release_a_lock_before_it_ends(
    client: Client, officer: User, admin_client: Client
) -> None:
    with time_machine.travel(T0, tick=False) as traveller:
        for _ in range(5):
            sign_in(client, "ofc", "wrong password")
        traveller.shift(timedelta(minutes=20))
        assert LOCKED_MESSAGE.encode() in sign_in(client, "ofc", PASSWORD).content
        size = Head.objects.get().size
        response = admin_client.post(f"/accounts/users/{officer.pk}/unlock/")
        assert response.status_code == 302
        assert User.objects.get(pk=officer.pk).locked_at is None
        unlock = Entry.objects.get(action="user.unlock")
        assert unlock.seq == size
        assert Head.objects.get().size == size + 1
        assert sign_in(client, "ofc", PASSWORD).status_code == 302


def test_after_an_unlock_one_more_failure_does_not_lock_again(
    client: Client, officer: User, admin_client: Client
) -> None:
    for _ in range(5):
        sign_in(client, "ofc", "wrong password")
    admin_client.post(f"/accounts/users/{officer.pk}/unlock/")
    response = sign_in(client, "ofc", "wrong password")
    assert b"Please enter a correct username and password." in response.content
    assert User.objects.get(pk=officer.pk).locked_at is None


def test_an_unknown_username_is_told_locked_after_five_failures_like_a_real_one(
    client: Client,
) -> None:
    for _ in range(5):
        response = sign_in(client, "ghost", "wrong password")
    assert LOCKED_MESSAGE.encode() in response.content


def test_failed_logons_are_ledgered_without_the_username_in_clear(
    client: Client, officer: User
) -> None:
    sign_in(client, "ghost-user-name", "wrong password")
    sign_in(client, "ofc", "wrong password")
    unknown, known = Entry.objects.filter(action="login.fail").order_by("seq")
    assert unknown.kind == EntryKind.SECURITY
    assert unknown.actor_id is None
    assert (unknown.object_type, unknown.object_id) == (
        "accounts.login",
        username_hash("ghost-user-name")[:16],
    )
    assert (known.object_type, known.object_id) == ("accounts.user", str(officer.pk))
    for entry in Entry.objects.all():
        for value in (entry.action, entry.object_type, entry.object_id, entry.reason):
            assert "ghost" not in value
            assert "ofc" not in value
    assert not LoginAttempt.objects.filter(username_hash__contains="ghost").exists()
    assert set(LoginAttempt.objects.values_list("username_hash", flat=True)) == {
        username_hash("ghost-user-name"),
        username_hash("ofc"),
    }


def test_a_deactivated_user_cannot_sign_in(client: Client, officer: User) -> None:
    User.objects.filter(pk=officer.pk).update(is_active=False)
    response = sign_in(client, "ofc", PASSWORD)
    assert b"Please enter a correct username and password." in response.content


def test_sign_in_goes_to_the_next_page_on_this_site_only(client: Client, officer: User) -> None:
    response = client.post(
        "/accounts/login/",
        {"username": "ofc", "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response["Location"] == "/"
    client.logout()
    response = client.post(
        "/accounts/login/", {"username": "ofc", "password": PASSWORD, "next": "/accounts/me/"}
    )
    assert response["Location"] == "/accounts/me/"
