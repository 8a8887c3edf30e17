"""Expiry and reporting reminders go to the right people, once, however often they run."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core import mail

from liaison.accounts.models import User
from liaison.agreements import services, tasks
from liaison.notifications.models import Notification


@pytest.fixture
def hsi_supervisor(world):
    return User.objects.create(
        username="hsi_supervisor",
        email="hsi.supervisor@example.gov",
        role="supervisor",
        agency=world.agencies["HSI"],
    )


def test_expiry_reminders_go_to_party_coordinators_and_supervisors_once_per_band(
    world, hsi_supervisor, django_capture_on_commit_callbacks
):
    agreement = world.active(expiry_date=date(2026, 6, 30))
    today = date(2026, 6, 30) - timedelta(days=85)
    with django_capture_on_commit_callbacks(execute=True):
        first = services.agreement_expiry_reminders_send(today=today)
    with django_capture_on_commit_callbacks(execute=True):
        again = services.agreement_expiry_reminders_send(today=today)
        next_day = services.agreement_expiry_reminders_send(today=today + timedelta(days=1))
    # BCA coordinator and supervisor, HSI supervisor; not counsel, officers or other agencies.
    assert (first, again, next_day) == (3, 0, 0)
    recipients = set(
        Notification.objects.filter(
            key__startswith=f"agreement:{agreement.pk}:expiry:90"
        ).values_list("recipient__username", flat=True)
    )
    assert recipients == {"coordinator", "supervisor", "hsi_supervisor"}
    assert len(mail.outbox) == 3
    assert "ends in 85 days" in mail.outbox[0].subject


def test_each_band_sends_its_own_reminder_and_a_missed_day_is_caught_up(world):
    world.active(expiry_date=date(2026, 6, 30))
    end = date(2026, 6, 30)
    sent = [
        services.agreement_expiry_reminders_send(today=end - timedelta(days=days))
        for days in (95, 90, 89, 58, 57, 30, 1, 0)
    ]
    # Two recipients (BCA coordinator and supervisor); 60 is caught up on day 58.
    assert sent == [0, 2, 0, 2, 0, 2, 0, 0]


def test_no_expiry_reminder_for_drafts_expired_or_open_ended_agreements(world):
    world.draft(expiry_date=date(2026, 6, 30))
    world.active(expiry_date=None)
    assert services.agreement_expiry_reminders_send(today=date(2026, 6, 1)) == 0


def test_reporting_reminders_are_sent_once_per_due_date(world):
    agreement = world.active()
    services.agreement_reporting_obligation_add(
        actor=world.users["coordinator"],
        agreement=agreement,
        description="Quarterly activity report",
        frequency="quarterly",
        recipient=world.agencies["HSI"],
        first_due_on=date(2025, 3, 31),
    )
    assert services.agreement_reporting_reminders_send(today=date(2025, 3, 20)) == 2
    assert services.agreement_reporting_reminders_send(today=date(2025, 3, 25)) == 0
    assert services.agreement_reporting_reminders_send(today=date(2025, 5, 1)) == 0
    assert services.agreement_reporting_reminders_send(today=date(2025, 6, 20)) == 2
    keys = sorted(set(Notification.objects.values_list("key", flat=True)))
    assert keys == [
        f"agreement:{agreement.pk}:report:{agreement.reporting_obligations.get().pk}:2025-03-31",
        f"agreement:{agreement.pk}:report:{agreement.reporting_obligations.get().pk}:2025-06-30",
    ]


def test_the_expiry_task_is_a_thin_wrapper_and_is_idempotent(world):
    agreement = world.active(expiry_date=date(2025, 2, 1))
    assert tasks.expire_agreements.call() == 1
    assert tasks.expire_agreements.call() == 0
    agreement.refresh_from_db()
    assert agreement.status == "expired"


def test_the_jobs_are_registered_to_run_periodically(settings):
    paths = {path for path, _ in settings.LIAISON_PERIODIC_TASKS}
    assert {
        "liaison.agreements.tasks.expire_agreements",
        "liaison.agreements.tasks.send_expiry_reminders",
        "liaison.agreements.tasks.send_reporting_reminders",
    } <= paths
