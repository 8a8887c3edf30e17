"""Directory writes. Each service checks its declared rule (:mod:`liaison.directory.rules`),
validates with ``full_clean()``, saves, and appends one ledger entry, in one transaction.

Nothing here deletes a person, an agency or a task force: they end or are
deactivated, so their history stays. Updates take ``data``, a mapping of the
fields to change; a field that may not be changed is refused with a field message.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar

from django.db import models, transaction

from liaison.core import access, guards
from liaison.core.errors import ServiceError
from liaison.core.validation import model_update, save, validate
from liaison.directory.error_codes import DirectoryErrorCode
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
from liaison.ledger.services import ledger_append

if TYPE_CHECKING:
    from liaison.core.roles import Actor as SignedIn

    # A signed-in user, or None for the system itself (demo loader, imports), which
    # is not permission-checked.
    Actor = SignedIn | None

M = TypeVar("M", bound=models.Model)

JURISDICTION_FIELDS = frozenset({"name", "kind", "state", "fips", "parent"})
AGENCY_FIELDS = frozenset(
    {"name", "abbreviation", "level", "jurisdiction", "parent", "ori", "website", "phone", "active"}
)
TASK_FORCE_FIELDS = frozenset({"name", "lead_agency", "purpose", "area", "start_date", "end_date"})
MEMBERSHIP_FIELDS = frozenset({"joined_on", "left_on"})
PERSON_FIELDS = frozenset(
    {
        "agency",
        "given_name",
        "family_name",
        "title",
        "rank",
        "badge_number",
        "email",
        "phone",
        "active_from",
        "active_until",
    }
)
ASSIGNMENT_FIELDS = frozenset({"role", "start_date", "end_date"})
DESIGNATION_FIELDS = frozenset({"to_agency", "start_date", "end_date", "notes"})
CONTACT_FIELDS = frozenset({"agency", "name", "purpose", "email", "phone", "hours", "active"})


def change_of(obj: models.Model) -> dict[str, Any]:
    """Every stored field of ``obj``: hashed into the ledger entry, never stored."""
    return {
        f.attname: getattr(obj, f.attname)
        for f in obj._meta.concrete_fields
        if f.attname not in {"created_at", "updated_at"}
    }


def _save(
    obj: M,
    *,
    actor: Actor,
    action: str,
    reason: str = "",
    notes: Mapping[str, Any] | None = None,
) -> M:
    """Validate, save and ledger ``obj``; guards' ``notes`` (if any) go into the change."""
    validate(obj)
    save(obj)
    change = change_of(obj)
    if notes:
        change["guards"] = dict(notes)
    ledger_append(actor=actor, action=action, obj=obj, reason=reason, change=change)
    return obj


def _update(
    obj: M,
    *,
    actor: Actor,
    data: Mapping[str, Any],
    allowed: Collection[str],
    action: str,
    reason: str = "",
    check: Callable[[M], None] | None = None,
) -> M:
    """Change ``obj`` (already locked) and ledger it as ``action``; no change, no entry."""
    if model_update(obj, data, allowed=allowed, check=check):
        ledger_append(actor=actor, action=action, obj=obj, reason=reason, change=change_of(obj))
    return obj


def _locked(obj: M) -> M:
    return type(obj)._default_manager.select_for_update().get(pk=obj.pk)


def _lineage(agency: Agency) -> set[int]:
    """``agency`` and its ancestors: an agency's people also belong to its parents."""
    ids: set[int] = set()
    current: Agency | None = agency
    while current is not None and current.pk not in ids:
        ids.add(current.pk)
        current = current.parent
    return ids


# Jurisdictions and agencies: reference data, changed by administrators only.


def jurisdiction_create(
    *,
    actor: Actor,
    name: str,
    kind: str,
    state: str = "",
    fips: str = "",
    parent: Jurisdiction | None = None,
    reason: str = "",
) -> Jurisdiction:
    with transaction.atomic():
        access.check(actor, "directory.jurisdiction.create")
        obj = Jurisdiction(name=name, kind=kind, state=state, fips=fips, parent=parent)
        return _save(obj, actor=actor, action="jurisdiction.create", reason=reason)


