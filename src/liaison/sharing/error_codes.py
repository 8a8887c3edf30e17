"""Error codes the sharing services answer with (the ``code`` of a refusal)."""

from __future__ import annotations

from enum import StrEnum


class SharingErrorCode(StrEnum):
    REQUEST_UNKNOWN_VALUE = "request_unknown_value"
    """A request names a value outside the request format's vocabulary; ``fields`` says where."""
    NOT_A_PARTNER_AGENCY = "not_a_partner_agency"
    """A partner may file only for their own agency; a coordinator only for an agency in reach."""
    CUSTODIAN_NOT_COVERED = "custodian_not_covered"
    """The custodian's jurisdiction is not one the rule packs speak for (Minnesota, Wisconsin)."""
    NOT_AWAITING_REVIEW = "not_awaiting_review"
    """The request has no item waiting for review, or was reviewed already."""
    REASON_REQUIRED = "reason_required"
    """Narrowing or denying a request, and overriding a deny, need a written reason."""
    STATUTORY_DENY = "statutory_deny"
    """A deny the rule packs gave cannot be confirmed into a permit; only counsel's override."""
    NOT_NARROWER = "not_narrower"
    """A narrowed answer may only keep fewer items or fewer fields than were allowed."""
    NOT_A_DENY = "not_a_deny"
    """Only an item the rule packs denied can be overridden."""
    ALREADY_OVERRIDDEN = "already_overridden"
    """The item's deny has been set aside already."""
    NOTHING_RELEASABLE = "nothing_releasable"
    """A disclosure names a category or field not permitted (or still waiting for review)."""
    EMPTY_PACKAGE = "empty_package"
    """A disclosure needs the package that was sent, to hash it."""
    SUBJECT_IDENTIFIER_INVALID = "subject_identifier_invalid"
    """A data subject's identifier is not one of its kind (e.g. a name without a birth date)."""
    SUBJECT_IDENTIFIER_MISSING = "subject_identifier_missing"
    """A data-subject request needs at least one identifier of the subject."""
    SUBJECT_REQUEST_DATE = "subject_request_date"
    """A data-subject request's receipt or answer cannot be dated in the future."""
    REVIEW_OUTCOME_INVALID = "review_outcome_invalid"
    """A disclosure review is retained (with a justification and a next review date within
    five years) or purged (with a justification)."""
