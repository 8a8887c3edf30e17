"""The Merkle tree as stored: roots and proofs from a handful of subtree hashes.

Every function here reads the ``O(log n)`` complete-subtree hashes it needs in ONE
query (level 0 from ``Entry.leaf_hash``, higher levels from ``Node``), so answers
at a million entries take milliseconds. Sizes beyond the integrated part of the
tree are integrated first (:func:`liaison.ledger.services.ledger_integrate`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import connection

from liaison.ledger import merkle
from liaison.ledger.models import Head, Tree


class TreeError(LookupError):
    """A stored hash the tree needs is missing (the storage was tampered with)."""


def appended_size() -> int:
    """Entries appended so far (committed)."""
    return int(Head.objects.filter(id=1).values_list("size", flat=True).first() or 0)


def integrated_size() -> int:
    return int(Tree.objects.filter(id=1).values_list("size", flat=True).first() or 0)


def ensure_integrated(size: int) -> None:
    """Make sure the first ``size`` entries are in the stored subtree hashes."""
    if integrated_size() < size:
        from liaison.ledger.services import ledger_integrate

        if ledger_integrate(upto=size) < size:
            raise ValueError(f"the ledger has fewer than {size} entries")


def fetch(nodes: Iterable[merkle.Node]) -> dict[merkle.Node, bytes]:
    """The stored hashes of the complete subtrees ``nodes`` (those present), in one query."""
    wanted = set(nodes)
    leaves = sorted(index for level, index in wanted if level == 0)
    inner = sorted((level, index) for level, index in wanted if level > 0)
    if not wanted:
        return {}
    if connection.vendor == "postgresql":
        # Three array parameters whatever the count: cheap to bind and to plan.
        sql = (
            "SELECT 0, seq, leaf_hash FROM ledger_entry WHERE seq = ANY(%s) UNION ALL "
            'SELECT n.level, n."index", n.hash FROM ledger_node n '
            "JOIN unnest(%s::smallint[], %s::bigint[]) AS k(level, idx) "
            'ON n.level = k.level AND n."index" = k.idx'
        )
        params: list[Any] = [leaves, [lv for lv, _ in inner], [ix for _, ix in inner]]
    else:
        parts = []
        params = []
        if leaves:
            parts.append(
                "SELECT 0, seq, leaf_hash FROM ledger_entry WHERE seq IN ({})".format(  # noqa: S608
                    ", ".join(["%s"] * len(leaves))
                )
            )
            params += leaves
        if inner:
            parts.append(
                'SELECT level, "index", hash FROM ledger_node WHERE {}'.format(  # noqa: S608
                    " OR ".join(['(level = %s AND "index" = %s)'] * len(inner))
                )
            )
            params += [value for node in inner for value in node]
        sql = " UNION ALL ".join(parts)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {(int(level), int(index)): bytes(h) for level, index, h in cursor.fetchall()}


def _complete(nodes: list[merkle.Node], size: int) -> dict[merkle.Node, bytes]:
    """``fetch(nodes)``, integrating up to ``size`` first if some are not stored yet.

    The usual case — everything integrated — costs one query.
    """
    found = fetch(nodes)
    if len(found) < len(set(nodes)):
        ensure_integrated(size)
        found = fetch(nodes)
    return found


def provider(
    nodes: Iterable[merkle.Node], found: dict[merkle.Node, bytes] | None = None
) -> merkle.SubtreeProvider:
    """A subtree provider over ``nodes`` (fetched at once unless ``found`` is given);
    a hash that is not stored raises TreeError."""
    if found is None:
        found = fetch(nodes)

    def subtree(level: int, index: int) -> bytes:
        try:
            return found[level, index]
        except KeyError:
            raise TreeError(f"stored subtree {level}/{index} is missing") from None

    return subtree


def subtree_lookup(size: int) -> merkle.SubtreeProvider:
    """Provider for the right frontier of a tree of ``size`` (what TreeBuilder resumes from)."""
    return provider(merkle.nodes_for_root(size))


def root_at(size: int) -> bytes:
    """Merkle root of the first ``size`` entries."""
    nodes = merkle.nodes_for_root(size)
    return merkle.root_from_subtrees(size, provider(nodes, _complete(nodes, size)))


def inclusion(seq: int, size: int) -> tuple[bytes, list[bytes], bytes]:
    """``(leaf hash of entry seq, inclusion proof, root)`` for the tree of ``size``, in one query."""
    if not 0 <= seq < size:
        raise ValueError(f"entry {seq} is not in a tree of size {size}")
    nodes = [(0, seq), *merkle.nodes_for_inclusion(size, seq), *merkle.nodes_for_root(size)]
    subtree = provider(nodes, _complete(nodes, size))
    proof = merkle.inclusion_proof_from_subtrees(size, seq, subtree)
    return bytes(subtree(0, seq)), proof, merkle.root_from_subtrees(size, subtree)


def consistency(old_size: int, new_size: int) -> tuple[list[bytes], bytes, bytes]:
    """``(consistency proof, old root, new root)`` between two tree sizes, in one query."""
    if not 0 <= old_size <= new_size:
        raise ValueError("the old size must not exceed the new size")
    nodes = [
        *merkle.nodes_for_consistency(old_size, new_size),
        *merkle.nodes_for_root(old_size),
        *merkle.nodes_for_root(new_size),
    ]
    subtree = provider(nodes, _complete(nodes, new_size))
    return (
        merkle.consistency_proof_from_subtrees(old_size, new_size, subtree),
        merkle.root_from_subtrees(old_size, subtree),
        merkle.root_from_subtrees(new_size, subtree),
    )
