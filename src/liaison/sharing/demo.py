"""Demo sharing requests in each state: one permitted and disclosed, one denied with its
lawful paths, one waiting for the privacy officer (urgent), one narrowed on review, and
one whose deny legal counsel set aside (and in Minnesota a status inquiry of the Saint
Paul police, which the city's code forbids whatever the instrument); and three data-subject requests (just received,
in progress, answered). A larger ``scale`` adds ten plain permitted
requests per step above 1, every other one disclosed (for the list pages' scale tests).

Filed by the state's demo partner against agencies of the demo privacy officer's side,
reviewed by that privacy officer and overridden by the demo counsel, all through the
services, so the ledger holds them. Idempotent: the outcome requests are filed once per state, and fillers only up to the
number the scale asks for.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from liaison.core.roles import Role
from liaison.directory.models import Agency
from liaison.sharing import services, services_subjects
from liaison.sharing.models import DataSubjectRequest, SharingRequest

ADDRESS = {"category": "address", "classification": "private", "source": "records_management"}
CONTACT = {
    "category": "contact_information",
    "classification": "private",
    "source": "records_management",
}
HISTORY = {
    "category": "criminal_history",
    "classification": "private",
    "source": "criminal_history",
}
DVS_STATUS = {
    "category": "citizenship_immigration_status",
    "classification": "private",
    "source": "driver_vehicle_services",
}
HOLD = {"action": "hold_past_release"}


@dataclass(frozen=True)
class Plan:
    what: str
    custodian: str
    purpose: str
    instrument: str
    items: list[dict[str, Any]]
    urgent: bool = False
    then: str = ""  # "", "disclose", "narrow", "override"
    keep: dict[int, list[str]] = field(default_factory=dict)


PLANS: dict[str, tuple[str, list[Plan]]] = {
    "MN": (
        "HSI-SPM",
        [
            Plan(
                "permitted and disclosed",
                "BCA",
                "criminal_investigation",
                "judicial_warrant",
                [ADDRESS],
                then="disclose",
            ),
            Plan(
                "denied, with lawful paths",
                "BCA",
                "civil_immigration_enforcement",
                "detainer_with_administrative_warrant",
                [HOLD],
            ),
            Plan(
                "waiting for review (urgent)",
                "DPS",
                "civil_immigration_enforcement",
                "court_order",
                [DVS_STATUS],
                urgent=True,
            ),
            Plan(
                "narrowed on review",
                "DPS",
                "civil_immigration_enforcement",
                "court_order",
                [DVS_STATUS],
                then="narrow",
                keep={0: ["name", "immigration_status"]},
            ),
            Plan(
                "denied, then set aside by counsel",
                "BCA",
                "criminal_investigation",
                "none",
                [CONTACT],
                then="override",
            ),
            Plan(
                "status inquiry denied by the Saint Paul code, with no lawful path",
                "SPPD",
                "civil_immigration_enforcement",
                "administrative_warrant",
                [{"action": "status_inquiry"}],
            ),
        ],
    ),
    "WI": (
        "HSI-MKE",
        [
            Plan(
                "permitted and disclosed",
                "DCI",
                "criminal_investigation",
                "court_order",
                [HISTORY],
                then="disclose",
            ),
            Plan("denied, with lawful paths", "DCI", "criminal_investigation", "none", [CONTACT]),
            Plan(
                "waiting for review (urgent)",
                "DCI",
                "civil_immigration_enforcement",
                "administrative_subpoena",
                [HISTORY],
                urgent=True,
            ),
            Plan(
                "narrowed on review",
                "DCI",
                "civil_immigration_enforcement",
                "administrative_subpoena",
                [HISTORY],
                then="narrow",
                keep={0: ["name", "dispositions"]},
            ),
            Plan(
                "denied, then set aside by counsel",
                "DCI",
                "criminal_investigation",
                "none",
                [ADDRESS],
                then="override",
            ),
        ],
    ),
}


def _user(role: Role, agencies: list[Agency]) -> Any:
    return (
        get_user_model()
        .objects.filter(role=role, agency__in=agencies, is_active=True)
        .order_by("pk")
        .first()
    )


def load(*, state: str, scale: int, rng: random.Random) -> list[str]:
    """File the state's demo requests once; return one summary line."""
    del rng
    requester_abbr, plans = PLANS[state]
    requester = Agency.objects.get(abbreviation=requester_abbr)
    partner = _user(Role.PARTNER, [requester])
    custodians = {a.abbreviation: a for a in Agency.objects.filter(jurisdiction__state=state)}
    state_agencies = list(custodians.values())
    privacy = _user(Role.PRIVACY_OFFICER, state_agencies)
    counsel = _user(Role.LEGAL_COUNSEL, state_agencies)
    if partner is None or privacy is None or counsel is None:
        return [f"sharing: no demo partner, privacy officer or counsel in {state}; skipped"]
    existing = SharingRequest.objects.filter(state=state).count()
    if existing:
        wanted = len(plans) + FILLERS_PER_SCALE * (scale - 1)
        for n in range(existing, wanted):
            _filler(partner, privacy, requester, custodians[plans[0].custodian], plans[0], n)
        return [f"sharing: {max(wanted, existing)} requests in {state} (already loaded)"]
    lines = []
    for n, plan in enumerate(plans, start=1):
        request = services.request_file(
            actor=partner,
            requesting_agency=requester,
            custodian_agency=custodians[plan.custodian],
            purpose=plan.purpose,
            instrument=plan.instrument,
            urgent=plan.urgent,
            items=plan.items,
        )
        if plan.then == "narrow":
            services.request_review(
                actor=privacy,
                request=request,
                action="narrow",
                reason="Only what the order names; nothing else leaves.",
                keep=plan.keep,
            )
        elif plan.then == "override":
            services.item_override(
                actor=counsel,
                item=request.items.get(index=0),
                justification="Exigent circumstances: an imminent threat to life, documented "
                "in the case file; counsel approved by phone and in writing.",
            )
        if plan.then in ("disclose", "override"):
            services.disclosure_record(
                actor=privacy,
                request=request,
                package=f"demo package {state} {n}".encode(),
                channel="secure_email",
                recipient_name=str(partner),
                subjects=[("person", f"Demo Subject{n}, 1990-01-{n:02d}")],
            )
        lines.append(f"{request.reference} {plan.what}")
    for n in range(len(plans), len(plans) + FILLERS_PER_SCALE * (scale - 1)):
        _filler(partner, privacy, requester, custodians[plans[0].custodian], plans[0], n)
    disclosed = [
        n for n, plan in enumerate(plans, start=1) if plan.then in ("disclose", "override")
    ]
    subject_requests = _subject_requests(privacy, disclosed[0])
    return [
        f"sharing: {len(lines)} requests in {state}: " + "; ".join(lines),
        f"sharing: {len(subject_requests)} data-subject requests in {state}: "
        + "; ".join(subject_requests),
    ]


