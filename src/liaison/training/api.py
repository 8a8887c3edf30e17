"""Training endpoints under /api/v1/training/: the same selectors and services as the pages.

People and task forces are looked up through the directory's access selectors, so a
record out of scope answers 404 like a missing one. Readiness answers every
requirement with its status (``current``, ``expiring``, ``expired``, ``missing``,
``overridden``) and reason, and the person's GFIPM/NIEF training attributes.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Schema, Status
from ninja.pagination import paginate

from liaison.core.api import Id, Input, Pagination, Router, api_actor
from liaison.core.errors import ServiceError
from liaison.directory import selectors as directory
from liaison.training import readiness, selectors, services
from liaison.training.models import Completion, Course, Override

router = Router(app="training")


def _field_error(field: str) -> ServiceError:
    return ServiceError(
        "Please correct the errors in the request.",
        fields={field: ["No such record, or not one you may use."]},
    )


class CourseOut(Schema):
    id: int
    code: str
    title: str
    provider: str
    hours: Decimal
    modality: str
    topics: str
    validity_months: int | None
    is_certification: bool
    certifying_body: str
    passing_score: int | None
    attribute: str
    to_review: bool


class StatusOut(Schema):
    requirement_id: int
    course_code: str
    course_title: str
    applies_to: str
    basis: str
    overridable: bool
    state: str = Field(description="current, expiring, expired, missing or overridden")
    reason: str
    expires_on: date | None


class ReadinessOut(Schema):
    person_id: int
    as_of: date
    ready: bool = Field(description="No requirement expired or missing.")
    requirements: list[StatusOut]
    attributes: dict[str, Any] = Field(description="GFIPM/NIEF user attributes from training.")


class RosterLineOut(Schema):
    person_id: int
    role: str
    readiness: str
    requirements: list[StatusOut]


class TaskForceReadinessOut(Schema):
    task_force_id: int
    as_of: date
    people: list[RosterLineOut]


class CompletionIn(Input):
    person_id: int
    course_id: int
    completed_on: date
    hours: Decimal | None = Field(None, ge=0, le=10_000, decimal_places=1)
    score: int | None = Field(None, ge=0, le=100)


class CompletionOut(Schema):
    id: int
    person_id: int
    course_id: int
    completed_on: date
    hours: Decimal
    score: int | None
    expires_on: date | None
    verified: bool


class OverrideIn(Input):
    person_id: int
    requirement_id: int
    reason: str = Field(max_length=2000)
    valid_until: date | None = None


class OverrideOut(Schema):
    id: int
    person_id: int
    requirement_id: int
    granted_on: date
    valid_until: date | None


def _status_out(s: readiness.Status) -> dict[str, Any]:
    r = s.requirement
    return {
        "requirement_id": r.pk,
        "course_code": r.course.code,
        "course_title": r.course.title,
        "applies_to": r.applies_to,
        "basis": r.basis,
        "overridable": r.overridable,
        "state": s.state,
        "reason": s.reason,
        "expires_on": s.expires_on,
    }


def _completion_out(c: Completion) -> dict[str, Any]:
    return {
        "id": c.pk,
        "person_id": c.person_id,
        "course_id": c.course_id,
        "completed_on": c.completed_on,
        "hours": c.hours,
        "score": c.score,
        "expires_on": c.expires_on,
        "verified": c.verified,
    }


@router.get("/courses", response=list[CourseOut], summary="The course catalog")
@paginate(Pagination)
def course_list(request: HttpRequest) -> Any:
    return selectors.course_list_for_user(user=api_actor(request))


@router.get("/people/{pk}/readiness", response=ReadinessOut, summary="A person's readiness")
def person_readiness(request: HttpRequest, pk: Id) -> dict[str, Any]:
    person = directory.person_get_for_user(
        user=api_actor(request), pk=pk, reason="training readiness"
    )
    today = timezone.localdate()
    found = readiness.person_readiness(person=person, on=today)
    return {
        "person_id": person.pk,
        "as_of": today,
        "ready": not any(s.blocking for s in found),
        "requirements": [_status_out(s) for s in found],
        "attributes": readiness.training_attributes(person=person, on=today),
    }


@router.get(
    "/task-forces/{pk}/readiness",
    response=TaskForceReadinessOut,
    summary="Readiness of a task force's current roster",
)
def task_force_readiness(request: HttpRequest, pk: Id) -> dict[str, Any]:
    user = api_actor(request)
    task_force = directory.task_force_get_for_user(user=user, pk=pk)
    assignments = directory.task_force_assignment_list_for_user(
        user=user, task_force=task_force.pk, active=True
    )
    lines = readiness.task_force_readiness(task_force=task_force, assignments=list(assignments))
    return {
        "task_force_id": task_force.pk,
        "as_of": timezone.localdate(),
        "people": [
            {
                "person_id": line.assignment.person_id,
                "role": line.assignment.role,
                "readiness": line.overall,
                "requirements": [_status_out(s) for s in line.statuses],
            }
            for line in lines
        ],
    }


@router.post("/completions", response={201: CompletionOut}, summary="Record a completion")
def completion_create(request: HttpRequest, payload: CompletionIn) -> Status[dict[str, Any]]:
    user = api_actor(request)
    person = directory.person_list_for_user(user=user).filter(pk=payload.person_id).first()
    if person is None:
        raise _field_error("person_id")
    course: Course | None = (
        selectors.course_list_for_user(user=user).filter(pk=payload.course_id).first()
    )
    if course is None:
        raise _field_error("course_id")
    completion = services.completion_record(
        actor=user,
        person=person,
        course=course,
        completed_on=payload.completed_on,
        hours=payload.hours,
        score=payload.score,
    )
    return Status(201, _completion_out(completion))


@router.post(
    "/completions/{pk}/verify", response=CompletionOut, summary="Verify a completion (supervisor)"
)
def completion_verify(request: HttpRequest, pk: Id) -> dict[str, Any]:
    user = api_actor(request)
    completion = selectors.completion_get_for_user(user=user, pk=pk)
    return _completion_out(services.completion_verify(actor=user, completion=completion))


@router.post(
    "/overrides", response={201: OverrideOut}, summary="Override an agency-policy requirement"
)
def override_create(request: HttpRequest, payload: OverrideIn) -> Status[Override]:
    user = api_actor(request)
    person = directory.person_list_for_user(user=user).filter(pk=payload.person_id).first()
    if person is None:
        raise _field_error("person_id")
    requirement = (
        selectors.requirement_list_for_user(user=user).filter(pk=payload.requirement_id).first()
    )
    if requirement is None:
        raise _field_error("requirement_id")
    override = services.override_grant(
        actor=user,
        person=person,
        requirement=requirement,
        reason=payload.reason,
        valid_until=payload.valid_until,
    )
    return Status(201, override)
