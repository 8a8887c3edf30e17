"""Deployment checks of Liaison's own settings, run by ``liaison check --deploy``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register

MIN_HASH_KEY_LENGTH = 32


@register(Tags.security, deploy=True)
def check_production_secrets(
    app_configs: Sequence[AppConfig] | None, **kwargs: Any
) -> list[CheckMessage]:
    errors: list[CheckMessage] = []
    hash_key = str(settings.LIAISON_HASH_KEY)
    if hash_key.startswith("demo-only") or len(hash_key) < MIN_HASH_KEY_LENGTH:
        errors.append(
            Error(
                f"LIAISON_HASH_KEY must be a random value of at least {MIN_HASH_KEY_LENGTH} "
                "characters, not the demo key.",
                hint="Generate one with: python -c 'import secrets; print(secrets.token_urlsafe(48))'",
                id="liaison.E001",
            )
        )
    signer = str(settings.LIAISON_LEDGER_SIGNER_KEY or "")
    if not signer.startswith("PRIVATE+KEY+"):
        errors.append(
            Error(
                "LIAISON_LEDGER_SIGNER_KEY must be a note signer key (PRIVATE+KEY+name+id+key).",
                hint="See docs/deploy.md, 'Secrets', for the command that makes one.",
                id="liaison.E002",
            )
        )
    if not settings.LIAISON_REQUIRE_MFA:
        errors.append(Error("MFA must be required outside the demo.", id="liaison.E003"))
    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        errors.append(
            Error(
                "Production needs PostgreSQL: set DATABASE_URL=postgres://…",
                id="liaison.E004",
            )
        )
    return errors
