"""Policy decision benchmark: the shipped rule packs against a bare Cedar call.

    python -m benchmarks.policy
    python -m benchmarks.policy --requests 400 --rounds 5

The mix: every shipped pack case's request (1–2 items each) and N generated requests of
one to five items (a fixed seed) over the jurisdictions of the packs, every category,
classification, instrument, purpose and requester, with and without agreements — so
about two items in three are denied or sent to review and have their lawful paths
computed. Printed, as p50/p99 and as a ratio to the baseline measured in the same run:

* baseline: ``cedarpy.is_authorized`` on a pre-parsed one-line policy (``PolicySet``)
  with a pre-parsed empty ``Entities``;
* per request item, through ``liaison.policy.engine.decide`` (validation, pack
  selection, evaluation of the item and, when not permitted, of its alternatives) —
  target ≤ 3× the baseline at p50;
* per item, evaluation only (a validated request, the compiled evaluator);
* per 5-item request, through ``decide`` — target p99 ≤ 1 ms;
* decisions (items) per second over the whole mix.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time
from collections.abc import Callable
from datetime import date
from typing import Any

TARGET_RATIO_P50 = 3.0
TARGET_P99_5_ITEMS_MS = 1.0
ON = date(2026, 12, 1)


def line(text: str) -> None:
    print(text, flush=True)


def _p(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.3f} ms"


def _timed(calls: list[Callable[[], Any]], rounds: int) -> list[float]:
    found: list[float] = []
    for _ in range(rounds):
        for call in calls:
            started = time.perf_counter()
            call()
            found.append(time.perf_counter() - started)
    return found


def _mix(n: int, rng: random.Random) -> list[dict[str, Any]]:
    from liaison.policy import vocabulary as v
    from liaison.policy.packs import shipped

    places = [
        {"state": "MN", "county": "Nobles", "city": None},
        {"state": "MN", "county": "Hennepin", "city": None},
        {"state": "MN", "county": "Hennepin", "city": "Minneapolis"},
        {"state": "MN", "county": "Ramsey", "city": "St. Paul"},
        {"state": "WI", "county": "Milwaukee", "city": None},
        {"state": "WI", "county": "Lakeshore", "city": None},
        {"state": "WI", "county": "Dane", "city": None},
    ]
    requesters = [
        ("ICE ERO St. Paul", "federal", "ice_ero"),
        ("HSI Milwaukee", "federal", "ice_hsi"),
        ("FBI Minneapolis", "federal", "fbi"),
        ("DEA Chicago", "federal", "dea"),
        ("Minnesota BCA", "state", "state"),
    ]
    agreements = [
        {
            "type": "287g_jail_enforcement",
            "status": "active",
            "activities": ["jail_screening"],
            "categories": ["booking", "release_date_custody_status"],
            "purposes": ["civil_immigration_enforcement"],
        },
        {
            "type": "information_sharing",
            "status": "active",
            "activities": ["information_sharing"],
            "categories": ["criminal_history", "arrest", "booking"],
            "purposes": ["criminal_investigation"],
        },
        {
            "type": "federal_task_force_mou",
            "status": "expired",
            "activities": ["joint_investigation"],
            "categories": ["active_investigative"],
            "purposes": ["criminal_investigation"],
        },
    ]
    requests = []
    for versions in shipped().versions.values():
        for pack in versions:
            import json

            requests += [json.loads(p.read_text())["request"] for p in pack.cases]
    for _ in range(n):
        agency, level, component = rng.choice(requesters)
        items: list[dict[str, Any]] = []
        for _ in range(rng.randint(1, 5)):
            if rng.random() < 0.2:
                items.append({"action": rng.choice(v.ACTIONS)})
            else:
                items.append(
                    {
                        "category": rng.choice(list(v.CATEGORIES)),
                        "classification": rng.choice(v.CLASSIFICATIONS),
                        "source": rng.choice(v.SOURCES),
                        "reasonable_suspicion": rng.random() < 0.5,
                    }
                )
        requests.append(
            {
                "format": v.REQUEST_FORMAT,
                "jurisdiction": rng.choice(places),
                "requester": {
                    "agency": agency,
                    "level": level,
                    "component": component,
                    "attributes": {"28CFRCertificationIndicator": rng.random() < 0.5},
                },
                "purpose": rng.choice(v.PURPOSES),
                "instrument": rng.choice(v.INSTRUMENTS),
                "urgent": rng.random() < 0.1,
                "agreements": rng.sample(agreements, rng.randint(0, 2)),
                "items": items,
            }
        )
    return requests


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.policy")
    parser.add_argument("--requests", type=int, default=300, help="generated requests")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "liaison.settings")
    os.environ.setdefault("LIAISON_PROFILE", "test")
    import django

    django.setup()
    import cedarpy

    from liaison.policy.engine import decide, evaluator
    from liaison.policy.packs import shipped
    from liaison.policy.request import validate_request

    rng = random.Random(15)
    library = shipped()
    requests = _mix(args.requests, rng)
    for request in requests:  # warm: compile every selection's policy set once
        decide(request, on=ON)
    policies = sum(len(p.policies) for vs in library.versions.values() for p in vs)
    items = sum(len(r["items"]) for r in requests)
    decided = [decide(r, on=ON) for r in requests]
    outcomes = [i["decision"] for d in decided for i in d["items"]]
    line(
        f"{len(requests)} requests, {items} items ({outcomes.count('permit')} permit, "
        f"{outcomes.count('deny')} deny, {outcomes.count('needs_review')} needs_review); "
        f"{len(library.versions)} packs, {policies} policies; 3–5 packs per request"
    )

    bare_set = cedarpy.PolicySet.from_str("permit(principal, action, resource);")
    bare_entities = cedarpy.Entities.from_json_str("[]")
    bare_request = {
        "principal": 'User::"alice"',
        "action": 'Action::"view"',
        "resource": 'Photo::"one"',
        "context": {},
    }

    def bare() -> None:
        cedarpy.is_authorized(bare_request, bare_set, bare_entities)

    per_item: list[float] = []
    eval_item: list[float] = []
    five: list[float] = []
    bare_times: list[float] = []
    prepared = [
        (
            validate_request(r),
            evaluator(library.select(r["jurisdiction"], on=ON), on=ON),
        )
        for r in requests
    ]
    started_all = time.perf_counter()
    cpu_all = time.process_time()
    for _ in range(args.rounds):
        # Interleave the baseline with the engine so both see the same machine.
        bare_times += _timed([bare] * len(requests), 1)
        for request in requests:
            started = time.perf_counter()
            decide(request, on=ON)
            took = time.perf_counter() - started
            per_item.append(took / len(request["items"]))
            if len(request["items"]) == 5:
                five.append(took)
        for clean, compiled in prepared:
            started = time.perf_counter()
            compiled.decide(clean, on=ON)
            eval_item.append((time.perf_counter() - started) / len(clean["items"]))
    wall = time.perf_counter() - started_all
    cpu = time.process_time() - cpu_all

    b50, b99 = _p(bare_times, 50), _p(bare_times, 99)
    line(
        f"baseline bare cedarpy.is_authorized (pre-parsed one-line policy): p50 {_ms(b50)}, p99 {_ms(b99)}"
    )
    for label, values in (
        ("per item through decide()", per_item),
        ("per item, evaluation only", eval_item),
    ):
        p50, p99 = _p(values, 50), _p(values, 99)
        verdict = ""
        if label.startswith("per item through"):
            ratio = p50 / b50
            verdict = (
                f"; {'meets' if ratio <= TARGET_RATIO_P50 else 'MISSES'} "
                f"≤ {TARGET_RATIO_P50:.0f}× at p50"
            )
        line(
            f"{label}: p50 {_ms(p50)}, p99 {_ms(p99)} "
            f"(×{p50 / b50:.1f} / ×{p99 / b99:.1f} the baseline{verdict})"
        )
    if five:
        p50, p99 = _p(five, 50), _p(five, 99)
        verdict = "meets" if p99 * 1000 <= TARGET_P99_5_ITEMS_MS else "MISSES"
        line(
            f"5-item request through decide(): p50 {_ms(p50)}, p99 {_ms(p99)} "
            f"({verdict} p99 ≤ {TARGET_P99_5_ITEMS_MS:.0f} ms; {len(five)} samples)"
        )
    decisions = items * args.rounds
    line(
        f"decisions per second through decide(): {decisions / sum(t * len(r['items']) for t, r in zip(per_item, requests * args.rounds, strict=True)):,.0f} "
        f"items/s; whole run {wall:.1f} s wall, {cpu:.1f} s CPU in this process"
    )
    line(f"load average while measuring: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
