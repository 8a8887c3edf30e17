"""``flush`` that can empty the ledger in tests and the demo, and nowhere else.

The ledger tables refuse DELETE and TRUNCATE (see :mod:`liaison.ledger.guards`),
so Django's ``flush`` — which the test suite runs after every transactional test —
would fail. Outside production this command lifts the triggers, flushes, and puts
them back in the same transaction; in production it flushes as Django does, and
the triggers refuse.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.commands import flush
from django.db import connections, transaction

from liaison.ledger import guards


class Command(flush.Command):
    def handle(self, **options: Any) -> None:
        if getattr(settings, "PRODUCTION", True):
            super().handle(**options)
            return
        connection = connections[options["database"]]
        with transaction.atomic(using=connection.alias):
            # DDL is transactional on both vendors: a failed flush restores the triggers.
            guards.set_armed(connection, False)
            super().handle(**options)
            guards.set_armed(connection, True)
