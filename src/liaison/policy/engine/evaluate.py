"""Evaluating a request against a compiled selection (:class:`Evaluator`).

Per request the engine works out each item's facts (:mod:`.facts`), asks Cedar once for
the items not seen before (one batch), and reads what matched into each item's answer
and its lawful paths (:meth:`Evaluator._read`); :mod:`.decision` assembles those into
the decision.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

import cedarpy

from liaison.policy.compile import REQUEST_FACTS
from liaison.policy.engine.compiled import _AS_IS, Alternative, Compiled
from liaison.policy.engine.decision import RANK, _decision, _Item, _Outcome
from liaison.policy.engine.facts import (
    _FACT_KEYS,
    ACTION_ACTIVITIES,
    BatchItem,
    _active_covering,
    _cedar_batch,
    _fact_values,
    _request_context,
    _requester_facts,
)
from liaison.policy.packs import Policy
from liaison.policy.request import Request

_ERROR_POLICY = re.compile(r"policy `([^`]+)`")


class Evaluator(Compiled):
    """A compiled selection (:class:`~liaison.policy.engine.compiled.Compiled`) that
    decides requests: one Cedar evaluation per item answers the item and all its
    alternatives.

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
    the context), so an item seen before costs no evaluation;
    :func:`~liaison.policy.engine.forget` drops them.
    """

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
        batch: list[BatchItem] = []
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
        queries, entities = _cedar_batch(principal, subset.principal, subset.resource, batch)
        results = cedarpy.is_authorized_batch(queries, subset.policy_set, entities)
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
        evaluated = self._evaluate(request)
        return _decision(request, evaluated, on=on, packs=self._packs, reasons=self._reasons)
