"""Writing to the ledger.

Every consequential service calls :func:`ledger_append` inside its own
transaction, so the action and its record commit or fail together. Reads of
not-public data go through :func:`access_record`, security events (logons,
lockouts, refusals, role and token changes) through :func:`security_record`.

Appending is kept short because it serialises every writer: everything is
computed first, then one statement takes the next ``seq`` from the head row and
inserts the entry with its leaf hash. Folding new leaves into the stored subtree hashes is done in batches by
:func:`ledger_integrate` (called by checkpoints, proofs and the worker), and
checkpoints are signed by :func:`checkpoint_issue`.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from json.encoder import encode_basestring as _json_str
from typing import Any, Protocol

import rfc8785
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DatabaseError, IntegrityError, connection, models, transaction
from django.utils import timezone

from liaison.core.bulk import insert_rows
from liaison.core.errors import NotFound, PermissionDenied, ServiceError
from liaison.core.roles import Role
from liaison.ledger import checkpoint as notes
from liaison.ledger import merkle, signing
from liaison.ledger.error_codes import LedgerErrorCode
from liaison.ledger.models import (
    Checkpoint,
    Entry,
    EntryKind,
    EntryText,
    Head,
    Node,
    RedactionAuthority,
    SecurityBurst,
    Tree,
)

logger = logging.getLogger(__name__)

INTEGRATE_BATCH = 20_000
"""Leaves folded per integration transaction (bounds how long appends wait on SQLite)."""


class Actor(Protocol):
    """What the ledger needs of a user: its id and the agency it acts for."""

    @property
    def pk(self) -> Any: ...

    @property
    def agency_id(self) -> int | None: ...


# --- canonical forms ------------------------------------------------------------------


def canonical_json(value: Any) -> bytes:
    """RFC 8785 (JCS) bytes of ``value``; dates, decimals and UUIDs become strings first."""
    try:  # plain JSON values (the usual change dict) need no round trip
        return bytes(rfc8785.dumps(value))
    except rfc8785.IntegerDomainError:
        raise
    except rfc8785.CanonicalizationError:
        plain = json.loads(json.dumps(value, cls=DjangoJSONEncoder))
        return bytes(rfc8785.dumps(plain))


def change_digest(change: Mapping[str, Any] | None) -> str:
    """Hex SHA-256 of the JCS form of ``change`` (an empty change hashes ``{}``)."""
    return hashlib.sha256(canonical_json(dict(change or {}))).hexdigest()


_SAFE_INT = 2**53


LEAF_VERSION = 2
"""The leaf format new entries are written in (see docs/ledger.md, "What an entry holds")."""

_LEAF_TEMPLATE = (
    '{"action":%s,"actor_id":%s,"agency_id":%s,"change_hash":%s,"kind":%s,"object_id":%s,'
    '"object_type":%s,"reason":%s,"recorded_at":%s,"salt":%s}'
)
_LEAF_TEMPLATE_V2 = (
    '{"action":%s,"actor_id":%s,"agency_id":%s,"change_hash":%s,"kind":%s,"object_id":%s,'
    '"object_type":%s,"reason_hash":%s,"recorded_at":%s,"salt":%s,"v":2}'
)


def text_commitment(text: str, salt: str) -> str:
    """Hex SHA-256 of the salt's bytes followed by the UTF-8 text: what a version-2 leaf
    holds (``reason_hash``) instead of the text."""
    return hashlib.sha256(bytes.fromhex(salt) + text.encode("utf-8")).hexdigest()


def redaction_change(*, seq: int, authority: str) -> dict[str, Any]:
    """The change a ``ledger.text.redact`` entry commits to (its change hash)."""
    return {"entry": seq, "authority": authority}


def records_change(object_ids: list[str]) -> dict[str, Any]:
    """The change a list or export's access entry commits to: the ids returned, in order."""
    return {"object_ids": object_ids}


def _json_int(value: int | None) -> str:
    if value is None:
        return "null"
    if not -_SAFE_INT < value < _SAFE_INT:
        raise OverflowError
    return str(int(value))


