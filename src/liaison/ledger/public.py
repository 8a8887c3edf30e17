"""Public ledger pages (no login): checkpoints, the verifier key, proofs — hashes only."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from liaison.core.forms import run_service
from liaison.core.pagination import paginate
from liaison.ledger import selectors, signing, tree
from liaison.ledger.forms import ConsistencyForm, InclusionForm
from liaison.ledger.models import Checkpoint
from liaison.ledger.services import origin

TEXT = "text/plain; charset=utf-8"


def index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "ledger/public_index.html",
        {
            "checkpoint": selectors.checkpoint_latest(),
            "verifier_key": signing.verifier_key(),
            "origin": origin(),
            "size": tree.appended_size(),
        },
    )


def checkpoint_text(request: HttpRequest) -> HttpResponse:
    """The latest signed checkpoint, as published (C2SP signed note)."""
    latest = selectors.checkpoint_latest()
    if latest is None:
        raise Http404("No checkpoint has been issued yet.")
    return HttpResponse(latest.note, content_type=TEXT)


def checkpoint_at(request: HttpRequest, size: int) -> HttpResponse:
    row = Checkpoint.objects.filter(size=size).first()
    if row is None:
        raise Http404("No checkpoint at that size.")
    return HttpResponse(row.note, content_type=TEXT)


def key_text(request: HttpRequest) -> HttpResponse:
    """The verifier key (``<name>+<key id>+<base64 Ed25519 key>``)."""
    return HttpResponse(signing.verifier_key() + "\n", content_type=TEXT)


def checkpoint_list(request: HttpRequest) -> HttpResponse:
    page = paginate(request, selectors.checkpoint_list(), per_page=50)
    return render(request, "ledger/checkpoint_list.html", {"page": page})


def proofs(request: HttpRequest) -> HttpResponse:
    """Inclusion proof (``?seq=&size=``) or consistency proof (``?old_size=&new_size=``)."""
    inclusion_form = InclusionForm(request.GET if "seq" in request.GET else None)
    consistency_form = ConsistencyForm(request.GET if "old_size" in request.GET else None)
    inclusion = consistency = None
    if inclusion_form.is_bound and inclusion_form.is_valid():
        inclusion = run_service(
            inclusion_form,
            lambda: selectors.inclusion_for(
                seq=inclusion_form.cleaned_data["seq"], size=inclusion_form.cleaned_data["size"]
            ),
        )
    if consistency_form.is_bound and consistency_form.is_valid():
        consistency = run_service(
            consistency_form,
            lambda: selectors.consistency_for(
                old_size=consistency_form.cleaned_data["old_size"],
                new_size=consistency_form.cleaned_data["new_size"],
            ),
        )
    return render(
        request,
        "ledger/proofs.html",
        {
            "inclusion_form": inclusion_form,
            "consistency_form": consistency_form,
            "inclusion": inclusion.as_dict() if inclusion else None,
            "consistency": consistency.as_dict() if consistency else None,
        },
    )
