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

Facts Cedar cannot compute are computed before evaluation: which of the request's
*active* agreements cover the item (its category, or the activity of its action, and the
request's purpose) — see :func:`~liaison.policy.engine.facts.covering_agreements`.

Reasons are listed in pack order (federal, state, local; by name), then file and policy
order. The engine's parts, each in its own module:

* :mod:`.compiled` — a selection of pack versions compiled once into Cedar policy sets
  (:class:`~liaison.policy.engine.compiled.Compiled`: the copies of each policy the
  paths need, the leading tests, the subsets' policy sets);
* :mod:`.facts` — the facts of the requester, the request and each item, and the
  entities and queries of the one Cedar batch per request;
* :mod:`.evaluate` — :class:`~liaison.policy.engine.evaluate.Evaluator`, which evaluates
  a request's items and reads each one's answer and lawful paths from what matched (how
  one Cedar evaluation per item answers the item and all its alternatives is described
  on the two classes);
* :mod:`.decision` — combining the matching policies into an answer, and assembling
  the decision: reasons, fields, obligations, paths, the format;
* this module — the entry points: :func:`decide`, :func:`evaluator` (the compiled
  evaluator of a selection, built once) and :func:`forget`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from django.utils import timezone

from liaison.policy.engine.evaluate import Evaluator
from liaison.policy.packs import Library, Pack, shipped
from liaison.policy.request import validate_request

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
