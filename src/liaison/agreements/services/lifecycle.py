"""Every write to agreements: drafting, the lifecycle, amendments, documents, personnel.

Each function is one transaction: it locks the agreement, checks that the actor may
see it (else :class:`NotFound`) and may do this (else :class:`PermissionDenied`),
checks the lifecycle allows it (else :class:`Conflict`), writes, and appends one
ledger entry. ``actor=None`` is the system itself (the expiry sweep, demo loading,
imports); interfaces always pass the signed-in user.

Lifecycle::

    draft → legal_review → signed → active ⇄ suspended
      ↑          │                    │  ╲
      └─ returned by counsel          │   → expired (sweep, after the last day)
                         signed / active / suspended → terminated (with notice)

Every status change is kept in :class:`AgreementStatusChange` with the date it takes
effect, so a question about a past date keeps its answer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from liaison.agreements.models import (
    Activity,
    Agreement,
    AgreementParty,
    AgreementStatusChange,
    DataCategory,
    DocumentVersion,
    Grant,
    Purpose,
    Signatory,
)
from liaison.core import access
from liaison.core.dates import day_text
from liaison.core.errors import Conflict, ServiceError
from liaison.core.validation import model_update, save
from liaison.directory.models import Agency
from liaison.directory.scope import own_agency_ids
from liaison.ledger.services import ledger_append

if TYPE_CHECKING:
    from liaison.accounts.models import User


from liaison.agreements.error_codes import AgreementErrorCode
from liaison.agreements.services import _notices
from liaison.agreements.services._common import (
    IN_FORCE_STATUSES,
    S,
    _change_status,
    _clean,
    _lock,
    _party_agency_ids,
    _today,
)

# --- drafting -----------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class AgreementFields:
    """What a drafter may set on an agreement while it is a draft."""

    title: str
    kind: str
    reference: str = ""
    summary: str = ""
    effective_date: date | None = None
    expiry_date: date | None = None
    personnel_cap: int | None = None
    grant_clause: str = "Agreement"
    complaint_procedure: str = ""
    termination_terms: str = ""
    termination_notice_days: int = 0
    notes: str = ""
    parties: Sequence[tuple[Agency, str]] = ()
    activities: Sequence[Activity] = ()
    data_categories: Sequence[DataCategory] = ()
    purposes: Sequence[Purpose] = ()
    authority_ids: Sequence[int] = field(default_factory=tuple)

    def change(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "kind": self.kind,
            "reference": self.reference,
            "effective_date": self.effective_date,
            "expiry_date": self.expiry_date,
            "personnel_cap": self.personnel_cap,
            "parties": sorted([a.pk, r] for a, r in self.parties),
            "activities": sorted(a.code for a in self.activities),
            "data_categories": sorted(c.code for c in self.data_categories),
            "purposes": sorted(p.code for p in self.purposes),
            "authorities": sorted(self.authority_ids),
            "termination_notice_days": self.termination_notice_days,
        }


_SCALAR_FIELDS = (
    "title",
    "kind",
    "reference",
    "summary",
    "effective_date",
    "expiry_date",
    "personnel_cap",
    "grant_clause",
    "complaint_procedure",
    "termination_terms",
    "termination_notice_days",
    "notes",
)


def _scalar_values(fields: AgreementFields) -> dict[str, Any]:
    values = {name: getattr(fields, name) for name in _SCALAR_FIELDS}
    values["expires_on"] = fields.expiry_date
    values["signed_personnel_cap"] = fields.personnel_cap
    return values


def _apply_fields(agreement: Agreement, fields: AgreementFields) -> None:
    for name, value in _scalar_values(fields).items():
        setattr(agreement, name, value)


def _write_parts(agreement: Agreement, fields: AgreementFields) -> None:
    """Replace parties, grants and authorities (only ever for a draft, which has no history)."""
    agency_ids = [a.pk for a, _ in fields.parties]
    if len(set(agency_ids)) != len(agency_ids):
        raise ServiceError(
            "An agency can be a party only once.",
            code=AgreementErrorCode.DUPLICATE_PARTY,
            fields={"parties": ["Remove the duplicate."]},
        )
    valid_roles = set(AgreementParty.Role.values)
    if any(role not in valid_roles for _, role in fields.parties):
        raise ServiceError(
            "Unknown party role.",
            code=AgreementErrorCode.UNKNOWN_PARTY_ROLE,
            fields={"parties": ["Choose a listed role."]},
        )
    AgreementParty.objects.filter(agreement=agreement).delete()
    AgreementParty.objects.bulk_create(
        AgreementParty(agreement=agreement, agency=agency, role=role)
        for agency, role in fields.parties
    )
    Grant.objects.filter(agreement=agreement).delete()
    clause = agreement.grant_clause or "Agreement"
    Grant.objects.bulk_create(
        [Grant(agreement=agreement, activity=a, clause=clause) for a in fields.activities]
        + [
            Grant(agreement=agreement, data_category=c, clause=clause)
            for c in fields.data_categories
        ]
        + [Grant(agreement=agreement, purpose=p, clause=clause) for p in fields.purposes]
    )
    agreement.authorities.set(fields.authority_ids)


def agreement_create(
    *, actor: User | None, fields: AgreementFields, owner_agency: Agency | None = None
) -> Agreement:
    """Draft a new agreement kept by the actor's agency (or ``owner_agency`` for the system)."""
    with transaction.atomic():
        if actor is not None:
            owner_agency = owner_agency or actor.agency
        if owner_agency is None:
            raise ServiceError(
                "An agreement needs an agency that keeps it.",
                code=AgreementErrorCode.NO_OWNER_AGENCY,
            )
        access.check(actor, "agreements.agreement.create", owner_agency)
        agreement = Agreement(owner_agency=owner_agency, created_by=actor, status=S.DRAFT)
        _apply_fields(agreement, fields)
        _clean(agreement)
        save(agreement)
        _write_parts(agreement, fields)
        AgreementStatusChange.objects.create(
            agreement=agreement, to_status=S.DRAFT, effective_on=_today(), actor=actor
        )
        ledger_append(actor=actor, action="agreement.create", obj=agreement, change=fields.change())
        return agreement


