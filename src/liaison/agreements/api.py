"""Agreement endpoints under /api/v1/agreements/: the same selectors and services as the
staff pages. Activities, data categories and purposes are given by code; agencies by id.

Out-of-scope agreements answer 404 like missing ones; a step the caller may not take
403; a step out of order 409. Bodies of refusals are ``{"code", "message", "fields"}``.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Schema, Status

from liaison.accounts.models import User
from liaison.agreements import selectors, services
from liaison.agreements.coverage import coverage
from liaison.agreements.models import (
    MAX_NOTICE_DAYS,
    MAX_PERSONNEL_CAP,
    Activity,
    Agreement,
    DataCategory,
    Purpose,
)
from liaison.core.api import Id, Input, Router
from liaison.core.errors import NotFound, ServiceError
from liaison.directory.models import Agency
from liaison.directory.selectors import agency_list_for_user

router = Router(app="agreements")


def _user(request: HttpRequest) -> User:
    user = getattr(request, "auth", None)
    if not isinstance(user, User):
        raise NotFound()
    return user


def _codes(
    model: type[Activity] | type[DataCategory] | type[Purpose], codes: list[str], field: str
) -> list[Any]:
    found = selectors.taxonomy_by_code(model, codes)
    unknown = [c for c in codes if c not in found]
    if unknown:
        raise ServiceError(
            "Please correct the errors in the request.",
            fields={field: [f"Unknown code: {', '.join(unknown)}."]},
        )
    return [found[c] for c in codes]


def _code(
    model: type[Activity] | type[DataCategory] | type[Purpose], code: str | None, field: str
) -> Any:
    return _codes(model, [code], field)[0] if code else None


def _agency(user: User, pk: int | None, field: str) -> Agency | None:
    """The agency ``pk`` through the directory's selector, or a field error naming ``field``."""
    if pk is None:
        return None
    agency = agency_list_for_user(user=user).filter(pk=pk).first()
    if agency is None:
        raise ServiceError(
            "Please correct the errors in the request.", fields={field: ["No such agency."]}
        )
    return agency


# --- schemas --------------------------------------------------------------------------


class PartyIn(Input):
    agency_id: int
    role: str = Field(
        description="federal_party, state_party, local_party, lead_agency, participating"
    )


class AgreementIn(Input):
    title: str
    kind: str = Field(description="One of the agreement types, e.g. 287g_jail, task_force_mou.")
    reference: str = ""
    summary: str = ""
    effective_date: date | None = None
    expiry_date: date | None = None
    personnel_cap: int | None = Field(None, ge=0, le=MAX_PERSONNEL_CAP)
    grant_clause: str = "Agreement"
    complaint_procedure: str = ""
    termination_terms: str = ""
    termination_notice_days: int = Field(0, ge=0, le=MAX_NOTICE_DAYS)
    notes: str = ""
    parties: list[PartyIn] = []
    activities: list[str] = Field([], description="Activity codes.")
    data_categories: list[str] = Field([], description="Data category codes.")
    purposes: list[str] = Field([], description="Purpose codes.")
    authority_ids: list[int] = []

    def to_fields(self, user: User) -> services.AgreementFields:
        parties = []
        for i, p in enumerate(self.parties):
            agency = _agency(user, p.agency_id, f"parties.{i}.agency_id")
            assert agency is not None
            parties.append((agency, p.role))
        return services.AgreementFields(
            title=self.title,
            kind=self.kind,
            reference=self.reference,
            summary=self.summary,
            effective_date=self.effective_date,
            expiry_date=self.expiry_date,
            personnel_cap=self.personnel_cap,
            grant_clause=self.grant_clause,
            complaint_procedure=self.complaint_procedure,
            termination_terms=self.termination_terms,
            termination_notice_days=self.termination_notice_days,
            notes=self.notes,
            parties=parties,
            activities=_codes(Activity, self.activities, "activities"),
            data_categories=_codes(DataCategory, self.data_categories, "data_categories"),
            purposes=_codes(Purpose, self.purposes, "purposes"),
            authority_ids=selectors.existing_legal_authority_ids(self.authority_ids),
        )


