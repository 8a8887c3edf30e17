"""Directory endpoints under /api/v1/directory/: the same selectors and services as the
staff pages, so an API list holds exactly what the user sees on screen.

Lists are paginated like every API list (``page``, ``page_size`` ≤ 100; see
``liaison.core.api.Pagination``) and filtered like the pages;
records out of scope answer 404 like missing ones. Creates answer 201; updates are
PATCH with only the fields to change. Refusals are ``{"code", "message", "fields"}``.
"""

from datetime import date
from typing import Any, TypeVar

from django.db.models import Model, QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Schema, Status
from ninja.pagination import paginate

from liaison.core.api import Id, Input, Pagination, Router, api_actor
from liaison.core.errors import ServiceError
from liaison.directory import selectors, services
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
from liaison.ledger.reads import listed_reads

router = Router(app="directory")
M = TypeVar("M", bound=Model)


def _ref(queryset: QuerySet[M], pk: int | None, field: str) -> M | None:
    """The record ``pk`` of a visible ``queryset``, or a field error naming ``field``."""
    if pk is None:
        return None
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise ServiceError(
            "Please correct the errors in the request.",
            code="invalid",
            fields={field: ["No such record, or not one you may use."]},
        )
    return found


def _required(value: M | None, field: str) -> M:
    if value is None:
        raise ServiceError(
            "A required field is missing.", fields={field: ["This field is required."]}
        )
    return value


def _changes(payload: Schema, refs: dict[str, tuple[str, Any]]) -> dict[str, Any]:
    """The fields a PATCH sets; ``refs`` maps ``x_id`` to (``x``, resolver)."""
    data = payload.dict(exclude_unset=True)
    for id_field, (name, resolve) in refs.items():
        if id_field in data:
            data[name] = resolve(data.pop(id_field))
    return data


class ActiveFilter(Input):
    q: str = Field("", description="Words to search for.")
    agency: int | None = Field(None, description="Agency id.")
    active: bool | None = Field(None, description="Only records in force (true) or ended (false).")


# Jurisdictions


class JurisdictionOut(Schema):
    id: int
    name: str
    kind: str
    state: str
    fips: str
    parent_id: int | None


class JurisdictionIn(Input):
    name: str
    kind: Jurisdiction.Kind
    state: str = ""
    fips: str = ""
    parent_id: int | None = None


class JurisdictionPatch(Input):
    name: str | None = None
    kind: Jurisdiction.Kind | None = None
    state: str | None = None
    fips: str | None = None
    parent_id: int | None = None


class JurisdictionFilter(Input):
    q: str = ""
    kind: str = ""
    state: str = ""


def _jurisdiction(request: HttpRequest, pk: int | None, field: str = "parent_id") -> Any:
    return _ref(selectors.jurisdiction_list_for_user(user=api_actor(request)), pk, field)


@router.get("/jurisdictions", response=list[JurisdictionOut], summary="List jurisdictions")
def jurisdiction_list(request: HttpRequest, filters: Query[JurisdictionFilter]) -> Any:
    return selectors.jurisdiction_list_for_user(user=api_actor(request), **filters.dict())


@router.get("/jurisdictions/{pk}", response=JurisdictionOut, summary="One jurisdiction")
def jurisdiction_detail(request: HttpRequest, pk: Id) -> Jurisdiction:
    return selectors.jurisdiction_get_for_user(user=api_actor(request), pk=pk)


@router.post("/jurisdictions", response={201: JurisdictionOut}, summary="Create a jurisdiction")
def jurisdiction_create(request: HttpRequest, payload: JurisdictionIn) -> Status[Jurisdiction]:
    data = payload.dict()
    parent = _jurisdiction(request, data.pop("parent_id"))
    return Status(
        201, services.jurisdiction_create(actor=api_actor(request), parent=parent, **data)
    )


@router.patch("/jurisdictions/{pk}", response=JurisdictionOut, summary="Change a jurisdiction")
def jurisdiction_update(request: HttpRequest, pk: Id, payload: JurisdictionPatch) -> Jurisdiction:
    obj = selectors.jurisdiction_get_for_user(user=api_actor(request), pk=pk)
    data = _changes(payload, {"parent_id": ("parent", lambda v: _jurisdiction(request, v))})
    return services.jurisdiction_update(actor=api_actor(request), jurisdiction=obj, data=data)


