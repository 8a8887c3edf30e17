"""Error codes the operations services answer with (the ``code`` of a refusal)."""

from __future__ import annotations

from enum import StrEnum


class OperationsErrorCode(StrEnum):
    INVALID_PLAN = "invalid_plan"
    """The plan is malformed; ``fields`` names each wrong value by its path."""
    NOT_A_SIDE = "not_a_side"
    """The conflict is not one of this operation's."""
    ALREADY_ACKNOWLEDGED = "already_acknowledged"
    """This side acknowledged the conflict already."""
    CONFLICT_CLEARED = "conflict_cleared"
    """The conflict was cleared by an edit; there is nothing to acknowledge."""
    AGENCY_MISMATCH = "agency_mismatch"
    """A participant person does not work for the participant agency."""
    REASON_REQUIRED = "reason_required"
    """Cancelling an operation needs a reason."""
    CONTACT_REQUIRED = "contact_required"
    """An operation needs a point of contact (an account) for deconfliction notices."""
