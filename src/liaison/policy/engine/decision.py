"""Answers, and the ``liaison.sharing.decision/1`` decision they are assembled into.

The matching policies of an item combine like this (:func:`_combine`):

1. any matching ``forbid`` → ``deny`` (deny wins over permit);
2. else no matching permit that authorizes (``@outcome("adds_review")`` and
   ``@outcome("adds_obligations")`` permits authorize nothing) → ``deny`` with the reason
   "no authority found" (:func:`_no_authority`);
3. else any matching permit marked ``@outcome("needs_review")`` (law uncertain) or
   ``@outcome("adds_review")`` → ``needs_review``;
4. else ``permit``.

Per item the decision lists (:func:`_item`): ``fields`` (permit only), the category's
field list narrowed by every matching permit's ``@fields``; ``obligations`` (permit and
needs_review), the union of the matching policies'; ``reasons``, one per matching policy
in pack order (federal, state, local; by name), then file and policy order, plus one per
evaluation error; and ``paths``, the lawful paths to a better answer, listed in the
format's order (:func:`_in_order`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from liaison.policy import vocabulary as v
from liaison.policy.engine.facts import covering_agreements
from liaison.policy.packs import Policy
from liaison.policy.request import Request

NO_AUTHORITY_ID = "liaison.no-authority"
RANK = {"deny": 0, "needs_review": 1, "permit": 2}


@dataclass(frozen=True)
class _Outcome:
    decision: str
    policies: tuple[Policy, ...]
    errors: tuple[str, ...]


def _combine(matched: Sequence[Policy], errors: tuple[str, ...]) -> _Outcome:
    """The answer the matching policies give (see the module's docstring)."""
    forbids = tuple(p for p in matched if p.effect == "forbid")
    if forbids:
        return _Outcome("deny", forbids, errors)
    if not any(p.authorizes for p in matched):
        return _Outcome("deny", (), errors)
    if errors or any(p.outcome in ("needs_review", "adds_review") for p in matched):
        return _Outcome("needs_review", tuple(matched), errors)
    return _Outcome("permit", tuple(matched), errors)


@dataclass(frozen=True)
class _Item:
    """What is remembered of one item's evaluation: its answer and its lawful paths."""

    outcome: _Outcome
    paths: tuple[dict[str, Any], ...]


def _decision(
    request: Request,
    evaluated: Sequence[_Item],
    *,
    on: date,
    packs: Sequence[Mapping[str, str]],
    reasons: Mapping[int, Mapping[str, str]],
) -> dict[str, Any]:
    """The decision on ``request`` from each item's answer and paths: ``packs``, the pack
    versions used; ``reasons``, each policy's reason by its ``id()`` (:func:`_reason`)."""
    items = request["items"]
    return {
        "format": v.DECISION_FORMAT,
        "decided_on": on.isoformat(),
        "packs": [dict(p) for p in packs],
        "items": [
            _item(reasons, request, index, item, e.outcome, [_copy(p) for p in e.paths])
            for index, (item, e) in enumerate(zip(items, evaluated, strict=True))
        ],
    }


def _item(
    known: Mapping[int, Mapping[str, str]],
    request: Request,
    index: int,
    item: Mapping[str, Any],
    outcome: _Outcome,
    paths: list[dict[str, Any]],
) -> dict[str, Any]:
    """One item of the decision (``known``: each policy's reason by its ``id()``)."""
    fields: list[str] = []
    obligations: list[str] = []
    if outcome.decision == "permit" and "category" in item:
        every = v.CATEGORIES[item["category"]].fields
        narrowed = [p.fields for p in outcome.policies if p.fields is not None]
        if narrowed:
            allowed = set(every).intersection(*narrowed)
            fields = [f for f in every if f in allowed]
        else:
            fields = list(every)
    if outcome.decision != "deny":
        wanted = {o for p in outcome.policies for o in p.obligations}
        obligations = [o for o in v.OBLIGATIONS if o in wanted] if wanted else []
    reasons = [dict(known[id(p)]) if id(p) in known else _reason(p) for p in outcome.policies] or [
        _no_authority(request, item)
    ]
    reasons += [
        {
            "policy": "liaison.evaluation-error",
            "effect": "forbid",
            "citation": "",
            "explanation": f"A policy could not be evaluated ({error}); counsel reviews.",
        }
        for error in outcome.errors
    ]
    return {
        "index": index,
        "decision": outcome.decision,
        "fields": fields,
        "obligations": obligations,
        "reasons": reasons,
        "paths": paths,
    }


def _copy(path: Mapping[str, Any]) -> dict[str, Any]:
    """A remembered path, copied so that a caller changing it changes nothing here."""
    agreement = path.get("agreement")  # the one value a path holds that is not a string
    return dict(path) if agreement is None else {**path, "agreement": dict(agreement)}


def _in_order(paths: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Instruments in the format's order, then agreements by type."""
    order = {i: n for n, i in enumerate(v.INSTRUMENTS)}
    return sorted(
        paths,
        key=lambda p: (
            (0, order[p["instrument"]], "") if "instrument" in p else (1, 0, p["agreement"]["type"])
        ),
    )


def _reason(policy: Policy) -> dict[str, str]:
    return {
        "policy": policy.id,
        "effect": policy.effect,
        "citation": policy.citation,
        "explanation": policy.explanation,
    }


NO_AUTHORITY_CITATION = {
    "MN": "Minn. Stat. § 13.05, subd. 9 (not-public data goes to another government entity "
    "only where state or federal law authorizes it)",
    "WI": "Wis. Stat. §§ 19.31–19.39 (release only as the law provides)",
}


def _no_authority(request: Request, item: Mapping[str, Any]) -> dict[str, str]:
    _, inactive = covering_agreements(request, item) if request["agreements"] else ([], [])
    what = f"the action {item['action']!r}" if "action" in item else f"{item['category']!r} data"
    explanation = (
        f"No authority found: no policy of the packs in effect permits {what} for this "
        f"purpose with this instrument, so the request is denied."
    )
    if inactive:
        explanation += (
            f" An agreement that would cover it is {', '.join(inactive)}, not active; only an "
            "active agreement counts."
        )
    return {
        "policy": NO_AUTHORITY_ID,
        "effect": "forbid",
        "citation": NO_AUTHORITY_CITATION.get(request["jurisdiction"]["state"], ""),
        "explanation": explanation,
    }
