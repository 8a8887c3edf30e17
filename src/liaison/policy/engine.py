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

Reasons are listed in pack order (federal, state, local; by name), then file and policy
order. How one Cedar evaluation per item answers the item and all its alternatives is
described on :class:`Evaluator`.
"""

from __future__ import annotations

import json
import operator
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import cedarpy
from django.utils import timezone

from liaison.policy import vocabulary as v
from liaison.policy.compile import (
    _COVERING,
    _INSTRUMENT,
    AGREEMENT_FACTS,
    REQUEST_FACTS,
    _actions,
    _agreement_literals,
    _context_attributes,
    _context_on_entities,
    _instrument_literals,
    _read_context,
    _substitute,
    instrument_classes,
)
from liaison.policy.est import (
    NEVER,
    _conjuncts,
    attributes_read,
    leading_tests,
    residual,
    settled,
)
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


def _active_covering(request: Request) -> list[tuple[str, frozenset[str], frozenset[str]]]:
    """The request's active agreements for its purpose, as (type, activities, categories):
    those :func:`covering_agreements` finds active, before the item is looked at."""
    purpose = request["purpose"]
    return [
        (a["type"], frozenset(a["activities"]), frozenset(a["categories"]))
        for a in request["agreements"]
        if a["status"] == "active" and purpose in a["purposes"]
    ]


def _requester_facts(requester: Mapping[str, Any]) -> dict[str, Any]:
    attributes = requester["attributes"]
    facts: dict[str, Any] = {"level": requester["level"], "component": requester["component"]}
    for attribute, name in v.REQUESTER_ATTRIBUTES.items():
        facts[name] = attributes.get(attribute) is True
    return facts


_DATA_KEYS = ("category", "classification", "source", *v.FLAGS)
_FACT_KEYS = ("kind", *_DATA_KEYS)
_ACTION_FACTS = ("action", "", "", "", *(False for _ in v.FLAGS))
_data_values = operator.itemgetter(*_DATA_KEYS)


def _fact_values(item: Mapping[str, Any]) -> tuple[object, ...]:
    """The values of :func:`_item_facts`, in its order."""
    return _ACTION_FACTS if "action" in item else ("data", *_data_values(item))


def _item_facts(item: Mapping[str, Any]) -> dict[str, Any]:
    return dict(zip(_FACT_KEYS, _fact_values(item), strict=True))


def _hashable(value: object) -> object:
    return tuple(value) if isinstance(value, list) else value


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


# An alternative: ("instrument", the instrument standing for its class) or
# ("agreement", an agreement type assumed active and covering).
Alternative = tuple[str, str]
Replace = list[tuple[object, object]]
_ERROR_POLICY = re.compile(r"policy `([^`]+)`")
_AS_IS: tuple[Alternative | None, ...] = (None,)  # what a policy compiled as written answers
# (the alternative answering a path, its class's instruments or the agreement type it
# adds, the path)
_PathChoice = tuple[Alternative, tuple[str, ...], str | None, dict[str, Any]]
# (the alternative, its slot's shift, the bits of the policies it leaves as they are, its
# class's instruments or the agreement type it adds)
_Choice = tuple[Alternative, int, int, tuple[str, ...], str | None]
_encode = json.JSONEncoder(check_circular=False, separators=(",", ":")).encode
_ACTION_UIDS = {
    action: {"type": "Liaison::Action", "id": action} for action in ("disclose", *v.ACTIONS)
}


def _with_agreement(kind: str) -> str:
    """The context attribute holding the covering agreement types plus ``kind``."""
    return f"covering_agreement_types+{kind}"


@dataclass(frozen=True)
class _Item:
    """What is remembered of one item's evaluation: its answer and its lawful paths."""

    outcome: _Outcome
    paths: tuple[dict[str, Any], ...]


@dataclass(frozen=True)
class _Subset:
    """Compiled policies for items whose leading tests leave these, without the leading
    conjuncts all the items' facts make true; the facts they read (Cedar parses every
    attribute an entity carries, so an entity carries only these)."""

    policy_set: cedarpy.PolicySet
    principal: tuple[str, ...]
    resource: Mapping[str, tuple[str, ...]]  # by action: those its policies read


