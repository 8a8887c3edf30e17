"""Agency scope: the one rule deciding which agency-owned records a user may see and change.

Every record has an owning agency (a person its employer, a task force its lead
agency, a contact the agency that keeps it, an agreement its owning party, …).
Selectors filter with :func:`agency_scope_q`; the declared rules of each app
(``<app>/rules.py``, see :mod:`liaison.core.access`) ask :func:`relation_to` how an
actor's agency stands to a record. Later modules use the same functions, never their
own copy of the rules.

Terms
-----
*own agencies*
    the user's agency and all its sub-agencies (components), at any depth.
*participating task forces*
    task forces led by one of the own agencies, or of which one of them is a
    current member (joined, and not left before today).
*federal partners*
    federal agencies that lead, or are current members of, a participating task force.

Who sees records owned by an agency
-----------------------------------
``admin``, ``oversight``
    every record.
``coordinator``, ``supervisor``, ``privacy_officer``, ``legal_counsel``, ``investigator``
    of a state or local agency: records owned by any state or local agency, and
    records owned by a federal partner. Of a federal agency: as ``partner``.
``officer``, ``partner``
    records owned by the own agencies; and the participating task forces
    themselves (:func:`task_force_scope_q`). Nothing of another agency's
    internal records.

Jurisdictions and the agency list are reference data every signed-in user sees.
Anyone without an agency or an active, signed-in account sees nothing.

Who changes records is declared per action in ``liaison/directory/rules.py``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from liaison.core.access import Relation, role_of
from liaison.core.roles import READ_ALL_ROLES, Role

STATE_STAFF_ROLES = frozenset(
    {
        Role.COORDINATOR,
        Role.SUPERVISOR,
        Role.PRIVACY_OFFICER,
        Role.LEGAL_COUNSEL,
        Role.INVESTIGATOR,
    }
)
LOCAL_LEVELS = ("state", "local")
FEDERAL = "federal"


@dataclass(frozen=True)
class _Facts:
    """What the rules need to know about one user's agency, read in one query."""

    role: Role | None
    agency_id: int | None
    agency_level: str
    own_ids: frozenset[int]


def _facts(user: Any) -> _Facts:
    from liaison.directory.models import Agency

    role = role_of(user)
    if role is None:
        return _Facts(role=None, agency_id=None, agency_level="", own_ids=frozenset())
    children: dict[int | None, list[int]] = {}
    level = ""
    for pk, parent_id, agency_level in Agency.objects.values_list("pk", "parent_id", "level"):
        children.setdefault(parent_id, []).append(pk)
        if pk == user.agency_id:
            level = agency_level
    own: set[int] = set()
    todo = [int(user.agency_id)]
    while todo:
        pk = todo.pop()
        if pk not in own:
            own.add(pk)
            todo.extend(children.get(pk, ()))
    return _Facts(role=role, agency_id=user.agency_id, agency_level=level, own_ids=frozenset(own))


def _uses_state_rule(facts: _Facts) -> bool:
    return facts.role in STATE_STAFF_ROLES and facts.agency_level in LOCAL_LEVELS


def _path(field: str, lookup: str) -> str:
    """``field__lookup``, or ``lookup`` on the agency itself when ``field`` is empty."""
    return f"{field}__{lookup}" if field else lookup


def _current_membership_q(prefix: str = "") -> Q:
    today = timezone.localdate()
    p = f"{prefix}__" if prefix else ""
    return Q(**{f"{p}joined_on__lte": today}) & (
        Q(**{f"{p}left_on__isnull": True}) | Q(**{f"{p}left_on__gte": today})
    )


def _participating_task_forces(own_ids: frozenset[int]) -> QuerySet[Any]:
    """Ids (as a lazy subquery) of task forces one of ``own_ids`` leads or currently belongs to."""
    from liaison.directory.models import TaskForce, TaskForceMembership

    member_of = TaskForceMembership.objects.filter(
        _current_membership_q(), agency_id__in=own_ids
    ).values("task_force_id")
    return TaskForce.objects.filter(Q(lead_agency_id__in=own_ids) | Q(pk__in=member_of)).values(
        "pk"
    )


def _federal_partners(own_ids: frozenset[int]) -> QuerySet[Any]:
    """Ids (as a lazy subquery) of federal agencies sharing a current task force with ``own_ids``."""
    from liaison.directory.models import Agency, TaskForce, TaskForceMembership

    task_forces = _participating_task_forces(own_ids)
    leads = TaskForce.objects.filter(pk__in=task_forces).values("lead_agency_id")
    members = TaskForceMembership.objects.filter(
        _current_membership_q(), task_force_id__in=task_forces
    ).values("agency_id")
    return Agency.objects.filter(Q(level=FEDERAL) & (Q(pk__in=leads) | Q(pk__in=members))).values(
        "pk"
    )


def agency_scope_q(user: Any, field: str) -> Q:
    """Filter for records whose owning agency is reached by the lookup path ``field``.

    ``field`` is e.g. ``"agency"``, ``"person__agency"`` or ``"lead_agency"``; ``""``
    filters the :class:`~liaison.directory.models.Agency` queryset itself.
    """
    role = role_of(user)
    if role is None:
        return Q(pk__in=[])
    if role in READ_ALL_ROLES:
        return Q()
    return _owned_q(_facts(user), field)


def _owned_q(facts: _Facts, field: str) -> Q:
    if _uses_state_rule(facts):
        return Q(**{_path(field, "level__in"): LOCAL_LEVELS}) | Q(
            **{_path(field, "pk__in"): _federal_partners(facts.own_ids)}
        )
    return Q(**{_path(field, "pk__in"): sorted(facts.own_ids)})


