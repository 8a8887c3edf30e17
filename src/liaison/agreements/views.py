"""Staff pages for agreements and the legal library: parse input, call one service, render."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from liaison.agreements import forms as f
from liaison.agreements import selectors, services
from liaison.agreements.coverage import coverage, scheduled_amendments, terms_on
from liaison.agreements.models import Agreement, AgreementDocument, LegalAuthority
from liaison.core import access
from liaison.core.dates import day_text
from liaison.core.errors import Conflict, PermissionDenied
from liaison.core.filters import list_page
from liaison.core.forms import form_status, run_service
from liaison.ledger.selectors import history_for


def _user(request: HttpRequest) -> Any:
    return request.user


# --- agreements ----------------------------------------------------------------------


@login_required
def agreement_list(request: HttpRequest) -> HttpResponse:
    return list_page(
        request,
        template="agreements/agreement_list.html",
        filters=f.AgreementFilterForm(request.GET),
        select=selectors.agreement_list_for_user,
        context={
            "can_create": access.may_ever(_user(request), "agreements.agreement.create"),
            # A home-page queue (?stage=…): the list is the query its card counts.
            "stage": selectors.QUEUE_STAGES.get(request.GET.get("stage", ""), ""),
        },
    )


@login_required
def agreement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    agreement = selectors.agreement_detail_for_user(user=user, pk=pk)
    parties = list(agreement.parties.all())
    actions = services.agreement_actions(user, agreement)
    today = timezone.localdate()
    amendments = list(agreement.amendments.all())
    return render(
        request,
        "agreements/agreement_detail.html",
        {
            "agreement": agreement,
            "today": today,
            "terms": terms_on(agreement, today, amendments),
            "last_day_terminating": (
                agreement.terminated_on - timedelta(days=1)
                if agreement.termination_pending_on(today) and agreement.terminated_on
                else None
            ),
            "scheduled": [
                (m, terms_on(agreement, m.effective_date, amendments))
                for m in scheduled_amendments(amendments, today)
            ],
            "parties": parties,
            "actions": actions,
            "history": selectors.agreement_history(agreement=agreement, viewer=user),
            "grants": _grants_by_kind(agreement),
            "review_form": f.ReviewForm() if "review" in actions else None,
        },
    )


def _grants_by_kind(agreement: Agreement) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = {"activity": [], "data_category": [], "purpose": []}
    for grant in agreement.grants.all():
        out[grant.item_kind].append(grant)
    return out


@login_required
def agreement_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not access.may_ever(user, "agreements.agreement.create"):
        raise PermissionDenied("Only coordinators draft agreements.")
    form = f.AgreementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        agreement = run_service(
            form, lambda: services.agreement_create(actor=user, fields=form.to_fields())
        )
        if agreement is not None:
            messages.success(request, "Draft agreement saved.")
            return redirect("agreements:detail", pk=agreement.pk)
    return render(
        request,
        "agreements/agreement_form.html",
        {"form": form, "heading": "New agreement"},
        status=form_status(request, form),
    )


@login_required
def agreement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    agreement = selectors.agreement_detail_for_user(user=user, pk=pk, purpose="edit")
    form = f.AgreementForm(request.POST or None, initial=f.AgreementForm.initial_from(agreement))
    if request.method == "POST" and form.is_valid():
        saved = run_service(
            form,
            lambda: services.agreement_update_draft(
                actor=user, agreement=agreement, fields=form.to_fields()
            ),
        )
        if saved is not None:
            messages.success(request, "Draft updated.")
            return redirect("agreements:detail", pk=agreement.pk)
    return _draft_form_page(request, agreement, form)


def _draft_form_page(
    request: HttpRequest, agreement: Agreement, form: f.AgreementForm
) -> HttpResponse:
    return render(
        request,
        "agreements/agreement_form.html",
        {
            "form": form,
            "agreement": agreement,
            "heading": f"Edit draft: {agreement.title}",
            "form_action": reverse("agreements:edit", args=[agreement.pk]),
        },
        status=form_status(request, form),
    )


def _post_action(
    request: HttpRequest, pk: int, action: str, run: Callable[[Any, Agreement], object], done: str
) -> HttpResponse:
    """A lifecycle step without input: call the service, report, go back to the agreement."""
    user = _user(request)
    agreement = selectors.agreement_get_for_user(user=user, pk=pk, purpose=action)
    run(user, agreement)
    messages.success(request, done)
    return redirect("agreements:detail", pk=agreement.pk)


@login_required
@require_POST
def agreement_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """Send the draft to legal review; if it is not ready, the draft's form shows what to fix."""
    user = _user(request)
    agreement = selectors.agreement_detail_for_user(user=user, pk=pk, purpose="submit")
    form = f.AgreementForm.bound_to(agreement)
    submitted = run_service(
        form,
        lambda: services.agreement_submit_for_review(actor=user, agreement=agreement),
        propagate=(Conflict,),
    )
    if submitted is not None:
        messages.success(request, "Sent to legal review.")
        return redirect("agreements:detail", pk=agreement.pk)
    return _draft_form_page(request, agreement, form)


