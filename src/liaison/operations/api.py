"""Operations endpoints under /api/v1/operations/: the same selectors and services as the
pages and the command line.

A plan's body is the ``liaison.operations.plan/1`` format (docs/operations.md), checked
by the one validation of plans (``plans.validate_plan``): its refusals are 400s naming
each field by its path. An operation of another agency answers 404 like a missing one;
of a conflicting operation an answer holds only whom to call and why.

Later steps of the lifecycle add their endpoints to :data:`router` (a path under
``/{pk}/``).

No ``from __future__ import annotations`` here: a paged endpoint with a path parameter
is read through the pagination decorator, where string annotations cannot be resolved.
"""

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Schema, Status
from ninja.pagination import paginate

from liaison.core import identifiers
from liaison.core.api import Id, Input, Pagination, Router, api_actor, writes_nothing
from liaison.core.roles import Actor
from liaison.operations import review_api, selectors, services
from liaison.operations.models import Operation
from liaison.operations.plans import CONFLICTS_FORMAT, PLAN_FORMAT, PlanInput, validate_plan
from liaison.operations.selectors import ConflictView

router = Router(app="operations")


# --- input -------------------------------------------------------------------------------


class WindowIn(Input):
    start: str = Field(description="ISO 8601 with its UTC offset.", max_length=64)
    end: str = Field(description="ISO 8601 with its UTC offset.", max_length=64)


class LocationIn(Input):
    lat: float | None = Field(None, description="Latitude of a point (WGS 84).")
    lon: float | None = Field(None, description="Longitude of a point (WGS 84).")
    radius_m: float | None = Field(None, description="Radius around the point, metres.")
    polygon: list[list[float]] | None = Field(None, description="[[lon, lat], ...] outline.")
    label: str | None = Field(None, max_length=200)


class SubjectIn(Input):
    kind: str = Field(description="person, plate, address or phone.", max_length=16)
    value: str = Field(description="Hashed and sealed; never stored in clear.", max_length=300)


class PlanIn(Input):
    format: str = Field(PLAN_FORMAT, max_length=64)
    name: str = Field(max_length=300)
    lead_agency: str | int = Field(description="Agency id, abbreviation, ORI or name.")
    status: str = Field("planned", description="planned or active.", max_length=16)
    window: WindowIn
    locations: list[LocationIn] = Field(default_factory=list, max_length=100)
    subjects: list[SubjectIn] = Field(default_factory=list, max_length=400)


class OperationIn(PlanIn):
    objectives: str | None = Field(None, max_length=10_000)
    contact_phone: str | None = Field(None, max_length=32)


class CancelIn(Input):
    reason: str = Field(max_length=2_000)


def _plan(payload: PlanIn) -> PlanInput:
    data = payload.model_dump(include=set(PlanIn.model_fields))
    data["locations"] = [
        {k: v for k, v in loc.items() if v is not None} for loc in data["locations"]
    ]
    return validate_plan(data)


def _details(payload: OperationIn) -> services.OperationDetails:
    return services.OperationDetails(
        objectives=payload.objectives, contact_phone=payload.contact_phone
    )


# --- output ------------------------------------------------------------------------------


class LocationOut(Schema):
    shape: str
    label: str
    lat: float | None
    lon: float | None
    radius_m: float
    polygon: list[list[float]] | None
    county: str
    city: str


class SubjectOut(Schema):
    kind: str
    hint: str = Field(description="A masked hint of the identifier, e.g. …123.")


class OperationSummaryOut(Schema):
    id: int
    name: str
    lead_agency_id: int
    status: str
    window_start: datetime
    window_end: datetime


class OperationOut(OperationSummaryOut):
    lead_agency: str
    objectives: str
    point_of_contact: str
    contact_phone: str
    locations: list[LocationOut]
    subjects: list[SubjectOut]
    unacknowledged_conflicts: int
    actions: list[str] = Field(description="Steps the caller may take now.")


class ConflictOut(Schema):
    id: int
    operation: int = Field(description="Your operation (the side this answer is for).")
    reason: str = Field(description="place_time or subject")
    detected_at: datetime
    cleared_at: datetime | None
    acknowledged_at: datetime | None = Field(description="When your side acknowledged it.")
    contact_name: str = Field(description="Whom to call: the other operation's contact.")
    contact_agency: str
    contact_phone: str


class FoundOut(Schema):
    operation: int
    reason: str


class ConflictsOut(Schema):
    format: str = CONFLICTS_FORMAT
    conflicts: list[FoundOut]


def _hint(kind: str, sealed: str) -> str:
    try:
        return identifiers.masked(kind, identifiers.unseal(sealed))
    except Exception:
        return "…"


