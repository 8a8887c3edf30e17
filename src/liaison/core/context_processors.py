from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from liaison.core.dashboard import modules_for


def liaison(request: HttpRequest) -> dict[str, object]:
    """Deployment facts every page shows: the state, the profile, whether MFA is off; and
    the signed-in user's modules for the navigation (the home page offers the same)."""
    user = getattr(request, "user", None)
    signed_in = bool(user is not None and user.is_authenticated)
    return {
        "nav_modules": modules_for(getattr(user, "role", "")) if signed_in else [],
        "LIAISON_STATE": settings.LIAISON_STATE,
        "LIAISON_STATE_NAME": {"MN": "Minnesota", "WI": "Wisconsin"}[settings.LIAISON_STATE],
        "LIAISON_PROFILE": settings.PROFILE,
        "LIAISON_MFA_OFF": not settings.LIAISON_REQUIRE_MFA,
    }