@login_required
@require_POST
def agreement_activate(request: HttpRequest, pk: int) -> HttpResponse:
    return _post_action(
        request,
        pk,
        "activate",
        lambda u, a: services.agreement_activate(actor=u, agreement=a),
        "The agreement is active.",
    )


def _form_action(
    request: HttpRequest,
    pk: int,
    *,
    action: str,
    form_class: type[forms.Form],
    run: Callable[[Any, Agreement, dict[str, Any]], object],
    heading: str,
    button: str,
    done: str,
    scoped: bool = False,
    files: bool = False,
) -> HttpResponse:
    """A step with a form: GET shows it, POST validates, calls the service and shows refusals
    beside the fields. Not-found, forbidden and out-of-order steps answer 404, 403 and 409 —
    on GET too, before the form is shown (``action`` names the declared rule)."""
    user = _user(request)
    agreement = selectors.agreement_get_for_user(user=user, pk=pk, purpose=action)
    kwargs: dict[str, Any] = {"agreement": agreement, "user": user} if scoped else {}
    data = request.POST if request.method == "POST" else None
    form = form_class(data, request.FILES if files and data is not None else None, **kwargs)
    completed = (
        request.method == "POST"
        and form.is_valid()
        and run_service(form, lambda: run(user, agreement, form.cleaned_data)) is not None
    )
    if completed:
        messages.success(request, done)
        return redirect("agreements:detail", pk=agreement.pk)
    return render(
        request,
        "agreements/action_form.html",
        {
            "form": form,
            "agreement": agreement,
            "heading": heading,
            "button": button,
            "multipart": files,
        },
        status=form_status(request, form),
    )


@login_required
def agreement_review(request: HttpRequest, pk: int) -> HttpResponse:
    return _form_action(
        request,
        pk,
        action="review",
        form_class=f.ReviewForm,
        run=lambda u, a, d: services.agreement_review(
            actor=u, agreement=a, approve=d["decision"] == "approve", notes=d["notes"]
        ),
        heading="Legal review",
        button="Record review",
        done="Review recorded.",
    )


@login_required
def agreement_sign(request: HttpRequest, pk: int) -> HttpResponse:
    return _form_action(
        request,
        pk,
        action="sign",
        form_class=f.SignatureForm,
        scoped=True,
        run=lambda u, a, d: services.agreement_record_signature(actor=u, agreement=a, **d),
        heading="Record a signature",
        button="Record signature",
        done="Signature recorded.",
    )


@login_required
def agreement_suspend(request: HttpRequest, pk: int) -> HttpResponse:
    return _form_action(
        request,
        pk,
        action="suspend",
        form_class=f.ReasonForm,
        run=lambda u, a, d: services.agreement_suspend(actor=u, agreement=a, reason=d["reason"]),
        heading="Suspend the agreement",
        button="Suspend",
        done="The agreement is suspended.",
    )


@login_required
def agreement_reinstate(request: HttpRequest, pk: int) -> HttpResponse:
    return _form_action(
        request,
        pk,
        action="reinstate",
        form_class=f.ReasonForm,
        run=lambda u, a, d: services.agreement_reinstate(actor=u, agreement=a, reason=d["reason"]),
        heading="Reinstate the agreement",
        button="Reinstate",
        done="The agreement is active again.",
    )


