"""Sharing endpoints under /api/v1/sharing/: the same selectors and services as the pages.

``POST /requests`` files a request: the partner names the custodian agency, purpose,
instrument, urgency and items; everything else the rule packs read is built from our
records. A malformed request answers 400 ``invalid_request`` with a message per JSON path
(``items[1].category``) and saves nothing. A request's ``facts`` and ``decision`` are the
published ``liaison.sharing.request/1`` and ``liaison.sharing.decision/1`` documents
(``docs/sharing/*.schema.json``), shown as such in the OpenAPI document. Partners see
their own agency's requests and disclosures only; a record out of scope answers 404
like a missing one. Opening a request or a disclosure is in the access log.
"""

from __future__ import annotations

import base64
import binascii
from datetime import date, datetime
from typing import Annotated, Any

from django.db.models import Count
from django.http import HttpRequest
from ninja import Field, Path, Schema, Status

from liaison.core.api import Id, Input, Router, api_actor
from liaison.core.errors import ServiceError
from liaison.directory import selectors as directory
from liaison.policy.request import MAX_ITEMS
from liaison.policy.schemas import decision_schema, request_schema
from liaison.sharing import selectors, services
from liaison.sharing.error_codes import SharingErrorCode
from liaison.sharing.models import Disclosure, Override, SharingRequest

router = Router(app="sharing")
ItemIndex = Annotated[int, Path(ge=0, le=MAX_ITEMS, description="Item position, 0 first.")]


def _openapi(schema: dict[str, Any]) -> dict[str, Any]:
    return {k: value for k, value in schema.items() if k not in ("$schema", "$id")}


REQUEST_FORMAT_SCHEMA = _openapi(request_schema())
DECISION_FORMAT_SCHEMA = _openapi(decision_schema())


def _field_error(field: str) -> ServiceError:
    return ServiceError(
        "Please correct the errors in the request.",
        code=SharingErrorCode.NOT_A_PARTNER_AGENCY,
        fields={field: ["No such record, or not one you may use."]},
    )


class FileIn(Input):
    custodian_agency_id: int = Field(description="Agency holding the data or the person.")
    requesting_agency_id: int | None = Field(
        None, description="Agency asking; a partner's own agency by default."
    )
    requested_by_id: int | None = Field(
        None, description="Partner user asking, when a coordinator files on their behalf."
    )
    purpose: str = Field(max_length=64, description="A purpose code of the request format.")
    instrument: str = Field(max_length=64, description="An instrument code of the format.")
    urgent: bool = False
    items: list[dict[str, Any]] = Field(
        max_length=MAX_ITEMS,
        description="Items of the request format: {category, classification, source, "
        "flags…} for data, {action} for an action.",
    )


class ItemOut(Schema):
    index: int
    category: str
    action: str
    classification: str
    source: str
    flags: list[str]
    machine_decision: str = Field(description="The rule packs' answer: permit, deny, needs_review.")
    final_decision: str = Field(description="permit or deny; empty while waiting for review.")
    permitted_fields: list[str] = Field(description="Fields that may leave now.")
    overridden: bool = Field(description="Legal counsel set the packs' deny aside.")


class RequestSummaryOut(Schema):
    id: int
    reference: str
    status: str
    state: str
    requesting_agency_id: int
    custodian_agency_id: int
    purpose: str
    instrument: str
    urgent: bool
    filed_at: datetime


class RequestOut(RequestSummaryOut):
    requested_by_id: int | None
    decided_on: date
    packs: list[dict[str, Any]] = Field(description="Pack versions that decided it.")
    facts: dict[str, Any] = Field(
        description="The liaison.sharing.request/1 request evaluated.",
        json_schema_extra=REQUEST_FORMAT_SCHEMA,
    )
    decision: dict[str, Any] = Field(
        description="The liaison.sharing.decision/1 decision of the rule packs.",
        json_schema_extra=DECISION_FORMAT_SCHEMA,
    )
    items: list[ItemOut]


class ReviewIn(Input):
    action: str = Field(max_length=16, description="confirm, narrow or deny.")
    reason: str = Field("", max_length=4000, description="Required to narrow or deny.")
    keep: dict[int, list[str]] | None = Field(
        None, description="To narrow: item index → fields kept (an action's list is empty)."
    )


