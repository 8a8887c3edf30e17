"""The directory warns of a likely duplicate person, refuses what cannot be true, and its
pickers show what tells people apart."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import IntegrityError, transaction

from liaison.core.errors import ServiceError
from liaison.core.roles import Role
from liaison.directory import services
from liaison.directory.models import LiaisonDesignation, Person


def add_agent(world, **extra):
    values = {
        "actor": world.users[Role.ADMIN],
        "agency": world.agencies["BCA"],
        "given_name": "Dana",
        "family_name": "Reyes",
        "badge_number": "BCA-7782",
        "email": "dana.reyes@example.test",
        "active_from": date(2021, 3, 1),
    }
    values.update(extra)
    return services.person_create(**values)


def test_the_same_person_twice_is_refused_until_confirmed_as_someone_else(world):
    first = add_agent(world)
    with pytest.raises(ServiceError) as refused:
        add_agent(world)
    assert refused.value.code == "possible_duplicate"
    message = refused.value.fields["confirm_different_person"][0]
    assert "Dana Reyes (badge BCA-7782, BCA)" in message
    assert "badge number and e-mail and name" in message
    second = add_agent(world, given_name="Dan", email="", confirm_different_person=True)
    assert second.pk != first.pk


@pytest.mark.parametrize(
    "alike",
    [
        {"given_name": "Other", "email": "other@example.test"},  # same badge
        {"given_name": "Other", "badge_number": "X-1"},  # same e-mail
        {"badge_number": "X-1", "email": "other@example.test"},  # same name
    ],
)
def test_one_matching_badge_email_or_name_in_the_agency_is_enough_to_warn(world, alike):
    add_agent(world)
    with pytest.raises(ServiceError, match="already has"):
        add_agent(world, **alike)


def test_the_same_name_in_another_agency_is_not_a_duplicate(world):
    add_agent(world)
    add_agent(world, agency=world.agencies["MSP"], badge_number="MSP-1", email="d@example.test")


def test_the_person_form_asks_to_confirm_a_likely_duplicate(world, client_as):
    add_agent(world)
    form = {
        "agency": world.agencies["BCA"].pk,
        "given_name": "Dana",
        "family_name": "Reyes",
        "badge_number": "BCA-7782",
        "email": "dana.reyes@example.test",
        "active_from": "2021-03-01",
    }
    client = client_as(Role.ADMIN)
    response = client.post("/directory/personnel/new/", form)
    page = response.content.decode()
    assert "This is a different person" in page
    assert "This looks like Dana Reyes (badge BCA-7782, BCA)" in page
    assert Person.objects.filter(badge_number="BCA-7782").count() == 1
    response = client.post("/directory/personnel/new/", {**form, "confirm_different_person": "on"})
    assert response.status_code == 302
    assert Person.objects.filter(badge_number="BCA-7782").count() == 2


def test_the_api_asks_for_the_confirmation_flag(world, api_as):
    add_agent(world)
    api = api_as(Role.ADMIN)
    body = {
        "agency_id": world.agencies["BCA"].pk,
        "given_name": "Dana",
        "family_name": "Reyes",
        "badge_number": "BCA-7782",
        "active_from": "2021-03-01",
    }
    url = "/api/v1/directory/personnel"
    refused = api.post(url, body, content_type="application/json")
    assert refused.status_code == 400
    assert refused.json()["code"] == "possible_duplicate"
    body["confirm_different_person"] = True
    assert api.post(url, body, content_type="application/json").status_code == 201


def test_an_assignment_cannot_start_before_the_persons_first_day(world):
    person = world.person("BCA", active_from=date(2025, 6, 1))
    with pytest.raises(ServiceError) as refused:
        services.task_force_assignment_create(
            actor=None,
            person=person,
            task_force=world.task_forces["HSI-TF"],
            role="Task Force Officer",
            start_date=date(2025, 5, 31),
        )
    assert "first day with BCA Agency is Jun 1, 2025" in refused.value.fields["start_date"][0]


def test_a_designation_cannot_start_before_the_persons_first_day(world):
    person = world.person("BCA", active_from=date(2025, 6, 1))
    with pytest.raises(ServiceError) as refused:
        services.liaison_designation_create(
            actor=None,
            person=person,
            from_agency=world.agencies["BCA"],
            to_agency=world.agencies["HSI"],
            start_date=date(2024, 1, 1),
        )
    assert "cannot start before it" in refused.value.fields["start_date"][0]


def designate(world, person, start, end=None):
    return services.liaison_designation_create(
        actor=None,
        person=person,
        from_agency=world.agencies["BCA"],
        to_agency=world.agencies["MSP"],
        start_date=start,
        end_date=end,
    )


def test_identical_overlapping_designations_are_refused(world):
    person = world.people["BCA"]
    designate(world, person, date(2025, 1, 1), date(2025, 12, 31))
    for start, end in [(date(2025, 1, 1), None), (date(2025, 6, 1), date(2026, 6, 1))]:
        with pytest.raises(ServiceError) as refused:
            designate(world, person, start, end)
        assert "the dates overlap" in refused.value.fields["start_date"][0]
    designate(world, person, date(2026, 1, 1))  # after the first ends: allowed
    assert LiaisonDesignation.objects.filter(to_agency=world.agencies["MSP"]).count() == 2


def test_the_database_refuses_a_second_designation_from_the_same_day(world):
    values = {
        "person": world.people["BCA"],
        "from_agency": world.agencies["BCA"],
        "to_agency": world.agencies["MSP"],
        "start_date": date(2025, 1, 1),
    }
    LiaisonDesignation.objects.create(**values)
    with pytest.raises(IntegrityError), transaction.atomic():
        LiaisonDesignation.objects.create(**values)


def test_person_pickers_show_badge_and_agency(world, client_as):
    twin = world.person("BCA", given_name="Dana", family_name="Reyes", badge_number="BCA-1")
    world.person("BCA", given_name="Dana", family_name="Reyes", badge_number="BCA-2")
    page = client_as(Role.ADMIN).get("/directory/assignments/new/").content.decode()
    assert f'value="{twin.pk}">Dana Reyes (badge BCA-1, BCA)</option>' in page
    assert ">Dana Reyes (badge BCA-2, BCA)</option>" in page
    page = client_as(Role.ADMIN).get("/directory/designations/new/").content.decode()
    assert ">Dana Reyes (badge BCA-1, BCA)</option>" in page
