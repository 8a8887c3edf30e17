"""Reminder sweeps: agreements nearing their last day, and reports coming due.

Both are system actions run daily by the worker. They are idempotent: each
reminder has a notification key naming the agreement, the event and its date, and
:func:`~liaison.notifications.services.notification_send` sends a key to a person
once, however often the sweep runs.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db.models import Prefetch
from django.urls import reverse

from liaison.agreements.models import Agreement, AgreementParty, ReportingObligation
from liaison.agreements.services._common import IN_FORCE_STATUSES, S
from liaison.core.dates import day_text
from liaison.core.roles import Role
from liaison.notifications.services import notification_send

EXPIRY_THRESHOLDS = (90, 60, 30)
REPORT_LEAD_DAYS = 14
REMINDED_ROLES = (Role.COORDINATOR, Role.SUPERVISOR)


def _recipients_by_agency(agency_ids: Iterable[int]) -> dict[int, list[object]]:
    users = get_user_model().objects.filter(
        agency_id__in=set(agency_ids), role__in=REMINDED_ROLES, is_active=True
    )
    by_agency: dict[int, list[object]] = defaultdict(list)
    for user in users:
        by_agency[user.agency_id].append(user)
    return by_agency


def _threshold(days_left: int) -> int:
    """The reminder band an agreement is in: 90 (61–90 days left), 60 (31–60) or 30 (0–30)."""
    return min(t for t in EXPIRY_THRESHOLDS if days_left <= t)


def agreement_expiry_reminders_send(*, today: date) -> int:
    """Remind coordinators and supervisors of every party 90, 60 and 30 days before an
    agreement's last day. A missed day is caught up: the reminder for the band the
    agreement is in goes out on the next run. Returns how many notifications were new."""
    agreements = list(
        Agreement.objects.filter(
            status__in=IN_FORCE_STATUSES,
            expires_on__gte=today,
            expires_on__lte=today + timedelta(days=max(EXPIRY_THRESHOLDS)),
        ).prefetch_related(
            Prefetch("parties", queryset=AgreementParty.objects.only("agency_id", "agreement_id"))
        )
    )
    recipients = _recipients_by_agency(p.agency_id for a in agreements for p in a.parties.all())
    sent = 0
    for agreement in agreements:
        assert agreement.expires_on is not None
        days_left = (agreement.expires_on - today).days
        band = _threshold(days_left)
        users = [u for p in agreement.parties.all() for u in recipients.get(p.agency_id, [])]
        sent += notification_send(
            recipients=users,  # type: ignore[arg-type]
            key=f"agreement:{agreement.pk}:expiry:{band}:{agreement.expires_on.isoformat()}",
            subject=f"Agreement #{agreement.pk} ends in {days_left} days",
            body=(
                f"“{agreement.title}” is in force until {agreement.expires_on:%B %d, %Y}. "
                "Renew it by amendment, or plan for its end."
            ),
            url=reverse("agreements:detail", args=[agreement.pk]),
        )
    return sent


def add_months(start: date, months: int) -> date:
    """``start`` moved by ``months``, clamped to the last day of a shorter month."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def due_dates(obligation: ReportingObligation, *, start: date, end: date) -> list[date]:
    """Due dates of ``obligation`` between ``start`` and ``end`` (inclusive)."""
    step = obligation.months_between
    if step == 0:
        return [obligation.first_due_on] if start <= obligation.first_due_on <= end else []
    dates: list[date] = []
    if obligation.first_due_on < start:
        # Jump close to ``start`` instead of walking from a first due date years back.
        months = (
            (start.year - obligation.first_due_on.year) * 12
            + start.month
            - obligation.first_due_on.month
        )
        k = max(0, months // step - 1)
    else:
        k = 0
    while True:
        due = add_months(obligation.first_due_on, k * step)
        if due > end:
            return dates
        if due >= start:
            dates.append(due)
        k += 1


def agreement_reporting_reminders_send(*, today: date) -> int:
    """Remind the reporting parties' coordinators and supervisors of each report due in the
    next 14 days under an active agreement (once per due date). Returns how many were new."""
    end = today + timedelta(days=REPORT_LEAD_DAYS)
    obligations = list(
        ReportingObligation.objects.filter(agreement__status=S.ACTIVE, first_due_on__lte=end)
        .select_related("agreement", "recipient")
        .prefetch_related("agreement__parties")
    )
    recipients = _recipients_by_agency(
        p.agency_id for o in obligations for p in o.agreement.parties.all()
    )
    sent = 0
    for obligation in obligations:
        agreement = obligation.agreement
        last = min(end, agreement.expires_on) if agreement.expires_on else end
        reporting = [
            p.agency_id for p in agreement.parties.all() if p.agency_id != obligation.recipient_id
        ]
        users = [
            u
            for agency_id in reporting or [obligation.recipient_id]
            for u in recipients.get(agency_id, [])
        ]
        for due in due_dates(obligation, start=today, end=last):
            sent += notification_send(
                recipients=users,  # type: ignore[arg-type]
                key=f"agreement:{agreement.pk}:report:{obligation.pk}:{due.isoformat()}",
                subject=f"Report due {day_text(due)} under agreement #{agreement.pk}",
                body=(
                    f"“{obligation.description}” is due to {obligation.recipient} on "
                    f"{due:%B %d, %Y} under “{agreement.title}”."
                ),
                url=reverse("agreements:detail", args=[agreement.pk]),
            )
    return sent
