"""Checking the whole ledger from its rows: what ``liaison ledger verify`` runs.

The verifier trusts nothing stored but the entry rows and the signer's public
key. It streams the entries in ``seq`` order (in chunks, so a million entries
need little memory), recomputes each leaf hash from the row's fields, rebuilds
the Merkle tree, compares every stored subtree hash with the rebuilt one, checks
the signature of every stored checkpoint (and of any checkpoint an outsider
saved), and compares each checkpoint's root with the rebuilt tree at its size.
All checkpoints being roots of the one rebuilt tree is what makes each
consistent with the next and with the current tree. Finally it asks the stored
tree for a consistency proof from the latest checkpoint to the current size and
checks it, as an outsider would.

The first problem found stops the run with :class:`LedgerTampered`, whose
message names the entry, subtree or checkpoint.
"""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from hashlib import sha256 as _sha256
from typing import Any

from django.db.models import Q

from liaison.ledger import checkpoint as notes
from liaison.ledger import merkle, tree
from liaison.ledger.models import Checkpoint, Entry, EntryRecord, Node
from liaison.ledger.services import (
    change_digest,
    leaf_data,
    origin,
    records_change,
    redaction_change,
    text_commitment,
)

CHUNK = 20_000
PARALLEL_FROM = 200_000

_FIELDS = (
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
    "text__text",
    "text__salt",
    "text__redaction_seq",
    "text__redaction_authority",
    "text__redacted_by_id",
)


class _Frontier:
    """The right edge of a Merkle tree being rebuilt: RFC 9162 hashing written out with
    ``hashlib`` directly (a million appends), checked against :mod:`merkle` by the tests."""

    def __init__(self) -> None:
        self.size = 0
        self.hashes: list[bytes] = []

    def append(self, leaf: bytes, record: dict[merkle.Node, bytes] | None) -> None:
        """Add a leaf hash; put each subtree it completes into ``record`` when given."""
        h, level, index = leaf, 0, self.size
        while (self.size >> level) & 1:
            h = _sha256(b"\x01" + self.hashes.pop() + h).digest()
            level, index = level + 1, index >> 1
            if record is not None:
                record[level, index] = h
        self.hashes.append(h)
        self.size += 1

    def root(self) -> bytes:
        if not self.hashes:
            return merkle.EMPTY_ROOT
        h = self.hashes[-1]
        for left in reversed(self.hashes[:-1]):
            h = _sha256(b"\x01" + left + h).digest()
        return h


class LedgerTampered(Exception):
    """The ledger does not hold together; the message names the first bad item."""


@dataclass
class Report:
    entries: int
    checkpoints: int
    root: bytes
    seconds: float
    outside: list[str] = field(default_factory=list)

    def summary(self) -> str:
        import base64

        extra = f", {len(self.outside)} outside checkpoint(s)" if self.outside else ""
        return (
            f"ledger verified: {self.entries} entries, {self.checkpoints} checkpoints{extra}, "
            f"root {base64.b64encode(self.root).decode()} ({self.seconds:.1f} s)"
        )


@dataclass(frozen=True)
class _Claim:
    """A signed checkpoint to compare with the rebuilt tree."""

    name: str
    size: int
    root: bytes


def open_checkpoint(name: str, note: str, verifier_key: str) -> notes.Checkpoint:
    """The checkpoint in signed ``note``; :class:`LedgerTampered` naming ``name`` unless
    ``verifier_key`` signed it and it is this log's."""
    try:
        body = notes.open_note(note, verifier_key)
    except notes.NoteError as exc:
        raise LedgerTampered(f"{name}: the signature does not verify ({exc})") from None
    try:
        parsed = notes.parse_checkpoint(body)
    except notes.CheckpointError as exc:
        raise LedgerTampered(f"{name}: not a checkpoint ({exc})") from None
    if parsed.origin != origin():
        raise LedgerTampered(f"{name}: it is for another log ({parsed.origin})")
    return parsed


