"""The append-only ledger.

One table of entries in total order (``seq`` is the gap-free leaf index of the
Merkle tree), one head row that serialises appends, the hashes of complete
subtrees (``Node``) so that roots and proofs never re-read every entry, the
integration mark saying how far those hashes go, and every signed checkpoint.

``Entry``, ``Node`` and ``Checkpoint`` are append-only in the database itself:
triggers installed by migration 0002 refuse UPDATE, DELETE and TRUNCATE. ``Head``
and ``Tree`` are one row each and may only grow.
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
    kind = models.CharField(
        max_length=16,
        choices=EntryKind.choices,
        default=EntryKind.ACTION,
        help_text="Action, access to not-public data, or security event.",
    )
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
    salt = models.CharField(
        max_length=32,
        default="",
        help_text=(
            "Random hex hashed into the leaf, so that a published leaf hash cannot be "
            "confirmed by guessing the entry's fields."
        ),
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
    """Single row holding the log size; an append increments it to take the next ``seq``."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    size = models.BigIntegerField(default=0, help_text="Number of entries appended.")

    def __str__(self) -> str:
        return f"ledger size {self.size}"


class Tree(models.Model):
    """Single row: how many entries have been folded into stored ``Node`` hashes."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    size = models.BigIntegerField(
        default=0, help_text="Entries integrated into the stored subtree hashes."
    )

    def __str__(self) -> str:
        return f"tree size {self.size}"


class Node(models.Model):
    """Hash of one complete subtree of level >= 1: the MTH of the ``2**level`` leaves
    starting at leaf ``index * 2**level``. Level-0 hashes are ``Entry.leaf_hash``."""

    pk = models.CompositePrimaryKey("level", "index")
    level = models.PositiveSmallIntegerField(help_text="Height of the subtree (1 = two leaves).")
    index = models.BigIntegerField(help_text="Position of the subtree among those of its level.")
    hash = models.BinaryField(max_length=32, help_text="RFC 9162 hash of the subtree.")

    def __str__(self) -> str:
        return f"node {self.level}/{self.index}"


class Checkpoint(models.Model):
    """A signed statement of the tree's size and root (C2SP tlog-checkpoint, signed note)."""

    size = models.BigIntegerField(unique=True, help_text="Tree size the checkpoint commits to.")
    root_hash = models.BinaryField(max_length=32, help_text="Merkle root at that size.")
    issued_at = models.DateTimeField(help_text="When the checkpoint was signed (UTC).")
    key_id = models.CharField(
        max_length=8, help_text="Hex key ID of the signer key (C2SP signed-note)."
    )
    note = models.TextField(help_text="The signed note exactly as published.")

    class Meta:
        ordering = ["-size"]

    def __str__(self) -> str:
        return f"checkpoint at size {self.size}"
