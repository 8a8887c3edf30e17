"""Refusals are recorded, and the scope of assignments widens for those who see everything."""

from __future__ import annotations

import pytest

from liaison.core.roles import Role
from liaison.directory.models import TaskForceAssignment
from liaison.ledger.models import Entry, EntryKind


def _denials() -> list[Entry]:
    return list(Entry.objects.filter(kind=EntryKind.SECURITY, action="permission.deny"))


@pytest.mark.parametrize("role", [Role.OVERSIGHT, Role.ADMIN])
def test_oversight_and_admins_list_every_task_force_assignment(role, world, api_as):
    items = api_as(role).get("/api/v1/directory/assignments?page_size=100").json()["items"]
    assert {i["id"] for i in items} == set(TaskForceAssignment.objects.values_list("pk", flat=True))
    assert len(items) == 2


def test_an_out_of_scope_person_answers_not_found_and_the_refusal_is_recorded(world, client_as):
    hidden = world.people["HSI"]
    response = client_as(Role.OFFICER).get(f"/directory/personnel/{hidden.pk}/")
    assert response.status_code == 404
    (denial,) = _denials()
    assert (denial.object_type, denial.object_id) == ("directory.person", str(hidden.pk))
    assert denial.actor_id == world.users[Role.OFFICER].pk
    assert hidden.family_name not in str(Entry.objects.values_list("reason", "object_id"))


def test_an_out_of_scope_person_in_the_api_is_recorded_too(world, api_as):
    hidden = world.people["HSI"]
    assert api_as(Role.OFFICER).get(f"/api/v1/directory/personnel/{hidden.pk}").status_code == 404
    (denial,) = _denials()
    assert (denial.object_type, denial.object_id) == ("directory.person", str(hidden.pk))


def test_a_refused_api_read_names_the_account_the_token_acts_for(world, api_as):
    hidden = world.people["HSI"]
    client = api_as(Role.OFFICER)
    assert client.get(f"/api/v1/directory/personnel/{hidden.pk}").status_code == 404
    (denial,) = _denials()
    assert denial.actor_id == world.users[Role.OFFICER].pk


def test_a_person_that_does_not_exist_is_not_a_refusal(world, client_as):
    assert client_as(Role.OFFICER).get("/directory/personnel/999999/").status_code == 404
    assert _denials() == []


def test_an_edit_form_the_user_may_not_use_answers_403_before_it_is_shown(world, client_as):
    person = world.people["MSP"]  # the officer sees their own agency's people
    response = client_as(Role.OFFICER).get(f"/directory/personnel/{person.pk}/edit/")
    assert response.status_code == 403
    assert b'name="given_name"' not in response.content
    (denial,) = _denials()
    assert denial.object_id == "GET directory:person_edit"


def test_a_create_form_the_role_never_uses_answers_403(world, client_as):
    assert client_as(Role.OFFICER).get("/directory/personnel/new/").status_code == 403
