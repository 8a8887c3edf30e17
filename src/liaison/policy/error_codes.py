"""Error codes the policy engine answers with (the ``code`` of a refusal)."""

from __future__ import annotations

from enum import StrEnum


class PolicyErrorCode(StrEnum):
    INVALID_REQUEST = "invalid_request"
    """The request does not follow ``liaison.sharing.request/1``; ``fields`` names each problem."""
    BAD_PACK = "bad_pack"
    """A rule pack cannot be loaded: its manifest, a policy or a case is wrong."""
    UNKNOWN_PACK = "unknown_pack"
    """A pack was named that is not shipped or does not apply to the request."""
    NO_REPLAY_SOURCE = "no_replay_source"
    """``liaison policy diff`` was asked to replay stored requests, but no app registered them."""
