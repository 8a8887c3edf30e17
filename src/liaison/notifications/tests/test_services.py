"""Sending notifications: once per recipient and key, ledgered, mailed after commit."""

from __future__ import annotations

import pytest
from django.core import mail

from liaison.accounts.models import User
from liaison.core.errors import NotFound
from liaison.ledger.models import Entry
from liaison.notifications.models import Notification
from liaison.notifications.services import (
    notification_mark_read,
    notification_send,
    notifications_mark_all_read,
)
from liaison.notifications.tasks import send_pending_emails


def send(recipients: list[User], key: str = "agreement:1:expires:30d", **kwargs: object) -> int:
    return notification_send(
        recipients=recipients,
        key=key,
        subject=str(kwargs.pop("subject", "Agreement expires in 30 days")),
        body=str(kwargs.pop("body", "The 287(g) agreement with ICE expires on 1 January.")),
        url=str(kwargs.pop("url", "/agreements/1/")),
        **kwargs,  # type: ignore[arg-type]
    )


def test_it_creates_one_notification_per_recipient(
    alice: User, bob: User, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        created = send([alice, bob, alice])

    assert created == 2
    assert Notification.objects.filter(key="agreement:1:expires:30d").count() == 2


def test_sending_the_same_key_again_creates_and_mails_nothing(
    alice: User, bob: User, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        send([alice])
    with django_capture_on_commit_callbacks(execute=True):
        created = send([alice, bob])

    assert created == 1
    assert Notification.objects.count() == 2
    assert sorted(m.to[0] for m in mail.outbox) == [
        "alice@dps.example.gov",
        "bob@sheriff.example.gov",
    ]


def test_each_new_notification_is_ledgered_without_its_text(
    alice: User, bob: User, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        send([alice, bob], subject="Secret subject", body="Secret body")

    entries = Entry.objects.filter(action="notification.send")
    assert entries.count() == 2
    for entry in entries:
        assert entry.actor_id is None
        assert entry.object_type == "notifications.notification"
        assert "Secret" not in entry.reason


def test_email_goes_out_only_after_commit(alice: User, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        send([alice])
        assert mail.outbox == []

    assert len(callbacks) == 1
    callbacks[0]()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Agreement expires in 30 days"
    assert message.to == ["alice@dps.example.gov"]
    assert "http://127.0.0.1:8000/agreements/1/" in message.body
    assert Notification.objects.get(recipient=alice).emailed_at is not None


def test_nothing_is_mailed_when_the_transaction_rolls_back(
    alice: User, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        send([alice])
    # The callbacks are dropped, as on a real rollback.
    del callbacks
    assert mail.outbox == []


def test_a_recipient_without_an_address_gets_the_notification_in_the_app_only(
    no_email_user: User, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        assert send([no_email_user]) == 1

    notification = Notification.objects.get(recipient=no_email_user)
    assert notification.wants_email is False
    assert notification.emailed_at is None
    assert mail.outbox == []


def test_email_false_keeps_it_in_the_app(alice: User, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        send([alice], email=False)

    assert mail.outbox == []
    assert Notification.objects.get(recipient=alice).wants_email is False


def test_a_failed_email_is_sent_by_the_next_pending_email_sweep(
    alice: User, django_capture_on_commit_callbacks, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object, **kwargs: object) -> int:
        raise OSError("mail server down")

    monkeypatch.setattr("liaison.notifications.services.send_mail", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        send([alice])
    assert Notification.objects.get(recipient=alice).emailed_at is None

    monkeypatch.undo()
    assert send_pending_emails.call() == 1
    assert send_pending_emails.call() == 0
    assert len(mail.outbox) == 1
    assert Notification.objects.get(recipient=alice).emailed_at is not None


def test_an_empty_subject_is_refused(alice: User) -> None:
    from liaison.core.errors import ServiceError

    with pytest.raises(ServiceError) as exc:
        send([alice], subject="")
    assert "subject" in exc.value.fields
    assert Notification.objects.count() == 0


def test_the_recipient_marks_a_notification_read_once(alice: User) -> None:
    send([alice], email=False)
    notification = Notification.objects.get(recipient=alice)

    first = notification_mark_read(actor=alice, pk=notification.pk).read_at
    again = notification_mark_read(actor=alice, pk=notification.pk).read_at

    assert first is not None
    assert again == first


def test_someone_elses_notification_is_not_found(alice: User, bob: User) -> None:
    send([alice], email=False)
    notification = Notification.objects.get(recipient=alice)

    with pytest.raises(NotFound):
        notification_mark_read(actor=bob, pk=notification.pk)
    assert Notification.objects.get(pk=notification.pk).read_at is None


def test_mark_all_read_touches_only_the_actors_notifications(alice: User, bob: User) -> None:
    send([alice, bob], key="a", email=False)
    send([alice], key="b", email=False)

    assert notifications_mark_all_read(actor=alice) == 2
    assert Notification.objects.filter(recipient=bob, read_at__isnull=True).count() == 1


@pytest.mark.parametrize("url", ["javascript:alert(1)", "//evil.example.com/", "data:text/html,x"])
def test_a_link_that_is_not_a_page_is_refused(alice: User, url: str) -> None:
    from liaison.core.errors import ServiceError

    with pytest.raises(ServiceError) as exc:
        send([alice], url=url)
    assert "url" in exc.value.fields


@pytest.mark.django_db(transaction=True)
def test_concurrent_senders_notify_and_mail_each_person_once(alice: User, bob: User) -> None:
    import threading

    from django.db import connection

    # Overlapping recipient lists in different orders: no sender may deadlock another.
    lists = [[alice, bob], [bob], [bob, alice], [alice], [alice, bob, alice]]
    start = threading.Barrier(len(lists))
    created: list[int] = []
    errors: list[BaseException] = []

    def run(recipients: list[User]) -> None:
        try:
            start.wait()
            created.append(send(recipients, key="agreement:9:expires"))
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(r,)) for r in lists]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)

    assert errors == []
    assert sum(created) == 2
    assert Notification.objects.filter(key="agreement:9:expires").count() == 2
    assert len(mail.outbox) == 2
