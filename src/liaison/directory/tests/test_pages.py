"""The directory's staff pages and API lists: query counts, forms, history and access log."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from liaison.core.roles import Role
from liaison.directory.models import (
    Agency,
    Contact,
    Jurisdiction,
    LiaisonDesignation,
    Person,
    TaskForce,
    TaskForceAssignment,
    TaskForceMembership,
)
from liaison.directory.services import change_of
from liaison.ledger.models import Entry, EntryKind
from liaison.ledger.services import change_digest
from liaison.personas import World

_serial = itertools.count(1)


def _add_rows(world: World, n: int) -> None:
    """``n`` more rows of every kind, all visible to the DPS coordinator."""
    bca, hsi = world.agencies["BCA"], world.agencies["HSI"]
    for _ in range(n):
        i = next(_serial)
        agency = Agency.objects.create(
            name=f"Extra agency {i}",
            abbreviation=f"X{i}",
            level="local",
            jurisdiction=world.mn,
        )
        Jurisdiction.objects.create(name=f"Extra county {i}", kind="county", state="MN")
        person = world.person("BCA")
        tf = TaskForce.objects.create(
            name=f"Extra task force {i}",
            lead_agency=bca,
            purpose="Extra",
            start_date=date(2024, 1, 1),
        )
        TaskForceMembership.objects.create(task_force=tf, agency=agency, joined_on=date(2024, 1, 1))
        TaskForceAssignment.objects.create(
            person=person, task_force=tf, role="Analyst", start_date=date(2024, 1, 1)
        )
        LiaisonDesignation.objects.create(
            person=person, from_agency=bca, to_agency=hsi, start_date=date(2024, 1, 1)
        )
        Contact.objects.create(agency=agency, owner_agency=bca, name=f"Extra desk {i}")


def _queries(fetch: Callable[[], object]) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fetch()
    return len(ctx.captured_queries)


LIST_PAGES = [
    "/directory/",
    "/directory/agencies/",
    "/directory/jurisdictions/",
    "/directory/task-forces/",
    "/directory/personnel/",
    "/directory/designations/",
    "/directory/contacts/",
]
API_LISTS = [
    "/api/v1/directory/agencies",
    "/api/v1/directory/jurisdictions",
    "/api/v1/directory/task-forces",
    "/api/v1/directory/memberships",
    "/api/v1/directory/personnel",
    "/api/v1/directory/assignments",
    "/api/v1/directory/designations",
    "/api/v1/directory/contacts",
]


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.PARTNER])
@pytest.mark.parametrize("url", LIST_PAGES)
def test_list_pages_make_as_many_queries_for_30_rows_as_for_5(role, url, world, client_as):
    client = client_as(role)
    _add_rows(world, 5)
    client.get(url)  # warm the session
    few = _queries(lambda: client.get(url))
    _add_rows(world, 25)
    many = _queries(lambda: client.get(url))
    assert few == many


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.PARTNER])
@pytest.mark.parametrize("url", API_LISTS)
def test_api_lists_make_as_many_queries_for_30_rows_as_for_5(role, url, world, api_as):
    api = api_as(role)
    _add_rows(world, 5)
    api.get(url)  # the first use of a token records it
    few = _queries(lambda: api.get(url))
    _add_rows(world, 25)
    response = api.get(url)
    many = _queries(lambda: api.get(url))
    assert response.status_code == 200
    assert few == many


def test_list_pages_show_25_rows_a_page_and_link_to_the_next(world, client_as):
    _add_rows(world, 30)
    page = client_as(Role.ADMIN).get("/directory/contacts/").content.decode()
    assert page.count('data-label="Name"') == 25
    assert "page=2" in page
    second = client_as(Role.ADMIN).get("/directory/contacts/?page=2").content.decode()
    assert second.count('data-label="Name"') == len(world.contacts) + 30 - 25


def test_searching_and_filtering_narrow_a_list(world, client_as, api_as):
    person = world.people["MSP"]
    client = client_as(Role.COORDINATOR)
    page = client.get(f"/directory/personnel/?q={person.family_name}").content.decode()
    assert "1 result." in page
    page = client.get("/directory/agencies/?level=federal").content.decode()
    assert "BCA Agency" not in page
    assert "HSI Agency" in page
    items = api_as(Role.COORDINATOR).get(
        f"/api/v1/directory/personnel?agency={world.agencies['MSP'].pk}"
    )
    assert [p["id"] for p in items.json()["items"]] == [person.pk]


def test_a_form_with_an_error_shows_the_message_beside_the_field_and_saves_nothing(
    world, client_as
):
    before = Person.objects.count()
    response = client_as(Role.COORDINATOR).post(
        "/directory/personnel/new/",
        {
            "agency": world.agencies["BCA"].pk,
            "given_name": "Ana",
            "family_name": "",
            "active_from": "2025-01-06",
            "active_until": "2024-01-01",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="family_name-error"' in html
    assert 'id="active_until-error"' in html
    assert "Must be on or after the first day." in html
    assert Person.objects.count() == before


def test_a_service_refusal_is_shown_on_the_form(world, client_as):
    tf = world.task_forces["BCA-TF"]
    response = client_as(Role.COORDINATOR).post(
        f"/directory/task-forces/{tf.pk}/members/new/",
        {"agency": world.agencies["MPD"].pk, "joined_on": "2025-01-01"},
    )
    assert response.status_code == 400
    assert 'id="agency-error"' in response.content.decode()
    assert tf.memberships.count() == 1


def test_a_coordinator_creates_a_person_and_the_ledger_records_it(world, client_as):
    response = client_as(Role.COORDINATOR).post(
        "/directory/personnel/new/",
        {
            "agency": world.agencies["MSP"].pk,
            "given_name": "Ana",
            "family_name": "Lindgren",
            "active_from": "2025-01-06",
        },
    )
    person = Person.objects.get(family_name="Lindgren")
    assert response.status_code == 302
    assert response["Location"] == person.get_absolute_url()
    entry = Entry.objects.get(object_type="directory.person", object_id=str(person.pk))
    assert entry.action == "person.create"
    assert entry.actor_id == world.users[Role.COORDINATOR].pk
    # The entry binds the person's fields by their hash and keeps the name nowhere in clear.
    assert entry.change_hash == change_digest(change_of(person))
    stored = Entry.objects.filter(pk=entry.pk).values().get()
    assert not [k for k, v in stored.items() if "Lindgren" in str(v)]


def test_a_coordinator_cannot_create_a_person_for_an_agency_outside_their_own(world, client_as):
    response = client_as(Role.COORDINATOR).post(
        "/directory/personnel/new/",
        {
            "agency": world.agencies["MPD"].pk,
            "given_name": "Ana",
            "family_name": "Outsider",
            "active_from": "2025-01-06",
        },
    )
    assert response.status_code == 400  # not a choice offered to them
    assert not Person.objects.filter(family_name="Outsider").exists()


def test_editing_a_person_keeps_their_history_on_the_page(world, client_as):
    person = world.people["BCA"]
    client = client_as(Role.SUPERVISOR)
    response = client.post(
        f"/directory/personnel/{person.pk}/edit/",
        {
            "agency": person.agency_id,
            "given_name": person.given_name,
            "family_name": person.family_name,
            "title": "Special Agent",
            "active_from": "2020-01-01",
            "active_until": "2025-12-31",
        },
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.title == "Special Agent"
    assert person.active_until == date(2025, 12, 31)
    page = client.get(person.get_absolute_url()).content.decode()
    assert "person.update" in page
    assert 'data-testid="history"' in page


def test_reading_a_person_or_a_contact_is_recorded_as_an_access(world, client_as, api_as):
    person, contact = world.people["BCA"], world.contacts["BCA"]
    client_as(Role.PRIVACY_OFFICER).get(person.get_absolute_url())
    api_as(Role.PRIVACY_OFFICER).get(f"/api/v1/directory/contacts/{contact.pk}")
    accesses = Entry.objects.filter(kind=EntryKind.ACCESS)
    assert accesses.filter(action="person.read", object_id=str(person.pk)).count() == 1
    assert accesses.filter(action="contact.read", object_id=str(contact.pk)).count() == 1
    assert set(accesses.values_list("actor_id", flat=True)) == {
        world.users[Role.PRIVACY_OFFICER].pk
    }


def test_an_out_of_scope_read_records_no_access(world, client_as):
    client_as(Role.PARTNER).get(world.people["BCA"].get_absolute_url())
    assert not Entry.objects.filter(kind=EntryKind.ACCESS).exists()


def test_buttons_to_change_records_show_only_to_those_allowed(world, client_as):
    person = world.people["BCA"]
    assert (
        "Edit person" in client_as(Role.SUPERVISOR).get(person.get_absolute_url()).content.decode()
    )
    assert (
        "Edit person"
        not in client_as(Role.LEGAL_COUNSEL).get(person.get_absolute_url()).content.decode()
    )
    assert (
        "New person" not in client_as(Role.OVERSIGHT).get("/directory/personnel/").content.decode()
    )


def test_the_api_answers_field_messages_for_an_invalid_create(world, api_as):
    response = api_as(Role.COORDINATOR).post(
        "/api/v1/directory/personnel",
        {
            "agency_id": world.agencies["BCA"].pk,
            "given_name": "Ana",
            "family_name": "Lind",
            "active_from": "2025-01-06",
            "active_until": "2024-01-06",
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["fields"] == {"active_until": ["Must be on or after the first day."]}
    response = api_as(Role.COORDINATOR).post(
        "/api/v1/directory/personnel",
        {"agency_id": world.agencies["BCA"].pk, "given_name": "Ana"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert set(response.json()["fields"]) == {"family_name", "active_from"}


def test_the_api_refuses_a_reference_to_a_record_out_of_scope(world, api_as):
    response = api_as(Role.COORDINATOR).post(
        "/api/v1/directory/assignments",
        {
            "person_id": world.people["ERO"].pk,
            "task_force_id": world.task_forces["HSI-TF"].pk,
            "role": "Analyst",
            "start_date": "2025-01-01",
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "person_id" in response.json()["fields"]


def test_the_api_schema_lists_the_directory_endpoints(world, client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for name in ("agencies", "jurisdictions", "task-forces", "memberships", "personnel"):
        assert f"/api/v1/directory/{name}" in paths
    for name in ("assignments", "designations", "contacts"):
        assert f"/api/v1/directory/{name}/{{pk}}" in paths
    assert "patch" in paths["/api/v1/directory/personnel/{pk}"]
    assert client.get("/api/v1/docs").status_code == 200