def leaf_data(
    *,
    recorded_at: datetime,
    kind: str,
    actor_id: int | None,
    agency_id: int | None,
    action: str,
    object_type: str,
    object_id: str,
    reason: str,
    change_hash: str,
    salt: str,
    leaf_version: int = 1,
    reason_hash: str = "",
) -> bytes:
    """The bytes hashed into the Merkle tree for one entry: the JCS of its fields.

    Version 1 holds ``reason`` in clear; version 2 holds ``reason_hash`` instead (the
    text is kept beside the ledger, see :class:`EntryText`) and ``"v": 2``.

    Written out field by field in JCS key order, with JSON's own string escaping —
    byte for byte what :func:`canonical_json` gives (the property tests check it),
    several times faster, which matters when verifying a million entries.
    """
    stamp = recorded_at.astimezone(UTC).isoformat(timespec="microseconds")
    v2 = leaf_version >= 2
    try:
        text = (_LEAF_TEMPLATE_V2 if v2 else _LEAF_TEMPLATE) % (
            _json_str(action),
            _json_int(actor_id),
            _json_int(agency_id),
            _json_str(change_hash),
            _json_str(str(kind)),
            _json_str(object_id),
            _json_str(object_type),
            _json_str(reason_hash if v2 else reason),
            _json_str(stamp),
            _json_str(salt),
        )
        return text.encode("utf-8")
    except (OverflowError, UnicodeEncodeError, TypeError):
        # Huge integers, lone surrogates, non-strings: the general encoder decides or refuses.
        fields: dict[str, Any] = {
            "recorded_at": stamp,
            "kind": str(kind),
            "actor_id": actor_id,
            "agency_id": agency_id,
            "action": action,
            "object_type": object_type,
            "object_id": object_id,
            "change_hash": change_hash,
            "salt": salt,
        }
        if v2:
            fields.update(reason_hash=reason_hash, v=2)
        else:
            fields["reason"] = reason
        return canonical_json(fields)


def entry_leaf_data(entry: Entry) -> bytes:
    """The bytes hashed into the Merkle tree for ``entry`` (canonical JSON of its fields)."""
    return leaf_data(
        recorded_at=entry.recorded_at,
        kind=entry.kind,
        actor_id=entry.actor_id,
        agency_id=entry.agency_id,
        action=entry.action,
        object_type=entry.object_type,
        object_id=entry.object_id,
        reason=entry.reason,
        change_hash=entry.change_hash,
        salt=entry.salt,
        leaf_version=entry.leaf_version,
        reason_hash=entry.reason_hash,
    )


# --- appending ------------------------------------------------------------------------

_ENTRY_COLUMNS = (
    "seq",
    "recorded_at",
    "kind",
    "actor_id",
    "agency_id",
    "action",
    "object_type",
    "object_id",
    "reason",
    "change_hash",
    "salt",
    "leaf_hash",
    "leaf_version",
    "reason_hash",
)
_INSERT_ENTRY = "INSERT INTO ledger_entry ({}) VALUES ({})".format(  # noqa: S608 - constants
    ", ".join(_ENTRY_COLUMNS), ", ".join(["%s"] * len(_ENTRY_COLUMNS))
)
_NEXT_SEQ = "UPDATE ledger_head SET size = size + 1 WHERE id = 1 RETURNING size"
# PostgreSQL takes the number and inserts the row in one statement: one round trip while
# the head row is locked. (SQLite has one writer at a time anyway, and no UPDATE in WITH.)
_TAKE_SEQ = "UPDATE ledger_head SET size = size + 1 WHERE id = 1 RETURNING size - 1 AS seq"
_INSERT_TEXT = "INSERT INTO ledger_entrytext (entry_id, text, salt, redaction_authority) VALUES (%s, %s, %s, '')"
_APPEND_PG = "WITH head AS ({}) INSERT INTO ledger_entry ({}) SELECT head.seq, {} FROM head RETURNING seq".format(  # noqa: S608 - constants
    _TAKE_SEQ, ", ".join(_ENTRY_COLUMNS), ", ".join(["%s"] * (len(_ENTRY_COLUMNS) - 1))
)
# With a reason, its text goes in by the same statement: still one round trip under the lock.
_APPEND_TEXT_SQL = (
    "WITH head AS ({}), entry AS (INSERT INTO ledger_entry ({}) SELECT head.seq, {} FROM head "
    "RETURNING seq) INSERT INTO ledger_entrytext (entry_id, text, salt, redaction_authority) "
    "SELECT entry.seq, %s, %s, '' FROM entry RETURNING entry_id"
)
_APPEND_PG_TEXT = _APPEND_TEXT_SQL.format(_TAKE_SEQ, ", ".join(_ENTRY_COLUMNS), ", ".join(["%s"] * (len(_ENTRY_COLUMNS) - 1)))  # fmt: skip