def _operation_out(user: Actor, operation: Operation) -> dict[str, Any]:
    poc = operation.point_of_contact
    return {
        "id": operation.pk,
        "name": operation.name,
        "lead_agency_id": operation.lead_agency_id,
        "lead_agency": operation.lead_agency.name,
        "status": operation.status,
        "window_start": operation.window_start,
        "window_end": operation.window_end,
        "objectives": operation.objectives,
        "point_of_contact": poc.get_full_name() or poc.username,
        "contact_phone": operation.contact_phone,
        "locations": [
            {
                "shape": loc.shape,
                "label": loc.label,
                "lat": loc.lat,
                "lon": loc.lon,
                "radius_m": loc.radius_m,
                "polygon": loc.polygon,
                "county": loc.county,
                "city": loc.city,
            }
            for loc in operation.locations.all()
        ],
        "subjects": [
            {"kind": s.kind, "hint": _hint(s.kind, s.sealed)} for s in operation.subjects.all()
        ],
        "unacknowledged_conflicts": selectors.unacknowledged_conflicts(operation).count(),
        "actions": sorted(selectors.operation_actions(user=user, operation=operation)),
    }


def _conflict_out(view: ConflictView) -> dict[str, Any]:
    return {
        "id": view.id,
        "operation": view.operation,
        "reason": view.reason,
        "detected_at": view.detected_at,
        "cleared_at": view.cleared_at,
        "acknowledged_at": view.acknowledged_at,
        "contact_name": view.contact_name,
        "contact_agency": view.contact_agency,
        "contact_phone": view.contact_phone,
    }


# --- endpoints ---------------------------------------------------------------------------


@router.post("/check", response=ConflictsOut, summary="Check a plan for conflicts (dry run)")
@writes_nothing
def plan_check(request: HttpRequest, payload: PlanIn) -> dict[str, Any]:
    found = selectors.plan_check(user=api_actor(request), plan=_plan(payload))
    return {
        "format": CONFLICTS_FORMAT,
        "conflicts": [{"operation": f.operation, "reason": f.reason} for f in found],
    }


class ConflictFilter(Input):
    operation: int | None = Field(None, ge=1, description="Only this operation's conflicts.")


@router.get(
    "/conflicts",
    response=list[ConflictOut],
    summary="Standing conflicts of the operations you see, as your side sees them",
)
@paginate(Pagination)
def conflict_list(request: HttpRequest, filters: Query[ConflictFilter]) -> Any:
    user = api_actor(request)
    operation = None
    if filters.operation is not None:
        operation = selectors.operation_get_for_user(user=user, pk=filters.operation)
    return [
        _conflict_out(v) for v in selectors.conflict_list_for_user(user=user, operation=operation)
    ]


@router.get("", response=list[OperationSummaryOut], summary="Operations you may see")
@paginate(Pagination)
def operation_list(request: HttpRequest) -> Any:
    return selectors.operation_list_for_user(user=api_actor(request)).order_by(
        "-window_start", "-id"
    )


@router.post("", response={201: OperationOut}, summary="Plan an operation")
def operation_create(request: HttpRequest, payload: OperationIn) -> Status[dict[str, Any]]:
    user = api_actor(request)
    operation = services.operation_create(
        actor=user, plan=_plan(payload), details=_details(payload)
    )
    return Status(201, _operation_out(user, operation))


@router.get("/{pk}", response=OperationOut, summary="An operation")
def operation_get(request: HttpRequest, pk: Id) -> dict[str, Any]:
    user = api_actor(request)
    return _operation_out(user, selectors.operation_get_for_user(user=user, pk=pk))


@router.put("/{pk}", response=OperationOut, summary="Change an operation's plan")
def operation_update(request: HttpRequest, pk: Id, payload: OperationIn) -> dict[str, Any]:
    user = api_actor(request)
    operation = selectors.operation_get_for_user(user=user, pk=pk, purpose="edit")
    operation = services.operation_update(
        actor=user, operation=operation, plan=_plan(payload), details=_details(payload)
    )
    return _operation_out(user, operation)


@router.post("/{pk}/submit", response=OperationOut, summary="Submit the plan")
def operation_submit(request: HttpRequest, pk: Id) -> dict[str, Any]:
    user = api_actor(request)
    operation = selectors.operation_get_for_user(user=user, pk=pk, purpose="submit")
    return _operation_out(user, services.operation_submit(actor=user, operation=operation))


@router.post("/{pk}/cancel", response=OperationOut, summary="Cancel the operation")
def operation_cancel(request: HttpRequest, pk: Id, payload: CancelIn) -> dict[str, Any]:
    user = api_actor(request)
    operation = selectors.operation_get_for_user(user=user, pk=pk, purpose="cancel")
    operation = services.operation_cancel(actor=user, operation=operation, reason=payload.reason)
    return _operation_out(user, operation)


@router.post(
    "/{pk}/conflicts/{conflict_id}/acknowledge",
    response=ConflictOut,
    summary="Acknowledge a conflict for your side",
)
def conflict_acknowledge(request: HttpRequest, pk: Id, conflict_id: Id) -> dict[str, Any]:
    user = api_actor(request)
    operation = selectors.operation_get_for_user(user=user, pk=pk, purpose="acknowledge")
    conflict = selectors.conflict_get_for_user(user=user, pk=conflict_id, operation=operation)
    services.conflict_acknowledge(actor=user, conflict=conflict, operation=operation)
    [view] = [
        v
        for v in selectors.conflicts_for_operation(
            user=user, operation=operation, include_cleared=True
        )
        if v.id == conflict.pk
    ]
    return _conflict_out(view)


# The legal review, approval, execution and after-action endpoints (operations/review_api.py).
review_api.register(router)
