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

for _name, _a_noun in (("jurisdiction", "a jurisdiction"), ("agency", "an agency")):
    _noun = _a_noun.split(" ", 1)[1]
    access.rule(f"directory.{_name}.view", roles=EVERYONE, doing=f"see the {_noun}")
    access.rule(f"directory.{_name}.create", roles=ADMIN_ONLY, doing=f"add {_a_noun}")
    access.rule(f"directory.{_name}.edit", roles=ADMIN_ONLY, doing=f"change the {_noun}")

# --- records owned by an agency: seen by the state rule's reach, changed by their owner ----
# kind, what officers and partners see, what a new record is added to, who adds and changes
# it, and the words for adding one. A task force is owned by its lead agency (members are
# its parties); an assignment by the person's employer (the task force's lead sees the
# roster as a party); a designation by the agency the liaison represents.

OWNED: list[tuple[str, frozenset[Relation], str, dict[Role, Any], str]] = [
    ("task_force", OWN_OR_PARTY, "directory.agency", COORDINATORS, "create a task force"),
    (
        "task_force_membership",
        OWN_OR_PARTY,
        "directory.task_force",
        COORDINATORS,
        "add a member agency",
    ),
    ("person", OWN, "directory.agency", PERSONNEL, "add a person"),
    ("task_force_assignment", OWN_OR_PARTY, "directory.person", PERSONNEL, "assign the person"),
    ("liaison_designation", OWN, "directory.agency", COORDINATORS, "designate a liaison"),
    ("contact", OWN, "directory.agency", COORDINATORS, "add a contact"),
]
for _name, _own_staff, _on, _changers, _adding in OWNED:
    _noun = access.get_kind(f"directory.{_name}").noun
    access.rule(
        f"directory.{_name}.view",
        roles=_views(own_staff=_own_staff, staff=IN_REACH),
        doing=f"see the {_noun}",
    )
    access.rule(f"directory.{_name}.create", on=_on, roles=_changers, doing=_adding)
    access.rule(f"directory.{_name}.edit", roles=_changers, doing=f"change the {_noun}")
