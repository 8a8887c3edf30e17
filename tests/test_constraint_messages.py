"""Every database constraint answers in plain words, beside its field, from every form.

The constraints are read from the models' ``Meta``, so a new one is covered at once:
it must carry a plain ``violation_error_message``, and either a form scenario below
that submits values breaking it, or a line in ``NOT_FROM_A_FORM`` saying why no form
can (the service computes the value).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from django.apps import apps
from django.db import models
from django.test import Client

from liaison.accounts.models import User
from liaison.accounts.tests.factories import make_agency, make_user
from liaison.agreements import services as agreement_services
from liaison.agreements.models import Agreement, AgreementParty, LegalAuthority
from liaison.core.errors import ServiceError
from liaison.core.roles import Role
from liaison.core.validation import constraint_field, constraint_message, save, validate
from liaison.directory import services as directory_services
from liaison.directory.models import Agency, Jurisdiction, TaskForce, TaskForceMembership


def _constraints() -> dict[str, tuple[type[models.Model], models.BaseConstraint]]:
    found = {}
    for model in apps.get_models():
        if model.__module__.startswith("liaison."):
            for constraint in model._meta.constraints:
                found[constraint.name] = (model, constraint)
    return found


CONSTRAINTS = _constraints()


@dataclass
class Submission:
    """A form post that breaks a constraint, and where its message must show."""

    client: Client
    url: str
    data: dict[str, Any]
    field: str = ""
    """The field's html name the message must sit beside; empty: in the summary only."""
    message: str = ""
    """The message expected; empty: the constraint's own."""


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _agreement_post(agency: Agency, other: Agency, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": "Deconfliction MOU",
        "kind": Agreement.Kind.values[0],
        "reference": "",
        "summary": "",
        "effective_date": "2026-05-01",
        "expiry_date": "",
        "personnel_cap": "",
        "grant_clause": "Art. II",
        "termination_notice_days": "30",
        "party_1_agency": str(agency.pk),
        "party_1_role": AgreementParty.Role.values[0],
        "party_2_agency": str(other.pk),
        "party_2_role": AgreementParty.Role.values[1],
    }
    data.update(overrides)
    return data


def _agreement_expiry_after_effective(db: None) -> Submission:
    agency, other = make_agency("BCA"), make_agency("HSI", level="federal")
    coordinator = make_user(Role.COORDINATOR, agency=agency)
    return Submission(
        _client(coordinator),
        "/agreements/new/",
        _agreement_post(agency, other, expiry_date="2026-04-01"),
        field="expiry_date",
    )


def _party_unique(db: None) -> Submission:
    agency, other = make_agency("BCA"), make_agency("HSI", level="federal")
    coordinator = make_user(Role.COORDINATOR, agency=agency)
    return Submission(
        _client(coordinator),
        "/agreements/new/",
        _agreement_post(agency, other, party_2_agency=str(agency.pk)),
        message="An agency can be a party only once.",
    )


def _jurisdiction_unique_name(db: None) -> Submission:
    admin = make_user(Role.ADMIN)
    Jurisdiction.objects.create(name="Hennepin County", kind="county", state="MN")
    return Submission(
        _client(admin),
        "/directory/jurisdictions/new/",
        {"name": "Hennepin County", "kind": "county", "state": "MN", "fips": ""},
        field="name",
    )


def _taskforce_end_after_start(db: None) -> Submission:
    agency = make_agency("BCA")
    coordinator = make_user(Role.COORDINATOR, agency=agency)
    return Submission(
        _client(coordinator),
        "/directory/task-forces/new/",
        {
            "name": "Metro task force",
            "lead_agency": str(agency.pk),
            "purpose": "Deconfliction",
            "area": "Metro",
            "start_date": "2026-05-01",
            "end_date": "2026-04-01",
        },
        field="end_date",
    )


