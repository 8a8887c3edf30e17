"""``liaison createuser``: make an account from the command line, as the system."""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.db.models import Q

from liaison.accounts import services
from liaison.core.errors import ServiceError
from liaison.core.management.base import LiaisonCommand, refusal_sentence
from liaison.core.roles import Role
from liaison.directory.models import Agency


class Command(LiaisonCommand):
    help = (
        "Create an account with one role and one agency. Runs as the system: the ledger "
        "records the creation with no acting user."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", required=True)
        parser.add_argument("--email", required=True)
        parser.add_argument("--role", required=True, help=f"One of: {', '.join(Role.values)}.")
        parser.add_argument(
            "--agency", required=True, help="The agency's abbreviation (e.g. BCA) or full name."
        )
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument(
            "--password-file",
            help="File whose first line is the password; without it you are asked twice.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        role = options["role"]
        if role not in Role.values:
            raise CommandError(f"Unknown role {role!r}. Choose one of: {', '.join(Role.values)}.")
        agency = self._agency(options["agency"])
        password = self._password(options["password_file"])
        try:
            user = services.user_create(
                actor=None,
                username=options["username"],
                email=options["email"],
                role=role,
                agency=agency,
                first_name=options["first_name"],
                last_name=options["last_name"],
                password=password,
            )
        except ServiceError as exc:
            raise CommandError(refusal_sentence(exc, what="The account was not created.")) from exc
        self.stdout.write(
            f"Created {user.username} ({user.get_role_display()}, {agency.name}), id {user.pk}."
        )

    @staticmethod
    def _agency(text: str) -> Agency:
        matches = list(
            Agency.objects.filter(Q(abbreviation__iexact=text) | Q(name__iexact=text))[:2]
        )
        if not matches:
            raise CommandError(f"No agency has the abbreviation or name {text!r}.")
        if len(matches) > 1:
            raise CommandError(f"Several agencies match {text!r}; give the full name.")
        return matches[0]

    @staticmethod
    def _password(path: str | None) -> str:
        if path:
            try:
                lines = Path(path).read_text(encoding="utf-8").splitlines()
            except OSError as exc:
                raise CommandError(f"Cannot read the password file: {exc.strerror}.") from exc
            if not lines or not lines[0]:
                raise CommandError("The password file is empty.")
            return lines[0]
        first = getpass.getpass("Password: ")
        if first != getpass.getpass("Password (again): "):
            raise CommandError("The two passwords differ.")
        return first
