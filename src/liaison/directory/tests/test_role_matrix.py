"""What each of the nine roles sees and may change in the directory, through the staff
pages and the API. The world is described in ``conftest.py``."""

from __future__ import annotations

from typing import Any

import pytest

from liaison.core.roles import Role
from liaison.personas import ALL, ROLES, STATE_LOCAL, World

# Owning agencies whose people and contacts each role sees.
SEES_OWNED: dict[Role, frozenset[str]] = {
    Role.ADMIN: ALL,
    Role.OVERSIGHT: ALL,
    # DPS and BCA share HSI-TF (led by HSI) and BCA-TF: HSI is their federal partner.
    Role.COORDINATOR: STATE_LOCAL | {"HSI"},
    Role.SUPERVISOR: STATE_LOCAL | {"HSI"},
    Role.PRIVACY_OFFICER: STATE_LOCAL | {"HSI"},
    Role.LEGAL_COUNSEL: STATE_LOCAL | {"HSI"},
    # MPD only shares BCA-TF, which has no federal participant.
    Role.INVESTIGATOR: STATE_LOCAL,
    Role.OFFICER: frozenset({"MSP"}),
    Role.PARTNER: frozenset({"HSI"}),
}
SEES_TASK_FORCES: dict[Role, frozenset[str]] = {
    Role.ADMIN: frozenset({"HSI-TF", "ERO-TF", "BCA-TF"}),
    Role.OVERSIGHT: frozenset({"HSI-TF", "ERO-TF", "BCA-TF"}),
    Role.COORDINATOR: frozenset({"HSI-TF", "BCA-TF"}),
    Role.SUPERVISOR: frozenset({"HSI-TF", "BCA-TF"}),
    Role.PRIVACY_OFFICER: frozenset({"HSI-TF", "BCA-TF"}),
    Role.LEGAL_COUNSEL: frozenset({"HSI-TF", "BCA-TF"}),
    Role.INVESTIGATOR: frozenset({"BCA-TF"}),
    Role.OFFICER: frozenset({"HSI-TF"}),
    Role.PARTNER: frozenset({"HSI-TF"}),
}
# Designations are owned by the agency the liaison represents (keys of world.designations).
SEES_DESIGNATIONS: dict[Role, frozenset[str]] = {
    role: frozenset({"BCA", "HSI", "ERO"} & owned) for role, owned in SEES_OWNED.items()
}

EDITS_BCA_PERSON = {Role.ADMIN, Role.COORDINATOR, Role.SUPERVISOR}
CREATES_CONTACT = {Role.ADMIN, Role.COORDINATOR}


def _names(items: list[dict[str, Any]], key: str) -> set[str]:
    return {item[key] for item in items}


def _abbr_of_agency(world: World) -> dict[int, str]:
    return {a.pk: abbr for abbr, a in world.agencies.items()}


@pytest.mark.parametrize("role", ROLES)
def test_each_role_lists_exactly_the_people_it_may_see(role, world, client_as, api_as):
    page = client_as(role).get("/directory/personnel/").content.decode()
    for abbr, person in world.people.items():
        assert (person.family_name in page) == (abbr in SEES_OWNED[role]), abbr
    items = api_as(role).get("/api/v1/directory/personnel?page_size=100").json()["items"]
    agencies = _abbr_of_agency(world)
    assert {agencies[i["agency_id"]] for i in items} == SEES_OWNED[role]


@pytest.mark.parametrize("role", ROLES)
def test_each_role_opens_only_the_people_it_may_see(role, world, client_as, api_as):
    client, api = client_as(role), api_as(role)
    for abbr, person in world.people.items():
        expected = 200 if abbr in SEES_OWNED[role] else 404
        assert client.get(f"/directory/personnel/{person.pk}/").status_code == expected, abbr
        assert api.get(f"/api/v1/directory/personnel/{person.pk}").status_code == expected, abbr