class Evaluator:
    """A selection of pack versions compiled once into a Cedar ``PolicySet``.

    One Cedar evaluation per item answers both the item and every alternative its lawful
    paths need. The compiled set holds each policy once as it is, and once more for each
    alternative that changes what it reads: with ``context.instrument`` replaced by the
    instrument standing for a class (:func:`instrument_classes`), or with the covering
    agreements read from a context attribute that adds one agreement type. Every copy is
    compiled as a ``permit`` so that Cedar reports every policy that matched (it reports
    only the forbids when one matches); the engine combines them itself. An alternative's
    matches are the copies made for it plus the policies it does not change, which match
    as they did. The answer equals evaluating the item once per alternative with the
    policies as written (a property test checks it against that plain evaluation).

    Three more things keep an evaluation small, none changing an answer:

    * a policy (or copy) whose leading tests make it false for every item of the request
      is left out of the request's evaluation (:mod:`liaison.policy.est`; the items go to
      Cedar in one batch), and the leading conjuncts every item of the batch has true
      are dropped from what Cedar gets (:func:`~liaison.policy.est.residual`), and a
      policy left with no condition is answered here as matching; the policy set of
      each such selection is compiled once and kept;
    * the context's facts travel as attributes of the entities (policies reading
      ``context.x`` are compiled to read ``principal.x`` for the request's own facts,
      :data:`REQUEST_FACTS`, and ``resource.x`` for the item's), so they are parsed once
      per request with the entities rather than once per evaluation;
    * an entity carries only the attributes the evaluated policies of its item's action read
      (Cedar parses each; it reads a condition only for the actions of its scope).

    Answers are remembered per distinct item (every fact of the item, the requester and
    the context), so an item seen before costs no evaluation; :func:`forget` drops them.
    """

    MEMORY = 8192

    def __init__(self, packs: Sequence[Pack], *, on: date) -> None:
        self.packs = tuple(packs)
        self.policies: list[Policy] = [
            p for pack in packs for p in pack.policies if p.effective <= on
        ]
        self.by_id = {f"policy{i}": p for i, p in enumerate(self.policies)}
        actions = ("disclose", *v.ACTIONS)
        self.agreement_types = {
            action: sorted(
                {
                    t
                    for p in self.policies
                    if p.effect == "permit" and action in _actions(p)
                    for t in p.agreement_types
                }
            )
            for action in actions
        }
        self.reads = {
            p.id: frozenset(_context_attributes(p.est.get("conditions", []), set()))
            for p in self.policies
        }
        self.instrument_classes = {
            action: instrument_classes(self.policies, action) for action in actions
        }
        compiled: dict[str, Any] = {}
        # Bits of self.policies: the forbids, the permits that authorize, those that send
        # to review.
        self._forbids = self._mask(p.effect == "forbid" for p in self.policies)
        self._authorizes = self._mask(p.authorizes for p in self.policies)
        self._reviews = self._mask(
            p.outcome in ("needs_review", "adds_review") for p in self.policies
        )
        # compiled id -> (the bit of its policy, the alternatives it answers; None: as is)
        self._serves: dict[str, tuple[int, tuple[Alternative | None, ...]]] = {}
        # alternative -> bits of the policies it changes (they answer by their copies)
        self._changed: dict[Alternative, int] = {}
        # The agreement types whose "covering types plus this one" the context carries.
        self._with_kinds: set[str] = set()
        for i, policy in enumerate(self.policies):
            base = dict(policy.est) | {"effect": "permit"}
            compiled[f"policy{i}"] = base
            self._serves[f"policy{i}"] = (1 << i, _AS_IS)
            for n, (replace, alternatives) in enumerate(self._copies(policy)):
                conditions = _substitute(policy.est.get("conditions", []), replace)
                compiled[f"policy{i}.{n}"] = base | {"conditions": conditions}
                self._serves[f"policy{i}.{n}"] = (1 << i, alternatives)
                for alternative in alternatives:
                    self._changed[alternative] = self._changed.get(alternative, 0) | 1 << i
        # The context's facts travel on the entities when no policy reads the context as a
        # whole (the entities are parsed once per request, a context once per item): the
        # request's own facts on the requester, the item's on the item.
        requester_facts = {"level", "component", *v.REQUESTER_ATTRIBUTES.values()}
        self._shared = REQUEST_FACTS if not REQUEST_FACTS & requester_facts else frozenset()
        moved = {
            k: _context_on_entities(est.get("conditions", []), self._shared)
            for k, est in compiled.items()
        }
        self._context_on_resource = all(c is not None for c in moved.values())
        if self._context_on_resource:
            compiled = {k: est | {"conditions": moved[k]} for k, est in compiled.items()}
        self._compiled = compiled
        self.policy_set = self._policy_set(tuple(compiled))
        # Per compiled policy: the actions it can apply to and the tests it starts with.
        # Per compiled policy: the actions it can apply to and the tests it starts with
        # (a copy whose written-in instrument makes it start false is left out).
        scopes = {
            k: (_actions(self.policies[self._serves[k][0].bit_length() - 1]), leading_tests(est))
            for k, est in compiled.items()
        }
        self._scope = {k: scope for k, scope in scopes.items() if NEVER not in scope[1]}
        self._tested = sorted(
            {(t.variable, t.attr) for _, tests in self._scope.values() for t in tests}
        )
        # Per compiled policy whose scope is its action alone and whose one condition is a
        # ``when``: how many conjuncts it has (all true: it matches).
        self._whole = {
            k: len(_conjuncts(est["conditions"][0].get("body")))
            for k, est in compiled.items()
            if len(est.get("conditions", [])) == 1
            and est["conditions"][0].get("kind") == "when"
            and est.get("principal") == {"op": "All"}
            and est.get("resource") == {"op": "All"}
        }
        self._subsets: dict[tuple[object, ...], tuple[tuple[str, ...], dict[str, int]]] = {}
        self._sets: dict[tuple[tuple[str, int], ...], _Subset] = {}
        self._memory: dict[tuple[object, ...], _Item] = {}
        # What depends only on the selection, worked out once rather than per request:
        # the facts the leading tests read, by where they are read; the compiled order;
        # the context attributes adding one agreement type; each action's paths in the
        # order they are listed; the packs and each policy's reason as the decision says.
        self._with = tuple((kind, _with_agreement(kind)) for kind in sorted(self._with_kinds))
        lists = {"covering_agreement_types", *(attribute for _, attribute in self._with)}
        self._tested_by = {
            var: (attributes, not lists.isdisjoint(attributes))
            for var in ("principal", "resource", "context")
            for attributes in [tuple(a for v_, a in self._tested if v_ == var)]
        }
        self._position = {k: n for n, k in enumerate(compiled)}
        paths = {action: self._path_choices(action) for action in actions}
        # What one evaluation matched, packed in one integer: slot 0 holds the bits of the
        # policies that matched as written, slot n those whose copies matched for the
        # alternative numbered n (the bits shifted n × the number of policies).
        width = len(self.policies)
        slots = {
            a: n
            for n, a in enumerate(
                sorted(
                    {a for _, served in self._serves.values() for a in served if a is not None}
                    | {choice[0] for choices in paths.values() for choice in choices}
                ),
                start=1,
            )
        }
        self._full = (1 << width) - 1
        self._spread = {
            k: sum(bit << ((slots[a] if a is not None else 0) * width) for a in set(served))
            for k, (bit, served) in self._serves.items()
        }
        self._choices: dict[str, tuple[_Choice, ...]] = {
            action: tuple(
                {
                    alternative: (
                        alternative,
                        slots[alternative] * width,
                        ~self._changed.get(alternative, 0),
                        group,
                        kind,
                    )
                    for alternative, group, kind, _ in choices
                }.values()
            )
            for action, choices in paths.items()
        }
        self._listed = {
            action: tuple((alternative, path) for alternative, _, _, path in choices)
            for action, choices in paths.items()
        }
        self._packs = tuple(
            {"name": p.name, "version": p.version, "effective": p.effective.isoformat()}
            for p in self.packs
        )
        self._reasons = {id(p): _reason(p) for p in self.policies}

    def _policy_set(self, ids: tuple[str, ...]) -> cedarpy.PolicySet:
        document = {
            "staticPolicies": {k: self._compiled[k] for k in ids},
            "templates": {},
            "templateLinks": [],
        }
        return cedarpy.PolicySet.from_json_str(json.dumps(document))

    def _candidates(
        self,
        action: str,
        facts: Mapping[str, Mapping[str, Any]],
        principal_key: tuple[object, ...] | None = None,
    ) -> tuple[tuple[str, ...], dict[str, int]]:
        """The compiled policies that can match or fail for an item with these facts: those
        of its action whose leading tests the facts do not make false (see
        :mod:`liaison.policy.est`); and for every policy of its action, how many leading
        conjuncts the facts make true (:func:`~liaison.policy.est.settled`). Remembered
        by the facts the tests read (``principal_key``: those of the principal, the same
        for every item of a request)."""
        if principal_key is None:
            principal_key = self._read_facts(facts["principal"], "principal")
        key = (
            action,
            principal_key,
            self._read_facts(facts["resource"], "resource"),
            self._read_facts(facts["context"], "context"),
        )
        found = self._subsets.get(key)
        if found is None:
            found = (
                tuple(
                    k
                    for k, (actions, tests) in self._scope.items()
                    if action in actions and all(t.holds(facts) is not False for t in tests)
                ),
                {
                    k: settled(self._compiled[k], facts)
                    for k, (actions, _) in self._scope.items()
                    if action in actions
                },
            )
            if len(self._subsets) >= self.MEMORY:
                self._subsets.clear()
            self._subsets[key] = found
        return found

    def _compiled_set(self, residuals: tuple[tuple[str, int], ...]) -> _Subset:
        """The policy set of these compiled policies, each without its first conjuncts
        (:func:`residual`; the counts are true for every item of the batch)."""
        found = self._sets.get(residuals)
        if found is None:
            if len(self._sets) >= self.MEMORY:
                self._sets.clear()
            policies = {k: residual(self._compiled[k], count) for k, count in residuals}
            reads: set[tuple[str, str]] = set()
            item_reads: dict[str, set[str]] = {}
            for k, est in policies.items():
                read = attributes_read(est.get("conditions", []))
                reads |= read
                # Cedar reads a policy's condition only for the actions of its scope.
                for action in self._scope[k][0]:
                    item_reads.setdefault(action, set()).update(
                        a for var, a in read if var == "resource"
                    )
            document = {"staticPolicies": policies, "templates": {}, "templateLinks": []}
            found = self._sets[residuals] = _Subset(
                cedarpy.PolicySet.from_json_str(json.dumps(document)),
                tuple(sorted(a for var, a in reads if var == "principal")),
                {action: tuple(sorted(read)) for action, read in item_reads.items()},
            )
        return found

    def _read_facts(self, facts: Mapping[str, Any], variable: str) -> tuple[object, ...]:
        """The values in ``facts`` of the attributes the tests read of ``variable``,
        hashable (a test finds a missing fact and one that is not a string or boolean
        alike: undecided)."""
        attributes, lists = self._tested_by[variable]
        if not attributes:
            return ()
        if lists:
            return tuple(map(_hashable, map(facts.get, attributes)))
        return tuple(map(facts.get, attributes))

    @staticmethod
    def _mask(bits: Iterable[bool]) -> int:
        return sum(1 << i for i, bit in enumerate(bits) if bit)

    def _copies(self, policy: Policy) -> list[tuple[Replace, tuple[Alternative, ...]]]:
        """The copies of ``policy`` the alternatives need: (what each replaces, the
        alternatives it answers). An alternative with no copy leaves the policy as it is.
        Instruments (or agreement types) the policy cannot tell apart share one copy."""
        conditions = policy.est.get("conditions", [])
        reads = self.reads[policy.id]
        actions = _actions(policy)
        copies: list[tuple[Replace, tuple[Alternative, ...]]] = []
        if "instrument" in reads:
            stand_ins = sorted({g[0] for a in actions for g in self.instrument_classes[a]})
            named: set[str] = set()
            if not _instrument_literals(conditions, named):
                named = set(stand_ins)
            by_class: dict[str, list[str]] = {}
            for stand_in in stand_ins:
                by_class.setdefault(stand_in if stand_in in named else "", []).append(stand_in)
            copies += [
                ([(_INSTRUMENT, {"Value": group[0]})], tuple(("instrument", s) for s in group))
                for group in by_class.values()
            ]
        if reads & AGREEMENT_FACTS:
            kinds = sorted({k for a in actions for k in self.agreement_types[a]})
            covers: Replace = [(_read_context("agreement_covers"), {"Value": True})]
            named = set()
            if _agreement_literals(conditions, named):
                # It asks only whether named types cover: the added type answers yes.
                for kind in sorted(named & set(kinds)):
                    asks = {"contains": {"left": _COVERING, "right": {"Value": kind}}}
                    copies.append(([(asks, {"Value": True}), *covers], (("agreement", kind),)))
            else:
                named = set(kinds)
                for kind in kinds:
                    with_kind = _read_context(_with_agreement(kind))
                    copies.append(([(_COVERING, with_kind), *covers], (("agreement", kind),)))
                    self._with_kinds.add(kind)
            others = tuple(("agreement", k) for k in kinds if k not in named)
            if others and "agreement_covers" in reads:
                # The types it never names: only "some agreement covers" changes.
                copies.append((covers, others))
        return copies

    def _path_choices(self, action: str) -> tuple[_PathChoice, ...]:
        """Every path an alternative of ``action`` can stand for, in the order paths are
        listed (:func:`_in_order`): (the alternative answering it, the instruments of its
        class or the agreement type it adds, the path)."""
        order = {i: n for n, i in enumerate(v.INSTRUMENTS)}
        instruments = sorted(
            (
                (("instrument", group[0]), group, None, {"instrument": i})
                for group in self.instrument_classes[action]
                for i in group
            ),
            key=lambda choice: order[choice[3]["instrument"]],
        )
        agreements = [
            (("agreement", kind), (), kind, {"agreement": {"type": kind, "status": "active"}})
            for kind in self.agreement_types[action]
        ]
        return (*instruments, *agreements)

    def _item_context(self, shared: Mapping[str, Any], active: list[str]) -> dict[str, Any]:
        context = {**shared, "covering_agreement_types": active, "agreement_covers": bool(active)}
        for kind, attribute in self._with:
            context[attribute] = sorted({*active, kind})
        return context

    def _read(
        self,
        action: str,
        instrument: str,
        covering: Sequence[str],
        reasons: Iterable[str],
        errors: list[str],
    ) -> _Item:
        """The item's answer and paths from the one evaluation of the compiled set: the
        item evaluated under ``instrument`` with ``covering`` the types of the active
        agreements covering it."""
        serves = self._serves
        spread = self._spread
        total = 0
        for policy_id in reasons:
            total |= spread[policy_id]
        full = self._full
        base = total & full
        failed: dict[Alternative | None, int] = {}
        messages: list[tuple[int, str]] = []
        for error in errors:
            found = _ERROR_POLICY.search(str(error))
            # An error naming no policy counts for the item and every alternative.
            bit, alternatives = serves.get(found.group(1) if found else "", (-1, _AS_IS))
            for alternative in alternatives:
                failed[alternative] = failed.get(alternative, 0) | bit
            if alternatives == _AS_IS:
                messages.append((bit if bit > 0 else 1 << len(self.policies), str(error)))
        base_failed = failed.get(None, 0)
        answer = self._outcome(base, tuple(m for _, m in sorted(messages)) if messages else ())
        if answer.decision == "permit":
            return _Item(answer, ())
        rank = RANK[answer.decision]
        better: dict[Alternative, str] = {}
        for alternative, shift, keep, group, kind in self._choices[action]:
            if instrument in group if kind is None else kind in covering:
                continue  # its own class, or a type already covering: no change
            got = base & keep | total >> shift & full
            fails = base_failed & keep | failed.get(alternative, 0) if failed else 0
            if got & self._forbids or not got & self._authorizes:
                decision = "deny"
            elif fails or got & self._reviews:
                decision = "needs_review"
            else:
                decision = "permit"
            if RANK[decision] > rank:
                better[alternative] = decision
        if not better:
            return _Item(answer, ())
        return _Item(
            answer,
            tuple(
                path | {"decision": better[alternative]}
                for alternative, path in self._listed[action]
                if alternative in better
            ),
        )

    def _outcome(self, matched: int, errors: tuple[str, ...]) -> _Outcome:
        """:func:`_combine` of the policies whose bits are set in ``matched``."""
        forbids = matched & self._forbids
        if forbids:
            return _Outcome("deny", self._policies_of(forbids), errors)
        if not matched & self._authorizes:
            return _Outcome("deny", (), errors)
        if errors or matched & self._reviews:
            return _Outcome("needs_review", self._policies_of(matched), errors)
        return _Outcome("permit", self._policies_of(matched), errors)

    def _policies_of(self, bits: int) -> tuple[Policy, ...]:
        """The policies whose bits are set, in order."""
        found: list[Policy] = []
        while bits:
            lowest = bits & -bits
            found.append(self.policies[lowest.bit_length() - 1])
            bits ^= lowest
        return tuple(found)

    def _evaluate(self, request: Request) -> list[_Item]:
        """Each item's answer: remembered, or from one batch for the items not seen before."""
        items = request["items"]
        memory = self._memory
        requester = _requester_facts(request["requester"])
        shared_context = _request_context(request)
        request_key = (*requester.values(), *shared_context.values())
        agreements = _active_covering(request) if request["agreements"] else []
        keys: list[tuple[object, ...]] = []
        unseen: dict[tuple[object, ...], tuple[int, list[str], dict[str, Any]]] = {}
        for n, item in enumerate(items):
            active: list[str] = []
            if agreements:  # the types of the active agreements covering the item
                if "action" in item:
                    activities = ACTION_ACTIVITIES[item["action"]]
                    active = sorted({t for t, does, _ in agreements if activities & does})
                else:
                    category = item["category"]
                    active = sorted({t for t, _, holds in agreements if category in holds})
            values = _fact_values(item)
            key = (item.get("action", "disclose"), request_key, *values, *active)
            keys.append(key)
            if key not in memory and key not in unseen:
                unseen[key] = (n, active, dict(zip(_FACT_KEYS, values, strict=True)))
        if not unseen:
            return [memory[k] for k in keys]
        if len(memory) + len(unseen) > self.MEMORY:
            memory.clear()
        # The context's facts travel on the entities (see the class's docstring): the
        # request's own on the requester, the item's on the item.
        on_resource = self._context_on_resource
        shared = self._shared if on_resource else frozenset()
        if shared == REQUEST_FACTS:
            principal, on_item = requester | shared_context, {}
        else:
            principal = requester | {k: x for k, x in shared_context.items() if k in shared}
            on_item = (
                {k: x for k, x in shared_context.items() if k not in shared} if on_resource else {}
            )
        principal_key = self._read_facts(principal, "principal")
        # One evaluation of the policies any of the items can meet (a policy an item's
        # facts rule out meets its false leading test there and stops), each without the
        # leading conjuncts every item of its action has true.
        batch: list[tuple[int, str, list[str], dict[str, Any], dict[str, Any] | None]] = []
        union: set[str] = set()
        counts: list[dict[str, int]] = []
        subsets = self._subsets
        for n, active, resource in unseen.values():  # first occurrences, in order
            action = items[n].get("action", "disclose")
            context: dict[str, Any] | None = None
            if on_resource:
                if on_item:
                    resource.update(on_item)
                resource["covering_agreement_types"] = active
                resource["agreement_covers"] = bool(active)
                for kind, attribute in self._with:
                    resource[attribute] = sorted({*active, kind})
            else:
                context = self._item_context(shared_context, active)
            key = (
                action,
                principal_key,
                self._read_facts(resource, "resource"),
                self._read_facts(context, "context") if context is not None else (),
            )
            found = subsets.get(key)
            if found is None:
                facts = {
                    "principal": principal,
                    "resource": resource,
                    "context": context or self._item_context(shared_context, active),
                }
                found = self._candidates(action, facts, principal_key)
            candidates, count = found
            batch.append((n, action, active, resource, context))
            union.update(candidates)
            counts.append(count)
        if len(counts) == 1:
            residuals = [(k, counts[0][k]) for k in candidates]  # in the compiled order
        else:
            residuals = [
                (k, min([c[k] for c in counts if k in c]))
                for k in sorted(union, key=self._position.__getitem__)
            ]
        # A policy left with no condition for every item of its action matches each of
        # them: it is answered here, not by Cedar.
        whole = self._whole
        decided = [k for k, count in residuals if count == whole.get(k)]
        instrument = request["instrument"]
        if len(decided) == len(residuals):
            for (n, action, active, _, _), count in zip(batch, counts, strict=True):
                memory[keys[n]] = self._read(
                    action, instrument, active, [k for k in decided if k in count], []
                )
            return [memory[k] for k in keys]
        subset = self._compiled_set(tuple(r for r in residuals if r[0] not in decided))
        entities: list[dict[str, Any]] = [
            {
                "uid": PRINCIPAL,
                "attrs": {k: principal[k] for k in subset.principal if k in principal},
                "parents": [],
            }
        ]
        queries: list[dict[str, Any]] = []
        for n, action, _, resource, context in batch:
            uid = {"type": ITEM_TYPE, "id": str(n)}
            entities.append(
                {
                    "uid": uid,
                    "attrs": {
                        k: resource[k] for k in subset.resource.get(action, ()) if k in resource
                    },
                    "parents": [],
                }
            )
            query = {"principal": PRINCIPAL, "action": _ACTION_UIDS[action], "resource": uid}
            if context is not None:
                query["context"] = context
            queries.append(query)
        results = cedarpy.is_authorized_batch(queries, subset.policy_set, _encode(entities))
        for (n, action, active, _, _), count, result in zip(batch, counts, results, strict=True):
            diagnostics = result.diagnostics
            reasons, errors = diagnostics.reasons, diagnostics.errors
            memory[keys[n]] = self._read(
                action,
                instrument,
                active,
                [*reasons, *(k for k in decided if k in count)] if decided else reasons,
                [str(e) for e in errors] if errors else [],
            )
        return [memory[k] for k in keys]

    def decide(self, request: Request, *, on: date) -> dict[str, Any]:
        items = request["items"]
        evaluated = self._evaluate(request)
        return {
            "format": v.DECISION_FORMAT,
            "decided_on": on.isoformat(),
            "packs": [dict(p) for p in self._packs],
            "items": [
                self._item(request, index, item, e.outcome, [_copy(p) for p in e.paths])
                for index, (item, e) in enumerate(zip(items, evaluated, strict=True))
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
        known = self._reasons
        reasons = [
            dict(known[id(p)]) if id(p) in known else _reason(p) for p in outcome.policies
        ] or [_no_authority(request, item)]
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


def _request_context(request: Request) -> dict[str, Any]:
    """The context's facts that are the request's own (:data:`REQUEST_FACTS`)."""
    jurisdiction = request["jurisdiction"]
    return {
        "state": jurisdiction["state"],
        "county": jurisdiction["county"] or "",
        "city": jurisdiction["city"] or "",
        "purpose": request["purpose"],
        "instrument": request["instrument"],
        "urgent": request["urgent"],
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


_EVALUATORS: dict[tuple[object, ...], Evaluator] = {}
_MAX_EVALUATORS = 256
# The evaluator of the shipped packs for a day and a jurisdiction.
_SELECTIONS: dict[tuple[object, ...], Evaluator] = {}


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


def forget() -> None:
    """Drop every remembered answer (the compiled evaluators stay): a benchmark measuring
    first evaluations calls it; answers never go stale, as an evaluator's packs do not
    change."""
    for found in (*_EVALUATORS.values(), *_SELECTIONS.values()):
        found._memory.clear()


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
    jurisdiction = clean["jurisdiction"]
    if library is None and packs is None:
        # The shipped packs do not change in a process: their selection's evaluator is
        # remembered.
        key = (day, tuple(sorted(jurisdiction.items())))
        found = _SELECTIONS.get(key)
        if found is None:
            if len(_SELECTIONS) >= _MAX_EVALUATORS:
                _SELECTIONS.clear()
            chosen = shipped().select(jurisdiction, on=day)
            found = _SELECTIONS[key] = evaluator(chosen, on=day)
        return found.decide(clean, on=day)
    chosen = (library or shipped()).select(jurisdiction, on=day, names=packs)
    return evaluator(chosen, on=day).decide(clean, on=day)
