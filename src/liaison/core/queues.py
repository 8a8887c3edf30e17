"""The home page's work queues: what waits for the signed-in user, with counts.

Core knows no domain app. Each app that holds someone's work writes a ``queues``
module (found on first use, like ``admin`` modules) that registers the cards of the
roles it serves::

    # liaison/agreements/queues.py
    @queues.register(Role.LEGAL_COUNSEL)
    def awaiting_review(user: User, today: date) -> list[queues.Card]:
        return [queues.Card(key="agreements.awaiting_review", title=..., count=..., ...)]

A card may gather counts that later apps add: its provider sums
:func:`contributions` for its key, and a later app adds a counter with
:func:`contribute` from its own ``queues`` module — so the supervisor's "personnel
changes to approve" card exists (empty) before the modules that fill it.

A provider runs a fixed number of queries whatever the data: the home page's query
count stays constant.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils.module_loading import autodiscover_modules

from liaison.core.roles import Role


@dataclass(frozen=True)
class Card:
    """One queue on the home page.

    ``count`` is how many items wait (``None`` for a status card, which says ``status``
    instead); ``url`` opens the list of them; ``empty`` is said when none wait.
    """

    key: str
    title: str
    url: str | None
    count: int | None = None
    empty: str = "Nothing waits for you here."
    status: str = ""
    problem: bool = False
    order: int = 100


Provider = Callable[[Any, date], list[Card]]
Counter = Callable[[Any, date], int]


@dataclass(frozen=True)
class _Registration:
    roles: frozenset[Role]
    provider: Provider


_providers: list[_Registration] = []
_counters: dict[str, list[Counter]] = {}
_discovered = False


def register(*roles: Role) -> Callable[[Provider], Provider]:
    """Decorator: ``provider(user, today)`` returns the cards for users of ``roles``."""

    def add(provider: Provider) -> Provider:
        _providers.append(_Registration(frozenset(roles), provider))
        return provider

    return add


def contribute(key: str) -> Callable[[Counter], Counter]:
    """Decorator: ``counter(user, today)`` adds to the count of the card ``key``."""

    def add(counter: Counter) -> Counter:
        _counters.setdefault(key, []).append(counter)
        return counter

    return add


def contributions(key: str, user: Any, today: date) -> int:
    """The sum of what the apps contributing to card ``key`` count for ``user``."""
    _discover()
    return sum(counter(user, today) for counter in _counters.get(key, []))


def _discover() -> None:
    global _discovered
    if not _discovered:
        autodiscover_modules("queues")
        _discovered = True


def cards_for(user: Any, today: date) -> list[Card]:
    """The cards of ``user``'s role, in a stable order (none for an unknown role)."""
    _discover()
    try:
        role = Role(getattr(user, "role", ""))
    except ValueError:
        return []
    cards = [
        card
        for registration in _providers
        if role in registration.roles
        for card in registration.provider(user, today)
    ]
    return sorted(cards, key=lambda c: (c.order, c.title))