# Agencies


class AgencyOut(Schema):
    id: int
    name: str
    abbreviation: str
    level: str
    jurisdiction_id: int
    parent_id: int | None
    ori: str
    website: str
    phone: str
    active: bool


class AgencyIn(Input):
    name: str
    abbreviation: str = ""
    level: Agency.Level
    jurisdiction_id: int
    parent_id: int | None = None
    ori: str = ""
    website: str = ""
    phone: str = ""


class AgencyPatch(Input):
    name: str | None = None
    abbreviation: str | None = None
    level: Agency.Level | None = None
    jurisdiction_id: int | None = None
    parent_id: int | None = None
    ori: str | None = None
    website: str | None = None
    phone: str | None = None
    active: bool | None = None


class AgencyFilter(Input):
    q: str = ""
    level: str = ""
    jurisdiction: int | None = None
    parent: int | None = None
    active: bool | None = None


def _agency(request: HttpRequest, pk: int | None, field: str) -> Any:
    return _ref(selectors.agency_list_for_user(user=api_actor(request)), pk, field)


@router.get("/agencies", response=list[AgencyOut], summary="List agencies")
def agency_list(request: HttpRequest, filters: Query[AgencyFilter]) -> Any:
    return selectors.agency_list_for_user(user=api_actor(request), **filters.dict())


@router.get("/agencies/{pk}", response=AgencyOut, summary="One agency")
def agency_detail(request: HttpRequest, pk: Id) -> Agency:
    return selectors.agency_get_for_user(user=api_actor(request), pk=pk)


@router.post("/agencies", response={201: AgencyOut}, summary="Create an agency")
def agency_create(request: HttpRequest, payload: AgencyIn) -> Status[Agency]:
    data = payload.dict()
    jurisdiction = _required(
        _jurisdiction(request, data.pop("jurisdiction_id"), "jurisdiction_id"), "jurisdiction_id"
    )
    parent = _agency(request, data.pop("parent_id"), "parent_id")
    obj = services.agency_create(
        actor=api_actor(request), jurisdiction=jurisdiction, parent=parent, **data
    )
    return Status(201, obj)


@router.patch("/agencies/{pk}", response=AgencyOut, summary="Change an agency")
def agency_update(request: HttpRequest, pk: Id, payload: AgencyPatch) -> Agency:
    obj = selectors.agency_get_for_user(user=api_actor(request), pk=pk)
    data = _changes(
        payload,
        {
            "jurisdiction_id": (
                "jurisdiction",
                lambda v: _required(
                    _jurisdiction(request, v, "jurisdiction_id"), "jurisdiction_id"
                ),
            ),
            "parent_id": ("parent", lambda v: _agency(request, v, "parent_id")),
        },
    )
    return services.agency_update(actor=api_actor(request), agency=obj, data=data)


# Task forces and member agencies


class TaskForceOut(Schema):
    id: int
    name: str
    lead_agency_id: int
    purpose: str
    area: str
    start_date: date
    end_date: date | None


class TaskForceIn(Input):
    name: str
    lead_agency_id: int
    purpose: str
    area: str = ""
    start_date: date
    end_date: date | None = None


class TaskForcePatch(Input):
    name: str | None = None
    lead_agency_id: int | None = None
    purpose: str | None = None
    area: str | None = None
    start_date: date | None = None
    end_date: date | None = None


@router.get("/task-forces", response=list[TaskForceOut], summary="List task forces")
def task_force_list(request: HttpRequest, filters: Query[ActiveFilter]) -> Any:
    return selectors.task_force_list_for_user(user=api_actor(request), **filters.dict())


@router.get("/task-forces/{pk}", response=TaskForceOut, summary="One task force")
def task_force_detail(request: HttpRequest, pk: Id) -> TaskForce:
    return selectors.task_force_get_for_user(user=api_actor(request), pk=pk)


