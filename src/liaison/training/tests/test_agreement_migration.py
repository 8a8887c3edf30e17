"""The data migration that links agreements' free-text training rows to catalog courses."""

from __future__ import annotations

import importlib
from decimal import Decimal

import pytest
from django.apps import apps

from liaison.agreements.models import TrainingRequirement
from liaison.agreements.tests.conftest import World as AgreementsWorld
from liaison.training.models import Course, Requirement

pytestmark = pytest.mark.django_db
link = importlib.import_module("liaison.training.migrations.0002_agreement_requirements").link


def test_existing_rows_link_to_a_matching_course_or_a_new_one_to_review_once(world, catalog):
    aw = AgreementsWorld()
    aw.agencies.update(world.agencies)
    agreement = aw.draft()
    # Rows as they stood before training existed (written without the guard).
    TrainingRequirement.objects.bulk_create(
        [
            TrainingRequirement(
                agreement=agreement,
                function="Task Force Officer",
                course_name=" data privacy ",
                hours=Decimal(2),
                renewal_months=12,
            ),
            TrainingRequirement(
                agreement=agreement,
                function="Analyst",
                course_name="Warrant service basics",
                hours=Decimal(8),
            ),
        ]
    )
    link(apps, None)
    link(apps, None)  # a second run adds nothing
    linked = {r.role: r for r in Requirement.objects.filter(agreement=agreement)}
    assert set(linked) == {"Task Force Officer", "Analyst"}
    assert linked["Task Force Officer"].course == catalog.privacy
    assert linked["Task Force Officer"].renewal_months == 12
    made = linked["Analyst"].course
    assert made.to_review
    assert made.title == "Warrant service basics"
    assert made.code.startswith("REVIEW-")
    assert all(r.basis == Requirement.Basis.CONTRACTUAL for r in linked.values())
    assert Course.objects.filter(to_review=True).count() == 1
