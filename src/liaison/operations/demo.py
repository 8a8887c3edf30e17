"""Demo operations: one in every state of the lifecycle, led by the supervisor's agency
(BCA in Minnesota, DCI in Wisconsin) with the federal task-force partner and a trained
officer taking part; a city police operation next to one of them (a conflict between
two agencies, neither side acknowledged); and one in legal review whose approval is
blocked because its officer's required training is missing.

Idempotent: each operation by name; a second run adds nothing. Everything goes
through the services, so the demo's operations are in the ledger. Runs after the
training demo, whose officers and requirements it uses.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.utils import timezone

from liaison.accounts.models import User
from liaison.agreements.models import Activity
from liaison.core.roles import Role
from liaison.directory.models import Agency, Person
from liaison.operations import aar, review, services
from liaison.operations.models import Operation
from liaison.operations.plans import PLAN_FORMAT, validate_plan


@dataclass(frozen=True)
class Cast:
    lead: str  # the supervisor's agency
    federal: str
    city: str  # a city police department (the other side of the conflict)
    places: tuple[tuple[float, float], ...]  # lat, lon near the state's main cities


CASTS = {
    "MN": Cast("BCA", "HSI-SPM", "MPD", ((44.9537, -93.0900), (44.9778, -93.2650))),
    "WI": Cast("DCI", "HSI-MKE", "MPD-WI", ((43.0731, -89.4012), (43.0389, -87.9065))),
}
# name, status to reach, days from now to the start, hours long, place, officer (badge
# suffix: TRN-1 is current, TRN-4 missing, in the training demo).
PLANS: list[tuple[str, str, float, int, int, str]] = [
    ("Operation Spring Thaw", "planned", 21, 6, 0, "TRN-1"),
    ("Operation Northern Lights", "submitted", 14, 8, 1, "TRN-1"),
    ("Operation Blue Heron", "in_review", 10, 6, 0, "TRN-4"),
    ("Operation Granite", "approved", 7, 4, 0, "TRN-1"),
    ("Operation Riverside", "active", -0.1, 8, 0, "TRN-1"),
    ("Operation Harvest Moon", "closed", -30, 10, 1, "TRN-1"),
    ("Operation Lakeshore", "cancelled", 40, 4, 1, "TRN-1"),
]
ORDER = ["planned", "submitted", "in_review", "approved", "active", "closed"]


def _user(role: Role) -> User | None:
    return User.objects.filter(username=role.value).first()


def _plan(
    name: str, lead: Agency, start: datetime, hours: int, place: tuple[float, float]
) -> object:
    return validate_plan(
        {
            "format": PLAN_FORMAT,
            "name": name,
            "lead_agency": lead.pk,
            "window": {
                "start": start.isoformat(),
                "end": (start + timedelta(hours=hours)).isoformat(),
            },
            "locations": [{"lat": place[0], "lon": place[1], "radius_m": 400}],
            "subjects": [{"kind": "plate", "value": f"DEMO {sum(map(ord, name)):04d}"}],
        }
    )


def _advance(operation: Operation, target: str, logger: User) -> None:
    for status in ORDER[ORDER.index("planned") + 1 : ORDER.index(target) + 1]:
        if status == "submitted":
            services.operation_submit(actor=None, operation=operation)
        elif status == "in_review":
            review.operation_review_start(actor=None, operation=operation)
        elif status == "approved":
            review.operation_signoff(
                actor=None,
                operation=operation,
                reason="Covered by the task force MOU; no city property used.",
            )
            review.operation_approve(actor=None, operation=operation)
        elif status == "active":
            review.operation_start(actor=None, operation=operation)
            review.operation_log(actor=logger, operation=operation, text="Teams in position.")
        elif status == "closed":
            review.operation_close(actor=None, operation=operation, reason="Warrant served.")


def load(*, state: str, scale: int, rng: random.Random) -> list[str]:
    """Create the operations demo of ``state`` once; return one summary line."""
    cast = CASTS[state]
    lead = Agency.objects.get(abbreviation=cast.lead)
    federal = Agency.objects.get(abbreviation=cast.federal)
    city = Agency.objects.get(abbreviation=cast.city)
    contact = _user(Role.SUPERVISOR)
    if contact is None:
        return ["operations: no demo accounts, nothing loaded"]
    activity = Activity.objects.get(code="joint_investigation")
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    created = 0
    for name, status, days, hours, place, badge in PLANS:
        if Operation.objects.filter(name=name).exists():
            continue
        start = now + timedelta(days=days)
        operation = services.operation_create(
            actor=None,
            plan=_plan(name, lead, start, hours, cast.places[place]),  # type: ignore[arg-type]
            details=services.OperationDetails(
                objectives="Serve search warrants on the trafficking network's stash houses "
                "and recover evidence, with no injuries.",
                point_of_contact=contact,
                contact_phone="651-555-0140",
                activities=[activity],
            ),
        )
        person = Person.objects.filter(badge_number=f"{cast.lead}-TRN-{badge[-1]}").first()
        services.operation_participant_add(
            actor=None, operation=operation, agency=federal, role="Case agent"
        )
        if person is not None:
            services.operation_participant_add(
                actor=None,
                operation=operation,
                agency=lead,
                person=person,
                role="Task Force Officer",
            )
        if status == "cancelled":
            services.operation_cancel(actor=None, operation=operation, reason="Target moved.")
        else:
            _advance(operation, status, contact)
        if status == "closed":
            _after_action(operation, lead, federal, contact)
        created += 1
    if not Operation.objects.filter(lead_agency=city).exists():
        poc = _user(Role.INVESTIGATOR) or contact
        services.operation_create(
            actor=None,
            plan=_plan(
                f"{city.abbreviation} neighbourhood warrant sweep",
                city,
                now + timedelta(days=14, hours=2),
                6,
                cast.places[1],
            ),  # type: ignore[arg-type]
            details=services.OperationDetails(
                objectives="Serve outstanding warrants in the precinct.",
                point_of_contact=poc,
                contact_phone="612-555-0199",
                activities=[activity],
            ),
        )
        created += 1
    return [
        f"operations: {Operation.objects.count()} operations ({created} new), one in every "
        "state, a conflict between two agencies and an approval blocked by training"
    ]


def _after_action(operation: Operation, lead: Agency, federal: Agency, owner: User) -> None:
    review_fields = aar.ReviewFields(
        objectives_met="partly",
        objectives_assessment="Two of three warrants served; evidence recovered.",
        went_well="Joint briefing and a single radio channel.",
        to_change="Confirm the third address the day before.",
        outcomes=[
            aar.OutcomeFields(kind="arrest", count=3, category="Human trafficking"),
            aar.OutcomeFields(kind="seizure", count=2, category="Cash and phones"),
            aar.OutcomeFields(kind="complaint", count=1, reference=None),
        ],
        costs=[
            aar.CostFields(agency=lead, hours=Decimal(64), cost=Decimal("4200.00")),
            aar.CostFields(agency=federal, hours=Decimal(40), cost=Decimal("2600.00")),
        ],
        follow_ups=[
            aar.FollowUpFields(
                action="Brief the county attorney on the evidence",
                owner_id=owner.pk,
                due_on=timezone.localdate() + timedelta(days=5),
            )
        ],
    )
    aar.after_action_review_write(actor=owner, operation=operation, fields=review_fields)