@login_required
def agreement_terminate(request: HttpRequest, pk: int) -> HttpResponse:
    return _form_action(
        request,
        pk,
        action="terminate",
        form_class=f.TerminateForm,
        run=lambda u, a, d: services.agreement_terminate(
            actor=u, agreement=a, reason=d["reason"], notice_date=d["notice_date"]
        ),
        heading="Terminate the agreement",
        button="Terminate",
        done="Termination recorded.",
    )


@login_required
def amendment_create(request: HttpRequest, pk: int) -> HttpResponse:
    def run(u: Any, a: Agreement, d: dict[str, Any]) -> object:
        return services.amendment_create(
            actor=u,
            agreement=a,
            title=d["title"],
            summary=d["summary"],
            section=d["section"],
            effective_date=d["effective_date"],
            new_expiry_date=d["new_expiry_date"],
            new_personnel_cap=d["new_personnel_cap"],
            add_activities=list(d["add_activities"]),
            remove_activities=list(d["remove_activities"]),
            add_data_categories=list(d["add_data_categories"]),
            remove_data_categories=list(d["remove_data_categories"]),
            add_purposes=list(d["add_purposes"]),
            remove_purposes=list(d["remove_purposes"]),
        )

    return _form_action(
        request,
        pk,
        action="amend",
        form_class=f.AmendmentForm,
        run=run,
        heading="Record an amendment",
        button="Record amendment",
        done="Amendment recorded.",
    )


@login_required
def document_upload(request: HttpRequest, pk: int) -> HttpResponse:
    def run(u: Any, a: Agreement, d: dict[str, Any]) -> object:
        document: AgreementDocument | None = d["document"]
        return services.agreement_document_upload(
            actor=u, agreement=a, upload=d["file"], title=d["title"], document=document
        )

    return _form_action(
        request,
        pk,
        action="upload",
        form_class=f.DocumentUploadForm,
        scoped=True,
        files=True,
        run=run,
        heading="Attach a document",
        button="Upload",
        done="Document uploaded.",
    )


@login_required
def document_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    version = selectors.document_version_get_for_user(user=_user(request), pk=pk)
    return FileResponse(
        version.file.open("rb"),
        content_type="application/pdf",
        as_attachment=True,
        filename=f"{version.document.title[:80]} v{version.version}.pdf",
    )


@login_required
def nomination_create(request: HttpRequest, pk: int) -> HttpResponse:
    return _form_action(
        request,
        pk,
        action="nominate",
        form_class=f.NominationForm,
        scoped=True,
        run=lambda u, a, d: services.agreement_nominate_person(actor=u, agreement=a, **d),
        heading="Nominate personnel",
        button="Nominate",
        done="Nomination recorded.",
    )


@login_required
def training_requirement_create(request: HttpRequest, pk: int) -> HttpResponse:
    return _form_action(
        request,
        pk,
        action="training",
        form_class=f.TrainingRequirementForm,
        run=lambda u, a, d: services.agreement_training_requirement_add(actor=u, agreement=a, **d),
        heading="Add a training requirement",
        button="Add requirement",
        done="Training requirement added.",
    )


@login_required
def reporting_obligation_create(request: HttpRequest, pk: int) -> HttpResponse:
    return _form_action(
        request,
        pk,
        action="reporting",
        form_class=f.ReportingObligationForm,
        run=lambda u, a, d: services.agreement_reporting_obligation_add(actor=u, agreement=a, **d),
        heading="Add a reporting obligation",
        button="Add obligation",
        done="Reporting obligation added.",
    )


