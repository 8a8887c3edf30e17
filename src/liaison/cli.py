"""The ``liaison`` command: every subcommand is a Django management command.

``liaison demo``, ``liaison serve``, ``liaison worker``, ``liaison createuser``,
``liaison token``, ``liaison ledger verify``, ``liaison check --deploy``, …
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "liaison.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["liaison", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
