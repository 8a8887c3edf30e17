"""Account writes: users, roles, tokens, logins. Every change is ledgered."""

from __future__ import annotations

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from liaison.accounts.models import ApiToken, User
from liaison.ledger.services import ledger_append

TOKEN_PREFIX = "lia_"  # noqa: S105 - a public prefix, not a secret


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def token_authenticate(*, token: str) -> User | None:
    """The active user a live token belongs to, or None."""
    row = (
        ApiToken.objects.select_related("user", "user__agency")
        .filter(token_hash=_hash_token(token), revoked_at__isnull=True)
        .first()
    )
    if row is None or not row.user.is_active or row.user.locked_at is not None:
        return None
    now = timezone.now()
    if row.expires_at is not None and row.expires_at <= now:
        return None
    ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
    return row.user


@transaction.atomic
def token_create(*, actor: User, user: User, name: str) -> tuple[ApiToken, str]:
    """Create a token for ``user``; returns the row and the secret, which is shown once."""
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken.objects.create(
        user=user, name=name, prefix=secret[:10], token_hash=_hash_token(secret)
    )
    ledger_append(
        actor=actor, action="token.create", obj=row, change={"user": user.pk, "name": name}
    )
    return row, secret
