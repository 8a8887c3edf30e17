"""Reads of agreements and legal authorities, scoped by role and agency.

Who sees an agreement: ``admin`` and ``oversight`` see all; users of its party
agencies (and of the agency that keeps the record) see it; staff of state and
local agencies (coordinator, supervisor, privacy officer, legal counsel,
investigator) see every agreement with a state or local party or kept by an
agency in their directory scope. A ``partner`` or ``officer`` sees only the
agreements their own agency is a party to (or keeps).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db.models import Case, DateField, Exists, F, OuterRef, Prefetch, Q, QuerySet, When
from django.utils import timezone

from liaison.agreements.models import (
    Activity,
    Agreement,
    AgreementDocument,
    AgreementParty,
    Amendment,
    DataCategory,
    DocumentVersion,
    Grant,
    LegalAuthority,
    Purpose,
    ReportingObligation,
    Signatory,
    TaxonomyItem,
)
from liaison.core import access
from liaison.core.access import role_of
from liaison.core.errors import NotFound
from liaison.core.roles import READ_ALL_ROLES, STAFF_ROLES
from liaison.directory.models import Agency
from liaison.directory.scope import STATE_STAFF_ROLES, agency_scope_q, own_agency_ids
from liaison.ledger.selectors import HistoryRow, history_for


def _agency_level(user: Any) -> str:
    level = Agency.objects.filter(pk=user.agency_id).values_list("level", flat=True).first()
    return level or ""


def agreement_scope_q(user: Any) -> Q:
    """Filter on :class:`Agreement` for the agreements ``user`` may see."""
    role = role_of(user)
    if role is None:
        return Q(pk__in=[])
    if role in READ_ALL_ROLES:
        return Q()
    own = sorted(own_agency_ids(user))
    visible = Q(pk__in=AgreementParty.objects.filter(agency_id__in=own).values("agreement_id")) | Q(
        owner_agency_id__in=own
    )
    if role in STATE_STAFF_ROLES and _agency_level(user) in ("state", "local"):
        visible |= Q(
            pk__in=AgreementParty.objects.filter(agency__level__in=("state", "local")).values(
                "agreement_id"
            )
        ) | agency_scope_q(user, "owner_agency")
    return visible


# The day an agreement stops being in force, for sorting an "ending" list: the first day
# after its termination takes effect, or its last day (the day's difference does not
# change the order enough to matter, and keeps the expression portable).
_ENDS_ON = Case(
    When(status=Agreement.Status.TERMINATED, then=F("terminated_on")),
    default=F("expires_on"),
    output_field=DateField(),
)


def ending_within_q(today: date, days: int) -> Q:
    """Agreements whose last day in force is between ``today`` and ``today + days``:
    signed, active or suspended ones by their last day (after amendments), and terminated
    ones still in their notice period by the day before the termination takes effect."""
    until = today + timedelta(days=days)
    expiring = Q(
        status__in=[Agreement.Status.SIGNED, Agreement.Status.ACTIVE, Agreement.Status.SUSPENDED],
        expires_on__gte=today,
        expires_on__lte=until,
    )
    terminating = Q(status=Agreement.Status.TERMINATED, terminated_on__gt=today) & (
        Q(terminated_on__lte=until + timedelta(days=1))
        | Q(expires_on__gte=today, expires_on__lte=until)
    )
    return expiring | terminating


def is_staff_user(user: Any) -> bool:
    """Whether ``user`` uses the staff pages (every role but federal partners)."""
    return role_of(user) in STAFF_ROLES


def agreement_list_for_user(
    *,
    user: Any,
    kind: str = "",
    status: str = "",
    party_id: int | None = None,
    expiring_within_days: int | None = None,
    search: str = "",
    stage: str = "",
    today: date | None = None,
) -> QuerySet[Agreement]:
    """Agreements ``user`` may see, filtered; parties and owner come with them.

    ``stage`` keeps one home-page queue (:func:`agreement_queue_for_user`).

    ``expiring_within_days`` keeps the agreements whose last day in force falls between
    today and today + N days (see :func:`ending_within_q`), soonest first.
    """
    if stage:
        qs = _queue(user=user, stage=stage, today=today or timezone.localdate())
    else:
        qs = Agreement.objects.filter(agreement_scope_q(user))
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    if party_id is not None:
        qs = qs.filter(
            pk__in=AgreementParty.objects.filter(agency_id=party_id).values("agreement_id")
        )
    if expiring_within_days is not None:
        qs = qs.filter(
            ending_within_q(today or timezone.localdate(), expiring_within_days)
        ).order_by(_ENDS_ON.asc(nulls_last=True), "id")
    if search:
        qs = qs.filter(Q(title__icontains=search) | Q(reference__icontains=search))
    return qs.select_related("owner_agency").prefetch_related(
        Prefetch("parties", queryset=AgreementParty.objects.select_related("agency"))
    )


# The home page's agreement queues; the list page opens each with ``?stage=<key>``.
QUEUE_STAGES: dict[str, str] = {
    "awaiting_review": "Awaiting your legal review",
    "returned": "Returned by counsel",
    "awaiting_signature": "Awaiting the other party's signature",
    "ending": "Expiring or terminating within 90 days",
    "reports_due": "Reports due within 30 days",
}
ENDING_DAYS = 90
REPORTS_DAYS = 30


def _mine_q(user: Any) -> Q:
    """Agreements the user's agency (or a sub-agency) keeps or is party to."""
    own = sorted(own_agency_ids(user))
    return Q(owner_agency_id__in=own) | Q(
        pk__in=AgreementParty.objects.filter(agency_id__in=own).values("agreement_id")
    )


