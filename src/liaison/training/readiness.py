"""Readiness: which requirements apply to a person, and whether each is current.

Reads only. A requirement applies to a person who holds the role it names, is
assigned to its task force, or is nominated under its agreement (or an agreement of
its type), on a given day inside the requirement's effective dates. Its status for
that person on that day:

``current``
    a verified, passing completion of the course is current on that day and stays
    current beyond the next 30 days;
``expiring``
    it is current but its last day falls within 30 days;
``expired``
    the latest verified completion ended before that day;
``missing``
    no verified, passing completion (an unverified one is named in the reason);
``overridden``
    expired or missing, but a supervisor's override of this agency-policy
    requirement holds on that day.

Only ``expired`` and ``missing`` block an assignment or a nomination
(:mod:`liaison.training.gating`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from liaison.agreements.models import Agreement, NominatedPerson
from liaison.agreements.services.reminders import add_months
from liaison.core.dates import day_text
from liaison.directory.models import Person, TaskForce, TaskForceAssignment
from liaison.training.models import Completion, Course, Override, Requirement

EXPIRING_DAYS = 30
CURRENT, EXPIRING, EXPIRED, MISSING, OVERRIDDEN = (
    "current",
    "expiring",
    "expired",
    "missing",
    "overridden",
)
STATE_LABELS = {
    CURRENT: "Current",
    EXPIRING: f"Expiring within {EXPIRING_DAYS} days",
    EXPIRED: "Expired",
    MISSING: "Missing",
    OVERRIDDEN: "Overridden",
}
BLOCKING = frozenset({EXPIRED, MISSING})
ATTRIBUTE_28CFR = "28CFRCertificationIndicator"


def expiry_of(
    *, course: Course, completed_on: date, renewal_months: int | None = None
) -> date | None:
    """Last day a completion on ``completed_on`` is current: the course's validity (or the
    requirement's shorter renewal period) later, less a day; ``None`` if it never expires."""
    months = [m for m in (course.validity_months, renewal_months) if m]
    if not months:
        return None
    return add_months(completed_on, min(months)) - timedelta(days=1)


@dataclass(frozen=True)
class Status:
    """One requirement's status for one person on one day, with the reason in words."""

    requirement: Requirement
    state: str
    reason: str
    completion: Completion | None = None
    expires_on: date | None = None

    @property
    def blocking(self) -> bool:
        return self.state in BLOCKING

    @property
    def label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def line(self) -> str:
        """The status as one sentence naming the course, for refusals and reports."""
        course = self.requirement.course
        return f"{course.code} {course.title}: {self.reason}"


def _role_q(role: str) -> Q:
    return Q(role="") | Q(role__iexact=role)


def _in_effect_q(on: date) -> Q:
    return Q(effective_from__lte=on) & (
        Q(effective_until__isnull=True) | Q(effective_until__gte=on)
    )


def _requirements(q: Q, on: date) -> list[Requirement]:
    """Those matching ``q`` in effect on ``on``: statutory and contractual ones first, then
    agency policy, each by course code."""
    found = Requirement.objects.filter(q & _in_effect_q(on)).select_related("course", "task_force")
    return sorted(found, key=lambda r: (r.overridable, r.course.code, r.pk))


def _assignment_q(task_force: TaskForce | int, role: str) -> Q:
    tf_id = task_force if isinstance(task_force, int) else task_force.pk
    return (Q(scope=Requirement.Scope.TASK_FORCE, task_force_id=tf_id) & _role_q(role)) | Q(
        scope=Requirement.Scope.ROLE, role__iexact=role
    )


def _nomination_q(agreement: Agreement, function: str) -> Q:
    return (
        (Q(scope=Requirement.Scope.AGREEMENT, agreement_id=agreement.pk) & _role_q(function))
        | (
            Q(scope=Requirement.Scope.AGREEMENT_KIND, agreement_kind=agreement.kind)
            & _role_q(function)
        )
        | Q(scope=Requirement.Scope.ROLE, role__iexact=function)
    )


def requirements_for_assignment(*, task_force: TaskForce, role: str, on: date) -> list[Requirement]:
    """Requirements in effect on ``on`` for ``role`` on ``task_force``."""
    return _requirements(_assignment_q(task_force, role), on)


def requirements_for_nomination(
    *, agreement: Agreement, function: str, on: date
) -> list[Requirement]:
    """Requirements in effect on ``on`` for ``function`` under ``agreement``."""
    return _requirements(_nomination_q(agreement, function), on)


def _current_assignments(person_ids: Iterable[int], on: date) -> QuerySet[TaskForceAssignment]:
    return TaskForceAssignment.objects.filter(
        person_id__in=list(person_ids), start_date__lte=on
    ).filter(Q(end_date__isnull=True) | Q(end_date__gte=on))


