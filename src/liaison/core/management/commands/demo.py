from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from liaison.core.demo import load_all


class Command(BaseCommand):
    help = "Migrate and load deterministic demo data (idempotent); prints one login per role."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--state", choices=["MN", "WI"], default=settings.LIAISON_STATE)
        parser.add_argument(
            "--scale", type=int, default=1, help="Multiply generated records (benchmarks)."
        )
        parser.add_argument("--no-migrate", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["no_migrate"]:
            call_command("migrate", interactive=False, verbosity=0)
        for line in load_all(state=options["state"], scale=options["scale"]):
            self.stdout.write(line)
