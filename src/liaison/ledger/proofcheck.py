"""What the staff entry page checks, each step named: the leaf hash recomputed from
the row, the kept text against its hash, the inclusion proof, and the root against
the signed checkpoint (signature verified with the deployment's verifier key).

Nothing is taken on trust from the table the proof was made from: a proof checked
only against a root computed from the same stored hashes proves nothing about what
was published.
"""

from __future__ import annotations

from dataclasses import dataclass

from liaison.ledger import merkle, signing
from liaison.ledger.models import Entry, EntryText
from liaison.ledger.selectors import InclusionProof
from liaison.ledger.services import entry_leaf_data, text_commitment
from liaison.ledger.verify import LedgerTampered, open_checkpoint


@dataclass(frozen=True)
class Check:
    """One step: ``ok`` is True (passed), False (failed) or None (could not be made)."""

    name: str
    ok: bool | None
    detail: str


@dataclass(frozen=True)
class ProofReport:
    checks: list[Check]

    @property
    def ok(self) -> bool:
        """Every step made and passed, up to the signed checkpoint."""
        return all(c.ok for c in self.checks)

    @property
    def failed(self) -> list[Check]:
        return [c for c in self.checks if c.ok is False]


def _leaf(entry: Entry) -> Check:
    recomputed = merkle.leaf_hash(entry_leaf_data(entry))
    if recomputed == bytes(entry.leaf_hash):
        return Check("leaf", True, "The leaf hash recomputed from the entry's fields matches.")
    return Check(
        "leaf",
        False,
        "The leaf hash recomputed from the entry's fields does NOT match the stored one: "
        "the entry was changed after it was written.",
    )


def _text(entry: Entry) -> Check | None:
    if entry.leaf_version < 2 or not entry.reason_hash:
        return None
    try:
        kept = entry.text
    except EntryText.DoesNotExist:
        return Check("text", False, "The reason is gone from beside the ledger, unrecorded.")
    if kept.redaction_seq is not None:
        return Check(
            "text",
            True,
            f"The reason was redacted (entry #{kept.redaction_seq}); its hash stays in the leaf.",
        )
    if text_commitment(kept.text, kept.salt) == entry.reason_hash:
        return Check("text", True, "The reason matches the salted hash in the leaf.")
    return Check("text", False, "The reason does NOT match the salted hash in the leaf.")


def _inclusion(proof: InclusionProof) -> Check:
    if merkle.verify_inclusion(
        proof.leaf_hash, proof.seq, proof.tree_size, proof.proof, proof.root_hash
    ):
        return Check(
            "inclusion",
            True,
            f"The inclusion proof leads from the leaf to the root of the tree of "
            f"{proof.tree_size} entries.",
        )
    return Check("inclusion", False, "The inclusion proof does NOT lead to the tree's root.")


def _checkpoint(proof: InclusionProof) -> Check:
    if proof.checkpoint is None:
        return Check(
            "checkpoint",
            None,
            f"No checkpoint covers this entry yet: the root of the current tree of "
            f"{proof.tree_size} entries is not signed.",
        )
    try:
        signed = open_checkpoint("the latest checkpoint", proof.checkpoint, signing.verifier_key())
    except LedgerTampered as exc:
        return Check("checkpoint", False, f"{exc}.")
    if signed.size != proof.tree_size or signed.root_hash != proof.root_hash:
        return Check(
            "checkpoint",
            False,
            f"The root does NOT match the root signed by the latest checkpoint (size {signed.size}).",
        )
    return Check(
        "checkpoint",
        True,
        f"The root is the one signed by the latest checkpoint (size {signed.size}); "
        "its signature verifies with this deployment's key.",
    )


def check_entry_proof(entry: Entry, proof: InclusionProof | None) -> ProofReport:
    """Check ``entry`` and its inclusion ``proof`` step by step."""
    checks = [_leaf(entry)]
    text = _text(entry)
    if text is not None:
        checks.append(text)
    if proof is None:
        checks.append(Check("inclusion", None, "No inclusion proof could be made."))
        return ProofReport(checks)
    if proof.leaf_hash != bytes(entry.leaf_hash):
        checks.append(
            Check("inclusion", False, "The tree holds a different leaf hash at this position.")
        )
    else:
        checks.append(_inclusion(proof))
    checks.append(_checkpoint(proof))
    return ProofReport(checks)
