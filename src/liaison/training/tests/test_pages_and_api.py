"""Readiness pages, the roster report, completions, verification and overrides through
the pages and the API; people out of scope answer 404."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest
from django.utils import timezone

from liaison.core.roles import Role
from liaison.directory.models import TaskForceAssignment
from liaison.training.models import Completion, Override, Requirement
from liaison.training.tests.conftest import complete, require

pytestmark = pytest.mark.django_db


def _today() -> date:
    return timezone.localdate()


def test_a_persons_readiness_page_lists_each_requirement_with_its_state_and_reason(
    world, catalog, client_as
):
    require(catalog.ice, task_force=world.task_forces["HSI-TF"])
    require(catalog.privacy, role="Task Force Officer", basis=Requirement.Basis.POLICY)
    person = world.people["BCA"]
    complete(person, catalog.ice, _today() - timedelta(days=350), score=80)
    page = client_as(Role.SUPERVISOR).get(f"/training/people/{person.pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Expiring within 30 days" in text
    assert "Missing" in text
    assert "No verified completion." in text
    assert "Override<span" in text  # the supervisor may override the policy course
    assert "28CFRCertificationIndicator" in text


def test_a_person_out_of_scope_answers_404(world, catalog, client_as, api_as):
    person = world.people["BCA"]
    assert client_as(Role.PARTNER).get(f"/training/people/{person.pk}/").status_code == 404
    assert (
        api_as(Role.PARTNER).get(f"/api/v1/training/people/{person.pk}/readiness").status_code
        == 404
    )


def test_a_supervisor_records_and_verifies_a_completion_on_the_pages(world, catalog, client_as):
    person = world.people["BCA"]
    client = client_as(Role.SUPERVISOR)
    response = client.post(
        f"/training/people/{person.pk}/completions/new/",
        {"course": catalog.ice.pk, "completed_on": _today().isoformat(), "score": "75"},
    )
    assert response.status_code == 302
    completion = Completion.objects.get(person=person)
    assert not completion.verified
    assert client.post(f"/training/completions/{completion.pk}/verify/").status_code == 302
    completion.refresh_from_db()
    assert completion.verified_by == world.users[Role.SUPERVISOR]


def test_an_officer_may_neither_record_nor_verify(world, catalog, client_as):
    person = world.people["MSP"]
    client = client_as(Role.OFFICER)
    assert client.get(f"/training/people/{person.pk}/completions/new/").status_code == 403
    completion = complete(person, catalog.ice, _today(), score=90, verify=False)
    assert client.post(f"/training/completions/{completion.pk}/verify/").status_code == 403


def test_a_supervisor_overrides_a_policy_gap_on_the_page_with_a_reason(world, catalog, client_as):
    req = require(catalog.privacy, role="Task Force Officer", basis=Requirement.Basis.POLICY)
    person = world.people["BCA"]
    client = client_as(Role.SUPERVISOR)
    url = f"/training/people/{person.pk}/overrides/{req.pk}/new/"
    assert client.post(url, {"reason": ""}).status_code == 400
    assert client.post(url, {"reason": "Next class is full"}).status_code == 302
    assert Override.objects.get().reason == "Next class is full"


def test_the_task_force_page_and_its_csv_report_show_the_roster_compliance(
    world, catalog, client_as
):
    require(catalog.ice, task_force=world.task_forces["HSI-TF"])
    complete(world.people["BCA"], catalog.ice, _today() - timedelta(days=10), score=90)
    client = client_as(Role.COORDINATOR)
    tf = world.task_forces["HSI-TF"]
    page = client.get(f"/training/task-forces/{tf.pk}/")
    assert page.status_code == 200
    report = client.get(f"/training/task-forces/{tf.pk}/roster.csv")
    assert report["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(report.streaming_content).decode("utf-8-sig"))))
    by_person = {(r["person_id"], r["course_code"]): r["status"] for r in rows}
    assert by_person[(str(world.people["BCA"].pk), "ICE-287G")] == "Current"
    # HSI's Group Supervisor is on the roster too: the task-force requirement applies to everyone
    assert by_person[(str(world.people["HSI"].pk), "ICE-287G")] == "Missing"


def test_the_api_serves_readiness_with_the_attributes(world, catalog, api_as):
    require(catalog.cfr, task_force=world.task_forces["HSI-TF"])
    person = world.people["BCA"]
    complete(person, catalog.cfr, _today() - timedelta(days=1))
    body = api_as(Role.SUPERVISOR).get(f"/api/v1/training/people/{person.pk}/readiness").json()
    assert body["ready"] is True
    assert body["requirements"][0]["state"] == "current"
    assert body["attributes"]["28CFRCertificationIndicator"] is True
    tf = (
        api_as(Role.COORDINATOR)
        .get(f"/api/v1/training/task-forces/{world.task_forces['HSI-TF'].pk}/readiness")
        .json()
    )
    assert {p["readiness"] for p in tf["people"]} == {"current", "missing"}


def test_gating_through_the_api_end_to_end(world, catalog, api_as):
    require(catalog.ice, task_force=world.task_forces["HSI-TF"])
    policy = require(catalog.privacy, role="Task Force Officer", basis=Requirement.Basis.POLICY)
    api = api_as(Role.SUPERVISOR)
    person = world.person("BCA")
    assignment = {
        "person_id": person.pk,
        "task_force_id": world.task_forces["HSI-TF"].pk,
        "role": "Task Force Officer",
        "start_date": _today().isoformat(),
    }
    refused = api.post("/api/v1/directory/assignments", assignment, content_type="application/json")
    assert refused.status_code == 409
    assert len(refused.json()["fields"]["person"]) == 2
    created = api.post(
        "/api/v1/training/completions",
        {
            "person_id": person.pk,
            "course_id": catalog.ice.pk,
            "completed_on": _today().isoformat(),
            "score": 88,
        },
        content_type="application/json",
    )
    assert created.status_code == 201
    assert created.json()["verified"] is False
    verified = api.post(f"/api/v1/training/completions/{created.json()['id']}/verify")
    assert verified.json()["verified"] is True
    overridden = api.post(
        "/api/v1/training/overrides",
        {"person_id": person.pk, "requirement_id": policy.pk, "reason": "Class next week"},
        content_type="application/json",
    )
    assert overridden.status_code == 201
    done = api.post("/api/v1/directory/assignments", assignment, content_type="application/json")
    assert done.status_code == 201
    assert TaskForceAssignment.objects.filter(person=person).count() == 1


def test_the_api_refuses_overriding_a_statutory_requirement(world, catalog, api_as):
    req = require(catalog.ice, task_force=world.task_forces["HSI-TF"])
    response = api_as(Role.SUPERVISOR).post(
        "/api/v1/training/overrides",
        {"person_id": world.people["BCA"].pk, "requirement_id": req.pk, "reason": "x"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "not_overridable"


def test_the_roster_compliance_report_downloads_as_a_tagged_pdf_with_each_state(
    world, catalog, client_as
):
    from pypdf import PdfReader

    tf = world.task_forces["HSI-TF"]
    require(catalog.ice, task_force=tf)
    require(catalog.privacy, task_force=tf, basis=Requirement.Basis.POLICY)
    bca, hsi = world.people["BCA"], world.people["HSI"]
    complete(bca, catalog.ice, _today() - timedelta(days=10), score=90)  # current
    complete(bca, catalog.privacy, _today() - timedelta(days=350))  # expiring
    complete(hsi, catalog.privacy, _today() - timedelta(days=400))  # expired; ICE missing
    response = client_as(Role.COORDINATOR).get(f"/training/task-forces/{tf.pk}/roster.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="roster-compliance-{tf.pk}.pdf"'
    )
    reader = PdfReader(io.BytesIO(response.content))
    assert reader.metadata.title == f"Roster compliance report: {tf}"
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en-US"
    assert root["/MarkInfo"]["/Marked"]
    (document,) = root["/StructTreeRoot"]["/K"]
    kinds = {str(k.get_object()["/S"]) for k in document.get_object()["/K"]}
    assert {"/H1", "/TH"} <= kinds
    text = " ".join(page.extract_text() for page in reader.pages)
    text = " ".join(text.split())
    assert f"Roster compliance report: {tf}" in text
    assert "Generated" in text
    for heading in ("Person", "Agency", "Role", "Course", "Basis", "State", "Reason"):
        assert heading in text
    assert str(bca) in text
    assert str(hsi) in text
    assert "Current: 1" in text
    assert "Expiring within 30 days: 1" in text
    assert "Expired: 1" in text
    assert "Missing: 1" in text
    assert "No verified completion." in text
