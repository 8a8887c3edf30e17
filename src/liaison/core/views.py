from __future__ import annotations

import logging

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils import timezone

from liaison.core import queues
from liaison.core.context_processors import liaison
from liaison.core.dashboard import modules_for

logger = logging.getLogger(__name__)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The dashboard: what waits for the user (their role's queues, with counts) and the
    modules relevant to their role (the same the navigation offers)."""
    role = getattr(request.user, "role", "")
    return render(
        request,
        "core/home.html",
        {
            "queues": queues.cards_for(request.user, timezone.localdate()),
            "modules": modules_for(role),
        },
    )


def health(request: HttpRequest) -> JsonResponse:
    """Liveness and database reachability, for load balancers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page. Rendered without the request: whatever failed may fail again."""
    html: str
    try:
        html = loader.render_to_string("500.html", liaison(request))
    except Exception:
        logger.exception("the error page itself failed")
        html = "<h1>Something went wrong</h1><p>Please try again in a few minutes.</p>"
    return HttpResponseServerError(html)
