"""Ledger endpoints under /api/v1/ledger/.

Public, no token (``auth=None``): the latest checkpoint and any earlier one (signed
notes, ``text/plain``), the list of checkpoints, the verifier key, inclusion and
consistency proofs — hashes in base64, never entry contents.

With a token of an ``oversight`` or ``admin`` user: the entries themselves, filtered
like the staff browser. Anyone else gets 404, recorded as a refusal.
"""

from datetime import date, datetime
from typing import Annotated

from django.http import HttpRequest, HttpResponse
from ninja import Field, Path, Query, Schema

from liaison.core.api import MAX_INT, Input, PlainText, Router
from liaison.core.errors import NotFound
from liaison.ledger import selectors, signing
from liaison.ledger.models import Checkpoint, Entry
from liaison.ledger.services import access_record

router = Router(app="ledger")
TEXT = "text/plain; charset=utf-8"
Size = Annotated[int, Path(ge=0, le=MAX_INT, description="Tree size.")]
SizeQuery = Annotated[int | None, Query(ge=0, le=MAX_INT, description="Tree size.")]


class CheckpointOut(Schema):
    size: int = Field(description="Entries covered.")
    root_hash: str = Field(description="Merkle root, base64.")
    issued_at: datetime
    note: str = Field(description="The signed note (C2SP tlog-checkpoint, signed-note).")

    @staticmethod
    def resolve_root_hash(obj: Checkpoint) -> str:
        return selectors.b64(obj.root_hash)


class InclusionOut(Schema):
    seq: int
    tree_size: int
    leaf_hash: str = Field(description="RFC 9162 leaf hash of the entry, base64.")
    root_hash: str = Field(description="Root of the tree of tree_size entries, base64.")
    proof: list[str] = Field(description="Audit path, leaf to root, base64.")
    checkpoint: str | None = Field(description="The checkpoint proved against, when one.")


class ConsistencyOut(Schema):
    old_size: int
    new_size: int
    old_root: str
    new_root: str
    proof: list[str] = Field(description="RFC 9162 consistency proof, base64.")


class EntryOut(Schema):
    seq: int
    recorded_at: datetime
    kind: str
    actor_id: int | None
    agency_id: int | None
    action: str
    object_type: str
    object_id: str
    reason: str = Field(
        description="The reason given: empty when none, '(redacted)' once redacted."
    )
    reason_redacted: bool = Field(description="Whether a privacy officer redacted the reason.")
    leaf_version: int = Field(description="Leaf format (1: reason in the leaf; 2: its hash).")
    reason_hash: str = Field(description="Version 2: hex SHA-256 of salt ‖ text; else empty.")
    change_hash: str

    @staticmethod
    def resolve_reason(obj: Entry) -> str:
        return obj.reason_text


class EntryFilterIn(Input):
    actor_id: int | None = None
    agency_id: int | None = None
    action: str = Field("", description="Action starts with.")
    object_type: str = ""
    object_id: str = ""
    kind: str = ""
    since: date | None = None
    until: date | None = None


@router.get(
    "/checkpoint",
    auth=None,
    response=PlainText,
    summary="The latest signed checkpoint (text/plain)",
)
def checkpoint_latest(request: HttpRequest) -> HttpResponse:
    latest = selectors.checkpoint_latest()
    if latest is None:
        raise NotFound("No checkpoint has been issued yet.")
    return HttpResponse(latest.note, content_type=TEXT)


@router.get(
    "/checkpoints/{size}",
    auth=None,
    response=PlainText,
    summary="The checkpoint at a size (text/plain)",
)
def checkpoint_at(request: HttpRequest, size: Size) -> HttpResponse:
    row = selectors.checkpoint_at(size)
    if row is None:
        raise NotFound("No checkpoint at that size.")
    return HttpResponse(row.note, content_type=TEXT)


@router.get(
    "/checkpoints",
    auth=None,
    response=list[CheckpointOut],
    summary="Every checkpoint, newest first",
)
def checkpoint_list(request: HttpRequest) -> object:
    return selectors.checkpoint_list()


@router.get(
    "/key", auth=None, response=PlainText, summary="The verifier key of checkpoints (text/plain)"
)
def verifier_key(request: HttpRequest) -> HttpResponse:
    return HttpResponse(signing.verifier_key() + "\n", content_type=TEXT)


@router.get(
    "/proof/inclusion",
    auth=None,
    response=InclusionOut,
    summary="Inclusion proof of an entry (against the latest checkpoint, or a given size)",
)
def proof_inclusion(
    request: HttpRequest, seq: Annotated[int, Query(ge=0, le=MAX_INT)], size: SizeQuery = None
) -> dict[str, object]:
    return selectors.inclusion_for(seq=seq, size=size).as_dict()


@router.get(
    "/proof/consistency",
    auth=None,
    response=ConsistencyOut,
    summary="Consistency proof between two tree sizes",
)
def proof_consistency(
    request: HttpRequest,
    old_size: Annotated[int, Query(ge=0, le=MAX_INT)],
    new_size: Annotated[int, Query(ge=0, le=MAX_INT)],
) -> dict[str, object]:
    return selectors.consistency_for(old_size=old_size, new_size=new_size).as_dict()


@router.get("/entries", response=list[EntryOut], summary="Entries (oversight and admin)")
def entry_list(request: HttpRequest, filters: Query[EntryFilterIn]) -> object:
    return selectors.entry_list_for_user(
        user=request.auth,  # type: ignore[attr-defined]
        filters=selectors.EntryFilter(**filters.dict()),
    )


@router.get("/entries/{seq}", response=EntryOut, summary="One entry (oversight and admin)")
def entry_detail(request: HttpRequest, seq: Annotated[int, Path(ge=0, le=MAX_INT)]) -> Entry:
    user = request.auth  # type: ignore[attr-defined]
    entry = selectors.entry_get_for_user(user=user, seq=seq)
    access_record(actor=user, obj=entry, action="ledger.entry.read")
    return entry
