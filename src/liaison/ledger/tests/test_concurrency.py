"""Eight real processes appending at once on PostgreSQL: a gap-free log that verifies.

SQLite serialises every writer on one file lock and cannot show this, so the test
is skipped there; on the PostgreSQL run it always runs.
"""

from __future__ import annotations

import multiprocessing
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, connections, transaction

from liaison.ledger import guards, signing, verify
from liaison.ledger.models import Entry, Head
from liaison.ledger.services import checkpoint_issue, ledger_append, ledger_integrate

WRITERS = 8
APPENDS = 60


def _writer(number: int, appends: int) -> None:
    # A forked child must not reuse the parent's socket: open its own connection.
    for conn in connections.all():
        conn.connection = None
    try:
        for i in range(appends):
            with transaction.atomic():
                ledger_append(
                    actor=None,
                    action="test.concurrent",
                    object_type="tests.writer",
                    object_id=number,
                    change={"i": i},
                )
            if i % 20 == 0:
                ledger_integrate()  # integrators race with appends and each other
    finally:
        connections.close_all()


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_eight_processes_append_a_gap_free_log_that_verifies(monkeypatch):
    checkpoint_issue()
    connections.close_all()
    context = multiprocessing.get_context("fork")
    workers = [context.Process(target=_writer, args=(n, APPENDS)) for n in range(WRITERS)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    assert [w.exitcode for w in workers] == [0] * WRITERS

    total = WRITERS * APPENDS
    assert Head.objects.get().size == total
    assert list(Entry.objects.order_by("seq").values_list("seq", flat=True)) == list(range(total))
    per_writer = Entry.objects.values("object_id").distinct().count()
    assert per_writer == WRITERS
    assert checkpoint_issue() is not None
    out = StringIO()
    call_command("ledger", "verify", stdout=out)
    assert out.getvalue().startswith(f"ledger verified: {total} entries, 2 checkpoints")

    # The verifier's two-process leaf check (used from 200,000 entries) finds the same,
    # and names a tampered entry in the second half.
    monkeypatch.setattr(verify, "PARALLEL_FROM", 0)
    key = signing.verifier_key()
    assert verify.verify_ledger(verifier_key=key, workers=2, chunk=50).entries == total
    guards.set_armed(connection, False)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE ledger_entry SET action = 'x' WHERE seq = %s", [total - 7])
    guards.set_armed(connection, True)
    with pytest.raises(verify.LedgerTampered, match=f"entry {total - 7}: its contents"):
        verify.verify_ledger(verifier_key=key, workers=2, chunk=50)