@router.post("/task-forces", response={201: TaskForceOut}, summary="Create a task force")
def task_force_create(request: HttpRequest, payload: TaskForceIn) -> Status[TaskForce]:
    data = payload.dict()
    lead = _required(
        _agency(request, data.pop("lead_agency_id"), "lead_agency_id"), "lead_agency_id"
    )
    return Status(
        201, services.task_force_create(actor=api_actor(request), lead_agency=lead, **data)
    )


@router.patch("/task-forces/{pk}", response=TaskForceOut, summary="Change a task force")
def task_force_update(request: HttpRequest, pk: Id, payload: TaskForcePatch) -> TaskForce:
    obj = selectors.task_force_get_for_user(user=api_actor(request), pk=pk)
    data = _changes(
        payload,
        {
            "lead_agency_id": (
                "lead_agency",
                lambda v: _required(_agency(request, v, "lead_agency_id"), "lead_agency_id"),
            )
        },
    )
    return services.task_force_update(actor=api_actor(request), task_force=obj, data=data)


class MembershipOut(Schema):
    id: int
    task_force_id: int
    agency_id: int
    joined_on: date
    left_on: date | None


class MembershipIn(Input):
    task_force_id: int
    agency_id: int
    joined_on: date
    left_on: date | None = None


class MembershipPatch(Input):
    joined_on: date | None = None
    left_on: date | None = None


class MembershipFilter(Input):
    task_force: int | None = None
    agency: int | None = None


@router.get("/memberships", response=list[MembershipOut], summary="List task-force memberships")
def membership_list(request: HttpRequest, filters: Query[MembershipFilter]) -> Any:
    return selectors.task_force_membership_list_for_user(user=api_actor(request), **filters.dict())


@router.get("/memberships/{pk}", response=MembershipOut, summary="One task-force membership")
def membership_detail(request: HttpRequest, pk: Id) -> TaskForceMembership:
    return selectors.task_force_membership_get_for_user(user=api_actor(request), pk=pk)


@router.post("/memberships", response={201: MembershipOut}, summary="Add a member agency")
def membership_create(request: HttpRequest, payload: MembershipIn) -> Status[TaskForceMembership]:
    user = api_actor(request)
    task_force = _required(
        _ref(selectors.task_force_list_for_user(user=user), payload.task_force_id, "task_force_id"),
        "task_force_id",
    )
    agency = _required(_agency(request, payload.agency_id, "agency_id"), "agency_id")
    obj = services.task_force_membership_add(
        actor=user,
        task_force=task_force,
        agency=agency,
        joined_on=payload.joined_on,
        left_on=payload.left_on,
    )
    return Status(201, obj)


@router.patch("/memberships/{pk}", response=MembershipOut, summary="Change a membership")
def membership_update(
    request: HttpRequest, pk: Id, payload: MembershipPatch
) -> TaskForceMembership:
    obj = selectors.task_force_membership_get_for_user(user=api_actor(request), pk=pk)
    return services.task_force_membership_update(
        actor=api_actor(request), membership=obj, data=_changes(payload, {})
    )


# Personnel and assignments


class PersonOut(Schema):
    id: int
    agency_id: int
    given_name: str
    family_name: str
    title: str
    rank: str
    badge_number: str
    email: str
    phone: str
    active_from: date
    active_until: date | None


class PersonIn(Input):
    agency_id: int
    given_name: str
    family_name: str
    title: str = ""
    rank: str = ""
    badge_number: str = ""
    email: str = ""
    phone: str = ""
    active_from: date
    active_until: date | None = None
    confirm_different_person: bool = Field(
        False,
        description="Set after a possible_duplicate refusal when the person is someone else.",
    )


class PersonPatch(Input):
    agency_id: int | None = None
    given_name: str | None = None
    family_name: str | None = None
    title: str | None = None
    rank: str | None = None
    badge_number: str | None = None
    email: str | None = None
    phone: str | None = None
    active_from: date | None = None
    active_until: date | None = None


@router.get(
    "/personnel",
    response=list[PersonOut],
    summary="List personnel (one access entry names the people returned)",
)
@listed_reads(action="person.list", object_type="directory.person")
@paginate(Pagination)
def person_list(request: HttpRequest, filters: Query[ActiveFilter]) -> Any:
    return selectors.person_list_for_user(user=api_actor(request), **filters.dict())