def jurisdiction_update(
    *, actor: Actor, jurisdiction: Jurisdiction, data: Mapping[str, Any], reason: str = ""
) -> Jurisdiction:
    with transaction.atomic():
        access.check(actor, "directory.jurisdiction.edit", jurisdiction)
        return _update(
            _locked(jurisdiction),
            actor=actor,
            data=data,
            allowed=JURISDICTION_FIELDS,
            action="jurisdiction.update",
            reason=reason,
            check=_not_its_own_parent,
        )


def _not_its_own_parent(obj: Jurisdiction) -> None:
    if obj.parent_id is not None and obj.parent_id == obj.pk:
        raise ServiceError(
            "A jurisdiction cannot enclose itself.",
            code=DirectoryErrorCode.OWN_PARENT,
            fields={"parent": ["Choose another."]},
        )


def agency_create(
    *,
    actor: Actor,
    name: str,
    level: str,
    jurisdiction: Jurisdiction,
    abbreviation: str = "",
    parent: Agency | None = None,
    ori: str = "",
    website: str = "",
    phone: str = "",
    reason: str = "",
) -> Agency:
    with transaction.atomic():
        access.check(actor, "directory.agency.create")
        obj = Agency(
            name=name,
            level=level,
            jurisdiction=jurisdiction,
            abbreviation=abbreviation,
            parent=parent,
            ori=ori,
            website=website,
            phone=phone,
        )
        return _save(obj, actor=actor, action="agency.create", reason=reason)


def agency_update(
    *, actor: Actor, agency: Agency, data: Mapping[str, Any], reason: str = ""
) -> Agency:
    with transaction.atomic():
        access.check(actor, "directory.agency.edit", agency)
        return _update(
            _locked(agency),
            actor=actor,
            data=data,
            allowed=AGENCY_FIELDS,
            action="agency.update",
            reason=reason,
        )


def agency_deactivate(*, actor: Actor, agency: Agency, reason: str = "") -> Agency:
    """Mark an agency as no longer existing; its records and history stay."""
    with transaction.atomic():
        access.check(actor, "directory.agency.edit", agency)
        return _update(
            _locked(agency),
            actor=actor,
            data={"active": False},
            allowed={"active"},
            action="agency.deactivate",
            reason=reason,
        )


# Task forces and their member agencies: owned by the lead agency.


def task_force_create(
    *,
    actor: Actor,
    name: str,
    lead_agency: Agency,
    purpose: str,
    start_date: date,
    area: str = "",
    end_date: date | None = None,
    reason: str = "",
) -> TaskForce:
    with transaction.atomic():
        access.check(actor, "directory.task_force.create", lead_agency)
        obj = TaskForce(
            name=name,
            lead_agency=lead_agency,
            purpose=purpose,
            area=area,
            start_date=start_date,
            end_date=end_date,
        )
        return _save(obj, actor=actor, action="task_force.create", reason=reason)


def task_force_update(
    *, actor: Actor, task_force: TaskForce, data: Mapping[str, Any], reason: str = ""
) -> TaskForce:
    return _task_force_change(
        actor=actor, task_force=task_force, data=data, reason=reason, action="task_force.update"
    )


def task_force_end(
    *, actor: Actor, task_force: TaskForce, end_date: date, reason: str = ""
) -> TaskForce:
    """Close a task force on ``end_date``; its memberships and assignments stay as history."""
    return _task_force_change(
        actor=actor,
        task_force=task_force,
        data={"end_date": end_date},
        reason=reason,
        action="task_force.end",
    )


def _task_force_change(
    *, actor: Actor, task_force: TaskForce, data: Mapping[str, Any], reason: str, action: str
) -> TaskForce:
    def may_lead(obj: TaskForce) -> None:  # a new lead agency must be the actor's too
        access.check(actor, "directory.task_force.edit", obj)

    with transaction.atomic():
        obj = _locked(task_force)
        may_lead(obj)
        return _update(
            obj,
            actor=actor,
            data=data,
            allowed=TASK_FORCE_FIELDS,
            action=action,
            reason=reason,
            check=may_lead,
        )


