"""Agency scope: the one rule deciding which agency-owned records a user may see and change.

Every record has an owning agency (a person its employer, a task force its lead
agency, a contact the agency that keeps it, an agreement its owning party, …).
Selectors filter with :func:`agency_scope_q`; services ask :func:`can_edit_owned`.
Later modules use the same functions, never their own copy of the rules.

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

Who changes records owned by an agency
--------------------------------------
``admin``
    anything, and the only role that changes reference data (jurisdictions, agencies).
``coordinator``
    records owned by the own agencies (task forces they lead included).
``supervisor``
    personnel records (people and their task-force assignments) of the own agencies.
everyone else
    read-only here; later modules grant their own actions through their services.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

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


def _role(user: Any) -> Role | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    if not getattr(user, "is_active", False) or getattr(user, "agency_id", None) is None:
        return None
    try:
        return Role(user.role)
    except ValueError:
        return None


@dataclass(frozen=True)
class _Facts:
    """What the rules need to know about one user's agency, read in one query."""

    role: Role | None
    agency_id: int | None
    agency_level: str
    own_ids: frozenset[int]


def _facts(user: Any) -> _Facts:
    from liaison.directory.models import Agency

    role = _role(user)
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
    role = _role(user)
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
    role = _role(user)
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

    role = _role(user)
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


def can_edit_owned(user: Any, agency_id: int | None, *, personnel: bool = False) -> bool:
    """Whether ``user`` may change a record owned by agency ``agency_id``.

    ``personnel`` marks records about the agency's people (a person, a task-force
    assignment), which a supervisor of the own agencies may also change.
    """
    role = _role(user)
    if role is None or agency_id is None:
        return False
    if role == Role.ADMIN:
        return True
    if role == Role.COORDINATOR or (role == Role.SUPERVISOR and personnel):
        return agency_id in own_agency_ids(user)
    return False


def can_manage_reference_data(user: Any) -> bool:
    """Whether ``user`` may create or change jurisdictions and agencies (admin only)."""
    return _role(user) == Role.ADMIN


def can_create_owned(user: Any, *, personnel: bool = False) -> bool:
    """Whether ``user`` may create some record owned by an agency (to show a Create button)."""
    role = _role(user)
    return role in {Role.ADMIN, Role.COORDINATOR} or (role == Role.SUPERVISOR and personnel)
