"""Error codes the training services answer with (the ``code`` of a refusal)."""

from __future__ import annotations

from enum import StrEnum


class TrainingErrorCode(StrEnum):
    TRAINING_NOT_CURRENT = "training_not_current"
    """A required course is missing, expired or unverified for the person (gating)."""
    NOT_OVERRIDABLE = "not_overridable"
    """The requirement is statutory or contractual: nobody may override it."""
    ALREADY_VERIFIED = "already_verified"
    """The completion was verified already."""
    DUPLICATE_COMPLETION = "duplicate_completion"
    """The person's completion of this course on this date is recorded already."""
    IMPORT_NOT_PENDING = "import_not_pending"
    """The import was committed or discarded already."""
    ALREADY_EVALUATED = "already_evaluated"
    """The completion has an evaluation already."""
    COMPLETION_IN_FUTURE = "completion_in_future"
    """A completion's day is after today."""
    REASON_REQUIRED = "reason_required"
    """An override needs a reason."""
    IMPORT_FILE_UNREADABLE = "import_file_unreadable"
    """The uploaded file is too large, not UTF-8, has no header or no rows."""
