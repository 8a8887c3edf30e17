"""Gating: the guards training registers at the directory's and agreements' guard points.

An assignment to a task force, or a nomination under an agreement, is refused when a
requirement in effect on its first day is expired or missing for the person
(:mod:`liaison.training.readiness`): the refusal lists every such course with the
reason. A statutory or contractual requirement admits no override; an agency-policy
one is satisfied by a supervisor's override (:func:`~liaison.training.services.override_grant`)
that holds on that day. The directory and agreements never import this module:
``TrainingConfig.ready()`` registers it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from liaison.core.dates import day_text
from liaison.core.guards import Refused
from liaison.training import readiness, services
from liaison.training.error_codes import TrainingErrorCode
from liaison.training.models import Requirement


def _check(*, person: Any, requirements: Sequence[Requirement], on: date) -> dict[str, Any] | None:
    if not requirements:
        return None
    found = readiness.statuses(person=person, requirements=requirements, on=on)
    blocking = [s for s in found if s.blocking]
    if blocking:
        overridable = any(s.requirement.overridable for s in blocking)
        courses = ", ".join(
            f"{s.requirement.course.code} {s.requirement.course.title}" for s in blocking
        )
        message = f"Required training is not current for {person} on {day_text(on)}: {courses}."
        if overridable:
            message += (
                " Record and verify the completions, or have a supervisor override "
                "the agency-policy ones."
            )
        raise Refused(
            message,
            code=TrainingErrorCode.TRAINING_NOT_CURRENT,
            fields={"person": [s.line for s in blocking]},
        )
    return {
        "checked": sorted(s.requirement.course.code for s in found),
        "overridden": sorted(s.requirement.pk for s in found if s.state == readiness.OVERRIDDEN),
    }


def assignment_guard(
    *, actor: Any, person: Any, task_force: Any, role: str, start_date: date, end_date: date | None
) -> dict[str, Any] | None:
    """At ``directory.task_force_assignment_create``: the task force's and the role's
    requirements must be current on the first day of the assignment."""
    requirements = readiness.requirements_for_assignment(
        task_force=task_force, role=role, on=start_date
    )
    return _check(person=person, requirements=requirements, on=start_date)


def nomination_guard(
    *, actor: Any, agreement: Any, person: Any, function: str, nominated_on: date
) -> dict[str, Any] | None:
    """At ``agreements.agreement_nominate_person``: the agreement's, its type's and the
    function's requirements must be current on the day of the nomination."""
    requirements = readiness.requirements_for_nomination(
        agreement=agreement, function=function, on=nominated_on
    )
    return _check(person=person, requirements=requirements, on=nominated_on)


def agreement_requirement_guard(*, actor: Any, agreement: Any, requirement: Any) -> dict[str, Any]:
    """At ``agreements.agreement_training_requirement_add``: link the row's free-text
    course to the catalog, as a contractual requirement of the agreement."""
    linked = services.requirement_from_agreement(actor=actor, agreement=agreement, row=requirement)
    return {"course": linked.course.code, "requirement": linked.pk}