def agreement_queue_for_user(*, user: Any, stage: str, today: date) -> QuerySet[Agreement]:
    """The agreements waiting in one of :data:`QUEUE_STAGES` for ``user``: for counsel
    every agreement they may see that awaits review; for the others those their agency
    keeps or is party to. A fixed number of queries; an unknown stage is empty."""
    return (
        _queue(user=user, stage=stage, today=today)
        .select_related("owner_agency")
        .prefetch_related(
            Prefetch("parties", queryset=AgreementParty.objects.select_related("agency"))
        )
    )


def _queue(*, user: Any, stage: str, today: date) -> QuerySet[Agreement]:
    qs = Agreement.objects.filter(agreement_scope_q(user))
    S = Agreement.Status
    if stage == "awaiting_review":
        qs = qs.filter(status=S.LEGAL_REVIEW, legal_approved_at__isnull=True)
    elif stage == "returned":
        qs = qs.filter(_mine_q(user), status=S.DRAFT).exclude(review_notes="")
    elif stage == "awaiting_signature":
        unsigned_other = (
            AgreementParty.objects.filter(agreement_id=OuterRef("pk"))
            .exclude(agency_id__in=sorted(own_agency_ids(user)))
            .exclude(
                Exists(
                    Signatory.objects.filter(
                        agreement_id=OuterRef("agreement_id"), agency_id=OuterRef("agency_id")
                    )
                )
            )
        )
        qs = qs.filter(
            _mine_q(user), status=S.LEGAL_REVIEW, legal_approved_at__isnull=False
        ).filter(Exists(unsigned_other))
    elif stage == "ending":
        qs = qs.filter(_mine_q(user)).filter(ending_within_q(today, ENDING_DAYS))
        qs = qs.order_by(_ENDS_ON.asc(nulls_last=True), "id")
    elif stage == "reports_due":
        qs = qs.filter(pk__in=_reports_due_ids(qs.filter(_mine_q(user)), today))
    else:
        qs = qs.none()
    return qs


