"""Account writes: users, roles, logons, MFA devices, API tokens. Every change is ledgered.

Only the ``admin`` role manages accounts (of every agency). ``actor=None`` means the
system itself: the command line (``liaison createuser``, ``liaison token``) and
background jobs, which run with database access and are recorded as "system" in
the ledger. Nothing personal reaches the ledger in clear: users are referenced by
id, usernames tried at logon by the first 16 hex digits of their keyed hash.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from liaison.accounts.error_codes import AccountErrorCode
from liaison.accounts.models import ApiToken, LoginAttempt, TokenScope, User
from liaison.core.errors import Conflict, PermissionDenied, ServiceError
from liaison.core.net import source_key
from liaison.core.roles import Role
from liaison.core.validation import model_update, validate
from liaison.directory.models import Agency
from liaison.ledger.services import security_record

TOKEN_PREFIX = "lia_"  # noqa: S105 - a public prefix, not a secret
BACKUP_CODE_COUNT = 10
ACTIVITY_RESOLUTION = timedelta(minutes=5)
USER_FIELDS = ("username", "email", "first_name", "last_name", "role", "agency")

LOCKED_MESSAGE = (
    "This account is locked after too many failed sign-in attempts. "
    "Try again in 30 minutes, or contact your administrator to unlock it sooner."
)
SOURCE_THROTTLED_MESSAGE = (
    "Too many failed sign-in attempts came from your network. Try again in 15 minutes."
)
INVALID_LOGIN_MESSAGE = "Please enter a correct username and password."


# --- helpers ----------------------------------------------------------------------------


def username_hash(username: str) -> str:
    """HMAC-SHA256 of a typed username under ``LIAISON_HASH_KEY`` (hex); never the name."""
    key = settings.LIAISON_HASH_KEY.encode()
    return hmac.new(key, username.encode(), hashlib.sha256).hexdigest()


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _require_admin(actor: User | None) -> None:
    """The system (``None``) and administrators may manage accounts; nobody else."""
    if actor is not None and actor.role != Role.ADMIN:
        raise PermissionDenied("Only an administrator can manage accounts.")


def _full_clean(user: User, *, exclude: list[str] | None = None) -> None:
    validate(user, exclude=exclude)


def _check_password(password: str, user: User) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ServiceError(
            "Choose a stronger password.",
            code=AccountErrorCode.WEAK_PASSWORD,
            fields={"password": exc.messages},
        ) from exc


def _record(actor: User | None, action: str, user: User, change: dict[str, Any]) -> None:
    security_record(
        actor=actor,
        action=action,
        object_type="accounts.user",
        object_id=user.pk,
        change=change,
    )


# --- users ------------------------------------------------------------------------------


def user_create(
    *,
    actor: User | None,
    username: str,
    email: str,
    role: str,
    agency: Agency,
    first_name: str = "",
    last_name: str = "",
    password: str | None = None,
) -> User:
    """Create an account. Without ``password`` the account cannot sign in until one is set."""
    _require_admin(actor)
    with transaction.atomic():
        user = User(
            username=username,
            email=email,
            role=role,
            agency=agency,
            first_name=first_name,
            last_name=last_name,
        )
        _full_clean(user, exclude=["password"])
        if password is None:
            user.set_unusable_password()
        else:
            _check_password(password, user)
            user.set_password(password)
        user.save()
        _record(
            actor,
            "user.create",
            user,
            {"username": username, "email": email, "role": role, "agency": agency.pk},
        )
    return user


def user_update(
    *,
    actor: User | None,
    user: User,
    username: str | None = None,
    email: str | None = None,
    first_name: str | None = None,
    last_name: str | None = None,
    role: str | None = None,
    agency: Agency | None = None,
) -> User:
    """Change the given fields (``None`` leaves a field as it is).

    A change of role or agency is a permission change and is ledgered as such
    (``user.permissions_change``); other edits as ``user.update``; no change, no entry.
    """
    _require_admin(actor)
    given = {
        "username": username,
        "email": email,
        "first_name": first_name,
        "last_name": last_name,
        "role": role,
        "agency": agency,
    }
    changes = {k: v for k, v in given.items() if v is not None}
    with transaction.atomic():
        row = User.objects.select_for_update().get(pk=user.pk)
        changed = {k: v for k, v in changes.items() if getattr(row, k) != v}
        if (
            actor is not None
            and row.pk == actor.pk
            and changed.get("role", Role.ADMIN) != Role.ADMIN
        ):
            raise Conflict(
                "You cannot remove your own administrator role.",
                code=AccountErrorCode.OWN_ADMIN_ROLE,
                fields={"role": ["Another administrator must change your role."]},
            )
        if not model_update(row, changed, allowed=USER_FIELDS):
            return row
        plain = {k: (v.pk if isinstance(v, Agency) else v) for k, v in changed.items()}
        privileged = {"role", "agency"} & set(changed)
        _record(actor, "user.permissions_change" if privileged else "user.update", row, plain)
    return row


def user_unlock(*, actor: User | None, user: User) -> User:
    """Release a lockout before its time (administrators only) and forget the failures
    that caused it."""
    _require_admin(actor)
    with transaction.atomic():
        row = User.objects.select_for_update().get(pk=user.pk)
        if row.locked_until is None:
            raise Conflict("This account is not locked.", code=AccountErrorCode.NOT_LOCKED)
        row.locked_at = None
        row.save(update_fields=["locked_at"])
        LoginAttempt.objects.filter(
            username_hash=username_hash(row.username), succeeded=False, refused=False
        ).delete()
        _record(actor, "user.unlock", row, {"unlocked": True})
    return row


def user_deactivate(*, actor: User | None, user: User) -> User:
    """Switch an account off: no sign-in, no API token works. Reversible by an admin."""
    _require_admin(actor)
    if actor is not None and actor.pk == user.pk:
        raise Conflict("You cannot deactivate your own account.", code=AccountErrorCode.OWN_ACCOUNT)
    with transaction.atomic():
        row = User.objects.select_for_update().get(pk=user.pk)
        if not row.is_active:
            raise Conflict("This account is already inactive.", code=AccountErrorCode.INACTIVE)
        row.is_active = False
        row.save(update_fields=["is_active"])
        _record(actor, "user.deactivate", row, {"is_active": False})
    return row


def user_activate(*, actor: User | None, user: User) -> User:
    """Switch a deactivated (or 90-day disabled) account back on; its inactivity clock restarts."""
    _require_admin(actor)
    with transaction.atomic():
        row = User.objects.select_for_update().get(pk=user.pk)
        if row.is_active:
            raise Conflict("This account is already active.", code=AccountErrorCode.ACTIVE)
        row.is_active = True
        row.last_activity_at = timezone.now()
        row.save(update_fields=["is_active", "last_activity_at"])
        _record(actor, "user.activate", row, {"is_active": True})
    return row


def users_disable_inactive(*, now: datetime | None = None) -> int:
    """Disable every active account with no activity for 90 days (CJIS); returns how many.

    Activity is the last request, else the last sign-in, else the creation date.
    Idempotent: a second run finds nothing more to do. Runs as the system.
    """
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.LIAISON_INACTIVE_DISABLE_DAYS)
    with transaction.atomic():
        stale = list(
            User.objects.select_for_update()
            .filter(is_active=True)
            .annotate(seen=Coalesce("last_activity_at", "last_login", "date_joined"))
            .filter(seen__lt=cutoff)
            .order_by("pk")
        )
        for row in stale:
            User.objects.filter(pk=row.pk).update(is_active=False)
            _record(None, "user.disable_inactive", row, {"is_active": False, "cutoff": cutoff})
    return len(stale)


def login_attempts_prune(*, now: datetime | None = None) -> int:
    """Delete logon attempts older than a day; the lockout rule only looks 15 minutes back
    (the ledger keeps the audit trail). Idempotent. Returns how many rows went."""
    now = now or timezone.now()
    deleted, _ = LoginAttempt.objects.filter(at__lt=now - timedelta(days=1)).delete()
    return deleted


def user_record_activity(*, user: User, now: datetime | None = None) -> None:
    """Note that ``user`` is active: one conditional UPDATE at most every few minutes."""
    now = now or timezone.now()
    last = user.last_activity_at
    if last is not None and now - last < ACTIVITY_RESOLUTION:
        return
    User.objects.filter(
        Q(last_activity_at__isnull=True) | Q(last_activity_at__lt=now - ACTIVITY_RESOLUTION),
        pk=user.pk,
    ).update(last_activity_at=now)
    user.last_activity_at = now


def user_password_change(*, actor: User, user: User, old_password: str, new_password: str) -> User:
    """A user changes their own password, giving the current one."""
    if actor.pk != user.pk:
        raise PermissionDenied("You can only change your own password this way.")
    with transaction.atomic():
        row = User.objects.select_for_update().get(pk=user.pk)
        if row.check_password(old_password):
            _check_password(new_password, row)
            row.set_password(new_password)
            row.save(update_fields=["password"])
            _record(actor, "user.password_change", row, {"by": "self"})
            return row
        # A failed attempt is an audit event too; it must commit, so no raise in here.
        _record(actor, "user.password_change_fail", row, {"by": "self"})
    raise ServiceError(
        "Your current password is not correct.",
        code=AccountErrorCode.WRONG_PASSWORD,
        fields={"old_password": ["Your current password is not correct."]},
    )


def user_password_set(*, actor: User | None, user: User, password: str) -> User:
    """An administrator sets a new password for someone (e.g. a forgotten one).

    A reset means the old credentials may be in the wrong hands, so the user's live
    API tokens are revoked too (each ledgered); the user makes new ones.
    """
    _require_admin(actor)
    with transaction.atomic():
        row = User.objects.select_for_update().get(pk=user.pk)
        _check_password(password, row)
        row.set_password(password)
        row.save(update_fields=["password"])
        _record(actor, "user.password_change", row, {"by": "admin"})
        live = ApiToken.objects.select_for_update().filter(user=row, revoked_at__isnull=True)
        for token in live.order_by("pk"):
            _token_revoked(actor, token, why="password_reset")
    return row


# --- logon --------------------------------------------------------------------------------


def login_authenticate(*, request: HttpRequest | None, username: str, password: str) -> User:
    """Check a logon and enforce the lockout rules; returns the user or raises ServiceError.

    * Per account: 5 failed passwords or second-factor codes for one username within 15
      minutes lock it for 30 minutes (``LIAISON_LOCKOUT_*``), or until an administrator
      unlocks it. While locked, sign-in is refused even with the right password — but
      the account's open sessions and API tokens keep working: whoever typed the wrong
      passwords may not be its owner.
    * Per source address: 20 failures from one address within 15 minutes refuse every
      sign-in from it for 30 minutes (``LIAISON_SOURCE_FAILURE_LIMIT``), so one source
      cannot lock out account after account.

    Unknown usernames get the same answers as known ones, so the page never says whether
    an account exists. Every attempt is ledgered (bursts of failures from one source
    aggregated, see :func:`liaison.ledger.services.security_record`); the caller then
    calls ``django.contrib.auth.login``.
    """
    key = username_hash(username)
    source = source_key(request)
    with transaction.atomic():
        user = User.objects.select_for_update().filter(username=username).first()
        if source and _source_throttled(source):
            _login_failed(key, user, source=source, why="source_throttled", refused=True)
            failure: ServiceError = TooManyAttempts(SOURCE_THROTTLED_MESSAGE)
        elif _locked_until(key) is not None:
            _login_failed(key, user, source=source, why="locked", refused=True)
            failure = PermissionDenied(LOCKED_MESSAGE)
        else:
            authed = authenticate(request, username=username, password=password)
            if isinstance(authed, User):
                LoginAttempt.objects.create(
                    username_hash=key, user=authed, succeeded=True, source=source
                )
                _record(authed, "login.success", authed, {})
                return authed
            _login_failed(key, user, source=source, why="credentials")
            failure = ServiceError(INVALID_LOGIN_MESSAGE, code=AccountErrorCode.INVALID_LOGIN)
            if _lock_if_due(key, user, source=source):
                failure = PermissionDenied(LOCKED_MESSAGE)
    raise failure


class TooManyAttempts(ServiceError):
    """Too many failed sign-ins from one source address: refused for a while."""

    status = 429
    code = AccountErrorCode.TOO_MANY_ATTEMPTS


def _login_failed(
    key: str,
    user: User | None,
    *,
    source: str,
    why: str,
    refused: bool = False,
    stage: str = LoginAttempt.Stage.PASSWORD,
) -> None:
    LoginAttempt.objects.create(
        username_hash=key, user=user, succeeded=False, refused=refused, stage=stage, source=source
    )
    if why == "source_throttled":  # one burst per source, whatever usernames it tries
        object_type, object_id = "accounts.source", source[:16]
    elif user is not None:
        object_type, object_id = "accounts.user", str(user.pk)
    else:
        object_type, object_id = "accounts.login", key[:16]
    security_record(
        actor=user if stage == LoginAttempt.Stage.MFA else None,
        action="login.fail" if stage == LoginAttempt.Stage.PASSWORD else "mfa.fail",
        object_type=object_type,
        object_id=object_id,
        change={"why": why},
        source=source,
        repeatable=True,
    )


def _counted_failures(key: str, since: datetime) -> list[datetime]:
    """Times of the failures for ``key`` that count towards a lock: checked (not refused)
    failures after ``since`` and after the latest complete sign-in."""
    # A complete sign-in restarts the count: with MFA required that is a right code, so
    # knowing the password does not buy more guesses at the code.
    complete = LoginAttempt.Stage.MFA if settings.LIAISON_REQUIRE_MFA else None
    successes = LoginAttempt.objects.filter(username_hash=key, succeeded=True)
    if complete is not None:
        successes = successes.filter(stage=complete)
    last_ok = successes.aggregate(at=Max("at"))["at"]
    if last_ok is not None and last_ok > since:
        since = last_ok
    return list(
        LoginAttempt.objects.filter(username_hash=key, succeeded=False, refused=False, at__gt=since)
        .order_by("at")
        .values_list("at", flat=True)
    )


def _locked_until(key: str, *, now: datetime | None = None) -> datetime | None:
    """When the lock on ``key`` (a username hash) ends, if it is locked now.

    A lock starts at the failure that makes ``LIAISON_LOCKOUT_THRESHOLD`` within
    ``LIAISON_LOCKOUT_WINDOW_SECONDS`` and lasts ``LIAISON_LOCKOUT_SECONDS``. Refused
    attempts during a lock do not count, so retrying does not stretch it.
    """
    now = now or timezone.now()
    window = timedelta(seconds=settings.LIAISON_LOCKOUT_WINDOW_SECONDS)
    period = timedelta(seconds=settings.LIAISON_LOCKOUT_SECONDS)
    threshold = settings.LIAISON_LOCKOUT_THRESHOLD
    times = _counted_failures(key, now - window - period)
    until: datetime | None = None
    start = 0
    for index, at in enumerate(times):
        if until is not None and at < until:
            continue
        if until is not None:
            start, until = index, None
        while at - times[start] > window:
            start += 1
        if index - start + 1 >= threshold:
            until = at + period
            start = index + 1
    return until if until is not None and until > now else None


def _lock_if_due(key: str, user: User | None, *, source: str) -> bool:
    """After a failure: lock when the rule says so (ledgered once per lock)."""
    until = _locked_until(key)
    if until is None:
        return False
    if user is not None:
        user.locked_at = until - timedelta(seconds=settings.LIAISON_LOCKOUT_SECONDS)
        user.save(update_fields=["locked_at"])
        _record(
            None,
            "user.lock",
            user,
            {"until": until, "minutes": settings.LIAISON_LOCKOUT_SECONDS // 60},
        )
    return True


def _source_throttled(source: str) -> bool:
    """Whether ``source`` had too many checked failures (for any usernames) within the
    lockout window; refused attempts do not count, so the throttle ends by itself."""
    since = timezone.now() - timedelta(seconds=settings.LIAISON_LOCKOUT_WINDOW_SECONDS)
    recent = LoginAttempt.objects.filter(
        source=source, succeeded=False, refused=False, at__gt=since
    ).count()
    return recent >= settings.LIAISON_SOURCE_FAILURE_LIMIT


# --- MFA ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Enrolment:
    device: TOTPDevice
    backup_codes: list[str]


def mfa_enrolment_start(*, actor: User) -> TOTPDevice:
    """The pending (unconfirmed) authenticator for ``actor``, made on first call."""
    with transaction.atomic():
        if TOTPDevice.objects.filter(user=actor, confirmed=True).exists():
            raise Conflict("You already have an authenticator app.", code=AccountErrorCode.ENROLLED)
        device: TOTPDevice | None = TOTPDevice.objects.filter(user=actor, confirmed=False).first()
        if device is None:
            device = TOTPDevice.objects.create(
                user=actor, name="Authenticator app", confirmed=False
            )
    return device


def mfa_enrolment_confirm(
    *, actor: User, token: str, request: HttpRequest | None = None
) -> Enrolment:
    """Confirm the pending authenticator with a code from it; returns new backup codes.
    Wrong codes count towards the sign-in lock, as in :func:`mfa_verify`."""
    source = source_key(request)
    with transaction.atomic():
        if _locked_until(username_hash(actor.username)) is not None:
            _mfa_failed(actor, "enrolment", source=source, refused=True)
            locked = True
        else:
            locked = False
    if locked:
        raise PermissionDenied(LOCKED_MESSAGE)
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(user=actor, confirmed=False).first()
        if device is None:
            raise Conflict("Start the enrolment again.", code=AccountErrorCode.NO_PENDING_DEVICE)
        if device.verify_token(token.strip().replace(" ", "")):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            StaticDevice.objects.filter(user=actor).delete()
            backup = StaticDevice.objects.create(user=actor, name="Backup codes", confirmed=True)
            codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
            StaticToken.objects.bulk_create(StaticToken(device=backup, token=c) for c in codes)
            _mfa_passed(actor, source)
            _record(actor, "mfa.enrol", actor, {"device": device.pk})
            return Enrolment(device=device, backup_codes=codes)
        # The failure and the device's throttle count must commit, so no raise in here.
        locked = _mfa_failed(actor, "enrolment", source=source)
    if locked:
        raise PermissionDenied(LOCKED_MESSAGE)
    raise _wrong_code()


def mfa_verify(
    *, actor: User, token: str, request: HttpRequest | None = None
) -> TOTPDevice | StaticDevice:
    """The device that accepts ``token`` (a 6-digit code or a one-time backup code).

    A wrong code counts towards the sign-in lock like a wrong password; while the
    account is locked no code is checked (``PermissionDenied`` with the lock message).
    """
    token = token.strip().replace(" ", "")
    source = source_key(request)
    with transaction.atomic():
        if _locked_until(username_hash(actor.username)) is not None:
            _mfa_failed(actor, "verification", source=source, refused=True)
            locked = True
        else:
            locked = False
    if locked:
        raise PermissionDenied(LOCKED_MESSAGE)
    with transaction.atomic():
        devices: list[TOTPDevice | StaticDevice] = [
            *TOTPDevice.objects.select_for_update().filter(user=actor, confirmed=True),
            *StaticDevice.objects.select_for_update().filter(user=actor, confirmed=True),
        ]
        for device in devices:
            if device.verify_token(token.lower() if isinstance(device, StaticDevice) else token):
                _mfa_passed(actor, source)
                _record(actor, "mfa.verify", actor, {"device": device.persistent_id})
                return device
        locked = _mfa_failed(actor, "verification", source=source)
    if locked:
        raise PermissionDenied(LOCKED_MESSAGE)
    raise _wrong_code()


def mfa_reset(*, actor: User | None, user: User) -> None:
    """Remove a user's authenticator and backup codes (lost phone); they enrol again."""
    _require_admin(actor)
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        _record(actor, "mfa.reset", user, {})


