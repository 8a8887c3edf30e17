"""Policy endpoints under /api/v1/policy/.

``POST /decide`` — the ``liaison.sharing.decision/1`` decision on a
``liaison.sharing.request/1`` request, evaluated and not stored, for administrators,
privacy officers and counsel; as it stores nothing, a read-only API token may call it.
The body and the answer are the published JSON Schemas (``docs/sharing/``). A malformed request answers 400 ``invalid_request`` with a message
per field, keyed by JSON path (``items[1].category``).
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from django.http import HttpRequest
from ninja import Query

from liaison.core.api import Router, writes_nothing
from liaison.policy.request import InvalidRequest
from liaison.policy.schemas import decision_schema, request_schema
from liaison.policy.selectors import decision_evaluate

router = Router(app="policy")


def _openapi(schema: dict[str, Any]) -> dict[str, Any]:
    return {k: value for k, value in schema.items() if k not in ("$schema", "$id")}


@router.post(
    "/decide",
    response=dict[str, Any],
    summary="Decide a sharing request with the rule packs (nothing is stored)",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": _openapi(request_schema())}},
        },
        "responses": {
            200: {
                "description": "The decision (liaison.sharing.decision/1).",
                "content": {"application/json": {"schema": _openapi(decision_schema())}},
            }
        },
    },
)
@writes_nothing
def policy_decide(request: HttpRequest, on: Query[date | None] = None) -> dict[str, Any]:
    try:
        body = json.loads(request.body or b"null")
    except ValueError:
        raise InvalidRequest(
            "The body must be a JSON request.", fields={"__all__": ["Not valid JSON."]}
        ) from None
    return decision_evaluate(actor=request.auth, request=body, on=on)  # type: ignore[attr-defined]
