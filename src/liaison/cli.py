"""The ``liaison`` command: every subcommand is a Django management command.

``liaison demo``, ``liaison serve``, ``liaison worker``, ``liaison createuser``,
``liaison token``, ``liaison ledger verify``, ``liaison operations check``, ``liaison check --deploy``, …

Without any variable set, every subcommand uses the data ``make demo`` made
(``var/MN``, or the state of the latest ``liaison demo --state``; see
:mod:`liaison.settings`). A subcommand that needs the database first checks that it
exists and is migrated and, if not, says so in one line with what to run — it never
creates an empty database on the way.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

# Subcommands that read or write the product's data; they need a migrated database.
# (``demo`` and ``migrate`` make one; ``check``, ``help`` and the like need none.)
NEEDS_DATABASE = frozenset(
    {"createuser", "jobs", "ledger", "operations", "serve", "token", "training", "worker"}
)


def database_problem() -> str | None:
    """Why the configured database cannot serve the product yet, in one sentence; or None."""
    from django.conf import settings
    from django.db import DatabaseError, connection
    from django.db.migrations.executor import MigrationExecutor

    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        where = str(database["NAME"])
        if not Path(where).exists():
            return (
                f"there is no database at {where}. Run `make demo` (or `liaison demo`) to "
                "create one with demo data, or set DATABASE_URL to an existing database."
            )
    else:
        where = f"{database.get('HOST') or 'localhost'}/{database['NAME']}"
    try:
        connection.ensure_connection()
        plan = MigrationExecutor(connection).migration_plan(
            MigrationExecutor(connection).loader.graph.leaf_nodes()
        )
    except DatabaseError as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return f"cannot use the database at {where} ({reason}). Check DATABASE_URL."
    if plan:
        return (
            f"the database at {where} is not migrated ({len(plan)} migration"
            f"{'s' if len(plan) != 1 else ''} to apply). Run `liaison migrate`, or "
            "`liaison demo` for demo data."
        )
    return None


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "liaison.settings")
    args = sys.argv[1:] if argv is None else argv
    command = next((a for a in args if not a.startswith("-")), "")
    if command == "demo" and "LIAISON_STATE" not in os.environ:
        # `liaison demo --state WI` is a Wisconsin deployment, with its own directory.
        for i, arg in enumerate(args):
            if arg == "--state" and i + 1 < len(args):
                os.environ["LIAISON_STATE"] = args[i + 1].upper()
            elif arg.startswith("--state="):
                os.environ["LIAISON_STATE"] = arg.split("=", 1)[1].upper()
    if command in NEEDS_DATABASE and not {"-h", "--help"} & set(args):
        import django

        django.setup()
        problem = database_problem()
        if problem is not None:
            sys.stderr.write(f"liaison {command}: {problem}\n")
            raise SystemExit(1)
    from django.core.management import execute_from_command_line

    execute_from_command_line(["liaison", *args])


if __name__ == "__main__":
    main()
