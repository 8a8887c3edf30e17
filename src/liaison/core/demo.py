"""Deterministic demo data. Each app may have a ``demo.py`` with

    def load(*, state: str, scale: int, rng: random.Random) -> list[str]

which creates its records idempotently (running twice adds nothing) and returns
lines to print. Apps are loaded in INSTALLED_APPS order, so later modules can use
earlier ones' records.
"""

from __future__ import annotations

import importlib
import random

from django.apps import apps
from django.db import transaction

DEFAULT_SEED = 2026


def load_all(*, state: str, scale: int = 1, seed: int = DEFAULT_SEED) -> list[str]:
    """Run every app's demo loader in INSTALLED_APPS order, each in its own transaction;
    return the lines they print. Each app gets its own generator, seeded from ``seed``
    and its label, so adding records to one app never changes another's."""
    lines: list[str] = []
    for config in apps.get_app_configs():
        if not config.name.startswith("liaison."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.demo")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.demo":
                raise
            continue
        if module.__name__ == __name__:
            continue
        with transaction.atomic():
            lines += module.load(
                state=state, scale=scale, rng=random.Random(f"{seed}:{config.label}")
            )
    return lines