class PartyOut(Schema):
    agency_id: int
    agency_name: str
    role: str


class AgreementSummaryOut(Schema):
    id: int
    title: str
    reference: str
    kind: str
    status: str
    owner_agency_id: int
    effective_date: date | None
    expires_on: date | None
    parties: list[PartyOut]

    @staticmethod
    def resolve_parties(obj: Agreement | dict[str, Any]) -> list[PartyOut]:
        if isinstance(obj, dict):
            return list(obj["parties"])
        return [
            PartyOut(agency_id=p.agency_id, agency_name=p.agency.name, role=p.role)
            for p in obj.parties.all()
        ]


class GrantOut(Schema):
    kind: str
    code: str
    clause: str
    valid_from: date | None
    valid_until: date | None
    amendment_number: int | None


class SignatoryOut(Schema):
    agency_id: int
    name: str
    title: str
    signed_on: date


class StatusChangeOut(Schema):
    from_status: str
    to_status: str
    effective_on: date
    recorded_at: datetime


class AmendmentOut(Schema):
    id: int
    number: int
    title: str
    section: str
    effective_date: date
    new_expiry_date: date | None
    new_personnel_cap: int | None


class TrainingOut(Schema):
    function: str
    course_name: str
    hours: Decimal
    renewal_months: int | None


class ReportingOut(Schema):
    description: str
    frequency: str
    recipient_id: int
    first_due_on: date


class AgreementOut(AgreementSummaryOut):
    summary: str
    expiry_date: date | None
    personnel_cap: int | None
    complaint_procedure: str
    termination_terms: str
    termination_notice_days: int
    terminated_on: date | None
    legal_approved_at: datetime | None
    review_notes: str
    grants: list[GrantOut]
    signatories: list[SignatoryOut]
    status_history: list[StatusChangeOut]
    amendments: list[AmendmentOut]
    training_requirements: list[TrainingOut]
    reporting_obligations: list[ReportingOut]
    authority_ids: list[int]
    actions: list[str] = Field(
        [], description="The steps the caller may take now (the declared rules decide)."
    )


def _summary(a: Agreement) -> AgreementSummaryOut:
    return AgreementSummaryOut.model_validate(a, from_attributes=True)


def _detail(a: Agreement) -> AgreementOut:
    grants = []
    for g in a.grants.all():
        item = g.activity or g.data_category or g.purpose
        assert item is not None
        grants.append(
            GrantOut(
                kind=g.item_kind,
                code=item.code,
                clause=g.clause,
                valid_from=g.valid_from,
                valid_until=g.valid_until,
                amendment_number=g.granted_by.number if g.granted_by else None,
            )
        )
    return AgreementOut(
        **_summary(a).dict(),
        summary=a.summary,
        expiry_date=a.expiry_date,
        personnel_cap=a.personnel_cap,
        complaint_procedure=a.complaint_procedure,
        termination_terms=a.termination_terms,
        termination_notice_days=a.termination_notice_days,
        terminated_on=a.terminated_on,
        legal_approved_at=a.legal_approved_at,
        review_notes=a.review_notes,
        grants=grants,
        signatories=[
            SignatoryOut(agency_id=s.agency_id, name=s.name, title=s.title, signed_on=s.signed_on)
            for s in a.signatories.all()
        ],
        status_history=[
            StatusChangeOut(
                from_status=c.from_status,
                to_status=c.to_status,
                effective_on=c.effective_on,
                recorded_at=c.recorded_at,
            )
            for c in a.status_changes.all()
        ],
        amendments=[
            AmendmentOut(
                id=m.pk,
                number=m.number,
                title=m.title,
                section=m.section,
                effective_date=m.effective_date,
                new_expiry_date=m.new_expiry_date,
                new_personnel_cap=m.new_personnel_cap,
            )
            for m in a.amendments.all()
        ],
        training_requirements=[
            TrainingOut(
                function=t.function,
                course_name=t.course_name,
                hours=t.hours,
                renewal_months=t.renewal_months,
            )
            for t in a.training_requirements.all()
        ],
        reporting_obligations=[
            ReportingOut(
                description=r.description,
                frequency=r.frequency,
                recipient_id=r.recipient_id,
                first_due_on=r.first_due_on,
            )
            for r in a.reporting_obligations.all()
        ],
        authority_ids=[x.pk for x in a.authorities.all()],
    )


