"""Account reads. Account administration is for the ``admin`` role only: anyone else
gets ``NotFound`` from these selectors, the same answer as for a missing account."""

from __future__ import annotations

import base64

from django.db.models import Q, QuerySet
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from liaison.accounts.models import ApiToken, User
from liaison.core.errors import Conflict, NotFound
from liaison.core.roles import Role


def _is_admin(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active and user.role == Role.ADMIN)


def user_list_for_user(
    *,
    user: User,
    search: str = "",
    role: str = "",
    agency_id: int | None = None,
) -> QuerySet[User]:
    """Accounts an administrator manages (every agency), filtered; NotFound for others."""
    if not _is_admin(user):
        raise NotFound()
    qs = User.objects.select_related("agency").order_by("username")
    search = search.strip()
    if search:
        qs = qs.filter(
            Q(username__icontains=search)
            | Q(first_name__icontains=search)
            | Q(last_name__icontains=search)
            | Q(email__icontains=search)
        )
    if role:
        qs = qs.filter(role=role)
    if agency_id is not None:
        qs = qs.filter(agency_id=agency_id)
    return qs


def user_get_for_user(*, user: User, pk: int) -> User:
    """One account, for an administrator; NotFound for anyone else or a missing id."""
    if not _is_admin(user):
        raise NotFound()
    found = User.objects.select_related("agency").filter(pk=pk).first()
    if found is None:
        raise NotFound()
    return found


def token_list_for_user(*, user: User, owner: User | None = None) -> QuerySet[ApiToken]:
    """Tokens of ``owner`` (default: the user's own). Others' tokens only for admins."""
    owner = owner or user
    if owner.pk != user.pk and not _is_admin(user):
        raise NotFound()
    return ApiToken.objects.filter(user=owner).order_by("-created_at")


def token_get_for_user(*, user: User, pk: int) -> ApiToken:
    """A token the user owns, or any token for an administrator; NotFound otherwise."""
    qs = ApiToken.objects.select_related("user")
    if not _is_admin(user):
        qs = qs.filter(user=user)
    found = qs.filter(pk=pk).first()
    if found is None:
        raise NotFound()
    return found


def token_get_by_prefix(*, prefix: str) -> ApiToken:
    """The one token whose public prefix is ``prefix`` (for the command line, as the system).

    Raises ``NotFound`` when none matches and ``Conflict`` when several do.
    """
    rows = list(ApiToken.objects.select_related("user").filter(prefix=prefix)[:2])
    if not rows:
        raise NotFound(f"No token has the prefix {prefix!r}.")
    if len(rows) > 1:
        raise Conflict(f"Several tokens have the prefix {prefix!r}; revoke by --id.")
    return rows[0]


def mfa_device_for_user(*, user: User) -> TOTPDevice | None:
    """The user's confirmed authenticator app, if any."""
    device: TOTPDevice | None = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device


def backup_codes_left(*, user: User) -> int:
    """How many unused one-time backup codes the user has."""
    count: int = StaticToken.objects.filter(device__user=user, device__confirmed=True).count()
    return count


def totp_secret_text(*, device: TOTPDevice) -> str:
    """The device secret in base32, in groups of four, for typing into an app by hand."""
    raw = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))
