"""Who may take each lifecycle step, what an out-of-order step answers, and what is recorded."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from liaison.agreements import services
from liaison.agreements.models import Agreement, AgreementStatusChange
from liaison.core.errors import Conflict, NotFound, PermissionDenied, ServiceError
from liaison.ledger.models import Entry

OK, FORBIDDEN, HIDDEN = "ok", 403, 404

# The usual agreement is between HSI and BCA, kept by BCA.
MANAGERS = {
    "coordinator": OK,
    "admin": OK,
    "counsel": FORBIDDEN,
    "supervisor": FORBIDDEN,
    "oversight": FORBIDDEN,
    "partner": FORBIDDEN,
    "local_coordinator": FORBIDDEN,
    "officer": HIDDEN,
    "outside_partner": HIDDEN,
    "local_officer": HIDDEN,
}
MANAGERS_AND_COUNSEL = {**MANAGERS, "counsel": OK}
COUNSEL_ONLY = {**MANAGERS, "coordinator": FORBIDDEN, "admin": FORBIDDEN, "counsel": OK}


def _outcome(run: Any) -> Any:
    try:
        run()
    except NotFound:
        return HIDDEN
    except PermissionDenied:
        return FORBIDDEN
    return OK


def _step(world: Any, step: str) -> tuple[Agreement, Any]:
    """An agreement in the state before ``step``, and a function taking it with an actor."""
    if step == "submit":
        a = world.draft()
        return a, lambda u: services.agreement_submit_for_review(actor=u, agreement=a)
    if step == "review":
        a = world.draft()
        services.agreement_submit_for_review(actor=None, agreement=a)
        return a, lambda u: services.agreement_review(actor=u, agreement=a, approve=True)
    if step == "sign":
        a = world.approved()
        return a, lambda u: services.agreement_record_signature(
            actor=u,
            agreement=a,
            agency=world.agencies["BCA"],
            name="Superintendent",
            title="Superintendent",
            signed_on=date(2025, 1, 2),
        )
    if step == "activate":
        a = world.signed()
        return a, lambda u: services.agreement_activate(actor=u, agreement=a)
    if step == "suspend":
        a = world.active()
        return a, lambda u: services.agreement_suspend(actor=u, agreement=a, reason="Audit")
    if step == "reinstate":
        a = world.active()
        services.agreement_suspend(actor=None, agreement=a, reason="Audit")
        return a, lambda u: services.agreement_reinstate(actor=u, agreement=a, reason="Cleared")
    if step == "terminate":
        a = world.active()
        return a, lambda u: services.agreement_terminate(
            actor=u, agreement=a, reason="Program ended", notice_date=timezone.localdate()
        )
    if step == "amend":
        a = world.active()
        return a, lambda u: services.amendment_create(
            actor=u,
            agreement=a,
            title="Extension",
            effective_date=date(2025, 6, 1),
            new_expiry_date=date(2028, 12, 31),
        )
    raise AssertionError(step)


MATRIX = [
    ("submit", MANAGERS),
    ("review", COUNSEL_ONLY),
    ("sign", MANAGERS),
    ("activate", MANAGERS),
    ("suspend", MANAGERS_AND_COUNSEL),
    ("reinstate", MANAGERS_AND_COUNSEL),
    ("terminate", MANAGERS_AND_COUNSEL),
    ("amend", MANAGERS),
]


@pytest.mark.parametrize(
    ("step", "persona", "expected"),
    [(step, persona, expected) for step, table in MATRIX for persona, expected in table.items()],
)
def test_each_lifecycle_step_is_open_only_to_its_roles(world, step, persona, expected):
    agreement, run = _step(world, step)
    agreement.refresh_from_db()
    before = agreement.status
    assert _outcome(lambda: run(world.users[persona])) == expected
    agreement.refresh_from_db()
    if expected != OK:
        assert agreement.status == before


def test_the_whole_lifecycle_is_recorded_with_dates_and_ledgered(world):
    agreement = world.active()
    actions = list(
        Entry.objects.filter(object_type="agreements.agreement", object_id=str(agreement.pk))
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == [
        "agreement.create",
        "agreement.submit_for_review",
        "agreement.approve",
        "agreement.sign",
        "agreement.sign",
        "agreement.activate",
    ]
    statuses = [c.to_status for c in agreement.status_changes.all()]
    assert statuses == ["draft", "legal_review", "signed", "active"]
    # Signed and effective in the past: the activation takes effect from the effective date.
    assert agreement.status_changes.last().effective_on == date(2025, 1, 1)


def test_counsel_can_return_a_draft_with_notes_and_it_is_editable_again(world):
    agreement = world.draft()
    services.agreement_submit_for_review(actor=None, agreement=agreement)
    with pytest.raises(ServiceError) as missing_notes:
        services.agreement_review(actor=world.users["counsel"], agreement=agreement, approve=False)
    assert "notes" in missing_notes.value.fields
    services.agreement_review(
        actor=world.users["counsel"], agreement=agreement, approve=False, notes="Cite 13.82."
    )
    agreement.refresh_from_db()
    assert agreement.status == "draft"
    assert agreement.review_notes == "Cite 13.82."
    services.agreement_update_draft(
        actor=world.users["coordinator"], agreement=agreement, fields=world.fields(title="Fixed")
    )


def test_signatures_before_counsel_approval_are_refused(world):
    agreement = world.draft()
    services.agreement_submit_for_review(actor=None, agreement=agreement)
    with pytest.raises(Conflict, match="needs it to be approved by counsel"):
        services.agreement_record_signature(
            actor=world.users["coordinator"],
            agreement=agreement,
            agency=world.agencies["BCA"],
            name="Superintendent",
            title="Superintendent",
            signed_on=date(2025, 1, 1),
        )


def test_the_agreement_is_signed_only_once_every_party_has_signed(world, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    agreement = world.approved()
    signed_copy = services.agreement_document_upload(
        actor=None,
        agreement=agreement,
        upload=SimpleUploadedFile("signed.pdf", b"%PDF-1.7\n", content_type="application/pdf"),
        title="Signed MOU",
    )
    services.agreement_record_signature(
        actor=world.users["coordinator"],
        agreement=agreement,
        agency=world.agencies["BCA"],
        name="Superintendent",
        title="Superintendent",
        signed_on=date(2025, 1, 1),
    )
    agreement.refresh_from_db()
    assert agreement.status == "legal_review"
    services.agreement_record_signature(
        actor=world.users["coordinator"],
        agreement=agreement,
        agency=world.agencies["HSI"],
        name="Special Agent in Charge",
        title="SAC",
        signed_on=date(2025, 1, 2),
        signed_copy=signed_copy,
    )
    agreement.refresh_from_db()
    assert agreement.status == "signed"


@pytest.mark.parametrize(
    ("state", "step"),
    [
        ("draft", lambda u, a: services.agreement_activate(actor=u, agreement=a)),
        ("draft", lambda u, a: services.agreement_suspend(actor=u, agreement=a, reason="x")),
        ("active", lambda u, a: services.agreement_submit_for_review(actor=u, agreement=a)),
        ("active", lambda u, a: services.agreement_reinstate(actor=u, agreement=a, reason="x")),
        ("active", lambda u, a: services.agreement_activate(actor=u, agreement=a)),
        (
            "terminated",
            lambda u, a: services.agreement_reinstate(actor=u, agreement=a, reason="x"),
        ),
        (
            "draft",
            lambda u, a: services.agreement_terminate(
                actor=u, agreement=a, reason="x", notice_date=date(2025, 1, 1)
            ),
        ),
    ],
)
def test_steps_out_of_order_are_conflicts_with_a_plain_message(world, state, step):
    agreement = world.draft() if state == "draft" else world.active()
    if state == "terminated":
        services.agreement_terminate(
            actor=None, agreement=agreement, reason="Ended", notice_date=timezone.localdate()
        )
    with pytest.raises(Conflict) as refused:
        step(world.users["admin"], agreement)
    assert refused.value.status == 409
    assert refused.value.message.startswith("Cannot ")


def test_a_draft_needs_two_parties_an_effective_date_and_a_grant_before_review(world):
    agreement = world.draft(
        parties=[(world.agencies["BCA"], "state_party")],
        effective_date=None,
        activities=[],
        data_categories=[],
        purposes=[],
    )
    with pytest.raises(ServiceError) as refused:
        services.agreement_submit_for_review(actor=world.users["coordinator"], agreement=agreement)
    assert set(refused.value.fields) == {"parties", "effective_date", "activities"}


def test_termination_needs_a_reason_and_a_notice_date_and_respects_the_notice_period(world):
    agreement = world.active()
    with pytest.raises(ServiceError) as refused:
        services.agreement_terminate(
            actor=world.users["counsel"], agreement=agreement, reason="", notice_date=None
        )
    assert set(refused.value.fields) == {"reason", "notice_date"}
    today = timezone.localdate()
    services.agreement_terminate(
        actor=world.users["counsel"], agreement=agreement, reason="Ended", notice_date=today
    )
    agreement.refresh_from_db()
    assert agreement.status == "terminated"
    assert agreement.terminated_on == today + timedelta(days=30)
    assert agreement.status_changes.last().effective_on == today + timedelta(days=30)


def test_the_expiry_sweep_expires_only_agreements_past_their_last_day_once(world):
    ending = world.active(expiry_date=date(2026, 3, 31))
    lasting = world.active(expiry_date=date(2030, 1, 1))
    draft = world.draft(expiry_date=date(2026, 3, 31))
    assert services.agreements_expire(today=date(2026, 4, 1)) == 1
    assert services.agreements_expire(today=date(2026, 4, 1)) == 0
    for a in (ending, lasting, draft):
        a.refresh_from_db()
    assert (ending.status, lasting.status, draft.status) == ("expired", "active", "draft")
    change = AgreementStatusChange.objects.filter(agreement=ending).last()
    assert (change.to_status, change.effective_on, change.actor) == (
        "expired",
        date(2026, 4, 1),
        None,
    )
    assert Entry.objects.filter(action="agreement.expire", object_id=str(ending.pk)).count() == 1


def test_a_suspended_agreement_can_be_reinstated_but_not_past_its_last_day(world):
    agreement = world.active(expiry_date=date(2026, 12, 31))
    with time_machine.travel(date(2026, 6, 1), tick=False):
        services.agreement_suspend(actor=world.users["counsel"], agreement=agreement, reason="A")
    with time_machine.travel(date(2027, 1, 5), tick=False), pytest.raises(Conflict):
        services.agreement_reinstate(actor=world.users["counsel"], agreement=agreement, reason="B")


def test_nominations_respect_the_personnel_cap(world):
    from liaison.directory.models import Person

    agreement = world.active(personnel_cap=1)
    people = [
        Person.objects.create(
            agency=world.agencies["BCA"],
            given_name="Agent",
            family_name=f"Number{i}",
            active_from=date(2020, 1, 1),
        )
        for i in range(2)
    ]
    services.agreement_nominate_person(
        actor=world.users["coordinator"],
        agreement=agreement,
        person=people[0],
        function="Task Force Officer",
        nominated_on=date(2025, 2, 1),
    )
    with pytest.raises(Conflict, match="at most 1"):
        services.agreement_nominate_person(
            actor=world.users["coordinator"],
            agreement=agreement,
            person=people[1],
            function="Task Force Officer",
            nominated_on=date(2025, 2, 1),
        )
