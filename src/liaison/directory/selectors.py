"""Directory reads, scoped by :mod:`liaison.directory.scope`.

``<entity>_list_for_user`` returns an ordered queryset holding only what the user
may see, with the related rows a list needs already joined. ``<entity>_get_for_user``
returns one record or raises :class:`~liaison.core.errors.NotFound` when it is
missing *or* out of scope. Reading a person or a contact (personal data) appends
an access entry to the ledger.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import Model, Q, QuerySet
from django.utils import timezone

from liaison.core import access
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
from liaison.directory.scope import (
    agency_scope_q,
    relation_q,
    task_force_assignment_scope_q,
    task_force_scope_q,
)
from liaison.ledger.services import access_record

M = TypeVar("M", bound=Model)


def _search(queryset: QuerySet[Any], q: str, fields: tuple[str, ...]) -> QuerySet[Any]:
    """Every word of ``q`` must appear (case-insensitively) in one of ``fields``."""
    for word in q.split()[:8]:
        match = Q()
        for name in fields:
            match |= Q(**{f"{name}__icontains": word})
        queryset = queryset.filter(match)
    return queryset


def _running(start_field: str, end_field: str, active: bool | None) -> Q:
    """Rows in force today (``active=True``), over (``False``), or all (``None``)."""
    if active is None:
        return Q()
    today = timezone.localdate()
    running = Q(**{f"{start_field}__lte": today}) & (
        Q(**{f"{end_field}__isnull": True}) | Q(**{f"{end_field}__gte": today})
    )
    return running if active else ~running


def _one(queryset: QuerySet[M], pk: object, *, user: Any, kind: str, purpose: str) -> M:
    return access.fetch(
        actor=user, visible=queryset, pk=pk, kind=f"directory.{kind}", purpose=purpose
    )


# Reference data: every signed-in user sees it.


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


def jurisdiction_list_for_user(
    *, user: Any, q: str = "", kind: str = "", state: str = ""
) -> QuerySet[Jurisdiction]:
    qs = Jurisdiction.objects.select_related("parent")
    if not _signed_in(user):
        return qs.none()
    if kind:
        qs = qs.filter(kind=kind)
    if state:
        qs = qs.filter(state=state.upper())
    return _search(qs, q, ("name", "fips")).order_by("state", "kind", "name", "pk")


def jurisdiction_get_for_user(*, user: Any, pk: object, purpose: str = "view") -> Jurisdiction:
    return _one(
        jurisdiction_list_for_user(user=user), pk, user=user, kind="jurisdiction", purpose=purpose
    )


def agency_list_for_user(
    *,
    user: Any,
    q: str = "",
    level: str = "",
    jurisdiction: int | None = None,
    parent: int | None = None,
    active: bool | None = None,
) -> QuerySet[Agency]:
    qs = Agency.objects.select_related("jurisdiction", "parent")
    if not _signed_in(user):
        return qs.none()
    if level:
        qs = qs.filter(level=level)
    if jurisdiction is not None:
        qs = qs.filter(jurisdiction_id=jurisdiction)
    if parent is not None:
        qs = qs.filter(parent_id=parent)
    if active is not None:
        qs = qs.filter(active=active)
    return _search(qs, q, ("name", "abbreviation", "ori")).order_by("name", "pk")


def agency_choices_for_user(*, user: Any, action: str) -> QuerySet[Agency]:
    """Agencies on whose behalf ``user`` may take ``action`` (a create rule ``on`` agencies):
    the choices of the form's owning-agency field."""
    relations = access.relations_for(user, action)
    return (
        Agency.objects.select_related("jurisdiction")
        .filter(relation_q(user, relations))
        .order_by("name", "pk")
    )


def agencies(*, active_only: bool = False, ids: list[int] | None = None) -> QuerySet[Agency]:
    """The agency reference list by name, for choice fields: only the active ones with
    ``active_only``, only those of ``ids`` when given."""
    qs = Agency.objects.order_by("name")
    if active_only:
        qs = qs.filter(active=True)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return qs


def jurisdictions(*, by_name: bool = False) -> QuerySet[Jurisdiction]:
    """The jurisdiction reference list, for choice fields: by state, level and name, or by
    name alone with ``by_name``."""
    qs = Jurisdiction.objects.all()
    return qs.order_by("name") if by_name else qs


def agency_get_for_user(*, user: Any, pk: object, purpose: str = "view") -> Agency:
    return _one(agency_list_for_user(user=user), pk, user=user, kind="agency", purpose=purpose)


# Task forces: owned by the lead agency; members see the ones they take part in.


def task_force_list_for_user(
    *, user: Any, q: str = "", agency: int | None = None, active: bool | None = None
) -> QuerySet[TaskForce]:
    qs = TaskForce.objects.select_related("lead_agency").filter(task_force_scope_q(user))
    if agency is not None:
        qs = qs.filter(
            Q(lead_agency_id=agency)
            | Q(pk__in=TaskForceMembership.objects.filter(agency_id=agency).values("task_force_id"))
        )
    qs = qs.filter(_running("start_date", "end_date", active))
    return _search(qs, q, ("name", "area", "lead_agency__abbreviation")).order_by("name", "pk")