def task_force_membership_add(
    *,
    actor: Actor,
    task_force: TaskForce,
    agency: Agency,
    joined_on: date,
    left_on: date | None = None,
    reason: str = "",
) -> TaskForceMembership:
    with transaction.atomic():
        access.check(actor, "directory.task_force_membership.create", task_force)
        if agency.pk == task_force.lead_agency_id:
            raise ServiceError(
                "The lead agency is not listed as a member.",
                code=DirectoryErrorCode.LEAD_AGENCY_AS_MEMBER,
                fields={"agency": ["The lead agency already takes part."]},
            )
        obj = TaskForceMembership(
            task_force=task_force, agency=agency, joined_on=joined_on, left_on=left_on
        )
        return _save(obj, actor=actor, action="task_force_membership.add", reason=reason)


def task_force_membership_update(
    *,
    actor: Actor,
    membership: TaskForceMembership,
    data: Mapping[str, Any],
    reason: str = "",
) -> TaskForceMembership:
    return _membership_change(
        actor=actor,
        membership=membership,
        data=data,
        reason=reason,
        action="task_force_membership.update",
    )


def task_force_membership_end(
    *, actor: Actor, membership: TaskForceMembership, left_on: date, reason: str = ""
) -> TaskForceMembership:
    """Record that an agency left a task force on ``left_on``."""
    return _membership_change(
        actor=actor,
        membership=membership,
        data={"left_on": left_on},
        reason=reason,
        action="task_force_membership.end",
    )


def _membership_change(
    *,
    actor: Actor,
    membership: TaskForceMembership,
    data: Mapping[str, Any],
    reason: str,
    action: str,
) -> TaskForceMembership:
    with transaction.atomic():
        obj = _locked(membership)
        access.check(actor, "directory.task_force_membership.edit", obj)
        return _update(
            obj, actor=actor, data=data, allowed=MEMBERSHIP_FIELDS, action=action, reason=reason
        )


# Personnel and their task-force assignments: owned by the employing agency.


def person_create(
    *,
    actor: Actor,
    agency: Agency,
    given_name: str,
    family_name: str,
    active_from: date,
    title: str = "",
    rank: str = "",
    badge_number: str = "",
    email: str = "",
    phone: str = "",
    active_until: date | None = None,
    reason: str = "",
    confirm_different_person: bool = False,
) -> Person:
    """Add a person to an agency. One who looks like someone already there (same badge
    number, e-mail or full name) is refused with ``possible_duplicate`` unless the caller
    confirms, with ``confirm_different_person``, that it is someone else."""
    with transaction.atomic():
        access.check(actor, "directory.person.create", agency)
        if not confirm_different_person:
            _refuse_likely_duplicate(
                agency=agency,
                given_name=given_name,
                family_name=family_name,
                badge_number=badge_number,
                email=email,
            )
        obj = Person(
            agency=agency,
            given_name=given_name,
            family_name=family_name,
            title=title,
            rank=rank,
            badge_number=badge_number,
            email=email,
            phone=phone,
            active_from=active_from,
            active_until=active_until,
        )
        return _save(obj, actor=actor, action="person.create", reason=reason)


def _refuse_likely_duplicate(
    *, agency: Agency, given_name: str, family_name: str, badge_number: str, email: str
) -> None:
    same = models.Q(given_name__iexact=given_name.strip(), family_name__iexact=family_name.strip())
    if badge_number.strip():
        same |= models.Q(badge_number__iexact=badge_number.strip())
    if email.strip():
        same |= models.Q(email__iexact=email.strip())
    twin = Person.objects.filter(same, agency=agency).order_by("pk").first()
    if twin is None:
        return
    alike = [
        what
        for what, mine, theirs in (
            ("badge number", badge_number, twin.badge_number),
            ("e-mail", email, twin.email),
            ("name", f"{given_name} {family_name}", str(twin)),
        )
        if mine.strip() and mine.strip().lower() == theirs.strip().lower()
    ]
    raise ServiceError(
        f"{agency} already has {twin.picker_label} with the same {' and '.join(alike)}.",
        code=DirectoryErrorCode.POSSIBLE_DUPLICATE,
        fields={
            "confirm_different_person": [
                f"This looks like {twin.picker_label}, already in the directory (same "
                f"{' and '.join(alike)}). If it is someone else, tick “This is a different "
                "person” and save again."
            ]
        },
    )