def _fresh(request: HttpRequest, pk: int) -> AgreementOut:
    user = _user(request)
    agreement = selectors.agreement_detail_for_user(user=user, pk=pk)
    out = _detail(agreement)
    out.actions = sorted(services.agreement_actions(user, agreement))
    return out


# --- coverage ---------------------------------------------------------------------------


class CoverageQuery(Input):
    agency: int = Field(description="Agency id asked about.")
    on: date | None = Field(None, description="Date asked about; default today.")
    activity: str | None = Field(None, description="Activity code.")
    data_category: str | None = Field(None, description="Data category code.")
    purpose: str | None = Field(None, description="Purpose code.")
    with_agency: int | None = Field(None, description="Only agreements with this agency too.")


class ClauseOut(Schema):
    agreement_id: int
    item_kind: str
    item_code: str
    clause: str
    amendment_number: int | None


class ConsideredOut(Schema):
    agreement_id: int
    title: str
    kind: str
    covers: bool
    reason_code: str
    reason: str


class CoverageOut(Schema):
    covered: bool
    on: date
    reason_code: str
    reason: str
    agreement_ids: list[int]
    clauses: list[ClauseOut]
    agreements: list[ConsideredOut]


@router.get(
    "/coverage",
    response=CoverageOut,
    summary="Is an agency covered for an activity or data use on a date?",
)
def coverage_get(request: HttpRequest, query: Query[CoverageQuery]) -> CoverageOut:
    from django.utils import timezone

    user = _user(request)
    agency = _agency(user, query.agency, "agency")
    result = coverage(
        agency=agency,
        with_agency=_agency(user, query.with_agency, "with_agency"),
        activity=_code(Activity, query.activity, "activity"),
        data_category=_code(DataCategory, query.data_category, "data_category"),
        purpose=_code(Purpose, query.purpose, "purpose"),
        on=query.on or timezone.localdate(),
    )
    if result.reason_code == "nothing_asked":
        raise ServiceError(result.reason, fields={"activity": [result.reason]})
    visible = set(
        selectors.agreement_list_for_user(user=user)
        .filter(pk__in=[a.agreement_id for a in result.agreements])
        .values_list("pk", flat=True)
    )
    return CoverageOut(
        covered=result.covered,
        on=result.on,
        reason_code=result.reason_code,
        reason=result.reason,
        agreement_ids=[i for i in result.agreement_ids if i in visible],
        clauses=[ClauseOut(**c.__dict__) for c in result.clauses if c.agreement_id in visible],
        agreements=[
            ConsideredOut(**a.__dict__) for a in result.agreements if a.agreement_id in visible
        ],
    )


# --- legal authorities ------------------------------------------------------------------


class AuthorityOut(Schema):
    id: int
    citation: str
    title: str
    jurisdiction_code: str
    jurisdiction_id: int | None
    kind: str
    effective_date: date | None
    repealed_on: date | None
    source_url: str
    summary: str
    verify_with_counsel: bool


class AuthorityFilter(Input):
    jurisdiction: str = Field("", description="MN, WI or US.")
    kind: str = ""
    verify_with_counsel: bool | None = None
    q: str = ""