def _next_seq() -> int:
    """Take the next ``seq`` (the head row stays locked until the caller's commit)."""
    with connection.cursor() as cursor:
        cursor.execute(_NEXT_SEQ)
        row = cursor.fetchone()
        if row is None:  # a fresh or flushed database has no head row yet
            Head.objects.bulk_create([Head(id=1, size=0)], ignore_conflicts=True)
            cursor.execute(_NEXT_SEQ)
            row = cursor.fetchone()
    return int(row[0]) - 1


def _append(values: list[Any], kept: EntryText | None) -> int:
    """Take the next ``seq`` and insert the entry ``values`` (all columns after ``seq``),
    and the ``kept`` text of its reason if any.

    The head row stays locked until the caller commits, so sequence numbers are
    gap-free and entries commit in ``seq`` order.
    """
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            sql, params = _APPEND_PG, values
            if kept is not None:
                sql, params = _APPEND_PG_TEXT, [*values, kept.text, kept.salt]
            cursor.execute(sql, params)
            row = cursor.fetchone()
            if row is None:  # a fresh or flushed database has no head row yet
                Head.objects.bulk_create([Head(id=1, size=0)], ignore_conflicts=True)
                cursor.execute(sql, params)
                row = cursor.fetchone()
            return int(row[0])
        seq = _next_seq()
        cursor.execute(_INSERT_ENTRY, [seq, *values])
        if kept is not None:
            cursor.execute(_INSERT_TEXT, [seq, kept.text, kept.salt])
        return seq


def ledger_append(
    *,
    actor: Actor | None,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    reason: str = "",
    change: Mapping[str, Any] | None = None,
    kind: str = EntryKind.ACTION,
    agency_id: int | None = None,
    object_ids: list[str] | None = None,
) -> Entry:
    """Append one entry and return it. Call inside the caller's transaction.

    ``obj`` (or ``object_type``/``object_id``) names what was acted on; ``change``
    is hashed, never stored. ``agency_id`` defaults to the actor's agency.
    ``reason`` is free text: the leaf commits to a salted hash of it and the text is
    kept beside the ledger (:class:`EntryText`), where a privacy officer can redact
    it (:func:`entry_text_redact`). Never put personal data in ``action``.
    ``object_ids`` (instead of ``change``) lists the records a list or export
    returned, kept as :class:`EntryRecord` rows and committed by the change hash.
    """
    if obj is not None:
        object_type = obj._meta.label_lower
        object_id = str(obj.pk)
    if not action or not object_type:
        raise ValueError("A ledger entry needs an action and an object type.")
    if kind not in EntryKind.values:
        raise ValueError(f"Unknown ledger entry kind {kind!r}.")
    # Everything that does not need the sequence number is computed before the head
    # row is locked, to keep the lock short.
    entry = Entry(
        recorded_at=timezone.now(),
        kind=kind,
        actor_id=actor.pk if actor is not None else None,
        agency_id=agency_id if agency_id is not None else getattr(actor, "agency_id", None),
        action=action,
        object_type=object_type,
        object_id=str(object_id)[:64],
        change_hash=change_digest(records_change(object_ids) if object_ids else change),
        salt=os.urandom(16).hex(),
        leaf_version=LEAF_VERSION,
    )
    kept = None
    if reason:
        kept = EntryText(text=reason, salt=os.urandom(16).hex())
        entry.reason_hash = text_commitment(reason, kept.salt)
    # The leaf covers the entry's fields, not its position: in RFC 9162 the position is
    # the leaf's place in the tree. So the hash is ready before the lock is taken.
    entry.leaf_hash = merkle.leaf_hash(entry_leaf_data(entry))
    values = [
        connection.ops.adapt_datetimefield_value(entry.recorded_at),
        entry.kind,
        entry.actor_id,
        entry.agency_id,
        entry.action,
        entry.object_type,
        entry.object_id,
        entry.reason,
        entry.change_hash,
        entry.salt,
        entry.leaf_hash,
        entry.leaf_version,
        entry.reason_hash,
    ]
    with transaction.atomic(savepoint=False):
        entry.seq = _append(values, kept)
        if object_ids:
            with connection.cursor() as cursor:
                cursor.executemany(
                    "INSERT INTO ledger_entryrecord (entry_id, object_id) VALUES (%s, %s)",
                    [(entry.seq, oid) for oid in object_ids],
                )
    entry._state.adding = False
    if kept is not None:
        kept.entry = entry
        kept._state.adding = False
    return entry


