"""Users, each with one role and one agency, and their API tokens."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone

from liaison.core.roles import Role
from liaison.core.validators import validate_name


class User(AbstractUser):
    role = models.CharField(
        max_length=32, choices=Role.choices, help_text="What the user does here."
    )
    agency = models.ForeignKey(
        "directory.Agency",
        on_delete=models.PROTECT,
        related_name="users",
        help_text="Agency the user acts for; scopes what they see.",
    )
    locked_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the latest sign-in lock began (too many failures); it ends by itself.",
    )
    last_activity_at = models.DateTimeField(
        null=True, blank=True, help_text="Last request; accounts idle 90 days are disabled."
    )

    # AbstractUser's own fields, restated to give them the data dictionary's help text.
    password = models.CharField(
        "password", max_length=128, help_text="Salted hash of the password, never the password."
    )
    last_login = models.DateTimeField(
        "last login", null=True, blank=True, help_text="When the user last signed in (UTC)."
    )
    first_name = models.CharField(
        "first name",
        max_length=150,
        blank=True,
        validators=[validate_name],
        help_text="Given name, as shown to others.",
    )
    last_name = models.CharField(
        "last name",
        max_length=150,
        blank=True,
        validators=[validate_name],
        help_text="Family name, as shown to others.",
    )
    email = models.EmailField(
        "email address", blank=True, help_text="Work e-mail address; notifications are sent here."
    )
    date_joined = models.DateTimeField(
        "date joined", default=timezone.now, help_text="When the account was created (UTC)."
    )

    REQUIRED_FIELDS = ["email"]

    class Meta:
        ordering = ["username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    LEDGER_LINK_ROLES = frozenset({Role.ADMIN})
    """Who may follow a ledger entry's link to the account's page (only admins open it)."""

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("accounts:user_detail", args=[self.pk])

    @property
    def role_enum(self) -> Role:
        return Role(self.role)

    @property
    def locked_until(self) -> datetime | None:
        """When the sign-in lock ends, if the account is locked now; else None."""
        if self.locked_at is None:
            return None
        until = self.locked_at + timedelta(seconds=settings.LIAISON_LOCKOUT_SECONDS)
        return until if until > timezone.now() else None


class LoginAttempt(models.Model):
    """One sign-in attempt (a password, or a second-factor code), kept for the lockout rule
    (5 failures in 15 minutes lock the account for a while) and the per-source throttle."""

    class Stage(models.TextChoices):
        PASSWORD = "password", "Password"
        MFA = "mfa", "Second factor"

    username_hash = models.CharField(
        max_length=64, db_index=True, help_text="Keyed hash of the username tried."
    )
    user = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="login_attempts",
        help_text="Account tried, when the username exists.",
    )
    succeeded = models.BooleanField(help_text="Whether the logon succeeded.")
    refused = models.BooleanField(
        default=False,
        help_text="Refused unchecked (account locked or source throttled); not counted.",
    )
    stage = models.CharField(
        max_length=16,
        choices=Stage.choices,
        default=Stage.PASSWORD,
        help_text="What was tried: the password or a second-factor code.",
    )
    source = models.CharField(
        max_length=32,
        blank=True,
        db_index=True,
        help_text="Keyed hash of the client address (never the address itself).",
    )
    at = models.DateTimeField(
        auto_now_add=True, db_index=True, help_text="When it was tried (UTC)."
    )

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["username_hash", "at"], name="loginattempt_hash_at")]

    def __str__(self) -> str:
        return f"{'ok' if self.succeeded else 'failed'} at {self.at:%Y-%m-%d %H:%M}"


SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class TokenScope(models.TextChoices):
    """What a token may do, within what its user may do: read, or change (one area or all)."""

    READ = "read", "Read only"
    WRITE = "write", "Read, and change anything the account may change"
    WRITE_DIRECTORY = "write:directory", "Read, and change the directory only"
    WRITE_AGREEMENTS = "write:agreements", "Read, and change agreements only"
    WRITE_NOTIFICATIONS = "write:notifications", "Read, and change notifications only"
    WRITE_ACCOUNTS = "write:accounts", "Read, and change accounts only"
    WRITE_TRAINING = "write:training", "Read, and change training only"
    WRITE_OPERATIONS = "write:operations", "Read, and change operations only"
    WRITE_SHARING = "write:sharing", "Read, and change sharing requests only"


class ApiToken(models.Model):
    """A bearer token for the API: shown once, stored as SHA-256, revocable, scoped."""

    user = models.ForeignKey(
        User,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        help_text="User the token acts as, with that user's role and agency.",
    )
    name = models.CharField(max_length=100, help_text="What the token is for.")
    prefix = models.CharField(max_length=12, help_text="First characters, to recognise the token.")
    token_hash = models.CharField(max_length=64, unique=True, help_text="SHA-256 of the token.")
    created_at = models.DateTimeField(auto_now_add=True, help_text="When the token was made.")
    expires_at = models.DateTimeField(
        null=True, blank=True, help_text="After this the token no longer works; empty: no expiry."
    )
    last_used_at = models.DateTimeField(
        null=True, blank=True, help_text="Last request made with the token (to within minutes)."
    )
    revoked_at = models.DateTimeField(
        null=True, blank=True, help_text="When the token was revoked; it no longer works."
    )
    scope = models.CharField(
        max_length=32,
        choices=TokenScope.choices,
        default=TokenScope.READ,
        help_text="What the token may do: read only, or also change (everything or one area).",
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def is_live(self, now: datetime) -> bool:
        """Not revoked and not expired at ``now``."""
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)

    def allows(self, method: str, area: str) -> bool:
        """Whether the token's scope lets it call ``method`` on the API ``area``
        (the first path segment after ``/api/v1/``). Reads are always in scope."""
        if method.upper() in SAFE_METHODS:
            return True
        return self.scope in (TokenScope.WRITE, f"write:{area}")
