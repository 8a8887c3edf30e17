"""A real worker against what goes wrong outside it: a mail server that never answers,
and a worker killed mid-task."""

from __future__ import annotations

import signal
import time

import pytest
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from liaison.accounts.models import User
from liaison.core.models import TaskLease
from liaison.core.worker_testing import LocalSmtpServer, run_worker, start_worker
from liaison.ledger.models import Entry
from liaison.notifications.models import Notification
from liaison.notifications.tasks import send_notification

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

PENDING_EMAILS = "liaison.notifications.tasks.send_pending_emails"
# Short enough for a test to wait them out.
SHORT_CLAIMS = {"LIAISON_TASK_LEASE_SECONDS": "2", "LIAISON_EMAIL_CLAIM_SECONDS": "3"}


def test_a_mail_server_that_never_answers_does_not_hold_the_worker(alice: User) -> None:
    queued = send_notification.enqueue(
        recipient_ids=[alice.pk], key="agreement:3:expires", subject="Expires", body="Soon."
    )

    with LocalSmtpServer(answering=False) as server:
        # Without a timeout the worker would wait for the server's greeting forever.
        run_worker(periodic=[], extra_env=server.smtp_env(timeout=1), timeout=60)
        assert server.held == 1

    row = DBTaskResult.objects.get(id=queued.id)
    assert row.status == TaskResultStatus.SUCCESSFUL
    assert row.return_value == 1
    notification = Notification.objects.get(recipient=alice)
    # Not sent, and free for the next pending-email sweep to retry.
    assert (notification.emailed_at, notification.email_claimed_at) == (None, None)


def test_a_task_whose_worker_is_killed_is_finished_by_another_and_nothing_is_sent_twice(
    alice: User, bob: User
) -> None:
    queued = send_notification.enqueue(
        recipient_ids=[alice.pk, bob.pk],
        key="agreement:5:expires",
        subject="Agreement 5 expires in 30 days",
        body="Renew it or let it lapse.",
    )

    with LocalSmtpServer(answering=False) as server:
        first = start_worker(
            "--no-scheduler",
            "--worker-id",
            "first",
            "--interval",
            "0.2",
            periodic=[],
            extra_env={**SHORT_CLAIMS, **server.smtp_env(timeout=300)},
        )
        try:
            # Mid-task: the notifications are written and the first email is on its way.
            deadline = time.monotonic() + 60
            while server.held == 0:
                assert first.poll() is None, first.communicate()[0]
                assert time.monotonic() < deadline, "the worker never reached the mail server"
                time.sleep(0.05)
            running = DBTaskResult.objects.get(id=queued.id)
            assert (running.status, running.worker_ids) == (TaskResultStatus.RUNNING, ["first"])
        finally:
            first.send_signal(signal.SIGKILL)
            first.communicate(timeout=30)
        assert first.returncode == -signal.SIGKILL

        time.sleep(3.5)  # nobody renews the task's lease or the email's claim any more
        server.answering.set()
        second = run_worker(
            "--worker-id",
            "second",
            periodic=[(PENDING_EMAILS, 300)],
            extra_env={**SHORT_CLAIMS, **server.smtp_env(timeout=10)},
        )
        messages = list(server.messages)

    finished = DBTaskResult.objects.get(id=queued.id)
    assert finished.status == TaskResultStatus.SUCCESSFUL, second.stdout
    assert finished.worker_ids == ["first", "second"]
    assert TaskLease.objects.get(task_result_id=finished.pk).attempts == 2
    assert "queued again" in second.stdout + second.stderr
    # Nothing twice: one notification, one ledger entry and one email per person.
    assert Notification.objects.filter(key="agreement:5:expires").count() == 2
    assert Entry.objects.filter(action="notification.send").count() == 2
    assert sorted(m["To"] for m in messages) == ["alice@dps.example.gov", "bob@sheriff.example.gov"]
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()
