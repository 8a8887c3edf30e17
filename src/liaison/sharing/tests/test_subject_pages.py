"""The data-subject and review pages: the due list in due order with overdue said in
words, the form, the report page and its CSV, the home cards, and 404 for outsiders."""

from __future__ import annotations

from datetime import date

import time_machine
from django.test import Client

from liaison.sharing import services_subjects as svc
from liaison.sharing.models import DataSubjectRequest
from liaison.sharing.tests import subject_fixtures

subjects = subject_fixtures.subjects

MARIA = "Maria Lopez, 1990-01-31"
NOW = "2026-12-01 15:00Z"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def record(w, received_on, *, by="privacy", agency="DPS", who=MARIA):
    return svc.data_subject_request_record(
        actor=w.u[by],
        custodian_agency=w.agencies[agency],
        received_on=received_on,
        identity_proof=DataSubjectRequest.Proof.NOTARIZED,
        identifiers=[("person", who)],
    )


@time_machine.travel(NOW, tick=False)
def test_the_due_list_shows_overdue_first_in_words(subjects):
    later = record(subjects, date(2026, 11, 30))
    overdue = record(subjects, date(2026, 11, 2), who="Ann Lee, 1980-05-05")
    page = client_for(subjects.u["privacy"]).get("/sharing/subjects/")
    assert page.status_code == 200
    html = page.content.decode()
    assert html.index(overdue.reference) < html.index(later.reference)
    assert 'data-testid="overdue">Overdue</span>' in html
    assert "Overdue by" in html
    assert "A… L…, born 1980" in html
    assert "Ann" not in html


@time_machine.travel(NOW, tick=False)
def test_a_privacy_officer_records_a_request_through_the_form(subjects):
    client = client_for(subjects.u["privacy"])
    assert client.get("/sharing/subjects/new/").status_code == 200
    answer = client.post(
        "/sharing/subjects/new/",
        {
            "custodian_agency": subjects.agencies["BCA"].pk,
            "received_on": "2026-12-01",
            "identity_proof": "photo_id_in_person",
            "person": MARIA,
            "plate": "ABC 123",
        },
    )
    request = DataSubjectRequest.objects.get()
    assert answer.status_code == 302
    assert answer["Location"] == f"/sharing/subjects/{request.pk}/"
    assert request.identifiers.count() == 2


@time_machine.travel(NOW, tick=False)
def test_a_bad_identifier_shows_beside_its_field(subjects):
    answer = client_for(subjects.u["privacy"]).post(
        "/sharing/subjects/new/",
        {
            "custodian_agency": subjects.agencies["BCA"].pk,
            "received_on": "2026-12-01",
            "identity_proof": "photo_id_in_person",
            "person": "Maria Lopez",
        },
    )
    assert answer.status_code == 400
    assert "date of birth" in answer.content.decode()
    assert not DataSubjectRequest.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_the_report_page_and_csv_list_the_disclosures_about_the_subject(subjects):
    subjects.disclosure([("person", "LOPEZ, MARIA 01/31/1990")], disclosed_on=date(2026, 4, 1))
    request = record(subjects, date(2026, 11, 30))
    client = client_for(subjects.u["privacy"])
    page = client.get(f"/sharing/subjects/{request.pk}/report/").content.decode()
    assert "Apr 1, 2026" in page
    assert "address (street, city)" in page
    assert "HSI Agency — Special Agent Example" in page
    csv = b"".join(client.get(f"/sharing/subjects/{request.pk}/report.csv").streaming_content)
    lines = csv.decode("utf-8-sig").splitlines()
    assert lines[0] == "disclosed_on,request,nature,purpose,recipient,channel,basis,matched_on"
    assert lines[1].startswith("2026-04-01,SR-2026-")


@time_machine.travel(NOW, tick=False)
def test_outsiders_and_partners_get_404_for_a_subject_request(subjects):
    request = record(subjects, date(2026, 11, 30))
    for name in ("partner", "local_privacy"):
        client = client_for(subjects.u[name])
        for url in ("", "report/", "report.csv", "contact/", "answer/"):
            assert client.get(f"/sharing/subjects/{request.pk}/{url}").status_code == 404
    assert client_for(subjects.u["partner"]).get("/sharing/subjects/").status_code == 403


@time_machine.travel(NOW, tick=False)
def test_the_home_page_counts_open_requests_and_due_reviews(subjects):
    record(subjects, date(2026, 11, 30))
    subjects.disclosure(review_due=date(2026, 11, 1))
    svc.disclosure_reviews_flag(today=date(2026, 12, 1))
    page = client_for(subjects.u["privacy"]).get("/").content.decode()
    start = page.index('data-testid="queue-sharing.data_subject_requests"')
    assert 'data-testid="queue-count">1<' in page[start : start + 600]
    start = page.index('data-testid="queue-sharing.disclosure_reviews"')
    assert 'data-testid="queue-count">1<' in page[start : start + 600]
