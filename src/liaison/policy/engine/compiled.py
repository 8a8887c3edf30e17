"""A selection of pack versions compiled once into Cedar policy sets (:class:`Compiled`).

Everything here depends only on the selection and is worked out once, when the
selection is first used: the copies of each policy that the lawful paths need, the
leading tests that rule a policy out for an item (:mod:`liaison.policy.est`), the bits
and slots that read one evaluation's matches, and the policy set of each subset of the
policies a batch of items can meet (:meth:`Compiled._compiled_set`, compiled once and
kept). Evaluating requests against it is :class:`~liaison.policy.engine.evaluate.Evaluator`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import cedarpy

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
from liaison.policy.engine.decision import _Item, _reason
from liaison.policy.engine.facts import _hashable, _with_agreement
from liaison.policy.est import NEVER, _conjuncts, attributes_read, leading_tests, residual, settled
from liaison.policy.packs import Pack, Policy

# An alternative: ("instrument", the instrument standing for its class) or
# ("agreement", an agreement type assumed active and covering).
Alternative = tuple[str, str]
Replace = list[tuple[object, object]]
_AS_IS: tuple[Alternative | None, ...] = (None,)  # what a policy compiled as written answers
# (the alternative answering a path, its class's instruments or the agreement type it
# adds, the path)
_PathChoice = tuple[Alternative, tuple[str, ...], str | None, dict[str, Any]]
# (the alternative, its slot's shift, the bits of the policies it leaves as they are, its
# class's instruments or the agreement type it adds)
_Choice = tuple[Alternative, int, int, tuple[str, ...], str | None]


@dataclass(frozen=True)
class _Subset:
    """Compiled policies for items whose leading tests leave these, without the leading
    conjuncts all the items' facts make true; the facts they read (Cedar parses every
    attribute an entity carries, so an entity carries only these)."""

    policy_set: cedarpy.PolicySet
    principal: tuple[str, ...]
    resource: Mapping[str, tuple[str, ...]]  # by action: those its policies read


class Compiled:
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
        listed (:func:`~liaison.policy.engine.decision._in_order`): (the alternative
        answering it, the instruments of its class or the agreement type it adds, the
        path)."""
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