def task_force_scope_q(user: Any, field: str = "") -> Q:
    """Filter for task forces the user may see (``field`` is the path to the task force).

    A task force is owned by its lead agency; besides, officers and partners see
    the task forces their own agencies take part in.
    """
    role = role_of(user)
    if role is None:
        return Q(pk__in=[])
    if role in READ_ALL_ROLES:
        return Q()
    facts = _facts(user)
    visible = _owned_q(facts, _path(field, "lead_agency"))
    if not _uses_state_rule(facts):
        visible |= Q(**{_path(field, "pk__in"): _participating_task_forces(facts.own_ids)})
    return visible


def visible_agency_ids(user: Any) -> frozenset[int] | None:
    """Ids of the agencies whose owned records ``user`` may see; ``None`` means every agency."""
    from liaison.directory.models import Agency

    role = role_of(user)
    if role is None:
        return frozenset()
    if role in READ_ALL_ROLES:
        return None
    return frozenset(Agency.objects.filter(agency_scope_q(user, "")).values_list("pk", flat=True))


def own_agency_ids(user: Any) -> frozenset[int]:
    """The user's agency and its sub-agencies at any depth (empty for an unusable account)."""
    return _facts(user).own_ids


def can_view_owned(user: Any, agency_id: int | None) -> bool:
    """Whether ``user`` may see a record owned by agency ``agency_id``."""
    if agency_id is None:
        return False
    ids = visible_agency_ids(user)
    return ids is None or agency_id in ids


def task_force_assignment_scope_q(user: Any) -> Q:
    """Filter for assignments: those of people the user may see, and the roster of the task
    forces the user's own agencies lead (names and roles only).

    Oversight and admins see every assignment: their unrestricted person filter must
    not be narrowed to the led rosters.
    """
    role = role_of(user)
    if role is None:
        return Q(pk__in=[])
    if role in READ_ALL_ROLES:
        return Q()
    facts = _facts(user)
    return _owned_q(facts, "person__agency") | Q(
        task_force__lead_agency_id__in=sorted(facts.own_ids)
    )


# Relations of an actor's agency to a record (see liaison.core.access.Relation).


def in_state_reach(user: Any, agency_ids: list[int]) -> bool:
    """Whether one of ``agency_ids`` is in the reach of the state rule for ``user``'s agency:
    ``user``'s agency is state or local and the agency is state or local or a federal partner.
    """
    return _in_reach(_facts(user), agency_ids)


def _in_reach(facts: _Facts, agency_ids: list[int]) -> bool:
    if facts.agency_level not in LOCAL_LEVELS or not agency_ids:
        return False
    from liaison.directory.models import Agency

    return Agency.objects.filter(
        Q(pk__in=agency_ids)
        & (Q(level__in=LOCAL_LEVELS) | Q(pk__in=_federal_partners(facts.own_ids)))
    ).exists()


def relation_to(
    user: Any, owner_id: int | None, *, party_ids: Any = (), reach_ids: Any = None
) -> Relation:
    """``user``'s relation to a record owned by ``owner_id`` that ``party_ids`` take part in.

    ``OWN`` when an own agency owns it, ``PARTY`` when an own agency takes part,
    ``PARTNER`` when the owner (or one of ``reach_ids``, default the owner) is in the reach
    of the state rule, else ``OUTSIDER``. The role does not enter: rules pair it with
    the relation.
    """
    facts = _facts(user)
    if facts.role is None or owner_id is None:
        return Relation.OUTSIDER
    if owner_id in facts.own_ids:
        return Relation.OWN
    if facts.own_ids & set(party_ids):
        return Relation.PARTY
    reach = [owner_id] if reach_ids is None else list(reach_ids)
    if _in_reach(facts, reach):
        return Relation.PARTNER
    return Relation.OUTSIDER


def relation_q(user: Any, relations: frozenset[Relation], field: str = "") -> Q:
    """Filter for agencies (at lookup path ``field``) that stand in one of ``relations`` to
    ``user`` — e.g. the agencies a create form offers. ``PARTY`` is not a relation an
    agency has to another, so it adds nothing here; outsiders are offered only together
    with every other agency."""
    if role_of(user) is None or not relations:
        return Q(pk__in=[])
    if {Relation.OWN, Relation.PARTNER, Relation.OUTSIDER} <= relations:
        return Q()
    facts = _facts(user)
    q = Q(pk__in=[])
    if Relation.OWN in relations:
        q |= Q(**{_path(field, "pk__in"): sorted(facts.own_ids)})
    if Relation.PARTNER in relations and facts.agency_level in LOCAL_LEVELS:
        q |= Q(**{_path(field, "level__in"): LOCAL_LEVELS}) | Q(
            **{_path(field, "pk__in"): _federal_partners(facts.own_ids)}
        )
    return q


def can_edit_owned(user: Any, agency_id: int | None, *, personnel: bool = False) -> bool:
    """Whether ``user`` may change a record owned by agency ``agency_id`` — the directory's
    declared rule for its own records (``personnel``: people and their assignments, which
    supervisors change too). For modules whose actions are not declared yet; a declared
    action asks :func:`liaison.core.access.check` instead."""
    from liaison.core import access

    action = "directory.person.edit" if personnel else "directory.contact.edit"
    if agency_id is None:
        return False
    return access.get_rule(action).permits(role_of(user), relation_to(user, agency_id))


def can_create_owned(user: Any, *, personnel: bool = False) -> bool:
    """Whether ``user``'s role creates records owned by some agency (see
    :func:`can_edit_owned`)."""
    from liaison.core import access

    return access.may_ever(
        user, "directory.person.create" if personnel else "directory.contact.create"
    )
