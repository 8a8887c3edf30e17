"""Every write to agreements and the legal-authority library.

Each function is one transaction: it locks the agreement, checks that the actor may
see it (else :class:`~liaison.core.errors.NotFound`) and may do this (else
:class:`~liaison.core.errors.PermissionDenied`), checks the lifecycle allows it
(else :class:`~liaison.core.errors.Conflict`), writes, and appends one ledger entry.
``actor=None`` is the system itself (sweeps, demo loading, imports); interfaces
always pass the signed-in user.
"""

from liaison.agreements.services._common import (
    IN_FORCE_STATUSES,
    MAX_DOCUMENT_BYTES,
    agreement_actions,
)
from liaison.agreements.services.amendments import amendment_create
from liaison.agreements.services.authorities import (
    AuthorityFields,
    legal_authorities_load,
    legal_authority_create,
    legal_authority_update,
)
from liaison.agreements.services.lifecycle import (
    AgreementFields,
    agreement_activate,
    agreement_create,
    agreement_record_signature,
    agreement_reinstate,
    agreement_review,
    agreement_submit_for_review,
    agreement_suspend,
    agreement_terminate,
    agreement_update_draft,
    agreements_expire,
)
from liaison.agreements.services.reminders import (
    agreement_expiry_reminders_send,
    agreement_reporting_reminders_send,
)
from liaison.agreements.services.terms import (
    agreement_document_upload,
    agreement_nominate_person,
    agreement_nomination_end,
    agreement_reporting_obligation_add,
    agreement_training_requirement_add,
)

__all__ = [
    "IN_FORCE_STATUSES",
    "MAX_DOCUMENT_BYTES",
    "AgreementFields",
    "AuthorityFields",
    "agreement_actions",
    "agreement_activate",
    "agreement_create",
    "agreement_document_upload",
    "agreement_expiry_reminders_send",
    "agreement_nominate_person",
    "agreement_nomination_end",
    "agreement_record_signature",
    "agreement_reinstate",
    "agreement_reporting_obligation_add",
    "agreement_reporting_reminders_send",
    "agreement_review",
    "agreement_submit_for_review",
    "agreement_suspend",
    "agreement_terminate",
    "agreement_training_requirement_add",
    "agreement_update_draft",
    "agreements_expire",
    "amendment_create",
    "legal_authorities_load",
    "legal_authority_create",
    "legal_authority_update",
]
