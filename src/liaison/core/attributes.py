"""User attributes other systems read (GFIPM/NIEF), from sources later apps register.

The sharing rule packs read ``requester.attributes`` for the person who files or
receives a request. The attributes come from apps the sharing app must not import
(training knows who holds a current 28 CFR Part 23 course), so each such app
registers a *source* from its ``AppConfig.ready()``::

    # liaison/training/apps.py
    attributes.register("training", person_training_attributes)

and a reader asks :func:`attributes_for` with the subject — a directory ``Person`` or
a signed-in user (a source resolves a user to its person). Each source answers a
mapping of attribute names (``28CFRCertificationIndicator``) to JSON values.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

Source = Callable[[object], Mapping[str, Any]]
"""Called with the subject; answers the attributes it knows (empty if none)."""

_sources: dict[str, Source] = {}


def register(key: str, source: Source) -> None:
    """Register ``source`` under ``key`` (the app label); registering again replaces it."""
    _sources[key] = source


def unregister(key: str) -> None:
    _sources.pop(key, None)


def sources() -> list[str]:
    """Keys of the registered sources, in registration order."""
    return list(_sources)


def attributes_for(subject: object) -> dict[str, Any]:
    """Every registered source's attributes of ``subject``, merged in registration order."""
    merged: dict[str, Any] = {}
    for source in _sources.values():
        merged.update(source(subject))
    return merged
