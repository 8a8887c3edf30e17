"""Directory services: permission first, validation, one ledger entry per change, no deletes."""

from __future__ import annotations

from datetime import date

import pytest

from liaison.core.errors import PermissionDenied, ServiceError
from liaison.core.roles import Role
from liaison.directory import services
from liaison.directory.models import Person
from liaison.ledger.models import Entry


def _entries(obj) -> list[str]:
    return list(
        Entry.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))
        .order_by("seq")
        .values_list("action", flat=True)
    )


def test_creating_and_ending_a_task_force_is_ledgered_and_keeps_the_record(world):
    coordinator = world.users[Role.COORDINATOR]
    tf = services.task_force_create(
        actor=coordinator,
        name="Metro Gang Task Force",
        lead_agency=world.agencies["BCA"],
        purpose="Gangs",
        start_date=date(2025, 1, 1),
    )
    membership = services.task_force_membership_add(
        actor=coordinator, task_force=tf, agency=world.agencies["MPD"], joined_on=date(2025, 1, 1)
    )
    services.task_force_membership_end(
        actor=coordinator, membership=membership, left_on=date(2025, 6, 1)
    )
    services.task_force_end(actor=coordinator, task_force=tf, end_date=date(2025, 12, 31))
    tf.refresh_from_db()
    assert tf.end_date == date(2025, 12, 31)
    assert _entries(tf) == ["task_force.create", "task_force.end"]
    assert _entries(membership) == ["task_force_membership.add", "task_force_membership.end"]
    entry = Entry.objects.filter(action="task_force.create").get()
    assert entry.actor_id == coordinator.pk
    assert entry.agency_id == coordinator.agency_id


def test_a_coordinator_cannot_lead_a_task_force_for_another_agency(world):
    with pytest.raises(PermissionDenied):
        services.task_force_create(
            actor=world.users[Role.COORDINATOR],
            name="Not ours",
            lead_agency=world.agencies["HSI"],
            purpose="x",
            start_date=date(2025, 1, 1),
        )
    assert not Entry.objects.filter(action="task_force.create").exists()


def test_an_agency_joins_a_task_force_once(world):
    tf = world.task_forces["BCA-TF"]
    with pytest.raises(ServiceError) as exc:
        services.task_force_membership_add(
            actor=world.users[Role.ADMIN],
            task_force=tf,
            agency=world.agencies["MPD"],
            joined_on=date(2025, 1, 1),
        )
    assert "agency" in exc.value.fields


def test_a_person_is_assigned_only_to_a_task_force_their_agency_takes_part_in(world):
    supervisor = world.users[Role.SUPERVISOR]
    with pytest.raises(ServiceError) as exc:
        services.task_force_assignment_create(
            actor=world.users[Role.ADMIN],
            person=world.people["MPD"],
            task_force=world.task_forces["HSI-TF"],
            role="Officer",
            start_date=date(2025, 1, 1),
        )
    assert "task_force" in exc.value.fields
    assignment = services.task_force_assignment_create(
        actor=supervisor,
        person=world.people["BCA"],
        task_force=world.task_forces["BCA-TF"],
        role="Case Agent",
        start_date=date(2025, 1, 1),
    )
    services.task_force_assignment_end(
        actor=supervisor, assignment=assignment, end_date=date(2025, 3, 1)
    )
    assert _entries(assignment) == [
        "task_force_assignment.create",
        "task_force_assignment.end",
    ]


def test_moving_a_person_needs_rights_over_both_agencies(world):
    person = world.people["BCA"]
    with pytest.raises(PermissionDenied):
        services.person_update(
            actor=world.users[Role.SUPERVISOR],
            person=person,
            data={"agency": world.agencies["MSP"]},
        )
    services.person_update(
        actor=world.users[Role.COORDINATOR], person=person, data={"agency": world.agencies["MSP"]}
    )
    person.refresh_from_db()
    assert person.agency == world.agencies["MSP"]


def test_an_update_refuses_fields_it_does_not_change(world):
    with pytest.raises(ServiceError) as exc:
        services.contact_update(
            actor=world.users[Role.ADMIN],
            contact=world.contacts["BCA"],
            data={"owner_agency": world.agencies["MPD"]},
        )
    assert exc.value.fields == {"owner_agency": ["This field cannot be changed here."]}


