"""Who may do what in the directory: every action's rule, declared once.

The relations come from :mod:`liaison.directory.scope`. Services check these rules,
pages and the API show only what they allow, and the role matrix test checks every
rule for every role and relation (see ``docs/permissions.md``).
"""

from __future__ import annotations

from typing import Any

from liaison.core import access
from liaison.core.access import ANY, IN_REACH, OWN, OWN_OR_PARTY, Relation
from liaison.core.roles import READ_ALL_ROLES, Role
from liaison.directory import scope

STATE_STAFF = scope.STATE_STAFF_ROLES
NO_PARTY = frozenset({Relation.OWN, Relation.PARTNER, Relation.OUTSIDER})


def _views(*, own_staff: frozenset[Relation], staff: frozenset[Relation]) -> dict[Role, Any]:
    """The view rule of agency-owned records: everything for admin and oversight; the state
    rule's reach for state staff roles; ``own_staff`` for officers and partners."""
    rules: dict[Role, Any] = {role: ANY for role in READ_ALL_ROLES}
    rules.update({role: staff for role in STATE_STAFF})
    rules.update({Role.OFFICER: own_staff, Role.PARTNER: own_staff})
    return rules


EVERYONE: dict[Role, Any] = {role: ANY for role in Role}
ADMIN_ONLY: dict[Role, Any] = {Role.ADMIN: ANY}
COORDINATORS: dict[Role, Any] = {Role.ADMIN: ANY, Role.COORDINATOR: OWN}
PERSONNEL: dict[Role, Any] = {Role.ADMIN: ANY, Role.COORDINATOR: OWN, Role.SUPERVISOR: OWN}


# --- kinds of record: how an actor's agency stands to each ------------------------------


def _reference(actor: Any, record: Any) -> Relation:
    return Relation.OUTSIDER  # reference data belongs to no agency


def _agency(actor: Any, agency: Any) -> Relation:
    return scope.relation_to(actor, agency.pk)


def _task_force(actor: Any, task_force: Any) -> Relation:
    from liaison.directory.models import TaskForceMembership

    members = TaskForceMembership.objects.filter(
        scope._current_membership_q(), task_force_id=task_force.pk
    ).values_list("agency_id", flat=True)
    return scope.relation_to(actor, task_force.lead_agency_id, party_ids=list(members))


def _membership(actor: Any, membership: Any) -> Relation:
    return _task_force(actor, membership.task_force)


def _person(actor: Any, person: Any) -> Relation:
    return scope.relation_to(actor, person.agency_id)


def _assignment(actor: Any, assignment: Any) -> Relation:
    return scope.relation_to(
        actor, assignment.person.agency_id, party_ids=[assignment.task_force.lead_agency_id]
    )


def _designation(actor: Any, designation: Any) -> Relation:
    return scope.relation_to(actor, designation.from_agency_id)


def _contact(actor: Any, contact: Any) -> Relation:
    return scope.relation_to(actor, contact.owner_agency_id)


access.kind(
    "directory.jurisdiction",
    noun="jurisdiction",
    relation=_reference,
    relations={Relation.OUTSIDER},
)
access.kind("directory.agency", noun="agency", relation=_agency, relations=NO_PARTY)
access.kind("directory.task_force", noun="task force", relation=_task_force)
access.kind("directory.task_force_membership", noun="membership", relation=_membership)
access.kind("directory.person", noun="person", relation=_person, relations=NO_PARTY)
access.kind("directory.task_force_assignment", noun="assignment", relation=_assignment)
access.kind(
    "directory.liaison_designation", noun="designation", relation=_designation, relations=NO_PARTY
)
access.kind("directory.contact", noun="contact", relation=_contact, relations=NO_PARTY)


# --- reference data: everyone reads it, administrators change it -------------------------

access.rule("directory.jurisdiction.view", roles=EVERYONE, doing="see the jurisdiction")
access.rule("directory.jurisdiction.create", roles=ADMIN_ONLY, doing="add a jurisdiction")
access.rule("directory.jurisdiction.edit", roles=ADMIN_ONLY, doing="change the jurisdiction")
access.rule("directory.agency.view", roles=EVERYONE, doing="see the agency")
access.rule("directory.agency.create", roles=ADMIN_ONLY, doing="add an agency")
access.rule("directory.agency.edit", roles=ADMIN_ONLY, doing="change the agency")

# --- task forces: owned by the lead agency; members see the ones they take part in -------

access.rule(
    "directory.task_force.view",
    roles=_views(own_staff=OWN_OR_PARTY, staff=IN_REACH),
    doing="see the task force",
)
access.rule(
    "directory.task_force.create",
    on="directory.agency",
    roles=COORDINATORS,
    doing="create a task force",
)
access.rule("directory.task_force.edit", roles=COORDINATORS, doing="change the task force")
access.rule(
    "directory.task_force_membership.view",
    roles=_views(own_staff=OWN_OR_PARTY, staff=IN_REACH),
    doing="see the membership",
)
access.rule(
    "directory.task_force_membership.create",
    on="directory.task_force",
    roles=COORDINATORS,
    doing="add a member agency",
)
access.rule(
    "directory.task_force_membership.edit", roles=COORDINATORS, doing="change the membership"
)

# --- personnel and their assignments: owned by the employer -----------------------------

access.rule(
    "directory.person.view", roles=_views(own_staff=OWN, staff=IN_REACH), doing="see the person"
)
access.rule("directory.person.create", on="directory.agency", roles=PERSONNEL, doing="add a person")
access.rule("directory.person.edit", roles=PERSONNEL, doing="change the person")
access.rule(
    "directory.task_force_assignment.view",
    # The lead agency sees its roster (PARTY); the person's record stays with the employer.
    roles=_views(own_staff=OWN_OR_PARTY, staff=IN_REACH),
    doing="see the assignment",
)
access.rule(
    "directory.task_force_assignment.create",
    on="directory.person",
    roles=PERSONNEL,
    doing="assign the person",
)
access.rule(
    "directory.task_force_assignment.edit",
    roles={Role.ADMIN: ANY, Role.COORDINATOR: OWN, Role.SUPERVISOR: OWN},
    doing="change the assignment",
)

# --- liaison designations and contacts: owned by the agency that makes or keeps them -----

access.rule(
    "directory.liaison_designation.view",
    roles=_views(own_staff=OWN, staff=IN_REACH),
    doing="see the designation",
)
access.rule(
    "directory.liaison_designation.create",
    on="directory.agency",
    roles=COORDINATORS,
    doing="designate a liaison",
)
access.rule(
    "directory.liaison_designation.edit", roles=COORDINATORS, doing="change the designation"
)
access.rule(
    "directory.contact.view", roles=_views(own_staff=OWN, staff=IN_REACH), doing="see the contact"
)
access.rule(
    "directory.contact.create", on="directory.agency", roles=COORDINATORS, doing="add a contact"
)
access.rule("directory.contact.edit", roles=COORDINATORS, doing="change the contact")
