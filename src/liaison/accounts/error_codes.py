"""Error codes the account services answer with (the ``code`` of a refusal)."""

from __future__ import annotations

from enum import StrEnum


class AccountErrorCode(StrEnum):
    WEAK_PASSWORD = "weak_password"  # noqa: S105 - a refusal's name, not a password
    """The new password fails the password rules."""
    WRONG_PASSWORD = "wrong_password"  # noqa: S105 - a refusal's name, not a password
    """The current password given is not correct."""
    INVALID_LOGIN = "invalid_login"
    """The username or password is not correct."""
    TOO_MANY_ATTEMPTS = "too_many_attempts"
    """Too many failed sign-ins came from the client's address; it must wait."""
    OWN_ADMIN_ROLE = "own_admin_role"
    """An administrator cannot remove their own administrator role."""
    OWN_ACCOUNT = "own_account"
    """An administrator cannot deactivate their own account."""
    NOT_LOCKED = "not_locked"
    """The account is not locked."""
    INACTIVE = "inactive"
    """The account is inactive."""
    ACTIVE = "active"
    """The account is already active."""
    ENROLLED = "enrolled"
    """The user already has an authenticator app."""
    NO_PENDING_DEVICE = "no_pending_device"
    """There is no enrolment to confirm; it must start again."""
    WRONG_CODE = "wrong_code"
    """The one-time code is not correct or was already used."""
    EXPIRY_IN_PAST = "expiry_in_past"
    """A token's expiry must be in the future."""
    REVOKED = "revoked"
    """The token is already revoked."""
