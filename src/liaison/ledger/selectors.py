"""Reading the ledger.

* Entry contents are for ``oversight`` and ``admin`` only (:func:`entry_list_for_user`,
  :func:`entry_get_for_user`); anyone else gets ``NotFound`` (recorded as a refusal).
* :func:`history_for` gives the entries about one record, for that record's own
  page — whose access selector has already decided the user may see it.
* Checkpoints, the verifier key and proofs are public (:func:`inclusion_for`,
  :func:`consistency_for`): hashes only, never entry contents.

Proof selectors may integrate new entries into the stored tree first (a write of
derived hashes only; see :func:`liaison.ledger.tree.ensure_integrated`).
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q, QuerySet
from django.utils import timezone

from liaison.core.errors import NotFound, ServiceError
from liaison.core.roles import READ_ALL_ROLES, Role
from liaison.ledger import merkle, tree
from liaison.ledger.denials import NotFoundForbidden
from liaison.ledger.error_codes import LedgerErrorCode
from liaison.ledger.models import Checkpoint, Entry, EntryKind, EntryRecord, EntryText

AGENCY_MODEL = "directory.Agency"


def b64(raw: bytes | memoryview) -> str:
    return base64.b64encode(bytes(raw)).decode("ascii")


def _active_in(user: Any, roles: frozenset[Role]) -> bool:
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and getattr(user, "role", None) in roles
    )


def can_browse(user: Any) -> bool:
    """Whether ``user`` may read entry contents: the ``oversight`` and ``admin`` roles."""
    return _active_in(user, READ_ALL_ROLES)


@dataclass(frozen=True)
class EntryFilter:
    """What the ledger browser can filter on; empty fields do not filter."""

    actor_id: int | None = None
    agency_id: int | None = None
    action: str = ""
    object_type: str = ""
    object_id: str = ""
    kind: str = ""
    since: date | None = None
    until: date | None = None


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def entry_list_for_user(*, user: Any, filters: EntryFilter | None = None) -> QuerySet[Entry]:
    """Entries matching ``filters``, newest first; ``NotFound`` unless oversight or admin."""
    if not can_browse(user):
        raise NotFoundForbidden(object_type="ledger.entry", object_id="list")
    f = filters or EntryFilter()
    qs = Entry.objects.select_related("text").defer("leaf_hash", "salt").order_by("-seq")
    if f.actor_id is not None:
        qs = qs.filter(actor_id=f.actor_id)
    if f.agency_id is not None:
        qs = qs.filter(agency_id=f.agency_id)
    if f.action:
        qs = qs.filter(action__startswith=f.action)
    if f.object_type:
        qs = qs.filter(object_type=f.object_type)
    if f.object_id:
        qs = qs.filter(object_id=f.object_id)
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.since:
        qs = qs.filter(recorded_at__gte=_start_of(f.since))
    if f.until:
        qs = qs.filter(recorded_at__lt=_start_of(f.until + timedelta(days=1)))
    return qs


def entry_get_for_user(*, user: Any, seq: int) -> Entry:
    """Entry ``seq``; ``NotFound`` if there is none or the user may not read entries."""
    if not can_browse(user):
        raise NotFoundForbidden(object_type="ledger.entry", object_id=seq)
    entry = Entry.objects.select_related("text").filter(seq=seq).first()
    if entry is None:
        raise NotFound()
    return entry


def can_redact(user: Any) -> bool:
    """Whether ``user`` may read and redact the free text kept beside the ledger."""
    return _active_in(user, frozenset({Role.PRIVACY_OFFICER}))


def text_list_for_user(*, user: Any, q: str = "") -> QuerySet[EntryText]:
    """Kept (not yet redacted) free texts, newest first, for the privacy officer;
    ``NotFound`` for anyone else. ``q``: every word must appear in the text."""
    if not can_redact(user):
        raise NotFoundForbidden(object_type="ledger.entrytext", object_id="list")
    qs = EntryText.objects.filter(redaction_seq__isnull=True).select_related("entry")
    for word in q.split()[:8]:
        qs = qs.filter(text__icontains=word)
    return qs.order_by("-entry_id")


def text_get_for_user(*, user: Any, seq: int) -> EntryText:
    """The free text of entry ``seq`` (redacted or not) for the privacy officer."""
    if not can_redact(user):
        raise NotFoundForbidden(object_type="ledger.entrytext", object_id=seq)
    kept = EntryText.objects.select_related("entry").filter(entry_id=seq).first()
    if kept is None:
        raise NotFound()
    return kept


@dataclass
class Names:
    """Display names of the actors and agencies of some entries, read in two queries."""

    users: dict[int, str] = field(default_factory=dict)
    agencies: dict[int, str] = field(default_factory=dict)

    def user(self, pk: int | None) -> str:
        if pk is None:
            return "System or public"
        return self.users.get(pk, f"user #{pk}")

    def agency(self, pk: int | None) -> str:
        if pk is None:
            return "—"
        return self.agencies.get(pk, f"agency #{pk}")


def names_for(entries: list[Entry]) -> Names:
    """Actor and agency names for ``entries``. The ledger keeps ids only (and imports no
    domain app): names are looked up through the app registry."""
    names = Names()
    user_ids = {e.actor_id for e in entries if e.actor_id is not None}
    agency_ids = {e.agency_id for e in entries if e.agency_id is not None}
    if user_ids:
        for pk, username in (
            get_user_model().objects.filter(pk__in=user_ids).values_list("pk", "username")
        ):
            names.users[pk] = username
    agency_model = _agency_model()
    if agency_ids and agency_model is not None:
        for pk, name in agency_model.objects.filter(pk__in=agency_ids).values_list("pk", "name"):
            names.agencies[pk] = name
    return names


def _agency_model() -> Any:
    try:
        return apps.get_model(AGENCY_MODEL)
    except LookupError:
        return None


def agency_choices() -> list[tuple[int, str]]:
    model = _agency_model()
    if model is None:
        return []
    return list(model.objects.order_by("name").values_list("pk", "name"))


def user_id_for(username: str) -> int | None:
    return get_user_model().objects.filter(username=username).values_list("pk", flat=True).first()


@dataclass(frozen=True)
class RecordLink:
    """The record an entry is about, as a page links to it."""

    label: str
    url: str


@dataclass
class HistoryRow:
    entry: Entry
    actor: str
    agency: str
    record: RecordLink | None = None


def record_links(entries: list[Entry], *, viewer: Any) -> dict[tuple[str, str], RecordLink]:
    """Links to the records ``entries`` are about, for a ``viewer`` who may see them.

    Only oversight and admin (who may open every record) get links, and of a model
    declaring ``LEDGER_LINK_ROLES`` only those roles; one query per type of record on
    the page. The ledger imports no domain app: models come from the app registry and
    link by their ``get_absolute_url``. Records gone, of no model, or without a page
    get no link.
    """
    if not can_browse(viewer):
        return {}
    wanted: dict[str, set[str]] = {}
    for e in entries:
        wanted.setdefault(e.object_type, set()).add(e.object_id)
    links: dict[tuple[str, str], RecordLink] = {}
    for object_type, ids in wanted.items():
        try:
            model = apps.get_model(object_type)
        except (LookupError, ValueError):
            continue
        if not hasattr(model, "get_absolute_url") or model._meta.pk is None:
            continue
        if getattr(viewer, "role", None) not in getattr(model, "LEDGER_LINK_ROLES", READ_ALL_ROLES):
            continue  # a page only some of oversight and admin may open
        pks = []
        for raw in ids:
            try:
                pks.append(model._meta.pk.to_python(raw))
            except ValidationError:
                continue
        name = str(model._meta.verbose_name).capitalize()
        # select_related(): a record's label (its __str__) names the records it points
        # at (a designation's person and agencies); fetched in the same query.
        for obj in model._default_manager.filter(pk__in=pks).select_related():
            links[object_type, str(obj.pk)] = RecordLink(f"{name}: {obj}", obj.get_absolute_url())
    return links


def rows_for(entries: list[Entry], *, viewer: Any) -> list[HistoryRow]:
    """Entries with their actor and agency names and a link to their record (batched)."""
    names = names_for(entries)
    links = record_links(entries, viewer=viewer)
    return [
        HistoryRow(
            e,
            names.user(e.actor_id),
            names.agency(e.agency_id),
            links.get((e.object_type, e.object_id)),
        )
        for e in entries
    ]


READS_ROLES = frozenset({Role.PRIVACY_OFFICER, *READ_ALL_ROLES})
"""Who may see who read a record: reads are themselves private (who looked at whom)."""


def can_see_reads(user: Any) -> bool:
    """Whether ``user`` may see the access entries (reads) of a record: the privacy
    officer, oversight and admin — not everyone who may open the record."""
    return _active_in(user, READS_ROLES)


PERSON_TYPE = "directory.person"


@dataclass(frozen=True)
class AccessFilter:
    """What the access log filters on; empty fields do not filter."""

    reader_id: int | None = None
    agency_id: int | None = None
    person_id: str = ""
    record_type: str = ""
    record_id: str = ""
    since: date | None = None
    until: date | None = None


def _about(record_type: str, record_id: str) -> Q:
    """Access entries about one record: read alone, or among the records of a list."""
    listed = EntryRecord.objects.filter(object_id=record_id, entry__object_type=record_type).values(
        "entry_id"
    )
    return Q(object_type=record_type, object_id=record_id) | Q(
        object_type=record_type, seq__in=listed
    )


def access_log_for_user(*, user: Any, filters: AccessFilter | None = None) -> QuerySet[Entry]:
    """Reads of not-public data (``access`` entries), newest first, for the privacy
    officer, oversight and admin; ``NotFound`` for anyone else.

    ``person_id`` (a person's id) and ``record_type``/``record_id`` also find the
    lists and exports that returned the record (their ``EntryRecord`` rows).
    """
    if not can_see_reads(user):
        raise NotFoundForbidden(object_type="ledger.entry", object_id="access-log")
    f = filters or AccessFilter()
    qs = (
        Entry.objects.filter(kind=EntryKind.ACCESS)
        .select_related("text")
        .defer("leaf_hash", "salt")
        .order_by("-seq")
    )
    if f.reader_id is not None:
        qs = qs.filter(actor_id=f.reader_id)
    if f.agency_id is not None:
        qs = qs.filter(agency_id=f.agency_id)
    if f.person_id:
        qs = qs.filter(_about(PERSON_TYPE, f.person_id))
    if f.record_type and f.record_id:
        qs = qs.filter(_about(f.record_type, f.record_id))
    elif f.record_type:
        qs = qs.filter(object_type=f.record_type)
    elif f.record_id:
        qs = qs.filter(object_id=f.record_id)
    if f.since:
        qs = qs.filter(recorded_at__gte=_start_of(f.since))
    if f.until:
        qs = qs.filter(recorded_at__lt=_start_of(f.until + timedelta(days=1)))
    return qs


def listed_records(entries: list[Entry]) -> dict[int, list[str]]:
    """The ids each list or export among ``entries`` returned, in order (one query)."""
    found: dict[int, list[str]] = {}
    seqs = [e.seq for e in entries if e.object_id in ("list", "export")]
    if not seqs:
        return found
    for seq, oid in (
        EntryRecord.objects.filter(entry_id__in=seqs)
        .order_by("entry_id", "id")
        .values_list("entry_id", "object_id")
    ):
        found.setdefault(seq, []).append(oid)
    return found


def history_for(
    obj: models.Model,
    *,
    viewer: Any = None,
    parts: Sequence[QuerySet[Any]] = (),
    limit: int = 50,
) -> list[HistoryRow]:
    """The latest ``limit`` entries about ``obj`` (and the records of ``parts``: e.g. an
    agreement's amendments), newest first, with names: every record page shows it
    with ``ledger/_history.html``.

    Show it only on ``obj``'s own page, after that page's access selector let the
    user see ``obj``: the rows carry actions, actors and reasons, not the change.
    Reads (``access`` entries) are left out unless ``viewer`` may see them
    (:func:`can_see_reads`).
    """
    records = Q(object_type=obj._meta.label_lower, object_id=str(obj.pk))
    for part in parts:
        ids = [str(pk) for pk in part.values_list("pk", flat=True)]
        if ids:
            records |= Q(object_type=part.model._meta.label_lower, object_id__in=ids)
    about = Entry.objects.filter(records)
    if not can_see_reads(viewer):
        about = about.exclude(kind=EntryKind.ACCESS)
    entries = list(about.select_related("text").defer("leaf_hash", "salt").order_by("-seq")[:limit])
    names = names_for(entries)
    return [HistoryRow(e, names.user(e.actor_id), names.agency(e.agency_id)) for e in entries]


# --- public: checkpoints and proofs -----------------------------------------------------


def checkpoint_latest() -> Checkpoint | None:
    return Checkpoint.objects.order_by("-size").first()


@dataclass(frozen=True)
class CheckpointStatus:
    """The latest signed checkpoint and what a quick check of it found.

    ``signature_ok``: its note verifies with this deployment's key and states its size and
    root; ``root_ok``: the stored tree's root at that size is the signed root. (The full
    check of every entry is ``liaison ledger verify``.)
    """

    checkpoint: Checkpoint | None
    entries: int
    signature_ok: bool = False
    root_ok: bool = False

    @property
    def verified(self) -> bool:
        return self.checkpoint is not None and self.signature_ok and self.root_ok

    @property
    def since(self) -> int:
        """Entries appended after the checkpoint (not yet signed)."""
        return self.entries - (self.checkpoint.size if self.checkpoint else 0)


def checkpoint_status() -> CheckpointStatus:
    """The latest checkpoint, its signature and its root against the stored tree, in a
    fixed number of queries whatever the ledger's size."""
    from liaison.ledger import checkpoint as notes
    from liaison.ledger import signing

    latest = checkpoint_latest()
    entries = tree.appended_size()
    if latest is None:
        return CheckpointStatus(checkpoint=None, entries=entries)
    root = bytes(latest.root_hash)
    try:
        signed = notes.parse_checkpoint(
            notes.open_note(latest.note, signing.verifier_key(create=False))
        )
        signature_ok = signed.size == latest.size and signed.root_hash == root
    except (ValueError, signing.NoSignerKey):
        signature_ok = False
    try:
        root_ok = tree.root_at(latest.size) == root
    except (LookupError, ValueError):
        root_ok = False
    return CheckpointStatus(
        checkpoint=latest, entries=entries, signature_ok=signature_ok, root_ok=root_ok
    )


def checkpoint_at(size: int) -> Checkpoint | None:
    """The checkpoint issued when the ledger held ``size`` entries, if one was."""
    return Checkpoint.objects.filter(size=size).first()


def checkpoint_list() -> QuerySet[Checkpoint]:
    return Checkpoint.objects.order_by("-size")


@dataclass
class InclusionProof:
    seq: int
    tree_size: int
    leaf_hash: bytes
    root_hash: bytes
    proof: list[bytes]
    checkpoint: str | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "tree_size": self.tree_size,
            "leaf_hash": b64(self.leaf_hash),
            "root_hash": b64(self.root_hash),
            "proof": [b64(h) for h in self.proof],
            "checkpoint": self.checkpoint,
        }


