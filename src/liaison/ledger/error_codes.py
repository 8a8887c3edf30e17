"""Error codes the ledger answers with (the ``code`` of a refusal)."""

from __future__ import annotations

from enum import StrEnum


class LedgerErrorCode(StrEnum):
    BAD_SIZE = "bad_size"
    """A tree size outside the ledger's range."""
    BAD_SEQ = "bad_seq"
    """An entry number outside the ledger's range."""
    NOT_CHECKPOINTED = "not_checkpointed"
    """No signed checkpoint covers the size asked for."""
    BAD_AUTHORITY = "bad_authority"
    """A redaction must name one of the listed authorities."""
    ALREADY_REDACTED = "already_redacted"
    """The text has already been redacted."""
