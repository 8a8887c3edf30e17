"""Staff pages: the ledger browser and entry detail (oversight and admin only), and the
privacy officer's pages: free text beside the ledger (to redact)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render

from liaison.core.csvexport import csv_response
from liaison.core.errors import ServiceError
from liaison.core.forms import run_service
from liaison.core.pagination import paginate
from liaison.ledger import selectors, tree
from liaison.ledger.forms import AccessFilterForm, EntryFilterForm, RedactForm, TextSearchForm
from liaison.ledger.models import Entry, EntryText
from liaison.ledger.proofcheck import check_entry_proof
from liaison.ledger.services import (
    access_record,
    access_record_list,
    entry_leaf_data,
    entry_text_redact,
    origin,
)

PAGE_SIZE = 50
EXPORT_CHUNK = 2_000


def _chunks(entries: QuerySet[Entry]) -> Iterator[list[Entry]]:
    """``entries`` (newest first) in keyset-paginated chunks, for a streamed export."""
    last: int | None = None
    while True:
        chunk = entries if last is None else entries.filter(seq__lt=last)
        batch = list(chunk[:EXPORT_CHUNK])
        if not batch:
            return
        yield batch
        last = batch[-1].seq


def _entry_rows_csv(entries: QuerySet[Entry], *, viewer: object) -> Iterator[list[object]]:
    """The CSV rows of ``entries`` (names and links batched per chunk)."""
    for batch in _chunks(entries):
        for row in selectors.rows_for(batch, viewer=viewer):
            e = row.entry
            yield [
                e.seq,
                e.recorded_at.astimezone(UTC).isoformat(timespec="seconds"),
                e.get_kind_display(),
                e.action,
                e.object_type,
                e.object_id,
                row.record.label if row.record else "",
                row.actor,
                row.agency,
                e.reason_text,
            ]


ENTRY_CSV_HEADER = [
    "entry",
    "recorded_at_utc",
    "kind",
    "action",
    "object_type",
    "object_id",
    "record",
    "actor",
    "acting_for",
    "reason",
]


@login_required
def entry_list(request: HttpRequest) -> HttpResponseBase:
    selectors.entry_list_for_user(user=request.user)  # refuses before any work
    form = EntryFilterForm(request.GET, agencies=selectors.agency_choices())
    filters = form.to_filter() if form.is_valid() else selectors.EntryFilter()
    found = selectors.entry_list_for_user(user=request.user, filters=filters)
    if request.GET.get("format") == "csv":
        access_record(
            actor=request.user,  # type: ignore[arg-type]
            object_type="ledger.entry",
            object_id="export",
            action="ledger.entry.export",
        )
        return csv_response(
            "ledger-entries.csv", ENTRY_CSV_HEADER, _entry_rows_csv(found, viewer=request.user)
        )
    page = paginate(request, found, PAGE_SIZE)
    rows = selectors.rows_for(list(page.object_list), viewer=request.user)
    return render(
        request,
        "ledger/entry_list.html",
        {"filter_form": form, "page": page, "rows": rows},
    )


def _proof_for(entry: Entry) -> selectors.InclusionProof | None:
    """Against the latest checkpoint when it covers the entry, else the current tree."""
    try:
        return selectors.inclusion_for(seq=entry.seq)
    except ServiceError:
        pass
    try:
        return selectors.inclusion_for(seq=entry.seq, size=tree.appended_size())
    except ServiceError:
        return None


def _entry_dict(entry: Entry) -> dict[str, object]:
    return {
        "seq": entry.seq,
        "recorded_at": entry.recorded_at.isoformat(timespec="microseconds"),
        "kind": entry.kind,
        "actor_id": entry.actor_id,
        "agency_id": entry.agency_id,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "reason": entry.reason_text,
        "reason_redacted": entry.reason_redacted,
        "leaf_version": entry.leaf_version,
        "reason_hash": entry.reason_hash,
        "change_hash": entry.change_hash,
    }


def _kept_text(entry: Entry) -> dict[str, str] | None:
    """The reason and its salt, so that the download proves the text against the leaf."""
    if entry.leaf_version < 2 or not entry.reason_hash or entry.reason_redacted:
        return None
    try:
        kept = entry.text
    except EntryText.DoesNotExist:
        return None
    return {"text": kept.text, "salt": kept.salt}


@login_required
def entry_detail(request: HttpRequest, seq: int) -> HttpResponse:
    entry = selectors.entry_get_for_user(user=request.user, seq=seq)
    access_record(actor=request.user, obj=entry, action="ledger.entry.read")  # type: ignore[arg-type]
    (row,) = selectors.rows_for([entry], viewer=request.user)
    proof = _proof_for(entry)
    return render(
        request,
        "ledger/entry_detail.html",
        {
            "entry": entry,
            "actor": row.actor,
            "agency": row.agency,
            "record": row.record,
            "leaf_hash": selectors.b64(entry.leaf_hash),
            "proof": proof,
            "proof_b64": proof.as_dict() if proof else None,
            "report": check_entry_proof(entry, proof),
        },
    )


@login_required
def entry_proof(request: HttpRequest, seq: int) -> HttpResponse:
    """The entry, its canonical leaf data and its inclusion proof, as a JSON download."""
    entry = selectors.entry_get_for_user(user=request.user, seq=seq)
    access_record(actor=request.user, obj=entry, action="ledger.entry.export")  # type: ignore[arg-type]
    proof = _proof_for(entry)
    body = {
        "origin": origin(),
        "entry": _entry_dict(entry),
        "leaf_data": entry_leaf_data(entry).decode("utf-8"),
        "reason_text": _kept_text(entry),
        "inclusion": proof.as_dict() if proof else None,
        "how_to_verify": (
            "leaf_hash = SHA-256(0x00 || UTF-8 leaf_data); check the RFC 9162 inclusion proof "
            "against root_hash, and root_hash against the signed checkpoint. For a version-2 "
            "leaf, reason_hash = SHA-256(bytes of the hex salt || UTF-8 text) of reason_text."
        ),
    }
    response = HttpResponse(
        json.dumps(body, indent=2, ensure_ascii=False), content_type="application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="ledger-entry-{seq}-proof.json"'
    return response


# --- privacy officer: free text beside the ledger ---------------------------------------


@login_required
def text_list(request: HttpRequest) -> HttpResponse:
    """Kept free texts (reasons), searchable, each with a link to redact it."""
    selectors.text_list_for_user(user=request.user)  # refuses before any work
    form = TextSearchForm(request.GET or None)
    q = form.cleaned_data.get("q", "") if form.is_valid() else ""
    page = paginate(request, selectors.text_list_for_user(user=request.user, q=q), PAGE_SIZE)
    texts = list(page.object_list)
    access_record_list(
        actor=request.user,  # type: ignore[arg-type]
        object_type="ledger.entrytext",
        object_ids=[t.entry_id for t in texts],
        action="ledger.text.list",
    )
    names = selectors.names_for([t.entry for t in texts])
    rows = [(t, names.user(t.entry.actor_id)) for t in texts]
    return render(
        request, "ledger/text_list.html", {"form": form, "page": page, "rows": rows, "q": q}
    )


@login_required
def text_redact(request: HttpRequest, seq: int) -> HttpResponse:
    """Show one free text and redact it once the privacy officer confirms."""
    kept = selectors.text_get_for_user(user=request.user, seq=seq)
    form = RedactForm(request.POST or None)
    redacted = (
        request.method == "POST"
        and form.is_valid()
        and run_service(
            form,
            lambda: entry_text_redact(
                actor=request.user, seq=seq, authority=form.cleaned_data["authority"]
            ),
        )
        is not None
    )
    if redacted:
        messages.success(request, f"The text of ledger entry {seq} is redacted.")
        return redirect("ledger:text_list")
    if request.method != "POST":
        access_record(actor=request.user, obj=kept, action="ledger.text.read")  # type: ignore[arg-type]
    names = selectors.names_for([kept.entry])
    return render(
        request,
        "ledger/text_redact.html",
        {
            "kept": kept,
            "entry": kept.entry,
            "actor": names.user(kept.entry.actor_id),
            "agency": names.agency(kept.entry.agency_id),
            "form": form,
        },
    )


# --- the access log: who read which private record ---------------------------------------

ACCESS_CSV_HEADER = [
    "entry",
    "recorded_at_utc",
    "reader",
    "acting_for",
    "action",
    "record_type",
    "record_id",
    "records_listed",
    "reason",
]


def _access_rows_csv(entries: QuerySet[Entry]) -> Iterator[list[object]]:
    for batch in _chunks(entries):
        names = selectors.names_for(batch)
        listed = selectors.listed_records(batch)
        for e in batch:
            yield [
                e.seq,
                e.recorded_at.astimezone(UTC).isoformat(timespec="seconds"),
                names.user(e.actor_id),
                names.agency(e.agency_id),
                e.action,
                e.object_type,
                e.object_id,
                " ".join(listed.get(e.seq, [])),
                e.reason_text,
            ]


@login_required
def access_log(request: HttpRequest) -> HttpResponseBase:
    """Who read which private record, when and for which agency; filters and CSV."""
    selectors.access_log_for_user(user=request.user)  # refuses before any work
    form = AccessFilterForm(request.GET, agencies=selectors.agency_choices())
    filters = form.to_filter() if form.is_valid() else selectors.AccessFilter()
    found = selectors.access_log_for_user(user=request.user, filters=filters)
    if request.GET.get("format") == "csv":
        access_record(
            actor=request.user,  # type: ignore[arg-type]
            object_type="ledger.entry",
            object_id="access-log",
            action="ledger.access_log.export",
        )
        return csv_response("access-log.csv", ACCESS_CSV_HEADER, _access_rows_csv(found))
    page = paginate(request, found, PAGE_SIZE)
    entries = list(page.object_list)
    rows = selectors.rows_for(entries, viewer=request.user)
    listed = selectors.listed_records(entries)
    return render(
        request,
        "ledger/access_log.html",
        {
            "filter_form": form,
            "page": page,
            "rows": [(row, listed.get(row.entry.seq, [])) for row in rows],
            "can_redact": selectors.can_redact(request.user),
        },
    )
