"""The database itself refuses to change or remove ledger rows."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from liaison.ledger import guards
from liaison.ledger.models import Entry, Head
from liaison.ledger.services import checkpoint_issue, ledger_integrate


def _refused(sql: str) -> None:
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)


@pytest.fixture
def filled(db, append):
    append(6)
    ledger_integrate()
    checkpoint_issue()


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE ledger_entry SET reason = 'rewritten' WHERE seq = 2",
        "UPDATE ledger_entry SET seq = seq + 100",
        "DELETE FROM ledger_entry WHERE seq = 5",
        "DELETE FROM ledger_entry",
        "UPDATE ledger_node SET level = level",
        "DELETE FROM ledger_node",
        "UPDATE ledger_checkpoint SET note = 'forged'",
        "DELETE FROM ledger_checkpoint",
        "UPDATE ledger_head SET size = 2",
        "DELETE FROM ledger_head",
        "UPDATE ledger_tree SET size = 0",
        "DELETE FROM ledger_tree",
    ],
)
def test_raw_sql_cannot_change_or_remove_ledger_rows(filled, sql):
    _refused(sql)
    assert Entry.objects.count() == 6


@pytest.mark.postgres_only
@pytest.mark.parametrize(
    "table", ["ledger_entry", "ledger_node", "ledger_checkpoint", "ledger_head"]
)
def test_truncate_is_refused_on_postgresql(filled, table):
    _refused(f"TRUNCATE {table} CASCADE")


def test_the_head_row_still_grows(filled, append):
    append(1)
    assert Head.objects.get().size == 7


def test_the_triggers_are_installed_by_the_migrations(db):
    assert guards.installed(connection)


@pytest.mark.django_db(transaction=True)
def test_flush_empties_the_ledger_outside_production_and_keeps_the_triggers(append):
    append(3)
    call_command("flush", interactive=False, verbosity=0)
    assert Entry.objects.count() == 0
    assert guards.installed(connection)
    append(1)
    assert Entry.objects.get().seq == 0
