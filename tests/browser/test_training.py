"""Training gating in a real browser: a supervisor tries to assign an untrained officer,
sees what is missing, records the completion, verifies it, and the assignment goes through."""

from __future__ import annotations

import random
import re
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from liaison.directory import demo
from liaison.directory.models import Person, TaskForce, TaskForceAssignment
from liaison.training import services
from liaison.training.models import Requirement

pytestmark = pytest.mark.browser


@pytest.fixture
def gap(transactional_db: None) -> tuple[TaskForce, Person]:
    demo.load(state="MN", scale=1, rng=random.Random(2026))
    task_force = TaskForce.objects.get(name=demo.TASK_FORCES["MN"][0].name)
    course = services.course_create(
        actor=None,
        fields=services.CourseFields(
            code="HSI-TFO",
            title="HSI task force officer orientation",
            hours=Decimal(40),
            validity_months=12,
        ),
    )
    services.requirement_create(
        actor=None,
        course=course,
        scope_kind=Requirement.Scope.TASK_FORCE,
        task_force=task_force,
        basis=Requirement.Basis.CONTRACTUAL,
        effective_from=date(2024, 1, 1),
    )
    person = (
        Person.objects.filter(agency__abbreviation="BCA", active_until__isnull=True)
        .exclude(assignments__task_force=task_force)
        .order_by("pk")
        .first()
    )
    assert person is not None
    return task_force, person


def _clean(page: Any, axe_violations: Any) -> None:
    violations = axe_violations(page)
    assert violations == [], violations


def _try_assignment(page: Any, task_force: TaskForce, person: Person) -> None:
    page.goto(f"/directory/assignments/new/?task_force={task_force.pk}")
    page.get_by_label("Person").select_option(value=str(person.pk))
    page.get_by_label("Role").fill("Task Force Officer")
    page.get_by_label("Start date").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Save").click()


def test_a_supervisor_fixes_a_training_gap_and_the_assignment_goes_through(
    page: Any, gap: tuple[TaskForce, Person], make_user: Any, login: Any, axe_violations: Any
) -> None:
    task_force, person = gap
    supervisor = make_user("supervisor", "BCA", first_name="Teresa", last_name="Halvorsen")
    login(page, supervisor.username)

    _try_assignment(page, task_force, person)
    errors = page.get_by_test_id("form-errors")
    expect(errors).to_contain_text("Required training is not current")
    expect(errors).to_contain_text(
        "HSI-TFO HSI task force officer orientation: No verified completion. "
        "Contractual: no override."
    )
    _clean(page, axe_violations)
    assert not TaskForceAssignment.objects.filter(person=person).exists()

    page.goto(f"/training/people/{person.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Training readiness")
    page.get_by_role("link", name="Record a completion").click()
    page.get_by_label("Course").select_option(label="HSI-TFO HSI task force officer orientation")
    page.get_by_label("Completed on").fill(timezone.localdate().isoformat())
    page.get_by_label("Score (0–100)").fill("91")
    _clean(page, axe_violations)
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Training readiness")
    page.get_by_role("button", name=re.compile("^Verify")).click()
    expect(page.get_by_test_id("completions")).to_contain_text("Yes, by Teresa Halvorsen")
    _clean(page, axe_violations)

    _try_assignment(page, task_force, person)
    expect(page.get_by_test_id("form-errors")).to_have_count(0)
    page.goto(f"/training/people/{person.pk}/")
    expect(page.get_by_test_id("readiness")).to_contain_text("Current")
    assert TaskForceAssignment.objects.filter(person=person, task_force=task_force).exists()


def test_the_readiness_pages_work_at_phone_width(
    phone_page: Any, gap: tuple[TaskForce, Person], make_user: Any, login: Any, axe_violations: Any
) -> None:
    task_force, _ = gap
    coordinator = make_user("coordinator", "DPS")
    login(phone_page, coordinator.username)
    phone_page.goto(f"/training/task-forces/{task_force.pk}/")
    expect(phone_page.get_by_role("heading", level=1)).to_contain_text("Training readiness")
    width = phone_page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 390
    _clean(phone_page, axe_violations)


def test_a_coordinator_manages_the_catalog_and_requirements_on_accessible_pages(
    page: Any, gap: tuple[TaskForce, Person], make_user: Any, login: Any, axe_violations: Any
) -> None:
    task_force, _ = gap
    login(page, make_user("coordinator", "DPS").username)
    page.goto("/training/courses/")
    _clean(page, axe_violations)
    page.get_by_role("link", name="New course").click()
    page.get_by_label("Code").fill("MN-CIVR")
    page.get_by_label("Title").fill("Civil rights")
    page.get_by_label("Hours").fill("4")
    page.get_by_label("Valid for (months)").fill("24")
    _clean(page, axe_violations)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("MN-CIVR Civil rights")
    expect(page.get_by_test_id("history")).to_contain_text("course.create")
    _clean(page, axe_violations)
    page.get_by_role("link", name="Require it").click()
    page.locator("#id_scope_kind").select_option(value="task_force")
    page.locator("#id_task_force").select_option(value=str(task_force.pk))
    page.locator("#id_basis").select_option(value="policy")
    page.get_by_label("In effect from").fill("2025-01-01")
    _clean(page, axe_violations)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("MN-CIVR required for")
    _clean(page, axe_violations)
    page.goto("/training/requirements/?basis=policy")
    expect(page.get_by_test_id("result-count")).to_contain_text("1 requirement")
    _clean(page, axe_violations)