def _membership_unique(db: None) -> Submission:
    agency, member = make_agency("BCA"), make_agency("MPD", level="local")
    coordinator = make_user(Role.COORDINATOR, agency=agency)
    task_force = TaskForce.objects.create(
        name="Metro", lead_agency=agency, purpose="Deconfliction", start_date=date(2026, 1, 1)
    )
    TaskForceMembership.objects.create(
        task_force=task_force, agency=member, joined_on=date(2026, 1, 1)
    )
    return Submission(
        _client(coordinator),
        f"/directory/task-forces/{task_force.pk}/members/new/",
        {"agency": str(member.pk), "joined_on": "2026-02-01"},
        field="agency",
    )


def _authority_repealed_after_effective(db: None) -> Submission:
    counsel = make_user(Role.LEGAL_COUNSEL)
    return Submission(
        _client(counsel),
        "/agreements/authorities/new/",
        {
            "citation": "Minn. Stat. § 299C.01",
            "title": "Bureau of Criminal Apprehension",
            "jurisdiction_code": LegalAuthority.JurisdictionCode.values[0],
            "kind": LegalAuthority.Kind.values[0],
            "effective_date": "2020-07-01",
            "repealed_on": "2019-07-01",
            "summary": "Creates the bureau.",
        },
        field="repealed_on",
    )


def _training_completion_unique(db: None) -> Submission:
    from liaison.directory.models import Person
    from liaison.training import services as training_services

    agency = make_agency("BCA")
    supervisor = make_user(Role.SUPERVISOR, agency=agency)
    person = Person.objects.create(
        agency=agency, given_name="Pat", family_name="Example", active_from=date(2020, 1, 1)
    )
    course = training_services.course_create(
        actor=None, fields=training_services.CourseFields(code="C-1", title="Course")
    )
    training_services.completion_record(
        actor=None, person=person, course=course, completed_on=date(2026, 1, 5)
    )
    return Submission(
        _client(supervisor),
        f"/training/people/{person.pk}/completions/new/",
        {"course": str(course.pk), "completed_on": "2026-01-05"},
        field="completed_on",
    )


def _data_subject_request_answered_on(db: None) -> Submission:
    from liaison.sharing import services_subjects as subjects

    agency = make_agency("BCA")
    officer = make_user(Role.PRIVACY_OFFICER, agency=agency)
    request = subjects.data_subject_request_record(
        actor=officer,
        custodian_agency=agency,
        received_on=date(2026, 1, 5),
        identity_proof="notarized",
        identifiers=[("person", "Pat Example, 1980-01-01")],
    )
    return Submission(
        _client(officer),
        f"/sharing/subjects/{request.pk}/answer/",
        {"answered_on": "2026-01-02"},
        field="answered_on",
    )


SCENARIOS: dict[str, Callable[[None], Submission]] = {
    "sharing_dsr_answered_on": _data_subject_request_answered_on,
    "training_completion_unique": _training_completion_unique,
    "authority_repealed_after_effective": _authority_repealed_after_effective,
    "agreement_expiry_after_effective": _agreement_expiry_after_effective,
    "party_unique": _party_unique,
    "jurisdiction_unique_name": _jurisdiction_unique_name,
    "taskforce_end_after_start": _taskforce_end_after_start,
    "membership_unique": _membership_unique,
}

