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
    """The step needs a reason in words (cancelling, counsel's sign-off or return)."""
    CONTACT_REQUIRED = "contact_required"
    """An operation needs a point of contact (an account) for deconfliction notices."""
    CHECKLIST_BLOCKED = "checklist_blocked"
    """An item of the legal review checklist blocks the step: an activity not covered,
    a participant whose required training is not current, a rule pack's denial, or a
    conflict this side has not acknowledged. The message lists each item."""
    NOT_SIGNED_OFF = "not_signed_off"
    """Approval needs counsel's sign-off of the checklist as it stands now."""
    NOT_A_PARTICIPANT = "not_a_participant"
    """Only people of the agencies taking part write the execution log."""
    LOG_TIME_OUTSIDE = "log_time_outside"
    """A log entry's time is in the future or before the operation started."""
    REVIEW_EXISTS = "review_exists"
    """The operation's after-action review is written already."""
    FOLLOW_UP_DONE = "follow_up_done"
    """The follow-up action is done already."""