def task_force_get_for_user(*, user: Any, pk: object, purpose: str = "view") -> TaskForce:
    return _one(
        task_force_list_for_user(user=user), pk, user=user, kind="task_force", purpose=purpose
    )


def task_force_membership_list_for_user(
    *, user: Any, task_force: int | None = None, agency: int | None = None
) -> QuerySet[TaskForceMembership]:
    qs = TaskForceMembership.objects.select_related("agency", "task_force").filter(
        task_force_scope_q(user, "task_force")
    )
    if task_force is not None:
        qs = qs.filter(task_force_id=task_force)
    if agency is not None:
        qs = qs.filter(agency_id=agency)
    return qs.order_by("task_force__name", "agency__name", "pk")


def task_force_membership_get_for_user(
    *, user: Any, pk: object, purpose: str = "view"
) -> TaskForceMembership:
    return _one(
        task_force_membership_list_for_user(user=user),
        pk,
        user=user,
        kind="task_force_membership",
        purpose=purpose,
    )


# Personnel: owned by the employing agency. Reading one is logged.


def person_list_for_user(
    *, user: Any, q: str = "", agency: int | None = None, active: bool | None = None
) -> QuerySet[Person]:
    qs = Person.objects.select_related("agency").filter(agency_scope_q(user, "agency"))
    if agency is not None:
        qs = qs.filter(agency_id=agency)
    qs = qs.filter(_running("active_from", "active_until", active))
    return _search(qs, q, ("given_name", "family_name", "title", "rank", "badge_number")).order_by(
        "family_name", "given_name", "pk"
    )


def person_get_for_user(
    *, user: Any, pk: object, purpose: str = "view", reason: str = ""
) -> Person:
    """The person, for ``purpose``, after appending a ``person.read`` access entry."""
    person = _one(person_list_for_user(user=user), pk, user=user, kind="person", purpose=purpose)
    access_record(actor=user, obj=person, action="person.read", reason=reason)
    return person


def task_force_assignment_list_for_user(
    *,
    user: Any,
    person: int | None = None,
    task_force: int | None = None,
    active: bool | None = None,
) -> QuerySet[TaskForceAssignment]:
    """Assignments of people the user may see, and the roster of task forces their agencies lead."""
    qs = TaskForceAssignment.objects.select_related(
        "person", "person__agency", "task_force"
    ).filter(task_force_assignment_scope_q(user))
    if person is not None:
        qs = qs.filter(person_id=person)
    if task_force is not None:
        qs = qs.filter(task_force_id=task_force)
    qs = qs.filter(_running("start_date", "end_date", active))
    return qs.order_by("-start_date", "pk")


def task_force_assignment_get_for_user(
    *, user: Any, pk: object, purpose: str = "view"
) -> TaskForceAssignment:
    return _one(
        task_force_assignment_list_for_user(user=user),
        pk,
        user=user,
        kind="task_force_assignment",
        purpose=purpose,
    )


# Liaison designations: owned by the agency the liaison represents.


def liaison_designation_list_for_user(
    *,
    user: Any,
    q: str = "",
    agency: int | None = None,
    person: int | None = None,
    active: bool | None = None,
) -> QuerySet[LiaisonDesignation]:
    qs = LiaisonDesignation.objects.select_related("person", "from_agency", "to_agency").filter(
        agency_scope_q(user, "from_agency")
    )
    if agency is not None:
        qs = qs.filter(Q(from_agency_id=agency) | Q(to_agency_id=agency))
    if person is not None:
        qs = qs.filter(person_id=person)
    qs = qs.filter(_running("start_date", "end_date", active))
    qs = _search(
        qs,
        q,
        (
            "person__given_name",
            "person__family_name",
            "from_agency__abbreviation",
            "to_agency__abbreviation",
            "to_agency__name",
        ),
    )
    return qs.order_by("-start_date", "pk")


def liaison_designation_get_for_user(
    *, user: Any, pk: object, purpose: str = "view"
) -> LiaisonDesignation:
    return _one(
        liaison_designation_list_for_user(user=user),
        pk,
        user=user,
        kind="liaison_designation",
        purpose=purpose,
    )


# Contacts: owned by the agency that keeps them. Reading one is logged.


def contact_list_for_user(
    *, user: Any, q: str = "", agency: int | None = None, active: bool | None = None
) -> QuerySet[Contact]:
    qs = Contact.objects.select_related("agency", "owner_agency").filter(
        agency_scope_q(user, "owner_agency")
    )
    if agency is not None:
        qs = qs.filter(agency_id=agency)
    if active is not None:
        qs = qs.filter(active=active)
    qs = _search(qs, q, ("name", "purpose", "agency__name", "agency__abbreviation"))
    return qs.order_by("agency__name", "name", "pk")


def contact_get_for_user(
    *, user: Any, pk: object, purpose: str = "view", reason: str = ""
) -> Contact:
    """The contact, for ``purpose``, after appending a ``contact.read`` access entry."""
    contact = _one(contact_list_for_user(user=user), pk, user=user, kind="contact", purpose=purpose)
    access_record(actor=user, obj=contact, action="contact.read", reason=reason)
    return contact