@router.get("/authorities", response=list[AuthorityOut], summary="The legal-authority library")
def authority_list(request: HttpRequest, filters: Query[AuthorityFilter]) -> Any:
    return selectors.legal_authority_list_for_user(
        user=_user(request),
        jurisdiction=filters.jurisdiction,
        kind=filters.kind,
        verify_with_counsel=filters.verify_with_counsel,
        search=filters.q,
    )


@router.get("/authorities/{pk}", response=AuthorityOut, summary="One legal authority")
def authority_get(request: HttpRequest, pk: Id) -> Any:
    return selectors.legal_authority_get_for_user(user=_user(request), pk=pk)


# --- agreements -------------------------------------------------------------------------


class AgreementFilter(Input):
    kind: str = ""
    status: str = ""
    party: int | None = Field(None, description="Agency id of a party.")
    expiring_within: int | None = Field(None, ge=0, le=3650, description="Ending within N days.")
    q: str = ""


@router.get("/", response=list[AgreementSummaryOut], summary="Agreements the caller may see")
def agreement_list(request: HttpRequest, filters: Query[AgreementFilter]) -> object:
    from django.utils import timezone

    return selectors.agreement_list_for_user(
        user=_user(request),
        kind=filters.kind,
        status=filters.status,
        party_id=filters.party,
        expiring_within_days=filters.expiring_within,
        search=filters.q,
        today=timezone.localdate(),
    )


@router.post("/", response={201: AgreementOut}, summary="Draft a new agreement")
def agreement_create(request: HttpRequest, payload: AgreementIn) -> Status[AgreementOut]:
    user = _user(request)
    agreement = services.agreement_create(actor=user, fields=payload.to_fields(user))
    return Status(201, _fresh(request, agreement.pk))


@router.get("/{pk}", response=AgreementOut)
def agreement_get(request: HttpRequest, pk: Id) -> AgreementOut:
    return _fresh(request, pk)


@router.put("/{pk}", response=AgreementOut, summary="Replace a draft")
def agreement_update(request: HttpRequest, pk: Id, payload: AgreementIn) -> AgreementOut:
    user = _user(request)
    agreement = selectors.agreement_get_for_user(user=user, pk=pk)
    services.agreement_update_draft(actor=user, agreement=agreement, fields=payload.to_fields(user))
    return _fresh(request, pk)


def _step(request: HttpRequest, pk: int, run: Any) -> AgreementOut:
    user = _user(request)
    run(user, selectors.agreement_get_for_user(user=user, pk=pk))
    return _fresh(request, pk)


class ReviewIn(Input):
    approve: bool
    notes: str = ""


class SignatureIn(Input):
    agency_id: int
    name: str
    title: str
    signed_on: date
    signed_copy_id: int | None = Field(
        None,
        description="Document version of this agreement holding the signed copy; required "
        "when the caller does not work for the signing party.",
    )


class ReasonIn(Input):
    reason: str


class TerminateIn(Input):
    reason: str
    notice_date: date | None = None


class AmendmentIn(Input):
    title: str
    effective_date: date
    summary: str = ""
    section: str = ""
    new_expiry_date: date | None = None
    new_personnel_cap: int | None = Field(None, ge=0, le=MAX_PERSONNEL_CAP)
    add_activities: list[str] = []
    remove_activities: list[str] = []
    add_data_categories: list[str] = []
    remove_data_categories: list[str] = []
    add_purposes: list[str] = []
    remove_purposes: list[str] = []


@router.post("/{pk}/submit", response=AgreementOut, summary="Send a draft to legal review")
def agreement_submit(request: HttpRequest, pk: Id) -> AgreementOut:
    return _step(
        request, pk, lambda u, a: services.agreement_submit_for_review(actor=u, agreement=a)
    )


@router.post("/{pk}/review", response=AgreementOut, summary="Counsel approves or returns it")
def agreement_review(request: HttpRequest, pk: Id, payload: ReviewIn) -> AgreementOut:
    return _step(
        request,
        pk,
        lambda u, a: services.agreement_review(
            actor=u, agreement=a, approve=payload.approve, notes=payload.notes
        ),
    )