@router.get("/personnel/{pk}", response=PersonOut, summary="One person (the read is logged)")
def person_detail(request: HttpRequest, pk: Id) -> Person:
    return selectors.person_get_for_user(user=api_actor(request), pk=pk)


@router.post("/personnel", response={201: PersonOut}, summary="Create a person")
def person_create(request: HttpRequest, payload: PersonIn) -> Status[Person]:
    data = payload.dict()
    agency = _required(_agency(request, data.pop("agency_id"), "agency_id"), "agency_id")
    return Status(201, services.person_create(actor=api_actor(request), agency=agency, **data))


@router.patch("/personnel/{pk}", response=PersonOut, summary="Change a person")
def person_update(request: HttpRequest, pk: Id, payload: PersonPatch) -> Person:
    obj = selectors.person_get_for_user(user=api_actor(request), pk=pk)
    data = _changes(
        payload,
        {
            "agency_id": (
                "agency",
                lambda v: _required(_agency(request, v, "agency_id"), "agency_id"),
            )
        },
    )
    return services.person_update(actor=api_actor(request), person=obj, data=data)


class AssignmentOut(Schema):
    id: int
    person_id: int
    task_force_id: int
    role: str
    start_date: date
    end_date: date | None


class AssignmentIn(Input):
    person_id: int
    task_force_id: int
    role: str
    start_date: date
    end_date: date | None = None


class AssignmentPatch(Input):
    role: str | None = None
    start_date: date | None = None
    end_date: date | None = None


class AssignmentFilter(Input):
    person: int | None = None
    task_force: int | None = None
    active: bool | None = None


@router.get("/assignments", response=list[AssignmentOut], summary="List task-force assignments")
def assignment_list(request: HttpRequest, filters: Query[AssignmentFilter]) -> Any:
    return selectors.task_force_assignment_list_for_user(user=api_actor(request), **filters.dict())


@router.get("/assignments/{pk}", response=AssignmentOut, summary="One task-force assignment")
def assignment_detail(request: HttpRequest, pk: Id) -> TaskForceAssignment:
    return selectors.task_force_assignment_get_for_user(user=api_actor(request), pk=pk)


@router.post("/assignments", response={201: AssignmentOut}, summary="Assign a person")
def assignment_create(request: HttpRequest, payload: AssignmentIn) -> Status[TaskForceAssignment]:
    user = api_actor(request)
    person = _required(
        _ref(selectors.person_list_for_user(user=user), payload.person_id, "person_id"),
        "person_id",
    )
    task_force = _required(
        _ref(selectors.task_force_list_for_user(user=user), payload.task_force_id, "task_force_id"),
        "task_force_id",
    )
    obj = services.task_force_assignment_create(
        actor=user,
        person=person,
        task_force=task_force,
        role=payload.role,
        start_date=payload.start_date,
        end_date=payload.end_date,
    )
    return Status(201, obj)


@router.patch("/assignments/{pk}", response=AssignmentOut, summary="Change an assignment")
def assignment_update(
    request: HttpRequest, pk: Id, payload: AssignmentPatch
) -> TaskForceAssignment:
    obj = selectors.task_force_assignment_get_for_user(user=api_actor(request), pk=pk)
    return services.task_force_assignment_update(
        actor=api_actor(request), assignment=obj, data=_changes(payload, {})
    )


# Liaison designations


class DesignationOut(Schema):
    id: int
    person_id: int
    from_agency_id: int
    to_agency_id: int
    start_date: date
    end_date: date | None
    notes: str


class DesignationIn(Input):
    person_id: int
    from_agency_id: int
    to_agency_id: int
    start_date: date
    end_date: date | None = None
    notes: str = ""


class DesignationPatch(Input):
    to_agency_id: int | None = None
    start_date: date | None = None
    end_date: date | None = None
    notes: str | None = None


