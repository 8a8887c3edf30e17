"""Pages of data subjects' requests and of disclosure reviews: thin — parse input, call
one selector or service, render. Refusals propagate to the refusal middleware (404/403)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from liaison.core import access
from liaison.core.csvexport import csv_response
from liaison.core.dates import day_text
from liaison.core.errors import Conflict, PermissionDenied
from liaison.core.filters import list_page
from liaison.core.forms import form_status, page_actor, posted, run_service
from liaison.directory.selectors import agency_choices_for_user
from liaison.ledger.reads import record_listed
from liaison.sharing import accounting
from liaison.sharing import selectors_subjects as sel
from liaison.sharing import services_subjects as svc
from liaison.sharing import subject_forms as forms
from liaison.sharing.models import DataSubjectRequest


def _subject_rows(requests: Any, today: Any) -> list[tuple[DataSubjectRequest, sel.Clock]]:
    return [(r, sel.subject_request_clock(r, today=today)) for r in requests]


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The due list: open requests, earliest due (so overdue) first."""
    if not access.may_ever(request.user, "sharing.data_subject_request.view"):
        raise PermissionDenied()
    today = timezone.localdate()
    status = request.GET.get("status", "")
    if status in DataSubjectRequest.Status.values:
        shown = sel.subject_request_list_for_user(user=request.user, status=status)
    else:
        status = ""
        shown = sel.subject_request_due_list(user=request.user)
    return render(
        request,
        "sharing/subjects/index.html",
        {
            "rows": _subject_rows(shown.prefetch_related("identifiers"), today),
            "filter_form": forms.SubjectRequestFilters(request.GET),
            "status": status,
            "can_create": access.may_ever(request.user, "sharing.data_subject_request.create"),
        },
    )


@login_required
def create(request: HttpRequest) -> HttpResponse:
    actor = page_actor(request)
    if not access.may_ever(actor, "sharing.data_subject_request.create"):
        raise PermissionDenied()
    agencies = agency_choices_for_user(user=actor, action="sharing.data_subject_request.create")
    form = forms.DataSubjectRequestForm(posted(request), agencies=agencies)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = run_service(
            form,
            lambda: svc.data_subject_request_record(
                actor=actor,
                custodian_agency=data["custodian_agency"],
                received_on=data["received_on"],
                identity_proof=data["identity_proof"],
                identifiers=form.identifiers(),
                contact=data["contact"],
            ),
        )
        if done is not None:
            due = f"; the answer is due {day_text(done.due_on)}" if done.due_on else ""
            messages.success(request, f"Recorded {done.reference}{due}.")
            return redirect("sharing_subjects:detail", pk=done.pk)
    return render(
        request,
        "sharing/subjects/form.html",
        {
            "form": form,
            "title": "Record a data subject's request",
            "intro": "A person may learn what data the agency holds about them and to whom it "
            "was disclosed (Minn. Stat. 13.04 subd. 3; Wis. Stat. 19.35(1)(am)). The "
            "identifiers are kept only as keyed hashes, to match disclosures.",
            "cancel_url": reverse("sharing_subjects:index"),
            "submit": "Record the request",
        },
        status=form_status(request, form),
    )


def _report_context(request: HttpRequest, found: DataSubjectRequest) -> dict[str, Any]:
    return {
        "subject_request": found,
        "clock": sel.subject_request_clock(found, today=timezone.localdate()),
        "lines": sel.subject_report(user=request.user, request=found),
        "identifiers": list(found.identifiers.all()),
    }


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    found = sel.subject_request_get_for_user(user=request.user, pk=pk, reason="data-subject report")
    context = _report_context(request, found)
    context["can"] = access.actions(request.user, "sharing.data_subject_request", found)
    return render(request, "sharing/subjects/detail.html", context)


@login_required
def report(request: HttpRequest, pk: int) -> HttpResponse:
    """The report as a printable page, to hand or send to the subject."""
    found = sel.subject_request_get_for_user(user=request.user, pk=pk, reason="print the report")
    return render(request, "sharing/subjects/report.html", _report_context(request, found))


@login_required
def report_csv(request: HttpRequest, pk: int) -> HttpResponseBase:
    found = sel.subject_request_get_for_user(user=request.user, pk=pk, reason="download the report")
    lines = sel.subject_report(user=request.user, request=found)
    return csv_response(
        f"data-subject-report-{found.reference}.csv",
        sel.REPORT_HEADER,
        (line.csv_row() for line in lines),
    )


@login_required
def contact(request: HttpRequest, pk: int) -> HttpResponse:
    found = sel.subject_request_get_for_user(user=request.user, pk=pk, purpose="contact")
    value = sel.subject_request_contact(user=request.user, request=found)
    return render(
        request, "sharing/subjects/contact.html", {"subject_request": found, "contact": value}
    )


@login_required
@require_POST
def start(request: HttpRequest, pk: int) -> HttpResponse:
    found = sel.subject_request_get_for_user(user=request.user, pk=pk, purpose="start")
    try:
        svc.data_subject_request_start(actor=page_actor(request), request=found)
    except Conflict as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"{found.reference} is in progress.")
    return redirect("sharing_subjects:detail", pk=found.pk)


