"""List pages and API lists at 100,000 people and 100,000 agreements.

    python -m benchmarks.lists                          # SQLite and PostgreSQL, --scale 1001
    python -m benchmarks.lists --vendors sqlite --scale 101 --samples 20

Each vendor runs in a child process on a database of its own (a temporary SQLite file,
or ``liaison_bench_lists_<pid>`` on PostgreSQL at ``BENCH_PG_URL``, dropped afterwards),
loaded with ``liaison demo --state MN --scale N`` (at 1001: 100,036 people and 100,000
generated agreements, with their assignments, designations, contacts and ledger entries).

Every list page (signed in as an admin, who sees every row) and every paged API list
(bearer token) is requested ``--samples`` times through the whole Django stack
(middleware, auth, templates or JSON) in this process. Printed: p50 and p95 in ms and
the p95 as a multiple of the baseline measured in the same run — a primary-key lookup
through the same stack (``GET /api/v1/directory/personnel/{id}``, random ids); the bare
SQL primary-key lookup is printed too. Target: p95 ≤ 100 ms.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable

PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
TARGET_P95_MS = 100.0

LIST_PAGES = [
    "/directory/jurisdictions/",
    "/directory/agencies/",
    "/directory/task-forces/",
    "/directory/personnel/",
    "/directory/personnel/?q=smith",
    "/directory/designations/",
    "/directory/contacts/",
    "/agreements/",
    "/agreements/?q=GEN-0999",
    "/agreements/authorities/",
    "/notifications/",
    "/ledger/entries/",
    "/ledger/checkpoints/",
    "/accounts/users/",
    "/accounts/me/tokens/",
]


def line(text: str) -> None:
    print(text, flush=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.lists")
    parser.add_argument("--vendors", default="sqlite,postgresql")
    parser.add_argument("--scale", type=int, default=1001)
    parser.add_argument("--samples", type=int, default=40)
    parser.add_argument("--run", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.run:
        run(args.run, scale=args.scale, samples=args.samples)
        return
    for vendor in args.vendors.split(","):
        with tempfile.TemporaryDirectory(prefix="liaison-bench-lists-") as var:
            env = {
                **os.environ,
                "LIAISON_PROFILE": "test",
                "LIAISON_VAR": var,
                "DJANGO_SETTINGS_MODULE": "liaison.settings",
                "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            }
            dbname = f"liaison_bench_lists_{os.getpid()}"
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
                        "benchmarks.lists",
                        "--run",
                        vendor,
                        "--scale",
                        str(args.scale),
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


def _timed(samples: int, call: Callable[[int], object]) -> list[float]:
    for i in range(3):  # warm-up: connection, template and statement caches
        call(i)
    wall = []
    for i in range(samples):
        started = time.perf_counter()
        call(i)
        wall.append((time.perf_counter() - started) * 1000)
    return wall


def _p(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def run(vendor: str, *, scale: int, samples: int) -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from liaison.accounts.models import User
    from liaison.accounts.services import token_create
    from liaison.agreements.models import Agreement
    from liaison.core.demo import load_all
    from liaison.core.roles import Role
    from liaison.directory.models import Person

    settings.ALLOWED_HOSTS = ["testserver"]
    call_command("migrate", verbosity=0)
    line(f"-- {vendor} --")
    started = time.monotonic()
    load_all(state="MN", scale=scale)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    line(
        f"liaison demo --scale {scale}: {Person.objects.count():,} people, "
        f"{Agreement.objects.count():,} agreements in {time.monotonic() - started:.0f} s"
    )
    admin = User.objects.filter(role=Role.ADMIN, is_active=True).order_by("pk").first()
    assert admin is not None
    pages = Client()
    pages.force_login(admin)
    api = Client(
        headers={"Authorization": f"Bearer {token_create(actor=None, user=admin, name='bench')[1]}"}
    )
    agreement_id = Agreement.objects.order_by("pk").values_list("pk", flat=True).first()
    schema = api.get("/api/v1/openapi.json").json()
    api_lists = []
    for path, item in schema["paths"].items():
        ok = item.get("get", {}).get("responses", {}).get("200", {})
        ref = ok.get("content", {}).get("application/json", {}).get("schema", {}).get("$ref", "")
        if ref.rsplit("/", 1)[-1].startswith("Paged"):
            api_lists.append(re.sub(r"\{\w+\}", str(agreement_id), path))
    api_lists += ["/api/v1/directory/personnel?q=smith", "/api/v1/directory/personnel?page=2000"]

    rng = random.Random(2026)
    person_ids = list(Person.objects.values_list("pk", flat=True))
    picks = [rng.choice(person_ids) for _ in range(samples + 3)]
    table = Person._meta.db_table

    def raw_lookup(i: int) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT id, family_name FROM {table} WHERE id = %s", [picks[i]])
            cursor.fetchone()

    def api_lookup(i: int) -> None:
        response = api.get(f"/api/v1/directory/personnel/{picks[i]}")
        assert response.status_code == 200, response.status_code

    sql = _timed(samples, raw_lookup)
    base = _timed(samples, api_lookup)
    base_p95 = _p(base, 95)
    line(f"baseline primary-key lookup, SQL: p50 {_p(sql, 50):.2f} ms, p95 {_p(sql, 95):.2f} ms")
    line(
        f"baseline primary-key lookup, GET /api/v1/directory/personnel/{{id}}: "
        f"p50 {_p(base, 50):.1f} ms, p95 {base_p95:.1f} ms"
    )
    missed = []
    for label, client, urls in (("page", pages, LIST_PAGES), ("api", api, api_lists)):
        for url in urls:

            def call(i: int, url: str = url, client: Client = client) -> None:
                response = client.get(url)
                assert response.status_code == 200, (url, response.status_code)

            wall = _timed(samples, call)
            p95 = _p(wall, 95)
            verdict = "meets" if p95 <= TARGET_P95_MS else "MISSES"
            if p95 > TARGET_P95_MS:
                missed.append(url)
            line(
                f"{label} {url}: p50 {_p(wall, 50):.1f} ms, p95 {p95:.1f} ms "
                f"(×{p95 / base_p95:.1f} the baseline; {verdict} p95 ≤ {TARGET_P95_MS:.0f} ms)"
            )
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    line(f"load average while measuring: {load}")
    line(f"{len(missed)} of {len(LIST_PAGES) + len(api_lists)} lists miss the target")


if __name__ == "__main__":
    main()
