"""The sharing API: filing with field-level errors, partner scope, review, override,
disclosures, and the request and decision formats in the OpenAPI document."""

from __future__ import annotations

import base64
import json

import pytest

from liaison.accounts.services import token_create
from liaison.ledger.models import Entry
from liaison.sharing.models import Disclosure, SharingRequest
from liaison.sharing.tests.conftest import ADDRESS, DVS_STATUS

URL = "/api/v1/sharing"


@pytest.fixture
def api(world, client):
    def call(who, method, path, body=None):
        _, secret = token_create(actor=None, user=world.users[who], name="t")
        kwargs = {"headers": {"Authorization": f"Bearer {secret}"}}
        if body is not None:
            kwargs |= {"data": json.dumps(body), "content_type": "application/json"}
        return getattr(client, method)(URL + path, **kwargs)

    return call


def test_a_partner_files_and_reads_the_decision(world, api) -> None:
    answer = api(
        "partner",
        "post",
        "/requests",
        {
            "custodian_agency_id": world.agencies["BCA"].pk,
            "purpose": "criminal_investigation",
            "instrument": "judicial_warrant",
            "items": [ADDRESS],
        },
    )
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert body["facts"]["format"] == "liaison.sharing.request/1"
    assert body["decision"]["format"] == "liaison.sharing.decision/1"
    assert body["items"][0]["final_decision"] == "permit"
    assert body["requesting_agency_id"] == world.agencies["HSI"].pk
    listed = api("partner", "get", "/requests").json()
    assert [r["id"] for r in listed["items"]] == [body["id"]]
    assert api("other_partner", "get", "/requests").json()["total"] == 0
    assert api("other_partner", "get", f"/requests/{body['id']}").status_code == 404
    assert api("partner", "get", f"/requests/{body['id']}").status_code == 200


def test_a_malformed_request_answers_per_field_and_saves_nothing(world, api) -> None:
    answer = api(
        "partner",
        "post",
        "/requests",
        {
            "custodian_agency_id": world.agencies["BCA"].pk,
            "purpose": "curiosity",
            "instrument": "judicial_warrant",
            "items": [{"category": "address", "classification": "secret", "source": "other"}],
        },
    )
    assert answer.status_code == 400
    body = answer.json()
    assert body["code"] == "invalid_request"
    assert set(body["fields"]) == {"purpose", "items[0].classification"}
    wrong_type = api("partner", "post", "/requests", {"custodian_agency_id": "x", "items": 3})
    assert wrong_type.status_code == 422
    assert {"custodian_agency_id", "items"} <= set(wrong_type.json()["fields"])
    assert SharingRequest.objects.count() == 0
    assert not Entry.objects.filter(action="sharing_request.file").exists()


def test_review_override_and_disclosure_through_the_api(world, api) -> None:
    pending = world.file(
        [DVS_STATUS, {"action": "hold_past_release"}],
        purpose="civil_immigration_enforcement",
        instrument="court_order",
    )
    partner = api("partner", "post", f"/requests/{pending.pk}/review", {"action": "confirm"})
    assert partner.status_code == 403
    narrowed = api(
        "privacy",
        "post",
        f"/requests/{pending.pk}/review",
        {"action": "narrow", "reason": "Status only.", "keep": {"0": ["immigration_status"]}},
    )
    assert narrowed.status_code == 200, narrowed.content
    assert narrowed.json()["items"][0]["permitted_fields"] == ["immigration_status"]
    refused = api(
        "privacy",
        "post",
        f"/requests/{pending.pk}/items/1/override",
        {"justification": "x"},
    )
    assert refused.status_code == 403
    override = api(
        "counsel",
        "post",
        f"/requests/{pending.pk}/items/1/override",
        {"justification": "A judge signed the order after filing."},
    )
    assert override.status_code == 201, override.content
    package = base64.b64encode(b'{"status": "LPR"}').decode()
    disclosed = api(
        "privacy",
        "post",
        f"/requests/{pending.pk}/disclosures",
        {
            "package_base64": package,
            "channel": "api",
            "recipient_name": "Agent",
            "subjects": [{"kind": "person", "value": "Maria Lopez, 1990-01-31"}],
        },
    )
    assert disclosed.status_code == 201, disclosed.content
    body = disclosed.json()
    assert body["fields"] == {"citizenship_immigration_status": ["immigration_status"]}
    assert body["subjects"] == 1
    assert Disclosure.objects.get().package_sha256 == body["package_sha256"]
    mine = api("partner", "get", "/disclosures").json()
    assert [d["id"] for d in mine["items"]] == [body["id"]]
    assert api("other_partner", "get", f"/disclosures/{body['id']}").status_code == 404


def test_the_openapi_document_carries_the_request_and_decision_formats(client) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    text = json.dumps(schema)
    out = schema["components"]["schemas"]["RequestOut"]["properties"]
    assert {"jurisdiction", "requester", "items"} <= set(out["facts"]["properties"])
    assert {"packs", "items"} <= set(out["decision"]["properties"])
    assert "/api/v1/sharing/requests" in text
