"""Who may do what with data subjects' requests and disclosure reviews: declared rules.

A data-subject request belongs to the agency asked (the custodian), and only its privacy
officers record and answer it (Minn. Stat. 13.04 subd. 3: the responsible authority's
designee); partners never see one, whoever they are. A disclosure's 28 C.F.R. § 23.20(h)
review belongs to the custodian of the request the disclosure answered. Oversight and
admins see both; only a privacy officer of the custodian records anything.
"""

from __future__ import annotations

from typing import Any

from liaison.core import access
from liaison.core.access import ANY, OWN, Relation
from liaison.core.roles import Role
from liaison.directory import scope
from liaison.sharing.models import DataSubjectRequest, DisclosureReview

DSR = DataSubjectRequest.Status
NO_PARTY = frozenset({Relation.OWN, Relation.PARTNER, Relation.OUTSIDER})
OPEN = (DSR.RECEIVED.value, DSR.IN_PROGRESS.value)


def _subject_request(actor: Any, request: DataSubjectRequest) -> Relation:
    return scope.relation_to(actor, request.custodian_agency_id)


def _review(actor: Any, review: DisclosureReview) -> Relation:
    return scope.relation_to(actor, review.disclosure.request.custodian_agency_id)


def _review_state(review: DisclosureReview) -> str:
    return review.outcome or "pending"


access.kind(
    "sharing.data_subject_request",
    noun="data-subject request",
    relation=_subject_request,
    state=lambda r: str(r.status),
    state_labels={str(value): str(label).lower() for value, label in DSR.choices},
    relations=NO_PARTY,
)
access.kind(
    "sharing.disclosure_review",
    noun="disclosure review",
    relation=_review,
    state=_review_state,
    state_labels={"pending": "waiting for review", "retain": "retained", "purge": "purged"},
    relations=NO_PARTY,
)

OFFICERS: dict[Role, Any] = {Role.PRIVACY_OFFICER: OWN}
READERS: dict[Role, Any] = {Role.PRIVACY_OFFICER: OWN, Role.OVERSIGHT: ANY, Role.ADMIN: ANY}

access.rule(
    "sharing.data_subject_request.view", roles=READERS, doing="see the data-subject request"
)
access.rule(
    "sharing.data_subject_request.create",
    on="directory.agency",
    roles=OFFICERS,
    doing="record a data-subject request",
)
access.rule(
    "sharing.data_subject_request.start",
    roles=OFFICERS,
    states=[DSR.RECEIVED.value],
    doing="start work on the data-subject request",
)
access.rule(
    "sharing.data_subject_request.answer",
    roles=OFFICERS,
    states=OPEN,
    doing="answer the data-subject request",
)
access.rule(
    "sharing.data_subject_request.deny",
    roles=OFFICERS,
    states=OPEN,
    doing="deny the data-subject request",
)
# Reading back how to reach the requester (a sealed value) is for the officer answering.
access.rule(
    "sharing.data_subject_request.contact",
    roles=OFFICERS,
    doing="read the requester's contact details",
)
access.rule("sharing.disclosure_review.view", roles=READERS, doing="see the disclosure review")
access.rule(
    "sharing.disclosure_review.record",
    roles=OFFICERS,
    states=["pending"],
    doing="record the review's outcome",
)