def _stored_claims(verifier_key: str) -> list[_Claim]:
    claims = []
    rows = Checkpoint.objects.order_by("size").values_list("id", "size", "root_hash", "note")
    for pk, size, root, note in rows.iterator(chunk_size=2_000):
        name = f"checkpoint #{pk} (size {size})"
        parsed = open_checkpoint(name, note, verifier_key)
        if parsed.size != size or parsed.root_hash != bytes(root):
            raise LedgerTampered(f"{name}: its stored size or root differs from its signed note")
        claims.append(_Claim(name, size, parsed.root_hash))
    return claims


def _batches(
    chunk: int, start: int = 0, stop: int | None = None
) -> Iterator[list[tuple[Any, ...]]]:
    """The entries with ``start <= seq < stop`` in ``seq`` order (each with its kept
    text, if any), in keyset-paginated chunks."""
    after = start - 1
    while True:
        rows = Entry.objects.filter(seq__gt=after)
        if stop is not None:
            rows = rows.filter(seq__lt=stop)
        batch = list(rows.order_by("seq").values_list(*_FIELDS)[:chunk])
        if batch:
            yield batch
        if len(batch) < chunk:
            return
        after = int(batch[-1][0])


@dataclass(frozen=True)
class _Redaction:
    """A kept text that was redacted: ``seq``'s text, removed by entry ``by_seq``."""

    seq: int
    by_seq: int
    authority: str
    actor_id: int | None


def _text_problem(seq: int, row: tuple[Any, ...], redactions: list[_Redaction]) -> str | None:
    """What is wrong with the free text of a version-2 row, if anything."""
    reason, version, reason_hash, text, salt, by_seq, authority, redacted_by = (
        row[8],
        row[12],
        row[13],
        row[14],
        row[15],
        row[16],
        row[17],
        row[18],
    )
    if version < 2:
        return None
    if reason:
        return f"entry {seq}: it holds a reason in clear that its leaf does not cover"
    if not reason_hash:
        return None
    if text is None:
        return f"entry {seq}: its reason is gone from beside the ledger with no redaction recorded"
    if by_seq is None:
        try:
            ok = text_commitment(text, salt) == reason_hash
        except ValueError:
            ok = False
        if not ok:
            return f"entry {seq}: its reason does not match the hash in its leaf (changed)"
        return None
    redactions.append(_Redaction(seq, int(by_seq), authority, redacted_by))
    return None


def _record_problem(batch: list[tuple[Any, ...]]) -> tuple[int, str] | None:
    """Check the records of the batch's list reads against their change hashes (one query)."""
    ids: dict[int, list[str]] = {}
    for seq, oid in (
        EntryRecord.objects.filter(entry_id__gte=batch[0][0], entry_id__lte=batch[-1][0])
        .order_by("entry_id", "id")
        .values_list("entry_id", "object_id")
    ):
        ids.setdefault(seq, []).append(oid)
    if not ids:
        return None
    hashes = {row[0]: row[9] for row in batch}
    for seq in sorted(ids):
        if seq in hashes and change_digest(records_change(ids[seq])) != hashes[seq]:
            return (seq, f"entry {seq}: the records it lists do not match its change hash")
    return None


def _check_redactions(redactions: list[_Redaction]) -> None:
    """Each redacted text must be removed by a ``ledger.text.redact`` entry that names it,
    its authority and the privacy officer (one query per thousand)."""
    for i in range(0, len(redactions), 1_000):
        part = redactions[i : i + 1_000]
        found = {
            seq: rest
            for seq, *rest in Entry.objects.filter(seq__in=[r.by_seq for r in part]).values_list(
                "seq", "action", "object_type", "object_id", "actor_id", "change_hash"
            )
        }
        for r in part:
            expected = [
                "ledger.text.redact",
                "ledger.entry",
                str(r.seq),
                r.actor_id,
                change_digest(redaction_change(seq=r.seq, authority=r.authority)),
            ]
            if found.get(r.by_seq) != expected:
                raise LedgerTampered(
                    f"entry {r.seq}: its reason was removed, but entry {r.by_seq} does not "
                    "record that redaction"
                )


