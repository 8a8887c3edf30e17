"""Rewriting a policy's JSON form (Cedar's EST) for the compiled policy sets.

The engine (:mod:`liaison.policy.engine`) compiles each policy into copies for the
alternatives its lawful paths need, moves the context's facts onto the entities, and
sends Cedar, per item, only what the item's own facts leave undecided
(:func:`residual`). Each rewrite keeps what Cedar answers for the item.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from liaison.policy import vocabulary as v
from liaison.policy.packs import Policy

_INSTRUMENT = {".": {"left": {"Var": "context"}, "attr": "instrument"}}


def _literal(node: object) -> str | None:
    if isinstance(node, dict) and isinstance(node.get("Value"), str):
        return str(node["Value"])
    return None


def _instrument_literals(node: object, found: set[str]) -> bool:
    """Collect the strings ``context.instrument`` is compared with under ``node``; False
    when it is used any other way (then every instrument must be tried)."""
    if isinstance(node, list):
        return all(_instrument_literals(x, found) for x in node)
    if not isinstance(node, dict):
        return True
    if node == _INSTRUMENT:
        return False  # reached only when the parent is not one of the forms below
    for op in ("==", "!="):
        if op in node and isinstance(node[op], dict):
            left, right = node[op].get("left"), node[op].get("right")
            for a, b in ((left, right), (right, left)):
                if a == _INSTRUMENT and _literal(b) is not None:
                    found.add(str(_literal(b)))
                    return True
    contains = node.get("contains")
    if isinstance(contains, dict) and contains.get("right") == _INSTRUMENT:
        values = (
            contains.get("left", {}).get("Set") if isinstance(contains.get("left"), dict) else None
        )
        if isinstance(values, list) and all(_literal(v) is not None for v in values):
            found.update(str(_literal(v)) for v in values)
            return True
        return False
    return all(_instrument_literals(v, found) for v in node.values())


# The context's facts that are the request's, the same for every item.
REQUEST_FACTS = frozenset({"state", "county", "city", "purpose", "instrument", "urgent"})


def _context_on_entities(node: object, shared: frozenset[str]) -> object | None:
    """``node`` reading ``principal.<attr>`` for the ``shared`` facts and ``resource.<attr>``
    for the others (``has`` too) where it read the context; None when it uses ``context``
    any other way."""
    if isinstance(node, list):
        found = [_context_on_entities(x, shared) for x in node]
        return None if any(x is None for x in found) else found
    if not isinstance(node, dict):
        return node
    if node == {"Var": "context"}:
        return None
    for op in (".", "has"):
        inner = node.get(op)
        if len(node) == 1 and isinstance(inner, dict) and inner.get("left") == {"Var": "context"}:
            var = "principal" if inner.get("attr") in shared else "resource"
            return {op: inner | {"left": {"Var": var}}}
    moved = {k: _context_on_entities(x, shared) for k, x in node.items()}
    return None if any(x is None for x in moved.values()) else moved


_COVERING = {".": {"left": {"Var": "context"}, "attr": "covering_agreement_types"}}


def _agreement_literals(node: object, found: set[str]) -> bool:
    """Collect the agreement types ``context.covering_agreement_types.contains(...)`` asks
    about under ``node``; False when the set is used any other way."""
    if isinstance(node, list):
        return all(_agreement_literals(x, found) for x in node)
    if not isinstance(node, dict):
        return True
    if node == _COVERING:
        return False  # reached only when the parent is not the form below
    contains = node.get("contains")
    if isinstance(contains, dict) and contains.get("left") == _COVERING:
        literal = _literal(contains.get("right"))
        if literal is None:
            return False
        found.add(literal)
        return True
    return all(_agreement_literals(v, found) for v in node.values())


def _context_attributes(node: object, found: set[str]) -> set[str]:
    """The ``context`` attributes read anywhere under ``node``."""
    if isinstance(node, list):
        for x in node:
            _context_attributes(x, found)
    elif isinstance(node, dict):
        dot = node.get(".")
        if isinstance(dot, dict) and dot.get("left") == {"Var": "context"}:
            found.add(str(dot.get("attr")))
        for x in node.values():
            _context_attributes(x, found)
    return found


AGREEMENT_FACTS = frozenset({"covering_agreement_types", "agreement_covers"})


def _actions(policy: Policy) -> frozenset[str]:
    scope = policy.est.get("action", {})
    if scope.get("op") == "==":
        return frozenset({scope["entity"]["id"]})
    if scope.get("op") == "in" and "entities" in scope:
        return frozenset(e["id"] for e in scope["entities"])
    if scope.get("op") == "in" and "entity" in scope:
        return frozenset({scope["entity"]["id"]})
    return frozenset({"disclose", *v.ACTIONS})


def instrument_classes(policies: Iterable[Policy], action: str) -> list[tuple[str, ...]]:
    """The instruments that ``policies`` cannot tell apart for ``action``, grouped.

    Cedar can tell strings apart only by comparing them; when every policy compares
    ``context.instrument`` with literals alone, the instruments none of them names behave
    alike, so one of them stands for all when the paths are computed. Otherwise every
    instrument is its own class.
    """
    named: set[str] = set()
    for policy in policies:
        conditions = policy.est.get("conditions", [])
        if action in _actions(policy) and not _instrument_literals(conditions, named):
            return [(i,) for i in v.INSTRUMENTS]
    classes = [(i,) for i in v.INSTRUMENTS if i in named]
    rest = tuple(i for i in v.INSTRUMENTS if i not in named)
    return classes + ([rest] if rest else [])


def _substitute(node: object, replace: Sequence[tuple[object, object]]) -> object:
    """``node`` with every sub-expression equal to a target of ``replace`` swapped for its
    replacement."""
    for target, replacement in replace:
        if node == target:
            return replacement
    if isinstance(node, list):
        return [_substitute(x, replace) for x in node]
    if isinstance(node, dict):
        return {k: _substitute(x, replace) for k, x in node.items()}
    return node


def _read_context(attr: str) -> dict[str, Any]:
    return {".": {"left": {"Var": "context"}, "attr": attr}}