@pytest.mark.parametrize("role", ROLES)
def test_each_role_lists_and_opens_only_the_contacts_it_may_see(role, world, client_as, api_as):
    client, api = client_as(role), api_as(role)
    page = client.get("/directory/contacts/?page=1").content.decode()
    for abbr, contact in world.contacts.items():
        visible = abbr in SEES_OWNED[role]
        assert (contact.name in page) == visible, abbr
        assert client.get(f"/directory/contacts/{contact.pk}/").status_code == (
            200 if visible else 404
        )
        assert api.get(f"/api/v1/directory/contacts/{contact.pk}").status_code == (
            200 if visible else 404
        )
    items = api.get("/api/v1/directory/contacts?page_size=100").json()["items"]
    agencies = _abbr_of_agency(world)
    assert {agencies[i["owner_agency_id"]] for i in items} == SEES_OWNED[role]


@pytest.mark.parametrize("role", ROLES)
def test_each_role_lists_and_opens_only_the_task_forces_it_may_see(role, world, client_as, api_as):
    client, api = client_as(role), api_as(role)
    page = client.get("/directory/task-forces/").content.decode()
    for name, task_force in world.task_forces.items():
        visible = name in SEES_TASK_FORCES[role]
        assert (f">{name}<" in page) == visible, name
        assert client.get(f"/directory/task-forces/{task_force.pk}/").status_code == (
            200 if visible else 404
        )
        assert api.get(f"/api/v1/directory/task-forces/{task_force.pk}").status_code == (
            200 if visible else 404
        )
    items = api.get("/api/v1/directory/task-forces").json()["items"]
    assert _names(items, "name") == SEES_TASK_FORCES[role]
    members = api.get("/api/v1/directory/memberships").json()["items"]
    by_pk = {tf.pk: name for name, tf in world.task_forces.items()}
    assert {by_pk[m["task_force_id"]] for m in members} <= SEES_TASK_FORCES[role]


@pytest.mark.parametrize("role", ROLES)
def test_each_role_lists_and_opens_only_the_designations_it_may_see(role, world, client_as, api_as):
    client, api = client_as(role), api_as(role)
    for owner, designation in world.designations.items():
        visible = owner in SEES_DESIGNATIONS[role]
        assert client.get(f"/directory/designations/{designation.pk}/").status_code == (
            200 if visible else 404
        )
        assert api.get(f"/api/v1/directory/designations/{designation.pk}").status_code == (
            200 if visible else 404
        )
    items = api.get("/api/v1/directory/designations").json()["items"]
    agencies = _abbr_of_agency(world)
    assert {agencies[i["from_agency_id"]] for i in items} == SEES_DESIGNATIONS[role]
    page = client.get("/directory/designations/").content.decode()
    assert page.count('data-label="Liaison"') == len(SEES_DESIGNATIONS[role])


@pytest.mark.parametrize("role", ROLES)
def test_every_role_sees_every_agency_and_jurisdiction(role, world, client_as, api_as):
    page = client_as(role).get("/directory/agencies/").content.decode()
    assert all(a.name in page for a in world.agencies.values())
    api = api_as(role)
    assert api.get("/api/v1/directory/agencies").json()["total"] == len(world.agencies)
    assert api.get("/api/v1/directory/jurisdictions").json()["total"] == 2
    assert api.get(f"/api/v1/directory/agencies/{world.agencies['ERO'].pk}").status_code == 200


@pytest.mark.parametrize("role", ROLES)
def test_only_the_employer_chain_edits_a_person(role, world, client_as, api_as):
    person = world.people["BCA"]
    client, api = client_as(role), api_as(role)
    visible = "BCA" in SEES_OWNED[role]
    expected = 200 if role in EDITS_BCA_PERSON else (403 if visible else 404)
    assert client.get(f"/directory/personnel/{person.pk}/edit/").status_code == expected
    response = api.patch(
        f"/api/v1/directory/personnel/{person.pk}",
        {"title": "Special Agent in Charge"},
        content_type="application/json",
    )
    assert response.status_code == expected
    person.refresh_from_db()
    assert (person.title == "Special Agent in Charge") == (role in EDITS_BCA_PERSON)