@dataclass
class ConsistencyProof:
    old_size: int
    new_size: int
    old_root: bytes
    new_root: bytes
    proof: list[bytes]

    def as_dict(self) -> dict[str, Any]:
        return {
            "old_size": self.old_size,
            "new_size": self.new_size,
            "old_root": b64(self.old_root),
            "new_root": b64(self.new_root),
            "proof": [b64(h) for h in self.proof],
        }


def _check_size(size: int, what: str) -> int:
    appended = tree.appended_size()
    if size < 0 or size > appended:
        raise ServiceError(
            f"The ledger has {appended} entries.",
            code=LedgerErrorCode.BAD_SIZE,
            fields={what: [f"Give a size from 0 to {appended}."]},
        )
    return size


def inclusion_for(*, seq: int, size: int | None = None) -> InclusionProof:
    """Proof that entry ``seq`` is in the tree of ``size`` entries — by default the
    latest checkpoint's, whose signed note is then included."""
    note = None
    if size is None:
        latest = checkpoint_latest()
        if latest is None or seq >= latest.size:
            raise ServiceError(
                "No checkpoint covers this entry yet; give a tree size, or wait for the next checkpoint.",
                code=LedgerErrorCode.NOT_CHECKPOINTED,
                fields={"seq": ["Not yet covered by a checkpoint."]},
            )
        size, note = latest.size, latest.note
    _check_size(size, "size")
    if not 0 <= seq < size:
        raise ServiceError(
            "The entry is not in a tree of that size.",
            code=LedgerErrorCode.BAD_SEQ,
            fields={"seq": [f"Give an entry number from 0 to {size - 1}."]},
        )
    leaf, proof, root = tree.inclusion(seq, size)
    return InclusionProof(seq, size, leaf, root, proof, note)


def consistency_for(*, old_size: int, new_size: int) -> ConsistencyProof:
    """Proof that the tree of ``old_size`` entries is a prefix of the tree of ``new_size``."""
    _check_size(new_size, "new_size")
    if not 0 <= old_size <= new_size:
        raise ServiceError(
            "The old size must be between 0 and the new size.",
            code=LedgerErrorCode.BAD_SIZE,
            fields={"old_size": [f"Give a size from 0 to {new_size}."]},
        )
    proof, old_root, new_root = tree.consistency(old_size, new_size)
    return ConsistencyProof(old_size, new_size, old_root, new_root, proof)


def verify_inclusion(p: InclusionProof) -> bool:
    """Check a proof the way an outsider would (used by tests and the staff page)."""
    return merkle.verify_inclusion(p.leaf_hash, p.seq, p.tree_size, p.proof, p.root_hash)
