"""Permission and lifecycle helpers shared by the agreement services."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from liaison.agreements.models import (
    Agreement,
    AgreementParty,
    AgreementStatusChange,
)
from liaison.agreements.selectors import agreement_scope_q
from liaison.core import access
from liaison.core.errors import NotFound, NotFoundForbidden
from liaison.core.validation import validate

if TYPE_CHECKING:
    from liaison.accounts.models import User

S = Agreement.Status
IN_FORCE_STATUSES = (S.SIGNED, S.ACTIVE, S.SUSPENDED)
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
PDF_MAGIC = b"%PDF-"


# --- permission and state helpers -------------------------------------------------


def _lock(*, actor: User | None, agreement: Agreement) -> Agreement:
    """Re-read ``agreement`` locked for update; :class:`NotFound` if the actor cannot see it."""
    if actor is not None and not (
        Agreement.objects.filter(agreement_scope_q(actor), pk=agreement.pk).exists()
    ):
        if Agreement.objects.filter(pk=agreement.pk).exists():
            raise NotFoundForbidden(object_type="agreements.agreement", object_id=agreement.pk)
        raise NotFound()
    locked = Agreement.objects.select_for_update().filter(pk=agreement.pk).first()
    if locked is None:
        raise NotFound()
    return locked


def _party_agency_ids(agreement: Agreement) -> list[int]:
    return list(
        AgreementParty.objects.filter(agreement=agreement).values_list("agency_id", flat=True)
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


def agreement_actions(actor: User | None, agreement: Agreement) -> frozenset[str]:
    """The steps ``actor`` may take on ``agreement`` now, read from the declared rules
    (:mod:`liaison.agreements.rules`): the buttons a page shows are the ones the services
    allow."""
    return access.actions(actor, "agreements.agreement", agreement)
