"""Ledger benchmarks: append throughput, 8-writer PostgreSQL throughput, proof latency
and full verification at a million entries.

    python -m benchmarks.ledger                      # SQLite and PostgreSQL, 1,000,000 entries
    python -m benchmarks.ledger --vendors sqlite --entries 100000

Each vendor runs in a child process on a database of its own: a temporary SQLite
file, or ``liaison_bench_<pid>`` created on PostgreSQL (``BENCH_PG_URL``, default
``postgres://postgres@127.0.0.1:5432``) and dropped afterwards. Every figure is
printed beside a baseline measured in the same run:

* appends through ``ledger_append`` (one transaction each) ÷ raw ``INSERT`` of the
  same row with its SHA-256 into a table of the same shape (target ≥ 0.5);
* 8 writer processes through the service ÷ 8 raw writers (PostgreSQL only);
* root, inclusion and consistency proofs at N entries, p50/p99 (target p99 ≤ 5 ms),
  against a primary-key lookup of one row;
* ``liaison ledger verify`` at N entries (target ≤ 60 s) against a plain read of every row.

The million entries are synthetic rows with correct leaf hashes, bulk-inserted and
then integrated by the real integrator (its time is printed too).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import multiprocessing
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
COLUMNS = (
    "seq",
    "recorded_at",
    "kind",
    "actor_id",
    "agency_id",
    "action",
    "object_type",
    "object_id",
    "reason",
    "change_hash",
    "salt",
    "leaf_hash",
)


def line(text: str) -> None:
    print(text, flush=True)


# --- the orchestrator -----------------------------------------------------------------


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.ledger")
    parser.add_argument("--vendors", default="sqlite,postgresql")
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--appends", type=int, default=3_000)
    parser.add_argument("--samples", type=int, default=2_000)
    parser.add_argument("--run", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.run:
        run(args.run, entries=args.entries, appends=args.appends, samples=args.samples)
        return
    for vendor in args.vendors.split(","):
        with tempfile.TemporaryDirectory(prefix="liaison-bench-") as var:
            env = {
                **os.environ,
                "LIAISON_PROFILE": "test",
                "LIAISON_VAR": var,
                "DJANGO_SETTINGS_MODULE": "liaison.settings",
            }
            env.pop("LIAISON_LEDGER_SIGNER_KEY", None)
            dbname = f"liaison_bench_{os.getpid()}"
            if vendor == "sqlite":
                env["DATABASE_URL"] = f"sqlite:///{var}/bench.sqlite3"
            elif vendor == "postgresql":
                _pg_admin(f"DROP DATABASE IF EXISTS {dbname}")
                _pg_admin(f"CREATE DATABASE {dbname}")
                env["DATABASE_URL"] = f"{PG_URL}/{dbname}"
            else:
                raise SystemExit(f"unknown vendor {vendor}")
            try:
                subprocess.run(
                    [
                        sys.executable,
                        "-m",
                        "benchmarks.ledger",
                        "--run",
                        vendor,
                        "--entries",
                        str(args.entries),
                        "--appends",
                        str(args.appends),
                        "--samples",
                        str(args.samples),
                    ],
                    env=env,
                    check=True,
                )
            finally:
                if vendor == "postgresql":
                    _pg_admin(f"DROP DATABASE IF EXISTS {dbname} WITH (FORCE)")


def _pg_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG_URL}/postgres", autocommit=True) as conn:
        conn.execute(sql)  # type: ignore[arg-type]


# --- one vendor -----------------------------------------------------------------------


def run(vendor: str, *, entries: int, appends: int, samples: int) -> None:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    line(f"-- {vendor} (load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores) --")
    _create_raw_table()
    bench_appends(vendor, appends)
    if vendor == "postgresql":
        bench_writers(appends)
    bench_million(vendor, entries, samples)


def _create_raw_table() -> None:
    """A table of the same shape and indexes as ledger_entry, without the triggers."""
    from django.db import connection

    ddl = {
        "sqlite": [
            "CREATE TABLE bench_raw (seq integer PRIMARY KEY, recorded_at datetime NOT NULL,"
            " kind varchar(16) NOT NULL, actor_id bigint NULL, agency_id bigint NULL,"
            " action varchar(80) NOT NULL, object_type varchar(80) NOT NULL,"
            " object_id varchar(64) NOT NULL, reason text NOT NULL, change_hash varchar(64)"
            " NOT NULL, salt varchar(32) NOT NULL, leaf_hash blob NOT NULL)",
        ],
        "postgresql": [
            "CREATE TABLE bench_raw (LIKE ledger_entry INCLUDING DEFAULTS INCLUDING CONSTRAINTS)",
            "ALTER TABLE bench_raw ADD PRIMARY KEY (seq)",
        ],
    }[connection.vendor]
    ddl += [
        "CREATE INDEX bench_raw_o ON bench_raw (object_type, object_id, seq)",
        "CREATE INDEX bench_raw_a ON bench_raw (actor_id, seq)",
        "CREATE INDEX bench_raw_g ON bench_raw (agency_id, seq)",
        "CREATE INDEX bench_raw_v ON bench_raw (action, seq)",
        "CREATE INDEX bench_raw_t ON bench_raw (recorded_at)",
    ]
    with connection.cursor() as cursor:
        for sql in ddl:
            cursor.execute(sql)


_RAW_INSERT = "INSERT INTO bench_raw ({}) VALUES ({})".format(
    ", ".join(COLUMNS), ", ".join(["%s"] * len(COLUMNS))
)


def _raw_append(seq: int, i: int) -> None:
    """The baseline: one row of the same fields, hashed with SHA-256, inserted alone."""
    from django.db import connection, transaction
    from django.utils import timezone

    now = timezone.now()
    change_hash = hashlib.sha256(json.dumps({"i": i, "status": "active"}).encode()).hexdigest()
    row = {
        "seq": seq,
        "recorded_at": now.isoformat(),
        "kind": "action",
        "actor_id": 7,
        "agency_id": 3,
        "action": "agreement.activate",
        "object_type": "agreements.agreement",
        "object_id": str(i),
        "reason": "signed by both parties",
        "change_hash": change_hash,
        "salt": "",
    }
    digest = hashlib.sha256(json.dumps(row, sort_keys=True).encode()).digest()
    params = [*row.values(), digest]
    params[1] = connection.ops.adapt_datetimefield_value(now)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(_RAW_INSERT, params)


class _ActorStub:
    pk = 7
    agency_id = 3


def _service_append(i: int) -> None:
    from django.db import transaction

    from liaison.ledger.services import ledger_append

    with transaction.atomic():
        ledger_append(
            actor=_ActorStub(),
            action="agreement.activate",
            object_type="agreements.agreement",
            object_id=i,
            reason="signed by both parties",
            change={"i": i, "status": "active"},
        )


def _rate(fn: Callable[[int], None], start: int, count: int) -> float:
    began = time.perf_counter()
    for i in range(start, start + count):
        fn(i)
    return count / (time.perf_counter() - began)


def bench_appends(vendor: str, appends: int) -> None:
    """Alternate rounds of service appends and raw inserts, so both see the same noise."""
    rounds = 3
    per = max(1, appends // rounds)
    service_rates, raw_rates = [], []
    raw_seq = 0
    for r in range(rounds):
        raw_rates.append(_rate(lambda i: _raw_append(i, i), raw_seq, per))
        raw_seq += per
        service_rates.append(_rate(_service_append, r * per, per))
    service, raw = statistics.median(service_rates), statistics.median(raw_rates)
    line(
        f"{vendor}: append through ledger_append {service:,.0f}/s, raw INSERT+SHA-256 "
        f"{raw:,.0f}/s, ratio {service / raw:.2f} (target >= 0.5)"
    )


# --- 8 writer processes (PostgreSQL) ---------------------------------------------------


def _writer(kind: str, start: int, count: int, go: Any, done: Any) -> None:
    from django.db import connection, connections

    for conn in connections.all():
        conn.connection = None  # a forked child opens its own connection
    fn = _service_append if kind.startswith("service") else (lambda i: _raw_append(i, i))
    fn(start)  # connect before the clock starts
    if kind.endswith("async"):
        with connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit = off")
    go.wait()
    for i in range(start + 1, start + count):
        fn(i)
    connections.close_all()
    done.put(count)


def _parallel(kind: str, writers: int, per: int, base: int) -> float:
    from django.db import connections

    connections.close_all()
    ctx = multiprocessing.get_context("fork")
    go = ctx.Event()
    done = ctx.Queue()
    procs = [
        ctx.Process(target=_writer, args=(kind, base + w * per, per, go, done))
        for w in range(writers)
    ]
    for p in procs:
        p.start()
    time.sleep(1.0)  # every child connected and waiting
    began = time.perf_counter()
    go.set()
    total = sum(done.get(timeout=600) for _ in procs)
    elapsed = time.perf_counter() - began
    for p in procs:
        p.join()
    return (total - writers) / elapsed


def bench_writers(appends: int) -> None:
    from django.db import connection

    from liaison.ledger.models import Entry

    writers, per = 8, max(200, appends // 2)
    raw = _parallel("raw", writers, per, 10_000_000)
    service = _parallel("service", writers, per, 20_000_000)
    # The same without waiting for the WAL flush at commit: not how Liaison runs, but it
    # shows how much of the figure above is this machine's disk (see README.md).
    raw_async = _parallel("raw-async", writers, per * 4, 30_000_000)
    service_async = _parallel("service-async", writers, per * 4, 40_000_000)
    connection.close()
    seqs = list(Entry.objects.order_by("seq").values_list("seq", flat=True))
    gap_free = seqs == list(range(len(seqs)))
    line(
        f"postgresql: 8 writer processes through ledger_append {service:,.0f}/s (target >= 2,000), "
        f"8 raw INSERT+SHA-256 writers {raw:,.0f}/s, ratio {service / raw:.2f}; "
        f"sequence gap-free: {gap_free}"
    )
    line(
        f"postgresql: the same with synchronous_commit=off (disk flush not awaited; for "
        f"comparison only): ledger_append {service_async:,.0f}/s, raw {raw_async:,.0f}/s, "
        f"ratio {service_async / raw_async:.2f}"
    )


# --- a million entries ------------------------------------------------------------------


def _synthetic_rows(start: int, count: int) -> Any:
    from liaison.ledger import merkle
    from liaison.ledger.services import leaf_data

    base = datetime(2026, 1, 1, tzinfo=UTC)
    actions = ["agreement.activate", "person.read", "login.fail", "operation.approve"]
    for seq in range(start, start + count):
        at = base + timedelta(microseconds=seq * 997)
        row = (
            seq,
            at,
            "action",
            seq % 500,
            seq % 40,
            actions[seq % 4],
            "bench.thing",
            str(seq % 10_000),
            "",
            hashlib.sha256(seq.to_bytes(8, "big")).hexdigest(),
            f"{seq:032x}",
        )
        data = leaf_data(
            recorded_at=at,
            kind="action",
            actor_id=row[3],
            agency_id=row[4],
            action=row[5],
            object_type=row[6],
            object_id=row[7],
            reason="",
            change_hash=row[9],
            salt=row[10],
        )
        yield (*row, merkle.leaf_hash(data))


def _bulk_insert(n: int) -> None:
    from django.db import connection, transaction

    from liaison.ledger.tree import appended_size

    start = appended_size()
    chunk = 50_000
    insert = "INSERT INTO ledger_entry ({}) VALUES ({})".format(
        ", ".join(COLUMNS), ", ".join(["%s"] * len(COLUMNS))
    )
    for offset in range(start, start + n, chunk):
        count = min(chunk, start + n - offset)
        with transaction.atomic():
            if connection.vendor == "postgresql":
                raw = connection.connection
                with (
                    raw.cursor() as cur,
                    cur.copy(  # type: ignore[union-attr]
                        "COPY ledger_entry ({}) FROM STDIN".format(", ".join(COLUMNS))
                    ) as copy,
                ):
                    for row in _synthetic_rows(offset, count):
                        copy.write_row(row)
            else:
                adapt = connection.ops.adapt_datetimefield_value
                with connection.cursor() as cursor:
                    cursor.executemany(
                        insert,
                        [(r[0], adapt(r[1]), *r[2:]) for r in _synthetic_rows(offset, count)],
                    )
            with connection.cursor() as cursor:
                cursor.execute("UPDATE ledger_head SET size = %s WHERE id = 1", [offset + count])


def _percentiles(fn: Callable[[], object], samples: int) -> tuple[float, float, float]:
    """p50, p95 and p99 in milliseconds."""
    times = []
    for _ in range(samples):
        began = time.perf_counter()
        fn()
        times.append((time.perf_counter() - began) * 1000)
    times.sort()

    def at(q: float) -> float:
        return times[min(len(times) - 1, int(len(times) * q))]

    return at(0.5), at(0.95), at(0.99)


def bench_million(vendor: str, entries: int, samples: int) -> None:
    from django.db import connection

    from liaison.ledger import signing, tree
    from liaison.ledger.services import checkpoint_issue, ledger_integrate
    from liaison.ledger.verify import verify_ledger

    began = time.perf_counter()
    _bulk_insert(entries - tree.appended_size())
    inserted = time.perf_counter() - began
    began = time.perf_counter()
    size = ledger_integrate()
    integrated = time.perf_counter() - began
    checkpoint_issue()
    line(
        f"{vendor}: {size:,} entries bulk-inserted in {inserted:.1f} s, integrated into stored "
        f"subtrees in {integrated:.1f} s ({size / integrated:,.0f} leaves/s)"
    )

    rng = random.Random(2026)

    def lookup() -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT leaf_hash FROM ledger_entry WHERE seq = %s", [rng.randrange(size)]
            )
            cursor.fetchone()

    base50, _, base99 = _percentiles(lookup, samples)
    figures = {
        "root": _percentiles(lambda: tree.root_at(rng.randrange(size // 2, size + 1)), samples),
        "inclusion proof": _percentiles(lambda: tree.inclusion(rng.randrange(size), size), samples),
        "consistency proof": _percentiles(
            lambda: tree.consistency(rng.randrange(1, size), size), samples
        ),
    }
    for name, (p50, p95, p99) in figures.items():
        line(
            f"{vendor}: {name} at {size:,} entries p50 {p50:.2f} ms, p95 {p95:.2f} ms, "
            f"p99 {p99:.2f} ms "
            f"(target p99 <= 5 ms); one-row lookup p50 {base50:.2f} ms, p99 {base99:.2f} ms, "
            f"ratio p99 {p99 / base99:.1f}x"
        )

    began = time.perf_counter()
    read = 0
    after = -1
    while True:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT {} FROM ledger_entry WHERE seq > %s ORDER BY seq LIMIT 20000".format(
                    ", ".join(COLUMNS)
                ),
                [after],
            )
            rows = cursor.fetchall()
        read += len(rows)
        if len(rows) < 20000:
            break
        after = rows[-1][0]
    plain = time.perf_counter() - began
    report = verify_ledger(verifier_key=signing.verifier_key())
    line(
        f"{vendor}: liaison ledger verify at {report.entries:,} entries {report.seconds:.1f} s "
        f"(target <= 60 s); plain read of every row {plain:.1f} s, ratio {report.seconds / plain:.1f}x"
    )


if __name__ == "__main__":
    main(sys.argv[1:])
