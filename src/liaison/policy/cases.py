"""A pack's test cases: a request and the decision expected for each of its items.

A case is ``cases/<name>.json`` in the pack's directory::

    {"description": "A hold past release on an administrative detainer in Minnesota",
     "citation": "Esparza v. Nobles County (Minn. Ct. App. 2019)",
     "on": "2026-12-01",                      (optional: the date decided; see below)
     "packs": ["federal", "mn"],              (optional: restrict; default every pack that applies)
     "request": {... liaison.sharing.request/1 ...},
     "expect": [{"decision": "deny", "policies": ["mn.detainer-hold-admin-warrant"],
                 "paths": [{"instrument": "judicial_warrant", "decision": "permit"}]}]}

``expect`` has one entry per request item. ``decision`` and ``policies`` (the ids of the
reasons, in any order) are always compared; ``fields``, ``obligations`` and ``paths``
only when given. A case tests the version it ships with: without ``on`` it is decided today
when that version is in effect today, else on the version's effective date (a version
staged for later, or one a later version replaced); a case whose date falls outside its
version fails. Every policy of a pack must appear in the ``policies`` of one of its own
cases (:func:`policies_without_case`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from django.utils import timezone

from liaison.core.errors import ServiceError
from liaison.policy.engine import decide
from liaison.policy.packs import BadPack, Library, Pack

OPTIONAL_KEYS = ("fields", "obligations", "paths")


@dataclass
class CaseResult:
    pack: str
    name: str
    file: str
    description: str
    citation: str
    problems: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.problems


def _read(path: Path, where: str) -> dict[str, Any]:
    try:
        case = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BadPack(f"{where}: cannot be read as JSON ({exc}).") from None
    if not isinstance(case, dict):
        raise BadPack(f"{where}: a case must be a JSON object.")
    for key in ("description", "citation", "request", "expect"):
        if key not in case:
            raise BadPack(f"{where}: {key!r} is missing.")
    if not isinstance(case["expect"], list) or not all(
        isinstance(e, dict) and "decision" in e and isinstance(e.get("policies"), list)
        for e in case["expect"]
    ):
        raise BadPack(f"{where}: 'expect' must list {{'decision', 'policies'}} per item.")
    return case


def run_case(library: Library, pack: Pack, path: Path) -> CaseResult:
    where = str(path.relative_to(library.root.parent))
    case = _read(path, where)
    result = CaseResult(
        pack=pack.name,
        name=path.stem,
        file=where,
        description=str(case["description"]),
        citation=str(case["citation"]),
    )
    today = timezone.localdate()
    if "on" in case:
        on = date.fromisoformat(case["on"])
    else:
        on = today if library.in_effect(pack.name, today) is pack else pack.effective
    try:
        decision = decide(case["request"], packs=case.get("packs"), on=on, library=library)
    except ServiceError as exc:
        result.problems.append(f"the request was refused: {exc.message} {exc.fields}")
        return result
    if library.in_effect(pack.name, on) is not pack:
        result.problems.append(
            f"decided on {on.isoformat()}, when version {pack.version} of {pack.name} is not "
            "in effect"
        )
    items = decision["items"]
    expected = case["expect"]
    if len(items) != len(expected):
        result.problems.append(f"{len(items)} items decided, {len(expected)} expected")
        return result
    for item, want in zip(items, expected, strict=True):
        label = f"item {item['index']}"
        if item["decision"] != want["decision"]:
            result.problems.append(
                f"{label}: decision {item['decision']!r}, expected {want['decision']!r}"
            )
        got = sorted(r["policy"] for r in item["reasons"])
        if got != sorted(want["policies"]):
            result.problems.append(f"{label}: reasons {got}, expected {sorted(want['policies'])}")
        for key in OPTIONAL_KEYS:
            if key in want and item[key] != want[key]:
                result.problems.append(f"{label}: {key} {item[key]}, expected {want[key]}")
    return result


def run_cases(library: Library, *, names: Iterable[str] | None = None) -> list[CaseResult]:
    """Every case of every pack version (or of the packs ``names``), in pack order."""
    wanted = set(names) if names is not None else None
    results: list[CaseResult] = []
    for name in library.names:
        if wanted is not None and name not in wanted:
            continue
        for pack in library.versions[name]:
            results.extend(run_case(library, pack, path) for path in pack.cases)
    return results


def policies_without_case(library: Library) -> list[str]:
    """The ids of policies that no case of their own pack version names in ``policies``."""
    missing: list[str] = []
    for versions in library.versions.values():
        for pack in versions:
            named: set[str] = set()
            for path in pack.cases:
                case = _read(path, str(path))
                named.update(p for e in case["expect"] for p in e["policies"])
            missing.extend(p.id for p in pack.policies if p.id not in named)
    return missing


@dataclass(frozen=True)
class CaseSummary:
    """A case as the pack browser lists it."""

    name: str
    description: str
    citation: str
    expect: tuple[tuple[str, tuple[str, ...]], ...]  # per item: (decision, policy ids)

    def names(self, policy_id: str) -> bool:
        return any(policy_id in policies for _, policies in self.expect)


def case_summaries(pack: Pack) -> list[CaseSummary]:
    """The pack version's cases, in file order (a case that cannot be read is left out:
    ``liaison policy test`` and the deploy check report it)."""
    found: list[CaseSummary] = []
    for path in pack.cases:
        try:
            case = _read(path, str(path))
        except BadPack:
            continue
        found.append(
            CaseSummary(
                name=path.stem,
                description=str(case["description"]),
                citation=str(case["citation"]),
                expect=tuple(
                    (str(e["decision"]), tuple(str(p) for p in e["policies"]))
                    for e in case["expect"]
                ),
            )
        )
    return found