def _subject_requests(privacy: Any, disclosed: int) -> list[str]:
    """Data-subject requests to the privacy officer's agency: one just received about
    the subject of a demo disclosure (its report lists that disclosure), one being worked
    on, one answered."""
    today = timezone.localdate()
    person = ("person", f"Demo Subject{disclosed}, 1990-01-{disclosed:02d}")
    asks = [
        ("received", today - timedelta(days=2), [person, ("phone", "651-555-0142")]),
        ("in progress", today - timedelta(days=7), [("person", "Demo Resident, 1984-06-30")]),
        ("answered", today - timedelta(days=30), [("plate", "MN ABC 123")]),
    ]
    lines = []
    for what, received_on, identifiers in asks:
        request = services_subjects.data_subject_request_record(
            actor=privacy,
            custodian_agency=privacy.agency,
            received_on=received_on,
            identity_proof=DataSubjectRequest.Proof.PHOTO_ID_IN_PERSON,
            identifiers=identifiers,
        )
        if what != "received":
            request = services_subjects.data_subject_request_start(actor=privacy, request=request)
        if what == "answered":
            request = services_subjects.data_subject_request_answer(
                actor=privacy, request=request, answered_on=received_on + timedelta(days=6)
            )
        lines.append(f"{request.reference} {what}")
    return lines


FILLERS_PER_SCALE = 10


def _filler(
    partner: Any, privacy: Any, requester: Agency, custodian: Agency, plan: Plan, n: int
) -> None:
    """One more permitted request like the state's first plan; every other one disclosed."""
    request = services.request_file(
        actor=partner,
        requesting_agency=requester,
        custodian_agency=custodian,
        purpose=plan.purpose,
        instrument=plan.instrument,
        items=plan.items,
    )
    if n % 2 == 0:
        services.disclosure_record(
            actor=privacy,
            request=request,
            package=f"demo package {n}".encode(),
            channel="portal",
            recipient_name=str(partner),
        )