class OverrideIn(Input):
    justification: str = Field(max_length=8000, description="Written legal justification.")
    fields: list[str] | None = Field(
        None, description="Fields that may leave; default: the category's whole list."
    )


class OverrideOut(Schema):
    id: int
    request_id: int
    index: int
    counsel_id: int | None
    fields: list[str]
    created_at: datetime


class SubjectIn(Input):
    kind: str = Field(max_length=16, description="person, plate, address, phone, license, record.")
    value: str = Field(max_length=500, description="The identifier; only its keyed hash is kept.")


class DisclosureIn(Input):
    package_base64: str = Field(
        max_length=20_000_000, description="The package exactly as sent, base64-encoded."
    )
    channel: str = Field(max_length=16, description="api, secure_email, portal, in_person, …")
    recipient_name: str = Field(max_length=200)
    recipient_agency_id: int | None = Field(None, description="Default: the requesting agency.")
    fields: dict[str, list[str]] | None = Field(
        None, description="Category → fields that left; default: everything releasable."
    )
    subjects: list[SubjectIn] = Field(default_factory=list, max_length=100)
    disclosed_on: date | None = None


class DisclosureOut(Schema):
    id: int
    request_id: int
    categories: list[str]
    fields: dict[str, list[str]]
    channel: str
    recipient_agency_id: int
    recipient_name: str
    basis: str
    package_sha256: str
    disclosed_on: date
    review_due: date | None
    obligations: list[str]
    subjects: int = Field(description="How many subject identifiers (kept as keyed hashes).")

    @staticmethod
    def resolve_subjects(obj: Any) -> int:
        if isinstance(obj, dict):
            return int(obj["subjects"])
        counted = getattr(obj, "subject_count", None)
        return int(counted) if counted is not None else int(obj.subjects.count())


def _summary(r: SharingRequest) -> dict[str, Any]:
    return {
        "id": r.pk,
        "reference": r.reference,
        "status": r.status,
        "state": r.state,
        "requesting_agency_id": r.requesting_agency_id,
        "custodian_agency_id": r.custodian_agency_id,
        "purpose": r.purpose,
        "instrument": r.instrument,
        "urgent": r.urgent,
        "filed_at": r.filed_at,
    }


def _request_out(r: SharingRequest) -> dict[str, Any]:
    items = selectors.request_items(r)
    return _summary(r) | {
        "requested_by_id": r.requested_by_id,
        "decided_on": r.decided_on,
        "packs": r.packs,
        "facts": r.facts,
        "decision": r.decision,
        "items": [
            {
                "index": i.index,
                "category": i.category,
                "action": i.action,
                "classification": i.classification,
                "source": i.source,
                "flags": i.flags,
                "machine_decision": i.machine_decision,
                "final_decision": i.final_decision,
                "permitted_fields": i.permitted_fields,
                "overridden": i.overridden,
            }
            for i in items
        ],
    }


def _disclosure_out(d: Disclosure) -> dict[str, Any]:
    return {
        "id": d.pk,
        "request_id": d.request_id,
        "categories": d.categories,
        "fields": d.fields,
        "channel": d.channel,
        "recipient_agency_id": d.recipient_agency_id,
        "recipient_name": d.recipient_name,
        "basis": d.basis,
        "package_sha256": d.package_sha256,
        "disclosed_on": d.disclosed_on,
        "review_due": d.review_due,
        "obligations": d.obligations,
        "subjects": d.subjects.count(),
    }


def _override_out(o: Override) -> dict[str, Any]:
    return {
        "id": o.pk,
        "request_id": o.item.request_id,
        "index": o.item.index,
        "counsel_id": o.counsel_id,
        "fields": o.fields,
        "created_at": o.created_at,
    }