def agreement_update_draft(
    *, actor: User | None, agreement: Agreement, fields: AgreementFields
) -> Agreement:
    """Change a draft. Once submitted, changes go through counsel or, after signing, amendments."""
    with transaction.atomic():
        agreement = _lock(actor=actor, agreement=agreement)
        access.check(actor, "agreements.agreement.edit", agreement)
        model_update(
            agreement,
            _scalar_values(fields),
            allowed=[*_SCALAR_FIELDS, "expires_on", "signed_personnel_cap"],
        )
        _write_parts(agreement, fields)
        ledger_append(actor=actor, action="agreement.update", obj=agreement, change=fields.change())
        return agreement


# --- lifecycle ----------------------------------------------------------------------


def agreement_submit_for_review(*, actor: User | None, agreement: Agreement) -> Agreement:
    """Send a draft to legal counsel. It needs two parties, an effective date and a grant."""
    with transaction.atomic():
        agreement = _lock(actor=actor, agreement=agreement)
        access.check(actor, "agreements.agreement.submit", agreement)
        problems: dict[str, list[str]] = {}
        if AgreementParty.objects.filter(agreement=agreement).count() < 2:
            problems["parties"] = ["An agreement needs at least two parties."]
        if agreement.effective_date is None:
            problems["effective_date"] = ["Give the date the agreement takes effect."]
        if not Grant.objects.filter(agreement=agreement).exists():
            problems["activities"] = ["Authorize at least one activity, data category or purpose."]
        if problems:
            raise ServiceError(
                "The draft is not ready for legal review.",
                code=AgreementErrorCode.NOT_READY_FOR_REVIEW,
                fields=problems,
            )
        agreement.legal_approved_at = None
        agreement.legal_approved_by = None
        _change_status(
            actor=actor,
            agreement=agreement,
            to=S.LEGAL_REVIEW,
            effective_on=_today(),
            extra_fields=["legal_approved_at", "legal_approved_by"],
        )
        entry = ledger_append(actor=actor, action="agreement.submit_for_review", obj=agreement)
        _notices.notify_after_commit(agreement=agreement, entry=entry, actor=actor)
        return agreement