def _reports_due_ids(agreements: QuerySet[Agreement], today: date) -> list[int]:
    """Active agreements among ``agreements`` with a report due in the next
    :data:`REPORTS_DAYS` days (one query)."""
    from liaison.agreements.services.reminders import due_dates

    end = today + timedelta(days=REPORTS_DAYS)
    obligations = ReportingObligation.objects.filter(
        agreement__in=agreements.filter(status=Agreement.Status.ACTIVE), first_due_on__lte=end
    ).select_related("agreement")
    due = set()
    for obligation in obligations:
        last_day = obligation.agreement.expires_on
        until = min(end, last_day) if last_day else end
        if due_dates(obligation, start=today, end=until):
            due.add(obligation.agreement_id)
    return sorted(due)


def _fetch(user: Any, queryset: QuerySet[Agreement], pk: int, purpose: str) -> Agreement:
    return access.fetch(
        actor=user, visible=queryset, pk=pk, kind="agreements.agreement", purpose=purpose
    )


def agreement_get_for_user(
    *, user: Any, pk: int, purpose: str = "view", for_update: bool = False
) -> Agreement:
    """The agreement ``pk`` if ``user`` may see it; :class:`NotFound` if missing or not allowed.

    Any ``purpose`` but ``"view"`` names a declared action (``"sign"``, ``"amend"``, …) the
    user must be allowed to take now (:class:`PermissionDenied`, or :class:`Conflict` for
    a step out of order). ``for_update`` locks the row (inside a transaction).
    """
    visible = Agreement.objects.filter(agreement_scope_q(user)).select_related("owner_agency")
    agreement = _fetch(user, visible, pk, purpose)
    if for_update:
        # Lock only the agreement row: the scope filter's joins must not be locked too.
        return Agreement.objects.select_for_update().get(pk=agreement.pk)
    return agreement


def agreement_document_list_for_user(*, user: Any, pk: int) -> QuerySet[AgreementDocument]:
    """The documents of agreement ``pk`` (versions prefetched, newest first) if ``user`` may
    see it; :class:`NotFound` otherwise."""
    agreement = agreement_get_for_user(user=user, pk=pk)
    return AgreementDocument.objects.filter(agreement=agreement).prefetch_related(
        Prefetch("versions", queryset=DocumentVersion.objects.order_by("-version"))
    )


def agreement_detail_for_user(*, user: Any, pk: int, purpose: str = "view") -> Agreement:
    """As :func:`agreement_get_for_user`, with everything the detail page shows prefetched."""
    qs = (
        Agreement.objects.filter(agreement_scope_q(user))
        .select_related("owner_agency", "legal_approved_by")
        .prefetch_related(
            Prefetch("parties", queryset=AgreementParty.objects.select_related("agency")),
            "signatories__agency",
            "authorities",
            Prefetch(
                "grants",
                queryset=Grant.objects.select_related(
                    "activity", "data_category", "purpose", "granted_by", "revoked_by"
                ),
            ),
            "status_changes",
            Prefetch(
                "amendments",
                queryset=Amendment.objects.prefetch_related(
                    "grants_added__activity",
                    "grants_added__data_category",
                    "grants_added__purpose",
                    "grants_removed__activity",
                    "grants_removed__data_category",
                    "grants_removed__purpose",
                ),
            ),
            "nominated_personnel__person__agency",
            "training_requirements",
            "reporting_obligations__recipient",
            Prefetch(
                "documents",
                queryset=AgreementDocument.objects.prefetch_related(
                    Prefetch(
                        "versions",
                        queryset=DocumentVersion.objects.select_related("uploaded_by"),
                    )
                ),
            ),
        )
    )
    return _fetch(user, qs, pk, purpose)


def agreement_history(*, agreement: Agreement, viewer: Any) -> list[HistoryRow]:
    """The ledger's history of the agreement, its amendments and its documents, newest first
    (for the agreement's own page, shown with ``ledger/_history.html``)."""
    return history_for(
        agreement,
        viewer=viewer,
        parts=[
            agreement.amendments.all(),
            DocumentVersion.objects.filter(document__agreement=agreement),
        ],
        limit=200,
    )


