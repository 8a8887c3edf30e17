"""Demo training: a catalog for the state, the requirements of its first task force, and
people of the supervisor's agency in every readiness state, plus one officer whose
assignment to that task force is refused (a training gap).

Idempotent: courses by code, requirements by course and task force, completions by
their natural key, assignments by person and task force; a second run adds nothing.
Everything goes through the services, so the demo's training is in the ledger.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from liaison.directory import services as directory
from liaison.directory.demo import TASK_FORCES
from liaison.directory.models import Agency, Person, TaskForce, TaskForceAssignment
from liaison.training import services
from liaison.training.models import Completion, Course, Evaluation, Override, Requirement

ROLE = "Task Force Officer"

# (code, title, provider, hours, modality, topics, validity months, certifying body,
#  passing score, attribute)
FEDERAL = [
    (
        "HSI-TFO",
        "HSI task force officer orientation",
        "ICE/FLETC",
        "40",
        "classroom",
        "Customs and immigration authorities, case procedure",
        12,
        "ICE",
        70,
        "",
    ),
    (
        "CFR-23",
        "28 CFR Part 23 criminal intelligence systems",
        "BJA",
        "4",
        "online",
        "Criminal intelligence, privacy",
        24,
        "",
        None,
        "28CFRCertificationIndicator",
    ),
]
STATE = {
    "MN": ("MN", "Minnesota POST Board"),
    "WI": ("WI", "Wisconsin Law Enforcement Standards Board"),
}
STATE_COURSES = [
    ("PRIV", "Data privacy", "2", "online", "Data practices, sharing limits", 12),
    ("CIVR", "Civil rights", "4", "classroom", "Equal protection, bias-free policing", 24),
    ("UOF", "Use of force and de-escalation", "8", "exercise", "Force options, de-escalation", 12),
    ("CULT", "Cultural competency", "4", "classroom", "Communities of the state", None),
    ("LANG", "Language access", "2", "online", "Interpreters, translated notices", None),
]
SUPERVISOR_AGENCY = {"MN": "BCA", "WI": "DCI"}


def _course(code: str, **fields: object) -> Course:
    """The catalog course ``code``; a course an agreement's training row made with this
    title ("to review") is reviewed into it."""
    found = Course.objects.filter(code=code).first()
    if found is not None:
        return found
    made = Course.objects.filter(title__iexact=str(fields["title"]), to_review=True).first()
    if made is not None:
        return services.course_update(
            actor=None,
            course=made,
            fields=services.CourseFields(code=code, **fields),  # type: ignore[arg-type]
        )
    return services.course_create(
        actor=None,
        fields=services.CourseFields(code=code, **fields),  # type: ignore[arg-type]
    )


def _catalog(state: str) -> dict[str, Course]:
    courses = {}
    for code, title, provider, hours, modality, topics, months, body, passing, attr in FEDERAL:
        courses[code] = _course(
            code,
            title=title,
            provider=provider,
            hours=Decimal(hours),
            modality=modality,
            topics=topics,
            validity_months=months,
            is_certification=bool(body),
            certifying_body=body,
            passing_score=passing,
            attribute=attr,
        )
    prefix, board = STATE[state]
    for code, title, hours, modality, topics, validity in STATE_COURSES:
        key = f"{prefix}-{code}"
        courses[code] = _course(
            key,
            title=f"{title} ({prefix})",
            provider=board,
            hours=Decimal(hours),
            modality=modality,
            topics=topics,
            validity_months=validity,
        )
    return courses


def _requirement(course: Course, task_force: TaskForce | None, **fields: object) -> Requirement:
    found = Requirement.objects.filter(course=course, task_force=task_force).first()
    if found is not None:
        return found
    return services.requirement_create(
        actor=None,
        course=course,
        task_force=task_force,
        **fields,  # type: ignore[arg-type]
    )


def _complete(person: Person, course: Course, on: date, *, verify: bool = True) -> Completion:
    found = Completion.objects.filter(person=person, course=course, completed_on=on).first()
    if found is None:
        found = services.completion_record(
            actor=None, person=person, course=course, completed_on=on, score=88
        )
    if verify and not found.verified:
        found = services.completion_verify(actor=None, completion=found)
    return found


CAST = [
    ("Ana", "Lindgren", "current"),
    ("Ben", "Okafor", "expiring"),
    ("Carla", "Reyes", "expired"),
    ("Dev", "Patel", "missing"),
    ("Erin", "Moua", "unverified"),
    ("Farah", "Hassan", "overridden"),
    ("Gus", "Nilsen", "untrained"),
]


def cast(state: str, task_force: TaskForce) -> tuple[list[Person], Person]:
    """The six officers of the supervisor's agency who show the readiness states, and the
    seventh, untrained, whose assignment the training gap blocks (made once)."""
    agency = Agency.objects.get(abbreviation=SUPERVISOR_AGENCY[state])
    people = []
    for n, (given, family, _) in enumerate(CAST, start=1):
        badge = f"{agency.abbreviation}-TRN-{n}"
        person = Person.objects.filter(agency=agency, badge_number=badge).first()
        if person is None:
            person = directory.person_create(
                actor=None,
                agency=agency,
                given_name=given,
                family_name=family,
                title="Special Agent",
                badge_number=badge,
                active_from=date(2019, 1, 7),
            )
        people.append(person)
    return people[:6], people[6]


def load(*, state: str, scale: int, rng: random.Random) -> list[str]:
    """Create the training demo of ``state`` once; return one summary line."""
    today = timezone.localdate()
    courses = _catalog(state)
    task_force = TaskForce.objects.get(name=TASK_FORCES[state][0].name)
    ice = _requirement(
        courses["HSI-TFO"],
        task_force,
        scope_kind=Requirement.Scope.TASK_FORCE,
        basis=Requirement.Basis.CONTRACTUAL,
        effective_from=today,
        citation="Task force MOU, training section",
    )
    privacy = _requirement(
        courses["PRIV"],
        None,
        scope_kind=Requirement.Scope.ROLE,
        role=ROLE,
        basis=Requirement.Basis.POLICY,
        effective_from=today,
        citation="State data practices policy",
    )
    people, gap = cast(state, task_force)
    current, expiring, expired, missing, unverified, overridden = people
    for person in people:
        if not TaskForceAssignment.objects.filter(person=person, task_force=task_force).exists():
            # Assigned before the requirements took effect: not gated.
            directory.task_force_assignment_create(
                actor=None,
                person=person,
                task_force=task_force,
                role=ROLE,
                start_date=today - timedelta(days=200),
            )
    recent = today - timedelta(days=20)
    for person in (current, overridden):
        _complete(person, courses["HSI-TFO"], recent)
    _complete(current, courses["PRIV"], recent)
    _complete(current, courses["CFR-23"], recent)
    _complete(expiring, courses["HSI-TFO"], today - timedelta(days=350))
    _complete(expiring, courses["PRIV"], recent)
    _complete(expired, courses["HSI-TFO"], today - timedelta(days=400))
    _complete(expired, courses["PRIV"], recent)
    _complete(missing, courses["PRIV"], recent)
    _complete(unverified, courses["HSI-TFO"], recent, verify=False)
    _complete(unverified, courses["PRIV"], recent)
    if not Override.objects.filter(person=overridden, requirement=privacy).exists():
        services.override_grant(
            actor=None,
            person=overridden,
            requirement=privacy,
            reason="Enrolled in the next data privacy class.",
            valid_until=today + timedelta(days=45),
        )
    for completion, rating, comment in [
        (
            Completion.objects.get(person=current, course=courses["HSI-TFO"], completed_on=recent),
            5,
            "Clear and practical.",
        ),
        (
            Completion.objects.get(
                person=overridden, course=courses["HSI-TFO"], completed_on=recent
            ),
            4,
            "Good case studies; long days.",
        ),
        (
            Completion.objects.get(person=current, course=courses["PRIV"], completed_on=recent),
            3,
            "",
        ),
    ]:
        if not Evaluation.objects.filter(completion=completion).exists():
            services.evaluation_submit(
                actor=None, completion=completion, rating=rating, comments=comment
            )
    del ice, rng, scale
    return [
        f"training: {Course.objects.count()} courses, {Requirement.objects.count()} requirements, "
        f"{Completion.objects.count()} completions; on {task_force.name} one person is current, "
        "one expiring, one expired, one missing, one unverified, one overridden; assigning "
        f"{gap} there is refused until their training is recorded and verified"
    ]
