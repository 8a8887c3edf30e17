"""Database triggers that make the ledger tables append-only.

``ledger_entry``, ``ledger_node`` and ``ledger_checkpoint`` refuse UPDATE and
DELETE (and TRUNCATE on PostgreSQL); the one-row ``ledger_head`` and
``ledger_tree`` may only grow and may not be deleted. Migration 0003 installs
them; ``flush`` (tests and the demo only) lifts them for the moment it empties
the database, see :mod:`liaison.ledger.management.commands.flush`.

The SQL here is what migration 0003 ran: change it only together with a new
migration that replaces the triggers.
"""

from __future__ import annotations

from django.db.backends.base.base import BaseDatabaseWrapper

APPEND_ONLY_TABLES = ("ledger_entry", "ledger_node", "ledger_checkpoint")
GROW_ONLY_TABLES = ("ledger_head", "ledger_tree")


def _sqlite_install() -> list[str]:
    sql = []
    for table in APPEND_ONLY_TABLES:
        for op in ("UPDATE", "DELETE"):
            sql.append(
                f"CREATE TRIGGER {table}_no_{op.lower()} BEFORE {op} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
            )
    for table in GROW_ONLY_TABLES:
        sql.append(
            f"CREATE TRIGGER {table}_no_shrink BEFORE UPDATE ON {table} "
            f"WHEN NEW.size < OLD.size OR NEW.id <> OLD.id "
            f"BEGIN SELECT RAISE(ABORT, '{table} may only grow'); END"
        )
        sql.append(
            f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{table} may only grow'); END"
        )
    return sql


def _sqlite_remove() -> list[str]:
    names = [f"{t}_no_{op}" for t in APPEND_ONLY_TABLES for op in ("update", "delete")]
    names += [f"{t}_no_{op}" for t in GROW_ONLY_TABLES for op in ("shrink", "delete")]
    return [f"DROP TRIGGER IF EXISTS {name}" for name in names]


_PG_FUNCTIONS = [
    """
    CREATE OR REPLACE FUNCTION ledger_refuse_change() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'integrity_constraint_violation';
    END
    $$
    """,
    """
    CREATE OR REPLACE FUNCTION ledger_refuse_shrink() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'UPDATE' AND NEW.size >= OLD.size AND NEW.id = OLD.id THEN
            RETURN NEW;
        END IF;
        RAISE EXCEPTION '% may only grow', TG_TABLE_NAME USING ERRCODE = 'integrity_constraint_violation';
    END
    $$
    """,
]


def _pg_install() -> list[str]:
    sql = list(_PG_FUNCTIONS)
    for table in APPEND_ONLY_TABLES:
        sql.append(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change()"
        )
        sql.append(
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change()"
        )
    for table in GROW_ONLY_TABLES:
        sql.append(
            f"CREATE TRIGGER {table}_grow_only BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION ledger_refuse_shrink()"
        )
        sql.append(
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change()"
        )
    return sql


def _pg_remove() -> list[str]:
    sql = []
    for table in APPEND_ONLY_TABLES:
        sql.append(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
        sql.append(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
    for table in GROW_ONLY_TABLES:
        sql.append(f"DROP TRIGGER IF EXISTS {table}_grow_only ON {table}")
        sql.append(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
    return sql


def install_sql(vendor: str) -> list[str]:
    """Statements that install the triggers on ``vendor`` (``sqlite`` or ``postgresql``)."""
    return {"sqlite": _sqlite_install, "postgresql": _pg_install}[vendor]()


def remove_sql(vendor: str) -> list[str]:
    """Statements that remove the triggers (the functions stay, they are harmless)."""
    return {"sqlite": _sqlite_remove, "postgresql": _pg_remove}[vendor]()


def installed(connection: BaseDatabaseWrapper) -> bool:
    """Whether every append-only trigger is present on ``connection``'s database."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'ledger_%'"
            )
        elif connection.vendor == "postgresql":
            cursor.execute(
                "SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal "
                "AND tgrelid::regclass::text LIKE 'ledger_%'"
            )
        else:
            return False
        (count,) = cursor.fetchone()
    return int(count) >= len(install_sql(connection.vendor)) - (
        len(_PG_FUNCTIONS) if connection.vendor == "postgresql" else 0
    )


def set_armed(connection: BaseDatabaseWrapper, armed: bool) -> None:
    """Install (``True``) or remove (``False``) the triggers on ``connection``."""
    if connection.vendor not in ("sqlite", "postgresql"):
        return
    statements = install_sql(connection.vendor) if armed else remove_sql(connection.vendor)
    with connection.cursor() as cursor:
        if armed:
            for statement in remove_sql(connection.vendor):
                cursor.execute(statement)
        for statement in statements:
            cursor.execute(statement)