def access_record(
    *,
    actor: Actor | None,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    action: str = "read",
    reason: str = "",
) -> Entry:
    """Record a read or export of not-public data (Minn. Stat. 13.05 subd. 5; CJIS audit events).

    ``action`` is a verb such as ``person.read`` or ``agreement.export``.
    """
    return ledger_append(
        actor=actor,
        action=action,
        obj=obj,
        object_type=object_type,
        object_id=object_id,
        reason=reason,
        kind=EntryKind.ACCESS,
    )


def access_record_list(
    *,
    actor: Actor | None,
    object_type: str,
    object_ids: list[str] | list[int],
    action: str,
    reason: str = "",
) -> Entry | None:
    """Record ONE access entry for a list or export that returned private fields.

    The entry names the records returned by their ids (``EntryRecord`` rows, committed
    by the entry's change hash), never their contents. Nothing is recorded for an
    empty list.
    """
    ids = [str(pk) for pk in object_ids]
    if not ids:
        return None
    return ledger_append(
        actor=actor,
        action=action,
        object_type=object_type,
        object_id="list",
        reason=reason,
        kind=EntryKind.ACCESS,
        object_ids=ids,
    )


def entry_text_redact(*, actor: Any, seq: int, authority: str) -> EntryText:
    """Redact the free text of entry ``seq``: a privacy officer's act, itself ledgered.

    The text and its salt are emptied; a ``ledger.text.redact`` entry records who, when
    and under which ``authority`` (a :class:`RedactionAuthority` code, never free text).
    The entry's leaf is untouched, so the log still verifies: what was there is
    proven by its hash, its removal by the redaction entry.
    """
    if getattr(actor, "role", None) != Role.PRIVACY_OFFICER or not getattr(
        actor, "is_active", False
    ):
        raise PermissionDenied("Only a privacy officer may redact ledger text.")
    if authority not in RedactionAuthority.values:
        raise ServiceError(
            "Choose the authority for the redaction.",
            code=LedgerErrorCode.BAD_AUTHORITY,
            fields={"authority": ["Choose one of the listed authorities."]},
        )
    with transaction.atomic():
        kept = EntryText.objects.select_for_update().filter(entry_id=seq).first()
        if kept is None:
            raise NotFound()
        if kept.redaction_seq is not None:
            raise ServiceError(
                "This text has already been redacted.",
                code=LedgerErrorCode.ALREADY_REDACTED,
                fields={"authority": ["Already redacted."]},
            )
        redaction = ledger_append(
            actor=actor,
            action="ledger.text.redact",
            object_type="ledger.entry",
            object_id=seq,
            change=redaction_change(seq=seq, authority=authority),
        )
        kept.text = ""
        kept.salt = ""
        kept.redacted_at = redaction.recorded_at
        kept.redacted_by_id = actor.pk
        kept.redaction_authority = authority
        kept.redaction_seq = redaction.seq
        kept.full_clean()
        kept.save(
            update_fields=[
                "text",
                "salt",
                "redacted_at",
                "redacted_by_id",
                "redaction_authority",
                "redaction_seq",
            ]
        )
    return kept


def security_record(
    *,
    actor: Actor | None,
    action: str,
    object_type: str,
    object_id: str | int,
    reason: str = "",
    change: Mapping[str, Any] | None = None,
    source: str = "",
    repeatable: bool = False,
) -> Entry:
    """Record a security event: failed or successful logon, lockout, permission denial,
    role or token change.

    Like :func:`ledger_append` it joins the caller's transaction when there is one: a
    service that refuses must commit the record before raising (or let the refusal reach
    the middleware, see :mod:`liaison.ledger.denials`); called outside a transaction it
    commits on its own.

    ``repeatable`` events (failed sign-ins and codes, refusals) are aggregated per
    burst: the first of a (source, action, object, actor) is written, the repeats are
    counted in :class:`SecurityBurst` and written as one summary entry when the burst
    ends (see :func:`security_bursts_flush`). ``source`` is the keyed hash of the client
    address (:func:`liaison.core.net.source_key`). The first entry of the burst is
    returned for a repeat.
    """
    with transaction.atomic():
        if repeatable:
            return _burst_record(
                actor=actor,
                action=action,
                object_type=object_type,
                object_id=str(object_id)[:64],
                reason=reason,
                change=change,
                source=source,
            )
        return ledger_append(
            actor=actor,
            action=action,
            object_type=object_type,
            object_id=object_id,
            reason=reason,
            change=change,
            kind=EntryKind.SECURITY,
        )


