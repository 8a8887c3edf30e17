from __future__ import annotations

import time
from io import StringIO
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError, CommandParser

from liaison.core.demo import DEFAULT_SEED, load_all
from liaison.core.management.base import LiaisonCommand


class Command(LiaisonCommand):
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
        if options["state"] != settings.LIAISON_STATE:
            raise CommandError(
                f"This deployment serves {settings.LIAISON_STATE}; run "
                f"`LIAISON_STATE={options['state']} liaison demo` for a {options['state']} demo."
            )
        started = time.monotonic()
        Path(settings.VAR_DIR).mkdir(parents=True, exist_ok=True)
        if (
            settings.PROFILE == "demo"
            and (settings.VAR_ROOT / settings.LIAISON_STATE).resolve() == settings.VAR_DIR
        ):
            # Commands run later without LIAISON_STATE serve this state's data.
            settings.DEMO_STATE_FILE.write_text(settings.LIAISON_STATE + "\n", encoding="utf-8")
        if not options["no_migrate"]:
            call_command("migrate", interactive=False, verbosity=0)
        mail_dir = self._demo_mail_to_files()
        for line in load_all(state=options["state"], scale=options["scale"], seed=options["seed"]):
            self.stdout.write(line)
        if mail_dir is not None and any(mail_dir.iterdir()):
            self.stdout.write(f"E-mails of the demo's notifications are in {mail_dir}.")
        # Sign a checkpoint of what was loaded, so the public ledger and `liaison ledger
        # verify|key` have one from the start (nothing new when the demo was already there).
        call_command("ledger", "checkpoint", stdout=StringIO(), stderr=StringIO())
        self.stdout.write(
            f"Demo data for {options['state']} ready in {time.monotonic() - started:.1f} s "
            f"(scale {options['scale']}, seed {options['seed']})."
        )

    def _demo_mail_to_files(self) -> Path | None:
        """Where the mail the demo's lifecycle steps send goes while loading: files under
        the demo's directory instead of this command's output (when mail would otherwise
        be printed to the console); ``None`` when a real mail setup is configured."""
        if settings.EMAIL_BACKEND != "django.core.mail.backends.console.EmailBackend":
            return None
        mail_dir = Path(settings.VAR_DIR) / "mail"
        mail_dir.mkdir(parents=True, exist_ok=True)
        settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
        settings.EMAIL_FILE_PATH = str(mail_dir)
        return mail_dir
