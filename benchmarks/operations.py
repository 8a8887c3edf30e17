"""Deconfliction benchmark: the check of a plan against 1,000,000 stored operations,
against a brute-force scan of the same rows in the same run.

    python -m benchmarks.operations                          # SQLite and PostgreSQL
    python -m benchmarks.operations --vendors sqlite --operations 100000

Each vendor runs in a child process on a database of its own (a temporary SQLite file,
or ``liaison_bench_ops_<pid>`` on PostgreSQL at ``BENCH_PG_URL``, dropped afterwards).
The data (``liaison.operations.synthetic``): N submitted operations spread over
Minnesota and Wisconsin, 1–3 places each (a tenth polygons, circles of 0–20 km), windows
of half an hour to four months over a year, 0–2 subjects each from a pool of 200,000,
stored in bulk with their index rows (``synthetic.bulk_store``: ``insert_rows``, the
services' cells). Subjects carry a placeholder instead of a sealed value and places no
county or city (the check reads neither; they only slow the load).

Printed: the load time; the indexed check (``deconfliction.find``, the function the
services, the command line and the API call) over random plans of the same
distribution, p50 and p99 in ms — target p99 ≤ 20 ms — overall and per class of window
length; a brute-force scan
(``find_brute_force``: every live operation's places and subjects tested in Python)
of a few of those plans, which must answer the same; and the ratio of the medians —
target ≥ 100×. Settings are the defaults (distance 0 m, buffer 120 minutes).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from typing import Any

PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
TARGET_P99_MS = 20.0
TARGET_RATIO = 100.0
BATCH = 50_000


def line(text: str) -> None:
    print(text, flush=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.operations")
    parser.add_argument("--vendors", default="sqlite,postgresql")
    parser.add_argument("--operations", type=int, default=1_000_000)
    parser.add_argument("--plans", type=int, default=300, help="Plans checked through the index.")
    parser.add_argument("--brute", type=int, default=3, help="Plans checked by a full scan.")
    parser.add_argument("--run", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.run:
        run(args.run, operations=args.operations, plans=args.plans, brute=args.brute)
        return
    for vendor in args.vendors.split(","):
        with tempfile.TemporaryDirectory(prefix="liaison-bench-ops-") as var:
            env = {
                **os.environ,
                "LIAISON_PROFILE": "test",
                "LIAISON_VAR": var,
                "DJANGO_SETTINGS_MODULE": "liaison.settings",
            }
            dbname = f"liaison_bench_ops_{os.getpid()}"
            if vendor == "sqlite":
                env["DATABASE_URL"] = f"sqlite:///{var}/bench.sqlite3"
            elif vendor == "postgresql":
                _pg_admin(f"DROP DATABASE IF EXISTS {dbname}")
                _pg_admin(f"CREATE DATABASE {dbname}")
                env["DATABASE_URL"] = f"{PG_URL}/{dbname}"
            else:
                raise SystemExit(f"unknown vendor {vendor}")
            command = [sys.executable, "-m", "benchmarks.operations", "--run", vendor]
            command += ["--operations", str(args.operations), "--plans", str(args.plans)]
            command += ["--brute", str(args.brute)]
            try:
                subprocess.run(command, env=env, check=True)
            finally:
                if vendor == "postgresql":
                    _pg_admin(f"DROP DATABASE IF EXISTS {dbname} WITH (FORCE)")


def _pg_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG_URL}/postgres", autocommit=True) as conn:
        conn.execute(sql)  # type: ignore[arg-type]


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


CLASSES = (("≤ 12 h", 12), ("12 h–7 days", 7 * 24), ("> 7 days", None))
"""The window length classes of ``synthetic._window`` (80 %, 17 %, 3 % of plans)."""


def _class(footprint: Any) -> str:
    hours = (footprint.window_end - footprint.window_start).total_seconds() / 3600
    return next(name for name, top in CLASSES if top is None or hours <= top)


def run(vendor: str, *, operations: int, plans: int, brute: int) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from liaison.accounts.tests.factories import make_agency, make_user
    from liaison.core.roles import Role
    from liaison.operations import deconfliction
    from liaison.operations.models import Operation, OperationCell
    from liaison.operations.synthetic import bulk_store, random_plans

    call_command("migrate", verbosity=0)
    line(f"-- {vendor} --")
    stored = Operation.objects.count()
    if stored:  # a database loaded by an earlier run (``--run`` pointed at it): measure only
        line(f"reusing the {stored:,} operations already stored")
        operations = stored
    else:
        agency = make_agency("BENCH", "Benchmark agency")
        poc = make_user(Role.COORDINATOR, agency=agency, username="bench-coordinator")
    rng = random.Random(20261201)
    started = time.perf_counter()
    source = iter(random_plans(rng, operations))
    while stored < operations:
        batch = [next(source) for _ in range(min(BATCH, operations - stored))]
        bulk_store(batch, lead_agency=agency, point_of_contact=poc, seal=False, place_names=False)
        stored += len(batch)
        if stored % 100_000 == 0 or stored == operations:
            line(f"loaded {stored:,} operations ({time.perf_counter() - started:.0f} s)")
    if vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")  # the visibility map, for index-only scans
    line(
        f"load: {operations:,} operations, {OperationCell.objects.count():,} index rows "
        f"in {time.perf_counter() - started:.0f} s"
    )
    probe = [p.footprint() for p in random_plans(random.Random(7), plans + brute)]
    classes: dict[str, list[float]] = {name: [] for name, _ in CLASSES}
    for footprint in probe[:20]:  # warm the caches
        deconfliction.find(footprint)
    timings, cpu, found, conflicts = [], [], 0, 0
    for footprint in probe[:plans]:
        t0, c0 = time.perf_counter(), time.thread_time()
        answer = deconfliction.find(footprint)
        cpu.append((time.thread_time() - c0) * 1000)
        timings.append((time.perf_counter() - t0) * 1000)
        found += bool(answer)
        conflicts += len(answer)
        classes[_class(footprint)].append(timings[-1])
    p50, p99 = _percentile(timings, 0.5), _percentile(timings, 0.99)
    verdict = "meets" if p99 <= TARGET_P99_MS else "MISSES"
    line(
        f"indexed check, {plans} plans ({found} with conflicts, {conflicts / plans:.0f} "
        f"conflicts a plan on average): p50 {p50:.2f} ms, p99 {p99:.2f} ms, "
        f"max {max(timings):.2f} ms ({verdict} p99 ≤ {TARGET_P99_MS:g} ms)"
    )
    line(
        f"  CPU time in this process (the database server's not counted on PostgreSQL): "
        f"p50 {_percentile(cpu, 0.5):.2f} ms, p99 {_percentile(cpu, 0.99):.2f} ms; "
        f"load average {', '.join(f'{x:.1f}' for x in os.getloadavg())}"
    )
    for name, values in classes.items():
        if values:
            line(
                f"  windows {name}: {len(values)} plans, p50 {_percentile(values, 0.5):.2f} ms, "
                f"p99 {_percentile(values, 0.99):.2f} ms, max {max(values):.2f} ms"
            )
    scans = []
    for footprint in probe[plans : plans + brute]:
        t0 = time.perf_counter()
        scanned = deconfliction.find_brute_force(footprint)
        scans.append((time.perf_counter() - t0) * 1000)
        t1 = time.perf_counter()
        indexed = deconfliction.find(footprint)
        timings.append((time.perf_counter() - t1) * 1000)
        if scanned != indexed:
            raise SystemExit(f"the index and the scan disagree: {indexed} != {scanned}")
    scan = statistics.median(scans)
    ratio = scan / p50
    verdict = "meets" if ratio >= TARGET_RATIO else "MISSES"
    line(
        f"brute-force scan, {brute} plans (same answers): median {scan / 1000:.1f} s; "
        f"ratio scan ÷ indexed p50 = {ratio:,.0f}× ({verdict} ≥ {TARGET_RATIO:g}×)"
    )


if __name__ == "__main__":
    main()