@dataclass
class _Leaves:
    """Leaf hashes recomputed from the rows of one range of ``seq``, in order, up to the
    first bad row (``problem``, with the ``seq`` where it was met)."""

    start: int
    hashes: list[bytes]
    problem: tuple[int, str] | None = None
    redactions: list[_Redaction] = field(default_factory=list)
    text_problem: tuple[int, str] | None = None
    """The first problem beside the ledger (kept text, listed records): reported once the
    log itself holds together."""


def _check_leaves(chunk: int, start: int = 0, stop: int | None = None) -> _Leaves:
    """Recompute the leaf hash of every row in ``[start, stop)`` and compare it."""
    result = _Leaves(start, [])
    expected = start
    for batch in _batches(chunk, start, stop):
        for row in batch:
            if not _check_row(row, expected, result):
                return result
            expected += 1
        if result.text_problem is None:
            result.text_problem = _record_problem(batch)
    if stop is not None and expected < stop:
        result.problem = (expected, f"entry {expected} is missing")
    return result


def _check_row(row: tuple[Any, ...], expected: int, result: _Leaves) -> bool:
    """Check one row (expected at ``expected``); on a problem note it and answer False."""
    seq, recorded_at, kind, actor_id, agency_id, action, otype, oid, reason, chash, salt = row[:11]
    if seq != expected:
        if seq > expected:
            result.problem = (expected, f"entry {expected} is missing (the next row is {seq})")
        else:
            result.problem = (seq, f"entry {seq} appears twice")
        return False
    data = leaf_data(
        recorded_at=recorded_at,
        kind=kind,
        actor_id=actor_id,
        agency_id=agency_id,
        action=action,
        object_type=otype,
        object_id=oid,
        reason=reason,
        change_hash=chash,
        salt=salt,
        leaf_version=row[12],
        reason_hash=row[13],
    )
    digest = _sha256(b"\x00" + data).digest()
    if digest != row[11]:
        result.problem = (seq, f"entry {seq}: its contents do not match its leaf hash")
        return False
    text = _text_problem(seq, row, result.redactions)
    if text is not None and result.text_problem is None:
        result.text_problem = (seq, text)
    result.hashes.append(digest)
    return True


def _check_leaves_in_child(args: tuple[int, int, int | None]) -> _Leaves:
    from django.db import connections

    for conn in connections.all():  # a forked child must open its own connection
        conn.connection = None
    try:
        return _check_leaves(*args)
    finally:
        connections.close_all()


