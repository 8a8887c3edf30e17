"""A real worker against what goes wrong outside it: a mail server that never answers,
and a worker killed mid-task."""

from __future__ import annotations

import pytest
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from liaison.accounts.models import User
from liaison.core.worker_testing import LocalSmtpServer, run_worker
from liaison.notifications.models import Notification
from liaison.notifications.tasks import send_notification

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


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
