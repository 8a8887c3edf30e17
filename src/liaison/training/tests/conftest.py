"""Training tests act on the shared persona world (``liaison.personas``, root ``conftest.py``):
the BCA person is a Task Force Officer on HSI-TF, the supervisor works at BCA, the
coordinator at DPS (BCA's parent), the officer at MSP. ``catalog`` adds courses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from liaison.personas import World
from liaison.training import services
from liaison.training.models import Course, Requirement


@dataclass
class Catalog:
    ice: Course
    privacy: Course
    cfr: Course


@pytest.fixture
def catalog(world: World) -> Catalog:
    def course(code: str, title: str, **kw: Any) -> Course:
        return services.course_create(
            actor=None, fields=services.CourseFields(code=code, title=title, hours=Decimal(8), **kw)
        )

    return Catalog(
        ice=course(
            "ICE-287G",
            "ICE 287(g) task force officer course",
            validity_months=12,
            is_certification=True,
            certifying_body="ICE",
            passing_score=70,
        ),
        privacy=course("ST-PRIV", "Data privacy", validity_months=12),
        cfr=course(
            "CFR-23", "28 CFR Part 23", validity_months=24, attribute="28CFRCertificationIndicator"
        ),
    )


def require(course: Course, *, basis: str = Requirement.Basis.STATUTORY, **kw: Any) -> Requirement:
    values: dict[str, Any] = {"effective_from": date(2024, 1, 1)}
    values.update(kw)
    if "task_force" in values:
        values.setdefault("scope_kind", Requirement.Scope.TASK_FORCE)
    values.setdefault("scope_kind", Requirement.Scope.ROLE)
    return services.requirement_create(actor=None, course=course, basis=basis, **values)


def complete(person: Any, course: Course, on: date, *, verify: bool = True, **kw: Any) -> Any:
    c = services.completion_record(actor=None, person=person, course=course, completed_on=on, **kw)
    if verify:
        c = services.completion_verify(actor=None, completion=c)
    return c
