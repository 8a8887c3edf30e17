"""Who may do what with sharing requests and disclosures: every action's rule, declared once.

A request is *owned* by the custodian agency (whose data or jail it is, and whose privacy
officer answers it); the requesting agency *takes part* in it. So a partner sees their
own agency's requests (``PARTY``) and nothing else; the custodian's privacy officer
reviews (``OWN``); counsel of a state or local agency in reach sets a deny aside. A
disclosure is seen by whoever sees its request. Services check these rules
(``access.check``), pages and the API show only what they allow, and the generated role
matrix walks them (examples in ``sharing/tests/access_examples.py``).
"""

from __future__ import annotations

from typing import Any

from liaison.core import access
from liaison.core.access import ANY, IN_REACH, OWN, OWN_OR_PARTY, Relation
from liaison.core.roles import READ_ALL_ROLES, Role
from liaison.directory import scope
from liaison.sharing.models import Disclosure, SharingRequest

S = SharingRequest.Status
STATE_LABELS = {str(value): str(label).lower() for value, label in S.choices}


def _request(actor: Any, request: SharingRequest) -> Relation:
    return scope.relation_to(
        actor, request.custodian_agency_id, party_ids=[request.requesting_agency_id]
    )


def _disclosure(actor: Any, disclosure: Disclosure) -> Relation:
    return _request(actor, disclosure.request)


def _request_state(request: SharingRequest) -> str:
    return str(request.status)


access.kind(
    "sharing.sharing_request",
    noun="request",
    relation=_request,
    state=_request_state,
    state_labels=STATE_LABELS,
)
access.kind("sharing.disclosure", noun="disclosure", relation=_disclosure)

VIEW: dict[Role, Any] = {role: ANY for role in READ_ALL_ROLES}
VIEW.update(
    {
        Role.PRIVACY_OFFICER: IN_REACH,
        Role.LEGAL_COUNSEL: IN_REACH,
        Role.COORDINATOR: IN_REACH,
        Role.PARTNER: OWN_OR_PARTY,
    }
)

access.rule("sharing.sharing_request.view", roles=VIEW, doing="see the request")
access.rule("sharing.disclosure.view", roles=VIEW, doing="see the disclosure")
# Filing is about the requesting agency: a partner files for their own agency; a
# coordinator files for any agency (on a partner's behalf, when the partner phoned or
# wrote in), and the custodian's rules decide the request either way.
access.rule(
    "sharing.sharing_request.create",
    on="directory.agency",
    roles={Role.PARTNER: OWN, Role.COORDINATOR: ANY, Role.ADMIN: ANY},
    doing="file a sharing request",
)
access.rule(
    "sharing.sharing_request.review",
    roles={Role.PRIVACY_OFFICER: OWN},
    states={S.AWAITING_REVIEW.value},
    doing="review the request",
)
access.rule(
    "sharing.sharing_request.override",
    roles={Role.LEGAL_COUNSEL: IN_REACH},
    doing="set aside a deny of the request",
)
access.rule(
    "sharing.sharing_request.disclose",
    roles={Role.PRIVACY_OFFICER: OWN, Role.COORDINATOR: OWN},
    states={S.DECIDED.value, S.DISCLOSED.value},
    doing="record a disclosure",
)
