"""Training pages: thin — parse input, call one selector or service, render.

People and task forces are read through the directory's access selectors, so a page
about someone the user may not see answers 404 (the refusal middleware turns
``NotFound`` and ``PermissionDenied`` into the 404 and 403 pages). Which buttons show
is asked of :func:`liaison.training.services.may`, the rule the services enforce.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from liaison.core.csvexport import csv_response
from liaison.core.errors import Conflict
from liaison.core.filters import list_page
from liaison.core.forms import form_status, page_actor, posted, require, run_service
from liaison.directory import selectors as directory
from liaison.directory.models import Person, TaskForce
from liaison.ledger.selectors import history_for
from liaison.training import forms, readiness, reports, selectors, services
from liaison.training.services import imports


@login_required
def index(request: HttpRequest) -> HttpResponse:
    courses = selectors.course_list_for_user(user=request.user)
    requirements = selectors.requirement_list_for_user(user=request.user)
    return render(
        request,
        "training/index.html",
        {
            "courses": courses,
            "requirements": requirements,
            "can_import": services.may(page_actor(request), "training.completion_import.create"),
            "can_manage": services.may(page_actor(request), "training.course.create"),
        },
    )


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    return render(
        request, "training/queue.html", {"queue": selectors.supervisor_queue(user=request.user)}
    )


@login_required
def course_list(request: HttpRequest) -> HttpResponse:
    return list_page(
        request,
        template="training/course_list.html",
        filters=forms.CourseFilter(request.GET),
        select=selectors.course_list_for_user,
        context={"can_create": services.may(page_actor(request), "training.course.create")},
    )


@login_required
def course_detail(request: HttpRequest, pk: int) -> HttpResponse:
    course = selectors.course_get_for_user(user=request.user, pk=pk)
    actor = page_actor(request)
    return render(
        request,
        "training/course_detail.html",
        {
            "course": course,
            "summary": selectors.evaluation_summary(course=course),
            "requirements": course.requirements.select_related("task_force").order_by("pk"),
            "can_edit": services.may(actor, "training.course.edit", course),
            "can_require": services.may(actor, "training.requirement.create"),
            "history": history_for(course, viewer=request.user),
        },
    )


def _form(
    request: HttpRequest, form: Any, *, title: str, cancel_url: str, **extra: Any
) -> HttpResponse:
    return render(
        request,
        "training/form.html",
        {"form": form, "title": title, "cancel_url": cancel_url, **extra},
        status=form_status(request, form),
    )


@login_required
def course_create(request: HttpRequest) -> HttpResponse:
    actor = page_actor(request)
    require(services.may(actor, "training.course.create"))
    form = forms.CourseForm(posted(request))
    if request.method == "POST" and form.is_valid():
        done = run_service(
            form, lambda: services.course_create(actor=actor, fields=form.fields_value())
        )
        if done is not None:
            messages.success(request, f"Added {done.code} to the catalog.")
            return redirect(done.get_absolute_url())
    return _form(request, form, title="New course", cancel_url=reverse("training:course_list"))


@login_required
def course_edit(request: HttpRequest, pk: int) -> HttpResponse:
    course = selectors.course_get_for_user(user=request.user, pk=pk)
    actor = page_actor(request)
    require(services.may(actor, "training.course.edit", course))
    form = forms.CourseForm.for_course(posted(request), course)
    if request.method == "POST" and form.is_valid():
        done = run_service(
            form,
            lambda: services.course_update(actor=actor, course=course, fields=form.fields_value()),
        )
        if done is not None:
            messages.success(request, f"Saved {done.code}.")
            return redirect(done.get_absolute_url())
    return _form(
        request,
        form,
        title=f"Edit {course.code}",
        cancel_url=course.get_absolute_url(),
        intro="Saving marks a course made from an agreement's course name as reviewed.",
    )


@login_required
def requirement_list(request: HttpRequest) -> HttpResponse:
    return list_page(
        request,
        template="training/requirement_list.html",
        filters=forms.RequirementFilter(request.GET),
        select=selectors.requirement_list_for_user,
        context={"can_create": services.may(page_actor(request), "training.requirement.create")},
    )


@login_required
def requirement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    requirement = selectors.requirement_get_for_user(user=request.user, pk=pk)
    return render(
        request,
        "training/requirement_detail.html",
        {
            "requirement": requirement,
            "in_effect": requirement.in_effect(timezone.localdate()),
            "can_end": services.may(page_actor(request), "training.requirement.edit", requirement),
            "history": history_for(requirement, viewer=request.user),
        },
    )


@login_required
def requirement_create(request: HttpRequest) -> HttpResponse:
    actor = page_actor(request)
    require(services.may(actor, "training.requirement.create"))
    initial = {}
    if "course" in request.GET:
        initial["course"] = request.GET["course"]
    form = forms.RequirementForm(posted(request), user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = run_service(
            form,
            lambda: services.requirement_create(
                actor=actor,
                course=data["course"],
                scope_kind=data["scope_kind"],
                basis=data["basis"],
                effective_from=data["effective_from"],
                effective_until=data["effective_until"],
                role=data["role"],
                task_force=data["task_force"],
                agreement_kind=data["agreement_kind"],
                agreement=data["agreement"],
                renewal_months=data["renewal_months"],
                citation=data["citation"],
            ),
        )
        if done is not None:
            messages.success(request, f"{done.course.code} is now required for {done.applies_to}.")
            return redirect(done.get_absolute_url())
    return _form(
        request, form, title="New requirement", cancel_url=reverse("training:requirement_list")
    )


@login_required
def requirement_end(request: HttpRequest, pk: int) -> HttpResponse:
    requirement = selectors.requirement_get_for_user(user=request.user, pk=pk)
    actor = page_actor(request)
    require(services.may(actor, "training.requirement.edit", requirement))
    form = forms.RequirementEndForm(posted(request))
    if request.method == "POST" and form.is_valid():
        done = run_service(
            form,
            lambda: services.requirement_end(
                actor=actor,
                requirement=requirement,
                effective_until=form.cleaned_data["effective_until"],
            ),
        )
        if done is not None:
            messages.success(request, f"{done.course.code} ends after the day chosen.")
            return redirect(done.get_absolute_url())
    return _form(
        request,
        form,
        title=f"End the requirement of {requirement.course.code}",
        intro=f"Required for {requirement.applies_to} ({requirement.get_basis_display()}).",
        cancel_url=requirement.get_absolute_url(),
        submit="End the requirement",
    )


def _person_context(request: HttpRequest, person: Person) -> dict[str, Any]:
    actor = page_actor(request)
    today = timezone.localdate()
    completions = list(selectors.completion_list_for_user(user=request.user, person=person.pk))
    any_completion = completions[0] if completions else None
    return {
        "person": person,
        "today": today,
        "statuses": readiness.person_readiness(person=person, on=today),
        "completions": completions,
        "attributes": readiness.training_attributes(person=person, on=today),
        "can_record": services.may(actor, "training.completion.create", person),
        # Every completion here is the person's: the rule answers the same for each.
        "can_verify": any_completion is not None
        and services.may(actor, "training.completion.verify", any_completion),
        "can_override": services.may(actor, "training.override.create", person),
        "can_evaluate": any_completion is not None
        and services.may(actor, "training.evaluation.create", any_completion),
    }


@login_required
def person(request: HttpRequest, pk: int) -> HttpResponse:
    found = directory.person_get_for_user(user=request.user, pk=pk, reason="training readiness")
    return render(request, "training/person.html", _person_context(request, found))


def _roster(request: HttpRequest, task_force: TaskForce) -> list[readiness.RosterLine]:
    assignments = directory.task_force_assignment_list_for_user(
        user=request.user, task_force=task_force.pk, active=True
    )
    return readiness.task_force_readiness(task_force=task_force, assignments=list(assignments))


@login_required
def task_force(request: HttpRequest, pk: int) -> HttpResponse:
    found = directory.task_force_get_for_user(user=request.user, pk=pk)
    lines = _roster(request, found)
    counts = {state: 0 for state in readiness.STATE_LABELS}
    for line in lines:
        counts[line.overall] += 1
    return render(
        request,
        "training/task_force.html",
        {
            "task_force": found,
            "lines": lines,
            "counts": [(readiness.STATE_LABELS[s], n) for s, n in counts.items()],
        },
    )


@login_required
def task_force_csv(request: HttpRequest, pk: int) -> HttpResponseBase:
    found = directory.task_force_get_for_user(user=request.user, pk=pk)
    rows = list(reports.roster_rows(_roster(request, found)))
    return csv_response(f"roster-compliance-{found.pk}.csv", reports.HEADER, rows)


@login_required
def task_force_pdf(request: HttpRequest, pk: int) -> HttpResponseBase:
    found = directory.task_force_get_for_user(user=request.user, pk=pk)
    body = reports.roster_pdf(
        title=f"Roster compliance report: {found}", lines=_roster(request, found)
    )
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="roster-compliance-{found.pk}.pdf"'
    return response


@login_required
def completion_create(request: HttpRequest, pk: int) -> HttpResponse:
    found = directory.person_get_for_user(user=request.user, pk=pk, reason="record training")
    actor = page_actor(request)
    require(services.may(actor, "training.completion.create", found))
    course = None
    if "course" in request.GET:
        course = (
            selectors.course_list_for_user(user=request.user)
            .filter(pk=request.GET["course"])
            .first()
        )
    form = forms.CompletionForm(posted(request), request.FILES or None, course=course)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = run_service(
            form,
            lambda: services.completion_record(
                actor=actor,
                person=found,
                course=data["course"],
                completed_on=data["completed_on"],
                hours=data["hours"],
                score=data["score"],
                certificate=data["certificate"],
            ),
        )
        if done is not None:
            messages.success(
                request, f"Recorded {done.course.code}; it counts once a supervisor verifies it."
            )
            return redirect("training:person", pk=found.pk)
    return render(
        request,
        "training/form.html",
        {
            "form": form,
            "title": f"Record a completion for {found}",
            "cancel_url": reverse("training:person", args=[found.pk]),
            "multipart": True,
        },
        status=form_status(request, form),
    )


@login_required
@require_POST
def completion_verify(request: HttpRequest, pk: int) -> HttpResponse:
    completion = selectors.completion_get_for_user(user=request.user, pk=pk)
    try:
        services.completion_verify(actor=page_actor(request), completion=completion)
    except Conflict as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Verified {completion.course.code}.")
    return redirect("training:person", pk=completion.person_id)


@login_required
def override_create(request: HttpRequest, pk: int, requirement: int) -> HttpResponse:
    found = directory.person_get_for_user(user=request.user, pk=pk, reason="training override")
    req = selectors.requirement_get_for_user(user=request.user, pk=requirement)
    actor = page_actor(request)
    require(services.may(actor, "training.override.create", found))
    form = forms.OverrideForm(posted(request))
    if request.method == "POST" and form.is_valid():
        done = run_service(
            form,
            lambda: services.override_grant(
                actor=actor,
                person=found,
                requirement=req,
                reason=form.cleaned_data["reason"],
                valid_until=form.cleaned_data["valid_until"],
            ),
        )
        if done is not None:
            messages.success(request, f"Overrode {req.course.code}.")
            return redirect("training:person", pk=found.pk)
    return render(
        request,
        "training/form.html",
        {
            "form": form,
            "title": f"Override {req.course.code} for {found}",
            "intro": f"{req.course} is required for {req.applies_to} ({req.get_basis_display()}).",
            "cancel_url": reverse("training:person", args=[found.pk]),
        },
        status=form_status(request, form),
    )


@login_required
def evaluation_create(request: HttpRequest, pk: int) -> HttpResponse:
    completion = selectors.completion_get_for_user(user=request.user, pk=pk)
    actor = page_actor(request)
    require(services.may(actor, "training.evaluation.create", completion))
    form = forms.EvaluationForm(posted(request))
    if request.method == "POST" and form.is_valid():
        done = run_service(
            form,
            lambda: services.evaluation_submit(
                actor=actor,
                completion=completion,
                rating=form.cleaned_data["rating"],
                comments=form.cleaned_data["comments"],
            ),
        )
        if done is not None:
            messages.success(request, "Thank you: the evaluation is recorded.")
            return redirect("training:course_detail", pk=completion.course_id)
    return render(
        request,
        "training/form.html",
        {
            "form": form,
            "title": f"Evaluate {completion.course}",
            "cancel_url": reverse("training:person", args=[completion.person_id]),
        },
        status=form_status(request, form),
    )


@login_required
def import_create(request: HttpRequest) -> HttpResponse:
    actor = page_actor(request)
    require(services.may(actor, "training.completion_import.create"))
    form = forms.ImportForm(posted(request), request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        done = run_service(
            form,
            lambda: imports.completion_import_preview(
                actor=actor, file_name=upload.name, content=imports.read_upload(upload)
            ),
        )
        if done is not None:
            return redirect(done.get_absolute_url())
    return render(
        request,
        "training/form.html",
        {
            "form": form,
            "title": "Import completions from a CSV file",
            "intro": "Nothing is saved until you have seen every row's outcome and confirmed.",
            "cancel_url": reverse("training:index"),
            "multipart": True,
            "submit": "Check the file",
        },
        status=form_status(request, form),
    )


@login_required
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    batch = selectors.completion_import_get_for_user(user=request.user, pk=pk)
    if request.method == "POST":
        try:
            batch = imports.completion_import_commit(actor=page_actor(request), batch=batch)
        except Conflict as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"Imported {batch.imported_rows} rows.")
        return redirect(batch.get_absolute_url())
    rows = imports.preview_rows(batch) if batch.status == "previewed" else []
    rejected = [r for r in rows if r.errors]
    valid = [r for r in rows if not r.errors]
    return render(
        request,
        "training/import.html",
        {
            "batch": batch,
            "rejected": rejected,
            "valid_shown": valid[: imports.PREVIEW_VALID_SHOWN],
            "valid_count": len(valid),
            "percent": (100 * batch.processed_rows // batch.total_rows) if batch.total_rows else 0,
        },
    )


@login_required
def import_rejected(request: HttpRequest, pk: int) -> HttpResponse:
    batch = selectors.completion_import_get_for_user(user=request.user, pk=pk)
    response = HttpResponse(batch.rejected, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="rejected-{batch.pk}.csv"'
    return response
