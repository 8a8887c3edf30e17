"""Staff pages: the ledger browser and entry detail (oversight and admin only)."""

from __future__ import annotations

import json

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from liaison.core.errors import ServiceError
from liaison.core.pagination import paginate
from liaison.ledger import selectors, tree
from liaison.ledger.forms import EntryFilterForm
from liaison.ledger.models import Entry
from liaison.ledger.services import access_record, entry_leaf_data, origin

PAGE_SIZE = 50


@login_required
def entry_list(request: HttpRequest) -> HttpResponse:
    selectors.entry_list_for_user(user=request.user)  # refuses before any work
    form = EntryFilterForm(request.GET or None, agencies=selectors.agency_choices())
    filters = form.to_filter() if form.is_valid() else selectors.EntryFilter()
    page = paginate(
        request, selectors.entry_list_for_user(user=request.user, filters=filters), PAGE_SIZE
    )
    entries = list(page.object_list)
    names = selectors.names_for(entries)
    rows = [
        selectors.HistoryRow(e, names.user(e.actor_id), names.agency(e.agency_id)) for e in entries
    ]
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
        "reason": entry.reason,
        "change_hash": entry.change_hash,
    }


@login_required
def entry_detail(request: HttpRequest, seq: int) -> HttpResponse:
    entry = selectors.entry_get_for_user(user=request.user, seq=seq)
    access_record(actor=request.user, obj=entry, action="ledger.entry.read")  # type: ignore[arg-type]
    names = selectors.names_for([entry])
    proof = _proof_for(entry)
    return render(
        request,
        "ledger/entry_detail.html",
        {
            "entry": entry,
            "actor": names.user(entry.actor_id),
            "agency": names.agency(entry.agency_id),
            "leaf_hash": selectors.b64(entry.leaf_hash),
            "proof": proof,
            "proof_b64": proof.as_dict() if proof else None,
            "proof_ok": selectors.verify_inclusion(proof) if proof else False,
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
        "inclusion": proof.as_dict() if proof else None,
        "how_to_verify": (
            "leaf_hash = SHA-256(0x00 || UTF-8 leaf_data); check the RFC 9162 inclusion proof "
            "against root_hash, and root_hash against the signed checkpoint."
        ),
    }
    response = HttpResponse(
        json.dumps(body, indent=2, ensure_ascii=False), content_type="application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="ledger-entry-{seq}-proof.json"'
    return response
