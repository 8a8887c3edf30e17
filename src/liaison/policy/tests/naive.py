"""The plain way to decide a request, kept as the reference the engine must equal.

Every item is evaluated with the policies as written, then once more under every other
instrument and every agreement type a permit of its action names — one Cedar call each,
no copies, no classes, no skipping, no remembered answers.
"""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

import cedarpy

from liaison.policy import vocabulary as v
from liaison.policy.engine.decision import RANK, _combine, _in_order, _item, _Outcome
from liaison.policy.engine.evaluate import Evaluator
from liaison.policy.engine.facts import (
    ITEM_TYPE,
    PRINCIPAL,
    _item_facts,
    _requester_facts,
    covering_agreements,
)
from liaison.policy.request import Request

_INDEX = re.compile(r"policy `policy(\d+)`")


def naive_decision(evaluator: Evaluator, request: Request, *, on: date) -> dict[str, Any]:
    policies = evaluator.policies
    document = {
        "staticPolicies": {f"policy{i}": p.est for i, p in enumerate(policies)},
        "templates": {},
        "templateLinks": [],
    }
    policy_set = cedarpy.PolicySet.from_json_str(json.dumps(document))
    entities = cedarpy.Entities.from_json_str(
        json.dumps(
            [{"uid": PRINCIPAL, "attrs": _requester_facts(request["requester"]), "parents": []}]
            + [
                {"uid": {"type": ITEM_TYPE, "id": str(i)}, "attrs": _item_facts(it), "parents": []}
                for i, it in enumerate(request["items"])
            ]
        )
    )

    def outcome(index: int, action: str, context: dict[str, Any]) -> _Outcome:
        query = {
            "principal": PRINCIPAL,
            "action": {"type": "Liaison::Action", "id": action},
            "resource": {"type": ITEM_TYPE, "id": str(index)},
            "context": context,
        }
        result = cedarpy.is_authorized(query, policy_set, entities)
        matched = sorted(int(r.removeprefix("policy")) for r in result.diagnostics.reasons)
        errors = sorted(
            (str(e) for e in result.diagnostics.errors),
            key=lambda e: int(m.group(1)) if (m := _INDEX.search(e)) else len(policies),
        )
        return _combine([policies[i] for i in matched], tuple(errors))

    items = []
    for index, item in enumerate(request["items"]):
        action = item.get("action", "disclose")
        active, _ = covering_agreements(request, item)
        jurisdiction = request["jurisdiction"]
        context = {
            "state": jurisdiction["state"],
            "county": jurisdiction["county"] or "",
            "city": jurisdiction["city"] or "",
            "purpose": request["purpose"],
            "instrument": request["instrument"],
            "urgent": request["urgent"],
            "covering_agreement_types": active,
            "agreement_covers": bool(active),
        }
        answer = outcome(index, action, context)
        paths: list[dict[str, Any]] = []
        if answer.decision != "permit":
            for instrument in v.INSTRUMENTS:
                if instrument != request["instrument"]:
                    alt = outcome(index, action, context | {"instrument": instrument}).decision
                    if RANK[alt] > RANK[answer.decision]:
                        paths.append({"instrument": instrument, "decision": alt})
            for kind in evaluator.agreement_types[action]:
                if kind not in active:
                    changed = {"covering_agreement_types": sorted({*active, kind})}
                    alt = outcome(index, action, context | changed | {"agreement_covers": True})
                    if RANK[alt.decision] > RANK[answer.decision]:
                        path = {"agreement": {"type": kind, "status": "active"}}
                        paths.append(path | {"decision": alt.decision})
        items.append(_item(evaluator._reasons, request, index, item, answer, _in_order(paths)))
    return {
        "format": v.DECISION_FORMAT,
        "decided_on": on.isoformat(),
        "packs": [
            {"name": p.name, "version": p.version, "effective": p.effective.isoformat()}
            for p in evaluator.packs
        ],
        "items": items,
    }