@router.post("/requests", response={201: RequestOut}, summary="File a sharing request")
def request_file(request: HttpRequest, payload: FileIn) -> Status[dict[str, Any]]:
    user = api_actor(request)
    agencies = directory.agency_list_for_user(user=user)
    custodian = agencies.filter(pk=payload.custodian_agency_id).first()
    if custodian is None:
        raise _field_error("custodian_agency_id")
    requesting_id = payload.requesting_agency_id or user.agency_id or 0
    requesting = agencies.filter(pk=requesting_id).first()
    if requesting is None:
        raise _field_error("requesting_agency_id")
    requested_by = None
    if payload.requested_by_id is not None:
        requested_by = (
            selectors.requester_choices(agency_id=requesting.pk)
            .filter(pk=payload.requested_by_id)
            .first()
        )
        if requested_by is None:
            raise _field_error("requested_by_id")
    filed = services.request_file(
        actor=user,
        requesting_agency=requesting,
        custodian_agency=custodian,
        purpose=payload.purpose,
        instrument=payload.instrument,
        urgent=payload.urgent,
        items=payload.items,
        requested_by=requested_by,
    )
    return Status(201, _request_out(filed))


@router.get("/requests", response=list[RequestSummaryOut], summary="Requests you may see")
def request_list(request: HttpRequest, status: str = "", state: str = "", purpose: str = "") -> Any:
    return selectors.request_list_for_user(
        user=api_actor(request), status=status[:32], state=state[:2], purpose=purpose[:64]
    )


@router.get("/requests/{pk}", response=RequestOut, summary="A request with its decision")
def request_get(request: HttpRequest, pk: Id) -> dict[str, Any]:
    found = selectors.request_get_for_user(user=api_actor(request), pk=pk)
    return _request_out(found)


@router.post(
    "/requests/{pk}/review",
    response=RequestOut,
    summary="Review a request: confirm, narrow or deny (privacy officer)",
)
def request_review(request: HttpRequest, pk: Id, payload: ReviewIn) -> dict[str, Any]:
    user = api_actor(request)
    found = selectors.request_get_for_user(user=user, pk=pk, purpose="review")
    services.request_review(
        actor=user, request=found, action=payload.action, reason=payload.reason, keep=payload.keep
    )
    found.refresh_from_db()
    return _request_out(found)


@router.post(
    "/requests/{pk}/items/{index}/override",
    response={201: OverrideOut},
    summary="Set aside the rule packs' deny of an item (legal counsel)",
)
def item_override(
    request: HttpRequest, pk: Id, index: ItemIndex, payload: OverrideIn
) -> Status[dict[str, Any]]:
    user = api_actor(request)
    found = selectors.request_get_for_user(user=user, pk=pk, purpose="override")
    item = selectors.item_get(request=found, index=index)
    override = services.item_override(
        actor=user, item=item, justification=payload.justification, fields=payload.fields
    )
    return Status(201, _override_out(override))


@router.post(
    "/requests/{pk}/disclosures",
    response={201: DisclosureOut},
    summary="Record what left for a request",
)
def disclosure_record(
    request: HttpRequest, pk: Id, payload: DisclosureIn
) -> Status[dict[str, Any]]:
    user = api_actor(request)
    found = selectors.request_get_for_user(user=user, pk=pk, purpose="disclose")
    try:
        package = base64.b64decode(payload.package_base64, validate=True)
    except (binascii.Error, ValueError):
        raise ServiceError(
            "The package is not valid base64.",
            code=SharingErrorCode.EMPTY_PACKAGE,
            fields={"package_base64": ["Not valid base64."]},
        ) from None
    recipient = None
    if payload.recipient_agency_id is not None:
        recipient = (
            directory.agency_list_for_user(user=user).filter(pk=payload.recipient_agency_id).first()
        )
        if recipient is None:
            raise _field_error("recipient_agency_id")
    disclosure = services.disclosure_record(
        actor=user,
        request=found,
        package=package,
        channel=payload.channel,
        recipient_name=payload.recipient_name,
        recipient_agency=recipient,
        fields=payload.fields,
        subjects=[(s.kind, s.value) for s in payload.subjects],
        disclosed_on=payload.disclosed_on,
    )
    return Status(201, _disclosure_out(disclosure))


@router.get("/disclosures", response=list[DisclosureOut], summary="Disclosures you may see")
def disclosure_list(request: HttpRequest, request_id: int | None = None) -> Any:
    found = selectors.disclosure_list_for_user(user=api_actor(request), request=request_id)
    return found.annotate(subject_count=Count("subjects"))


@router.get("/disclosures/{pk}", response=DisclosureOut, summary="A disclosure record")
def disclosure_get(request: HttpRequest, pk: Id) -> dict[str, Any]:
    return _disclosure_out(selectors.disclosure_get_for_user(user=api_actor(request), pk=pk))
