"""RFC 9162 / RFC 6962 Merkle trees: known vectors, exhaustive small trees, property tests.

These tests are pure Python and need no database.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable
from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from liaison.ledger.merkle import (
    EMPTY_ROOT,
    TreeBuilder,
    consistency_proof,
    consistency_proof_from_subtrees,
    inclusion_proof,
    inclusion_proof_from_subtrees,
    leaf_hash,
    node_hash,
    nodes_for_consistency,
    nodes_for_inclusion,
    nodes_for_root,
    root_from_subtrees,
    root_hash,
    verify_consistency,
    verify_inclusion,
)

# --- fixtures: one log of distinct entries, its roots and its complete subtrees -----------

MAX_SIZE = 600
ENTRIES = [b"entry %d" % i for i in range(MAX_SIZE)]
LEAVES = [leaf_hash(e) for e in ENTRIES]
SOME_HASH = hashlib.sha256(b"not in the tree").digest()


@cache
def root(size: int) -> bytes:
    return root_hash(ENTRIES[:size])


@cache
def subtree(level: int, index: int) -> bytes:
    """Reference provider: MTH of the complete subtree, computed from the entries."""
    lo = index << level
    hi = lo + (1 << level)
    assert hi <= MAX_SIZE
    return root_hash(ENTRIES[lo:hi])


class CountingProvider:
    def __init__(self, provider: Callable[[int, int], bytes] = subtree) -> None:
        self.provider = provider
        self.calls: list[tuple[int, int]] = []

    def __call__(self, level: int, index: int) -> bytes:
        self.calls.append((level, index))
        return self.provider(level, index)


def flip(h: bytes, bit: int) -> bytes:
    b = bytearray(h)
    b[bit // 8] ^= 1 << (bit % 8)
    return bytes(b)


def corruptions(proof: list[bytes], extras: list[bytes]) -> list[tuple[str, list[bytes]]]:
    """Every single-step change to ``proof``: flipped bits, dropped and inserted elements."""
    out: list[tuple[str, list[bytes]]] = []
    for i, element in enumerate(proof):
        for bit in (0, 7, 100, 255):
            out.append((f"bit {bit} of [{i}]", [*proof[:i], flip(element, bit), *proof[i + 1 :]]))
        out.append((f"drop [{i}]", proof[:i] + proof[i + 1 :]))
        out.append((f"repeat [{i}]", [*proof[: i + 1], element, *proof[i + 1 :]]))
    for i in range(len(proof) + 1):
        for n, extra in enumerate(extras):
            out.append((f"insert extra {n} at {i}", [*proof[:i], extra, *proof[i:]]))
    if len(proof) > 1:
        out.append(("reversed", proof[::-1]))
    return out


sizes = st.integers(min_value=1, max_value=MAX_SIZE)


@st.composite
def size_and_index(draw: st.DrawFn) -> tuple[int, int]:
    size = draw(sizes)
    return size, draw(st.integers(0, size - 1))


@st.composite
def old_and_new_size(draw: st.DrawFn, proper: bool = False) -> tuple[int, int]:
    """``old <= new``; with ``proper``, ``0 < old < new`` (a non-trivial proof)."""
    new = draw(st.integers(2 if proper else 0, MAX_SIZE))
    old = draw(st.integers(1, new - 1) if proper else st.integers(0, new))
    return old, new


# --- known answers ------------------------------------------------------------------------
#
# The RFC 6962 test vectors of certificate-transparency, as kept in
# github.com/transparency-dev/merkle (proof/verify_test.go). Indices here are 0-based.

VECTOR_LEAVES = [
    bytes.fromhex(h)
    for h in (
        "",
        "00",
        "10",
        "2021",
        "3031",
        "40414243",
        "5051525354555657",
        "606162636465666768696a6b6c6d6e6f",
    )
]
VECTOR_ROOTS = [  # roots of the first 1..8 leaves
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]
VECTOR_INCLUSION = [  # (index, size, proof)
    (0, 1, []),
    (
        0,
        8,
        [
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
    ),
    (
        5,
        8,
        [
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
    (2, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]),
    (
        1,
        5,
        [
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ],
    ),
]
VECTOR_CONSISTENCY = [  # (old_size, new_size, proof)
    (1, 1, []),
    (
        1,
        8,
        [
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
    ),
    (
        6,
        8,
        [
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
    (
        2,
        5,
        [
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ],
    ),
    (
        6,
        7,
        [
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
]


def vector_subtree(level: int, index: int) -> bytes:
    return root_hash(VECTOR_LEAVES[index << level : (index + 1) << level])


def test_the_empty_tree_hashes_to_the_sha256_of_nothing() -> None:
    expected = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    assert root_hash([]).hex() == expected
    assert EMPTY_ROOT.hex() == expected
    assert root_from_subtrees(0, CountingProvider()) == EMPTY_ROOT
    assert TreeBuilder().root() == EMPTY_ROOT


def test_leaves_and_nodes_are_hashed_with_distinct_prefixes() -> None:
    assert leaf_hash(b"abc") == hashlib.sha256(b"\x00abc").digest()
    assert (
        node_hash(LEAVES[0], LEAVES[1]) == hashlib.sha256(b"\x01" + LEAVES[0] + LEAVES[1]).digest()
    )
    assert root_hash(ENTRIES[:1]) == LEAVES[0]


@pytest.mark.parametrize("size", range(1, 9))
def test_it_matches_the_rfc6962_root_vectors(size: int) -> None:
    assert root_hash(VECTOR_LEAVES[:size]).hex() == VECTOR_ROOTS[size - 1]
    assert root_from_subtrees(size, vector_subtree).hex() == VECTOR_ROOTS[size - 1]


@pytest.mark.parametrize(("index", "size", "expected"), VECTOR_INCLUSION)
def test_it_matches_the_rfc6962_inclusion_vectors(
    index: int, size: int, expected: list[str]
) -> None:
    proof = inclusion_proof(VECTOR_LEAVES[:size], index)
    assert [p.hex() for p in proof] == expected
    assert inclusion_proof_from_subtrees(size, index, vector_subtree) == proof
    leaf = leaf_hash(VECTOR_LEAVES[index])
    assert verify_inclusion(leaf, index, size, proof, bytes.fromhex(VECTOR_ROOTS[size - 1]))


@pytest.mark.parametrize(("old", "new", "expected"), VECTOR_CONSISTENCY)
def test_it_matches_the_rfc6962_consistency_vectors(
    old: int, new: int, expected: list[str]
) -> None:
    proof = consistency_proof(VECTOR_LEAVES[:new], old)
    assert [p.hex() for p in proof] == expected
    assert consistency_proof_from_subtrees(old, new, vector_subtree) == proof
    old_root, new_root = (bytes.fromhex(VECTOR_ROOTS[s - 1]) for s in (old, new))
    assert verify_consistency(old, new, old_root, new_root, proof)


# --- every proof of every small tree verifies ---------------------------------------------


@pytest.mark.parametrize("size", range(1, 65))
def test_every_inclusion_proof_of_a_small_tree_verifies(size: int) -> None:
    for index in range(size):
        proof = inclusion_proof_from_subtrees(size, index, subtree)
        assert verify_inclusion(LEAVES[index], index, size, proof, root(size))


@pytest.mark.parametrize("new", range(65))
def test_every_consistency_proof_of_a_small_tree_verifies(new: int) -> None:
    for old in range(new + 1):
        proof = consistency_proof_from_subtrees(old, new, subtree)
        assert verify_consistency(old, new, root(old), root(new), proof)


@pytest.mark.parametrize("size", range(33))
def test_the_subtree_variants_equal_the_list_variants_on_every_small_tree(size: int) -> None:
    entries = ENTRIES[:size]
    assert root_from_subtrees(size, subtree) == root_hash(entries)
    for index in range(size):
        assert inclusion_proof_from_subtrees(size, index, subtree) == inclusion_proof(
            entries, index
        )
    for old in range(size + 1):
        assert consistency_proof_from_subtrees(old, size, subtree) == consistency_proof(
            entries, old
        )


@settings(max_examples=150, deadline=None)
@given(size_and_index(), old_and_new_size())
def test_the_subtree_variants_equal_the_list_variants(
    tree: tuple[int, int], sizes: tuple[int, int]
) -> None:
    size, index = tree
    old, new = sizes
    assert root_from_subtrees(size, subtree) == root_hash(ENTRIES[:size])
    proof = inclusion_proof(ENTRIES[:size], index)
    assert inclusion_proof_from_subtrees(size, index, subtree) == proof
    assert verify_inclusion(LEAVES[index], index, size, proof, root(size))
    proof = consistency_proof(ENTRIES[:new], old)
    assert consistency_proof_from_subtrees(old, new, subtree) == proof
    assert verify_consistency(old, new, root(old), root(new), proof)


def test_the_edge_consistency_proofs_are_empty_and_need_matching_roots() -> None:
    assert consistency_proof(ENTRIES[:5], 0) == []
    assert consistency_proof(ENTRIES[:5], 5) == []
    assert nodes_for_consistency(0, 5) == nodes_for_consistency(5, 5) == []
    assert verify_consistency(0, 5, EMPTY_ROOT, root(5), [])
    assert verify_consistency(0, 0, EMPTY_ROOT, EMPTY_ROOT, [])
    assert verify_consistency(5, 5, root(5), root(5), [])
    assert not verify_consistency(0, 5, root(1), root(5), [])  # size 0 has only one root
    assert not verify_consistency(0, 0, root(1), root(1), [])
    assert not verify_consistency(5, 5, root(5), root(4), [])
    assert not verify_consistency(5, 5, root(5), root(5), [root(5)])
    assert not verify_consistency(0, 5, EMPTY_ROOT, root(5), [root(5)])
    assert not verify_consistency(4, 5, root(4), root(5), [])


# --- tampering is detected ----------------------------------------------------------------


def assert_inclusion_tampering_fails(size: int, index: int) -> None:
    proof = inclusion_proof_from_subtrees(size, index, subtree)
    for what, bad in corruptions(proof, [SOME_HASH, root(size), LEAVES[index]]):
        assert not verify_inclusion(LEAVES[index], index, size, bad, root(size)), what
    for other in range(size):
        if other != index:
            assert not verify_inclusion(LEAVES[index], other, size, proof, root(size))
            assert not verify_inclusion(LEAVES[other], index, size, proof, root(size))
    assert not verify_inclusion(LEAVES[index], index, size, proof, SOME_HASH)
    assert not verify_inclusion(LEAVES[index], index, size, proof, flip(root(size), 3))


def assert_consistency_tampering_fails(old: int, new: int) -> None:
    proof = consistency_proof_from_subtrees(old, new, subtree)
    old_root, new_root = root(old), root(new)
    for what, bad in corruptions(proof, [SOME_HASH, old_root, new_root]):
        assert not verify_consistency(old, new, old_root, new_root, bad), what
    assert not verify_consistency(old, new, old_root, new_root, [])
    assert not verify_consistency(old, new, new_root, old_root, proof)
    assert not verify_consistency(old, new, SOME_HASH, new_root, proof)
    assert not verify_consistency(old, new, old_root, SOME_HASH, proof)
    assert not verify_consistency(old, new, flip(old_root, 9), new_root, proof)
    assert not verify_consistency(old, new, old_root, flip(new_root, 9), proof)


@pytest.mark.parametrize("size", range(1, 24))
def test_it_rejects_every_tampered_inclusion_proof_of_a_small_tree(size: int) -> None:
    for index in range(size):
        assert_inclusion_tampering_fails(size, index)


@pytest.mark.parametrize("new", range(2, 24))
def test_it_rejects_every_tampered_consistency_proof_of_a_small_tree(new: int) -> None:
    for old in range(1, new):
        assert_consistency_tampering_fails(old, new)


@settings(max_examples=150, deadline=None)
@given(size_and_index(), st.data())
def test_it_rejects_an_inclusion_proof_with_any_single_bit_flipped(
    tree: tuple[int, int], data: st.DataObject
) -> None:
    size, index = tree
    proof = inclusion_proof(ENTRIES[:size], index)
    if not proof:
        return
    i = data.draw(st.integers(0, len(proof) - 1))
    bit = data.draw(st.integers(0, 255))
    proof[i] = flip(proof[i], bit)
    assert not verify_inclusion(LEAVES[index], index, size, proof, root(size))


@settings(max_examples=60, deadline=None)
@given(size_and_index())
def test_it_rejects_an_inclusion_proof_that_was_shortened_lengthened_or_reordered(
    tree: tuple[int, int],
) -> None:
    size, index = tree
    proof = inclusion_proof(ENTRIES[:size], index)
    for what, bad in corruptions(proof, [SOME_HASH, root(size)]):
        if what.startswith("bit"):
            continue
        assert not verify_inclusion(LEAVES[index], index, size, bad, root(size)), what


@settings(max_examples=100, deadline=None)
@given(size_and_index(), st.data())
def test_it_rejects_an_inclusion_proof_for_another_index_or_tree(
    tree: tuple[int, int], data: st.DataObject
) -> None:
    """The root, not the size, is what a proof is checked against: a size paired with
    the root of another size is no genuine tree head, so "wrong size" means the real
    root of that other size."""
    size, index = tree
    proof = inclusion_proof(ENTRIES[:size], index)
    other_index = data.draw(st.integers(0, size - 1).filter(lambda i: i != index), "index")
    other_size = data.draw(st.integers(index + 1, MAX_SIZE).filter(lambda n: n != size), "size")
    if size > 1:
        assert not verify_inclusion(LEAVES[index], other_index, size, proof, root(size))
        assert not verify_inclusion(LEAVES[other_index], index, size, proof, root(size))
    assert not verify_inclusion(LEAVES[index], index, other_size, proof, root(other_size))


@settings(max_examples=150, deadline=None)
@given(old_and_new_size(proper=True), st.data())
def test_it_rejects_a_consistency_proof_with_any_single_bit_flipped(
    sizes: tuple[int, int], data: st.DataObject
) -> None:
    old, new = sizes
    proof = consistency_proof(ENTRIES[:new], old)
    i = data.draw(st.integers(0, len(proof) - 1))
    proof[i] = flip(proof[i], data.draw(st.integers(0, 255)))
    assert not verify_consistency(old, new, root(old), root(new), proof)


@settings(max_examples=60, deadline=None)
@given(old_and_new_size(proper=True))
def test_it_rejects_a_consistency_proof_that_was_shortened_lengthened_or_reordered(
    sizes: tuple[int, int],
) -> None:
    old, new = sizes
    proof = consistency_proof(ENTRIES[:new], old)
    for what, bad in corruptions(proof, [SOME_HASH, root(old), root(new)]):
        if what.startswith("bit"):
            continue
        assert not verify_consistency(old, new, root(old), root(new), bad), what


@settings(max_examples=100, deadline=None)
@given(old_and_new_size(proper=True), st.data())
def test_it_rejects_a_consistency_proof_for_other_sizes_or_roots(
    sizes: tuple[int, int], data: st.DataObject
) -> None:
    old, new = sizes
    proof = consistency_proof(ENTRIES[:new], old)
    old2 = data.draw(st.integers(1, new).filter(lambda m: m != old), "old size")
    new2 = data.draw(st.integers(old, MAX_SIZE).filter(lambda n: n != new), "new size")
    assert not verify_consistency(old2, new, root(old2), root(new), proof)
    assert not verify_consistency(old, new2, root(old), root(new2), proof)
    assert not verify_consistency(old, new, root(old - 1), root(new), proof)
    assert not verify_consistency(old, new, root(old), root(new - 1), proof)


# --- bad arguments raise ------------------------------------------------------------------

BAD_CALLS: list[tuple[str, Callable[[], object]]] = [
    ("index past the end", lambda: inclusion_proof(ENTRIES[:3], 3)),
    ("index into an empty tree", lambda: inclusion_proof([], 0)),
    ("negative index", lambda: inclusion_proof(ENTRIES[:3], -1)),
    ("old size past the end", lambda: consistency_proof(ENTRIES[:3], 4)),
    ("negative old size", lambda: consistency_proof(ENTRIES[:3], -1)),
    ("verify index past the end", lambda: verify_inclusion(LEAVES[0], 1, 1, [], root(1))),
    ("verify in an empty tree", lambda: verify_inclusion(LEAVES[0], 0, 0, [], EMPTY_ROOT)),
    ("verify negative index", lambda: verify_inclusion(LEAVES[0], -1, 2, [], root(2))),
    ("short leaf hash", lambda: verify_inclusion(LEAVES[0][:31], 0, 1, [], root(1))),
    ("long root", lambda: verify_inclusion(LEAVES[0], 0, 1, [], root(1) + b"\0")),
    ("short proof element", lambda: verify_inclusion(LEAVES[0], 0, 2, [b"x"], root(2))),
    ("leaf as text", lambda: verify_inclusion(LEAVES[0].hex(), 0, 1, [], root(1))),  # type: ignore[arg-type]
    ("old size above new", lambda: verify_consistency(3, 2, root(3), root(2), [])),
    ("negative sizes", lambda: verify_consistency(-1, 2, root(1), root(2), [])),
    ("short old root", lambda: verify_consistency(1, 2, b"", root(2), [LEAVES[1]])),
    ("short consistency element", lambda: verify_consistency(1, 2, root(1), root(2), [b""])),
    ("node of a short hash", lambda: node_hash(b"short", LEAVES[0])),
    ("float size", lambda: nodes_for_root(2.0)),  # type: ignore[arg-type]
    ("boolean size", lambda: nodes_for_root(True)),
    ("nodes past the end", lambda: nodes_for_inclusion(4, 4)),
    ("nodes old size above new", lambda: nodes_for_consistency(5, 4)),
    ("provider index past the end", lambda: inclusion_proof_from_subtrees(4, 4, subtree)),
    ("provider old above new", lambda: consistency_proof_from_subtrees(5, 4, subtree)),
    ("provider negative size", lambda: root_from_subtrees(-1, subtree)),
    ("provider returns garbage", lambda: root_from_subtrees(3, lambda level, i: b"garbage")),
    ("frontier of the wrong length", lambda: TreeBuilder(3, [LEAVES[0]])),
    ("frontier of short hashes", lambda: TreeBuilder(1, [b"short"])),
    ("appending a short hash", lambda: TreeBuilder().append(b"short")),
]


@pytest.mark.parametrize(("what", "call"), BAD_CALLS, ids=[w for w, _ in BAD_CALLS])
def test_it_raises_value_error_on_bad_arguments(what: str, call: Callable[[], object]) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - every case is a plain ValueError
        call()


def test_it_refuses_entries_that_are_not_bytes() -> None:
    with pytest.raises(TypeError):
        leaf_hash("text")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        leaf_hash(5)  # type: ignore[arg-type]


def test_it_accepts_hashes_as_memoryview_as_databases_return_them() -> None:
    proof = [memoryview(p) for p in inclusion_proof(ENTRIES[:5], 2)]
    assert verify_inclusion(memoryview(LEAVES[2]), 2, 5, proof, memoryview(root(5)))
    assert root_from_subtrees(5, lambda level, i: memoryview(subtree(level, i))) == root(5)


# --- the provider asks for few nodes, exactly those it lists ------------------------------


def bound(size: int) -> int:
    return 2 * math.ceil(math.log2(size)) if size > 1 else 0


@pytest.mark.parametrize("size", range(1, 200))
def test_each_provider_call_reads_exactly_the_nodes_it_lists_and_few_of_them(size: int) -> None:
    counter = CountingProvider()
    root_from_subtrees(size, counter)
    assert counter.calls == nodes_for_root(size)
    assert len(counter.calls) == size.bit_count()
    for index in range(size):
        counter = CountingProvider()
        inclusion_proof_from_subtrees(size, index, counter)
        assert counter.calls == nodes_for_inclusion(size, index)
        assert len(counter.calls) <= bound(size)
    for old in range(size + 1):
        counter = CountingProvider()
        consistency_proof_from_subtrees(old, size, counter)
        assert counter.calls == nodes_for_consistency(old, size)
        assert len(counter.calls) <= bound(size)


@cache
def uniform_subtree(level: int, index: int) -> bytes:
    """A consistent provider for huge trees whose leaves all hash alike."""
    if level == 0:
        return leaf_hash(b"same")
    half = uniform_subtree(level - 1, 0)
    return node_hash(half, half)


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 2**48), st.data())
def test_huge_trees_need_only_logarithmically_many_nodes(size: int, data: st.DataObject) -> None:
    index = data.draw(st.integers(0, size - 1), "index")
    old = data.draw(st.integers(0, size), "old size")
    assert len(nodes_for_root(size)) <= math.log2(size) + 1
    assert len(nodes_for_inclusion(size, index)) <= bound(size)
    assert len(nodes_for_consistency(old, size)) <= bound(size)
    tree_root = root_from_subtrees(size, uniform_subtree)
    proof = inclusion_proof_from_subtrees(size, index, uniform_subtree)
    assert verify_inclusion(uniform_subtree(0, 0), index, size, proof, tree_root)
    proof = consistency_proof_from_subtrees(old, size, uniform_subtree)
    old_root = root_from_subtrees(old, uniform_subtree)
    assert verify_consistency(old, size, old_root, tree_root, proof)


def test_a_million_entry_log_answers_from_a_handful_of_nodes() -> None:
    size = 1_000_000
    assert len(nodes_for_root(size)) == 7
    assert max(len(nodes_for_inclusion(size, i)) for i in (0, 1, 524_287, 999_998, 999_999)) <= 40
    assert len(nodes_for_consistency(999_999, size)) <= 40
    assert all((index + 1) << level <= size for level, index in nodes_for_inclusion(size, 777))


# --- incremental building -----------------------------------------------------------------


def build(size: int) -> dict[tuple[int, int], bytes]:
    builder = TreeBuilder()
    nodes = {}
    for level, index, h in builder.extend(LEAVES[:size]):
        assert (level, index) not in nodes
        nodes[(level, index)] = h
    assert builder.size == size
    assert builder.root() == root(size)
    return nodes


@pytest.mark.parametrize("size", [0, 1, 2, 3, 7, 8, 9, 100, 255, 256, 257, MAX_SIZE])
def test_the_builder_stores_every_complete_subtree_and_nothing_else(size: int) -> None:
    nodes = build(size)
    expected = {(lvl, i) for lvl in range(size.bit_length()) for i in range(size >> lvl)}
    assert set(nodes) == expected
    assert all(h == subtree(level, index) for (level, index), h in nodes.items())


@settings(max_examples=100, deadline=None)
@given(old_and_new_size())
def test_a_builder_resumed_from_its_frontier_continues_identically(sizes: tuple[int, int]) -> None:
    old, new = sizes
    frontier = [subtree(level, index) for level, index in nodes_for_root(old)]
    resumed = TreeBuilder(old, frontier)
    assert resumed.root() == root(old)
    assert resumed.frontier == tuple(frontier)
    added = resumed.extend(LEAVES[old:new])
    assert resumed.root() == root(new)
    assert {(lvl, i) for lvl, i, _ in added} == set(build(new)) - set(build(old))
    from_provider = TreeBuilder.from_subtrees(old, subtree)
    from_provider.extend(LEAVES[old:new])
    assert from_provider.frontier == resumed.frontier


@settings(max_examples=50, deadline=None)
@given(old_and_new_size())
def test_proofs_from_builder_nodes_match_the_list_functions(sizes: tuple[int, int]) -> None:
    old, new = sizes
    nodes = build(new)

    def lookup(level: int, index: int) -> bytes:
        return nodes[(level, index)]

    assert root_from_subtrees(new, lookup) == root(new)
    assert consistency_proof_from_subtrees(old, new, lookup) == consistency_proof(
        ENTRIES[:new], old
    )
    if new:
        index = new // 3
        assert inclusion_proof_from_subtrees(new, index, lookup) == inclusion_proof(
            ENTRIES[:new], index
        )