NOT_FROM_A_FORM = {
    "operation_cost_one_per_agency": (
        "The after-action form has one hours-and-cost pair per agency taking part; the "
        "service refuses an agency listed twice (through the API) with its own message."
    ),
    "signatory_one_per_party": (
        "The signature form offers only parties that have not signed; the service refuses "
        "a second signature with its own message."
    ),
    "designation_unique_start": (
        "The designation's own check refuses the same liaison over overlapping days beside "
        "the start date first; the constraint stops two concurrent identical designations."
    ),
    "amendment_unique_number": "The service numbers amendments; no form sets the number.",
    "grant_exactly_one_item": "The service builds one grant per chosen item.",
    "document_version_unique": "The service numbers document versions.",
    "notification_unique_recipient_key": "Notifications are sent by services, not forms.",
    "scheduled_slot_unique": "The scheduler claims slots; no form writes them.",
    "operation_window_end_after_start": (
        "Plans are checked by operations.plans.validate_plan, which refuses an end before "
        "the start beside the window's end; no page edits operations yet."
    ),
    "operation_location_one_shape": (
        "Plan validation builds each place as a point with a radius or a polygon."
    ),
    "operation_subject_once": "The service stores each subject of a plan once.",
    "operation_participant_once": "The service stores each participant of a plan once.",
    "operation_resource_one_per_agency": "The service keeps one resource row per agency.",
    "operation_conflict_ordered_pair": "Deconfliction records conflicts; no form does.",
    "operation_conflict_once": "Deconfliction records each conflict once; no form does.",
    "training_requirement_until_after_from": (
        "Requirements are set through the training services and the agreements' training "
        "rows; no page edits their dates yet (the service answers with this message)."
    ),
    "sharing_item_unique_index": "The filing service numbers a request's items in order.",
    "sharing_item_category_or_action": (
        "The filing service builds each item from a validated request item, which is data "
        "of a category or an action, never both."
    ),
    "sharing_item_pending_only_needs_review": (
        "The filing service sets the final decision from the engine's answer; only items "
        "that need review are left waiting."
    ),
    "sharing_review_once": (
        "The review form is offered only for a request waiting for review; the service "
        "refuses a second review with its own message."
    ),
    "sharing_disclosure_review_after": (
        "The disclosure service computes the review date from the disclosure date."
    ),
    "sharing_subject_unique": (
        "The disclosure service hashes each identifier once; duplicates are dropped."
    ),
    "sharing_dsr_due_after_receipt": (
        "The service computes the due date from the day of receipt (10 business days on)."
    ),
    "sharing_dsr_denial_reason": (
        "The deny form requires the reason and the service refuses a blank one with its "
        "own message before the row is checked."
    ),
    "sharing_dsr_identifier_unique": (
        "The service hashes each identifier once; spellings of one identifier are one hash."
    ),
    "sharing_disclosure_review_once": (
        "The daily job flags each review date of a disclosure once; no form does."
    ),
    "sharing_disclosure_review_next": (
        "The review service sets the next date for a retained disclosure (five years by "
        "default) and none for a purged one."
    ),
    "sharing_disclosure_review_justified": (
        "The review form requires the justification and the service refuses a blank one "
        "beside the field."
    ),
}


def test_every_constraint_is_submitted_through_a_form_or_says_why() -> None:
    known = set(SCENARIOS) | set(NOT_FROM_A_FORM)
    assert not set(SCENARIOS) & set(NOT_FROM_A_FORM)
    assert sorted(set(CONSTRAINTS) - known) == [], "add a scenario or a reason"
    assert sorted(known - set(CONSTRAINTS)) == [], "a registry line for a constraint now gone"


@pytest.mark.parametrize("name", sorted(CONSTRAINTS))
def test_every_constraint_has_a_message_in_plain_words(name: str) -> None:
    _, constraint = CONSTRAINTS[name]
    message = constraint_message(constraint)
    assert constraint.violation_error_message not in (
        None,
        constraint.default_violation_error_message,
    ), f"{name}: give it a violation_error_message"
    assert name not in message
    assert "constraint" not in message.lower()
    assert "_" not in message
    assert message.endswith(".")
    assert message[0].isupper()


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_a_form_that_breaks_a_constraint_shows_its_message(name: str, db: None) -> None:
    model, constraint = CONSTRAINTS[name]
    submission = SCENARIOS[name](db)
    before = model._default_manager.count()
    response = submission.client.post(submission.url, submission.data)
    assert 400 <= response.status_code < 500
    html = response.content.decode()
    message = submission.message or constraint_message(constraint)
    summary = re.search(r'data-testid="form-errors".*?</div>\s*</div>', html, re.S)
    assert summary is not None
    assert message in summary.group(0)
    if submission.field:
        beside = re.search(rf'id="{submission.field}-error"[^>]*>([^<]*)<', html)
        assert beside is not None
        assert message in beside.group(1)
        assert f'href="#id_{submission.field}"' in summary.group(0)
    assert model._default_manager.count() == before