def _current_nominations(person_ids: Iterable[int]) -> QuerySet[NominatedPerson]:
    return NominatedPerson.objects.filter(
        person_id__in=list(person_ids), removed_on__isnull=True
    ).select_related("agreement")


def _role_matches(requirement: Requirement, role: str) -> bool:
    return not requirement.role or requirement.role.lower() == role.lower()


def applies_to_assignment(requirement: Requirement, *, task_force_id: int, role: str) -> bool:
    """Whether ``requirement`` applies to ``role`` on the task force ``task_force_id``."""
    if requirement.scope == Requirement.Scope.TASK_FORCE:
        return requirement.task_force_id == task_force_id and _role_matches(requirement, role)
    return requirement.scope == Requirement.Scope.ROLE and _role_matches(requirement, role)


def applies_to_nomination(requirement: Requirement, *, agreement: Agreement, function: str) -> bool:
    """Whether ``requirement`` applies to ``function`` under ``agreement``."""
    scope = requirement.scope
    if scope == Requirement.Scope.AGREEMENT:
        return requirement.agreement_id == agreement.pk and _role_matches(requirement, function)
    if scope == Requirement.Scope.AGREEMENT_KIND:
        return requirement.agreement_kind == agreement.kind and _role_matches(requirement, function)
    return scope == Requirement.Scope.ROLE and _role_matches(requirement, function)


def requirements_for_people(people: Sequence[Person], *, on: date) -> dict[int, list[Requirement]]:
    """Every requirement in effect on ``on`` for each person, from their current
    assignments (role and task force) and nominations; three queries in all."""
    ids = [p.pk for p in people]
    assignments = list(_current_assignments(ids, on))
    nominations = list(_current_nominations(ids))
    found: dict[int, list[Requirement]] = {pk: [] for pk in ids}
    if not assignments and not nominations:
        return found
    union = Q(pk__in=[])
    for a in assignments:
        union |= _assignment_q(a.task_force_id, a.role)
    for n in nominations:
        union |= _nomination_q(n.agreement, n.function)
    for r in _requirements(union, on):
        for pk in ids:
            mine = any(
                applies_to_assignment(r, task_force_id=a.task_force_id, role=a.role)
                for a in assignments
                if a.person_id == pk
            ) or any(
                applies_to_nomination(r, agreement=n.agreement, function=n.function)
                for n in nominations
                if n.person_id == pk
            )
            if mine:
                found[pk].append(r)
    return found


@dataclass
class _Records:
    completions: dict[tuple[int, int], list[Completion]]
    overrides: dict[tuple[int, int], list[Override]]


def _records(person_ids: Iterable[int], requirements: Iterable[Requirement]) -> _Records:
    reqs = list(requirements)
    course_ids = {r.course_id for r in reqs}
    ids = list(person_ids)
    completions: dict[tuple[int, int], list[Completion]] = defaultdict(list)
    for c in Completion.objects.filter(person_id__in=ids, course_id__in=course_ids).select_related(
        "course"
    ):
        completions[(c.person_id, c.course_id)].append(c)
    overrides: dict[tuple[int, int], list[Override]] = defaultdict(list)
    for o in Override.objects.filter(person_id__in=ids, requirement__in=[r.pk for r in reqs]):
        overrides[(o.person_id, o.requirement_id)].append(o)
    return _Records(completions=completions, overrides=overrides)


def _status(requirement: Requirement, person_id: int, on: date, records: _Records) -> Status:
    course = requirement.course
    mine = records.completions.get((person_id, course.pk), [])
    counted = [c for c in mine if c.verified and c.passed and c.completed_on <= on]
    best: Completion | None = None
    best_end: date | None = None
    for c in counted:
        end = expiry_of(
            course=course, completed_on=c.completed_on, renewal_months=requirement.renewal_months
        )
        if best is None or end is None or (best_end is not None and end > best_end):
            best, best_end = c, end
            if end is None:
                break
    if best is not None and (best_end is None or best_end >= on):
        if best_end is not None and best_end <= on + timedelta(days=EXPIRING_DAYS):
            return Status(
                requirement, EXPIRING, f"expires after {day_text(best_end)}.", best, best_end
            )
        until = f"current until {day_text(best_end)}." if best_end else "current (does not expire)."
        return Status(requirement, CURRENT, until[0].upper() + until[1:], best, best_end)
    if best is not None:
        state, reason = EXPIRED, f"expired after {day_text(best_end)}."  # type: ignore[arg-type]
    else:
        pending = [c for c in mine if not c.verified and c.completed_on <= on]
        failed = [c for c in mine if c.verified and not c.passed]
        if pending:
            reason = f"completion of {day_text(pending[0].completed_on)} is not verified yet."
        elif failed:
            reason = f"score below the passing score of {course.passing_score}."
        else:
            reason = "no verified completion."
        state = MISSING
    reason = reason[0].upper() + reason[1:]
    if requirement.overridable:
        held = [o for o in records.overrides.get((person_id, requirement.pk), []) if o.holds(on)]
        if held:
            return Status(
                requirement,
                OVERRIDDEN,
                f"{reason} Overridden by a supervisor on {day_text(held[0].granted_on)}.",
                best,
                best_end,
            )
        reason += " Agency policy: a supervisor may override it with a reason."
    else:
        reason += f" {requirement.get_basis_display().split(' (')[0]}: no override."
    return Status(requirement, state, reason, best, best_end)