def agreement_review(
    *, actor: User | None, agreement: Agreement, approve: bool, notes: str = ""
) -> Agreement:
    """Counsel approves the text (it then awaits signatures) or returns it to draft with notes."""
    with transaction.atomic():
        agreement = _lock(actor=actor, agreement=agreement)
        access.check(actor, "agreements.agreement.review", agreement)
        if agreement.legal_approved_at is not None:
            raise Conflict(
                "Counsel has already approved this agreement.",
                code=AgreementErrorCode.ALREADY_APPROVED,
            )
        agreement.review_notes = notes
        if approve:
            agreement.legal_approved_at = timezone.now()
            agreement.legal_approved_by = actor
            agreement.save(
                update_fields=[
                    "review_notes",
                    "legal_approved_at",
                    "legal_approved_by",
                    "updated_at",
                ]
            )
            entry = ledger_append(
                actor=actor, action="agreement.approve", obj=agreement, change={"notes": notes}
            )
            _notices.notify_after_commit(agreement=agreement, entry=entry, actor=actor)
        else:
            if not notes.strip():
                raise ServiceError(
                    "Say what must change.",
                    code=AgreementErrorCode.NOTES_REQUIRED,
                    fields={"notes": ["Notes are required to return it."]},
                )
            _change_status(
                actor=actor,
                agreement=agreement,
                to=S.DRAFT,
                effective_on=_today(),
                reason=notes,
                extra_fields=["review_notes"],
            )
            entry = ledger_append(
                actor=actor,
                action="agreement.return_to_draft",
                obj=agreement,
                change={"notes": notes},
            )
            _notices.notify_after_commit(agreement=agreement, entry=entry, actor=actor)
        return agreement