@login_required
def coverage_check(request: HttpRequest) -> HttpResponse:
    params = request.GET.copy()
    if "agency" in params and not params.get("on"):
        params["on"] = timezone.localdate().isoformat()
    form = f.CoverageForm(params if "agency" in params else None)
    result = None
    if form.is_valid():
        d = form.cleaned_data
        result = coverage(
            agency=d["agency"],
            with_agency=d["with_agency"],
            activity=d["activity"],
            data_category=d["data_category"],
            purpose=d["purpose"],
            on=d["on"],
        )
        # Only name agreements the user may open.
        visible = set(
            selectors.agreement_list_for_user(user=_user(request))
            .filter(pk__in=[a.agreement_id for a in result.agreements])
            .values_list("pk", flat=True)
        )
        result = _visible_result(result, visible)
    return render(
        request,
        "agreements/coverage.html",
        {
            "form": form,
            "result": result,
            "question": _coverage_question(form.cleaned_data) if result else "",
            "rows": _coverage_rows(result, form.cleaned_data) if result else [],
        },
    )


_ASKED = (("activity", "activity"), ("data_category", "data category"), ("purpose", "purpose"))


def _coverage_question(d: dict[str, Any]) -> str:
    """The question asked, in words: the answer restates it."""
    items = [f"{d[name]} ({kind})" for name, kind in _ASKED if d.get(name)]
    together = f" together with {d['with_agency']}" if d.get("with_agency") else ""
    return f"Is {d['agency']}{together} covered for {' and '.join(items)} on {day_text(d['on'])}?"


def _coverage_rows(result: Any, d: dict[str, Any]) -> list[tuple[Any, list[str]]]:
    """Each agreement considered, with its granting clauses named by the item's label."""
    names = {d[name].code: str(d[name]) for name, _ in _ASKED if d.get(name)}
    return [
        (
            answer,
            [
                f"{names.get(c.item_code, c.item_code)}: {c.clause}"
                for c in result.clauses
                if c.agreement_id == answer.agreement_id
            ],
        )
        for answer in result.agreements
    ]


def _visible_result(result: Any, visible: set[int]) -> Any:
    from dataclasses import replace

    return replace(
        result,
        agreements=tuple(a for a in result.agreements if a.agreement_id in visible),
        clauses=tuple(c for c in result.clauses if c.agreement_id in visible),
    )


# --- legal authorities ------------------------------------------------------------------


@login_required
def authority_list(request: HttpRequest) -> HttpResponse:
    return list_page(
        request,
        template="agreements/authority_list.html",
        filters=f.AuthorityFilterForm(request.GET),
        select=selectors.legal_authority_list_for_user,
        context={"can_edit": access.may_ever(_user(request), "agreements.legal_authority.edit")},
    )


@login_required
def authority_detail(request: HttpRequest, pk: int) -> HttpResponse:
    authority = selectors.legal_authority_get_for_user(user=_user(request), pk=pk)
    agreements = selectors.agreement_list_for_user(user=_user(request)).filter(
        authorities=authority
    )[:50]
    return render(
        request,
        "agreements/authority_detail.html",
        {
            "authority": authority,
            "agreements": agreements,
            "can_edit": access.permits(
                _user(request), "agreements.legal_authority.edit", authority
            ),
            "history": history_for(authority),
        },
    )


@login_required
def authority_create(request: HttpRequest) -> HttpResponse:
    return _authority_form(request, None)


@login_required
def authority_edit(request: HttpRequest, pk: int) -> HttpResponse:
    authority = selectors.legal_authority_get_for_user(user=_user(request), pk=pk)
    return _authority_form(request, authority)


def _authority_form(request: HttpRequest, authority: LegalAuthority | None) -> HttpResponse:
    user = _user(request)
    if authority is None:
        access.check(user, "agreements.legal_authority.create")
    else:
        access.check(user, "agreements.legal_authority.edit", authority)
    initial = {}
    if authority is not None:
        initial = {name: getattr(authority, name) for name in f.AuthorityForm.base_fields}
    form = f.AuthorityForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        current = authority
        saved = run_service(
            form,
            lambda: (
                services.legal_authority_create(actor=user, fields=form.to_fields())
                if current is None
                else services.legal_authority_update(
                    actor=user, authority=current, fields=form.to_fields()
                )
            ),
        )
        if saved is not None:
            messages.success(request, "Legal authority saved.")
            return redirect("agreements:authority_detail", pk=saved.pk)
    heading = "New legal authority" if authority is None else f"Edit {authority.citation}"
    return render(
        request,
        "agreements/authority_form.html",
        {"form": form, "authority": authority, "heading": heading},
        status=form_status(request, form),
    )
