"""``liaison token create|revoke``: API tokens from the command line, as the system."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils import timezone

from liaison.accounts import selectors, services
from liaison.accounts.models import ApiToken, TokenScope, User
from liaison.core.errors import ServiceError
from liaison.core.management.base import LiaisonCommand, refusal_sentence


class Command(LiaisonCommand):
    help = (
        "Create or revoke API tokens. Runs as the system: the ledger records the action "
        "with no acting user. The secret of a new token is printed once and never stored."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Make a token for a user; prints its secret once.")
        create.add_argument("--user", required=True, help="Username the token acts as.")
        create.add_argument("--name", required=True, help="What the token is for.")
        create.add_argument("--expires-days", type=int, help="Days until it stops working.")
        create.add_argument(
            "--scope",
            default=TokenScope.READ.value,
            choices=TokenScope.values,
            help="What it may do: read (the default), write (anything the user may change), "
            "or write:AREA to change one area only (directory, agreements, notifications, "
            "accounts, training, operations, sharing).",
        )
        revoke = sub.add_parser("revoke", help="Revoke a token.")
        which = revoke.add_mutually_exclusive_group(required=True)
        which.add_argument("--prefix", help="The first characters shown in the token list.")
        which.add_argument("--id", type=int, help="The token's id.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["action"] == "create":
                self._create(options)
            else:
                self._revoke(options)
        except ServiceError as exc:
            raise CommandError(refusal_sentence(exc)) from exc

    def _create(self, options: dict[str, Any]) -> None:
        user = User.objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"No user is named {options['user']!r}.")
        days = options["expires_days"]
        if days is not None and days < 1:
            raise CommandError("--expires-days must be at least 1.")
        row, secret = services.token_create(
            actor=None,
            user=user,
            name=options["name"],
            expires_at=timezone.now() + timedelta(days=days) if days else None,
            scope=options["scope"],
        )
        expiry = f"expires {row.expires_at:%Y-%m-%d}" if row.expires_at else "no expiry"
        self.stderr.write(
            f"Token {row.pk} ({row.prefix}…) for {user.username}, {expiry}, "
            f"scope {row.scope}: {row.get_scope_display().lower()}."
        )
        self.stderr.write("The secret below is shown once; store it now.")
        self.stdout.write(secret)

    def _revoke(self, options: dict[str, Any]) -> None:
        if options["id"] is not None:
            token = ApiToken.objects.filter(pk=options["id"]).first()
            if token is None:
                raise CommandError(f"No token has the id {options['id']}.")
        else:
            token = selectors.token_get_by_prefix(prefix=options["prefix"])
        services.token_revoke(actor=None, token=token)
        self.stdout.write(f"Revoked token {token.pk} ({token.prefix}…).")
