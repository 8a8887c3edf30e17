"""Replaying stored requests against a changed pack (``liaison policy diff``).

Stored requests live in the sharing app, which sits above this one; it registers the
source of its requests from its ``AppConfig.ready()``::

    # liaison/sharing/apps.py
    replay.register_source("sharing", stored_requests_for_replay)

A source is called with ``since`` (a date, or None for every request) and yields, for each
request filed on or after it, ``(reference, filed_on, facts, decision)``: the reference
shown to people, the filing date, the ``liaison.sharing.request/1`` facts exactly as
stored and the ``liaison.sharing.decision/1`` decision stored with them.

:func:`pack_diff` decides each stored request again, on its filing date, with the changed
pack in place of the pack of the same name (a pack of a new name is added), and reports
every item whose answer would differ from the stored one: its decision, the policies that
gave it (the reasons), its fields, obligations or lawful paths. The changed pack decides
as if it were in effect, whatever its dates: it is what would decide once in effect.
The other packs are those in effect on the filing date.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from liaison.core.errors import ServiceError
from liaison.policy.engine import evaluator
from liaison.policy.error_codes import PolicyErrorCode
from liaison.policy.packs import BadPack, Library, Pack, load_pack
from liaison.policy.request import validate_request

Stored = tuple[str, date, Mapping[str, Any], Mapping[str, Any]]
Source = Callable[[date | None], Iterable[Stored]]
"""Called with ``since``; yields (reference, filed_on, facts, decision) per stored request."""

DIFF_FORMAT = "liaison.policy.diff/1"
COMPARED = ("decision", "fields", "obligations", "paths")

_sources: dict[str, Source] = {}


def register_source(key: str, source: Source) -> None:
    """Register ``source`` under ``key`` (the app label); registering again replaces it."""
    _sources[key] = source


def unregister_source(key: str) -> None:
    _sources.pop(key, None)


@contextmanager
def sources_replaced(replacement: Mapping[str, Source]) -> Iterator[None]:
    """For tests: only ``replacement``'s sources are registered inside the block."""
    saved = dict(_sources)
    _sources.clear()
    _sources.update(replacement)
    try:
        yield
    finally:
        _sources.clear()
        _sources.update(saved)


def sources() -> list[str]:
    """Keys of the registered sources, in registration order."""
    return list(_sources)


class NoReplaySource(ServiceError):
    code = PolicyErrorCode.NO_REPLAY_SOURCE


def stored_requests(since: date | None = None) -> Iterator[Stored]:
    """Every registered source's stored requests filed on or after ``since``."""
    if not _sources:
        raise NoReplaySource(
            "No stored requests to replay: no replay source is registered (the sharing app "
            "registers its stored requests with liaison.policy.replay.register_source)."
        )
    for source in _sources.values():
        for reference, filed_on, facts, decision in source(since):
            if since is None or filed_on >= since:
                yield reference, filed_on, facts, decision


def load_changed_pack(directory: Path, library: Library) -> Pack:
    """The pack version in ``directory``, checked as the shipped ones are (a bad one is
    refused with :class:`BadPack` naming the file and the policy)."""
    directory = directory.resolve()
    if not (directory / "pack.json").is_file():
        raise BadPack(f"{directory}: no pack.json here; give the directory of one pack version.")
    pack = load_pack(directory, schema=library.schema, root=directory.parent)
    clash = {
        p.id: str(p.file)
        for versions in library.versions.values()
        for v in versions
        if v.name != pack.name
        for p in v.policies
    }
    for policy in pack.policies:
        if policy.id in clash:
            raise BadPack(
                f"{policy.file}, policy {policy.id}: the id is already used by {clash[policy.id]}."
            )
    return pack


def _as_if_in_effect(pack: Pack) -> Pack:
    """``pack`` with every policy in effect whatever the date (the decision still names the
    version and its effective date)."""
    return dataclasses.replace(
        pack, policies=tuple(dataclasses.replace(p, effective=date.min) for p in pack.policies)
    )


@dataclass
class ItemChange:
    index: int
    what: str  # the item's category or action
    old: dict[str, Any]
    new: dict[str, Any]

    def as_json(self) -> dict[str, Any]:
        return {"index": self.index, "what": self.what, "old": self.old, "new": self.new}


@dataclass
class RequestChange:
    reference: str
    filed_on: date
    items: list[ItemChange]

    def as_json(self) -> dict[str, Any]:
        return {
            "reference": self.reference,
            "filed_on": self.filed_on.isoformat(),
            "items": [i.as_json() for i in self.items],
        }