def _mfa_passed(actor: User, source: str) -> None:
    LoginAttempt.objects.create(
        username_hash=username_hash(actor.username),
        user=actor,
        succeeded=True,
        stage=LoginAttempt.Stage.MFA,
        source=source,
    )


def _mfa_failed(actor: User, stage: str, *, source: str = "", refused: bool = False) -> bool:
    """Record a wrong code; it counts towards the sign-in lock. True if now locked."""
    key = username_hash(actor.username)
    _login_failed(
        key,
        actor,
        source=source,
        why=stage if not refused else "locked",
        refused=refused,
        stage=LoginAttempt.Stage.MFA,
    )
    return not refused and _lock_if_due(key, actor, source=source)


def _wrong_code() -> ServiceError:
    return ServiceError(
        "That code is not correct. Enter the current code from your app.",
        code=AccountErrorCode.WRONG_CODE,
        fields={"token": ["That code is not correct or has already been used."]},
    )


# --- API tokens ---------------------------------------------------------------------------


def token_authenticate(*, token: str) -> ApiToken | None:
    """The live token (with its active user) that ``token`` is the secret of, or None."""
    row = (
        ApiToken.objects.select_related("user", "user__agency")
        .filter(token_hash=_hash_token(token), revoked_at__isnull=True)
        .first()
    )
    # A sign-in lock does not stop tokens: someone else may have typed the passwords.
    if row is None or not row.user.is_active:
        return None
    now = timezone.now()
    if not row.is_live(now):
        return None
    if row.last_used_at is None or now - row.last_used_at >= ACTIVITY_RESOLUTION:
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
    user_record_activity(user=row.user, now=now)
    return row


