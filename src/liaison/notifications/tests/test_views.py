"""The notifications page, the header bell and the jobs page, through the web client."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from liaison.accounts.models import User
from liaison.accounts.tests.factories import make_user
from liaison.core.roles import Role
from liaison.core.schedule import Scheduler
from liaison.notifications.models import Notification
from liaison.notifications.services import notification_send
from liaison.notifications.tasks import send_notification
from liaison.notifications.tests.conftest import client_for


def notify(user: User, n: int = 1, prefix: str = "event") -> None:
    for i in range(n):
        notification_send(
            recipients=[user], key=f"{prefix}:{i}", subject=f"{prefix} {i}", body="", email=False
        )


def test_the_list_shows_only_the_users_own_notifications(alice: User, bob: User) -> None:
    notify(alice, 2, prefix="for-alice")
    notify(bob, 1, prefix="for-bob")

    page = client_for(alice).get("/notifications/").content.decode()

    assert "for-alice 0" in page
    assert "for-alice 1" in page
    assert "for-bob" not in page


def test_the_bell_shows_the_unread_count_to_screen_readers(alice: User) -> None:
    notify(alice, 3)

    page = client_for(alice).get("/notifications/").content.decode()

    assert 'aria-label="Notifications, 3 unread"' in page


def test_anonymous_pages_do_not_count_notifications(db: None, client: Client) -> None:
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/accounts/login/")

    assert response.status_code == 200
    assert not [q for q in queries.captured_queries if "notifications_notification" in q["sql"]]
    assert b"Notifications," not in response.content


def test_marking_one_read_lowers_the_count(alice: User) -> None:
    notify(alice, 2)
    target = Notification.objects.filter(recipient=alice).first()
    assert target is not None
    client = client_for(alice)

    response = client.post(f"/notifications/{target.pk}/read", {"next": "/notifications/"})

    assert response.status_code == 302
    assert response["Location"] == "/notifications/"
    assert 'aria-label="Notifications, 1 unread"' in client.get("/notifications/").content.decode()


def test_marking_someone_elses_notification_read_is_404(alice: User, bob: User) -> None:
    notify(alice)
    target = Notification.objects.get(recipient=alice)

    response = client_for(bob).post(f"/notifications/{target.pk}/read")

    assert response.status_code == 404
    assert Notification.objects.get(pk=target.pk).read_at is None


def test_mark_all_read_empties_the_unread_list(alice: User) -> None:
    notify(alice, 3)
    client = client_for(alice)

    client.post("/notifications/read-all", {"next": "/notifications/?show=unread"})

    page = client.get("/notifications/?show=unread").content.decode()
    assert "No unread notifications." in page
    assert 'aria-label="Notifications, 0 unread"' in page


def test_the_form_never_redirects_off_site(alice: User) -> None:
    response = client_for(alice).post(
        "/notifications/read-all", {"next": "https://evil.example.com/"}
    )
    assert response["Location"] == "/notifications/"


def test_reading_requires_post(alice: User) -> None:
    notify(alice)
    target = Notification.objects.get(recipient=alice)
    assert client_for(alice).get(f"/notifications/{target.pk}/read").status_code == 405


def test_the_list_page_query_count_does_not_grow_with_rows(
    alice: User, django_assert_max_num_queries
) -> None:
    client = client_for(alice)
    notify(alice, 2)
    with CaptureQueriesContext(connection) as few:
        client.get("/notifications/")
    notify(alice, 40, prefix="more")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/notifications/")
    assert response.status_code == 200


@pytest.mark.parametrize("role", [Role.ADMIN, Role.OVERSIGHT])
def test_admins_and_oversight_see_the_jobs_page(db: None, role: Role) -> None:
    response = client_for(make_user(role)).get("/system/jobs/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "liaison.notifications.tasks.send_pending_emails" in page
    assert 'data-testid="queue-summary"' in page


@pytest.mark.parametrize("role", [r for r in Role if r not in (Role.ADMIN, Role.OVERSIGHT)])
def test_everyone_else_gets_404_from_the_jobs_page(db: None, role: Role) -> None:
    assert client_for(make_user(role)).get("/system/jobs/").status_code == 404


def test_the_jobs_page_needs_a_login(db: None, client: Client) -> None:
    response = client.get("/system/jobs/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_jobs_page_shows_last_runs_and_recent_tasks(
    db: None, django_assert_max_num_queries, settings
) -> None:
    settings.LIAISON_PERIODIC_TASKS = [
        ("liaison.notifications.tasks.send_pending_emails", 300),
        ("liaison.notifications.tasks.prune_job_history", 86400),
    ]
    client = client_for(make_user(Role.ADMIN))
    Scheduler().tick()
    send_notification.enqueue(recipient_ids=[], key="k", subject="s", body="")
    with CaptureQueriesContext(connection) as few:
        page = client.get("/system/jobs/").content.decode()

    assert "never" not in page  # every configured job has a claimed slot
    assert "liaison.notifications.tasks.send_notification" in page
    assert 'data-testid="queue-ready">3<' in page

    for i in range(30):
        send_notification.enqueue(recipient_ids=[], key=f"k{i}", subject="s", body="")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get("/system/jobs/?status=READY").status_code == 200


def test_unread_notifications_come_first_then_the_newest(alice: User) -> None:
    for key in ("oldest", "middle", "newest"):
        notification_send(
            recipients=[alice], key=key, subject=f"subject-{key}", body="", email=False
        )
    from liaison.notifications.services import notification_mark_read

    notification_mark_read(actor=alice, pk=Notification.objects.get(key="newest").pk)
    notification_mark_read(actor=alice, pk=Notification.objects.get(key="oldest").pk)

    page = client_for(alice).get("/notifications/").content.decode()
    order = sorted(("oldest", "middle", "newest"), key=lambda k: page.index(f"subject-{k}"))
    assert order == ["middle", "newest", "oldest"]


def test_the_jobs_page_gives_intervals_in_words(db: None, settings) -> None:
    settings.LIAISON_PERIODIC_TASKS = [
        ("liaison.notifications.tasks.send_pending_emails", 300),
        ("liaison.notifications.tasks.prune_job_history", 86400),
    ]
    page = client_for(make_user(Role.OVERSIGHT)).get("/system/jobs/").content.decode()
    assert "5 minutes" in page
    assert "1 day" in page


def test_the_bell_counts_once_per_page(alice: User) -> None:
    notify(alice, 2)
    client = client_for(alice)

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/")

    assert 'aria-label="Notifications, 2 unread"' in response.content.decode()
    counts = [q for q in queries.captured_queries if "notifications_notification" in q["sql"]]
    assert len(counts) == 1
