from __future__ import annotations

import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandParser

from liaison.core.management.base import LiaisonCommand


class Command(LiaisonCommand):
    help = "Serve the web app: gunicorn in production, Django's server otherwise."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bind", default="127.0.0.1:8000")
        parser.add_argument("--workers", type=int, default=3)

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            from gunicorn.app.wsgiapp import run

            sys.argv = [
                "gunicorn",
                "liaison.wsgi",
                "--bind",
                options["bind"],
                "--workers",
                str(options["workers"]),
            ]
            run()
            return
        call_command("runserver", options["bind"], use_reloader=False)
