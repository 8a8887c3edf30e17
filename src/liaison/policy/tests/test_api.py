"""``POST /api/v1/policy/decide``: decisions for admin, privacy officer and counsel only."""

from __future__ import annotations

import json
from typing import Any

import jsonschema_rs
import pytest
from django.test import Client

from liaison.accounts import services
from liaison.accounts.tests.factories import make_user
from liaison.core.roles import Role
from liaison.policy.schemas import decision_schema, request_schema
from liaison.policy.tests.factories import data_item, request

pytestmark = pytest.mark.django_db
URL = "/api/v1/policy/decide?on=2026-12-01"


def _client(role: Role) -> Client:
    user = make_user(role)
    _, secret = services.token_create(actor=user, user=user, name="t")
    return Client(headers={"Authorization": f"Bearer {secret}"})


def _post(client: Client, body: Any) -> Any:
    return client.post(URL, json.dumps(body), content_type="application/json")


@pytest.mark.parametrize("role", [Role.ADMIN, Role.PRIVACY_OFFICER, Role.LEGAL_COUNSEL])
def test_the_decision_follows_the_published_schema(role: Role) -> None:
    response = _post(_client(role), request(data_item(), {"action": "hold_past_release"}))
    assert response.status_code == 200
    body = response.json()
    assert jsonschema_rs.validator_for(decision_schema()).is_valid(body)
    assert [i["decision"] for i in body["items"]] == ["deny", "deny"]
    assert body["decided_on"] == "2026-12-01"


@pytest.mark.parametrize("role", [Role.PARTNER, Role.OFFICER, Role.COORDINATOR])
def test_other_roles_are_refused(role: Role) -> None:
    response = _post(_client(role), request())
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


def test_no_token_is_401() -> None:
    assert _post(Client(), request()).status_code == 401


def test_a_malformed_request_is_400_with_a_message_per_json_path() -> None:
    response = _post(_client(Role.ADMIN), request(data_item(), data_item(category="shoe_size")))
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_request"
    assert list(body["fields"]) == ["items[1].category"]


def test_a_body_that_is_not_json_is_400() -> None:
    response = _client(Role.ADMIN).post(URL, "{nope", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_request"


def test_the_openapi_document_serves_both_schemas() -> None:
    document = Client().get("/api/v1/openapi.json").json()
    operation = document["paths"]["/api/v1/policy/decide"]["post"]
    body = operation["requestBody"]["content"]["application/json"]["schema"]
    answer = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert body["title"] == "liaison.sharing.request/1"
    assert answer["title"] == "liaison.sharing.decision/1"
    assert operation["responses"]["400"]


def test_the_published_request_schema_accepts_every_shipped_case() -> None:
    from liaison.policy.packs import shipped

    validator = jsonschema_rs.validator_for(request_schema())
    for versions in shipped().versions.values():
        for pack in versions:
            for path in pack.cases:
                assert validator.is_valid(json.loads(path.read_text())["request"]), path


def test_a_read_only_token_may_ask_for_a_decision_which_writes_nothing() -> None:
    user = make_user(Role.LEGAL_COUNSEL)
    _, secret = services.token_create(actor=user, user=user, name="read", scope="read")
    client = Client(headers={"Authorization": f"Bearer {secret}"})
    response = _post(client, request(data_item()))
    assert response.status_code == 200
    assert response.json()["items"][0]["decision"] == "deny"


def test_a_read_only_token_still_may_not_write_elsewhere() -> None:
    user = make_user(Role.ADMIN)
    _, secret = services.token_create(actor=user, user=user, name="read", scope="read")
    client = Client(headers={"Authorization": f"Bearer {secret}"})
    response = client.post(
        "/api/v1/directory/agencies", json.dumps({"name": "X"}), content_type="application/json"
    )
    assert response.status_code == 403
    assert "token may only" in response.content.decode()
