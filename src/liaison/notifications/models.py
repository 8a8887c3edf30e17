"""Notifications to users.

A :class:`Notification` is one message to one user, identified by a ``key`` the
sender chooses (``agreement:12:expires:30d``) so that sending it again does nothing.
(The periodic job scheduler's slots live in :mod:`liaison.core.models`.)
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models


def validate_link(value: str) -> None:
    """A notification links into the app (``/…``) or to an http(s) address — never a
    ``javascript:`` or other scheme that would run when clicked."""
    in_app = value.startswith("/") and not value.startswith("//")
    if value and not (in_app or value.startswith(("https://", "http://"))):
        raise ValidationError("Give a path in the app (/…) or an http(s) address.")


class Notification(models.Model):
    """A message to one user, shown in the app and optionally sent by email."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        help_text="User the notification is for; nobody else can see it.",
    )
    key = models.CharField(
        max_length=200,
        help_text="Sender's identifier for the event, e.g. agreement:12:expires:30d; "
        "sending the same key to the same user again does nothing.",
    )
    subject = models.CharField(max_length=200, help_text="One-line summary (email subject).")
    body = models.TextField(blank=True, help_text="Plain-text message.")
    url = models.CharField(
        max_length=500,
        blank=True,
        validators=[validate_link],
        help_text="Where in the app to act on it (path or full URL).",
    )
    created_at = models.DateTimeField(auto_now_add=True, help_text="When it was sent (UTC).")
    read_at = models.DateTimeField(
        null=True, blank=True, help_text="When the recipient marked it read; empty if unread."
    )
    wants_email = models.BooleanField(
        default=False,
        help_text="Whether it is also sent by email (asked for, and the recipient has an address).",
    )
    emailed_at = models.DateTimeField(
        null=True, blank=True, help_text="When the mail server accepted the email."
    )
    email_claimed_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When a process took the email to send it; a claim older than "
        "LIAISON_EMAIL_CLAIM_SECONDS is taken over (the process died before the server "
        "accepted it).",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "key"],
                name="notification_unique_recipient_key",
                violation_error_message="This person has already been sent this notification.",
            )
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread_idx"),
            models.Index(fields=["recipient", "-created_at"], name="notification_recent_idx"),
        ]

    def __str__(self) -> str:
        return self.subject

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
