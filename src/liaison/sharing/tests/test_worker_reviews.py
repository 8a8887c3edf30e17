"""The review job through a real worker: run twice, it flags a due disclosure once and
notifies the privacy officer once, in the app and by e-mail."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from liaison.core.worker_testing import run_worker, sent_mail
from liaison.notifications.models import Notification
from liaison.sharing.models import DisclosureReview
from liaison.sharing.tests import subject_fixtures

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

JOB = "liaison.sharing.tasks.flag_disclosure_reviews"


def test_the_review_job_run_twice_flags_and_notifies_once(transactional_db, tmp_path: Path):
    world = subject_fixtures.build(subject_fixtures.SubjectsWorld())
    today = timezone.localdate()
    due = world.disclosure(disclosed_on=today - timedelta(days=1), review_due=today)

    run_worker(mail_dir=tmp_path, periodic=[(JOB, 86400)])
    run_worker(mail_dir=tmp_path, periodic=[(JOB, 86400)])

    result = DBTaskResult.objects.get(task_path=JOB)
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == 1
    assert DisclosureReview.objects.get().disclosure == due
    assert list(Notification.objects.values_list("recipient__username", flat=True)) == ["privacy"]
    mails = sent_mail(tmp_path)
    assert [m["To"] for m in mails] == ["privacy@example.gov"]
    assert due.request.reference in mails[0]["Subject"]
