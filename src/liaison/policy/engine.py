"""Deciding a ``liaison.sharing.request/1`` request: one decision per item, with reasons.

:func:`decide` is the one entry point (the CLI, the API and the sharing workflow call it).
Per item, the packs in effect on the date that apply to the custodian's jurisdiction are
evaluated by Cedar, and the matching policies combine like this:

1. any matching ``forbid`` → ``deny`` (deny wins over permit);
2. else no matching permit that authorizes (``@outcome("adds_review")`` and
   ``@outcome("adds_obligations")`` permits authorize nothing) → ``deny`` with the reason
   "no authority found";
3. else any matching permit marked ``@outcome("needs_review")`` (law uncertain) or
   ``@outcome("adds_review")`` → ``needs_review``;
4. else ``permit``.

``fields`` (permit only) is the category's field list narrowed by every matching permit's
``@fields``; ``obligations`` (permit and needs_review) is the union of the matching
policies'. For ``deny`` and ``needs_review`` the engine evaluates the same item under
every other instrument, and under an active agreement of each type a permit names in
``@agreement``, and lists in ``paths`` those that would give a better answer
(``deny`` → ``needs_review`` or ``permit``; ``needs_review`` → ``permit``).

Facts Cedar cannot compute are computed here before evaluation: which of the request's
*active* agreements cover the item (its category, or the activity of its action, and the
request's purpose) — see :func:`covering_agreements`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import cedarpy
from django.utils import timezone

from liaison.policy import vocabulary as v
from liaison.policy.packs import Library, Pack, Policy, shipped
from liaison.policy.request import Request, validate_request

PRINCIPAL = {"type": "Liaison::Requester", "id": "requester"}
ITEM_TYPE = "Liaison::Item"
NO_AUTHORITY_ID = "liaison.no-authority"
RANK = {"deny": 0, "needs_review": 1, "permit": 2}

# The agreement activity that covers each action (an action item has no category).
ACTION_ACTIVITIES: dict[str, frozenset[str]] = {
    "hold_past_release": frozenset({"jail_screening"}),
    "status_inquiry": frozenset({"jail_screening"}),
    "civil_immigration_arrest": frozenset({"civil_immigration_arrest"}),
    "facility_access": frozenset({"jail_screening", "joint_investigation"}),
}


def _covers(agreement: Mapping[str, Any], item: Mapping[str, Any], purpose: str) -> bool:
    if purpose not in agreement["purposes"]:
        return False
    if "action" in item:
        return bool(ACTION_ACTIVITIES[item["action"]] & set(agreement["activities"]))
    return bool(item["category"] in agreement["categories"])


def covering_agreements(request: Request, item: Mapping[str, Any]) -> tuple[list[str], list[str]]:
    """(types of the active agreements covering ``item``, statuses of the others that would)."""
    covering = [a for a in request["agreements"] if _covers(a, item, request["purpose"])]
    active = {a["type"] for a in covering if a["status"] == "active"}
    inactive = {a["status"] for a in covering if a["status"] != "active"}
    return sorted(active), sorted(inactive)


def _requester_facts(requester: Mapping[str, Any]) -> dict[str, Any]:
    attributes = requester["attributes"]
    facts: dict[str, Any] = {"level": requester["level"], "component": requester["component"]}
    for attribute, name in v.REQUESTER_ATTRIBUTES.items():
        facts[name] = attributes.get(attribute) is True
    return facts


def _item_facts(item: Mapping[str, Any]) -> dict[str, Any]:
    if "action" in item:
        return {"kind": "action", "category": "", "classification": "", "source": ""} | {
            flag: False for flag in v.FLAGS
        }
    return {"kind": "data"} | {
        key: item[key] for key in ("category", "classification", "source", *v.FLAGS)
    }


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


@dataclass(frozen=True)
class _Outcome:
    decision: str
    policies: tuple[Policy, ...]
    errors: tuple[str, ...]


class Evaluator:
    """A selection of pack versions compiled once into a Cedar ``PolicySet``."""

    def __init__(self, packs: Sequence[Pack], *, on: date) -> None:
        self.packs = tuple(packs)
        self.policies: list[Policy] = [
            p for pack in packs for p in pack.policies if p.effective <= on
        ]
        document = {
            "staticPolicies": {f"policy{i}": p.est for i, p in enumerate(self.policies)},
            "templates": {},
            "templateLinks": [],
        }
        self.by_id = {f"policy{i}": p for i, p in enumerate(self.policies)}
        self.policy_set = cedarpy.PolicySet.from_json_str(json.dumps(document))
        self.agreement_types = {
            action: sorted(
                {
                    t
                    for p in self.policies
                    if p.effect == "permit" and action in _actions(p)
                    for t in p.agreement_types
                }
            )
            for action in ("disclose", *v.ACTIONS)
        }
        self.reads = {
            p.id: frozenset(_context_attributes(p.est.get("conditions", []), set()))
            for p in self.policies
        }
        self.instrument_classes = {
            action: instrument_classes(self.policies, action) for action in ("disclose", *v.ACTIONS)
        }

    @staticmethod
    def _entities(request: Request) -> cedarpy.Entities:
        """The requester and every item as Cedar entities: parsed once per request and
        shared by the evaluation of each item and of its alternatives."""
        entities = [
            {"uid": PRINCIPAL, "attrs": _requester_facts(request["requester"]), "parents": []}
        ] + [
            {"uid": {"type": ITEM_TYPE, "id": str(i)}, "attrs": _item_facts(item), "parents": []}
            for i, item in enumerate(request["items"])
        ]
        return cedarpy.Entities.from_json_str(json.dumps(entities))

    @staticmethod
    def _context(request: Request, item: Mapping[str, Any]) -> dict[str, Any]:
        jurisdiction = request["jurisdiction"]
        active, _ = covering_agreements(request, item)
        return {
            "state": jurisdiction["state"],
            "county": jurisdiction["county"] or "",
            "city": jurisdiction["city"] or "",
            "purpose": request["purpose"],
            "instrument": request["instrument"],
            "urgent": request["urgent"],
            "covering_agreement_types": active,
            "agreement_covers": bool(active),
        }

    @staticmethod
    def _query(index: int, item: Mapping[str, Any], context: dict[str, Any]) -> dict[str, Any]:
        action = item.get("action", "disclose")
        return {
            "principal": PRINCIPAL,
            "action": {"type": "Liaison::Action", "id": action},
            "resource": {"type": ITEM_TYPE, "id": str(index)},
            "context": context,
        }

    def _evaluate(
        self, queries: list[dict[str, Any]], entities: cedarpy.Entities
    ) -> list[_Outcome]:
        if not queries:
            return []
        results = cedarpy.is_authorized_batch(queries, self.policy_set, entities)
        return [self._outcome(r) for r in results]

    def _outcome(self, result: cedarpy.AuthzResult) -> _Outcome:
        matched = tuple(self.by_id[r] for r in result.diagnostics.reasons)
        errors = tuple(str(e) for e in result.diagnostics.errors)
        forbids = tuple(p for p in matched if p.effect == "forbid")
        if forbids:
            return _Outcome("deny", forbids, errors)
        if not any(p.authorizes for p in matched):
            return _Outcome("deny", (), errors)
        if errors or any(p.outcome in ("needs_review", "adds_review") for p in matched):
            return _Outcome("needs_review", matched, errors)
        return _Outcome("permit", matched, errors)

    def _unblocked_by(self, outcome: _Outcome, facts: frozenset[str]) -> bool:
        """Whether changing ``facts`` can lift a deny: only when every forbid that matched
        reads one of them (one that does not still matches under any alternative)."""
        forbids = [p for p in outcome.policies if p.effect == "forbid"]
        return all(self.reads[p.id] & facts for p in forbids)

    def _alternatives(
        self,
        request: Request,
        item: Mapping[str, Any],
        context: dict[str, Any],
        outcome: _Outcome,
    ) -> list[tuple[list[dict[str, Any]], dict[str, Any]]]:
        """(the paths an alternative stands for, its context): one per class of other
        instruments, then one per agreement type a permit of this action names — each only
        when it could lift the forbids that matched."""
        action = item.get("action", "disclose")
        found: list[tuple[list[dict[str, Any]], dict[str, Any]]] = []
        instruments = self._unblocked_by(outcome, frozenset({"instrument"}))
        for group in self.instrument_classes[action] if instruments else []:
            if request["instrument"] not in group:  # its own class cannot change the answer
                paths = [{"instrument": i} for i in group]
                found.append((paths, context | {"instrument": group[0]}))
        agreements = self._unblocked_by(outcome, AGREEMENT_FACTS)
        for kind in self.agreement_types[action] if agreements else []:
            if kind in context["covering_agreement_types"]:
                continue
            types = sorted({*context["covering_agreement_types"], kind})
            path = {"agreement": {"type": kind, "status": "active"}}
            found.append(
                ([path], context | {"covering_agreement_types": types, "agreement_covers": True})
            )
        return found

    def decide(self, request: Request, *, on: date) -> dict[str, Any]:
        items = request["items"]
        entities = self._entities(request)
        contexts = [self._context(request, item) for item in items]
        outcomes = self._evaluate(
            [
                self._query(i, item, ctx)
                for i, (item, ctx) in enumerate(zip(items, contexts, strict=True))
            ],
            entities,
        )
        # One batch for the alternatives of every item that is not permitted.
        pending: list[tuple[int, list[dict[str, Any]]]] = []
        queries: list[dict[str, Any]] = []
        for index, (item, ctx, outcome) in enumerate(zip(items, contexts, outcomes, strict=True)):
            if outcome.decision != "permit":
                for group, alt in self._alternatives(request, item, ctx, outcome):
                    pending.append((index, group))
                    queries.append(self._query(index, item, alt))
        found: dict[int, list[dict[str, Any]]] = {}
        for (index, group), alt_outcome in zip(
            pending, self._evaluate(queries, entities), strict=True
        ):
            if RANK[alt_outcome.decision] > RANK[outcomes[index].decision]:
                found.setdefault(index, []).extend(
                    path | {"decision": alt_outcome.decision} for path in group
                )
        paths = {index: _in_order(found_paths) for index, found_paths in found.items()}
        return {
            "format": v.DECISION_FORMAT,
            "decided_on": on.isoformat(),
            "packs": [
                {"name": p.name, "version": p.version, "effective": p.effective.isoformat()}
                for p in self.packs
            ],
            "items": [
                self._item(request, index, item, outcome, paths.get(index, []))
                for index, (item, outcome) in enumerate(zip(items, outcomes, strict=True))
            ],
        }

    def _item(
        self,
        request: Request,
        index: int,
        item: Mapping[str, Any],
        outcome: _Outcome,
        paths: list[dict[str, Any]],
    ) -> dict[str, Any]:
        fields: list[str] = []
        obligations: list[str] = []
        if outcome.decision == "permit" and "category" in item:
            allowed = set(v.CATEGORIES[item["category"]].fields)
            for policy in outcome.policies:
                if policy.fields is not None:
                    allowed &= policy.fields
            fields = [f for f in v.CATEGORIES[item["category"]].fields if f in allowed]
        if outcome.decision != "deny":
            wanted = {o for p in outcome.policies for o in p.obligations}
            obligations = [o for o in v.OBLIGATIONS if o in wanted]
        reasons = [_reason(p) for p in outcome.policies] or [_no_authority(request, item)]
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
    _, inactive = covering_agreements(request, item)
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


_EVALUATORS: dict[tuple[object, ...], Evaluator] = {}
_MAX_EVALUATORS = 256


def evaluator(packs: Sequence[Pack], *, on: date) -> Evaluator:
    """The compiled evaluator for ``packs`` on ``on``, built once per selection.

    The key is the identity of the pack versions (a cached evaluator keeps them alive,
    so an identity is never reused while its entry exists) and the policies not yet in
    effect on ``on``.
    """
    key = tuple(id(pack) for pack in packs) + tuple(
        p.id for pack in packs for p in pack.policies if p.effective > on
    )
    found = _EVALUATORS.get(key)
    if found is None:
        if len(_EVALUATORS) >= _MAX_EVALUATORS:
            _EVALUATORS.clear()
        found = _EVALUATORS[key] = Evaluator(packs, on=on)
    return found


def decide(
    request: object,
    *,
    packs: Iterable[str] | None = None,
    on: date | None = None,
    library: Library | None = None,
) -> dict[str, Any]:
    """The ``liaison.sharing.decision/1`` decision on ``request``.

    ``request`` is checked first (:class:`~liaison.policy.request.InvalidRequest` with
    field messages when it does not follow the format). ``packs`` restricts evaluation to
    the named packs (each must apply, else ``UnknownPack``); by default every pack that
    applies to the custodian's jurisdiction is used, in the version in effect ``on``
    (today by default). The decision names the pack versions used.
    """
    clean = validate_request(request)
    day = on or timezone.localdate()
    chosen = (library or shipped()).select(clean["jurisdiction"], on=day, names=packs)
    return evaluator(chosen, on=day).decide(clean, on=day)
