"""How the generated rule matrix tries each sharing action (see ``liaison.personas.Example``).

The requests are held by BCA (a Minnesota state agency) and asked by HSI; one waits for
review, one is decided, one disclosed. Each has a hold past release the packs deny.
"""

from __future__ import annotations

from typing import Any

from liaison.core.roles import Role
from liaison.personas import Example, World
from liaison.sharing import selectors as sel
from liaison.sharing import services as svc
from liaison.sharing.models import Disclosure, SharingRequest
from liaison.sharing.tests.access_examples_subjects import EXAMPLES as SUBJECT_EXAMPLES

ADDRESS = {"category": "address", "classification": "private", "source": "records_management"}
DVS_STATUS = {
    "category": "citizenship_immigration_status",
    "classification": "private",
    "source": "driver_vehicle_services",
}
HOLD = {"action": "hold_past_release"}


def _file(w: World, items: list[dict[str, Any]], instrument: str) -> SharingRequest:
    return svc.request_file(
        actor=None,
        requesting_agency=w.agencies["HSI"],
        custodian_agency=w.agencies["BCA"],
        requested_by=w.users[Role.PARTNER],
        purpose="civil_immigration_enforcement",
        instrument=instrument,
        items=items,
    )


def _requests(w: World) -> list[SharingRequest]:
    mine = SharingRequest.objects.filter(
        requested_by=w.users[Role.PARTNER], custodian_agency=w.agencies["BCA"]
    )
    found = list(mine.order_by("pk"))
    if len(found) >= 3:
        return found[:3]
    pending = _file(w, [DVS_STATUS, HOLD], "court_order")
    decided = _file(w, [ADDRESS, HOLD], "judicial_warrant")
    disclosed = _file(w, [ADDRESS, HOLD], "judicial_warrant")
    svc.disclosure_record(
        actor=None, request=disclosed, package=b"package", channel="api", recipient_name="Agent"
    )
    disclosed.refresh_from_db()
    return [pending, decided, disclosed]


def _disclosures(w: World) -> list[Disclosure]:
    return [r.disclosures.get() for r in _requests(w) if r.status == "disclosed"]


def _agencies(w: World) -> list[Any]:
    return [w.agencies[a] for a in ("HSI", "BCA", "CBP", "MPD")]


def _denied(request: SharingRequest) -> Any:
    return request.items.filter(machine_decision="deny").order_by("index").first()


EXAMPLES: dict[str, Example] = {
    **SUBJECT_EXAMPLES,
    "sharing.sharing_request.view": Example(
        _requests,
        lambda w, u, r: sel.request_get_for_user(user=u, pk=r.pk),
        page=lambda r: f"/sharing/requests/{r.pk}/",
        api=lambda r: f"/api/v1/sharing/requests/{r.pk}",
    ),
    "sharing.disclosure.view": Example(
        _disclosures,
        lambda w, u, r: sel.disclosure_get_for_user(user=u, pk=r.pk),
        page=lambda r: f"/sharing/disclosures/{r.pk}/",
        api=lambda r: f"/api/v1/sharing/disclosures/{r.pk}",
    ),
    "sharing.sharing_request.create": Example(
        _agencies,
        lambda w, u, r: svc.request_file(
            actor=u,
            requesting_agency=r,
            custodian_agency=w.agencies["BCA"],
            purpose="criminal_investigation",
            instrument="judicial_warrant",
            items=[ADDRESS],
        ),
    ),
    "sharing.sharing_request.review": Example(
        _requests,
        lambda w, u, r: svc.request_review(actor=u, request=r, action="confirm"),
        page=lambda r: f"/sharing/requests/{r.pk}/review/",
    ),
    "sharing.sharing_request.override": Example(
        _requests,
        lambda w, u, r: svc.item_override(actor=u, item=_denied(r), justification="Documented."),
    ),
    "sharing.sharing_request.disclose": Example(
        _requests,
        lambda w, u, r: svc.disclosure_record(
            actor=u, request=r, package=b"p", channel="api", recipient_name="Agent"
        ),
    ),
}