def agreement_record_signature(
    *,
    actor: User | None,
    agreement: Agreement,
    agency: Agency,
    name: str,
    title: str,
    signed_on: date,
    signed_copy: DocumentVersion | None = None,
) -> Signatory:
    """Record a party's signature on the approved text; once every party has signed the
    agreement is ``signed``.

    The signing party records its own signature (a user of that agency or of one of its
    sub-agencies); anyone else who may run the agreement records it on the party's behalf
    only with ``signed_copy``, the signed document attached to this agreement. A party
    signs once: the agreement row is locked while the signatures are checked, and the
    database refuses a second signature for the same party.
    """
    with transaction.atomic():
        agreement = _lock(actor=actor, agreement=agreement)
        access.check(actor, "agreements.agreement.sign", agreement)
        if agreement.legal_approved_at is None:
            raise Conflict(
                "Counsel has not approved this agreement yet.", code=AgreementErrorCode.NOT_APPROVED
            )
        party_ids = set(_party_agency_ids(agreement))
        if agency.pk not in party_ids:
            raise ServiceError(
                "That agency is not a party.",
                code=AgreementErrorCode.NOT_A_PARTY,
                fields={"agency": ["Choose a party."]},
            )
        signed = set(
            Signatory.objects.filter(agreement=agreement).values_list("agency_id", flat=True)
        )
        if agency.pk in signed:
            raise ServiceError(
                f"{agency} has already signed this agreement.",
                code=AgreementErrorCode.ALREADY_SIGNED,
                fields={"agency": [f"{agency} has already signed. Choose a party that has not."]},
            )
        if signed_on > _today():
            raise ServiceError(
                "A signature cannot be dated in the future.",
                code=AgreementErrorCode.SIGNED_IN_FUTURE,
                fields={"signed_on": ["Use the date it was signed."]},
            )
        on_behalf = actor is not None and agency.pk not in own_agency_ids(actor)
        if signed_copy is not None and signed_copy.document.agreement_id != agreement.pk:
            raise ServiceError(
                "The signed copy must be a document of this agreement.",
                code=AgreementErrorCode.SIGNED_COPY_OF_OTHER_AGREEMENT,
                fields={"signed_copy": ["Choose a document attached to this agreement."]},
            )
        if on_behalf and signed_copy is None:
            raise ServiceError(
                f"Only {agency} records its own signature; on its behalf, attach the signed "
                "document.",
                code=AgreementErrorCode.SIGNED_COPY_REQUIRED,
                fields={
                    "signed_copy": [
                        f"You do not work for {agency}: choose the signed document "
                        "(attach it under Documents first)."
                    ]
                },
            )
        signatory = Signatory(
            agreement=agreement,
            agency=agency,
            name=name,
            title=title,
            signed_on=signed_on,
            recorded_by=actor,
            signed_copy=signed_copy,
        )
        _clean(signatory)
        save(signatory)
        if party_ids <= signed | {agency.pk}:
            _change_status(actor=actor, agreement=agreement, to=S.SIGNED, effective_on=_today())
            waiting = "Every party has signed; it can now be activated."
        else:
            unsigned = Agency.objects.filter(pk__in=party_ids - signed - {agency.pk}).order_by(
                "name"
            )
            waiting = "Still to sign: " + ", ".join(a.name for a in unsigned) + "."
        entry = ledger_append(
            actor=actor,
            action="agreement.sign",
            obj=agreement,
            change={
                "agency": agency.pk,
                "name": name,
                "title": title,
                "signed_on": signed_on,
                "signed_copy": signed_copy.pk if signed_copy else None,
            },
        )
        _notices.notify_after_commit(
            agreement=agreement,
            entry=entry,
            actor=actor,
            party=agency.name,
            party_short=agency.abbreviation or agency.name,
            waiting=waiting,
        )
        return signatory


def agreement_activate(*, actor: User | None, agreement: Agreement) -> Agreement:
    """Put a signed agreement in force. When its effective date and signatures are in the
    past (an existing agreement entered late), the activation takes effect from then; one
    whose last day has passed too is recorded for the history and expires at the next sweep."""
    with transaction.atomic():
        agreement = _lock(actor=actor, agreement=agreement)
        access.check(actor, "agreements.agreement.activate", agreement)
        today = _today()
        last_signed = max(
            Signatory.objects.filter(agreement=agreement).values_list("signed_on", flat=True),
            default=today,
        )
        start = agreement.effective_date or today
        effective_on = min(today, max(start, last_signed))
        _change_status(actor=actor, agreement=agreement, to=S.ACTIVE, effective_on=effective_on)
        entry = ledger_append(
            actor=actor,
            action="agreement.activate",
            obj=agreement,
            change={"effective_on": effective_on},
        )
        _notices.notify_after_commit(
            agreement=agreement,
            entry=entry,
            actor=actor,
            from_day=day_text(effective_on),
        )
        return agreement


def agreement_suspend(*, actor: User | None, agreement: Agreement, reason: str) -> Agreement:
    """Suspend an active agreement from today: nothing is covered by it until reinstated."""
    with transaction.atomic():
        agreement = _lock(actor=actor, agreement=agreement)
        access.check(actor, "agreements.agreement.suspend", agreement)
        _require_reason(reason)
        _change_status(
            actor=actor, agreement=agreement, to=S.SUSPENDED, effective_on=_today(), reason=reason
        )
        entry = ledger_append(actor=actor, action="agreement.suspend", obj=agreement, reason=reason)
        _notices.notify_after_commit(agreement=agreement, entry=entry, actor=actor)
        return agreement


