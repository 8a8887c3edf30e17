"""Staff pages: the user's notifications, and the periodic jobs page for administrators
and oversight."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AbstractUser
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST
from django_tasks import TaskResultStatus

from liaison.core.errors import NotFound
from liaison.core.pagination import paginate
from liaison.notifications import selectors, services


def _user(request: HttpRequest) -> AbstractUser:
    user = request.user
    assert isinstance(user, AbstractUser)  # login_required ran first
    return user


def _back(request: HttpRequest) -> HttpResponseRedirect:
    """Back to the list page the form was on (its query string kept), never off-site."""
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("notifications:list")
    return HttpResponseRedirect(target)


@login_required
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    unread_only = request.GET.get("show") == "unread"
    page = paginate(
        request, selectors.notification_list_for_user(user=_user(request), unread_only=unread_only)
    )
    return render(request, "notifications/list.html", {"page": page, "unread_only": unread_only})


@login_required
@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        services.notification_mark_read(actor=_user(request), pk=pk)
    except NotFound as exc:
        raise Http404 from exc
    return _back(request)


@login_required
@require_POST
def notifications_read_all(request: HttpRequest) -> HttpResponse:
    changed = services.notifications_mark_all_read(actor=_user(request))
    messages.success(request, f"Marked {changed} notification{'s' if changed != 1 else ''} read.")
    return _back(request)


@login_required
@require_GET
def job_list(request: HttpRequest) -> HttpResponse:
    """Periodic jobs (last and next run) and the task queue. Admin and oversight only."""
    user = _user(request)
    status = request.GET.get("status", "")
    if status not in TaskResultStatus.values:
        status = ""
    try:
        jobs = selectors.periodic_jobs_for_user(user=user)
        summary = selectors.task_queue_summary_for_user(user=user)
        page = paginate(request, selectors.task_results_for_user(user=user, status=status))
    except NotFound as exc:
        raise Http404 from exc
    return render(
        request,
        "notifications/jobs.html",
        {
            "jobs": jobs,
            "summary": summary,
            "page": page,
            "status": status,
            "statuses": TaskResultStatus.choices,
            "show_tracebacks": getattr(user, "role", None) == "admin",
            "max_attempts": settings.LIAISON_TASK_MAX_ATTEMPTS,
        },
    )
