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
    leaf_version = models.PositiveSmallIntegerField(
        default=1,
        db_default=1,
        help_text=(
            "Leaf format: 1 (entries written before free text was kept apart: the reason "
            "is in the leaf in clear) or 2 (the leaf commits to reason_hash; the text "
            "itself is in EntryText)."
        ),
    )
    reason_hash = models.CharField(
        max_length=64,
        blank=True,
        default="",
        db_default="",
        help_text=(
            "Version 2: hex SHA-256 of the text's salt bytes followed by its UTF-8 text; "
            "empty when no reason was given."
        ),
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

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("ledger:entry_detail", args=[self.seq])

    @property
    def reason_text(self) -> str:
        """The reason as a page shows it: the text kept beside the ledger (version 2), or
        the leaf's own (version 1). Load entries with ``select_related("text")``."""
        if self.leaf_version < 2:
            return self.reason
        if not self.reason_hash:
            return ""
        try:
            kept = self.text
        except EntryText.DoesNotExist:
            return "(text missing)"
        return "(redacted)" if kept.redacted_at is not None else kept.text

    @property
    def reason_redacted(self) -> bool:
        if self.leaf_version < 2 or not self.reason_hash:
            return False
        try:
            return self.text.redacted_at is not None
        except EntryText.DoesNotExist:
            return False


class RedactionAuthority(models.TextChoices):
    """Why free text was removed from beside the ledger: a code, never free text again."""

    NOT_PUBLIC_DATA = (
        "not_public_data",
        "Not-public data entered as free text (Minn. Stat. § 13.05 subd. 5; Wis. Stat. § 19.36(6))",
    )
    SUBJECT_CHALLENGE = (
        "subject_challenge",
        "Data subject's challenge upheld (Minn. Stat. § 13.04 subd. 4)",
    )
    COURT_ORDER = "court_order", "Court order"
    RETENTION_SCHEDULE = "retention_schedule", "Approved records retention schedule"


class EntryText(models.Model):
    """The free text of one entry (its reason), kept beside the permanent ledger.

    The entry's leaf commits to ``SHA-256(salt bytes ‖ UTF-8 text)`` (``reason_hash``).
    A privacy officer may redact it: text and salt are emptied, and the redaction is
    itself a ledger entry (``ledger.text.redact``, seq ``redaction_seq``) whose change
    hash commits to the entry and the authority. ``liaison ledger verify`` checks the
    commitment while the text is here, and the redaction entry once it is gone.
    """

    entry = models.OneToOneField(
        Entry,
        primary_key=True,
        on_delete=models.PROTECT,
        db_constraint=False,  # the ledger is checked by verify, not by rows pointing at it
        related_name="text",
        help_text="The entry whose reason this is.",
    )
    text = models.TextField(blank=True, help_text="The reason as given; empty once redacted.")
    salt = models.CharField(
        max_length=32,
        blank=True,
        help_text="16 random bytes (hex) hashed with the text; emptied by a redaction.",
    )
    redacted_at = models.DateTimeField(
        null=True, blank=True, help_text="When the text was redacted (UTC)."
    )
    redacted_by_id = models.BigIntegerField(
        null=True, blank=True, help_text="The privacy officer who redacted it."
    )
    redaction_authority = models.CharField(
        max_length=32,
        blank=True,
        choices=RedactionAuthority.choices,
        help_text="Under which authority it was redacted.",
    )
    redaction_seq = models.BigIntegerField(
        null=True, blank=True, help_text="The ledger entry recording the redaction."
    )

    def __str__(self) -> str:
        return f"text of entry {self.entry_id}"


class EntryRecord(models.Model):
    """One record a list or export returned, for its single access entry.

    The entry's change hash commits to the ids (``{"object_ids": [...]}`` in order),
    so the list is accountable; kept as rows so that "who read this record" finds
    bulk reads too.
    """

    entry = models.ForeignKey(
        Entry,
        on_delete=models.PROTECT,
        db_constraint=False,
        related_name="records",
        help_text="The access entry of the list or export.",
    )
    object_id = models.CharField(
        max_length=64, help_text="Primary key of one record returned (of the entry's type)."
    )

    class Meta:
        indexes = [models.Index(fields=["object_id", "entry"])]

    def __str__(self) -> str:
        return f"{self.entry_id}: {self.object_id}"


class Head(models.Model):
    """Single row holding the log size; an append increments it to take the next ``seq``."""

    id = models.PositiveSmallIntegerField(
        primary_key=True, default=1, help_text="Always 1: the table holds one row."
    )
    size = models.BigIntegerField(default=0, help_text="Number of entries appended.")

    def __str__(self) -> str:
        return f"ledger size {self.size}"


class Tree(models.Model):
    """Single row: how many entries have been folded into stored ``Node`` hashes."""

    id = models.PositiveSmallIntegerField(
        primary_key=True, default=1, help_text="Always 1: the table holds one row."
    )
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


class SecurityBurst(models.Model):
    """A burst of one repeated security event from one source (the same action, object,
    actor and source address), while it lasts.

    The first event of a burst is written to the ledger as usual; the repeats are only
    counted here, and written as one summary entry when the burst ends (no repeat for
    ``LIAISON_SECURITY_BURST_SECONDS``, or ``LIAISON_SECURITY_BURST_MAX_SECONDS`` after
    it began), by the next event or by the worker. Not part of the ledger: a working
    table, emptied as bursts are summarised.
    """

    key = models.CharField(
        max_length=64, unique=True, help_text="SHA-256 of action, object, actor and source."
    )
    action = models.CharField(max_length=80, help_text="Action of the repeated event.")
    object_type = models.CharField(max_length=80, help_text="Object type of the event.")
    object_id = models.CharField(max_length=64, help_text="Object id of the event.")
    actor_id = models.BigIntegerField(
        null=True, blank=True, help_text="User who caused the events, if signed in."
    )
    agency_id = models.BigIntegerField(
        null=True, blank=True, help_text="Agency of that user, if any."
    )
    reason = models.CharField(
        max_length=200,
        blank=True,
        help_text="Reason code of the first event (e.g. a refusal code).",
    )
    source = models.CharField(
        max_length=32, blank=True, help_text="Keyed hash of the client address, if known."
    )
    first_seq = models.BigIntegerField(help_text="Ledger entry of the burst's first event.")
    started_at = models.DateTimeField(help_text="When the first event happened.")
    last_at = models.DateTimeField(db_index=True, help_text="When the latest repeat happened.")
    repeats = models.PositiveIntegerField(
        default=0, help_text="Events after the first, counted but not yet written."
    )

    def __str__(self) -> str:
        return f"{self.action} ×{self.repeats + 1}"
