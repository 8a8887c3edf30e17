"""Agreement reminders through a real worker: the daily jobs, run twice, remind each
person of each event once, in the app and by email."""

from __future__ import annotations

import importlib
from datetime import timedelta
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from liaison.agreements import services, tasks
from liaison.agreements.tests import conftest as agreement_fixtures
from liaison.core.models import ScheduledSlot
from liaison.core.worker_testing import run_worker, sent_mail
from liaison.notifications.models import Notification

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

world = agreement_fixtures.world


@pytest.fixture(autouse=True)
def agreement_taxonomy(transactional_db: None) -> None:
    """Transactional tests start from a flushed database, without the activities, data
    categories and purposes a data migration seeds; seed them again (idempotent)."""
    migration = importlib.import_module("liaison.agreements.migrations.0002_seed_taxonomy")
    migration.seed(django_apps, None)


EXPIRY = "liaison.agreements.tasks.send_expiry_reminders"
REPORTS = "liaison.agreements.tasks.send_reporting_reminders"
DAILY = [(EXPIRY, 86400), (REPORTS, 86400)]


def test_reminder_jobs_run_twice_remind_each_person_once(world, tmp_path: Path) -> None:
    today = timezone.localdate()
    agreement = world.active(expiry_date=today + timedelta(days=30))
    services.agreement_reporting_obligation_add(
        actor=world.users["coordinator"],
        agreement=agreement,
        description="Quarterly activity report",
        frequency="quarterly",
        recipient=world.agencies["HSI"],
        first_due_on=today + timedelta(days=7),
    )

    run_worker(mail_dir=tmp_path, periodic=DAILY)
    run_worker(mail_dir=tmp_path, periodic=DAILY)

    for job in (EXPIRY, REPORTS):
        assert ScheduledSlot.objects.filter(job=job).count() == 1
        result = DBTaskResult.objects.get(task_path=job)
        assert result.status == TaskResultStatus.SUCCESSFUL
        assert result.return_value == 2  # BCA's coordinator and supervisor
    expiry = Notification.objects.filter(key__startswith=f"agreement:{agreement.pk}:expiry:30:")
    reports = Notification.objects.filter(key__startswith=f"agreement:{agreement.pk}:report:")
    assert sorted(expiry.values_list("recipient__username", flat=True)) == [
        "coordinator",
        "supervisor",
    ]
    assert sorted(reports.values_list("recipient__username", flat=True)) == [
        "coordinator",
        "supervisor",
    ]
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()
    mails = sent_mail(tmp_path)
    assert len(mails) == 4
    assert sorted(m["To"] for m in mails) == [
        "coordinator@example.gov",
        "coordinator@example.gov",
        "supervisor@example.gov",
        "supervisor@example.gov",
    ]
    assert sum("ends in 30 days" in m["Subject"] for m in mails) == 2


def test_a_reminder_task_queued_again_sends_nothing_new(world, tmp_path: Path) -> None:
    today = timezone.localdate()
    world.active(expiry_date=today + timedelta(days=60))
    tasks.send_expiry_reminders.enqueue()
    tasks.send_expiry_reminders.enqueue()

    run_worker(mail_dir=tmp_path, periodic=[])

    returns = sorted(
        DBTaskResult.objects.filter(task_path=EXPIRY).values_list("return_value", flat=True)
    )
    assert returns == [0, 2]
    assert Notification.objects.filter(key__contains=":expiry:").count() == 2
    assert len(sent_mail(tmp_path)) == 2
