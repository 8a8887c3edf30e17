"""Ledger examples of the data-subject and review services (``services_subjects``, exported
by ``liaison.sharing.services``); merged into ``ledger_examples.EXAMPLES`` and ``EXEMPT``.

Each example takes the sharing registry's world (the accounts world: DPS holds, HSI asks).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial
from typing import Any

from django.utils import timezone

from liaison.accounts.tests.factories import make_user
from liaison.core.roles import Role
from liaison.sharing import services_subjects as s
from liaison.sharing.models import DataSubjectRequest, DisclosureReview
from liaison.sharing.tests.subject_fixtures import make_disclosure

Example = Callable[[Any], Callable[[], object]]

MARIA = [("person", "Maria Lopez, 1990-01-31")]


def _officer(w: Any) -> Any:
    found = getattr(w, "_subjects_officer", None)
    if found is None:
        found = make_user(Role.PRIVACY_OFFICER, agency=w.agency, username="world-privacy")
        w._subjects_officer = found
    return found


def _request(w: Any, *, start: bool = False) -> DataSubjectRequest:
    request = s.data_subject_request_record(
        actor=_officer(w),
        custodian_agency=w.agency,
        received_on=timezone.localdate(),
        identity_proof=DataSubjectRequest.Proof.NOTARIZED,
        identifiers=MARIA,
    )
    return s.data_subject_request_start(actor=_officer(w), request=request) if start else request


def _due_review(w: Any) -> DisclosureReview:
    agencies = {"DPS": w.agency, "HSI": w.federal}
    make_disclosure(
        agencies,
        _officer(w),
        custodian="DPS",
        disclosed_on=date(2026, 1, 5),
        review_due=date(2026, 1, 5),
    )
    s.disclosure_reviews_flag(today=date(2026, 1, 5))
    return DisclosureReview.objects.latest("pk")


def _flag(w: Any) -> Callable[[], object]:
    agencies = {"DPS": w.agency, "HSI": w.federal}
    make_disclosure(
        agencies,
        _officer(w),
        custodian="DPS",
        disclosed_on=date(2026, 2, 2),
        review_due=date(2026, 2, 2),
    )
    return partial(s.disclosure_reviews_flag, today=date(2026, 2, 2))


t = "liaison.sharing.services."
EXAMPLES: dict[str, Example] = {
    t + "data_subject_request_record": lambda w: partial(
        s.data_subject_request_record,
        actor=_officer(w),
        custodian_agency=w.agency,
        received_on=timezone.localdate(),
        identity_proof=DataSubjectRequest.Proof.PHOTO_ID_IN_PERSON,
        identifiers=MARIA,
        contact="maria@example.org",
    ),
    t + "data_subject_request_start": lambda w: partial(
        s.data_subject_request_start, actor=_officer(w), request=_request(w)
    ),
    t + "data_subject_request_answer": lambda w: partial(
        s.data_subject_request_answer, actor=_officer(w), request=_request(w, start=True)
    ),
    t + "data_subject_request_deny": lambda w: partial(
        s.data_subject_request_deny,
        actor=_officer(w),
        request=_request(w),
        reason="Identity not proven.",
    ),
    t + "disclosure_reviews_flag": _flag,
    t + "disclosure_review_record": lambda w: partial(
        s.disclosure_review_record,
        actor=_officer(w),
        review=_due_review(w),
        outcome="retain",
        justification="Still tied to an open case.",
    ),
}
EXEMPT: dict[str, str] = {
    t + "answer_due_on": "computes a due date; writes nothing",
    t + "five_years_after": "computes a date; writes nothing",
}
