"""The facts an item is evaluated on, and the Cedar entities and queries that carry them.

Facts Cedar cannot compute are computed here before evaluation: which of the request's
*active* agreements cover the item (its category, or the activity of its action, and the
request's purpose) — see :func:`covering_agreements`. The requester's facts go on the
principal entity, the item's on the resource entity, and the request's own facts
(:data:`~liaison.policy.compile.REQUEST_FACTS`) on whichever the compiled policies read
them from (see :class:`~liaison.policy.engine.evaluate.Evaluator`); :func:`_cedar_batch`
builds the one batch Cedar evaluates for a request.
"""

from __future__ import annotations

import json
import operator
from collections.abc import Mapping, Sequence
from typing import Any

from liaison.policy import vocabulary as v
from liaison.policy.request import Request

PRINCIPAL = {"type": "Liaison::Requester", "id": "requester"}
ITEM_TYPE = "Liaison::Item"

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


_ACTION_UIDS = {
    action: {"type": "Liaison::Action", "id": action} for action in ("disclose", *v.ACTIONS)
}


def _with_agreement(kind: str) -> str:
    """The context attribute holding the covering agreement types plus ``kind``."""
    return f"covering_agreement_types+{kind}"


_encode = json.JSONEncoder(check_circular=False, separators=(",", ":")).encode
# One item of a batch: (its index, its action, the types of the active agreements covering
# it, its resource's facts, its context when the facts do not travel on the entities).
BatchItem = tuple[int, str, list[str], dict[str, Any], dict[str, Any] | None]


def _cedar_batch(
    principal: Mapping[str, Any],
    principal_reads: tuple[str, ...],
    resource_reads: Mapping[str, tuple[str, ...]],
    batch: Sequence[BatchItem],
) -> tuple[list[dict[str, Any]], str]:
    """The queries of ``batch`` and its entities (as JSON): the requester carrying the
    facts in ``principal`` that ``principal_reads`` names, each item those of its facts
    that the policies of its action read (``resource_reads``)."""
    entities: list[dict[str, Any]] = [
        {
            "uid": PRINCIPAL,
            "attrs": {k: principal[k] for k in principal_reads if k in principal},
            "parents": [],
        }
    ]
    queries: list[dict[str, Any]] = []
    for n, action, _, resource, context in batch:
        uid = {"type": ITEM_TYPE, "id": str(n)}
        entities.append(
            {
                "uid": uid,
                "attrs": {k: resource[k] for k in resource_reads.get(action, ()) if k in resource},
                "parents": [],
            }
        )
        query = {"principal": PRINCIPAL, "action": _ACTION_UIDS[action], "resource": uid}
        if context is not None:
            query["context"] = context
        queries.append(query)
    return queries, _encode(entities)
