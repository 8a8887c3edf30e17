"""How the generated rule matrix tries each directory action (see ``liaison.personas.Example``)."""

from __future__ import annotations

from datetime import date
from typing import Any

from liaison.directory import selectors as sel
from liaison.directory import services as svc
from liaison.directory.models import TaskForceAssignment, TaskForceMembership
from liaison.personas import Example, World

D = date(2024, 3, 1)


def _agencies(w: World) -> list[Any]:
    return list(w.agencies.values())


def _jurisdictions(w: World) -> list[Any]:
    return [w.us, w.mn]


def _task_forces(w: World) -> list[Any]:
    return list(w.task_forces.values())


def _memberships(w: World) -> list[Any]:
    return list(TaskForceMembership.objects.select_related("task_force").order_by("pk"))


def _people(w: World) -> list[Any]:
    return list(w.people.values())


def _assignments(w: World) -> list[Any]:
    return list(TaskForceAssignment.objects.select_related("person", "task_force").order_by("pk"))


def _designations(w: World) -> list[Any]:
    return list(w.designations.values())


def _contacts(w: World) -> list[Any]:
    return list(w.contacts.values())


def _none(w: World) -> list[Any]:
    return [None]


EXAMPLES: dict[str, Example] = {
    "directory.jurisdiction.view": Example(
        _jurisdictions,
        lambda w, u, r: sel.jurisdiction_get_for_user(user=u, pk=r.pk),
        page=lambda r: f"/directory/jurisdictions/{r.pk}/",
        api=lambda r: f"/api/v1/directory/jurisdictions/{r.pk}",
    ),
    "directory.jurisdiction.create": Example(
        _none,
        lambda w, u, r: svc.jurisdiction_create(actor=u, name="Ramsey", kind="county", state="MN"),
        page=lambda r: "/directory/jurisdictions/new/",
    ),
    "directory.jurisdiction.edit": Example(
        _jurisdictions,
        lambda w, u, r: svc.jurisdiction_update(actor=u, jurisdiction=r, data={"fips": "99"}),
        page=lambda r: f"/directory/jurisdictions/{r.pk}/edit/",
    ),
    "directory.agency.view": Example(
        _agencies,
        lambda w, u, r: sel.agency_get_for_user(user=u, pk=r.pk),
        page=lambda r: f"/directory/agencies/{r.pk}/",
        api=lambda r: f"/api/v1/directory/agencies/{r.pk}",
    ),
    "directory.agency.create": Example(
        _none,
        lambda w, u, r: svc.agency_create(
            actor=u, name="New Agency", level="local", jurisdiction=w.mn
        ),
        page=lambda r: "/directory/agencies/new/",
    ),
    "directory.agency.edit": Example(
        _agencies,
        lambda w, u, r: svc.agency_update(actor=u, agency=r, data={"phone": "(651) 555-0199"}),
        page=lambda r: f"/directory/agencies/{r.pk}/edit/",
    ),
    "directory.task_force.view": Example(
        _task_forces,
        lambda w, u, r: sel.task_force_get_for_user(user=u, pk=r.pk),
        page=lambda r: f"/directory/task-forces/{r.pk}/",
        api=lambda r: f"/api/v1/directory/task-forces/{r.pk}",
    ),
    "directory.task_force.create": Example(
        _agencies,
        lambda w, u, r: svc.task_force_create(
            actor=u, name="New TF", lead_agency=r, purpose="Testing", start_date=D
        ),
    ),
    "directory.task_force.edit": Example(
        _task_forces,
        lambda w, u, r: svc.task_force_update(actor=u, task_force=r, data={"area": "Metro"}),
        page=lambda r: f"/directory/task-forces/{r.pk}/edit/",
    ),
    "directory.task_force_membership.view": Example(
        _memberships,
        lambda w, u, r: sel.task_force_membership_get_for_user(user=u, pk=r.pk),
        api=lambda r: f"/api/v1/directory/memberships/{r.pk}",
    ),
    "directory.task_force_membership.create": Example(
        _task_forces,
        lambda w, u, r: svc.task_force_membership_add(
            actor=u, task_force=r, agency=w.agencies["CBP"], joined_on=D
        ),
        page=lambda r: f"/directory/task-forces/{r.pk}/members/new/",
    ),
    "directory.task_force_membership.edit": Example(
        _memberships,
        lambda w, u, r: svc.task_force_membership_update(
            actor=u, membership=r, data={"joined_on": D}
        ),
        page=lambda r: f"/directory/memberships/{r.pk}/edit/",
    ),
    "directory.person.view": Example(
        _people,
        lambda w, u, r: sel.person_get_for_user(user=u, pk=r.pk),
        page=lambda r: f"/directory/personnel/{r.pk}/",
        api=lambda r: f"/api/v1/directory/personnel/{r.pk}",
    ),
    "directory.person.create": Example(
        _agencies,
        lambda w, u, r: svc.person_create(
            actor=u, agency=r, given_name="Ada", family_name="Example", active_from=D
        ),
    ),
    "directory.person.edit": Example(
        _people,
        lambda w, u, r: svc.person_update(actor=u, person=r, data={"title": "Special Agent"}),
        page=lambda r: f"/directory/personnel/{r.pk}/edit/",
    ),
    "directory.task_force_assignment.view": Example(
        _assignments,
        lambda w, u, r: sel.task_force_assignment_get_for_user(user=u, pk=r.pk),
        api=lambda r: f"/api/v1/directory/assignments/{r.pk}",
    ),
    "directory.task_force_assignment.create": Example(
        _people,
        lambda w, u, r: svc.task_force_assignment_create(
            actor=u, person=r, task_force=w.task_forces["HSI-TF"], role="TFO", start_date=D
        ),
    ),
    "directory.task_force_assignment.edit": Example(
        _assignments,
        lambda w, u, r: svc.task_force_assignment_update(
            actor=u, assignment=r, data={"role": "Analyst"}
        ),
        page=lambda r: f"/directory/assignments/{r.pk}/edit/",
    ),
    "directory.liaison_designation.view": Example(
        _designations,
        lambda w, u, r: sel.liaison_designation_get_for_user(user=u, pk=r.pk),
        page=lambda r: f"/directory/designations/{r.pk}/",
        api=lambda r: f"/api/v1/directory/designations/{r.pk}",
    ),
    "directory.liaison_designation.create": Example(
        _agencies,
        lambda w, u, r: svc.liaison_designation_create(
            actor=u,
            person=w.people["BCA"],
            from_agency=r,
            to_agency=w.agencies["CBP"],
            start_date=D,
        ),
    ),
    "directory.liaison_designation.edit": Example(
        _designations,
        lambda w, u, r: svc.liaison_designation_update(
            actor=u, designation=r, data={"notes": "Weekly"}
        ),
        page=lambda r: f"/directory/designations/{r.pk}/edit/",
    ),
    "directory.contact.view": Example(
        _contacts,
        lambda w, u, r: sel.contact_get_for_user(user=u, pk=r.pk),
        page=lambda r: f"/directory/contacts/{r.pk}/",
        api=lambda r: f"/api/v1/directory/contacts/{r.pk}",
    ),
    "directory.contact.create": Example(
        _agencies,
        lambda w, u, r: svc.contact_create(actor=u, agency=r, owner_agency=r, name="Duty desk"),
    ),
    "directory.contact.edit": Example(
        _contacts,
        lambda w, u, r: svc.contact_update(actor=u, contact=r, data={"hours": "24/7"}),
        page=lambda r: f"/directory/contacts/{r.pk}/edit/",
    ),
}