def agreement_reinstate(*, actor: User | None, agreement: Agreement, reason: str) -> Agreement:
    """Lift a suspension from today."""
    with transaction.atomic():
        agreement = _lock(actor=actor, agreement=agreement)
        access.check(actor, "agreements.agreement.reinstate", agreement)
        _require_reason(reason)
        if agreement.expires_on is not None and agreement.expires_on < _today():
            raise Conflict("The agreement's last day has passed.", code=AgreementErrorCode.EXPIRED)
        _change_status(
            actor=actor, agreement=agreement, to=S.ACTIVE, effective_on=_today(), reason=reason
        )
        entry = ledger_append(
            actor=actor, action="agreement.reinstate", obj=agreement, reason=reason
        )
        _notices.notify_after_commit(agreement=agreement, entry=entry, actor=actor)
        return agreement


def agreement_terminate(
    *, actor: User | None, agreement: Agreement, reason: str, notice_date: date | None
) -> Agreement:
    """End the agreement on written notice. It stays in force until ``notice_date`` plus the
    notice days its terms require (never before today); termination is final."""
    with transaction.atomic():
        agreement = _lock(actor=actor, agreement=agreement)
        access.check(actor, "agreements.agreement.terminate", agreement)
        problems: dict[str, list[str]] = {}
        if not reason.strip():
            problems["reason"] = ["Give the reason for termination."]
        today = _today()
        if notice_date is None:
            problems["notice_date"] = ["Give the date written notice was given."]
        elif notice_date > today:
            problems["notice_date"] = ["Notice must already have been given."]
        if problems or notice_date is None:
            raise ServiceError(
                "Termination needs a reason and a notice date.",
                code=AgreementErrorCode.TERMINATION_INCOMPLETE,
                fields=problems,
            )
        ends = max(today, notice_date + timedelta(days=agreement.termination_notice_days))
        agreement.termination_reason = reason
        agreement.termination_notice_date = notice_date
        agreement.terminated_on = ends
        _change_status(
            actor=actor,
            agreement=agreement,
            to=S.TERMINATED,
            effective_on=ends,
            reason=reason,
            extra_fields=["termination_reason", "termination_notice_date", "terminated_on"],
        )
        entry = ledger_append(
            actor=actor,
            action="agreement.terminate",
            obj=agreement,
            reason=reason,
            change={"notice_date": notice_date, "terminated_on": ends},
        )
        _notices.notify_after_commit(
            agreement=agreement,
            entry=entry,
            actor=actor,
            until=day_text(ends),
        )
        return agreement


def agreements_expire(*, today: date) -> int:
    """Mark signed, active or suspended agreements whose last day is before ``today`` as
    expired (from the day after their last day). Idempotent; returns how many changed."""
    due = list(
        Agreement.objects.filter(status__in=IN_FORCE_STATUSES, expires_on__lt=today).values_list(
            "pk", flat=True
        )
    )
    changed = 0
    for pk in due:
        with transaction.atomic():
            agreement = (
                Agreement.objects.select_for_update()
                .filter(pk=pk, status__in=IN_FORCE_STATUSES, expires_on__lt=today)
                .first()
            )
            if agreement is None or agreement.expires_on is None:
                continue  # another worker got there first
            _change_status(
                actor=None,
                agreement=agreement,
                to=S.EXPIRED,
                effective_on=agreement.expires_on + timedelta(days=1),
            )
            ledger_append(
                actor=None,
                action="agreement.expire",
                obj=agreement,
                change={"expires_on": agreement.expires_on},
            )
            changed += 1
    return changed


def _require_reason(reason: str) -> None:
    if not reason.strip():
        raise ServiceError(
            "Give a reason.",
            code=AgreementErrorCode.REASON_REQUIRED,
            fields={"reason": ["A reason is required."]},
        )
