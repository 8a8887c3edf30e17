"""Sharing pages: thin — parse input, call one selector or service, render.

Requests and disclosures are read through the access selectors, so a page about a
request the user may not see answers 404 (the refusal middleware turns ``NotFound`` and
``PermissionDenied`` into the 404 and 403 pages). Which buttons show is asked of
:func:`liaison.sharing.services.may`, the rule the services enforce.
"""

from __future__ import annotations

import re
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from liaison.core.filters import list_page
from liaison.core.forms import form_status, page_actor, posted, require, run_service
from liaison.core.roles import Actor, Role
from liaison.directory import selectors as directory
from liaison.ledger.reads import record_listed
from liaison.policy.request import InvalidRequest
from liaison.sharing import explain, forms, selectors, services
from liaison.sharing.models import RequestItem, SharingRequest

_ITEM_PATH = re.compile(r"^items\[(\d+)\](?:\.(\w+))?$")


@login_required
def request_list(request: HttpRequest) -> HttpResponse:
    actor = page_actor(request)
    return list_page(
        request,
        template="sharing/request_list.html",
        filters=forms.RequestFilterForm(request.GET),
        select=selectors.request_list_for_user,
        context={"can_file": services.may(actor, "sharing.sharing_request.create", _own(actor))},
    )


def _own(actor: Actor) -> Any:
    """The actor's own agency (a partner files for it)."""
    return directory.agency_list_for_user(user=actor).filter(pk=actor.agency_id or 0).first()


@login_required
def review_queue(request: HttpRequest) -> HttpResponse:
    queue = list(selectors.review_queue_for_user(user=request.user)[:200])
    return render(request, "sharing/review_queue.html", {"queue": queue})


def _place_invalid_request(
    form: forms.RequestForm, items: Any, rows: list[int], exc: InvalidRequest
) -> None:
    """Put each field message of the format beside the row and field it is about."""
    form.service_error = exc  # type: ignore[attr-defined]
    for path, texts in exc.fields.items():
        found = _ITEM_PATH.match(path)
        if found and int(found.group(1)) < len(rows):
            row = items.forms[rows[int(found.group(1))]]
            name = found.group(2) or "what"
            name = name if name in row.fields else "flags" if name in forms.FLAG_LABELS else "what"
            for text in texts:
                row.add_error(name, text)
        elif path in form.fields:
            for text in texts:
                form.add_error(path, text)
        else:
            for text in texts:
                form.add_error(None, f"{path}: {text}")


@login_required
def request_create(request: HttpRequest) -> HttpResponse:
    actor = page_actor(request)
    on_behalf = str(actor.role) != Role.PARTNER
    own = _own(actor)
    # A partner files for their own agency; a coordinator for any agency, chosen on the form.
    require(services.may(actor, "sharing.sharing_request.create", own))
    form = forms.RequestForm(posted(request), on_behalf=on_behalf)
    items = forms.ItemFormSet(posted(request), prefix="items")
    if request.method == "POST" and form.is_valid() and items.is_valid():
        asked = [(n, f.item()) for n, f in enumerate(items.forms)]
        rows = [n for n, item in asked if item is not None]
        wanted = [item for _, item in asked if item is not None]
        if not wanted:
            form.add_error(None, "Ask for at least one item: data of a category, or an action.")
        else:
            data = form.cleaned_data
            try:
                done = run_service(
                    form,
                    lambda: services.request_file(
                        actor=actor,
                        requesting_agency=data.get("requesting_agency") or own,
                        custodian_agency=data["custodian_agency"],
                        purpose=data["purpose"],
                        instrument=data["instrument"],
                        urgent=data["urgent"],
                        items=wanted,
                    ),
                    propagate=(InvalidRequest,),
                )
            except InvalidRequest as exc:
                _place_invalid_request(form, items, rows, exc)
                done = None
            if done is not None:
                messages.success(request, f"Filed {done.reference}.")
                return redirect(done.get_absolute_url())
    status = form_status(request, form)
    if request.method == "POST" and status == 200 and items.errors:
        status = 400
    return render(
        request,
        "sharing/request_form.html",
        {"form": form, "items": items, "on_behalf": on_behalf},
        status=status,
    )