def _leaf_ranges(head: int, chunk: int, workers: int) -> Iterator[_Leaves]:
    """The checked leaves in ``seq`` order: in ``workers`` processes for a big log."""
    from django.db import connection, connections

    # Children read committed rows on their own connections: not from inside a transaction.
    if workers <= 1 or head < PARALLEL_FROM or connection.in_atomic_block:
        yield _check_leaves(chunk)
        return

    bounds = [head * i // workers for i in range(workers)]
    ranges = [
        (chunk, lo, bounds[i + 1] if i + 1 < workers else None) for i, lo in enumerate(bounds)
    ]
    connections.close_all()
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        yield from pool.imap(_check_leaves_in_child, ranges)


def _check_nodes(built: dict[merkle.Node, bytes]) -> None:
    """Compare the rebuilt subtree hashes with the stored ones (one query)."""
    if not built:
        return
    spans: dict[int, list[int]] = {}
    for level, index in built:
        span = spans.setdefault(level, [index, index])
        span[0], span[1] = min(span[0], index), max(span[1], index)
    where = Q()
    for level, (low, high) in spans.items():
        where |= Q(level=level, index__gte=low, index__lte=high)
    stored = {
        (level, index): bytes(h)
        for level, index, h in Node.objects.filter(where).values_list("level", "index", "hash")
    }
    for (level, index), digest in sorted(built.items()):  # the smallest subtree first
        first, last = index << level, ((index + 1) << level) - 1
        if (level, index) not in stored:
            raise LedgerTampered(
                f"stored subtree {level}/{index} (entries {first}-{last}) is missing"
            )
        if stored[level, index] != digest:
            raise LedgerTampered(
                f"stored subtree {level}/{index} (entries {first}-{last}) does not match the "
                "entries: a leaf hash or the subtree hash was rewritten"
            )


def verify_ledger(
    *,
    verifier_key: str,
    outside: Sequence[tuple[str, str]] = (),
    chunk: int = CHUNK,
    progress: Callable[[int], None] | None = None,
    workers: int = 2,
) -> Report:
    """Check the ledger; return a :class:`Report` or raise :class:`LedgerTampered`.

    ``outside`` holds ``(name, signed note)`` pairs: checkpoints saved by someone
    else, which must be signed by ``verifier_key`` and match the log too. Logs of
    :data:`PARALLEL_FROM` entries or more recompute leaf hashes in ``workers`` processes.
    """
    started = time.monotonic()
    claims = _stored_claims(verifier_key)
    stored_count = len(claims)
    names = []
    for name, note in outside:
        parsed = open_checkpoint(name, note, verifier_key)
        claims.append(_Claim(f"{name} (size {parsed.size})", parsed.size, parsed.root_hash))
        names.append(name)
    claims.sort(key=lambda c: c.size)
    head = tree.appended_size()
    integrated = tree.integrated_size()

    builder = _Frontier()
    pending = 0  # index into claims of the next one to compare

    def compare_claims() -> None:
        nonlocal pending
        while pending < len(claims) and claims[pending].size == builder.size:
            claim = claims[pending]
            if claim.root != builder.root():
                _check_nodes(built)  # names the rewritten entries when the stored tree can
                raise LedgerTampered(
                    f"{claim.name}: its root does not match the log at that size "
                    "(history was rewritten)"
                )
            pending += 1

    built: dict[merkle.Node, bytes] = {}
    redactions: list[_Redaction] = []
    beside: list[tuple[int, str]] = []
    compare_claims()
    for part in _leaf_ranges(head, chunk, workers):
        redactions += part.redactions
        if part.text_problem is not None:
            beside.append(part.text_problem)
        seq = part.start
        for digest in part.hashes:
            builder.append(digest, built if seq < integrated else None)
            seq += 1
            if pending < len(claims):
                compare_claims()
            if builder.size % chunk == 0:
                _check_nodes(built)
                built.clear()
                if progress:
                    progress(builder.size)
        if part.problem is not None:
            raise LedgerTampered(part.problem[1])
    _check_nodes(built)

    if builder.size < head:
        raise LedgerTampered(
            f"entry {builder.size} is missing: the log counts {head} entries, "
            f"{builder.size} rows are left"
        )
    if builder.size > head:
        raise LedgerTampered(f"entry {head} is beyond the log's size {head} (inserted)")
    if pending < len(claims):
        claim = claims[pending]
        raise LedgerTampered(
            f"{claim.name}: it covers {claim.size} entries but the log has only {builder.size}: "
            f"entry {builder.size} onwards is missing"
        )
    root = builder.root()
    if claims:
        last = claims[-1]
        proof, _, _ = tree.consistency(last.size, builder.size)
        if not merkle.verify_consistency(last.size, builder.size, last.root, root, proof):
            raise LedgerTampered(f"the stored tree gives a bad consistency proof from {last.name}")
    if beside:
        raise LedgerTampered(min(beside)[1])
    _check_redactions(redactions)
    return Report(
        entries=builder.size,
        checkpoints=stored_count,
        root=root,
        seconds=time.monotonic() - started,
        outside=names,
    )
