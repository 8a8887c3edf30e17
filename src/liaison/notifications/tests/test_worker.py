"""A real ``liaison worker`` process against the test database (SQLite file or PostgreSQL)."""

from __future__ import annotations

import signal
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from liaison.accounts.models import User
from liaison.core.models import ScheduledSlot
from liaison.core.worker_testing import run_worker, sent_mail, start_worker
from liaison.notifications.models import Notification
from liaison.notifications.tasks import send_notification

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

PENDING_EMAILS = "liaison.notifications.tasks.send_pending_emails"
FAIL = "liaison.notifications.tests.jobs.fail"


def test_a_queued_task_runs_once_even_when_the_worker_runs_twice(
    alice: User, bob: User, tmp_path: Path
) -> None:
    result = send_notification.enqueue(
        recipient_ids=[alice.pk, bob.pk],
        key="agreement:7:expires:30d",
        subject="Agreement expires in 30 days",
        body="Renew or let it lapse.",
        url="/agreements/7/",
    )

    run_worker(mail_dir=tmp_path, periodic=[])
    run_worker(mail_dir=tmp_path, periodic=[])

    row = DBTaskResult.objects.get(id=result.id)
    assert row.status == TaskResultStatus.SUCCESSFUL
    assert row.return_value == 2
    assert len(row.worker_ids) == 1
    assert Notification.objects.filter(key="agreement:7:expires:30d").count() == 2
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()
    mails = sent_mail(tmp_path)
    assert sorted(m["To"] for m in mails) == ["alice@dps.example.gov", "bob@sheriff.example.gov"]
    assert all(m["Subject"] == "Agreement expires in 30 days" for m in mails)


def test_a_periodic_job_runs_once_per_slot_across_worker_runs(
    alice: User, bob: User, tmp_path: Path
) -> None:
    # Two notifications whose email was never sent (the process stopped before commit hooks).
    for user in (alice, bob):
        Notification.objects.create(
            recipient=user, key="lost", subject="Lost email", wants_email=True
        )

    run_worker(mail_dir=tmp_path, periodic=[(PENDING_EMAILS, 3600)])
    run_worker(mail_dir=tmp_path, periodic=[(PENDING_EMAILS, 3600)])

    assert ScheduledSlot.objects.filter(job=PENDING_EMAILS).count() == 1
    assert DBTaskResult.objects.filter(task_path=PENDING_EMAILS).count() == 1
    assert DBTaskResult.objects.get(task_path=PENDING_EMAILS).return_value == 2
    assert len(sent_mail(tmp_path)) == 2


def test_concurrent_workers_enqueue_and_run_a_slot_once(alice: User, tmp_path: Path) -> None:
    Notification.objects.create(recipient=alice, key="lost", subject="Lost", wants_email=True)
    periodic = [(PENDING_EMAILS, 3600)]

    workers = [
        start_worker("--burst", "--interval", "0.1", mail_dir=tmp_path, periodic=periodic)
        for _ in range(3)
    ]
    outputs = [w.communicate(timeout=120)[0] for w in workers]

    assert [w.returncode for w in workers] == [0, 0, 0], outputs
    assert ScheduledSlot.objects.filter(job=PENDING_EMAILS).count() == 1
    assert DBTaskResult.objects.filter(task_path=PENDING_EMAILS).count() == 1
    assert len(sent_mail(tmp_path)) == 1


def test_a_failing_task_is_recorded_and_the_worker_carries_on(alice: User, tmp_path: Path) -> None:
    result = send_notification.enqueue(recipient_ids=[alice.pk], key="k", subject="", body="")
    ok = send_notification.enqueue(recipient_ids=[alice.pk], key="k2", subject="Fine", body="")

    run_worker(mail_dir=tmp_path, periodic=[(FAIL, 3600)])

    failed = DBTaskResult.objects.get(id=result.id)
    assert failed.status == TaskResultStatus.FAILED
    assert failed.exception_class_path == "liaison.core.errors.ServiceError"
    assert DBTaskResult.objects.get(task_path=FAIL).status == TaskResultStatus.FAILED
    assert DBTaskResult.objects.get(id=ok.id).status == TaskResultStatus.SUCCESSFUL


def test_a_long_running_worker_stops_cleanly_on_sigterm(tmp_path: Path) -> None:
    worker = start_worker("--interval", "0.2", mail_dir=tmp_path, periodic=[(PENDING_EMAILS, 3600)])
    deadline = timezone.now() + timedelta(seconds=60)
    while not ScheduledSlot.objects.filter(job=PENDING_EMAILS).exists():
        assert worker.poll() is None, worker.communicate()[0]
        assert timezone.now() < deadline, "the worker never scheduled its job"
        time.sleep(0.1)
    worker.send_signal(signal.SIGTERM)
    output = worker.communicate(timeout=30)[0]

    assert worker.returncode == 0, output
    assert "stopped" in output
