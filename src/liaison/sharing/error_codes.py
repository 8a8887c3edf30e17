"""Error codes the sharing services answer with (the ``code`` of a refusal)."""

from __future__ import annotations

from enum import StrEnum


class SharingErrorCode(StrEnum):
    CUSTODIAN_NOT_COVERED = "custodian_not_covered"
    """The custodian's jurisdiction is not one the rule packs speak for (Minnesota, Wisconsin)."""
    REASON_REQUIRED = "reason_required"
    """Narrowing or denying a request, and overriding a deny, need a written reason."""
    SUBJECT_IDENTIFIER_INVALID = "subject_identifier_invalid"
    """A data subject's identifier is not one of its kind (e.g. a name without a birth date)."""
    SUBJECT_IDENTIFIER_MISSING = "subject_identifier_missing"
    """A data-subject request needs at least one identifier of the subject."""
    SUBJECT_REQUEST_DATE = "subject_request_date"
    """A data-subject request's receipt or answer cannot be dated in the future."""
    REVIEW_OUTCOME_INVALID = "review_outcome_invalid"
    """A disclosure review is retained (with a justification and a next review date within
    five years) or purged (with a justification)."""
