"""Sharing writes for data subjects and 28 C.F.R. Part 23 reviews.

* Data subjects' requests (Minn. Stat. 13.04 subd. 3; Wis. Stat. 19.35(1)(am)): a privacy
  officer of the agency asked records the request (:func:`data_subject_request_record`),
  starts work on it, and answers or denies it with a reason. The subject's identifiers
  are kept only as keyed hashes, a contact value only sealed (:mod:`liaison.core.identifiers`).
  In Minnesota the answer is due 10 business days after receipt
  (:func:`liaison.core.business_days.add_business_days`); Wisconsin sets no fixed
  deadline, so no due date is set and the pages show the age.
* Reviews of disseminated criminal intelligence (28 C.F.R. § 23.20(h)): the daily job
  (:func:`disclosure_reviews_flag`) flags each disclosure whose ``review_due`` is reached
  and notifies the custodian's privacy officers; a privacy officer then records the
  outcome (:func:`disclosure_review_record`): retain with a justification and a new review
  date within five years, or purge.

Each service checks its declared rule (``sharing/rules_subjects.py``), writes and appends
one ledger entry in one transaction; the change holds hashes and codes, never an
identifier.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from liaison.core import access
from liaison.core import identifiers as ids
from liaison.core.business_days import add_business_days
from liaison.core.errors import PermissionDenied, ServiceError
from liaison.core.validation import save, validate
from liaison.directory.models import Agency
from liaison.ledger.services import ledger_append
from liaison.sharing.error_codes import SharingErrorCode
from liaison.sharing.models import (
    DataSubjectIdentifier,
    DataSubjectRequest,
    Disclosure,
    DisclosureReview,
)

if TYPE_CHECKING:
    from liaison.core.roles import Actor as SignedIn

    Actor = SignedIn | None

MN_ANSWER_BUSINESS_DAYS = 10  # Minn. Stat. 13.04 subd. 3
REVIEW_YEARS = 5  # 28 C.F.R. § 23.20(h)

DSR = DataSubjectRequest.Status


def answer_due_on(*, state: str, received_on: date) -> date | None:
    """When the answer to a data subject is due: Minnesota, 10 business days after receipt;
    Wisconsin, no fixed day ("as soon as practicable and without delay", 19.35(4)(a))."""
    if state == "MN":
        return add_business_days(received_on, MN_ANSWER_BUSINESS_DAYS)
    return None


def five_years_after(day: date) -> date:
    """The same day five years on (28 February for a 29 February)."""
    try:
        return day.replace(year=day.year + REVIEW_YEARS)
    except ValueError:
        return day.replace(year=day.year + REVIEW_YEARS, day=28)


def _hashed(pairs: Sequence[tuple[str, str]]) -> list[tuple[str, str, str]]:
    """``(kind, keyed hash, masked hint)`` of each identifier, without repeats; a value
    that is not an identifier of its kind is refused on the field of that kind."""
    out: dict[tuple[str, str], str] = {}
    problems: dict[str, list[str]] = {}
    for kind, value in pairs:
        try:
            out[(kind, ids.keyed_hash(kind, value))] = ids.masked(kind, value)
        except ServiceError as exc:
            problems.setdefault(kind, []).extend(
                exc.fields.get("value") or exc.fields.get("kind") or [exc.message]
            )
    if problems:
        raise ServiceError(
            "An identifier could not be read.",
            code=SharingErrorCode.SUBJECT_IDENTIFIER_INVALID,
            fields=problems,
        )
    if not out:
        raise ServiceError(
            "Give at least one identifier of the data subject.",
            code=SharingErrorCode.SUBJECT_IDENTIFIER_MISSING,
            fields={"identifiers": ["Give at least one identifier (e.g. name and date of birth)."]},
        )
    return sorted((k, h, hint) for (k, h), hint in out.items())


def data_subject_request_record(
    *,
    actor: Actor,
    custodian_agency: Agency,
    received_on: date,
    identity_proof: str,
    identifiers: Sequence[tuple[str, str]],
    contact: str = "",
) -> DataSubjectRequest:
    """Record a data subject's request to ``custodian_agency`` received on ``received_on``.

    ``identifiers`` are ``(kind, value)`` pairs (kinds of :class:`liaison.core.identifiers.Kind`);
    only their keyed hashes and masked hints are kept. ``contact`` (how to reach the
    requester, when needed) is kept sealed. The due date follows the custodian's state.
    """
    with transaction.atomic():
        access.check(actor, "sharing.data_subject_request.create", custodian_agency)
        state = custodian_agency.jurisdiction.state
        if state not in ("MN", "WI"):
            raise ServiceError(
                "Data-subject requests are answered under Minnesota or Wisconsin law.",
                code=SharingErrorCode.CUSTODIAN_NOT_COVERED,
                fields={"custodian_agency": ["Choose a Minnesota or Wisconsin agency."]},
            )
        if received_on > timezone.localdate():
            raise ServiceError(
                "A request cannot be received in the future.",
                code=SharingErrorCode.SUBJECT_REQUEST_DATE,
                fields={"received_on": ["Give the day the request came, today or earlier."]},
            )
        if actor is None:
            raise PermissionDenied()  # a privacy officer records it, never the system
        hashed = _hashed(identifiers)
        contact = contact.strip()
        request = DataSubjectRequest(
            reference=f"pending-{uuid.uuid4().hex[:16]}",
            custodian_agency=custodian_agency,
            state=state,
            received_on=received_on,
            due_on=answer_due_on(state=state, received_on=received_on),
            identity_proof=identity_proof,
            contact_sealed=ids.seal(contact) if contact else "",
            recorded_by_id=actor.pk,
        )
        validate(request)
        save(request)
        request.reference = f"DSR-{received_on.year}-{request.pk:06d}"
        request.save(update_fields=["reference"])
        DataSubjectIdentifier.objects.bulk_create(
            [
                DataSubjectIdentifier(request=request, kind=k, keyed_hash=h, hint=hint)
                for k, h, hint in hashed
            ]
        )
        ledger_append(
            actor=actor,
            action="data_subject_request.record",
            obj=request,
            change={
                "reference": request.reference,
                "custodian_agency": custodian_agency.pk,
                "received_on": received_on,
                "due_on": request.due_on,
                "identity_proof": identity_proof,
                "identifiers": [h for _, h, _ in hashed],
                "contact_given": bool(contact),
            },
        )
        return request


def _locked(request: DataSubjectRequest) -> DataSubjectRequest:
    return (
        DataSubjectRequest.objects.select_for_update()
        .select_related("custodian_agency")
        .get(pk=request.pk)
    )


def data_subject_request_start(*, actor: Actor, request: DataSubjectRequest) -> DataSubjectRequest:
    """Mark a received request as being worked on."""
    with transaction.atomic():
        request = _locked(request)
        access.check(actor, "sharing.data_subject_request.start", request)
        request.status = DSR.IN_PROGRESS
        request.save(update_fields=["status", "updated_at"])
        ledger_append(actor=actor, action="data_subject_request.start", obj=request)
        return request


def _close(
    *,
    actor: Actor,
    request: DataSubjectRequest,
    status: str,
    answered_on: date | None,
    reason: str = "",
) -> DataSubjectRequest:
    request = _locked(request)
    verb = "answer" if status == DSR.ANSWERED else "deny"
    access.check(actor, f"sharing.data_subject_request.{verb}", request)
    day = answered_on or timezone.localdate()
    if day > timezone.localdate():
        raise ServiceError(
            "An answer cannot be given in the future.",
            code=SharingErrorCode.SUBJECT_REQUEST_DATE,
            fields={"answered_on": ["Give the day of the answer, today or earlier."]},
        )
    request.status = status
    request.answered_on = day
    request.denial_reason = reason.strip()
    validate(request)
    request.save(update_fields=["status", "answered_on", "denial_reason", "updated_at"])
    ledger_append(
        actor=actor,
        action=f"data_subject_request.{verb}",
        obj=request,
        reason=request.denial_reason,
        change={
            "answered_on": day,
            "late": request.due_on is not None and day > request.due_on,
        },
    )
    return request


def data_subject_request_answer(
    *, actor: Actor, request: DataSubjectRequest, answered_on: date | None = None
) -> DataSubjectRequest:
    """Record that the subject was answered (given the report) on ``answered_on`` (today)."""
    with transaction.atomic():
        return _close(actor=actor, request=request, status=DSR.ANSWERED, answered_on=answered_on)


def data_subject_request_deny(
    *,
    actor: Actor,
    request: DataSubjectRequest,
    reason: str,
    answered_on: date | None = None,
) -> DataSubjectRequest:
    """Deny the request with the reason the requester is told (e.g. identity not proven;
    Wis. Stat. 19.35(1)(am): investigative records; Minn. Stat. 13.04 subd. 3: shown in the
    last six months and unchanged)."""
    with transaction.atomic():
        if not reason.strip():
            raise ServiceError(
                "A denial gives its reason.",
                code=SharingErrorCode.REASON_REQUIRED,
                fields={"reason": ["Say why the request is denied."]},
            )
        return _close(
            actor=actor,
            request=request,
            status=DSR.DENIED,
            answered_on=answered_on,
            reason=reason,
        )


# --- 28 C.F.R. § 23.20(h) reviews ---------------------------------------------------------


def _privacy_officers(agency_ids: set[int]) -> dict[int, list[Any]]:
    """Active privacy officers standing OWN to each agency (at it or an agency above it)."""
    from django.contrib.auth import get_user_model

    from liaison.core.roles import Role

    parents = dict(Agency.objects.values_list("pk", "parent_id"))
    chains: dict[int, set[int]] = {}
    for agency_id in agency_ids:
        chain: set[int] = set()
        at: int | None = agency_id
        while at is not None and at not in chain:
            chain.add(at)
            at = parents.get(at)
        chains[agency_id] = chain
    officers = list(
        get_user_model().objects.filter(
            role=Role.PRIVACY_OFFICER,
            is_active=True,
            agency_id__in=set().union(*chains.values()) if chains else set(),
        )
    )
    return {
        agency_id: [u for u in officers if u.agency_id in chain]
        for agency_id, chain in chains.items()
    }


def disclosure_reviews_flag(*, today: date) -> int:
    """Flag every disclosure whose review date has come (``review_due`` on or before
    ``today``) and has no review for that date yet, and notify the custodian's privacy
    officers. Idempotent: one review row per disclosure and date, one notification key per
    review. Returns how many reviews were new."""
    from django.urls import reverse

    from liaison.core.dates import day_text
    from liaison.notifications.services import notification_send

    due = list(
        Disclosure.objects.filter(review_due__isnull=False, review_due__lte=today)
        .exclude(
            Exists(
                DisclosureReview.objects.filter(
                    disclosure=OuterRef("pk"), due_on=OuterRef("review_due")
                )
            )
        )
        .select_related("request")
        .order_by("review_due", "pk")
    )
    if not due:
        return 0
    officers = _privacy_officers({d.request.custodian_agency_id for d in due})
    flagged = 0
    for disclosure in due:
        assert disclosure.review_due is not None
        with transaction.atomic():
            review, created = DisclosureReview.objects.get_or_create(
                disclosure=disclosure,
                due_on=disclosure.review_due,
                defaults={"flagged_on": today},
            )
            if not created:
                continue
            flagged += 1
            ledger_append(
                actor=None,
                action="disclosure_review.flag",
                obj=review,
                change={"disclosure": disclosure.pk, "due_on": review.due_on},
            )
            notification_send(
                recipients=officers.get(disclosure.request.custodian_agency_id, []),
                key=f"sharing:disclosure:{disclosure.pk}:review:{review.due_on.isoformat()}",
                subject=f"Disclosure review due for {disclosure.request.reference}",
                body=(
                    f"The disclosure of {day_text(disclosure.disclosed_on)} for request "
                    f"{disclosure.request.reference} reached its review date "
                    f"({day_text(review.due_on)}). Under 28 C.F.R. 23.20(h) validate it and "
                    "record a justification to retain it, or purge it."
                ),
                url=reverse("sharing_subjects:review_detail", args=[review.pk]),
            )
    return flagged


def disclosure_review_record(
    *,
    actor: Actor,
    review: DisclosureReview,
    outcome: str,
    justification: str,
    next_review_due: date | None = None,
    reviewed_on: date | None = None,
) -> DisclosureReview:
    """Record a flagged review's outcome: ``retain`` with ``justification`` and the next
    review date (default, and at most, five years after the review), or ``purge``, which
    marks the disclosure purged (no further review date). The disclosure stays in the
    accounting of disclosures, which is kept for its own retention period."""
    with transaction.atomic():
        review = (
            DisclosureReview.objects.select_for_update()
            .select_related("disclosure", "disclosure__request")
            .get(pk=review.pk)
        )
        access.check(actor, "sharing.disclosure_review.record", review)
        day = reviewed_on or timezone.localdate()
        problems: dict[str, list[str]] = {}
        if outcome not in (DisclosureReview.Outcome.RETAIN, DisclosureReview.Outcome.PURGE):
            problems["outcome"] = ["Choose retain or purge."]
        if not justification.strip():
            problems["justification"] = ["Say why it is retained or purged."]
        latest = five_years_after(day)
        if outcome == DisclosureReview.Outcome.RETAIN:
            next_review_due = next_review_due or latest
            if not day < next_review_due <= latest:
                problems["next_review_due"] = [
                    "The next review is after today and within five years "
                    f"(by {latest.isoformat()})."
                ]
        else:
            next_review_due = None
        if problems:
            raise ServiceError(
                "The review's outcome cannot be recorded.",
                code=SharingErrorCode.REVIEW_OUTCOME_INVALID,
                fields=problems,
            )
        review.outcome = outcome
        review.justification = justification.strip()
        review.next_review_due = next_review_due
        review.reviewer_id = getattr(actor, "pk", None)
        review.reviewed_on = day
        validate(review)
        review.save(
            update_fields=[
                "outcome",
                "justification",
                "next_review_due",
                "reviewer",
                "reviewed_on",
                "updated_at",
            ]
        )
        disclosure = review.disclosure
        disclosure.review_due = next_review_due
        disclosure.save(update_fields=["review_due", "updated_at"])
        ledger_append(
            actor=actor,
            action=f"disclosure_review.{outcome}",
            obj=review,
            reason=review.justification,
            change={
                "disclosure": disclosure.pk,
                "due_on": review.due_on,
                "next_review_due": next_review_due,
            },
        )
        return review


__all__ = [
    "answer_due_on",
    "data_subject_request_answer",
    "data_subject_request_deny",
    "data_subject_request_record",
    "data_subject_request_start",
    "disclosure_review_record",
    "disclosure_reviews_flag",
    "five_years_after",
]
