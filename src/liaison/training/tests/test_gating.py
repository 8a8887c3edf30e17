"""Gating: assignments and nominations are refused while required training is not
current — by the service, through the API and on the page."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from liaison.agreements import services as agreements
from liaison.agreements.tests.conftest import World as AgreementsWorld
from liaison.core.guards import Refused
from liaison.core.roles import Role
from liaison.directory import services as directory
from liaison.directory.models import TaskForceAssignment
from liaison.training import services
from liaison.training.models import Course, Requirement
from liaison.training.tests.conftest import complete, require

pytestmark = pytest.mark.django_db

START = date(2025, 3, 1)


def _assign(world, actor=None, on=START):  # type: ignore[no-untyped-def]
    return directory.task_force_assignment_create(
        actor=actor,
        person=world.people["MSP"],
        task_force=world.task_forces["HSI-TF"],
        role="Task Force Officer",
        start_date=on,
    )


def test_an_assignment_is_refused_listing_exactly_the_training_missing(world, catalog):
    require(catalog.ice, task_force=world.task_forces["HSI-TF"])
    require(catalog.privacy, role="Task Force Officer", basis=Requirement.Basis.POLICY)
    require(catalog.cfr, role="Analyst")  # another role: not listed
    with pytest.raises(Refused) as caught:
        _assign(world)
    lines = caught.value.fields["person"]
    assert len(lines) == 2
    assert lines[0].startswith(
        "ICE-287G ICE 287(g) task force officer course: No verified completion."
    )
    assert "Statutory: no override." in lines[0]
    assert lines[1].startswith("ST-PRIV Data privacy: No verified completion.")
    assert "a supervisor may override" in lines[1]
    assert "CFR-23" not in caught.value.message
    assert caught.value.code == "training_not_current"
    assert not TaskForceAssignment.objects.filter(person=world.people["MSP"]).exists()


def test_the_assignment_goes_through_once_completions_are_verified_or_overridden(world, catalog):
    require(catalog.ice, task_force=world.task_forces["HSI-TF"])
    policy = require(catalog.privacy, role="Task Force Officer", basis=Requirement.Basis.POLICY)
    person = world.people["MSP"]
    completion = complete(person, catalog.ice, date(2025, 1, 5), score=85, verify=False)
    with pytest.raises(Refused):  # recorded but not verified
        _assign(world)
    services.completion_verify(actor=None, completion=completion)
    with pytest.raises(Refused) as caught:  # the policy course is still missing
        _assign(world)
    assert [line.split(":")[0] for line in caught.value.fields["person"]] == [
        "ST-PRIV Data privacy"
    ]
    services.override_grant(
        actor=None,
        person=person,
        requirement=policy,
        reason="Scheduled",
        granted_on=date(2025, 2, 1),
    )
    assignment = _assign(world)
    assert assignment.pk is not None


def test_an_expired_certification_blocks_and_an_expiring_one_does_not(world, catalog):
    require(catalog.ice, task_force=world.task_forces["HSI-TF"])
    complete(world.people["MSP"], catalog.ice, date(2024, 3, 20), score=85)  # last day 2025-03-19
    assert _assign(world, on=date(2025, 3, 1)).pk  # expiring, still current
    TaskForceAssignment.objects.all().delete()
    with pytest.raises(Refused) as caught:
        _assign(world, on=date(2025, 3, 20))
    assert "Expired after Mar 19, 2025" in caught.value.fields["person"][0]


def test_requirements_not_yet_in_effect_do_not_gate(world, catalog):
    require(catalog.ice, task_force=world.task_forces["HSI-TF"], effective_from=date(2025, 6, 1))
    assert _assign(world, on=date(2025, 5, 31)).pk


def _agreement(world):  # type: ignore[no-untyped-def]
    aw = AgreementsWorld()
    aw.agencies.update(world.agencies)
    return aw.active()


def test_an_agreements_free_text_course_becomes_a_catalog_link_that_gates_its_nominations(
    world, catalog
):
    agreement = _agreement(world)
    row = agreements.agreement_training_requirement_add(
        actor=None,
        agreement=agreement,
        function="Task Force Officer",
        course_name="HSI orientation for task force officers",
        hours=Decimal(40),
        renewal_months=12,
    )
    requirement = Requirement.objects.get(agreement=agreement)
    assert requirement.course.to_review
    assert requirement.course.title == row.course_name
    assert requirement.basis == Requirement.Basis.CONTRACTUAL
    assert requirement.renewal_months == 12
    today = timezone.localdate()
    with pytest.raises(Refused) as caught:
        agreements.agreement_nominate_person(
            actor=None,
            agreement=agreement,
            person=world.people["BCA"],
            function="task force officer",
            nominated_on=today,
        )
    assert "HSI orientation for task force officers" in caught.value.message
    assert caught.value.fields["person"][0].endswith(
        "HSI orientation for task force officers: No verified completion. Contractual: no override."
    )
    # another function under the same agreement is not gated by it
    agreements.agreement_nominate_person(
        actor=None,
        agreement=agreement,
        person=world.person("BCA"),
        function="Analyst",
        nominated_on=today,
    )
    complete(world.people["BCA"], requirement.course, today - timedelta(days=3))
    nomination = agreements.agreement_nominate_person(
        actor=None,
        agreement=agreement,
        person=world.people["BCA"],
        function="Task Force Officer",
        nominated_on=today,
    )
    assert nomination.pk


def test_a_catalog_course_of_the_same_title_is_linked_not_copied(world, catalog):
    agreement = _agreement(world)
    agreements.agreement_training_requirement_add(
        actor=None,
        agreement=agreement,
        function="Task Force Officer",
        course_name="data PRIVACY",
        hours=Decimal(4),
    )
    assert Requirement.objects.get(agreement=agreement).course == catalog.privacy
    assert Course.objects.filter(to_review=True).count() == 0


def test_an_agreement_type_requirement_gates_nominations_under_every_agreement_of_that_type(
    world, catalog
):
    require(
        catalog.cfr,
        scope_kind=Requirement.Scope.AGREEMENT_KIND,
        agreement_kind="task_force_mou",
        effective_from=date(2024, 1, 1),
    )
    agreement = _agreement(world)
    with pytest.raises(Refused):
        agreements.agreement_nominate_person(
            actor=None,
            agreement=agreement,
            person=world.people["BCA"],
            function="Anyone",
            nominated_on=date(2025, 2, 1),
        )


def test_the_api_refuses_the_assignment_with_the_missing_training(world, catalog, api_as):
    require(catalog.ice, task_force=world.task_forces["HSI-TF"])
    response = api_as(Role.SUPERVISOR).post(
        "/api/v1/directory/assignments",
        {
            "person_id": world.people["BCA"].pk,
            "task_force_id": world.task_forces["BCA-TF"].pk,
            "role": "Task Force Officer",
            "start_date": "2025-03-01",
        },
        content_type="application/json",
    )
    assert response.status_code == 201  # BCA-TF has no requirement
    response = api_as(Role.COORDINATOR).post(
        "/api/v1/directory/assignments",
        {
            "person_id": world.people["MSP"].pk,
            "task_force_id": world.task_forces["HSI-TF"].pk,
            "role": "Task Force Officer",
            "start_date": "2025-03-01",
        },
        content_type="application/json",
    )
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "training_not_current"
    assert body["fields"]["person"][0].startswith("ICE-287G ICE 287(g) task force officer course:")


def test_the_assignment_page_shows_what_is_missing_and_saves_nothing(world, catalog, client_as):
    require(catalog.ice, task_force=world.task_forces["HSI-TF"])
    response = client_as(Role.COORDINATOR).post(
        "/directory/assignments/new/",
        {
            "person": world.people["MSP"].pk,
            "task_force": world.task_forces["HSI-TF"].pk,
            "role": "Task Force Officer",
            "start_date": "2025-03-01",
        },
    )
    assert response.status_code == 409
    assert "ICE-287G ICE 287(g) task force officer course: No verified completion." in (
        response.content.decode()
    )
    assert not TaskForceAssignment.objects.filter(person=world.people["MSP"]).exists()
