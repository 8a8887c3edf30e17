"""Completion import benchmark: 100,000 CSV rows checked and committed, against a bare
bulk insert of the same rows in the same run.

    python -m benchmarks.training                       # SQLite and PostgreSQL
    python -m benchmarks.training --vendors sqlite --rows 20000

Each vendor runs in a child process on a database of its own (a temporary SQLite file,
or ``liaison_bench_trn_<pid>`` on PostgreSQL at ``BENCH_PG_URL``, dropped afterwards).
The data: one agency with 20,000 people (badge numbers), 50 catalog courses, and a CSV
of N rows (distinct person × course × day; 1 % with an error: unknown person, unknown
course, bad date or a duplicate line).

Printed, each in seconds:

* baseline: ``bulk_create`` of the same valid rows as ``Completion`` objects built
  directly (no parsing, no checks), then deleted;
* the import as a user runs it: :func:`completion_import_preview` (parse and check every
  row; a large file is checked by the worker, run here in the process) and
  :func:`completion_import_commit` (check again, insert the valid rows in one
  transaction, one ledger entry, the rejected rows' CSV) — target ≤ 20 s in all.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta

PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
TARGET_S = 20.0


def line(text: str) -> None:
    print(text, flush=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.training")
    parser.add_argument("--vendors", default="sqlite,postgresql")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--run", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.run:
        run(args.run, rows=args.rows)
        return
    for vendor in args.vendors.split(","):
        with tempfile.TemporaryDirectory(prefix="liaison-bench-trn-") as var:
            env = {
                **os.environ,
                "LIAISON_PROFILE": "test",
                "LIAISON_VAR": var,
                "DJANGO_SETTINGS_MODULE": "liaison.settings",
            }
            dbname = f"liaison_bench_trn_{os.getpid()}"
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
                        "benchmarks.training",
                        "--run",
                        vendor,
                        "--rows",
                        str(args.rows),
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


def _csv(rows: int, people: int, codes: list[str], rng: random.Random) -> tuple[str, int]:
    """The file's text and how many rows are bad."""
    lines = ["person,course,date,hours,score"]
    start = date(2020, 1, 1)
    bad = 0
    for n in range(rows):
        person = f"B-{n % people}"
        course = codes[(n // people) % len(codes)]
        day = (start + timedelta(days=n // (people * len(codes)))).isoformat()
        if rng.random() < 0.01:
            bad += 1
            kind = rng.randrange(4)
            if kind == 0:
                person = "nobody"
            elif kind == 1:
                course = "NOPE"
            elif kind == 2:
                day = "01/02/2020"
            else:
                lines.append(lines[-1] if n else f"{person},{course},{day},8,90")
                continue
        lines.append(f"{person},{course},{day},8,90")
    return "\n".join(lines) + "\n", bad


def run(vendor: str, *, rows: int) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction

    from liaison.accounts.models import User
    from liaison.core.roles import Role
    from liaison.directory.models import Agency, Jurisdiction, Person
    from liaison.training import services
    from liaison.training.models import Completion, Course
    from liaison.training.services import imports

    call_command("migrate", verbosity=0)
    line(f"-- {vendor} --")
    rng = random.Random(2026)
    mn = Jurisdiction.objects.create(name="Minnesota", kind="state", state="MN")
    agency = Agency.objects.create(
        name="Bench Agency", abbreviation="BA", level="state", jurisdiction=mn
    )
    people = 20_000
    Person.objects.bulk_create(
        [
            Person(
                agency=agency,
                given_name="Given",
                family_name=f"Family{n}",
                badge_number=f"B-{n}",
                active_from=date(2010, 1, 1),
            )
            for n in range(people)
        ],
        batch_size=2_000,
    )
    codes = [f"C-{n:02d}" for n in range(50)]
    Course.objects.bulk_create(
        [Course(code=c, title=f"Course {c}", hours=8, validity_months=12) for c in codes]
    )
    supervisor = User(username="bench", role=Role.SUPERVISOR, agency=agency, email="b@example.test")
    supervisor.set_unusable_password()
    supervisor.save()
    content, bad = _csv(rows, people, codes, rng)
    line(f"{rows:,} rows ({bad:,} with an error), {people:,} people, {len(codes)} courses")

    # Baseline: the same valid rows, built directly and bulk-inserted.
    checked = imports.check(supervisor, content)
    valid = [r for r in checked if not r.errors]
    objs = [
        Completion(
            person_id=r.person_id,
            course=r.course,
            completed_on=r.completed_on,
            hours=8,
            score=r.score,
            source=Completion.Source.IMPORTED,
        )
        for r in valid
    ]
    started = time.perf_counter()
    with transaction.atomic():
        Completion.objects.bulk_create(objs, batch_size=imports.BATCH_SIZE)
    baseline = time.perf_counter() - started
    Completion.objects.all().delete()
    line(f"baseline bare bulk insert of the {len(valid):,} valid rows: {baseline:.1f} s")

    started = time.perf_counter()
    batch = services.completion_import_preview(actor=supervisor, file_name="b.csv", content=content)
    if batch.status == "checking":
        batch = services.completion_import_check(batch_id=batch.pk)
    checked_in = time.perf_counter() - started
    batch = services.completion_import_commit(actor=supervisor, batch=batch)
    total = time.perf_counter() - started
    assert batch.imported_rows == len(valid), (batch.imported_rows, len(valid))
    verdict = "meets" if total <= TARGET_S else "MISSES"
    line(
        f"import with validation: preview {checked_in:.1f} s + commit {total - checked_in:.1f} s "
        f"= {total:.1f} s for {batch.imported_rows:,} imported, "
        f"{batch.total_rows - batch.imported_rows:,} rejected "
        f"(×{total / baseline:.1f} the bare insert; {verdict} ≤ {TARGET_S:.0f} s)"
    )
    line(f"load average: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