@pytest.mark.parametrize("role", ROLES)
def test_only_admins_and_coordinators_create_contacts(role, world, client_as, api_as):
    user = world.users[role]
    client = client_as(role)
    allowed = role in CREATES_CONTACT
    assert client.get("/directory/contacts/new/").status_code == (200 if allowed else 403)
    response = api_as(role).post(
        "/api/v1/directory/contacts",
        {"agency_id": world.agencies["HSI"].pk, "owner_agency_id": user.agency_id, "name": "New"},
        content_type="application/json",
    )
    assert response.status_code == (201 if allowed else 403)
    page = client.get("/directory/contacts/").content.decode()
    assert ("New contact" in page) == allowed


@pytest.mark.parametrize("role", ROLES)
def test_only_admins_change_reference_data(role, world, client_as, api_as):
    allowed = role == Role.ADMIN
    client, api = client_as(role), api_as(role)
    assert client.get("/directory/agencies/new/").status_code == (200 if allowed else 403)
    assert client.get("/directory/jurisdictions/new/").status_code == (200 if allowed else 403)
    response = api.patch(
        f"/api/v1/directory/agencies/{world.agencies['MPD'].pk}",
        {"phone": "(612) 555-0199"},
        content_type="application/json",
    )
    assert response.status_code == (200 if allowed else 403)
    response = api.post(
        "/api/v1/directory/jurisdictions",
        {"name": "Ramsey County", "kind": "county", "state": "MN", "fips": "27123"},
        content_type="application/json",
    )
    assert response.status_code == (201 if allowed else 403)


@pytest.mark.parametrize("role", ROLES)
def test_a_task_force_is_changed_by_its_lead_agency_chain_only(role, world, client_as, api_as):
    bca_tf = world.task_forces["BCA-TF"]
    allowed = role in {Role.ADMIN, Role.COORDINATOR}
    visible = "BCA-TF" in SEES_TASK_FORCES[role]
    expected = 200 if allowed else (403 if visible else 404)
    assert client_as(role).get(f"/directory/task-forces/{bca_tf.pk}/edit/").status_code == expected
    response = api_as(role).patch(
        f"/api/v1/directory/task-forces/{bca_tf.pk}",
        {"area": "Statewide"},
        content_type="application/json",
    )
    assert response.status_code == expected
    # HSI-TF belongs to HSI: only an admin changes it, even the partner of HSI may not.
    hsi_tf = world.task_forces["HSI-TF"]
    response = api_as(role).patch(
        f"/api/v1/directory/task-forces/{hsi_tf.pk}",
        {"area": "Statewide"},
        content_type="application/json",
    )
    visible = "HSI-TF" in SEES_TASK_FORCES[role]
    assert response.status_code == (200 if role == Role.ADMIN else 403 if visible else 404)


def test_a_partner_sees_nothing_of_another_agencys_internal_records(world, client_as, api_as):
    client, api = client_as(Role.PARTNER), api_as(Role.PARTNER)
    others = [a for abbr, a in world.agencies.items() if abbr != "HSI"]
    for agency in others:
        api_people = api.get(f"/api/v1/directory/personnel?agency={agency.pk}").json()
        assert api_people["total"] == 0
        assert api.get(f"/api/v1/directory/contacts?agency={agency.pk}").json()["total"] == 0
        page = client.get(f"/directory/personnel/?agency={agency.pk}").content.decode()
        assert "0 results" in page
    # The BCA→HSI designation is BCA's record, even though it names HSI.
    assert (
        api.get(f"/api/v1/directory/designations/{world.designations['BCA'].pk}").status_code == 404
    )
    assert client.get(f"/directory/designations/{world.designations['ERO'].pk}/").status_code == 404
    # The roster of the task force HSI leads shows BCA's officer; nothing else of BCA.
    roster = api.get(f"/api/v1/directory/assignments?task_force={world.task_forces['HSI-TF'].pk}")
    assert {a["person_id"] for a in roster.json()["items"]} == {
        world.people["BCA"].pk,
        world.people["HSI"].pk,
    }
    assert api.get(f"/api/v1/directory/personnel/{world.people['BCA'].pk}").status_code == 404
    for name in ("ERO-TF", "BCA-TF"):
        tf = world.task_forces[name]
        assert client.get(f"/directory/task-forces/{tf.pk}/").status_code == 404
        assert api.get(f"/api/v1/directory/memberships?task_force={tf.pk}").json()["total"] == 0
    # Not even a sister component of the same department.
    assert client.get(f"/directory/personnel/{world.people['ERO'].pk}/").status_code == 404


