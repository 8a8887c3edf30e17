"""Changing ledger rows behind the application's back, as someone with direct access to
the database could: the append-only triggers are lifted for the statements."""

from __future__ import annotations

from django.db import connection

from liaison.ledger import guards


def tamper(*statements: str) -> None:
    guards.set_armed(connection, False)
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
    guards.set_armed(connection, True)