def person_update(
    *, actor: Actor, person: Person, data: Mapping[str, Any], reason: str = ""
) -> Person:
    """Change a person's record; moving them to another agency needs rights over both."""
    return _person_change(
        actor=actor, person=person, data=data, reason=reason, action="person.update"
    )


def person_end(*, actor: Actor, person: Person, active_until: date, reason: str = "") -> Person:
    """Record a person's last day with the agency; the record stays."""
    return _person_change(
        actor=actor,
        person=person,
        data={"active_until": active_until},
        reason=reason,
        action="person.end",
    )


def _person_change(
    *, actor: Actor, person: Person, data: Mapping[str, Any], reason: str, action: str
) -> Person:
    def may_employ(obj: Person) -> None:  # a new agency must be the actor's too
        access.check(actor, "directory.person.edit", obj)

    with transaction.atomic():
        obj = _locked(person)
        may_employ(obj)
        return _update(
            obj,
            actor=actor,
            data=data,
            allowed=PERSON_FIELDS,
            action=action,
            reason=reason,
            check=may_employ,
        )


ASSIGNMENT_CREATE = guards.point(
    "directory.task_force_assignment_create",
    context=("actor", "person", "task_force", "role", "start_date", "end_date"),
)
"""Run before an assignment is written: a later app (training) may refuse it or add notes."""


def task_force_assignment_create(
    *,
    actor: Actor,
    person: Person,
    task_force: TaskForce,
    role: str,
    start_date: date,
    end_date: date | None = None,
    reason: str = "",
) -> TaskForceAssignment:
    """Assign a person to a task force their agency (or a parent of it) takes part in.

    Guards registered at :data:`ASSIGNMENT_CREATE` run before the write (training
    refuses people whose required training is not current)."""
    with transaction.atomic():
        access.check(actor, "directory.task_force_assignment.create", person)
        participants = {task_force.lead_agency_id} | set(
            task_force.memberships.filter(left_on__isnull=True).values_list("agency_id", flat=True)
        )
        if not participants & _lineage(person.agency):
            raise ServiceError(
                "The person's agency does not take part in this task force.",
                code=DirectoryErrorCode.AGENCY_NOT_IN_TASK_FORCE,
                fields={"task_force": ["The person's agency is not a member of this task force."]},
            )
        notes = ASSIGNMENT_CREATE.run(
            actor=actor,
            person=person,
            task_force=task_force,
            role=role,
            start_date=start_date,
            end_date=end_date,
        )
        obj = TaskForceAssignment(
            person=person,
            task_force=task_force,
            role=role,
            start_date=start_date,
            end_date=end_date,
        )
        return _save(
            obj, actor=actor, action="task_force_assignment.create", reason=reason, notes=notes
        )


def task_force_assignment_update(
    *,
    actor: Actor,
    assignment: TaskForceAssignment,
    data: Mapping[str, Any],
    reason: str = "",
) -> TaskForceAssignment:
    return _assignment_change(
        actor=actor,
        assignment=assignment,
        data=data,
        reason=reason,
        action="task_force_assignment.update",
    )


def task_force_assignment_end(
    *, actor: Actor, assignment: TaskForceAssignment, end_date: date, reason: str = ""
) -> TaskForceAssignment:
    """Record the last day of an assignment; it stays as history."""
    return _assignment_change(
        actor=actor,
        assignment=assignment,
        data={"end_date": end_date},
        reason=reason,
        action="task_force_assignment.end",
    )