def statuses(*, person: Person, requirements: Sequence[Requirement], on: date) -> list[Status]:
    """The status of each of ``requirements`` for ``person`` on ``on``."""
    records = _records([person.pk], requirements)
    return [_status(r, person.pk, on, records) for r in requirements]


def person_readiness(*, person: Person, on: date | None = None) -> list[Status]:
    """Every requirement that applies to ``person`` on ``on`` (today), with its status."""
    on = on or timezone.localdate()
    requirements = requirements_for_people([person], on=on)[person.pk]
    return statuses(person=person, requirements=requirements, on=on)


@dataclass(frozen=True)
class RosterLine:
    """One assigned person of a task force, and the status of each requirement for them."""

    assignment: TaskForceAssignment
    statuses: list[Status]

    @property
    def overall(self) -> str:
        states = {s.state for s in self.statuses}
        for state in (MISSING, EXPIRED, EXPIRING, OVERRIDDEN):
            if state in states:
                return state
        return CURRENT

    @property
    def overall_label(self) -> str:
        return STATE_LABELS[self.overall] if self.statuses else "No requirement"


def task_force_readiness(
    *, task_force: TaskForce, assignments: Sequence[TaskForceAssignment], on: date | None = None
) -> list[RosterLine]:
    """The readiness of the task force's current ``assignments`` (those the reader sees):
    the requirements of each person's role on this task force."""
    on = on or timezone.localdate()
    current = [
        a for a in assignments if a.start_date <= on and (a.end_date is None or a.end_date >= on)
    ]
    union = Q(pk__in=[])
    for a in current:
        union |= _assignment_q(task_force.pk, a.role)
    reqs = _requirements(union, on) if current else []
    records = _records([a.person_id for a in current], reqs)
    lines = []
    for a in current:
        mine = [
            r for r in reqs if applies_to_assignment(r, task_force_id=task_force.pk, role=a.role)
        ]
        lines.append(RosterLine(a, [_status(r, a.person_id, on, records) for r in mine]))
    return lines


def person_for_subject(subject: object) -> Person | None:
    """The person ``subject`` is: a ``Person``, or the active person whose work e-mail is a
    signed-in user's."""
    if isinstance(subject, Person):
        return subject
    email = getattr(subject, "email", "")
    agency_id = getattr(subject, "agency_id", None)
    if not email or agency_id is None:
        return None
    return (
        Person.objects.filter(email__iexact=email, agency_id=agency_id, active_until__isnull=True)
        .order_by("pk")
        .first()
    )


def training_attributes(*, person: Person, on: date | None = None) -> dict[str, Any]:
    """GFIPM/NIEF user attributes from the person's current, verified, passing completions:
    each attribute a catalog course names is ``True`` while such a completion of it is
    current, else ``False`` (``28CFRCertificationIndicator`` is always answered)."""
    on = on or timezone.localdate()
    named = list(Course.objects.exclude(attribute="").values_list("attribute", flat=True))
    found: dict[str, Any] = {name: False for name in [ATTRIBUTE_28CFR, *named]}
    for c in (
        Completion.objects.filter(person=person, verified_at__isnull=False, completed_on__lte=on)
        .exclude(course__attribute="")
        .select_related("course")
    ):
        if c.passed and (c.expires_on is None or c.expires_on >= on):
            found[c.course.attribute] = True
    return found


def person_training_attributes(subject: object) -> dict[str, Any]:
    """The attribute source training registers in :mod:`liaison.core.attributes`."""
    person = person_for_subject(subject)
    return training_attributes(person=person) if person is not None else {}


def people_statuses(people: Sequence[Person], *, on: date) -> dict[int, list[Status]]:
    """Each person's statuses on ``on``, as :func:`person_readiness` answers them, in a fixed
    number of queries whatever the number of people (for queues and reports)."""
    required = requirements_for_people(people, on=on)
    every = {r.pk: r for reqs in required.values() for r in reqs}
    records = _records([p.pk for p in people], every.values())
    return {pk: [_status(r, pk, on, records) for r in reqs] for pk, reqs in required.items()}
