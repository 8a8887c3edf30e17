"""Staff pages for joint operations: parse input, call one service or selector, render."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from liaison.core import access
from liaison.core.dates import day_text
from liaison.core.errors import PermissionDenied, ServiceError
from liaison.core.filters import list_page
from liaison.core.forms import form_status, page_actor, run_service
from liaison.directory import selectors as directory_selectors
from liaison.ledger.selectors import history_for
from liaison.operations import aar, browse, geo, review, selectors, services
from liaison.operations import forms as f
from liaison.operations.checklist import checklist
from liaison.operations.models import Operation, Outcome
from liaison.operations.plans import validate_plan


def _states(user: Any) -> list[str]:
    state = getattr(getattr(getattr(user, "agency", None), "jurisdiction", None), "state", "")
    return [state] if state in geo.STATE_FIPS else [settings.LIAISON_STATE]


@login_required
def operation_list(request: HttpRequest) -> HttpResponse:
    return list_page(
        request,
        template="operations/operation_list.html",
        filters=f.OperationFilters(request.GET),
        select=browse.operation_list_filtered,
        context={"can_create": access.may_ever(page_actor(request), "operations.operation.create")},
    )


@login_required
def operation_calendar(request: HttpRequest) -> HttpResponse:
    first = browse.month_of(request.GET.get("month", ""))
    previous = (first.replace(day=1) - timedelta(days=1)).replace(day=1)
    following = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    return render(
        request,
        "operations/calendar.html",
        {
            "first": first,
            "month_label": f"{first:%B %Y}",
            "weeks": browse.month_calendar(user=page_actor(request), first=first),
            "previous": previous.strftime("%Y-%m"),
            "following": following.strftime("%Y-%m"),
        },
    )


@login_required
def operation_map(request: HttpRequest) -> HttpResponse:
    user = page_actor(request)
    states = _states(user)
    places, links, rows = browse.map_data(user=user)
    svg = geo.render_map(
        states=states,
        places=places,
        links=links,
        title="Operations and conflicts on county outlines",
        description=(
            f"{len(rows)} places of planned, in-review, approved and active operations you "
            f"may see, and {len(links)} conflicts between them drawn as dashed lines. The "
            "table below lists the same places."
        ),
    )
    return render(request, "operations/map.html", {"svg": svg, "rows": rows, "links": links})


@login_required
def operation_evaluation(request: HttpRequest) -> HttpResponse:
    ops = selectors.operation_list_for_user(user=page_actor(request)).filter(
        status=Operation.Status.CLOSED
    )
    return render(
        request,
        "operations/evaluation.html",
        {"rows": aar.evaluation(ops.order_by("-window_start")[:200]), "kinds": Outcome.Kind},
    )


@login_required
def operation_create(request: HttpRequest) -> HttpResponse:
    user = page_actor(request)
    if not access.may_ever(user, "operations.operation.create"):
        raise PermissionDenied()
    form = f.PlanForm(request.POST or None, user=user, initial={"radius_m": 250})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = run_service(
            form,
            lambda: services.operation_create(
                actor=user,
                plan=validate_plan(form.plan()),
                details=services.OperationDetails(
                    objectives=data.get("objectives", ""),
                    contact_phone=data.get("contact_phone", ""),
                    activities=list(data.get("activities") or []),
                    agreements=list(data.get("agreements") or []),
                ),
            ),
        )
        if done is not None:
            messages.success(request, "Operation planned and checked for conflicts.")
            return redirect("operations:operation_detail", done.pk)
    svg = geo.render_map(
        states=_states(user),
        title="Choose a place",
        description="County outlines; choosing a point fills its latitude and longitude.",
        svg_id="plan-map",
    )
    return render(
        request,
        "operations/plan_form.html",
        {"form": form, "svg": svg},
        status=form_status(request, form),
    )


def _detail_context(request: HttpRequest, operation: Operation) -> dict[str, Any]:
    user = page_actor(request)
    found = checklist(operation)
    locations = list(operation.locations.all())
    places = [
        geo.MapPlace(
            key=str(operation.pk),
            label=str(loc),
            lat=loc.lat,
            lon=loc.lon,
            radius_m=loc.radius_m,
            polygon=loc.polygon,
        )
        for loc in locations
    ]
    states = _states(user)
    actions = {
        name: review.may(user, f"operations.operation.{name}", operation)
        for name in (
            "edit",
            "submit",
            "acknowledge",
            "review",
            "signoff",
            "return",
            "approve",
            "start",
            "log",
            "close",
            "review_after",
        )
    }
    return {
        "operation": operation,
        "checklist": found,
        "problems": review.approval_problems(operation, found)
        if operation.status == Operation.Status.IN_REVIEW
        else [],
        "signoff": review.latest_signoff(operation),
        "participants": list(operation.participants.select_related("agency", "person")),
        "locations": locations,
        "resources": list(operation.resources.select_related("agency")),
        "subjects": list(operation.subjects.all()),
        "conflicts": selectors.conflicts_for_operation(user=user, operation=operation),
        "timeline": review.timeline(operation),
        "actions": actions,
        "after_action": getattr(operation, "after_action_review", None),
        "svg": geo.render_map(
            states=states,
            places=places,
            title=f"Places of {operation.name}",
            description=f"{len(places)} places on county outlines; listed in the table beside.",
            svg_id="operation-map",
        ),
        "history": history_for(operation, viewer=user, parts=[], limit=200),
        "deconflict_distance": settings.DECONFLICT_DISTANCE_M,
        "deconflict_buffer": settings.DECONFLICT_BUFFER_MIN,
    }


@login_required
def operation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    operation = selectors.operation_get_for_user(user=page_actor(request), pk=pk)
    return render(request, "operations/operation_detail.html", _detail_context(request, operation))


@login_required
def participant_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = page_actor(request)
    operation = selectors.operation_get_for_user(user=user, pk=pk, purpose="edit")
    people = directory_selectors.person_list_for_user(user=user, active=True)
    form = f.ParticipantForm(request.POST or None, people=people)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        done = run_service(
            form,
            lambda: services.operation_participant_add(
                actor=user,
                operation=operation,
                agency=d["agency"],
                person=d.get("person"),
                role=d.get("role", ""),
            ),
        )
        if done is not None:
            messages.success(request, "Participant added.")
            return redirect("operations:operation_detail", operation.pk)
    return _action_page(request, operation, form, "Add a participant", "Add")


def _action_page(
    request: HttpRequest, operation: Operation, form: Any, heading: str, button: str, **extra: Any
) -> HttpResponse:
    return render(
        request,
        "operations/action_form.html",
        {"operation": operation, "form": form, "heading": heading, "button": button, **extra},
        status=form_status(request, form),
    )


@login_required
@require_POST
def operation_submit(request: HttpRequest, pk: int) -> HttpResponse:
    user = page_actor(request)
    operation = selectors.operation_get_for_user(user=user, pk=pk, purpose="submit")
    services.operation_submit(actor=user, operation=operation)
    messages.success(request, "Plan submitted for legal review and checked for conflicts.")
    return redirect("operations:operation_detail", operation.pk)


@login_required
@require_POST
def conflict_acknowledge(request: HttpRequest, pk: int, conflict: int) -> HttpResponse:
    user = page_actor(request)
    operation = selectors.operation_get_for_user(user=user, pk=pk)
    found = selectors.conflict_get_for_user(user=user, pk=conflict, operation=operation)
    services.conflict_acknowledge(actor=user, conflict=found, operation=operation)
    messages.success(request, "Conflict acknowledged.")
    return redirect("operations:operation_detail", operation.pk)


@login_required
@require_POST
def operation_review_start(request: HttpRequest, pk: int) -> HttpResponse:
    user = page_actor(request)
    operation = selectors.operation_get_for_user(user=user, pk=pk, purpose="review")
    review.operation_review_start(actor=user, operation=operation)
    messages.success(request, "Legal review started.")
    return redirect("operations:operation_detail", operation.pk)


@login_required
@require_POST
def operation_start(request: HttpRequest, pk: int) -> HttpResponse:
    user = page_actor(request)
    operation = selectors.operation_get_for_user(user=user, pk=pk, purpose="start")
    review.operation_start(actor=user, operation=operation)
    messages.success(request, "Operation started: the execution log is open.")
    return redirect("operations:operation_detail", operation.pk)


REASON_STEPS: dict[str, tuple[str, str, str, bool, Callable[..., Any]]] = {
    # purpose: (heading, button, label, reason required, service)
    "signoff": (
        "Sign off the legal review",
        "Sign off",
        "Counsel's reasons (answer each item marked for counsel)",
        True,
        review.operation_signoff,
    ),
    "return": (
        "Return the plan to its planners",
        "Return the plan",
        "What to change",
        True,
        review.operation_return,
    ),
    "approve": (
        "Approve the operation",
        "Approve",
        "Note (optional)",
        False,
        review.operation_approve,
    ),
    "close": ("Close the operation", "Close", "Note (optional)", False, review.operation_close),
}


@login_required
def operation_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    if step not in REASON_STEPS:
        raise PermissionDenied()
    user = page_actor(request)
    heading, button, label, required, service = REASON_STEPS[step]
    operation = selectors.operation_get_for_user(user=user, pk=pk, purpose=step)
    form = f.ReasonForm(request.POST or None, required=required, label=label)
    if request.method == "POST" and form.is_valid():
        reason = form.cleaned_data.get("reason", "")
        done = run_service(form, lambda: service(actor=user, operation=operation, reason=reason))
        if done is not None:
            messages.success(request, f"{heading}: done.")
            return redirect("operations:operation_detail", operation.pk)
    return _action_page(request, operation, form, heading, button, checklist=checklist(operation))


@login_required
def operation_log(request: HttpRequest, pk: int) -> HttpResponse:
    user = page_actor(request)
    operation = selectors.operation_get_for_user(user=user, pk=pk, purpose="log")
    form = f.LogForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        done = run_service(
            form,
            lambda: review.operation_log(
                actor=user, operation=operation, text=d["text"], occurred_at=d.get("occurred_at")
            ),
        )
        if done is not None:
            messages.success(request, f"Logged at {day_text(timezone.localdate())}.")
            return redirect("operations:operation_detail", operation.pk)
    return _action_page(request, operation, form, "Write in the execution log", "Log it")


@login_required
def after_action_review(request: HttpRequest, pk: int) -> HttpResponse:
    user = page_actor(request)
    operation = selectors.operation_get_for_user(user=user, pk=pk, purpose="review_after")
    agencies = [operation.lead_agency]
    agencies += [
        p.agency
        for p in operation.participants.select_related("agency")
        if p.agency_id not in {a.pk for a in agencies}
    ]
    agencies = list({a.pk: a for a in agencies}.values())
    form = f.AfterActionForm(
        request.POST or None, agencies=agencies, owners=aar.owners_for(operation)
    )
    if request.method == "POST" and form.is_valid():
        done = run_service(
            form,
            lambda: aar.after_action_review_write(
                actor=user, operation=operation, fields=form.fields_for_service()
            ),
        )
        if done is not None:
            messages.success(request, "After-action review recorded.")
            return redirect("operations:operation_detail", operation.pk)
    return _action_page(
        request, operation, form, "Write the after-action review", "Record the review"
    )


@login_required
@require_POST
def follow_up_done(request: HttpRequest, pk: int, follow_up: int) -> HttpResponse:
    user = page_actor(request)
    operation = selectors.operation_get_for_user(user=user, pk=pk)
    found = selectors.follow_up_of(operation, follow_up)
    if found is None:
        raise PermissionDenied()
    try:
        aar.follow_up_done(actor=user, follow_up=found)
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect(reverse("operations:operation_detail", args=[operation.pk]) + "#after-action")
