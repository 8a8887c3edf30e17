"""JSON Schemas of ``liaison.sharing.request/1`` and ``liaison.sharing.decision/1``.

Built from :mod:`liaison.policy.vocabulary`, published as ``docs/sharing/request.schema.json``
and ``docs/sharing/decision.schema.json`` (a test keeps the files equal to these) and
served in the OpenAPI document as the body and answer of ``POST /api/v1/policy/decide``.
Self-contained (no ``$ref``), so the same object embeds in OpenAPI 3.1.

``python -m liaison.policy.schemas`` rewrites the two files.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from liaison.policy import vocabulary as v

DIALECT = "https://json-schema.org/draft/2020-12/schema"
DOCS = Path(__file__).resolve().parents[3] / "docs" / "sharing"


def _enum(values: Any, description: str) -> dict[str, Any]:
    return {"type": "string", "enum": list(values), "description": description}


def _object(properties: dict[str, Any], required: list[str], description: str) -> dict[str, Any]:
    return {
        "type": "object",
        "description": description,
        "properties": properties,
        "required": required,
        "additionalProperties": False,
    }


def _text(description: str, *, nullable: bool = False) -> dict[str, Any]:
    text: dict[str, Any] = {"type": "string", "minLength": 1, "maxLength": 200}
    if nullable:
        return {"anyOf": [text, {"type": "null"}], "description": description}
    return text | {"description": description}


def _list(items: dict[str, Any], description: str, *, max_items: int = 50) -> dict[str, Any]:
    return {"type": "array", "items": items, "maxItems": max_items, "description": description}


def request_schema() -> dict[str, Any]:
    categories = _enum(v.CATEGORIES, "A data category (docs/sharing/README.md describes each).")
    data_item = _object(
        {
            "category": categories,
            "classification": _enum(v.CLASSIFICATIONS, "The data's class where it is kept."),
            "source": _enum(v.SOURCES, "The system the data comes from."),
            **{flag: {"type": "boolean", "default": False} for flag in v.FLAGS},
        },
        ["category", "classification", "source"],
        "A request for data of one category.",
    )
    action_item = _object(
        {"action": _enum(v.ACTIONS, "What the custodian is asked to do.")},
        ["action"],
        "A request for an action.",
    )
    agreement = _object(
        {
            "type": _enum(v.AGREEMENT_TYPES, "The type of agreement."),
            "status": _enum(v.AGREEMENT_STATUSES, "Its status now; only active counts."),
            "activities": _list(_enum(v.ACTIVITIES, "An activity."), "Activities it covers."),
            "categories": _list(categories, "Data categories it covers."),
            "purposes": _list(_enum(v.PURPOSES, "A purpose."), "Purposes it covers."),
        },
        ["type", "status"],
        "An agreement that covers the custodian and the requester.",
    )
    return {
        "$schema": DIALECT,
        "$id": "https://liaison.example/schemas/liaison.sharing.request-1.json",
        "title": v.REQUEST_FORMAT,
        **_object(
            {
                "format": {"const": v.REQUEST_FORMAT},
                "jurisdiction": _object(
                    {
                        "state": _enum(v.STATES, "The custodian's state."),
                        "county": _text("The custodian's county.", nullable=True),
                        "city": _text(
                            "The custodian's city; null for a county or state agency.",
                            nullable=True,
                        ),
                    },
                    ["state"],
                    "Where the custodian (the agency holding the data or the person) sits.",
                ),
                "requester": _object(
                    {
                        "agency": _text("The requesting agency."),
                        "level": _enum(v.LEVELS, "The requester's level of government."),
                        "component": _enum(v.COMPONENTS, "The requester's component."),
                        "attributes": {
                            "type": "object",
                            "description": "User attributes in the GFIPM/NIEF vocabulary, e.g. "
                            "28CFRCertificationIndicator.",
                            "properties": {
                                name: {"type": "boolean"} for name in v.REQUESTER_ATTRIBUTES
                            },
                            "additionalProperties": {
                                "type": ["string", "number", "boolean", "null"]
                            },
                        },
                    },
                    ["agency", "level", "component"],
                    "Who asks.",
                ),
                "purpose": _enum(v.PURPOSES, "What the data or action is for."),
                "instrument": _enum(v.INSTRUMENTS, "The legal instrument the request rests on."),
                "urgent": {"type": "boolean", "default": False},
                "agreements": _list(agreement, "Agreements covering custodian and requester."),
                "items": {
                    **_list({"oneOf": [data_item, action_item]}, "What is asked for, in order."),
                    "minItems": 1,
                },
            },
            ["format", "jurisdiction", "requester", "purpose", "instrument", "items"],
            "A request a partner makes for state data or a state action.",
        ),
    }


def decision_schema() -> dict[str, Any]:
    decision = _enum(v.DECISIONS, "The answer.")
    reason = _object(
        {
            "policy": {"type": "string", "description": "The policy's @id."},
            "effect": _enum(("permit", "forbid"), "The policy's effect."),
            "citation": {"type": "string"},
            "explanation": {"type": "string"},
        },
        ["policy", "effect", "citation", "explanation"],
        "A policy that decided the item.",
    )
    path = {
        "type": "object",
        "description": "A lawful way the answer would change: another instrument, or an "
        "active agreement of a type.",
        "properties": {
            "instrument": _enum(v.INSTRUMENTS, "The instrument."),
            "agreement": _object(
                {
                    "type": _enum(v.AGREEMENT_TYPES, "The type."),
                    "status": {"const": "active"},
                },
                ["type", "status"],
                "An active agreement covering the item and the purpose.",
            ),
            "decision": decision,
        },
        "required": ["decision"],
        "oneOf": [{"required": ["instrument"]}, {"required": ["agreement"]}],
        "additionalProperties": False,
    }
    item = _object(
        {
            "index": {"type": "integer", "minimum": 0},
            "decision": decision,
            "fields": _list(
                {"type": "string"}, "What may leave after minimization; empty unless permit."
            ),
            "obligations": _list(_enum(v.OBLIGATIONS, "An obligation."), "What must be done."),
            "reasons": {**_list(reason, "Every policy that decided the item."), "minItems": 1},
            "paths": _list(path, "For deny and needs_review; empty for permit.", max_items=20),
        },
        ["index", "decision", "fields", "obligations", "reasons", "paths"],
        "The decision on one request item.",
    )
    pack = _object(
        {
            "name": {"type": "string"},
            "version": {"type": "string"},
            "effective": {"type": "string", "format": "date"},
        },
        ["name", "version"],
        "A pack version used.",
    )
    return {
        "$schema": DIALECT,
        "$id": "https://liaison.example/schemas/liaison.sharing.decision-1.json",
        "title": v.DECISION_FORMAT,
        **_object(
            {
                "format": {"const": v.DECISION_FORMAT},
                "decided_on": {"type": "string", "format": "date"},
                "packs": _list(pack, "The pack versions in effect that decided."),
                "items": _list(item, "One entry per request item, in order."),
            },
            ["format", "packs", "items"],
            "The answer to a liaison.sharing.request/1 request.",
        ),
    }


def render(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def write(directory: Path = DOCS) -> None:
    (directory / "request.schema.json").write_text(render(request_schema()), encoding="utf-8")
    (directory / "decision.schema.json").write_text(render(decision_schema()), encoding="utf-8")


if __name__ == "__main__":
    write()
