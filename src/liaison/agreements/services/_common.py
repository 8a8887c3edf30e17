"""Permission and lifecycle helpers shared by the agreement services."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from liaison.agreements.error_codes import AgreementErrorCode
from liaison.agreements.models import (
    Agreement,
    AgreementParty,
    AgreementStatusChange,
)
from liaison.agreements.selectors import agreement_scope_q
from liaison.core.errors import Conflict, NotFound, PermissionDenied
from liaison.core.roles import Role
from liaison.core.validation import validate
from liaison.directory.scope import own_agency_ids

if TYPE_CHECKING:
    from liaison.accounts.models import User

S = Agreement.Status
IN_FORCE_STATUSES = (S.SIGNED, S.ACTIVE, S.SUSPENDED)
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
PDF_MAGIC = b"%PDF-"


# --- permission and state helpers -------------------------------------------------


def _role(actor: User | None) -> Role | None:
    return None if actor is None else Role(actor.role)


def _lock(*, actor: User | None, agreement: Agreement) -> Agreement:
    """Re-read ``agreement`` locked for update; :class:`NotFound` if the actor cannot see it."""
    if actor is not None and not (
        Agreement.objects.filter(agreement_scope_q(actor), pk=agreement.pk).exists()
    ):
        raise NotFound()
    locked = Agreement.objects.select_for_update().filter(pk=agreement.pk).first()
    if locked is None:
        raise NotFound()
    return locked


def _party_agency_ids(agreement: Agreement) -> list[int]:
    return list(
        AgreementParty.objects.filter(agreement=agreement).values_list("agency_id", flat=True)
    )


def can_manage(
    actor: User | None, agreement: Agreement, party_ids: Sequence[int] | None = None
) -> bool:
    """Coordinators of the keeping agency or of a party (and admins) run the agreement."""
    if actor is None:
        return True
    role = _role(actor)
    if role == Role.ADMIN:
        return True
    if role != Role.COORDINATOR:
        return False
    ids = {
        agreement.owner_agency_id,
        *(party_ids if party_ids is not None else _party_agency_ids(agreement)),
    }
    return bool(own_agency_ids(actor) & ids)


def can_create_agreements(actor: User | None) -> bool:
    """Coordinators and admins draft agreements."""
    return actor is None or _role(actor) in (Role.COORDINATOR, Role.ADMIN)


def can_counsel(actor: User | None) -> bool:
    """Legal counsel who can see an agreement review, suspend or terminate it."""
    return actor is None or _role(actor) == Role.LEGAL_COUNSEL


def _require(allowed: bool, message: str = "You are not allowed to do this.") -> None:
    if not allowed:
        raise PermissionDenied(message)


def _require_status(agreement: Agreement, allowed: Sequence[str], doing: str) -> None:
    if agreement.status not in allowed:
        names = ", ".join(str(S(s).label).lower() for s in allowed)
        raise Conflict(
            f"Cannot {doing}: the agreement is {agreement.get_status_display().lower()}; "
            f"this needs it to be {names}.",
            code=AgreementErrorCode.INVALID_TRANSITION,
        )


def _clean(obj: Any) -> None:
    validate(obj)


def _today() -> date:
    return timezone.localdate()


def _change_status(
    *,
    actor: User | None,
    agreement: Agreement,
    to: str,
    effective_on: date,
    reason: str = "",
    extra_fields: Sequence[str] = (),
) -> AgreementStatusChange:
    change = AgreementStatusChange.objects.create(
        agreement=agreement,
        from_status=agreement.status,
        to_status=to,
        effective_on=effective_on,
        actor=actor,
        reason=reason,
    )
    agreement.status = to
    agreement.save(update_fields=["status", "updated_at", *extra_fields])
    return change


def agreement_actions(
    actor: User | None, agreement: Agreement, party_ids: Sequence[int]
) -> frozenset[str]:
    """The lifecycle steps ``actor`` may take on ``agreement`` now (to show only those buttons;
    the services enforce the same rules)."""
    manage = can_manage(actor, agreement, party_ids)
    counsel = can_counsel(actor) and actor is not None
    status = agreement.status
    actions: set[str] = set()
    if manage and status == S.DRAFT:
        actions |= {"edit", "submit"}
    if counsel and status == S.LEGAL_REVIEW and agreement.legal_approved_at is None:
        actions.add("review")
    if manage and status == S.LEGAL_REVIEW and agreement.legal_approved_at is not None:
        actions.add("sign")
    if manage and status == S.SIGNED:
        actions.add("activate")
    if (manage or counsel) and status == S.ACTIVE:
        actions.add("suspend")
    if (manage or counsel) and status == S.SUSPENDED:
        actions.add("reinstate")
    if (manage or counsel) and status in IN_FORCE_STATUSES:
        actions.add("terminate")
    if manage and status in IN_FORCE_STATUSES:
        actions.add("amend")
    if manage and status not in (S.EXPIRED, S.TERMINATED):
        actions |= {"nominate", "training", "reporting"}
    if manage or counsel:
        actions.add("upload")
    return frozenset(actions)
