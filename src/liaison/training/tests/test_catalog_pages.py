"""Managing the catalog and the requirements on the pages: admins and coordinators add
and edit courses and add and end requirements, with field messages, history and
filters; other roles read the lists but get 403 on the forms."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from liaison.core.errors import PermissionDenied
from liaison.core.roles import Role
from liaison.ledger.models import Entry
from liaison.training import services
from liaison.training.models import Course, Requirement
from liaison.training.tests.conftest import require

pytestmark = pytest.mark.django_db

COURSE = {
    "code": "ST-CIVIL",
    "title": "Civil rights in joint operations",
    "provider": "POST board",
    "hours": "4",
    "modality": "online",
    "topics": "civil rights, bias",
    "validity_months": "24",
    "passing_score": "",
    "certifying_body": "",
    "attribute": "",
}


def test_a_coordinator_adds_and_edits_a_course_and_its_page_shows_the_history(client_as):
    client = client_as(Role.COORDINATOR)
    assert client.get("/training/courses/new/").status_code == 200
    response = client.post("/training/courses/new/", COURSE)
    assert response.status_code == 302
    course = Course.objects.get(code="ST-CIVIL")
    assert course.validity_months == 24
    assert course.modality == "online"
    edit = client.post(
        f"/training/courses/{course.pk}/edit/", {**COURSE, "title": "Civil rights", "hours": "6"}
    )
    assert edit.status_code == 302
    course.refresh_from_db()
    assert (course.title, course.hours) == ("Civil rights", 6)
    page = client.get(f"/training/courses/{course.pk}/").content.decode()
    assert 'data-testid="history"' in page
    assert "course.create" in page
    assert "course.update" in page
    assert list(Entry.objects.filter(action__startswith="course.").values_list("action", flat=True))


def test_a_certification_without_its_body_is_refused_beside_the_field(client_as):
    response = client_as(Role.ADMIN).post(
        "/training/courses/new/", {**COURSE, "is_certification": "on"}
    )
    assert response.status_code == 400
    assert "A certification names its certifying body." in response.content.decode()
    assert not Course.objects.filter(code="ST-CIVIL").exists()


def test_the_catalog_list_filters_by_search_and_certification(catalog, client_as):
    client = client_as(Role.OFFICER)
    text = client.get("/training/courses/", {"q": "privacy"}).content.decode()
    assert "ST-PRIV" in text
    assert "ICE-287G" not in text
    text = client.get("/training/courses/", {"certification": "yes"}).content.decode()
    assert "ICE-287G" in text
    assert "ST-PRIV" not in text


def test_a_coordinator_requires_a_course_for_a_task_force_and_ends_it(world, catalog, client_as):
    client = client_as(Role.COORDINATOR)
    tf = world.task_forces["HSI-TF"]
    form = {
        "course": catalog.privacy.pk,
        "scope_kind": "task_force",
        "basis": "policy",
        "effective_from": "2025-01-01",
        "role": "",
        "agreement_kind": "",
    }
    missing = client.post("/training/requirements/new/", form)
    assert missing.status_code == 400
    assert "Choose one." in missing.content.decode()
    done = client.post("/training/requirements/new/", {**form, "task_force": tf.pk})
    assert done.status_code == 302
    requirement = Requirement.objects.get(course=catalog.privacy)
    assert (requirement.task_force, requirement.basis) == (tf, Requirement.Basis.POLICY)
    end_url = f"/training/requirements/{requirement.pk}/end/"
    early = client.post(end_url, {"effective_until": "2024-12-31"})
    assert early.status_code == 400
    assert "The last day cannot be before the first day." in early.content.decode()
    yesterday = timezone.localdate() - timedelta(days=1)
    assert client.post(end_url, {"effective_until": yesterday.isoformat()}).status_code == 302
    requirement.refresh_from_db()
    assert requirement.effective_until == yesterday
    page = client.get(f"/training/requirements/{requirement.pk}/").content.decode()
    assert "Not in effect today" in page
    assert "requirement.end" in page


def test_the_requirement_list_filters_by_basis_and_by_what_is_in_effect(world, catalog, client_as):
    require(catalog.ice, task_force=world.task_forces["HSI-TF"])
    require(
        catalog.privacy,
        role="Task Force Officer",
        basis=Requirement.Basis.POLICY,
        effective_until=date(2024, 6, 30),
    )
    client = client_as(Role.SUPERVISOR)

    def results(**query: str) -> str:
        text = client.get("/training/requirements/", query).content.decode()
        return text.split('id="results"', 1)[1]

    policy = results(basis="policy")
    assert "ST-PRIV" in policy
    assert "ICE-287G" not in policy
    current = results(in_effect="yes")
    assert "ICE-287G" in current
    assert "ST-PRIV" not in current


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.OFFICER, Role.PARTNER])
def test_other_roles_read_the_lists_but_may_not_manage(world, catalog, client_as, role):
    client = client_as(role)
    requirement = require(catalog.ice, task_force=world.task_forces["HSI-TF"])
    assert client.get("/training/courses/").status_code == 200
    assert client.get("/training/requirements/").status_code == 200
    for url in (
        "/training/courses/new/",
        f"/training/courses/{catalog.ice.pk}/edit/",
        "/training/requirements/new/",
        f"/training/requirements/{requirement.pk}/end/",
    ):
        assert client.get(url).status_code == 403, url
    assert client.post("/training/courses/new/", COURSE).status_code == 403
    assert not Course.objects.filter(code="ST-CIVIL").exists()


def test_the_services_refuse_a_supervisor_the_catalog_and_requirements(world, catalog):
    supervisor = world.users[Role.SUPERVISOR]
    with pytest.raises(PermissionDenied):
        services.course_create(
            actor=supervisor, fields=services.CourseFields(code="X-1", title="Anything")
        )
    requirement = require(catalog.ice, task_force=world.task_forces["HSI-TF"])
    with pytest.raises(PermissionDenied):
        services.requirement_end(
            actor=supervisor, requirement=requirement, effective_until=date(2026, 1, 1)
        )
