"""The OpenAPI schema declares every answer: error bodies with each app's codes, and
one pagination for every list."""

from __future__ import annotations

import json
from typing import Any

import pytest

from liaison.api import api
from liaison.core.errors import error_code_enums


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return json.loads(json.dumps(api.get_openapi_schema()))  # as served: string statuses


def _operations(schema: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method.upper(), path, op)
        for path, item in schema["paths"].items()
        for method, op in item.items()
    ]


def test_every_operation_declares_its_error_answers_with_the_error_body(schema):
    for method, path, op in _operations(schema):
        declared = set(op["responses"])
        assert {"400", "404", "422", "429", "500"} <= declared, (method, path)
        if op.get("security"):
            assert {"401", "403"} <= declared, (method, path)
        if method != "GET":
            assert "409" in declared, (method, path)
        for status in declared - {"200", "201"}:
            ref = op["responses"][status]["content"]["application/json"]["schema"]["$ref"]
            body = schema["components"]["schemas"][ref.rsplit("/", 1)[-1]]
            assert set(body["required"]) == {"code", "message", "fields"}, (method, path)


def test_each_apps_error_body_lists_its_codes(schema):
    for app, codes in error_code_enums().items():
        if app == "core":
            continue
        text = schema["components"]["schemas"][f"{app.capitalize()}Error"]["description"]
        for code in [*codes, *error_code_enums()["core"]]:
            assert f"`{code}`" in text, (app, code)


def test_every_list_is_paged_the_same_way(schema):
    lists = 0
    for method, path, op in _operations(schema):
        ok = op["responses"].get("200", {}).get("content", {}).get("application/json", {})
        answer = ok.get("schema", {})
        assert answer.get("type") != "array", f"{method} {path} answers a bare list"
        name = answer.get("$ref", "").rsplit("/", 1)[-1]
        if name.startswith("Paged"):
            lists += 1
            paged = schema["components"]["schemas"][name]
            assert paged["required"] == ["items", "page", "page_size", "total", "next"]
            params = {p["name"]: p["schema"] for p in op["parameters"] if p["in"] == "query"}
            assert params["page_size"]["maximum"] == 100, path
            assert params["page"]["minimum"] == 1, path
    assert lists >= 14
