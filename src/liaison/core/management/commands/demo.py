from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from liaison.core.demo import DEFAULT_SEED, load_all


class Command(BaseCommand):
    help = (
        "Migrate and load deterministic demo data (idempotent: a second run adds nothing); "
        "prints a summary line per app and one login per role."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--state", choices=["MN", "WI"], default=settings.LIAISON_STATE)
        parser.add_argument(
            "--scale", type=int, default=1, help="Multiply generated records (benchmarks)."
        )
        parser.add_argument(
            "--seed", type=int, default=DEFAULT_SEED, help="Seed of the generated records."
        )
        parser.add_argument("--no-migrate", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["scale"] < 1:
            self.stderr.write("--scale must be 1 or more.")
            raise SystemExit(2)
        started = time.monotonic()
        if not options["no_migrate"]:
            call_command("migrate", interactive=False, verbosity=0)
        for line in load_all(state=options["state"], scale=options["scale"], seed=options["seed"]):
            self.stdout.write(line)
        self.stdout.write(
            f"Demo data for {options['state']} ready in {time.monotonic() - started:.1f} s "
            f"(scale {options['scale']}, seed {options['seed']})."
        )
