"""CJIS session rules for signed-in users.

* Idle lock: 30 minutes without a request signs the user out (``?timeout=1``).
* Re-authentication: 12 hours after sign-in the session ends whatever the activity
  (``?reauth=1``).
* MFA: when ``LIAISON_REQUIRE_MFA`` is on, a user who has not passed the second
  factor in this session is sent to ``/accounts/mfa/`` from every staff page; the
  session-authenticated API refuses them (see :class:`liaison.accounts.api.ApiAuth`).
* Activity: ``User.last_activity_at`` for the 90-day inactivity rule, written at
  most every few minutes.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from liaison.accounts import services
from liaison.accounts.models import User

IDLE_KEY = "liaison_last_seen"
LOGIN_AT_KEY = "liaison_login_at"
# The idle clock is written to the session at most this often, so that a busy user
# does not cost a session write per request; the lock may come up to this much early.
IDLE_RESOLUTION_SECONDS = 30


def is_verified(user: object) -> bool:
    """Whether the session's user passed the second factor (django-otp sets ``otp_device``)."""
    return getattr(user, "otp_device", None) is not None


def mfa_satisfied(user: object) -> bool:
    return not settings.LIAISON_REQUIRE_MFA or is_verified(user)


def start_session_clock(request: HttpRequest) -> None:
    """Call right after ``login()``: the 12-hour and 30-minute clocks start now."""
    now = time.time()
    request.session[LOGIN_AT_KEY] = now
    request.session[IDLE_KEY] = now


class SessionPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if not user.is_authenticated:
            return self.get_response(request)
        now = time.time()
        session = request.session
        last_seen = float(session.get(IDLE_KEY, now))
        login_at = float(session.get(LOGIN_AT_KEY, now))
        if now - last_seen > settings.LIAISON_IDLE_TIMEOUT_SECONDS:
            return self._sign_out(request, "timeout")
        if now - login_at > settings.LIAISON_REAUTH_SECONDS:
            return self._sign_out(request, "reauth")
        if IDLE_KEY not in session or now - last_seen >= IDLE_RESOLUTION_SECONDS:
            session[IDLE_KEY] = now
        if LOGIN_AT_KEY not in session:
            session[LOGIN_AT_KEY] = now
        if isinstance(user, User):
            services.user_record_activity(user=user)
        if not mfa_satisfied(user) and not self._mfa_exempt(request.path):
            if request.path.startswith("/api/"):
                return self.get_response(request)  # ApiAuth refuses the session
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('accounts:mfa')}?{query}")
        return self.get_response(request)

    def _sign_out(self, request: HttpRequest, why: str) -> HttpResponse:
        logout(request)
        if request.path.startswith("/api/"):
            return self.get_response(request)  # now anonymous: the API answers 401
        return redirect(reverse("accounts:login") + f"?{why}=1")

    @staticmethod
    def _mfa_exempt(path: str) -> bool:
        allowed = (
            reverse("accounts:mfa"),
            reverse("accounts:logout"),
            reverse("accounts:login"),
            settings.STATIC_URL,
        )
        return any(path.startswith(prefix) for prefix in allowed)