def _close(request: HttpRequest, pk: int, *, deny: bool) -> HttpResponse:
    verb = "deny" if deny else "answer"
    found = sel.subject_request_get_for_user(user=request.user, pk=pk, purpose=verb)
    actor = page_actor(request)
    form: forms.AnswerForm = (forms.DenyForm if deny else forms.AnswerForm)(posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = run_service(
            form,
            lambda: (
                svc.data_subject_request_deny(
                    actor=actor,
                    request=found,
                    reason=data["reason"],
                    answered_on=data["answered_on"],
                )
                if deny
                else svc.data_subject_request_answer(
                    actor=actor, request=found, answered_on=data["answered_on"]
                )
            ),
        )
        if done is not None:
            messages.success(request, f"{done.reference} is {done.get_status_display().lower()}.")
            return redirect("sharing_subjects:detail", pk=done.pk)
    return render(
        request,
        "sharing/subjects/form.html",
        {
            "form": form,
            "title": f"{'Deny' if deny else 'Record the answer to'} {found.reference}",
            "cancel_url": reverse("sharing_subjects:detail", args=[found.pk]),
            "submit": "Deny the request" if deny else "Record the answer",
        },
        status=form_status(request, form),
    )


@login_required
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    return _close(request, pk, deny=False)


@login_required
def deny(request: HttpRequest, pk: int) -> HttpResponse:
    return _close(request, pk, deny=True)


# --- 28 C.F.R. § 23.20(h) reviews ---------------------------------------------------------


@login_required
def reviews(request: HttpRequest) -> HttpResponse:
    """Disclosures whose review date has come, the oldest first."""
    if not access.may_ever(request.user, "sharing.disclosure_review.view"):
        raise PermissionDenied()
    pending = request.GET.get("done") != "yes"
    return render(
        request,
        "sharing/subjects/reviews.html",
        {
            "reviews": sel.disclosure_review_list_for_user(user=request.user, pending=pending),
            "pending": pending,
            "today": timezone.localdate(),
        },
    )


@login_required
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    found = sel.disclosure_review_get_for_user(user=request.user, pk=pk)
    return render(
        request,
        "sharing/subjects/review_detail.html",
        {
            "review": found,
            "disclosure": found.disclosure,
            "nature": sel.nature_of(found.disclosure),
            "can_record": "record"
            in access.actions(request.user, "sharing.disclosure_review", found),
        },
    )


@login_required
def review_record(request: HttpRequest, pk: int) -> HttpResponse:
    found = sel.disclosure_review_get_for_user(user=request.user, pk=pk, purpose="record")
    actor = page_actor(request)
    form = forms.ReviewOutcomeForm(posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = run_service(
            form,
            lambda: svc.disclosure_review_record(
                actor=actor,
                review=found,
                outcome=data["outcome"],
                justification=data["justification"],
                next_review_due=data["next_review_due"],
            ),
        )
        if done is not None:
            messages.success(request, f"Recorded: {done.get_outcome_display().lower()}.")
            return redirect("sharing_subjects:review_detail", pk=done.pk)
    return render(
        request,
        "sharing/subjects/form.html",
        {
            "form": form,
            "title": f"Review the disclosure for {found.disclosure.request.reference}",
            "intro": "28 C.F.R. 23.20(h): criminal intelligence is reviewed and validated at "
            "least every five years, or purged. Record who decided, when and why.",
            "cancel_url": reverse("sharing_subjects:review_detail", args=[found.pk]),
            "submit": "Record the outcome",
        },
        status=form_status(request, form),
    )


# --- the accounting of disclosures --------------------------------------------------------


def _recorded(request: HttpRequest, rows: Any) -> None:
    for row in rows:
        row.nature = sel.nature_of(row)  # what left, in words, for the page
    record_listed(
        actor=request.user,
        records=rows,
        action="disclosure.accounting",
        object_type="sharing.disclosure",
    )


@login_required
def accounting_list(request: HttpRequest) -> HttpResponse:
    """Every disclosure the user may see — date, nature, purpose, recipient — filtered."""
    query = request.GET.urlencode()
    return list_page(
        request,
        template="sharing/subjects/accounting.html",
        filters=forms.AccountingFilters(request.GET),
        select=accounting.accounting_for_user,
        context={
            "csv_url": reverse("sharing_subjects:accounting_csv") + (f"?{query}" if query else "")
        },
        shown=lambda rows: _recorded(request, rows),
    )


@login_required
def accounting_csv(request: HttpRequest) -> HttpResponseBase:
    filters = forms.AccountingFilters(request.GET)
    rows = list(accounting.accounting_for_user(user=request.user, **filters.selector_kwargs()))
    _recorded(request, rows)
    return csv_response(
        "accounting-of-disclosures.csv", accounting.HEADER, accounting.csv_rows(rows)
    )