@router.post("/{pk}/signatures", response=AgreementOut, summary="Record a party's signature")
def agreement_sign(request: HttpRequest, pk: Id, payload: SignatureIn) -> AgreementOut:
    agency = _agency(_user(request), payload.agency_id, "agency_id")
    assert agency is not None
    signed_copy = None
    if payload.signed_copy_id is not None:
        try:
            signed_copy = selectors.document_version_get_for_user(
                user=_user(request), pk=payload.signed_copy_id
            )
        except NotFound as exc:
            raise ServiceError(
                "No such document.", fields={"signed_copy_id": ["No such document version."]}
            ) from exc
    return _step(
        request,
        pk,
        lambda u, a: services.agreement_record_signature(
            actor=u,
            agreement=a,
            agency=agency,
            name=payload.name,
            title=payload.title,
            signed_on=payload.signed_on,
            signed_copy=signed_copy,
        ),
    )


@router.post("/{pk}/activate", response=AgreementOut)
def agreement_activate(request: HttpRequest, pk: Id) -> AgreementOut:
    return _step(request, pk, lambda u, a: services.agreement_activate(actor=u, agreement=a))


@router.post("/{pk}/suspend", response=AgreementOut)
def agreement_suspend(request: HttpRequest, pk: Id, payload: ReasonIn) -> AgreementOut:
    return _step(
        request,
        pk,
        lambda u, a: services.agreement_suspend(actor=u, agreement=a, reason=payload.reason),
    )


@router.post("/{pk}/reinstate", response=AgreementOut)
def agreement_reinstate(request: HttpRequest, pk: Id, payload: ReasonIn) -> AgreementOut:
    return _step(
        request,
        pk,
        lambda u, a: services.agreement_reinstate(actor=u, agreement=a, reason=payload.reason),
    )


@router.post("/{pk}/terminate", response=AgreementOut)
def agreement_terminate(request: HttpRequest, pk: Id, payload: TerminateIn) -> AgreementOut:
    return _step(
        request,
        pk,
        lambda u, a: services.agreement_terminate(
            actor=u, agreement=a, reason=payload.reason, notice_date=payload.notice_date
        ),
    )


@router.post("/{pk}/amendments", response={201: AgreementOut}, summary="Record an amendment")
def amendment_create(request: HttpRequest, pk: Id, payload: AmendmentIn) -> Status[AgreementOut]:
    user = _user(request)
    agreement = selectors.agreement_get_for_user(user=user, pk=pk)
    services.amendment_create(
        actor=user,
        agreement=agreement,
        title=payload.title,
        effective_date=payload.effective_date,
        summary=payload.summary,
        section=payload.section,
        new_expiry_date=payload.new_expiry_date,
        new_personnel_cap=payload.new_personnel_cap,
        add_activities=_codes(Activity, payload.add_activities, "add_activities"),
        remove_activities=_codes(Activity, payload.remove_activities, "remove_activities"),
        add_data_categories=_codes(
            DataCategory, payload.add_data_categories, "add_data_categories"
        ),
        remove_data_categories=_codes(
            DataCategory, payload.remove_data_categories, "remove_data_categories"
        ),
        add_purposes=_codes(Purpose, payload.add_purposes, "add_purposes"),
        remove_purposes=_codes(Purpose, payload.remove_purposes, "remove_purposes"),
    )
    return Status(201, _fresh(request, pk))


class DocumentVersionOut(Schema):
    id: int
    version: int
    original_name: str
    size: int
    sha256: str
    uploaded_at: datetime


class DocumentOut(Schema):
    id: int
    title: str
    versions: list[DocumentVersionOut]


@router.get("/{pk}/documents", response=list[DocumentOut], summary="Document metadata")
def document_list(request: HttpRequest, pk: Id) -> object:
    return selectors.agreement_document_list_for_user(user=_user(request), pk=pk)