def agreement_document_versions(*, agreement: Agreement) -> QuerySet[DocumentVersion]:
    """Every version of every document of ``agreement`` (one the caller already got through
    an access selector), by document title and newest version first."""
    return (
        DocumentVersion.objects.filter(document__agreement=agreement)
        .select_related("document")
        .order_by("document__title", "document_id", "-version")
    )


def document_version_get_for_user(*, user: Any, pk: int) -> DocumentVersion:
    """A document version of an agreement ``user`` may see; :class:`NotFound` otherwise."""
    visible = DocumentVersion.objects.filter(
        document__agreement__in=Agreement.objects.filter(agreement_scope_q(user))
    ).select_related("document", "document__agreement")
    return access.fetch(actor=user, visible=visible, pk=pk, kind="agreements.document_version")


def legal_authority_list_for_user(
    *,
    user: Any,
    jurisdiction: str = "",
    kind: str = "",
    verify_with_counsel: bool | None = None,
    search: str = "",
) -> QuerySet[LegalAuthority]:
    """The legal-authority library: public law, so every staff role and partner reads it."""
    if role_of(user) is None:
        return LegalAuthority.objects.none()
    qs = LegalAuthority.objects.select_related("jurisdiction")
    if jurisdiction:
        qs = qs.filter(jurisdiction_code=jurisdiction)
    if kind:
        qs = qs.filter(kind=kind)
    if verify_with_counsel is not None:
        qs = qs.filter(verify_with_counsel=verify_with_counsel)
    if search:
        qs = qs.filter(
            Q(citation__icontains=search)
            | Q(title__icontains=search)
            | Q(summary__icontains=search)
        )
    return qs


def legal_authority_get_for_user(*, user: Any, pk: int) -> LegalAuthority:
    authority = legal_authority_list_for_user(user=user).filter(pk=pk).first()
    if authority is None:
        raise NotFound()
    return authority


# Reference lists for choice fields and for the API's codes.

Taxonomy = type[Activity] | type[DataCategory] | type[Purpose]


def activities(*, active_only: bool = False) -> QuerySet[Activity]:
    """The activities an agreement may authorize (only those still offered with
    ``active_only``)."""
    qs = Activity.objects.all()
    return qs.filter(active=True) if active_only else qs


def data_categories(*, active_only: bool = False) -> QuerySet[DataCategory]:
    """The data categories an agreement may authorize (see :func:`activities`)."""
    qs = DataCategory.objects.all()
    return qs.filter(active=True) if active_only else qs


def purposes(*, active_only: bool = False) -> QuerySet[Purpose]:
    """The purposes an agreement may authorize (see :func:`activities`)."""
    qs = Purpose.objects.all()
    return qs.filter(active=True) if active_only else qs


def taxonomy_by_code(model: Taxonomy, codes: list[str]) -> dict[str, TaxonomyItem]:
    """The activities, data categories or purposes among ``codes``, by code; unknown codes
    are missing from the answer."""
    return {x.code: x for x in model.objects.filter(code__in=codes)}


def legal_authorities() -> QuerySet[LegalAuthority]:
    """Every legal authority, for the picker of the ones an agreement rests on."""
    return LegalAuthority.objects.all()


def existing_legal_authority_ids(ids: list[int]) -> list[int]:
    """Those of ``ids`` that name a legal authority."""
    return list(LegalAuthority.objects.filter(pk__in=ids).values_list("pk", flat=True))


def unsigned_parties(agreement: Agreement) -> QuerySet[Agency]:
    """The parties of ``agreement`` that have not signed it yet, by name."""
    return (
        Agency.objects.filter(agreement_parties__agreement=agreement)
        .exclude(pk__in=agreement.signatories.values("agency_id"))
        .order_by("name")
    )
