"""Data subjects' requests: the clock, the report by keyed hashes, who sees them, and
nothing of the subject kept in clear."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.apps import apps
from django.db import connection

from liaison.core import identifiers
from liaison.core.errors import Conflict, NotFound, PermissionDenied, ServiceError
from liaison.ledger.models import Entry
from liaison.sharing import selectors_subjects as sel
from liaison.sharing import services_subjects as svc
from liaison.sharing.models import DataSubjectRequest
from liaison.sharing.tests import subject_fixtures

subjects = subject_fixtures.subjects

MARIA = "Maria Lopez, 1990-01-31"
MARIA_AGAIN = "LÓPEZ, María 01/31/1990"
PLATE = "ABC 123"


def record(w, *, by="privacy", agency="DPS", received_on=date(2026, 12, 1), **kwargs):
    return svc.data_subject_request_record(
        actor=w.u[by],
        custodian_agency=w.agencies[agency],
        received_on=received_on,
        identity_proof=DataSubjectRequest.Proof.PHOTO_ID_IN_PERSON,
        identifiers=kwargs.pop("identifiers", [("person", MARIA)]),
        **kwargs,
    )


@time_machine.travel("2026-12-01 15:00Z", tick=False)
def test_a_minnesota_request_is_due_ten_business_days_after_receipt(subjects):
    request = record(subjects)
    assert request.reference == f"DSR-2026-{request.pk:06d}"
    assert request.state == "MN"
    assert request.status == DataSubjectRequest.Status.RECEIVED
    assert request.due_on == date(2026, 12, 15)


@time_machine.travel("2026-12-01 15:00Z", tick=False)
def test_the_minnesota_clock_skips_thanksgiving(subjects):
    request = record(subjects, received_on=date(2026, 11, 20))
    assert request.due_on == date(2026, 12, 8)
    clock = sel.subject_request_clock(request, today=date(2026, 12, 9))
    assert clock.overdue
    assert clock.text == "Overdue by 1 business day"
    assert sel.subject_request_clock(request, today=date(2026, 12, 4)).text == (
        "Due in 2 business days"
    )


@time_machine.travel("2026-12-01 15:00Z", tick=False)
def test_a_wisconsin_request_has_no_fixed_deadline_and_shows_its_age(subjects):
    request = record(subjects, by="wi_privacy", agency="WCSO", received_on=date(2026, 11, 24))
    assert request.state == "WI"
    assert request.due_on is None
    clock = sel.subject_request_clock(request, today=date(2026, 12, 1))
    assert not clock.overdue
    assert clock.text == "Received 7 days ago; answer as soon as practicable"


@time_machine.travel("2026-12-01 15:00Z", tick=False)
def test_the_report_matches_spelling_variants_of_the_subject(subjects):
    about_maria = subjects.disclosure([("person", MARIA_AGAIN)], disclosed_on=date(2026, 3, 2))
    about_plate = subjects.disclosure(
        [("plate", "abc-123")],
        categories={"vehicle_registration": ["plate", "owner"]},
        purpose="criminal_investigation",
        disclosed_on=date(2026, 5, 4),
    )
    subjects.disclosure([("person", "Mario Lopez, 1990-01-31")])  # someone else
    subjects.disclosure([("person", MARIA)], custodian="HCSO")  # another agency's disclosure
    request = record(subjects, identifiers=[("person", MARIA), ("plate", PLATE)])

    lines = sel.subject_report(user=subjects.u["privacy"], request=request)

    assert [line.disclosure for line in lines] == [about_plate, about_maria]
    assert lines[0].nature == "vehicle registration (plate, owner)"
    assert lines[0].matched_on == "Licence plate"
    assert lines[1].nature == "address (street, city)"
    assert lines[1].purpose == "Criminal investigation"
    assert lines[1].recipient == "HSI Agency — Special Agent Example"
    assert lines[1].csv_row()[0] == "2026-03-02"


@time_machine.travel("2026-12-01 15:00Z", tick=False)
def test_reading_the_report_is_recorded_as_an_access(subjects):
    shown = subjects.disclosure([("person", MARIA)])
    request = record(subjects)
    sel.subject_report(user=subjects.u["privacy"], request=request)
    entry = Entry.objects.filter(action="data_subject_report.read").get()
    assert entry.kind == "access"
    assert list(entry.records.values_list("object_id", flat=True)) == [str(shown.pk)]


@time_machine.travel("2026-12-01 15:00Z", tick=False)
def test_a_request_moves_from_received_to_in_progress_to_answered(subjects):
    request = record(subjects)
    officer = subjects.u["privacy"]
    request = svc.data_subject_request_start(actor=officer, request=request)
    assert request.status == DataSubjectRequest.Status.IN_PROGRESS
    with pytest.raises(Conflict):
        svc.data_subject_request_start(actor=officer, request=request)
    request = svc.data_subject_request_answer(actor=officer, request=request)
    assert request.status == DataSubjectRequest.Status.ANSWERED
    assert request.answered_on == date(2026, 12, 1)
    with pytest.raises(Conflict):
        svc.data_subject_request_deny(actor=officer, request=request, reason="Too late")
    assert list(
        Entry.objects.filter(action__startswith="data_subject_request.")
        .order_by("seq")
        .values_list("action", flat=True)
    ) == [
        "data_subject_request.record",
        "data_subject_request.start",
        "data_subject_request.answer",
    ]


@time_machine.travel("2026-12-01 15:00Z", tick=False)
def test_a_denial_needs_its_reason(subjects):
    request = record(subjects)
    with pytest.raises(ServiceError) as refused:
        svc.data_subject_request_deny(actor=subjects.u["privacy"], request=request, reason=" ")
    assert refused.value.fields == {"reason": ["Say why the request is denied."]}
    denied = svc.data_subject_request_deny(
        actor=subjects.u["privacy"], request=request, reason="Identity not proven."
    )
    assert denied.status == DataSubjectRequest.Status.DENIED
    assert denied.denial_reason == "Identity not proven."


@time_machine.travel("2026-12-01 15:00Z", tick=False)
def test_an_identifier_that_is_not_one_is_refused_on_its_field(subjects):
    with pytest.raises(ServiceError) as refused:
        record(subjects, identifiers=[("person", "Maria Lopez")])
    assert list(refused.value.fields) == ["person"]
    with pytest.raises(ServiceError) as empty:
        record(subjects, identifiers=[])
    assert list(empty.value.fields) == ["identifiers"]
    assert not DataSubjectRequest.objects.exists()


@time_machine.travel("2026-12-01 15:00Z", tick=False)
def test_a_request_cannot_be_received_in_the_future(subjects):
    with pytest.raises(ServiceError) as refused:
        record(subjects, received_on=date(2026, 12, 2))
    assert list(refused.value.fields) == ["received_on"]


@time_machine.travel("2026-12-01 15:00Z", tick=False)
def test_partners_and_other_agencies_never_see_a_subject_request(subjects):
    request = record(subjects)
    for name in ("partner", "local_privacy", "coordinator"):
        user = subjects.u[name]
        assert not sel.subject_request_list_for_user(user=user).exists()
        with pytest.raises(NotFound):
            sel.subject_request_get_for_user(user=user, pk=request.pk)
    with pytest.raises(PermissionDenied):
        record(subjects, by="partner", agency="HSI")
    with pytest.raises(PermissionDenied):
        record(subjects, by="local_privacy", agency="DPS")
    assert sel.subject_request_get_for_user(user=subjects.u["oversight"], pk=request.pk) == request
    with pytest.raises(PermissionDenied):
        svc.data_subject_request_start(actor=subjects.u["oversight"], request=request)


@time_machine.travel("2026-12-01 15:00Z", tick=False)
def test_the_contact_is_sealed_and_opens_only_for_the_privacy_officer(subjects):
    request = record(subjects, contact="maria@example.org, 612-555-0199")
    assert request.contact_sealed
    assert "maria" not in request.contact_sealed
    assert sel.subject_request_contact(user=subjects.u["privacy"], request=request) == (
        "maria@example.org, 612-555-0199"
    )
    with pytest.raises(PermissionDenied):
        sel.subject_request_contact(user=subjects.u["oversight"], request=request)
    assert Entry.objects.filter(action="data_subject_request.contact_read").count() == 1


@time_machine.travel("2026-12-01 15:00Z", tick=False)
def test_nothing_of_the_subject_is_stored_in_clear(subjects):
    subjects.disclosure([("person", MARIA)])
    request = record(
        subjects,
        identifiers=[("person", MARIA), ("plate", PLATE), ("phone", "(612) 555-0199")],
        contact="maria.lopez@example.org",
    )
    officer = subjects.u["privacy"]
    sel.subject_report(user=officer, request=request)
    svc.data_subject_request_deny(actor=officer, request=request, reason="Identity not proven.")
    needles = [
        "maria",
        "lopez",
        "1990-01-31",
        "abc123",
        "abc-123",
        "6125550199",
        "555-0199",
        "example.org",
        identifiers.normalize("person", MARIA),
    ]
    found = []
    with connection.cursor() as cursor:
        for model in apps.get_models():
            table = model._meta.db_table
            columns = [f.column for f in model._meta.concrete_fields]
            quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
            cursor.execute(f"SELECT {quoted} FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                text = " ".join(str(v) for v in row).lower()
                found += [(table, n) for n in needles if n in text]
    assert found == []