def token_create(
    *,
    actor: User | None,
    user: User,
    name: str,
    expires_at: datetime | None = None,
    scope: str = TokenScope.WRITE,
) -> tuple[ApiToken, str]:
    """Create a token for ``user``; returns the row and the secret, which is shown once.

    Users make their own tokens; an administrator (or the system) may make one for
    anyone. Only the SHA-256 of the secret is stored. ``scope`` (a :class:`TokenScope`)
    narrows what the token may do below what its user may: the token page and
    ``liaison token create`` offer read-only first.
    """
    if actor is not None and actor.pk != user.pk:
        _require_admin(actor)
    if expires_at is not None and expires_at <= timezone.now():
        raise ServiceError(
            "The expiry must be in the future.",
            code=AccountErrorCode.EXPIRY_IN_PAST,
            fields={"expires_at": ["Pick a later date."]},
        )
    if not user.is_active:
        raise Conflict("This account is inactive.", code=AccountErrorCode.INACTIVE)
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        row = ApiToken(
            user=user,
            name=name.strip(),
            prefix=secret[:10],
            token_hash=_hash_token(secret),
            expires_at=expires_at,
            scope=scope,
        )
        try:
            row.full_clean()
        except ValidationError as exc:
            raise ServiceError.from_validation_error(exc) from exc
        row.save()
        security_record(
            actor=actor,
            action="token.create",
            object_type="accounts.apitoken",
            object_id=row.pk,
            change={
                "user": user.pk,
                "name": row.name,
                "expires_at": expires_at,
                "scope": row.scope,
            },
        )
    return row, secret


def token_revoke(*, actor: User | None, token: ApiToken) -> ApiToken:
    """Revoke a token: its owner or an administrator. It stops working at once."""
    if actor is not None and actor.pk != token.user_id:
        _require_admin(actor)
    with transaction.atomic():
        row = ApiToken.objects.select_for_update().get(pk=token.pk)
        if row.revoked_at is not None:
            raise Conflict("This token is already revoked.", code=AccountErrorCode.REVOKED)
        _token_revoked(actor, row, why="revoked")
    return row


def _token_revoked(actor: User | None, row: ApiToken, *, why: str) -> None:
    row.revoked_at = timezone.now()
    row.save(update_fields=["revoked_at"])
    change: dict[str, Any] = {"user": row.user_id}
    if why != "revoked":
        change["why"] = why
    security_record(
        actor=actor,
        action="token.revoke",
        object_type="accounts.apitoken",
        object_id=row.pk,
        change=change,
    )
