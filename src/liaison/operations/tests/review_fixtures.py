"""Helpers for the review tests: an operation of BCA's (with an HSI participant and a
BCA officer) covered by an active HSI–BCA agreement, in a window ahead of today."""

from __future__ import annotations

from datetime import date
from typing import Any

from liaison.agreements import services as agreements
from liaison.agreements.models import Activity, Agreement
from liaison.core.roles import Role
from liaison.operations import review, services
from liaison.operations.models import Operation
from liaison.operations.plans import PLAN_FORMAT, validate_plan
from liaison.personas import World
from liaison.training.models import Course, Requirement

ST_PAUL = (44.9537, -93.0900)
WINDOW = {"start": "2027-03-01T12:00:00Z", "end": "2027-03-01T16:00:00Z"}


def activity(code: str) -> Activity:
    return Activity.objects.get(code=code)


def active_agreement(
    world: World, *, activities: tuple[str, ...] = ("joint_investigation",)
) -> Agreement:
    fields = agreements.AgreementFields(
        title="HSI–BCA task force MOU",
        kind="task_force_mou",
        effective_date=date(2025, 1, 1),
        expiry_date=date(2028, 12, 31),
        termination_notice_days=30,
        parties=[(world.agencies["HSI"], "federal_party"), (world.agencies["BCA"], "state_party")],
        activities=[activity(a) for a in activities],
        data_categories=[],
        purposes=[],
    )
    agreement = agreements.agreement_create(
        actor=None, owner_agency=world.agencies["BCA"], fields=fields
    )
    agreements.agreement_submit_for_review(actor=None, agreement=agreement)
    agreements.agreement_review(actor=None, agreement=agreement, approve=True)
    for party in agreement.parties.all():
        agreements.agreement_record_signature(
            actor=None,
            agreement=agreement,
            agency=party.agency,
            name="Signing Official",
            title="Director",
            signed_on=date(2024, 12, 15),
        )
    agreements.agreement_activate(actor=None, agreement=agreement)
    agreement.refresh_from_db()
    return agreement


def people(world: World) -> dict[str, Any]:
    return {
        "coordinator": world.persona(Role.COORDINATOR, "BCA"),
        "counsel": world.persona(Role.LEGAL_COUNSEL, "BCA"),
        "supervisor": world.users[Role.SUPERVISOR],  # BCA
        "officer": world.persona(Role.OFFICER, "BCA"),
    }


def plan(
    world: World,
    *,
    lead: str = "BCA",
    activities: tuple[str, ...] = ("joint_investigation",),
    **overrides: Any,
) -> Operation:
    data: dict[str, Any] = {
        "format": PLAN_FORMAT,
        "name": "Operation Review",
        "lead_agency": lead,
        "status": "planned",
        "window": WINDOW,
        "locations": [{"lat": ST_PAUL[0], "lon": ST_PAUL[1], "radius_m": 300}],
        "subjects": [],
    }
    data.update(overrides)
    actor = world.persona(Role.COORDINATOR, lead)
    operation = services.operation_create(
        actor=actor,
        plan=validate_plan(data),
        details=services.OperationDetails(
            activities=[activity(a) for a in activities],
            objectives="Execute the search warrant safely.",
            contact_phone="651-555-0101",
        ),
    )
    return operation


def in_review(world: World, **kwargs: Any) -> Operation:
    """BCA's operation with a BCA officer and HSI taking part, submitted and in review."""
    p = people(world)
    operation = plan(world, **kwargs)
    services.operation_participant_add(
        actor=p["coordinator"],
        operation=operation,
        agency=world.agencies["BCA"],
        person=world.people["BCA"],
        role="Task Force Officer",
    )
    services.operation_participant_add(
        actor=p["coordinator"], operation=operation, agency=world.agencies["HSI"], role="Support"
    )
    services.operation_submit(actor=p["coordinator"], operation=operation)
    return review.operation_review_start(actor=p["counsel"], operation=operation)


def tfo_requirement(world: World) -> Requirement:
    course = Course.objects.create(
        code="TFO-1", title="Task force officer orientation", provider="ICE"
    )
    return Requirement.objects.create(
        course=course,
        scope=Requirement.Scope.TASK_FORCE,
        task_force=world.task_forces["HSI-TF"],
        role="Task Force Officer",
        basis=Requirement.Basis.CONTRACTUAL,
        effective_from=date(2024, 1, 1),
    )
