"""Reads of data subjects' requests, their reports, and disclosure reviews.

Scoped by the declared rules (``sharing/rules_subjects.py``): a privacy officer sees the
requests and reviews of their own agencies; oversight and admins see all; nobody else,
partners included, sees any. Opening a request, its report or its sealed contact value
appends an ``access`` entry to the ledger.

The **data-subject report** lists every disclosure about the subject that the agency
asked (and its sub-agencies) made: a disclosure is about the subject when one of its
:class:`~liaison.sharing.models.DisclosureSubject` keyed hashes equals one of the
request's — the identifiers were normalized before hashing, so "Lopez, María 01/31/1990"
matches "Maria Lopez, 1990-01-31". Each line is the Privacy Act-style accounting: date,
nature (categories and fields), purpose, recipient.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import F, Q, QuerySet

from liaison.core import access, identifiers
from liaison.core.access import Relation
from liaison.core.business_days import business_days_between
from liaison.core.identifiers import KIND_LABELS
from liaison.core.roles import READ_ALL_ROLES
from liaison.directory import scope
from liaison.directory.models import Agency
from liaison.ledger.services import access_record, access_record_list
from liaison.sharing.models import (
    DataSubjectRequest,
    Disclosure,
    DisclosureReview,
    DisclosureSubject,
)

OPEN = [DataSubjectRequest.Status.RECEIVED, DataSubjectRequest.Status.IN_PROGRESS]


def _own_q(user: Any, action: str, field: str) -> Q:
    role = access.role_of(user)
    if role is None:
        return Q(pk__in=[])
    if role in READ_ALL_ROLES and access.get_rule(action).roles.get(role):
        return Q()
    if Relation.OWN in access.get_rule(action).roles.get(role, frozenset()):
        return Q(**{f"{field}__in": sorted(scope.own_agency_ids(user))})
    return Q(pk__in=[])


# --- data subjects' requests ----------------------------------------------------------------


def subject_request_list_for_user(
    *, user: Any, status: str = "", open_only: bool | None = None, q: str = ""
) -> QuerySet[DataSubjectRequest]:
    """Data-subject requests ``user`` may see, newest first; ``open_only`` keeps the
    received and in-progress ones (True) or the answered and denied ones (False)."""
    qs = DataSubjectRequest.objects.filter(
        _own_q(user, "sharing.data_subject_request.view", "custodian_agency_id")
    ).select_related("custodian_agency")
    if status:
        qs = qs.filter(status=status)
    if open_only is not None:
        opened = Q(status__in=OPEN)
        qs = qs.filter(opened if open_only else ~opened)
    if q:
        qs = qs.filter(reference__icontains=q.strip())
    return qs.order_by("-received_on", "-pk")


def subject_request_due_list(*, user: Any) -> QuerySet[DataSubjectRequest]:
    """Open requests ``user`` may see, by due date (earliest, so overdue, first); those
    with no fixed deadline (Wisconsin) after, oldest first."""
    return (
        subject_request_list_for_user(user=user, open_only=True)
        .prefetch_related("identifiers")
        .order_by(F("due_on").asc(nulls_last=True), "received_on", "pk")
    )


def subject_request_get_for_user(
    *, user: Any, pk: object, purpose: str = "view", reason: str = ""
) -> DataSubjectRequest:
    """The request, for ``purpose``, after appending a ``data_subject_request.read``
    access entry; missing and out of scope are the same ``NotFound``."""
    request = access.fetch(
        actor=user,
        visible=subject_request_list_for_user(user=user).select_related(
            "custodian_agency__jurisdiction", "recorded_by"
        ),
        pk=pk,
        kind="sharing.data_subject_request",
        purpose=purpose,
    )
    access_record(actor=user, obj=request, action="data_subject_request.read", reason=reason)
    return request


def subject_request_contact(*, user: Any, request: DataSubjectRequest) -> str:
    """The requester's contact value, unsealed for a privacy officer who may read it
    (``sharing.data_subject_request.contact``), recorded as an access; empty when none."""
    access.check(user, "sharing.data_subject_request.contact", request)
    if not request.contact_sealed:
        return ""
    access_record(
        actor=user,
        obj=request,
        action="data_subject_request.contact_read",
        reason="contact the requester",
    )
    return identifiers.unseal(request.contact_sealed)


@dataclass(frozen=True)
class Clock:
    """Where a request stands against its deadline, in words a page shows."""

    age_days: int
    due_on: date | None
    overdue: bool
    business_days_left: int | None

    @property
    def text(self) -> str:
        if self.due_on is None:
            days = f"{self.age_days} day{'s' if self.age_days != 1 else ''}"
            return f"Received {days} ago; answer as soon as practicable"
        if self.overdue:
            late = -(self.business_days_left or 0)
            return f"Overdue by {late} business day{'s' if late != 1 else ''}"
        left = self.business_days_left or 0
        if left == 0:
            return "Due today"
        return f"Due in {left} business day{'s' if left != 1 else ''}"


def subject_request_clock(request: DataSubjectRequest, *, today: date) -> Clock:
    """The request's age and, where a deadline is set, business days left (negative when
    overdue). An answered request stands at the day it was answered."""
    until = request.answered_on or today
    left = None if request.due_on is None else business_days_between(until, request.due_on)
    return Clock(
        age_days=(until - request.received_on).days,
        due_on=request.due_on,
        overdue=request.due_on is not None and until > request.due_on,
        business_days_left=left,
    )


@dataclass(frozen=True)
class ReportLine:
    """One disclosure about the subject, as the accounting of disclosures gives it."""

    disclosure: Disclosure
    disclosed_on: date
    nature: str
    purpose: str
    recipient: str
    matched_on: str

    def csv_row(self) -> list[object]:
        d = self.disclosure
        return [
            self.disclosed_on.isoformat(),
            d.request.reference,
            self.nature,
            self.purpose,
            self.recipient,
            d.get_channel_display(),
            d.basis,
            self.matched_on,
        ]


REPORT_HEADER = [
    "disclosed_on",
    "request",
    "nature",
    "purpose",
    "recipient",
    "channel",
    "basis",
    "matched_on",
]


def nature_of(disclosure: Disclosure) -> str:
    """What left, in words: each category with its fields."""
    parts = []
    for category in disclosure.categories:
        names = disclosure.fields.get(category, []) if isinstance(disclosure.fields, dict) else []
        label = category.replace("_", " ")
        parts.append(f"{label} ({', '.join(names)})" if names else label)
    return "; ".join(parts)


def recipient_of(disclosure: Disclosure) -> str:
    agency = disclosure.recipient_agency
    return f"{agency.name} — {disclosure.recipient_name}"


def _subtree(agency_id: int) -> list[int]:
    """The agency and its sub-agencies at any depth."""
    children: dict[int | None, list[int]] = {}
    for pk, parent in Agency.objects.values_list("pk", "parent_id"):
        children.setdefault(parent, []).append(pk)
    out, todo = [], [agency_id]
    while todo:
        at = todo.pop()
        if at not in out:
            out.append(at)
            todo.extend(children.get(at, []))
    return out


def subject_report(*, user: Any, request: DataSubjectRequest) -> list[ReportLine]:
    """Every disclosure about the request's subject made by the agency asked (or its
    sub-agencies), newest first, recorded as one access of the disclosures listed. The
    caller opened ``request`` through :func:`subject_request_get_for_user`."""
    wanted = {(i.kind, i.keyed_hash) for i in request.identifiers.all()}
    matches = DisclosureSubject.objects.filter(
        keyed_hash__in=sorted(h for _, h in wanted),
        disclosure__request__custodian_agency_id__in=_subtree(request.custodian_agency_id),
    ).values_list("disclosure_id", "kind", "keyed_hash")
    matched: dict[int, set[str]] = {}
    for disclosure_id, kind, keyed in matches:
        if (kind, keyed) in wanted:
            matched.setdefault(disclosure_id, set()).add(KIND_LABELS.get(kind, kind))
    disclosures = (
        Disclosure.objects.filter(pk__in=sorted(matched))
        .select_related("request", "recipient_agency")
        .order_by("-disclosed_on", "-pk")
    )
    lines = [
        ReportLine(
            disclosure=d,
            disclosed_on=d.disclosed_on,
            nature=nature_of(d),
            purpose=d.request.get_purpose_display(),
            recipient=recipient_of(d),
            matched_on=", ".join(sorted(matched[d.pk])),
        )
        for d in disclosures
    ]
    access_record_list(
        actor=user,
        object_type="sharing.disclosure",
        object_ids=[line.disclosure.pk for line in lines],
        action="data_subject_report.read",
        reason=request.reference,
    )
    return lines


# --- 28 C.F.R. § 23.20(h) reviews --------------------------------------------------------------


def disclosure_review_list_for_user(
    *, user: Any, pending: bool | None = None
) -> QuerySet[DisclosureReview]:
    """Disclosure reviews ``user`` may see, the oldest due first."""
    qs = DisclosureReview.objects.filter(
        _own_q(user, "sharing.disclosure_review.view", "disclosure__request__custodian_agency_id")
    ).select_related("disclosure", "disclosure__request", "disclosure__recipient_agency")
    if pending is not None:
        qs = qs.filter(outcome="") if pending else qs.exclude(outcome="")
    return qs.order_by("due_on", "pk")


def disclosure_review_get_for_user(
    *, user: Any, pk: object, purpose: str = "view"
) -> DisclosureReview:
    """The review, for ``purpose`` (``view`` or ``record``); missing and out of scope are
    the same ``NotFound``."""
    return access.fetch(
        actor=user,
        visible=disclosure_review_list_for_user(user=user).select_related("reviewer"),
        pk=pk,
        kind="sharing.disclosure_review",
        purpose=purpose,
    )