@router.get("/designations", response=list[DesignationOut], summary="List liaison designations")
def designation_list(request: HttpRequest, filters: Query[ActiveFilter]) -> Any:
    return selectors.liaison_designation_list_for_user(user=api_actor(request), **filters.dict())


@router.get("/designations/{pk}", response=DesignationOut, summary="One liaison designation")
def designation_detail(request: HttpRequest, pk: Id) -> LiaisonDesignation:
    return selectors.liaison_designation_get_for_user(user=api_actor(request), pk=pk)


@router.post("/designations", response={201: DesignationOut}, summary="Designate a liaison")
def designation_create(request: HttpRequest, payload: DesignationIn) -> Status[LiaisonDesignation]:
    user = api_actor(request)
    person = _required(
        _ref(selectors.person_list_for_user(user=user), payload.person_id, "person_id"),
        "person_id",
    )
    from_agency = _required(
        _agency(request, payload.from_agency_id, "from_agency_id"), "from_agency_id"
    )
    to_agency = _required(_agency(request, payload.to_agency_id, "to_agency_id"), "to_agency_id")
    obj = services.liaison_designation_create(
        actor=user,
        person=person,
        from_agency=from_agency,
        to_agency=to_agency,
        start_date=payload.start_date,
        end_date=payload.end_date,
        notes=payload.notes,
    )
    return Status(201, obj)


@router.patch("/designations/{pk}", response=DesignationOut, summary="Change a designation")
def designation_update(
    request: HttpRequest, pk: Id, payload: DesignationPatch
) -> LiaisonDesignation:
    obj = selectors.liaison_designation_get_for_user(user=api_actor(request), pk=pk)
    data = _changes(
        payload,
        {
            "to_agency_id": (
                "to_agency",
                lambda v: _required(_agency(request, v, "to_agency_id"), "to_agency_id"),
            )
        },
    )
    return services.liaison_designation_update(actor=api_actor(request), designation=obj, data=data)


# Contacts


class ContactOut(Schema):
    id: int
    agency_id: int
    owner_agency_id: int
    name: str
    purpose: str
    email: str
    phone: str
    hours: str
    active: bool


class ContactIn(Input):
    agency_id: int
    owner_agency_id: int
    name: str
    purpose: str = ""
    email: str = ""
    phone: str = ""
    hours: str = ""


class ContactPatch(Input):
    agency_id: int | None = None
    name: str | None = None
    purpose: str | None = None
    email: str | None = None
    phone: str | None = None
    hours: str | None = None
    active: bool | None = None


@router.get(
    "/contacts",
    response=list[ContactOut],
    summary="List contacts (one access entry names the contacts returned)",
)
@listed_reads(action="contact.list", object_type="directory.contact")
@paginate(Pagination)
def contact_list(request: HttpRequest, filters: Query[ActiveFilter]) -> Any:
    return selectors.contact_list_for_user(user=api_actor(request), **filters.dict())


@router.get("/contacts/{pk}", response=ContactOut, summary="One contact (the read is logged)")
def contact_detail(request: HttpRequest, pk: Id) -> Contact:
    return selectors.contact_get_for_user(user=api_actor(request), pk=pk)


@router.post("/contacts", response={201: ContactOut}, summary="Create a contact")
def contact_create(request: HttpRequest, payload: ContactIn) -> Status[Contact]:
    data = payload.dict()
    agency = _required(_agency(request, data.pop("agency_id"), "agency_id"), "agency_id")
    owner = _required(
        _agency(request, data.pop("owner_agency_id"), "owner_agency_id"), "owner_agency_id"
    )
    obj = services.contact_create(
        actor=api_actor(request), agency=agency, owner_agency=owner, **data
    )
    return Status(201, obj)


@router.patch("/contacts/{pk}", response=ContactOut, summary="Change a contact")
def contact_update(request: HttpRequest, pk: Id, payload: ContactPatch) -> Contact:
    obj = selectors.contact_get_for_user(user=api_actor(request), pk=pk)
    data = _changes(
        payload,
        {
            "agency_id": (
                "agency",
                lambda v: _required(_agency(request, v, "agency_id"), "agency_id"),
            )
        },
    )
    return services.contact_update(actor=api_actor(request), contact=obj, data=data)
