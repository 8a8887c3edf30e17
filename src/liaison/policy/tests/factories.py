"""Requests and throw-away packs for the policy tests."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from liaison.policy.packs import PACKS_DIR, Library

ON = "2026-12-01"


def data_item(
    category: str = "address", classification: str = "private", **flags: Any
) -> dict[str, Any]:
    return {
        "category": category,
        "classification": classification,
        "source": "records_management",
        **flags,
    }


def request(*items: dict[str, Any], state: str = "MN", **changes: Any) -> dict[str, Any]:
    """A valid request: by default the FBI asking a Nobles County custodian for a private address."""
    base: dict[str, Any] = {
        "format": "liaison.sharing.request/1",
        "jurisdiction": {"state": state, "county": "Nobles", "city": None},
        "requester": {"agency": "FBI Minneapolis", "level": "federal", "component": "fbi"},
        "purpose": "criminal_investigation",
        "instrument": "none",
        "urgent": False,
        "agreements": [],
        "items": list(items) or [data_item()],
    }
    base.update(changes)
    return base


def write_pack(
    root: Path,
    directory: str,
    policies: str,
    *,
    name: str | None = None,
    version: str = "1",
    effective: str = "2026-01-01",
    level: str = "state",
    applies_to: dict[str, Any] | None = None,
) -> Path:
    """A pack version under ``root/directory`` with one ``policies.cedar`` file."""
    path = root / directory
    (path / "cases").mkdir(parents=True)
    manifest = {
        "name": name or directory,
        "version": version,
        "effective": effective,
        "level": level,
        "applies_to": {"state": "MN"} if applies_to is None else applies_to,
    }
    (path / "pack.json").write_text(json.dumps(manifest))
    (path / "policies.cedar").write_text(policies)
    return path


def policy(
    pid: str,
    *,
    effect: str = "permit",
    action: str = "disclose",
    when: str = "true",
    effective: str = "2026-01-01",
    **notes: str,
) -> str:
    extra = "".join(f'@{k}("{v}")\n' for k, v in notes.items())
    return (
        f'@id("{pid}")\n@citation("Test Stat. § {pid}")\n@explanation("Because {pid}.")\n'
        f'@effective("{effective}")\n{extra}'
        f'{effect} (principal, action == Liaison::Action::"{action}", resource) when {{ {when} }};\n'
    )


def library(root: Path) -> Library:
    return Library(root)


def copy_shipped(root: Path) -> Path:
    """A copy of the shipped packs to change in a test."""
    target = root / "packs"
    shutil.copytree(PACKS_DIR, target)
    return target