def _assignment_change(
    *,
    actor: Actor,
    assignment: TaskForceAssignment,
    data: Mapping[str, Any],
    reason: str,
    action: str,
) -> TaskForceAssignment:
    with transaction.atomic():
        obj = _locked(assignment)
        access.check(actor, "directory.task_force_assignment.edit", obj)
        return _update(
            obj, actor=actor, data=data, allowed=ASSIGNMENT_FIELDS, action=action, reason=reason
        )


# Liaison designations: owned by the agency the liaison represents.


def liaison_designation_create(
    *,
    actor: Actor,
    person: Person,
    from_agency: Agency,
    to_agency: Agency,
    start_date: date,
    end_date: date | None = None,
    notes: str = "",
    reason: str = "",
) -> LiaisonDesignation:
    with transaction.atomic():
        access.check(actor, "directory.liaison_designation.create", from_agency)
        if from_agency.pk not in _lineage(person.agency):
            raise ServiceError(
                "A liaison represents their own agency.",
                code=DirectoryErrorCode.LIAISON_OF_OTHER_AGENCY,
                fields={
                    "person": ["This person does not work for the agency they would represent."]
                },
            )
        obj = LiaisonDesignation(
            person=person,
            from_agency=from_agency,
            to_agency=to_agency,
            start_date=start_date,
            end_date=end_date,
            notes=notes,
        )
        return _save(obj, actor=actor, action="liaison_designation.create", reason=reason)


def liaison_designation_update(
    *,
    actor: Actor,
    designation: LiaisonDesignation,
    data: Mapping[str, Any],
    reason: str = "",
) -> LiaisonDesignation:
    return _designation_change(
        actor=actor,
        designation=designation,
        data=data,
        reason=reason,
        action="liaison_designation.update",
    )


def liaison_designation_end(
    *, actor: Actor, designation: LiaisonDesignation, end_date: date, reason: str = ""
) -> LiaisonDesignation:
    """Record the last day of a designation; it stays as history."""
    return _designation_change(
        actor=actor,
        designation=designation,
        data={"end_date": end_date},
        reason=reason,
        action="liaison_designation.end",
    )


def _designation_change(
    *,
    actor: Actor,
    designation: LiaisonDesignation,
    data: Mapping[str, Any],
    reason: str,
    action: str,
) -> LiaisonDesignation:
    with transaction.atomic():
        obj = _locked(designation)
        access.check(actor, "directory.liaison_designation.edit", obj)
        return _update(
            obj, actor=actor, data=data, allowed=DESIGNATION_FIELDS, action=action, reason=reason
        )


# Contacts: owned by the agency that keeps them.


def contact_create(
    *,
    actor: Actor,
    agency: Agency,
    owner_agency: Agency,
    name: str,
    purpose: str = "",
    email: str = "",
    phone: str = "",
    hours: str = "",
    reason: str = "",
) -> Contact:
    with transaction.atomic():
        access.check(actor, "directory.contact.create", owner_agency)
        obj = Contact(
            agency=agency,
            owner_agency=owner_agency,
            name=name,
            purpose=purpose,
            email=email,
            phone=phone,
            hours=hours,
        )
        return _save(obj, actor=actor, action="contact.create", reason=reason)


def contact_update(
    *, actor: Actor, contact: Contact, data: Mapping[str, Any], reason: str = ""
) -> Contact:
    return _contact_change(
        actor=actor, contact=contact, data=data, reason=reason, action="contact.update"
    )


def contact_end(*, actor: Actor, contact: Contact, reason: str = "") -> Contact:
    """Take a contact out of use; it stays for history."""
    return _contact_change(
        actor=actor, contact=contact, data={"active": False}, reason=reason, action="contact.end"
    )


def _contact_change(
    *, actor: Actor, contact: Contact, data: Mapping[str, Any], reason: str, action: str
) -> Contact:
    with transaction.atomic():
        obj = _locked(contact)
        access.check(actor, "directory.contact.edit", obj)
        return _update(
            obj, actor=actor, data=data, allowed=CONTACT_FIELDS, action=action, reason=reason
        )
