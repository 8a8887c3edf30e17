"""How the generated rule matrix tries the data-subject and review actions (see
``liaison.personas.Example``); merged into ``access_examples.EXAMPLES``."""

from __future__ import annotations

from datetime import date
from typing import Any

from liaison.core.roles import Role
from liaison.personas import Example, World
from liaison.sharing import selectors_subjects as sel
from liaison.sharing import services_subjects as svc
from liaison.sharing.models import DataSubjectRequest, DisclosureReview
from liaison.sharing.tests.subject_fixtures import make_disclosure

S = DataSubjectRequest.Status
D = date(2026, 3, 2)
MARIA = [("person", "Maria Lopez, 1990-01-31")]


def _subject_requests(w: World) -> list[DataSubjectRequest]:
    """A received, an in-progress and an answered request at BCA (state) and HCSO (local)."""
    found = list(DataSubjectRequest.objects.filter(reference__startswith="DSR-MX-"))
    if found:
        return found
    officer = w.users[Role.PRIVACY_OFFICER]
    out = []
    for abbr in ("BCA", "HCSO"):
        for status in (S.RECEIVED, S.IN_PROGRESS, S.ANSWERED):
            out.append(
                DataSubjectRequest.objects.create(
                    reference=f"DSR-MX-{abbr}-{status}",
                    custodian_agency=w.agencies[abbr],
                    state="MN",
                    received_on=D,
                    due_on=date(2026, 3, 16),
                    identity_proof=DataSubjectRequest.Proof.NOTARIZED,
                    status=status,
                    answered_on=D if status == S.ANSWERED else None,
                    recorded_by=officer,
                )
            )
    return out


def _reviews(w: World) -> list[DisclosureReview]:
    """A pending and a recorded review of disclosures by BCA and by HCSO."""
    found = list(
        DisclosureReview.objects.filter(disclosure__recipient_name="Special Agent Example")
    )
    if found:
        return found
    out = []
    for abbr in ("BCA", "HCSO"):
        for outcome in ("", "purge"):
            disclosure = make_disclosure(
                w.agencies, w.users[Role.PRIVACY_OFFICER], custodian=abbr, review_due=D
            )
            out.append(
                DisclosureReview.objects.create(
                    disclosure=disclosure,
                    due_on=D,
                    flagged_on=D,
                    outcome=outcome,
                    justification="Not validated." if outcome else "",
                )
            )
    return out


def _agencies(w: World) -> list[Any]:
    return [w.agencies[a] for a in ("BCA", "HCSO", "MPD", "HSI", "CBP")]


def _page(suffix: str) -> Any:
    return lambda r: f"/sharing/subjects/{r.pk}/{suffix}"


EXAMPLES: dict[str, Example] = {
    "sharing.data_subject_request.view": Example(
        _subject_requests,
        lambda w, u, r: sel.subject_request_get_for_user(user=u, pk=r.pk),
        page=_page(""),
    ),
    "sharing.data_subject_request.create": Example(
        _agencies,
        lambda w, u, r: svc.data_subject_request_record(
            actor=u,
            custodian_agency=r,
            received_on=D,
            identity_proof=DataSubjectRequest.Proof.NOTARIZED,
            identifiers=MARIA,
        ),
    ),
    "sharing.data_subject_request.start": Example(
        _subject_requests,
        lambda w, u, r: svc.data_subject_request_start(actor=u, request=r),
    ),
    "sharing.data_subject_request.answer": Example(
        _subject_requests,
        lambda w, u, r: svc.data_subject_request_answer(actor=u, request=r, answered_on=D),
        page=_page("answer/"),
    ),
    "sharing.data_subject_request.deny": Example(
        _subject_requests,
        lambda w, u, r: svc.data_subject_request_deny(
            actor=u, request=r, reason="Identity not proven.", answered_on=D
        ),
        page=_page("deny/"),
    ),
    "sharing.data_subject_request.contact": Example(
        _subject_requests,
        lambda w, u, r: sel.subject_request_contact(user=u, request=r),
    ),
    "sharing.disclosure_review.view": Example(
        _reviews,
        lambda w, u, r: sel.disclosure_review_get_for_user(user=u, pk=r.pk),
        page=lambda r: f"/sharing/reviews/{r.pk}/",
    ),
    "sharing.disclosure_review.record": Example(
        _reviews,
        lambda w, u, r: svc.disclosure_review_record(
            actor=u, review=r, outcome="purge", justification="Not validated."
        ),
        page=lambda r: f"/sharing/reviews/{r.pk}/record/",
    ),
}
