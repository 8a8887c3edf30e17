"""The roles of DESIGN.md. A user has exactly one role, tied to one agency."""

from typing import Any, Protocol, cast

from django.contrib.auth import get_user_model
from django.db import models


class Role(models.TextChoices):
    COORDINATOR = "coordinator", "Coordinator"
    OFFICER = "officer", "Officer"
    SUPERVISOR = "supervisor", "Supervisor"
    PRIVACY_OFFICER = "privacy_officer", "Privacy officer"
    LEGAL_COUNSEL = "legal_counsel", "Legal counsel"
    INVESTIGATOR = "investigator", "Investigator"
    OVERSIGHT = "oversight", "Oversight"
    PARTNER = "partner", "Federal partner"
    ADMIN = "admin", "Administrator"


STAFF_ROLES = frozenset(Role) - {Role.PARTNER}
# Roles that read every record they are entitled to across agencies.
READ_ALL_ROLES = frozenset({Role.OVERSIGHT, Role.ADMIN})


class Actor(Protocol):
    """What a service needs of the signed-in user acting: who, in which role, for which
    agency. The accounts' user model has all of it; apps below ``accounts`` (the
    directory) type their actors with this instead of importing the model."""

    @property
    def pk(self) -> Any: ...

    @property
    def role(self) -> str: ...

    @property
    def agency_id(self) -> int | None: ...

    @property
    def is_active(self) -> bool: ...

    @property
    def is_authenticated(self) -> bool: ...


def signed_in_actor(user: object) -> Actor | None:
    """``user`` if it is a signed-in account of the project's user model, else ``None``
    (anonymous, or a request without a user)."""
    if isinstance(user, get_user_model()) and user.is_authenticated:
        return cast(Actor, user)
    return None