@dataclass(frozen=True)
class _StoredActor:
    pk: int | None
    agency_id: int | None


def _burst_key(
    *, action: str, object_type: str, object_id: str, actor_id: int | None, source: str
) -> str:
    parts = [action, object_type, object_id, str(actor_id or ""), source]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def _burst_over(burst: SecurityBurst, now: datetime) -> bool:
    quiet = timedelta(seconds=settings.LIAISON_SECURITY_BURST_SECONDS)
    longest = timedelta(seconds=settings.LIAISON_SECURITY_BURST_MAX_SECONDS)
    return now - burst.last_at > quiet or now - burst.started_at > longest


def _burst_summarise(burst: SecurityBurst) -> Entry | None:
    """Write the summary entry of a burst's repeats (none if it had no repeats)."""
    if burst.repeats == 0:
        return None
    stamp = "%Y-%m-%dT%H:%M:%SZ"
    span = f"{burst.started_at.astimezone(UTC):{stamp}} to {burst.last_at.astimezone(UTC):{stamp}}"
    return ledger_append(
        actor=_StoredActor(pk=burst.actor_id, agency_id=burst.agency_id),
        action=burst.action,
        object_type=burst.object_type,
        object_id=burst.object_id,
        reason=f"repeated {burst.repeats} more times after entry {burst.first_seq}, {span}",
        change={
            "repeats": burst.repeats,
            "first_seq": burst.first_seq,
            "from": burst.started_at,
            "until": burst.last_at,
            "source": burst.source,
            "reason": burst.reason,
        },
        kind=EntryKind.SECURITY,
        agency_id=burst.agency_id,
    )


def _burst_record(
    *,
    actor: Actor | None,
    action: str,
    object_type: str,
    object_id: str,
    reason: str,
    change: Mapping[str, Any] | None,
    source: str,
) -> Entry:
    now = timezone.now()
    actor_id = actor.pk if actor is not None else None
    key = _burst_key(
        action=action,
        object_type=object_type,
        object_id=object_id,
        actor_id=actor_id,
        source=source,
    )
    burst = SecurityBurst.objects.select_for_update().filter(key=key).first()
    if burst is not None and not _burst_over(burst, now):
        SecurityBurst.objects.filter(pk=burst.pk).update(
            repeats=models.F("repeats") + 1, last_at=now
        )
        first = Entry.objects.filter(seq=burst.first_seq).first()
        if first is not None:
            return first
    if burst is not None:
        _burst_summarise(burst)
    entry = ledger_append(
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=object_id,
        reason=reason,
        change=change,
        kind=EntryKind.SECURITY,
    )
    values = {
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "actor_id": actor_id,
        "agency_id": entry.agency_id,
        "reason": reason[:200],
        "source": source,
        "first_seq": entry.seq,
        "started_at": now,
        "last_at": now,
        "repeats": 0,
    }
    if burst is not None:
        SecurityBurst.objects.filter(pk=burst.pk).update(**values)
    else:
        try:
            with transaction.atomic():
                SecurityBurst.objects.create(key=key, **values)
        except IntegrityError:
            # Another request began the same burst at the same moment; theirs stands.
            pass
    return entry


def security_bursts_flush(*, now: datetime | None = None) -> int:
    """Write the summary entry of every burst that has ended and forget it; returns how
    many summaries were written. Run by the worker every minute; idempotent."""
    now = now or timezone.now()
    quiet = now - timedelta(seconds=settings.LIAISON_SECURITY_BURST_SECONDS)
    longest = now - timedelta(seconds=settings.LIAISON_SECURITY_BURST_MAX_SECONDS)
    written = 0
    with transaction.atomic():
        ended = (
            SecurityBurst.objects.select_for_update(skip_locked=connection.vendor != "sqlite")
            .filter(models.Q(last_at__lt=quiet) | models.Q(started_at__lt=longest))
            .order_by("started_at", "pk")
        )
        for burst in ended:
            if _burst_summarise(burst) is not None:
                written += 1
            burst.delete()
    return written


