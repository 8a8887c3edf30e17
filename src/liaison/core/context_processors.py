from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def liaison(request: HttpRequest) -> dict[str, object]:
    """Deployment facts every page shows: the state, the profile, whether MFA is off."""
    return {
        "LIAISON_STATE": settings.LIAISON_STATE,
        "LIAISON_STATE_NAME": {"MN": "Minnesota", "WI": "Wisconsin"}[settings.LIAISON_STATE],
        "LIAISON_PROFILE": settings.PROFILE,
        "LIAISON_MFA_OFF": not settings.LIAISON_REQUIRE_MFA,
    }
