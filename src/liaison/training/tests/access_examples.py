"""How the generated rule matrix tries each training action (see ``liaison.personas.Example``)."""

from __future__ import annotations

from datetime import date
from typing import Any

from liaison.personas import Example, World
from liaison.training import selectors as sel
from liaison.training import services as svc
from liaison.training.models import Completion, Course, Requirement

D = date(2025, 3, 1)


def _course(w: World) -> Course:
    found = Course.objects.filter(code="MATRIX-1").first()
    return found or svc.course_create(
        actor=None, fields=svc.CourseFields(code="MATRIX-1", title="Matrix course")
    )


def _policy(w: World) -> Requirement:
    found = Requirement.objects.filter(course=_course(w), role="Matrix role").first()
    return found or svc.requirement_create(
        actor=None,
        course=_course(w),
        scope_kind=Requirement.Scope.ROLE,
        role="Matrix role",
        basis=Requirement.Basis.POLICY,
        effective_from=D,
    )


def _none(w: World) -> list[Any]:
    return [None]


def _people(w: World) -> list[Any]:
    return list(w.people.values())


def _completions(w: World) -> list[Any]:
    course = _course(w)
    found = []
    for person in w.people.values():
        completion = Completion.objects.filter(person=person, course=course).first()
        found.append(
            completion
            or svc.completion_record(actor=None, person=person, course=course, completed_on=D)
        )
    return found


def _import(w: World) -> list[Any]:
    from liaison.training.models import CompletionImport

    return [CompletionImport.objects.create(file_name="x.csv", content="person,course,date\n")]


EXAMPLES: dict[str, Example] = {
    "training.course.view": Example(
        lambda w: [_course(w)],
        lambda w, u, r: sel.course_get_for_user(user=u, pk=r.pk),
        page=lambda r: f"/training/courses/{r.pk}/",
    ),
    "training.requirement.view": Example(
        lambda w: [_policy(w)],
        lambda w, u, r: sel.requirement_get_for_user(user=u, pk=r.pk),
    ),
    "training.completion.view": Example(
        _completions,
        lambda w, u, r: sel.completion_get_for_user(user=u, pk=r.pk),
    ),
    "training.completion_import.view": Example(
        _import,
        lambda w, u, r: sel.completion_import_get_for_user(user=u, pk=r.pk),
        page=lambda r: f"/training/imports/{r.pk}/",
    ),
    "training.course.create": Example(
        _none,
        lambda w, u, r: svc.course_create(
            actor=u, fields=svc.CourseFields(code="MATRIX-NEW", title="New course")
        ),
    ),
    "training.course.edit": Example(
        lambda w: [_course(w)],
        lambda w, u, r: svc.course_update(
            actor=u, course=r, fields=svc.CourseFields(code=r.code, title="Renamed course")
        ),
    ),
    "training.requirement.create": Example(
        _none,
        lambda w, u, r: svc.requirement_create(
            actor=u,
            course=_course(w),
            scope_kind=Requirement.Scope.ROLE,
            role="Analyst",
            basis=Requirement.Basis.POLICY,
            effective_from=D,
        ),
    ),
    "training.requirement.edit": Example(
        lambda w: [_policy(w)],
        lambda w, u, r: svc.requirement_end(
            actor=u, requirement=r, effective_until=date(2025, 12, 31)
        ),
    ),
    "training.completion.create": Example(
        _people,
        lambda w, u, r: svc.completion_record(
            actor=u, person=r, course=_course(w), completed_on=date(2025, 4, 1)
        ),
        page=lambda r: f"/training/people/{r.pk}/completions/new/",
    ),
    "training.completion.verify": Example(
        _completions,
        lambda w, u, r: svc.completion_verify(actor=u, completion=r),
    ),
    "training.override.create": Example(
        _people,
        lambda w, u, r: svc.override_grant(
            actor=u, person=r, requirement=_policy(w), reason="Class is full"
        ),
    ),
    "training.evaluation.create": Example(
        _completions,
        lambda w, u, r: svc.evaluation_submit(actor=u, completion=r, rating=4),
        page=lambda r: f"/training/completions/{r.pk}/evaluate/",
    ),
    "training.completion_import.create": Example(
        _none,
        lambda w, u, r: svc.completion_import_preview(
            actor=u, file_name="x.csv", content="person,course,date\nnobody,NOPE,2025-01-01\n"
        ),
        page=lambda r: "/training/imports/new/",
    ),
}