def test_a_state_agency_that_left_a_task_force_loses_its_federal_partner(world, api_as):
    from liaison.directory import scope

    hcso_user = world.users[Role.INVESTIGATOR]
    hcso_user.agency = world.agencies["HCSO"]
    hcso_user.save()
    assert not scope.can_view_owned(hcso_user, world.agencies["HSI"].pk)
    assert scope.can_view_owned(hcso_user, world.agencies["BCA"].pk)
    assert scope.can_view_owned(world.users[Role.COORDINATOR], world.agencies["HSI"].pk)


def test_an_officer_sees_the_task_forces_of_their_agency_but_not_the_partners_people(
    world, client_as
):
    client = client_as(Role.OFFICER)
    hsi_tf = world.task_forces["HSI-TF"]
    page = client.get(f"/directory/task-forces/{hsi_tf.pk}/").content.decode()
    assert "BCA Agency" in page  # member agencies are part of the task force record
    assert world.people["HSI"].family_name not in page
    assert client.get(f"/directory/personnel/{world.people['HSI'].pk}/").status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_assignments_are_made_by_those_who_manage_the_persons_agency(role, world, api_as):
    allowed = role in {Role.ADMIN, Role.COORDINATOR, Role.SUPERVISOR}
    person, tf = world.people["BCA"], world.task_forces["BCA-TF"]
    response = api_as(role).post(
        "/api/v1/directory/assignments",
        {
            "person_id": person.pk,
            "task_force_id": tf.pk,
            "role": "Analyst",
            "start_date": "2025-01-01",
        },
        content_type="application/json",
    )
    # Roles that cannot see the person are told the reference is unusable, as if it did not exist.
    visible = "BCA" in SEES_OWNED[role]
    assert response.status_code == (201 if allowed else 403 if visible else 400)


@pytest.mark.parametrize("role", ROLES)
def test_liaisons_are_designated_by_coordinators_of_the_agency_they_represent(
    role, world, client_as, api_as
):
    allowed = role in {Role.ADMIN, Role.COORDINATOR}
    assert client_as(role).get("/directory/designations/new/").status_code == (
        200 if allowed else 403
    )
    response = api_as(role).post(
        "/api/v1/directory/designations",
        {
            "person_id": world.people["MSP"].pk,
            "from_agency_id": world.agencies["MSP"].pk,
            "to_agency_id": world.agencies["CBP"].pk,
            "start_date": "2025-01-01",
        },
        content_type="application/json",
    )
    visible = "MSP" in SEES_OWNED[role]
    assert response.status_code == (201 if allowed else 403 if visible else 400)


@pytest.mark.parametrize("role", ROLES)
def test_every_role_reaches_the_directory_landing_page(role, world, client_as):
    response = client_as(role).get("/directory/")
    assert response.status_code == 200
    assert b"Directory sections" in response.content


def test_the_directory_needs_a_signed_in_user(world, client):
    assert client.get("/directory/personnel/").status_code == 302
    assert client.get("/api/v1/directory/personnel").status_code == 401
