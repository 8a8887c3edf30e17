"""Reading a policy's JSON form (Cedar's EST) before Cedar evaluates it.

:func:`leading_tests` finds the tests a policy's ``when`` condition starts with that the
facts of an item decide on their own (``resource.category == "arrest"``,
``["a", "b"].contains(resource.source)``, ``!resource.deidentified``…), and comparisons
of literals alone. Cedar evaluates a
condition left to right and stops at the first false conjunct, so a policy whose leading
test is false for an item can neither match nor fail on it: leaving it out of that item's
evaluation changes nothing. A test that reads a fact the item lacks, or compares values of
another type, is not decided here (Cedar would report an error; it is left to Cedar).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

VARIABLES = ("principal", "resource", "context")
Scalar = str | bool


@dataclass(frozen=True)
class Test:
    """``<variable>.<attr>`` is (or, with ``negated``, is not) one of ``values``."""

    variable: str
    attr: str
    values: frozenset[tuple[str, Scalar]]  # (type name, value): True is not 1
    negated: bool = False

    def holds(self, facts: Mapping[str, Mapping[str, Any]]) -> bool | None:
        """True or False when the facts decide it; None when Cedar must (it would fail)."""
        if not self.variable:  # a condition false whatever the facts
            return False
        found = facts[self.variable]
        if self.attr not in found:
            return None
        value = found[self.attr]
        if not isinstance(value, str | bool):
            return None
        if not any(kind == type(value).__name__ for kind, _ in self.values):
            return None
        return ((type(value).__name__, value) in self.values) != self.negated


def _value(node: object) -> tuple[str, Scalar] | None:
    if isinstance(node, dict) and set(node) == {"Value"}:
        value = node["Value"]
        if isinstance(value, str | bool):
            return (type(value).__name__, value)
    return None


def _attribute(node: object) -> tuple[str, str] | None:
    if isinstance(node, dict) and set(node) == {"."}:
        dot = node["."]
        if isinstance(dot, dict) and isinstance(dot.get("attr"), str):
            left = dot.get("left")
            if isinstance(left, dict) and left.get("Var") in VARIABLES and len(left) == 1:
                return str(left["Var"]), str(dot["attr"])
    return None


NEVER = Test("", "", frozenset())


def _constant(node: object) -> bool | None:
    """The value of a comparison of literals (as a copy of a policy with the instrument
    written in has), or None when it is anything else."""
    if not isinstance(node, dict) or len(node) != 1:
        return None
    op, args = next(iter(node.items()))
    if op == "Value" and isinstance(args, bool):
        return args
    if op == "!" and isinstance(args, dict):
        inner = _constant(args.get("arg"))
        return None if inner is None else not inner
    if not isinstance(args, dict):
        return None
    if op in ("==", "!="):
        left, right = _value(args.get("left")), _value(args.get("right"))
        if left is not None and right is not None:
            return bool((left == right) != (op == "!="))
    if op == "contains":
        left = args.get("left")
        members = left.get("Set") if isinstance(left, dict) and len(left) == 1 else None
        value = _value(args.get("right"))
        if isinstance(members, list) and value is not None:
            values = [_value(m) for m in members]
            if all(v is not None for v in values):
                return value in values
    return None


def _test(node: object) -> Test | None:
    """``node`` as a :class:`Test`, or None when it is anything else."""
    if not isinstance(node, dict) or len(node) != 1:
        return None
    attribute = _attribute(node)
    if attribute is not None:  # a boolean fact on its own
        return Test(*attribute, frozenset({("bool", True)}))
    op, args = next(iter(node.items()))
    if op == "!" and isinstance(args, dict):
        inner = _test(args.get("arg"))
        return (
            None
            if inner is None
            else Test(inner.variable, inner.attr, inner.values, not inner.negated)
        )
    if not isinstance(args, dict):
        return None
    if op in ("==", "!="):
        for a, b in ((args.get("left"), args.get("right")), (args.get("right"), args.get("left"))):
            attribute, value = _attribute(a), _value(b)
            if attribute is not None and value is not None:
                return Test(*attribute, frozenset({value}), op == "!=")
    if op == "contains":
        attribute = _attribute(args.get("right"))
        left = args.get("left")
        members = left.get("Set") if isinstance(left, dict) and len(left) == 1 else None
        if attribute is not None and isinstance(members, list):
            values = [_value(m) for m in members]
            if values and all(v is not None for v in values):
                return Test(*attribute, frozenset(v for v in values if v is not None))
    return None


def _conjuncts(node: object) -> list[object]:
    """``a && b && c`` as ``[a, b, c]``, in the order Cedar evaluates them."""
    if isinstance(node, dict) and set(node) == {"&&"} and isinstance(node["&&"], dict):
        return _conjuncts(node["&&"].get("left")) + _conjuncts(node["&&"].get("right"))
    return [node]


def leading_tests(est: Mapping[str, Any]) -> tuple[Test, ...]:
    """The tests the policy's first condition (a ``when``) starts with, up to the first
    conjunct that is not one."""
    conditions = est.get("conditions") or []
    if not conditions or conditions[0].get("kind") != "when":
        return ()
    found: list[Test] = []
    for conjunct in _conjuncts(conditions[0].get("body")):
        constant = _constant(conjunct)
        if constant is True:
            continue
        if constant is False:
            return (*found, NEVER)
        test = _test(conjunct)
        if test is None:
            break
        found.append(test)
    return tuple(found)


def attributes_read(
    node: object, found: set[tuple[str, str]] | None = None
) -> set[tuple[str, str]]:
    """Every (variable, attribute) read under ``node`` by ``.`` or ``has``."""
    found = set() if found is None else found
    if isinstance(node, list):
        for x in node:
            attributes_read(x, found)
    elif isinstance(node, dict):
        for op in (".", "has"):
            inner = node.get(op)
            if isinstance(inner, dict) and isinstance(inner.get("attr"), str):
                left = inner.get("left")
                if isinstance(left, dict) and left.get("Var") in VARIABLES:
                    found.add((str(left["Var"]), str(inner["attr"])))
        for x in node.values():
            attributes_read(x, found)
    return found


def settled(est: Mapping[str, Any], facts: Mapping[str, Mapping[str, Any]]) -> int:
    """How many conjuncts the policy's first condition (a ``when``) starts with that are
    true for these facts: comparisons of literals that hold, and tests the facts make
    true (Cedar would find each true, without error, and go on to the next)."""
    conditions = est.get("conditions") or []
    if not conditions or conditions[0].get("kind") != "when":
        return 0
    count = 0
    for conjunct in _conjuncts(conditions[0].get("body")):
        if _constant(conjunct) is not True:
            test = _test(conjunct)
            if test is None or test.holds(facts) is not True:
                break
        count += 1
    return count


def residual(est: Mapping[str, Any], count: int) -> dict[str, Any]:
    """``est`` without the first ``count`` conjuncts of its first condition (see
    :func:`settled`): for facts that make them true it matches, or fails, as ``est`` does."""
    if not count:
        return dict(est)
    conditions = list(est["conditions"])
    rest = _conjuncts(conditions[0]["body"])[count:]
    if rest:
        body = rest[0]
        for conjunct in rest[1:]:
            body = {"&&": {"left": body, "right": conjunct}}
        conditions[0] = conditions[0] | {"body": body}
    else:
        del conditions[0]
    return dict(est) | {"conditions": conditions}
