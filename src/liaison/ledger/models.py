"""The append-only ledger.

One table of entries in total order (``seq`` is the gap-free leaf index of the
Merkle tree), one head row that serialises appends, and the hashes of complete
subtrees so that roots and proofs never need to re-read every entry.
"""

from __future__ import annotations

from django.db import models


class EntryKind(models.TextChoices):
    ACTION = "action", "Action"
    ACCESS = "access", "Access to not-public data"
    SECURITY = "security", "Security event"


class Entry(models.Model):
    """One consequential action, read of protected data, or security event.

    Holds no personal data in clear: objects are referenced by type and id and
    the change itself only by the SHA-256 of its RFC 8785 canonical JSON.
    """

    seq = models.BigIntegerField(
        primary_key=True, help_text="Gap-free position in the log, from 0."
    )
    recorded_at = models.DateTimeField(help_text="When the entry was appended (UTC, microseconds).")
    kind = models.CharField(max_length=16, choices=EntryKind.choices, default=EntryKind.ACTION)
    actor_id = models.BigIntegerField(
        null=True, blank=True, help_text="User who acted; empty for the system or the public."
    )
    agency_id = models.BigIntegerField(
        null=True, blank=True, help_text="Agency the actor acted for."
    )
    action = models.CharField(max_length=80, help_text="Stable verb, e.g. agreement.activate.")
    object_type = models.CharField(
        max_length=80, help_text="app_label.model of the object acted on."
    )
    object_id = models.CharField(max_length=64, help_text="Primary key of the object acted on.")
    reason = models.TextField(blank=True, help_text="Reason or legal basis given for the action.")
    change_hash = models.CharField(
        max_length=64, help_text="Hex SHA-256 of the JCS form of the change."
    )
    leaf_hash = models.BinaryField(
        max_length=32, help_text="RFC 9162 leaf hash of the canonical entry."
    )

    class Meta:
        ordering = ["seq"]
        verbose_name_plural = "entries"
        indexes = [
            models.Index(fields=["object_type", "object_id", "seq"]),
            models.Index(fields=["actor_id", "seq"]),
            models.Index(fields=["agency_id", "seq"]),
            models.Index(fields=["action", "seq"]),
            models.Index(fields=["recorded_at"]),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_type}:{self.object_id}"


class Head(models.Model):
    """Single row holding the log size; appends lock it to get the next ``seq``."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    size = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"ledger size {self.size}"
