"""Who read a record is itself private, and lists of private fields leave a trace."""

from __future__ import annotations

import pytest

from liaison.core.roles import Role
from liaison.ledger.models import Entry, EntryKind, EntryRecord
from liaison.ledger.services import change_digest, records_change

pytestmark = pytest.mark.django_db


def test_reads_in_a_persons_history_are_shown_only_to_the_privacy_officer_and_oversight(
    world, client_as
):
    person = world.people["DPS"]
    auditor = world.users[Role.OVERSIGHT]
    client_as(Role.OVERSIGHT).get(person.get_absolute_url())  # a person.read by oversight
    coordinator_page = client_as(Role.COORDINATOR).get(person.get_absolute_url())
    assert coordinator_page.status_code == 200
    assert 'data-testid="history"' in coordinator_page.content.decode()
    assert "person.read" not in coordinator_page.content.decode()
    assert auditor.username not in coordinator_page.content.decode()
    assert 'data-testid="access-log-link"' not in coordinator_page.content.decode()
    for role in (Role.PRIVACY_OFFICER, Role.OVERSIGHT, Role.ADMIN):
        page = client_as(role).get(person.get_absolute_url()).content.decode()
        assert "person.read" in page, role
        assert auditor.username in page, role
        assert (
            f'href="/ledger/access/?record_type=directory.person&amp;record_id={person.pk}"' in page
        ), role


def test_reads_in_a_contacts_history_are_hidden_from_its_other_readers(world, client_as):
    contact = world.contacts["DPS"]
    client_as(Role.OVERSIGHT).get(contact.get_absolute_url())
    page = client_as(Role.COORDINATOR).get(contact.get_absolute_url()).content.decode()
    assert "contact.read" not in page
    assert (
        "contact.read"
        in client_as(Role.PRIVACY_OFFICER).get(contact.get_absolute_url()).content.decode()
    )


@pytest.mark.parametrize(
    ("path", "action", "object_type"),
    [
        ("/api/v1/directory/personnel?page_size=100", "person.list", "directory.person"),
        ("/api/v1/directory/contacts?page_size=100", "contact.list", "directory.contact"),
    ],
)
def test_an_api_list_of_private_fields_records_one_access_entry_naming_the_records(
    world, api_as, path, action, object_type
):
    response = api_as(Role.ADMIN).get(path)
    assert response.status_code == 200
    returned = [str(item["id"]) for item in response.json()["items"]]
    assert len(returned) == 9
    entries = Entry.objects.filter(kind=EntryKind.ACCESS, action=action)
    assert entries.count() == 1
    entry = entries.get()
    assert (entry.object_type, entry.actor_id) == (object_type, world.users[Role.ADMIN].pk)
    listed = list(
        EntryRecord.objects.filter(entry=entry).order_by("id").values_list("object_id", flat=True)
    )
    assert listed == returned
    assert entry.change_hash == change_digest(records_change(returned))
    body = response.content.decode()
    assert world.people["DPS"].email in body or object_type == "directory.contact"
    # no personal data in the entry itself
    row = Entry.objects.filter(seq=entry.seq).values_list().get()
    for person in world.people.values():
        assert person.email not in str(row)
        assert person.badge_number not in str(row)


def test_the_personnel_page_records_the_people_it_shows(world, client_as):
    page = client_as(Role.ADMIN).get("/directory/personnel/")
    assert page.status_code == 200
    entry = Entry.objects.get(kind=EntryKind.ACCESS, action="person.list")
    assert EntryRecord.objects.filter(entry=entry).count() == 9


def test_an_empty_list_records_nothing(world, api_as):
    api_as(Role.ADMIN).get("/api/v1/directory/personnel?page=99")
    assert not Entry.objects.filter(action="person.list").exists()
