"""An email is marked sent only once the mail server accepted it, and a mail server that
never answers holds no sender: a crash may resend an email once, never lose it."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.core.mail import send_mail as real_send_mail
from django.db import connection
from django.utils import timezone

from liaison.accounts.models import User
from liaison.core.worker_testing import LocalSmtpServer
from liaison.notifications.models import Notification
from liaison.notifications.services import notification_emails_deliver, notification_send
from liaison.notifications.tasks import send_pending_emails

SEND_MAIL = "liaison.notifications.services.send_mail"


class Killed(BaseException):
    """Stands for the process dying (kill -9): nothing after it runs."""


def notify(user: User) -> Notification:
    notification_send(recipients=[user], key="agreement:1:expires", subject="Expires", body="b")
    return Notification.objects.get(recipient=user)


def after_the_claim_expired() -> time_machine.travel:
    return time_machine.travel(
        timezone.now() + timedelta(seconds=settings.LIAISON_EMAIL_CLAIM_SECONDS + 1)
    )


def test_email_timeout_has_a_default_and_comes_from_the_environment() -> None:
    assert settings.EMAIL_TIMEOUT == 10
    code = "import django; django.setup(); from django.conf import settings; print(settings.EMAIL_TIMEOUT)"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "liaison.test_settings", "EMAIL_TIMEOUT": "2.5"}
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "2.5"


def test_a_notification_is_marked_emailed_only_after_the_server_accepted_it(
    alice: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[object] = []

    def server(*args: Any, **kwargs: Any) -> int:
        seen.append(Notification.objects.get(recipient=alice).emailed_at)
        return real_send_mail(*args, **kwargs)

    monkeypatch.setattr(SEND_MAIL, server)
    notification = notify(alice)
    assert notification_emails_deliver(pks=[notification.pk]) == 1

    assert seen == [None]
    notification.refresh_from_db()
    assert notification.emailed_at is not None
    assert len(mail.outbox) == 1


def test_a_crash_before_the_server_accepted_the_email_loses_nothing(
    alice: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    def die(*args: Any, **kwargs: Any) -> int:
        raise Killed

    notification = notify(alice)
    monkeypatch.setattr(SEND_MAIL, die)
    with pytest.raises(Killed):
        notification_emails_deliver(pks=[notification.pk])
    monkeypatch.undo()

    notification.refresh_from_db()
    assert notification.emailed_at is None
    # Another process may still be sending it: the sweep leaves a live claim alone ...
    assert send_pending_emails.call() == 0
    # ... and takes over once the claim is older than any send can last.
    with after_the_claim_expired():
        assert send_pending_emails.call() == 1
        assert send_pending_emails.call() == 0
    assert len(mail.outbox) == 1
    notification.refresh_from_db()
    assert notification.emailed_at is not None


def test_a_crash_after_the_server_accepted_the_email_sends_it_once_more_at_most(
    alice: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    def accept_then_die(*args: Any, **kwargs: Any) -> int:
        real_send_mail(*args, **kwargs)
        raise Killed

    notification = notify(alice)
    monkeypatch.setattr(SEND_MAIL, accept_then_die)
    with pytest.raises(Killed):
        notification_emails_deliver(pks=[notification.pk])
    monkeypatch.undo()

    with after_the_claim_expired():
        assert send_pending_emails.call() == 1
    with time_machine.travel(timezone.now() + timedelta(days=1)):
        assert send_pending_emails.call() == 0
    assert len(mail.outbox) == 2


@pytest.mark.django_db(transaction=True)
def test_a_mail_server_that_never_answers_does_not_hold_the_sender(
    alice: User, settings: Any
) -> None:
    notification = notify(alice)  # locmem backend: sent and marked; send it again below
    Notification.objects.filter(pk=notification.pk).update(emailed_at=None, email_claimed_at=None)
    result: list[int] = []
    with LocalSmtpServer(answering=False) as server:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
        settings.EMAIL_TIMEOUT = 0.5

        def deliver() -> None:
            try:
                result.append(notification_emails_deliver(pks=[notification.pk]))
            finally:
                connection.close()

        sender = threading.Thread(target=deliver)
        sender.start()
        sender.join(timeout=15)
        assert not sender.is_alive(), "the sender is still waiting for the mail server"
        assert server.held == 1

    assert result == [0]
    notification.refresh_from_db()
    assert (notification.emailed_at, notification.email_claimed_at) == (None, None)
