"""Review endpoints under /api/v1/operations/: the checklist, counsel's sign-off,
approval, the execution log, closing and the after-action review — the same selectors
and services as the pages. :func:`register` adds them to the operations router.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, Schema, Status

from liaison.core.api import Id, Input, Router, api_actor
from liaison.core.errors import ServiceError
from liaison.directory.models import Agency
from liaison.operations import aar, review, selectors
from liaison.operations.checklist import checklist
from liaison.operations.models import Operation


class ItemOut(Schema):
    section: str = Field(description="coverage, readiness, rules or conflicts")
    key: str
    state: str = Field(description="ok, blocked or needs_review")
    title: str
    detail: str
    citation: str


class ChecklistOut(Schema):
    operation: int
    status: str
    passes: bool = Field(description="No item blocks approval.")
    digest: str = Field(description="SHA-256 of the items; counsel's sign-off records it.")
    approvable: bool = Field(description="No item blocks and counsel signed off this checklist.")
    problems: list[str] = Field(description="Why approval is refused now, one line each.")
    items: list[ItemOut]


class ReasonIn(Input):
    reason: str = Field("", max_length=4000)


class StepOut(Schema):
    operation: int
    status: str
    checklist_digest: str


class LogIn(Input):
    text: str = Field(max_length=4000)
    occurred_at: datetime | None = None


class LogOut(Schema):
    id: int
    operation: int
    agency_id: int
    occurred_at: datetime
    recorded_at: datetime
    text: str


class OutcomeIn(Input):
    kind: str = Field(description="arrest, detainer, seizure, use_of_force, injury or complaint")
    count: int = Field(ge=0, le=1_000_000)
    category: str = Field("", max_length=120)
    reference: str | None = Field(None, max_length=120)


class CostIn(Input):
    agency_id: Id
    hours: Decimal = Field(Decimal(0), ge=0, le=1_000_000, decimal_places=1)
    cost: Decimal = Field(Decimal(0), ge=0, le=1_000_000_000, decimal_places=2)


class FollowUpIn(Input):
    action: str = Field(max_length=300)
    owner_id: Id
    due_on: date


class AfterActionIn(Input):
    objectives_met: str = Field(description="met, partly or not_met")
    objectives_assessment: str = ""
    went_well: str = ""
    to_change: str = ""
    outcomes: list[OutcomeIn] = Field(default_factory=list, max_length=50)
    costs: list[CostIn] = Field(default_factory=list, max_length=50)
    follow_ups: list[FollowUpIn] = Field(default_factory=list, max_length=20)


class AfterActionOut(Schema):
    operation: int
    objectives_met: str
    outcomes: dict[str, int]
    hours: Decimal
    cost: Decimal
    follow_ups: int


def _checklist_out(operation: Operation) -> dict[str, Any]:
    found = checklist(operation)
    problems = review.approval_problems(operation, found)
    return {
        "operation": operation.pk,
        "status": operation.status,
        "passes": found.passes,
        "digest": found.digest,
        "approvable": operation.status == Operation.Status.IN_REVIEW and not problems,
        "problems": [p.line for p in problems],
        "items": [
            {
                "section": i.section,
                "key": i.key,
                "state": i.state,
                "title": i.title,
                "detail": i.detail,
                "citation": i.citation,
            }
            for i in found.items
        ],
    }


def _step_out(operation: Operation) -> dict[str, Any]:
    operation.refresh_from_db()
    return {
        "operation": operation.pk,
        "status": operation.status,
        "checklist_digest": checklist(operation).digest,
    }


def register(router: Router) -> None:
    """Add the review endpoints to the operations ``router``."""

    @router.get(
        "/{pk}/checklist", response=ChecklistOut, summary="The legal review checklist, computed"
    )
    def operation_checklist(request: HttpRequest, pk: Id) -> dict[str, Any]:
        operation = selectors.operation_get_for_user(user=api_actor(request), pk=pk)
        return _checklist_out(operation)

    @router.post("/{pk}/review", response=StepOut, summary="Start the legal review (counsel)")
    def operation_review_start(request: HttpRequest, pk: Id) -> dict[str, Any]:
        user = api_actor(request)
        operation = selectors.operation_get_for_user(user=user, pk=pk)
        return _step_out(review.operation_review_start(actor=user, operation=operation))

    @router.post("/{pk}/signoff", response=StepOut, summary="Sign off the checklist (counsel)")
    def operation_signoff(request: HttpRequest, pk: Id, payload: ReasonIn) -> dict[str, Any]:
        user = api_actor(request)
        operation = selectors.operation_get_for_user(user=user, pk=pk)
        review.operation_signoff(actor=user, operation=operation, reason=payload.reason)
        return _step_out(operation)

    @router.post(
        "/{pk}/approve",
        response=StepOut,
        summary="Approve (supervisor); refused while any checklist item blocks",
    )
    def operation_approve(request: HttpRequest, pk: Id, payload: ReasonIn) -> dict[str, Any]:
        user = api_actor(request)
        operation = selectors.operation_get_for_user(user=user, pk=pk)
        return _step_out(
            review.operation_approve(actor=user, operation=operation, reason=payload.reason)
        )

    @router.post("/{pk}/start", response=StepOut, summary="Start the approved operation")
    def operation_start(request: HttpRequest, pk: Id) -> dict[str, Any]:
        user = api_actor(request)
        operation = selectors.operation_get_for_user(user=user, pk=pk)
        return _step_out(review.operation_start(actor=user, operation=operation))

    @router.post("/{pk}/log", response={201: LogOut}, summary="Write in the execution log")
    def operation_log(request: HttpRequest, pk: Id, payload: LogIn) -> Status[Any]:
        user = api_actor(request)
        operation = selectors.operation_get_for_user(user=user, pk=pk)
        entry = review.operation_log(
            actor=user, operation=operation, text=payload.text, occurred_at=payload.occurred_at
        )
        return Status(
            201,
            {
                "id": entry.pk,
                "operation": operation.pk,
                "agency_id": entry.agency_id,
                "occurred_at": entry.occurred_at,
                "recorded_at": entry.recorded_at,
                "text": entry.text,
            },
        )

    @router.post("/{pk}/close", response=StepOut, summary="Close the active operation")
    def operation_close(request: HttpRequest, pk: Id, payload: ReasonIn) -> dict[str, Any]:
        user = api_actor(request)
        operation = selectors.operation_get_for_user(user=user, pk=pk)
        return _step_out(
            review.operation_close(actor=user, operation=operation, reason=payload.reason)
        )

    @router.post(
        "/{pk}/after-action",
        response={201: AfterActionOut},
        summary="Write the after-action review of a closed operation",
    )
    def operation_after_action(request: HttpRequest, pk: Id, payload: AfterActionIn) -> Status[Any]:
        user = api_actor(request)
        operation = selectors.operation_get_for_user(user=user, pk=pk)
        agencies = {
            a.pk: a for a in Agency.objects.filter(pk__in=[c.agency_id for c in payload.costs])
        }
        for n, c in enumerate(payload.costs):
            if c.agency_id not in agencies:
                raise ServiceError(
                    "Please correct the errors in the request.",
                    fields={f"costs[{n}].agency_id": ["No such agency."]},
                )
        fields = aar.ReviewFields(
            objectives_met=payload.objectives_met,
            objectives_assessment=payload.objectives_assessment,
            went_well=payload.went_well,
            to_change=payload.to_change,
            outcomes=[
                aar.OutcomeFields(
                    kind=o.kind, count=o.count, category=o.category, reference=o.reference
                )
                for o in payload.outcomes
            ],
            costs=[
                aar.CostFields(agency=agencies[c.agency_id], hours=c.hours, cost=c.cost)
                for c in payload.costs
            ],
            follow_ups=[
                aar.FollowUpFields(action=f.action, owner_id=f.owner_id, due_on=f.due_on)
                for f in payload.follow_ups
            ],
        )
        written = aar.after_action_review_write(actor=user, operation=operation, fields=fields)
        [row] = aar.evaluation([operation])
        return Status(
            201,
            {
                "operation": operation.pk,
                "objectives_met": written.objectives_met,
                "outcomes": row.outcomes,
                "hours": row.hours,
                "cost": row.cost,
                "follow_ups": written.follow_ups.count(),
            },
        )
