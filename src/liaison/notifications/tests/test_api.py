"""/api/v1/notifications/: the caller's own notifications and nobody else's."""

from __future__ import annotations

from liaison.accounts.models import User
from liaison.notifications.models import Notification
from liaison.notifications.services import notification_send
from liaison.notifications.tests.conftest import client_for


def notify(user: User, *keys: str) -> None:
    for key in keys:
        notification_send(recipients=[user], key=key, subject=f"About {key}", body="", email=False)


def test_the_list_holds_only_the_callers_notifications(alice: User, bob: User) -> None:
    notify(alice, "a1", "a2")
    notify(bob, "b1")

    body = client_for(alice).get("/api/v1/notifications/").json()

    assert body["total"] == 2
    assert client_for(alice).get("/api/v1/notifications/unread").json() == {"unread": 2}
    assert {item["key"] for item in body["items"]} == {"a1", "a2"}


def test_the_list_can_be_limited_to_unread_and_paged(alice: User) -> None:
    notify(alice, "a1", "a2", "a3")
    client = client_for(alice)
    first = Notification.objects.get(key="a1")
    client.post(f"/api/v1/notifications/{first.pk}/read")

    unread = client.get("/api/v1/notifications/?unread=true&page_size=1").json()

    assert unread["total"] == 2
    assert unread["next"] == 2
    assert len(unread["items"]) == 1
    assert unread["items"][0]["read_at"] is None


def test_marking_read_returns_the_notification(alice: User) -> None:
    notify(alice, "a1")
    target = Notification.objects.get(recipient=alice)

    response = client_for(alice).post(f"/api/v1/notifications/{target.pk}/read")

    assert response.status_code == 200
    assert response.json()["id"] == target.pk
    assert response.json()["read_at"] is not None


def test_marking_someone_elses_notification_is_404(alice: User, bob: User) -> None:
    notify(alice, "a1")
    target = Notification.objects.get(recipient=alice)

    response = client_for(bob).post(f"/api/v1/notifications/{target.pk}/read")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert Notification.objects.get(pk=target.pk).read_at is None


def test_mark_all_read(alice: User, bob: User) -> None:
    notify(alice, "a1", "a2")
    notify(bob, "b1")

    assert client_for(alice).post("/api/v1/notifications/read-all").json() == {"marked": 2}
    assert Notification.objects.filter(recipient=bob, read_at__isnull=True).count() == 1


def test_anonymous_callers_are_refused(db: None, client) -> None:
    assert client.get("/api/v1/notifications/").status_code == 401


def test_a_partner_system_reads_its_users_notifications_with_a_token(alice: User) -> None:
    from django.test import Client

    from liaison.accounts.services import token_create

    notify(alice, "a1")
    _, secret = token_create(actor=None, user=alice, name="partner system")

    response = Client().get("/api/v1/notifications/", HTTP_AUTHORIZATION=f"Bearer {secret}")

    assert response.status_code == 200
    assert [item["key"] for item in response.json()["items"]] == ["a1"]