def denial_record(
    *,
    actor: Actor | None,
    where: str,
    object_type: str = "",
    object_id: str | int = "",
    code: str = "permission_denied",
    change: Mapping[str, Any] | None = None,
    source: str = "",
) -> Entry | None:
    """Record a refused request (``permission.deny``) in a transaction of its own.

    Call it once the refused work has rolled back (the middleware and the API's error
    handler do). ``where`` names the view or endpoint; ``object_type``/``object_id``
    the record refused, when known; ``source`` the keyed hash of the client address.
    Repeats (a page reloaded, an id walk on one record) are aggregated per burst like
    other repeatable security events. Returns ``None`` — after logging why — when the
    connection cannot take a write now (e.g. inside a transaction already marked for
    rollback), so that recording never turns a refusal into a server error.
    """
    try:
        with transaction.atomic():
            return security_record(
                actor=actor,
                action="permission.deny",
                object_type=object_type or "view",
                object_id=object_id if object_type else where,
                reason=code,
                change={"where": where, **(change or {})},
                source=source,
                repeatable=True,
            )
    except (DatabaseError, transaction.TransactionManagementError):
        logger.exception("could not record a permission denial at %s", where)
        return None


# --- integration: stored subtree hashes -----------------------------------------------


def _lock_tree() -> int:
    """Lock the integration row (creating it after a flush) and return its size."""
    tree = Tree.objects.select_for_update().filter(id=1).first()
    if tree is None:
        Tree.objects.bulk_create([Tree(id=1, size=0)], ignore_conflicts=True)
        tree = Tree.objects.select_for_update().get(id=1)
    return tree.size


def _insert_nodes(nodes: list[tuple[int, int, bytes]]) -> None:
    """Insert subtree hashes in bulk (``core.bulk``: COPY on PostgreSQL, executemany on
    SQLite) — for a million rows several times faster than model instances."""
    insert_rows(Node, ("level", "index", "hash"), nodes)


def _appended_size() -> int:
    size = Head.objects.filter(id=1).values_list("size", flat=True).first()
    return int(size or 0)


def ledger_integrate(*, upto: int | None = None, batch: int = INTEGRATE_BATCH) -> int:
    """Fold appended entries into the stored subtree hashes; return the integrated size.

    Idempotent and safe to run from several processes: each batch holds the lock on
    the integration row, so concurrent callers wait and then find the work done.
    Integrates up to ``upto`` entries (default: all appended so far).
    """
    from liaison.ledger import tree

    while True:
        with transaction.atomic():
            size = _lock_tree()
            target = _appended_size() if upto is None else min(upto, _appended_size())
            if size >= target:
                return size
            end = min(target, size + batch)
            builder = merkle.TreeBuilder.from_subtrees(size, tree.subtree_lookup(size))
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT seq, leaf_hash FROM ledger_entry WHERE seq >= %s AND seq < %s "
                    "ORDER BY seq",
                    [size, end],
                )
                leaves = cursor.fetchall()
            if len(leaves) != end - size or (leaves and leaves[-1][0] != end - 1):
                raise DatabaseError(f"ledger entries between {size} and {end} are missing")
            nodes = [
                (level, index, digest)
                for _, leaf in leaves
                for level, index, digest in builder.append(bytes(leaf))
                if level
            ]
            _insert_nodes(nodes)
            Tree.objects.filter(id=1).update(size=end)


# --- checkpoints ----------------------------------------------------------------------


def origin() -> str:
    """The log's origin line: the name checkpoints and the signer key carry."""
    return str(settings.LIAISON_LEDGER_ORIGIN)


def checkpoint_issue() -> Checkpoint | None:
    """Integrate everything appended, then sign and keep a checkpoint of the tree.

    Returns ``None`` when the tree has not grown since the latest checkpoint (the
    first checkpoint is issued whatever the size). Checkpoints are not themselves
    ledgered: each is kept, append-only, in its own table.
    """
    from liaison.ledger import tree

    ledger_integrate()
    with transaction.atomic():
        size = _lock_tree()  # one issuer at a time
        latest = Checkpoint.objects.order_by("-size").values_list("size", flat=True).first()
        if latest is not None and latest >= size:
            return None
        root = tree.root_at(size)
        key = signing.signer_key()
        note = notes.sign_note(notes.format_checkpoint(origin(), size, root), key)
        return Checkpoint.objects.create(
            size=size,
            root_hash=root,
            issued_at=timezone.now(),
            key_id=signing.key_id_hex(key),
            note=note,
        )
