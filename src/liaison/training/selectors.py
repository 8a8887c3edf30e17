"""Training reads. Completions are seen through their person: whoever may see the person
(``directory.selectors.person_list_for_user``) sees their training; the catalog and
the requirements are reference data every signed-in staff user reads."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from liaison.core import access
from liaison.core.access import Relation
from liaison.core.errors import NotFound
from liaison.directory import scope
from liaison.directory.models import Person, TaskForceAssignment
from liaison.directory.selectors import person_list_for_user
from liaison.training import readiness
from liaison.training.models import Completion, CompletionImport, Course, Evaluation, Requirement


def course_list_for_user(
    *,
    user: Any,
    q: str = "",
    certification: bool | None = None,
    to_review: bool | None = None,
    active: bool | None = None,
) -> QuerySet[Course]:
    """The catalog, to any signed-in user; ``q`` searches code, title, provider and topics."""
    if not getattr(user, "is_authenticated", False):
        return Course.objects.none()
    qs = Course.objects.order_by("code")
    if q:
        qs = qs.filter(
            Q(code__icontains=q)
            | Q(title__icontains=q)
            | Q(provider__icontains=q)
            | Q(topics__icontains=q)
        )
    if certification is not None:
        qs = qs.filter(is_certification=certification)
    if to_review is not None:
        qs = qs.filter(to_review=to_review)
    if active is not None:
        qs = qs.filter(active=active)
    return qs


def courses(*, active_only: bool = False) -> QuerySet[Course]:
    """The course reference list by code, for choice fields (only the courses still offered
    with ``active_only``)."""
    qs = Course.objects.order_by("code")
    return qs.filter(active=True) if active_only else qs


def course_get_for_user(*, user: Any, pk: int) -> Course:
    course = course_list_for_user(user=user).filter(pk=pk).first()
    if course is None:
        raise NotFound()
    return course


def requirement_list_for_user(
    *,
    user: Any,
    scope: str = "",
    basis: str = "",
    course: int | None = None,
    in_effect: bool | None = None,
    on: date | None = None,
) -> QuerySet[Requirement]:
    """Every requirement, to any signed-in user; ``in_effect`` keeps those in force (or
    not) on ``on`` (today)."""
    if not getattr(user, "is_authenticated", False):
        return Requirement.objects.none()
    qs = Requirement.objects.select_related("course", "task_force").order_by(
        "scope", "course__code", "pk"
    )
    if scope:
        qs = qs.filter(scope=scope)
    if basis:
        qs = qs.filter(basis=basis)
    if course is not None:
        qs = qs.filter(course_id=course)
    if in_effect is not None:
        day = on or timezone.localdate()
        current = Q(effective_from__lte=day) & (
            Q(effective_until__isnull=True) | Q(effective_until__gte=day)
        )
        qs = qs.filter(current) if in_effect else qs.exclude(current)
    return qs


def requirement_get_for_user(*, user: Any, pk: int) -> Requirement:
    requirement = requirement_list_for_user(user=user).filter(pk=pk).first()
    if requirement is None:
        raise NotFound()
    return requirement


def completion_list_for_user(*, user: Any, person: int | None = None) -> QuerySet[Completion]:
    qs = Completion.objects.filter(person__in=person_list_for_user(user=user)).select_related(
        "course", "person", "verified_by", "entered_by"
    )
    if person is not None:
        qs = qs.filter(person_id=person)
    return qs.order_by("-completed_on", "pk")


def completion_get_for_user(*, user: Any, pk: int) -> Completion:
    """The completion, if its person is one ``user`` sees; ``NotFound`` otherwise."""
    completion = completion_list_for_user(user=user).filter(pk=pk).first()
    if completion is None:
        raise NotFound()
    return completion


def completion_import_get_for_user(*, user: Any, pk: int) -> CompletionImport:
    """An import, to the user who uploaded it (and admins)."""
    qs = CompletionImport.objects.filter(pk=pk)
    if getattr(user, "role", "") != "admin":
        qs = qs.filter(uploaded_by_id=getattr(user, "pk", None))
    found = qs.first()
    if found is None:
        raise NotFound()
    return found


def evaluation_summary(*, course: Course) -> dict[str, Any]:
    """Count, mean rating, the number of each rating (5 to 1) and the latest comments."""
    evaluations = list(Evaluation.objects.filter(completion__course=course).order_by("-created_at"))
    ratings = [e.rating for e in evaluations]
    return {
        "count": len(ratings),
        "mean": round(sum(ratings) / len(ratings), 1) if ratings else None,
        "by_rating": [(n, ratings.count(n)) for n in range(5, 0, -1)],
        "comments": [e.comments for e in evaluations if e.comments][:20],
    }


@dataclass(frozen=True)
class SupervisorQueue:
    """What waits for a supervisor in training: completions of their agencies' people to
    verify, and their people on a task force whose training expires within 30 days or
    has expired (each person with the statuses in that state)."""

    unverified: list[Completion]
    expiring: list[tuple[Person, list[readiness.Status]]]
    expired: list[tuple[Person, list[readiness.Status]]]


def supervisor_queue(*, user: Any, today: date | None = None) -> SupervisorQueue:
    """The queue of ``user`` (people of their own agencies, the ones they may verify);
    empty for anyone the rule ``training.completion.verify`` gives no own relation."""
    today = today or timezone.localdate()
    if Relation.OWN not in access.relations_for(user, "training.completion.verify"):
        return SupervisorQueue([], [], [])
    own = sorted(scope.own_agency_ids(user))
    unverified = list(
        Completion.objects.filter(verified_at__isnull=True, person__agency_id__in=own)
        .select_related("person", "course")
        .order_by("completed_on", "pk")
    )
    assigned = (
        TaskForceAssignment.objects.filter(person__agency_id__in=own, start_date__lte=today)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .values("person_id")
    )
    people = list(
        Person.objects.filter(pk__in=assigned).order_by("family_name", "given_name", "pk")
    )
    found = readiness.people_statuses(people, on=today)

    def having(state: str) -> list[tuple[Person, list[readiness.Status]]]:
        out = []
        for person in people:
            mine = [s for s in found[person.pk] if s.state == state]
            if mine:
                out.append((person, mine))
        return out

    return SupervisorQueue(
        unverified=unverified,
        expiring=having(readiness.EXPIRING),
        expired=having(readiness.EXPIRED),
    )
