"""Rule packs: versioned directories of Cedar policies, loaded once and checked.

A pack version is a directory holding ``pack.json``::

    {"name": "mn", "version": "2026.11.1", "effective": "2026-11-01",
     "level": "state", "applies_to": {"state": "MN"},
     "title": "Minnesota", "description": "..."}

beside its ``*.cedar`` policies and ``cases/*.json``. ``effective`` is the first day the
version decides requests; it decides them until the day the next version of the same
pack takes effect. ``applies_to`` names the custodian's
jurisdiction the pack applies to: every key given must match the request's
``jurisdiction`` (case-insensitively; ``null`` means "must be null", e.g. a county pack
that binds county agencies only); an empty object applies everywhere. A value may be a list of names for the same place
(``["Saint Paul", "St. Paul"]``). Several versions of
a pack may sit side by side (``packs/mn/`` and ``packs/mn-2027/`` both named ``mn``, each
with its own ``version`` and ``effective`` date): a request is decided by the latest
version effective on its date, so counsel can stage next year's version beside today's.

Every policy carries ``@id`` (starting with the pack name and a dot), ``@citation``,
``@explanation`` and ``@effective`` (ISO date; a policy not yet effective is left out),
and optionally ``@outcome(...)`` on a permit: ``"needs_review"`` (it authorizes, but the
law is uncertain: counsel reviews), ``"adds_review"`` (it authorizes nothing, but sends an
item other permits authorize to review) or ``"adds_obligations"`` (it authorizes nothing
and only adds its obligations); ``@obligations("log_access,...")``, ``@fields("name,...")`` (a permit that lets
only these fields leave) and ``@agreement("information_sharing,...")`` (a permit that an
active agreement of that type satisfies: offered as a lawful path). Every pack is
validated against ``schema.cedarschema``; a pack that fails is refused with
:class:`BadPack`, naming the file and the policy.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import cedarpy

from liaison.core.errors import ServiceError
from liaison.policy import vocabulary as v
from liaison.policy.error_codes import PolicyErrorCode

POLICY_DIR = Path(__file__).resolve().parent
SCHEMA_PATH = POLICY_DIR / "schema.cedarschema"
PACKS_DIR = POLICY_DIR.parent / "sharing" / "packs"

LEVELS = ("federal", "state", "local")
OUTCOMES = ("needs_review", "adds_review", "adds_obligations")
REQUIRED_ANNOTATIONS = ("id", "citation", "explanation", "effective")
KNOWN_ANNOTATIONS = (*REQUIRED_ANNOTATIONS, "outcome", "obligations", "fields", "agreement")
MANIFEST_KEYS = ("name", "version", "effective", "level", "applies_to", "title", "description")
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_ALL_FIELDS = frozenset(f for c in v.CATEGORIES.values() for f in c.fields)


class BadPack(ServiceError):
    """A pack that cannot be used; the message names the file and, when one, the policy."""

    code = PolicyErrorCode.BAD_PACK


@dataclass(frozen=True)
class Policy:
    """One policy of a pack, with what its annotations say."""

    id: str
    effect: str  # "permit" | "forbid"
    citation: str
    explanation: str
    effective: date
    outcome: str  # "decide" | "needs_review" | "adds_review" | "adds_obligations"
    obligations: tuple[str, ...]
    fields: frozenset[str] | None
    agreement_types: tuple[str, ...]
    pack: str
    file: str

    est: Mapping[str, Any] = field(repr=False, compare=False, hash=False)
    text: str = field(repr=False, compare=False, hash=False)

    @property
    def authorizes(self) -> bool:
        """Whether a match of this permit is authority (``adds_*`` permits are not)."""
        return self.effect == "permit" and not self.outcome.startswith("adds_")


@dataclass(frozen=True)
class Pack:
    """One version of a pack."""

    name: str
    version: str
    effective: date
    level: str
    applies_to: Mapping[str, tuple[str, ...] | None] = field(compare=False, hash=False)
    title: str
    description: str
    directory: Path = field(compare=False, hash=False)
    policies: tuple[Policy, ...] = field(compare=False, hash=False)

    def applies(self, jurisdiction: Mapping[str, Any]) -> bool:
        for key, wanted in self.applies_to.items():
            got = jurisdiction.get(key)
            if wanted is None:
                if got is not None:
                    return False
            elif got is None or str(got).casefold() not in {w.casefold() for w in wanted}:
                return False
        return True

    @property
    def cases(self) -> list[Path]:
        return sorted((self.directory / "cases").glob("*.json"))


def _date(value: object, where: str) -> date:
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise BadPack(f"{where}: {value!r} is not a date (YYYY-MM-DD).") from None


def _alternatives(value: object) -> tuple[str, ...] | None:
    """An ``applies_to`` value: null, one name, or a list of names meaning the same place."""
    if value is None:
        return None
    return tuple(str(x) for x in value) if isinstance(value, list) else (str(value),)


def _csv(value: str) -> tuple[str, ...]:
    return tuple(x.strip() for x in value.split(",") if x.strip())


def _policy(est: Mapping[str, Any], text: str, *, pack: str, file: str, n: int) -> Policy:
    notes: dict[str, str] = dict(est.get("annotations") or {})
    label = notes.get("id") or f"policy {n + 1} (no @id)"
    where = f"{file}, policy {label}"
    for name in REQUIRED_ANNOTATIONS:
        if not notes.get(name, "").strip():
            raise BadPack(f"{where}: the @{name} annotation is missing or empty.")
    for name in notes:
        if name not in KNOWN_ANNOTATIONS:
            raise BadPack(f"{where}: unknown annotation @{name}.")
    if not notes["id"].startswith(f"{pack}."):
        raise BadPack(f"{where}: the @id must start with the pack name ({pack}.).")
    outcome = notes.get("outcome", "decide")
    if outcome != "decide" and outcome not in OUTCOMES:
        raise BadPack(f"{where}: @outcome must be one of {', '.join(OUTCOMES)}.")
    effect = str(est["effect"])
    extras = [n for n in ("outcome", "fields", "agreement") if n in notes]
    if effect == "forbid" and extras:
        raise BadPack(f"{where}: a forbid cannot carry @{extras[0]}.")
    obligations = _csv(notes.get("obligations", ""))
    unknown = [o for o in obligations if o not in v.OBLIGATIONS]
    if unknown:
        raise BadPack(f"{where}: unknown obligation {unknown[0]!r}.")
    fields_ = frozenset(_csv(notes["fields"])) if "fields" in notes else None
    if fields_ is not None and fields_ - _ALL_FIELDS:
        raise BadPack(f"{where}: unknown field {sorted(fields_ - _ALL_FIELDS)[0]!r} in @fields.")
    agreement_types = _csv(notes.get("agreement", ""))
    if any(a not in v.AGREEMENT_TYPES for a in agreement_types):
        raise BadPack(f"{where}: unknown agreement type in @agreement.")
    return Policy(
        id=notes["id"],
        effect=effect,
        citation=notes["citation"].strip(),
        explanation=" ".join(notes["explanation"].split()),
        effective=_date(notes["effective"], f"{where}: @effective"),
        outcome=outcome,
        obligations=tuple(o for o in v.OBLIGATIONS if o in obligations),
        fields=fields_,
        agreement_types=agreement_types,
        pack=pack,
        file=file,
        est=est,
        text=text,
    )


def _split_text(text: str, count: int) -> list[str]:
    """The source text of each policy of a file, for the docs and the pack browser."""
    parts = [p for p in re.split(r"(?<=;)\s*\n(?=\s*(?://[^\n]*\n\s*)*@)", text) if p.strip()]
    return [p.strip() for p in parts] if len(parts) == count else [""] * count


def load_pack(directory: Path, *, schema: cedarpy.Schema, root: Path) -> Pack:
    manifest_path = directory / "pack.json"
    where = str(manifest_path.relative_to(root.parent))
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BadPack(f"{where}: cannot be read as JSON ({exc}).") from None
    if not isinstance(manifest, dict):
        raise BadPack(f"{where}: must be a JSON object.")
    for key in ("name", "version", "effective", "level", "applies_to"):
        if key not in manifest:
            raise BadPack(f"{where}: {key!r} is missing.")
    unknown = sorted(set(manifest) - set(MANIFEST_KEYS))
    if unknown:
        raise BadPack(f"{where}: unknown key {unknown[0]!r}.")
    name = str(manifest["name"])
    if not _NAME.match(name):
        raise BadPack(f"{where}: the name must be lower-case letters, digits and _.")
    if manifest["level"] not in LEVELS:
        raise BadPack(f"{where}: level must be one of {', '.join(LEVELS)}.")
    applies_to = manifest["applies_to"]
    if not isinstance(applies_to, dict) or set(applies_to) - {"state", "county", "city"}:
        raise BadPack(f"{where}: applies_to takes state, county and city only.")
    policies: list[Policy] = []
    files = sorted(directory.glob("*.cedar"))
    if not files:
        raise BadPack(f"{where}: the pack has no .cedar files.")
    for path in files:
        file = str(path.relative_to(root.parent))
        text = path.read_text(encoding="utf-8")
        try:
            parsed = json.loads(cedarpy.policies_to_json_str(text))
        except ValueError as exc:
            raise BadPack(f"{file}: does not parse as Cedar ({str(exc).strip()}).") from None
        if parsed.get("templates"):
            raise BadPack(f"{file}: templates are not allowed in a pack.")
        result = cedarpy.validate_policies(text, schema)
        if not result.validation_passed:
            error = result.errors[0]
            label = result.id_annotations_by_policy_id.get(error.policy_id, error.policy_id)
            raise BadPack(f"{file}, policy {label}: {error.error}")
        ests = list(parsed["staticPolicies"].values())
        texts = _split_text(text, len(ests))
        for n, est in enumerate(ests):
            policies.append(_policy(est, texts[n], pack=name, file=file, n=n))
    return Pack(
        name=name,
        version=str(manifest["version"]),
        effective=_date(manifest["effective"], f"{where}: effective"),
        level=manifest["level"],
        applies_to={k: _alternatives(x) for k, x in applies_to.items()},
        title=str(manifest.get("title", name)),
        description=str(manifest.get("description", "")),
        directory=directory,
        policies=tuple(policies),
    )


class Library:
    """Every pack version found under ``root``, checked against the schema."""

    def __init__(self, root: Path = PACKS_DIR, *, schema_path: Path = SCHEMA_PATH) -> None:
        self.root = root
        self.schema_text = schema_path.read_text(encoding="utf-8")
        self.schema = cedarpy.Schema.from_str(self.schema_text)
        versions = [
            load_pack(p.parent, schema=self.schema, root=root)
            for p in sorted(root.rglob("pack.json"))
        ]
        if not versions:
            raise BadPack(f"{root}: no packs (pack.json) found.")
        by_name: dict[str, list[Pack]] = {}
        for pack in versions:
            by_name.setdefault(pack.name, []).append(pack)
        for name, found in by_name.items():
            dates = [p.effective for p in found]
            if len(set(dates)) != len(dates):
                raise BadPack(f"{root}: two versions of pack {name!r} take effect the same day.")
            labels = [p.version for p in found]
            for label in labels:
                if labels.count(label) > 1:
                    places = sorted(
                        str((p.directory / "pack.json").relative_to(root.parent))
                        for p in found
                        if p.version == label
                    )
                    raise BadPack(
                        f"{places[1]}: pack {name!r} version {label!r} is already "
                        f"{places[0]}; give the new version its own number."
                    )
            found.sort(key=lambda p: p.effective)
        seen: dict[str, str] = {}
        for pack in versions:
            for policy in pack.policies:
                key = f"{policy.id}@{pack.version}"
                if key in seen:
                    raise BadPack(
                        f"{policy.file}, policy {policy.id}: the id is used twice "
                        f"(also in {seen[key]})."
                    )
                seen[key] = policy.file
        self.versions: dict[str, list[Pack]] = by_name

    @property
    def names(self) -> list[str]:
        return sorted(self.versions)

    def until(self, pack: Pack) -> date | None:
        """The day the version after ``pack`` takes effect (None while it is the latest)."""
        later = [
            p.effective for p in self.versions.get(pack.name, []) if p.effective > pack.effective
        ]
        return min(later) if later else None

    def in_effect(self, name: str, on: date) -> Pack | None:
        """The version of pack ``name`` in effect on ``on`` (None before the first)."""
        found = [p for p in self.versions.get(name, []) if p.effective <= on]
        return found[-1] if found else None

    def select(
        self, jurisdiction: Mapping[str, Any], *, on: date, names: Iterable[str] | None = None
    ) -> list[Pack]:
        """The packs in effect on ``on`` that apply to ``jurisdiction``; with ``names``, only
        those (each must exist and apply, else :class:`UnknownPack`)."""
        order = {level: i for i, level in enumerate(LEVELS)}
        if names is None:
            chosen = [self.in_effect(n, on) for n in self.names]
            found = [p for p in chosen if p is not None and p.applies(jurisdiction)]
        else:
            found = []
            for name in dict.fromkeys(names):
                pack = self.in_effect(name, on)
                if name not in self.versions:
                    raise UnknownPack(
                        f"There is no pack named {name!r}.",
                        fields={"pack": [f"One of: {', '.join(self.names)}."]},
                    )
                if pack is None or not pack.applies(jurisdiction):
                    raise UnknownPack(
                        f"The pack {name!r} does not apply to this request's jurisdiction "
                        f"on {on.isoformat()}."
                    )
                found.append(pack)
        return sorted(found, key=lambda p: (order[p.level], p.name))


class UnknownPack(ServiceError):
    code = PolicyErrorCode.UNKNOWN_PACK


@cache
def shipped() -> Library:
    """The packs shipped with the product, loaded once per process."""
    return Library()