@dataclass
class PackDiff:
    pack: Pack
    since: date | None
    replayed: int = 0
    changed: list[RequestChange] = field(default_factory=list)
    unreplayable: list[tuple[str, str]] = field(default_factory=list)  # (reference, why)

    @property
    def changed_items(self) -> int:
        return sum(len(c.items) for c in self.changed)

    def as_json(self) -> dict[str, Any]:
        return {
            "format": DIFF_FORMAT,
            "pack": {
                "name": self.pack.name,
                "version": self.pack.version,
                "effective": self.pack.effective.isoformat(),
                "directory": str(self.pack.directory),
            },
            "since": self.since.isoformat() if self.since else None,
            "replayed": self.replayed,
            "changed": [c.as_json() for c in self.changed],
            "unreplayable": [{"reference": r, "problem": p} for r, p in self.unreplayable],
        }


def _answer(entry: Mapping[str, Any]) -> dict[str, Any]:
    """What is compared of a decision's item: the reasons by policy, the rest as given."""
    reasons = sorted(entry.get("reasons", []), key=lambda r: str(r.get("policy")))
    return {key: entry.get(key, []) for key in COMPARED} | {"reasons": reasons}


def _differs(old: Mapping[str, Any], new: Mapping[str, Any]) -> bool:
    if any(old[k] != new[k] for k in COMPARED):
        return True
    return [r.get("policy") for r in old["reasons"]] != [r.get("policy") for r in new["reasons"]]


def pack_diff(
    directory: Path, *, since: date | None = None, library: Library | None = None
) -> PackDiff:
    """Every stored request's items whose answer would change with the pack in
    ``directory`` in place of the pack of the same name."""
    from liaison.policy.packs import shipped

    lib = library or shipped()
    changed_pack = load_changed_pack(directory, lib)
    replacement = _as_if_in_effect(changed_pack)
    report = PackDiff(pack=changed_pack, since=since)
    order = {level: i for i, level in enumerate(("federal", "state", "local"))}
    for reference, filed_on, facts, stored in stored_requests(since):
        report.replayed += 1
        try:
            clean = validate_request(facts)
        except ServiceError as exc:
            fields = "; ".join(f"{k}: {' '.join(m)}" for k, m in exc.fields.items())
            report.unreplayable.append((reference, f"{exc.message} {fields}".strip()))
            continue
        others = [
            p for p in lib.select(clean["jurisdiction"], on=filed_on) if p.name != changed_pack.name
        ]
        chosen = others + ([replacement] if replacement.applies(clean["jurisdiction"]) else [])
        chosen.sort(key=lambda p: (order[p.level], p.name))
        decision = evaluator(chosen, on=filed_on).decide(clean, on=filed_on)
        old_items = {i.get("index"): i for i in stored.get("items", [])}
        items: list[ItemChange] = []
        for new_entry, item in zip(decision["items"], clean["items"], strict=True):
            index = new_entry["index"]
            old, new = _answer(old_items.get(index, {})), _answer(new_entry)
            if _differs(old, new):
                what = item.get("action") or item.get("category", "")
                items.append(ItemChange(index=index, what=str(what), old=old, new=new))
        if items:
            report.changed.append(RequestChange(reference, filed_on, items))
    return report


def _reasons(answer: Mapping[str, Any]) -> list[str]:
    return [
        f"{r.get('policy')} ({r.get('effect')}; {r.get('citation') or 'no citation'})"
        for r in answer["reasons"]
    ] or ["(none)"]


def render_text(report: PackDiff) -> str:
    """The report for people: each changed item with the old and the new reasons."""
    pack = report.pack
    since = f" filed on or after {report.since.isoformat()}" if report.since else ""
    lines = [
        f"Stored requests{since} replayed against {pack.name} {pack.version} "
        f"(effective {pack.effective.isoformat()}, {pack.directory}):",
        "",
    ]
    for change in report.changed:
        lines.append(f"{change.reference} (filed {change.filed_on.isoformat()})")
        for item in change.items:
            old, new = item.old, item.new
            lines.append(
                f"  item {item.index} ({item.what}): {old['decision'] or '?'} → {new['decision']}"
            )
            lines += [f"    was: {r}" for r in _reasons(old)]
            lines += [f"    now: {r}" for r in _reasons(new)]
            for key in ("fields", "obligations", "paths"):
                if old[key] != new[key]:
                    lines.append(f"    {key}: {_short(old[key])} → {_short(new[key])}")
        lines.append("")
    for reference, problem in report.unreplayable:
        lines.append(f"{reference}: could not be replayed: {problem}")
    if report.unreplayable:
        lines.append("")
    lines.append(
        f"{len(report.changed)} of {report.replayed} stored requests would change "
        f"({report.changed_items} items)"
        + (f"; {len(report.unreplayable)} could not be replayed." if report.unreplayable else ".")
    )
    return "\n".join(lines)


def _short(value: list[Any]) -> str:
    parts = []
    for x in value:
        if isinstance(x, dict) and "instrument" in x:
            parts.append(f"{x['instrument']}: {x.get('decision')}")
        elif isinstance(x, dict) and "agreement" in x:
            parts.append(f"active {x['agreement'].get('type')} agreement: {x.get('decision')}")
        else:
            parts.append(str(x))
    return ", ".join(parts) or "none"
