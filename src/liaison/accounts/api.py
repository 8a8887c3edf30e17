"""API authentication (bearer tokens or the staff session) and account endpoints."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Schema
from ninja.errors import HttpError
from ninja.security import HttpBearer
from ninja.utils import check_csrf

from liaison.accounts import selectors, services
from liaison.accounts.middleware import mfa_satisfied
from liaison.accounts.models import User
from liaison.core.api import Router, changes_nothing
from liaison.core.errors import PermissionDenied

API_PREFIX = "/api/v1/"


class ApiAuth(HttpBearer):
    """``Authorization: Bearer <token>``; the token acts with its user's role and agency.

    Without that header, a signed-in staff session is accepted too (same origin,
    CSRF-checked for writes) — but only once the session has passed MFA when MFA is
    required. ``request.auth`` is the acting user either way.
    """

    def __call__(self, request: HttpRequest) -> Any:
        if request.headers.get(self.header):
            return super().__call__(request)
        user = request.user
        if not isinstance(user, User) or not user.is_authenticated or not mfa_satisfied(user):
            return None
        if request.method not in ("GET", "HEAD", "OPTIONS") and check_csrf(request) is not None:
            raise HttpError(403, "CSRF check failed.")
        return user

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        row = services.token_authenticate(token=token)
        if row is None:
            return None
        request.user = row.user
        area, _, rest = request.path.removeprefix(API_PREFIX).partition("/")
        method = request.method or "GET"
        if changes_nothing(area, "/" + rest):
            method = "GET"  # a computation behind a POST (a policy decision) is a read
        if not row.allows(method, area):
            raise PermissionDenied(
                f"This token may only {row.get_scope_display().lower()}; "
                "make a token with a wider scope for this."
            )
        return row.user


router = Router(app="accounts")


class MeOut(Schema):
    username: str
    role: str
    agency_id: int
    agency_name: str


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked_at: datetime | None
    scope: str


def _caller(request: HttpRequest) -> User:
    user = request.auth  # type: ignore[attr-defined]
    assert isinstance(user, User)
    return user


@router.get("/me", response=MeOut, summary="The calling user, role and agency")
def me(request: HttpRequest) -> MeOut:
    user = _caller(request)
    return MeOut(
        username=user.username,
        role=user.role,
        agency_id=user.agency_id,
        agency_name=user.agency.name,
    )


@router.get("/tokens", response=list[TokenOut], summary="The caller's API tokens (never secrets)")
def tokens(request: HttpRequest) -> object:
    return selectors.token_list_for_user(user=_caller(request))