def test_ending_a_person_and_deactivating_a_contact_or_agency_keep_them(world):
    admin = world.users[Role.ADMIN]
    person = services.person_end(
        actor=admin, person=world.people["BCA"], active_until=date(2025, 1, 31)
    )
    contact = services.contact_end(actor=admin, contact=world.contacts["BCA"])
    agency = services.agency_deactivate(actor=admin, agency=world.agencies["HCSO"])
    assert Person.objects.filter(pk=person.pk, active_until=date(2025, 1, 31)).exists()
    contact.refresh_from_db()
    agency.refresh_from_db()
    assert not contact.active
    assert not agency.active
    assert _entries(agency) == ["agency.deactivate"]
    assert _entries(person)[-1] == "person.end"
    assert _entries(contact)[-1] == "contact.end"


def test_ending_an_assignment_or_a_designation_is_recorded_as_ending_it(world):
    admin = world.users[Role.ADMIN]
    designation = services.liaison_designation_end(
        actor=admin, designation=world.designations["BCA"], end_date=date(2026, 1, 31)
    )
    assignment = world.task_forces["HSI-TF"].assignments.first()
    assert assignment is not None
    services.task_force_assignment_end(
        actor=admin, assignment=assignment, end_date=date(2026, 1, 31)
    )
    assert _entries(designation)[-1] == "liaison_designation.end"
    assert _entries(assignment)[-1] == "task_force_assignment.end"


def test_an_update_saves_only_the_fields_that_changed_and_records_them(world, monkeypatch):
    admin = world.users[Role.ADMIN]
    person = world.people["BCA"]
    saved: list[object] = []
    original = Person.save

    def spy(self, *args, **kwargs):
        saved.append(kwargs.get("update_fields"))
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Person, "save", spy)
    services.person_update(
        actor=admin, person=person, data={"title": "Sergeant", "given_name": person.given_name}
    )
    assert saved == [["title", "updated_at"]]
    assert _entries(person)[-1] == "person.update"


def test_an_update_that_changes_nothing_writes_nothing(world):
    admin = world.users[Role.ADMIN]
    person = world.people["BCA"]
    before = Entry.objects.count()
    services.person_update(actor=admin, person=person, data={"given_name": person.given_name})
    assert Entry.objects.count() == before


def test_a_liaison_represents_their_own_agency(world):
    coordinator = world.users[Role.COORDINATOR]
    with pytest.raises(ServiceError) as exc:
        services.liaison_designation_create(
            actor=coordinator,
            person=world.people["MSP"],
            from_agency=world.agencies["BCA"],
            to_agency=world.agencies["HSI"],
            start_date=date(2025, 1, 1),
        )
    assert "person" in exc.value.fields
    # A person of a component (BCA) may represent the department (DPS).
    designation = services.liaison_designation_create(
        actor=coordinator,
        person=world.people["BCA"],
        from_agency=world.agencies["DPS"],
        to_agency=world.agencies["CBP"],
        start_date=date(2025, 1, 1),
    )
    services.liaison_designation_end(
        actor=coordinator, designation=designation, end_date=date(2025, 2, 1)
    )
    assert _entries(designation) == [
        "liaison_designation.create",
        "liaison_designation.end",
    ]


def test_an_agency_cannot_be_its_own_ancestor(world):
    with pytest.raises(ServiceError) as exc:
        services.agency_update(
            actor=world.users[Role.ADMIN],
            agency=world.agencies["DPS"],
            data={"parent": world.agencies["BCA"]},
        )
    assert "parent" in exc.value.fields


def test_personal_data_never_reaches_the_ledger_in_clear(world):
    person = services.person_create(
        actor=world.users[Role.SUPERVISOR],
        agency=world.agencies["BCA"],
        given_name="Unmistakable",
        family_name="Surname",
        email="unmistakable@example.test",
        active_from=date(2025, 1, 1),
    )
    entry = Entry.objects.get(object_type="directory.person", object_id=str(person.pk))
    text = " ".join(str(v) for v in entry.__dict__.values())
    assert "Unmistakable" not in text
    assert "unmistakable@" not in text
