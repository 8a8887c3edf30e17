from __future__ import annotations

from datetime import date

import pytest

from liaison.core.errors import PermissionDenied, ServiceError
from liaison.core.roles import Role
from liaison.training import readiness, services
from liaison.training.models import Requirement
from liaison.training.tests.conftest import complete, require

pytestmark = pytest.mark.django_db


def _state(person, on):  # type: ignore[no-untyped-def]
    return [
        (s.requirement.course.code, s.state)
        for s in readiness.person_readiness(person=person, on=on)
    ]


def test_a_completion_is_current_then_expiring_then_expired_across_its_validity(world, catalog):
    require(catalog.ice, task_force=world.task_forces["HSI-TF"])
    person = world.people["BCA"]
    complete(person, catalog.ice, date(2025, 1, 10), score=90)
    assert _state(person, date(2025, 6, 1)) == [("ICE-287G", "current")]
    assert _state(person, date(2025, 12, 11)) == [("ICE-287G", "expiring")]
    assert _state(person, date(2026, 1, 9)) == [("ICE-287G", "expiring")]
    expired = readiness.person_readiness(person=person, on=date(2026, 1, 10))
    assert [s.state for s in expired] == ["expired"]
    assert "Expired after Jan 9, 2026" in expired[0].reason
    assert expired[0].blocking


def test_an_unverified_completion_does_not_count_and_the_reason_says_so(world, catalog):
    require(catalog.ice, task_force=world.task_forces["HSI-TF"])
    person = world.people["BCA"]
    complete(person, catalog.ice, date(2025, 1, 10), score=90, verify=False)
    status = readiness.person_readiness(person=person, on=date(2025, 2, 1))[0]
    assert status.state == "missing"
    assert "not verified" in status.reason


def test_a_score_below_the_passing_score_does_not_count(world, catalog):
    require(catalog.ice, task_force=world.task_forces["HSI-TF"])
    person = world.people["BCA"]
    complete(person, catalog.ice, date(2025, 1, 10), score=60)
    status = readiness.person_readiness(person=person, on=date(2025, 2, 1))[0]
    assert status.state == "missing"
    assert "passing score of 70" in status.reason


def test_a_requirement_applies_only_within_its_effective_dates(world, catalog):
    require(
        catalog.privacy,
        role="Task Force Officer",
        basis=Requirement.Basis.POLICY,
        effective_from=date(2025, 3, 1),
        effective_until=date(2025, 12, 31),
    )
    person = world.people["BCA"]
    assert _state(person, date(2025, 2, 28)) == []
    assert _state(person, date(2025, 3, 1)) == [("ST-PRIV", "missing")]
    assert _state(person, date(2026, 1, 1)) == []


def test_a_role_requirement_applies_to_whoever_holds_the_role_in_any_case(world, catalog):
    require(catalog.privacy, role="task force officer")
    assert _state(world.people["BCA"], date(2025, 1, 1)) == [("ST-PRIV", "missing")]
    assert _state(world.people["HSI"], date(2025, 1, 1)) == []  # a Group Supervisor


def test_a_shorter_renewal_period_of_the_requirement_wins(world, catalog):
    require(catalog.cfr, task_force=world.task_forces["HSI-TF"], renewal_months=6)
    person = world.people["BCA"]
    complete(person, catalog.cfr, date(2025, 1, 1))
    assert _state(person, date(2025, 7, 1)) == [("CFR-23", "expired")]


def test_a_supervisor_overrides_an_agency_policy_gap_with_a_reason(world, catalog):
    req = require(catalog.privacy, role="Task Force Officer", basis=Requirement.Basis.POLICY)
    person = world.people["BCA"]
    services.override_grant(
        actor=world.users[Role.SUPERVISOR],
        person=person,
        requirement=req,
        reason="Course full until next month",
        granted_on=date(2025, 1, 1),
        valid_until=date(2025, 1, 31),
    )
    assert _state(person, date(2025, 1, 15)) == [("ST-PRIV", "overridden")]
    assert _state(person, date(2025, 2, 1)) == [("ST-PRIV", "missing")]


def test_a_statutory_or_contractual_requirement_cannot_be_overridden(world, catalog):
    req = require(catalog.ice, task_force=world.task_forces["HSI-TF"])
    with pytest.raises(ServiceError) as caught:
        services.override_grant(
            actor=world.users[Role.SUPERVISOR],
            person=world.people["BCA"],
            requirement=req,
            reason="x",
        )
    assert caught.value.code == "not_overridable"


def test_an_override_needs_a_supervisor_of_the_persons_agency(world, catalog):
    req = require(catalog.privacy, role="Task Force Officer", basis=Requirement.Basis.POLICY)
    for role in (Role.OFFICER, Role.COORDINATOR, Role.PARTNER):
        with pytest.raises(PermissionDenied):
            services.override_grant(
                actor=world.users[role], person=world.people["BCA"], requirement=req, reason="x"
            )


def test_only_a_supervisor_of_the_agency_or_an_admin_verifies(world, catalog):
    person = world.people["BCA"]
    completion = complete(person, catalog.ice, date(2025, 1, 10), score=90, verify=False)
    for role in (Role.OFFICER, Role.COORDINATOR, Role.PARTNER):
        with pytest.raises(PermissionDenied):
            services.completion_verify(actor=world.users[role], completion=completion)
    verified = services.completion_verify(actor=world.users[Role.SUPERVISOR], completion=completion)
    assert verified.verified_by == world.users[Role.SUPERVISOR]
    with pytest.raises(ServiceError):
        services.completion_verify(actor=world.users[Role.ADMIN], completion=completion)


def test_expiry_follows_the_course_validity_and_none_never_expires(world, catalog):
    person = world.people["BCA"]
    assert complete(person, catalog.ice, date(2025, 1, 31), score=80).expires_on == date(
        2026, 1, 30
    )
    services.course_update(
        actor=None,
        course=catalog.privacy,
        fields=services.CourseFields(code="ST-PRIV", title="Data privacy", validity_months=None),
    )
    catalog.privacy.refresh_from_db()
    assert complete(person, catalog.privacy, date(2025, 1, 31)).expires_on is None


def test_the_28cfr_attribute_is_true_only_with_a_current_verified_completion(world, catalog):
    person = world.people["BCA"]
    assert readiness.training_attributes(person=person)["28CFRCertificationIndicator"] is False
    complete(person, catalog.cfr, date(2025, 1, 1), verify=False)
    assert (
        readiness.training_attributes(person=person, on=date(2025, 6, 1))[
            "28CFRCertificationIndicator"
        ]
        is False
    )
    services.completion_verify(actor=None, completion=person.training_completions.get())
    assert (
        readiness.training_attributes(person=person, on=date(2025, 6, 1))[
            "28CFRCertificationIndicator"
        ]
        is True
    )
    assert (
        readiness.training_attributes(person=person, on=date(2027, 1, 1))[
            "28CFRCertificationIndicator"
        ]
        is False
    )


def test_other_apps_read_the_attributes_through_the_core_registry(world, catalog):
    from liaison.core import attributes

    person = world.people["BCA"]
    complete(person, catalog.cfr, date.today())
    assert "training" in attributes.sources()
    assert attributes.attributes_for(person)["28CFRCertificationIndicator"] is True
    assert attributes.attributes_for(object()) == {}
