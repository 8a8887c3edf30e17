"""API authentication (bearer tokens or the staff session) and account endpoints."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.security import HttpBearer

from liaison.accounts import services


class ApiAuth(HttpBearer):
    """``Authorization: Bearer <token>``; the token acts with its user's role and agency."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = services.token_authenticate(token=token)
        if user is not None:
            request.user = user
        return user


router = Router(tags=["accounts"])


class MeOut(Schema):
    username: str
    role: str
    agency_id: int
    agency_name: str


@router.get("/me", response=MeOut, summary="The calling user, role and agency")
def me(request: HttpRequest) -> MeOut:
    user = request.auth  # type: ignore[attr-defined]
    return MeOut(
        username=user.username,
        role=user.role,
        agency_id=user.agency_id,
        agency_name=user.agency.name,
    )