def _item_rows(request_obj: SharingRequest) -> list[dict[str, Any]]:
    rows = []
    for item in selectors.request_items(request_obj):
        entry = item.decision_entry()
        rows.append(
            {
                "item": item,
                "what": explain.what(item),
                "machine": explain.DECISION_WORDS.get(item.machine_decision, ""),
                "reasons": entry.get("reasons", []),
                "paths": explain.paths(entry),
                "obligations": [
                    explain.OBLIGATION_WORDS.get(o, o) for o in entry.get("obligations", [])
                ],
                "override": item.override if item.overridden else None,
            }
        )
    return rows


@login_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = page_actor(request)
    found = selectors.request_get_for_user(user=request.user, pk=pk)
    rows = _item_rows(found)
    return render(
        request,
        "sharing/request_detail.html",
        {
            "req": found,
            "rows": rows,
            "reviews": list(found.reviews.select_related("reviewer")),
            "disclosures": list(found.disclosures.select_related("recipient_agency")),
            "can_review": services.may(actor, "sharing.sharing_request.review", found),
            "can_override": services.may(actor, "sharing.sharing_request.override", found),
            "can_disclose": services.may(actor, "sharing.sharing_request.disclose", found)
            and bool(services.releasable(found)),
        },
    )


@login_required
def request_review(request: HttpRequest, pk: int) -> HttpResponse:
    actor = page_actor(request)
    found = selectors.request_get_for_user(user=request.user, pk=pk, purpose="review")
    items = selectors.request_items(found)
    form = forms.ReviewForm(posted(request), items=items, allowed=services.allowed_fields)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = run_service(
            form,
            lambda: services.request_review(
                actor=actor,
                request=found,
                action=data["action"],
                reason=data["reason"],
                keep=form.keep() if data["action"] == "narrow" else None,
            ),
        )
        if done is not None:
            messages.success(request, f"{done.get_action_display()}: {found.reference}.")
            return redirect(found.get_absolute_url())
    return render(
        request,
        "sharing/review_form.html",
        {"form": form, "req": found, "rows": _item_rows(found)},
        status=form_status(request, form),
    )


@login_required
def item_override(request: HttpRequest, pk: int, index: int) -> HttpResponse:
    actor = page_actor(request)
    found = selectors.request_get_for_user(user=request.user, pk=pk, purpose="override")
    item: RequestItem = selectors.item_get(request=found, index=index)
    form = forms.OverrideForm(posted(request), item=item)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = run_service(
            form,
            lambda: services.item_override(
                actor=actor,
                item=item,
                justification=data["justification"],
                fields=data.get("fields"),
            ),
        )
        if done is not None:
            messages.success(request, f"The deny of item {item.index + 1} is set aside.")
            return redirect(found.get_absolute_url())
    return render(
        request,
        "sharing/override_form.html",
        {"form": form, "req": found, "item": item, "what": explain.what(item)},
        status=form_status(request, form),
    )


@login_required
def disclosure_create(request: HttpRequest, pk: int) -> HttpResponse:
    actor = page_actor(request)
    found = selectors.request_get_for_user(user=request.user, pk=pk, purpose="disclose")
    form = forms.DisclosureForm(
        posted(request), request.FILES or None, releasable=services.releasable(found)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        package = data["package"].read()
        done = run_service(
            form,
            lambda: services.disclosure_record(
                actor=actor,
                request=found,
                package=package,
                channel=data["channel"],
                recipient_name=data["recipient_name"],
                fields=form.chosen_fields(),
                subjects=data["subjects"],
                disclosed_on=data["disclosed_on"],
            ),
        )
        if done is not None:
            messages.success(request, "The disclosure is recorded.")
            return redirect(done.get_absolute_url())
    return render(
        request,
        "sharing/disclosure_form.html",
        {"form": form, "req": found},
        status=form_status(request, form),
    )


@login_required
def disclosure_list(request: HttpRequest) -> HttpResponse:
    return list_page(
        request,
        template="sharing/disclosure_list.html",
        filters=forms.DisclosureFilterForm(request.GET),
        select=selectors.disclosure_list_for_user,
        shown=lambda rows: record_listed(
            actor=request.user,
            records=rows,
            action="disclosure.list",
            object_type="sharing.disclosure",
        ),
    )


@login_required
def disclosure_detail(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.disclosure_get_for_user(user=request.user, pk=pk)
    return render(
        request,
        "sharing/disclosure_detail.html",
        {"disclosure": found, "subjects": found.subjects.count()},
    )


@login_required
def override_list(request: HttpRequest) -> HttpResponse:
    overrides = list(selectors.override_list_for_user(user=request.user)[:200])
    return render(request, "sharing/override_list.html", {"overrides": overrides})