def test_validation_puts_a_constraint_message_beside_its_declared_field(db: None) -> None:
    agreement = Agreement(
        title="MOU",
        kind=Agreement.Kind.values[0],
        owner_agency=make_agency(),
        effective_date=date(2026, 5, 1),
        expiry_date=date(2026, 4, 1),
    )
    with pytest.raises(ServiceError) as refused:
        validate(agreement)
    assert refused.value.fields["expiry_date"] == [
        "The last day in force cannot be before the date it takes effect."
    ]


def test_a_check_constraint_the_database_enforces_becomes_its_field_message(db: None) -> None:
    agency = make_agency()
    task_force = TaskForce(
        name="Metro",
        lead_agency=agency,
        purpose="x",
        start_date=date(2026, 5, 1),
        end_date=date(2026, 4, 1),
    )
    with pytest.raises(ServiceError) as refused:
        save(task_force)
    assert refused.value.fields == {"end_date": ["The last day cannot be before the first day."]}
    assert not TaskForce.objects.exists()


def test_a_unique_constraint_the_database_enforces_becomes_its_field_message(db: None) -> None:
    agency, member = make_agency(), make_agency()
    task_force = TaskForce.objects.create(
        name="Metro", lead_agency=agency, purpose="x", start_date=date(2026, 1, 1)
    )
    TaskForceMembership.objects.create(
        task_force=task_force, agency=member, joined_on=date(2026, 1, 1)
    )
    duplicate = TaskForceMembership(
        task_force=task_force, agency=member, joined_on=date(2026, 2, 1)
    )
    with pytest.raises(ServiceError) as refused:
        save(duplicate)
    assert refused.value.fields == {
        "agency": ["This agency is already a member of the task force."]
    }
    assert constraint_field(CONSTRAINTS["membership_unique"][1]) == "agency"


def test_sending_a_one_party_draft_to_legal_review_shows_what_to_fix(db: None) -> None:
    agency = make_agency("BCA")
    coordinator = make_user(Role.COORDINATOR, agency=agency)
    draft = agreement_services.agreement_create(
        actor=coordinator,
        fields=agreement_services.AgreementFields(
            title="One-party MOU",
            kind=Agreement.Kind.values[0],
            parties=[(agency, AgreementParty.Role.values[0])],
        ),
    )
    response = _client(coordinator).post(f"/agreements/{draft.pk}/submit/")
    assert response.status_code == 400
    html = response.content.decode()
    assert "The draft is not ready for legal review." in html
    assert "An agreement needs at least two parties." in html
    assert 'id="effective_date-error"' in html
    assert 'href="#id_effective_date"' in html
    assert f'action="/agreements/{draft.pk}/edit/"' in html
    draft.refresh_from_db()
    assert draft.status == Agreement.Status.DRAFT


def test_a_directory_service_refuses_a_duplicate_membership_beside_the_agency(db: None) -> None:
    agency, member = make_agency(), make_agency()
    task_force = directory_services.task_force_create(
        actor=None, name="Metro", lead_agency=agency, purpose="x", start_date=date(2026, 1, 1)
    )
    directory_services.task_force_membership_add(
        actor=None, task_force=task_force, agency=member, joined_on=date(2026, 1, 1)
    )
    with pytest.raises(ServiceError) as refused:
        directory_services.task_force_membership_add(
            actor=None, task_force=task_force, agency=member, joined_on=date(2026, 2, 1)
        )
    assert refused.value.fields == {
        "agency": ["This agency is already a member of the task force."]
    }
