"""RFC 9162 section 2.1 Merkle tree (the same hashing as RFC 6962), pure Python.

Hashes are 32-byte ``bytes``; entries are the leaf data as ``bytes``. The leaf at
position ``i`` hashes to ``leaf_hash(entries[i])``; the root of ``n`` entries is
MTH(D[n]), and MTH of the empty tree is SHA-256 of the empty string.

Two families of functions compute the same things:

* the list-based ones (:func:`root_hash`, :func:`inclusion_proof`,
  :func:`consistency_proof`) follow the RFC recursion over all entries (O(n));
* the *hash-provider* ones (:func:`root_from_subtrees`,
  :func:`inclusion_proof_from_subtrees`, :func:`consistency_proof_from_subtrees`)
  only ask for the hashes of complete subtrees, ``subtree(level, index)`` being
  the MTH of the 2**level leaves starting at leaf ``index * 2**level`` (level 0
  are the leaf hashes). The ``nodes_for_*`` functions list the ``(level, index)``
  pairs each one will ask for, in order and each once, so that a database caller
  can fetch them all in ONE query and pass a dict lookup. Lookups per call:
  root ``popcount(size) <= log2(size) + 1``; inclusion and consistency
  ``<= 2 * ceil(log2(size))`` (tests check both bounds). For example::

      wanted = nodes_for_inclusion(size, index)              # 25 pairs at 10**6
      found = fetch_nodes(wanted)                            # one query -> dict
      proof = inclusion_proof_from_subtrees(size, index, lambda l, i: found[(l, i)])

:class:`TreeBuilder` maintains those complete-subtree hashes incrementally.

Bad arguments (negative or out-of-range sizes and indices, ``old_size > new_size``,
hashes that are not 32 bytes) raise ``ValueError``; a proof that does not verify
makes the ``verify_*`` functions return ``False``.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Iterable, Sequence

__all__ = [
    "EMPTY_ROOT",
    "HASH_SIZE",
    "HashLike",
    "Node",
    "SubtreeProvider",
    "TreeBuilder",
    "consistency_proof",
    "consistency_proof_from_subtrees",
    "inclusion_proof",
    "inclusion_proof_from_subtrees",
    "leaf_hash",
    "node_hash",
    "nodes_for_consistency",
    "nodes_for_inclusion",
    "nodes_for_root",
    "root_from_subtrees",
    "root_hash",
    "verify_consistency",
    "verify_inclusion",
]

HASH_SIZE = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()

Node = tuple[int, int]
"""A complete subtree ``(level, index)``: the 2**level leaves from ``index * 2**level``."""

HashLike = bytes | bytearray | memoryview
"""Accepted for input hashes (databases may return ``memoryview``); outputs are ``bytes``."""

SubtreeProvider = Callable[[int, int], HashLike]
"""``subtree(level, index) -> bytes``: the hash of the complete subtree :data:`Node`."""


# --- hashing and argument checks -------------------------------------------------------


def leaf_hash(entry: bytes) -> bytes:
    """SHA-256(0x00 || entry). ``entry`` must be bytes-like (``TypeError`` otherwise)."""
    if not isinstance(entry, bytes | bytearray | memoryview):
        raise TypeError(f"entry must be bytes, not {type(entry).__name__}")
    return hashlib.sha256(b"\x00" + bytes(entry)).digest()


def node_hash(left: HashLike, right: HashLike) -> bytes:
    """SHA-256(0x01 || left || right); both children must be 32-byte hashes."""
    return hashlib.sha256(
        b"\x01" + _check_hash(left, "left") + _check_hash(right, "right")
    ).digest()


def _check_hash(value: object, what: str) -> bytes:
    """``value`` as ``bytes`` if it is a 32-byte bytes-like object (a database may hand
    back ``memoryview``), else ``ValueError``."""
    if isinstance(value, bytes | bytearray | memoryview):
        value = bytes(value)
        if len(value) == HASH_SIZE:
            return value
    raise ValueError(f"{what} must be a {HASH_SIZE}-byte hash")


def _check_count(value: object, what: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ValueError(f"{what} must be a non-negative integer, not {value!r}")
    return value


def _check_index(index: object, size: int) -> int:
    index = _check_count(index, "index")
    if index >= size:
        raise ValueError(f"index {index} is out of range for a tree of size {size}")
    return index


def _split(n: int) -> int:
    """The largest power of two strictly smaller than ``n`` (``n >= 2``)."""
    return 1 << ((n - 1).bit_length() - 1)


# --- list-based functions (the RFC recursion) ------------------------------------------


def _mth(entries: Sequence[bytes], lo: int, hi: int) -> bytes:
    if hi - lo == 1:
        return leaf_hash(entries[lo])
    k = _split(hi - lo)
    return node_hash(_mth(entries, lo, lo + k), _mth(entries, lo + k, hi))


def root_hash(entries: Sequence[bytes]) -> bytes:
    """MTH(D[n]) of ``entries``; :data:`EMPTY_ROOT` for no entries."""
    return _mth(entries, 0, len(entries)) if entries else EMPTY_ROOT


def inclusion_proof(entries: Sequence[bytes], index: int) -> list[bytes]:
    """PATH(index, D[n]) of RFC 9162 2.1.3.1, ordered from the leaf up to the root."""
    _check_index(index, len(entries))
    path: list[bytes] = []
    lo, hi = 0, len(entries)
    while hi - lo > 1:
        k = _split(hi - lo)
        if index < lo + k:
            path.append(_mth(entries, lo + k, hi))
            hi = lo + k
        else:
            path.append(_mth(entries, lo, lo + k))
            lo += k
    path.reverse()
    return path


def consistency_proof(entries: Sequence[bytes], old_size: int) -> list[bytes]:
    """PROOF(old_size, D[n]) of RFC 9162 2.1.4.1 (SUBPROOF), with n = len(entries).

    The RFC defines proofs for ``0 < old_size < n``. For ``old_size == 0`` (the
    empty tree is a prefix of every tree) and ``old_size == n`` (SUBPROOF(n, D[n],
    true) is empty) the proof is empty, and :func:`verify_consistency` accepts
    exactly the empty proof there.
    """
    n = len(entries)
    if _check_count(old_size, "old_size") > n:
        raise ValueError(f"old_size {old_size} is larger than the tree size {n}")
    return _subproof(entries, old_size, 0, n, True) if 0 < old_size < n else []


def _subproof(entries: Sequence[bytes], m: int, lo: int, hi: int, whole: bool) -> list[bytes]:
    if m == hi - lo:
        return [] if whole else [_mth(entries, lo, hi)]
    k = _split(hi - lo)
    if m <= k:
        return [*_subproof(entries, m, lo, lo + k, whole), _mth(entries, lo + k, hi)]
    return [*_subproof(entries, m - k, lo + k, hi, False), _mth(entries, lo, lo + k)]


# --- verification (RFC 9162 2.1.3.2 and 2.1.4.2) ---------------------------------------


def verify_inclusion(
    leaf: HashLike, index: int, size: int, proof: Sequence[HashLike], root: HashLike
) -> bool:
    """Whether ``proof`` shows the leaf HASH ``leaf`` at ``index`` in the tree ``(size, root)``.

    ``size`` and ``root`` must come from the same tree head: the proof is bound to the
    root, and a root paired with a different size can pass. Raises ``ValueError`` if
    ``index >= size`` or a hash is not 32 bytes.
    """
    r = _check_hash(leaf, "leaf")
    root = _check_hash(root, "root")
    _check_index(index, _check_count(size, "size"))
    path = [_check_hash(p, "proof element") for p in proof]
    fn, sn = index, size - 1
    for p in path:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = node_hash(r, p)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and hmac.compare_digest(r, root)


def verify_consistency(
    old_size: int,
    new_size: int,
    old_root: HashLike,
    new_root: HashLike,
    proof: Sequence[HashLike],
) -> bool:
    """Whether ``proof`` shows tree ``(old_size, old_root)`` prefixes ``(new_size, new_root)``.

    Follows RFC 9162 2.1.4.2 for ``0 < old_size < new_size``. Outside that range
    only the empty proof verifies: for ``old_size == new_size`` when the roots are
    equal, for ``old_size == 0`` when ``old_root`` is :data:`EMPTY_ROOT` (the only
    root a tree of size 0 has). Raises ``ValueError`` if ``old_size > new_size``, a
    size is negative, or a hash is not 32 bytes.
    """
    _check_count(old_size, "old_size")
    _check_count(new_size, "new_size")
    old_root = _check_hash(old_root, "old_root")
    new_root = _check_hash(new_root, "new_root")
    path = [_check_hash(p, "proof element") for p in proof]
    if old_size > new_size:
        raise ValueError(f"old_size {old_size} is larger than new_size {new_size}")
    if old_size == 0 or old_size == new_size:
        ok = not path and hmac.compare_digest(old_root, new_root if old_size else EMPTY_ROOT)
        return ok and (new_size > 0 or hmac.compare_digest(new_root, EMPTY_ROOT))
    if not path:
        return False
    if old_size & (old_size - 1) == 0:
        path.insert(0, old_root)
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and hmac.compare_digest(fr, old_root) and hmac.compare_digest(sr, new_root)


# --- hash-provider functions -----------------------------------------------------------
#
# Every range [lo, hi) met in the RFC recursions starts at a multiple of the smallest
# power of two >= hi - lo, so it splits into complete subtrees of strictly decreasing
# size (the binary digits of hi - lo), and its MTH is their right fold:
# MTH = H(s1, H(s2, ... H(s_{k-1}, s_k))). Only the one range that touches the right
# edge of the tree is incomplete, hence the O(log n) bounds.


def _range_nodes(lo: int, hi: int) -> list[Node]:
    nodes: list[Node] = []
    while lo < hi:
        level = (hi - lo).bit_length() - 1
        assert lo % (1 << level) == 0, "range is not aligned"
        nodes.append((level, lo >> level))
        lo += 1 << level
    return nodes


def _inclusion_ranges(size: int, index: int) -> list[tuple[int, int]]:
    ranges: list[tuple[int, int]] = []
    lo, hi = 0, size
    while hi - lo > 1:
        k = _split(hi - lo)
        if index < lo + k:
            ranges.append((lo + k, hi))
            hi = lo + k
        else:
            ranges.append((lo, lo + k))
            lo += k
    ranges.reverse()
    return ranges


def _consistency_ranges(old_size: int, new_size: int) -> list[tuple[int, int]]:
    _check_count(old_size, "old_size")
    if old_size > _check_count(new_size, "new_size"):
        raise ValueError(f"old_size {old_size} is larger than new_size {new_size}")
    if old_size in (0, new_size):
        return []
    ranges: list[tuple[int, int]] = []
    lo, hi, m, complete = 0, new_size, old_size, True
    while m != hi - lo:
        k = _split(hi - lo)
        if m <= k:
            ranges.append((lo + k, hi))
            hi = lo + k
        else:
            ranges.append((lo, lo + k))
            lo, m, complete = lo + k, m - k, False
    if not complete:
        ranges.append((lo, hi))
    ranges.reverse()
    return ranges


def _flatten(ranges: Iterable[tuple[int, int]]) -> list[Node]:
    return [node for lo, hi in ranges for node in _range_nodes(lo, hi)]


def _fold(lo: int, hi: int, subtree: SubtreeProvider) -> bytes:
    hashes = [_check_hash(subtree(level, i), "subtree hash") for level, i in _range_nodes(lo, hi)]
    h = hashes.pop()
    while hashes:
        h = node_hash(hashes.pop(), h)
    return h


def nodes_for_root(size: int) -> list[Node]:
    """Subtrees :func:`root_from_subtrees` reads: ``popcount(size)`` of them, largest first.

    They are also the right frontier a :class:`TreeBuilder` of that size needs.
    """
    return _range_nodes(0, _check_count(size, "size"))


def nodes_for_inclusion(size: int, index: int) -> list[Node]:
    """Subtrees :func:`inclusion_proof_from_subtrees` reads (``<= 2 * ceil(log2(size))``)."""
    _check_index(index, _check_count(size, "size"))
    return _flatten(_inclusion_ranges(size, index))


def nodes_for_consistency(old_size: int, new_size: int) -> list[Node]:
    """Subtrees :func:`consistency_proof_from_subtrees` reads (``<= 2 * ceil(log2(new_size))``)."""
    return _flatten(_consistency_ranges(old_size, new_size))


def root_from_subtrees(size: int, subtree: SubtreeProvider) -> bytes:
    """MTH of the first ``size`` leaves, calling ``subtree`` once per :func:`nodes_for_root`."""
    _check_count(size, "size")
    return _fold(0, size, subtree) if size else EMPTY_ROOT


def inclusion_proof_from_subtrees(size: int, index: int, subtree: SubtreeProvider) -> list[bytes]:
    """Same as :func:`inclusion_proof`; calls ``subtree`` once per :func:`nodes_for_inclusion`."""
    _check_index(index, _check_count(size, "size"))
    return [_fold(lo, hi, subtree) for lo, hi in _inclusion_ranges(size, index)]


def consistency_proof_from_subtrees(
    old_size: int, new_size: int, subtree: SubtreeProvider
) -> list[bytes]:
    """Same as :func:`consistency_proof`; one ``subtree`` call per :func:`nodes_for_consistency`."""
    return [_fold(lo, hi, subtree) for lo, hi in _consistency_ranges(old_size, new_size)]


# --- incremental building --------------------------------------------------------------


class TreeBuilder:
    """Appends leaf hashes to a tree, reporting every complete subtree that appears.

    The state is the tree ``size`` and its right ``frontier``: the hashes of the
    complete subtrees :func:`nodes_for_root` lists for that size (largest first).
    Each :meth:`append` returns ``(level, index, hash)`` for the new leaf (level 0)
    and for every subtree it completes, bottom up. A caller that stores all of
    them from size 0 holds every complete subtree of the tree, which is all the
    ``*_from_subtrees`` functions need. To resume at size ``n``, fetch
    ``nodes_for_root(n)`` in one query, or use :meth:`from_subtrees`.
    """

    def __init__(self, size: int = 0, frontier: Sequence[HashLike] = ()) -> None:
        _check_count(size, "size")
        if len(frontier) != size.bit_count():
            raise ValueError(f"a tree of size {size} has {size.bit_count()} frontier hashes")
        self._size = size
        self._frontier = [_check_hash(h, "frontier hash") for h in frontier]

    @classmethod
    def from_subtrees(cls, size: int, subtree: SubtreeProvider) -> TreeBuilder:
        """A builder at ``size`` whose frontier is read through ``subtree``."""
        return cls(size, [subtree(level, index) for level, index in nodes_for_root(size)])

    @property
    def size(self) -> int:
        return self._size

    @property
    def frontier(self) -> tuple[bytes, ...]:
        return tuple(self._frontier)

    def root(self) -> bytes:
        """The root hash at the current size (equal to :func:`root_hash` of the leaves)."""
        if not self._frontier:
            return EMPTY_ROOT
        h = self._frontier[-1]
        for left in reversed(self._frontier[:-1]):
            h = node_hash(left, h)
        return h

    def append(self, leaf: HashLike) -> list[tuple[int, int, bytes]]:
        """Add one leaf HASH; return the new complete subtrees ``(level, index, hash)``."""
        h = _check_hash(leaf, "leaf")
        level, index = 0, self._size
        created = [(level, index, h)]
        while (self._size >> level) & 1:
            h = node_hash(self._frontier.pop(), h)
            level, index = level + 1, index >> 1
            created.append((level, index, h))
        self._frontier.append(h)
        self._size += 1
        return created

    def extend(self, leaves: Iterable[HashLike]) -> list[tuple[int, int, bytes]]:
        """:meth:`append` each leaf hash in order; return all the new subtrees."""
        return [node for leaf in leaves for node in self.append(leaf)]
