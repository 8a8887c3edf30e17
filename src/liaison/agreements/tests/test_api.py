"""The agreements API: the same rules as the pages, with JSON refusals."""

from __future__ import annotations

import json

import pytest
from django.utils import timezone

from liaison.agreements.models import Agreement


def post(client, url, body=None):
    return client.post(url, json.dumps(body or {}), content_type="application/json")


def new_agreement(world):
    return {
        "title": "HSI–BCA cyber task force MOU",
        "kind": "task_force_mou",
        "effective_date": "2025-01-01",
        "expiry_date": "2027-12-31",
        "parties": [
            {"agency_id": world.agencies["HSI"].pk, "role": "federal_party"},
            {"agency_id": world.agencies["BCA"].pk, "role": "state_party"},
        ],
        "activities": ["joint_investigation"],
        "data_categories": ["criminal_history"],
        "purposes": ["criminal_investigation"],
    }


def test_an_agreement_goes_through_its_lifecycle_over_the_api(world, api_as, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from liaison.agreements import services

    settings.MEDIA_ROOT = tmp_path
    coordinator, counsel = api_as("coordinator"), api_as("counsel")
    created = post(coordinator, "/api/v1/agreements/", new_agreement(world))
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["status"] == "draft"
    assert post(coordinator, f"/api/v1/agreements/{pk}/submit").json()["status"] == "legal_review"
    approved = post(counsel, f"/api/v1/agreements/{pk}/review", {"approve": True})
    assert approved.json()["legal_approved_at"]
    # BCA's coordinator records HSI's signature on its behalf, with the signed copy.
    signed_copy = services.agreement_document_upload(
        actor=None,
        agreement=Agreement.objects.get(pk=pk),
        upload=SimpleUploadedFile("signed.pdf", b"%PDF-1.7\n", content_type="application/pdf"),
        title="Signed MOU",
    )
    for abbr, copy_id in (("HSI", signed_copy.pk), ("BCA", None)):
        signed = post(
            coordinator,
            f"/api/v1/agreements/{pk}/signatures",
            {
                "agency_id": world.agencies[abbr].pk,
                "name": "Official",
                "title": "Director",
                "signed_on": "2024-12-20",
                "signed_copy_id": copy_id,
            },
        )
        assert signed.status_code == 200, signed.content
    assert signed.json()["status"] == "signed"
    active = post(coordinator, f"/api/v1/agreements/{pk}/activate")
    assert active.json()["status"] == "active"
    amended = post(
        coordinator,
        f"/api/v1/agreements/{pk}/amendments",
        {
            "title": "Adds training",
            "effective_date": "2025-06-01",
            "add_activities": ["training"],
            "new_expiry_date": "2028-12-31",
        },
    )
    assert amended.status_code == 201
    assert amended.json()["expires_on"] == "2028-12-31"
    assert {g["code"] for g in amended.json()["grants"]} >= {"training", "joint_investigation"}


def test_coverage_over_the_api_answers_with_clauses_or_a_reason(world, api_as):
    agreement = world.active()
    client = api_as("coordinator")
    covered = client.get(
        "/api/v1/agreements/coverage",
        {"agency": world.agencies["BCA"].pk, "activity": "training", "on": "2025-06-01"},
    ).json()
    assert covered["covered"] is True
    assert covered["agreement_ids"] == [agreement.pk]
    assert covered["clauses"][0]["clause"] == "Agreement"
    not_covered = client.get(
        "/api/v1/agreements/coverage",
        {"agency": world.agencies["BCA"].pk, "activity": "jail_screening", "on": "2025-06-01"},
    ).json()
    assert (not_covered["covered"], not_covered["reason_code"]) == (False, "not_authorized")


def test_coverage_without_an_item_or_with_an_unknown_code_is_a_400_with_fields(world, api_as):
    client = api_as("coordinator")
    nothing = client.get("/api/v1/agreements/coverage", {"agency": world.agencies["BCA"].pk})
    assert nothing.status_code == 400
    assert nothing.json()["code"] == "invalid"
    unknown = client.get(
        "/api/v1/agreements/coverage",
        {"agency": world.agencies["BCA"].pk, "activity": "teleportation"},
    )
    assert unknown.status_code == 400
    assert unknown.json()["fields"] == {"activity": ["Unknown code: teleportation."]}


def test_coverage_does_not_name_agreements_the_caller_may_not_see(world, api_as):
    world.active()
    answer = (
        api_as("outside_partner")
        .get(
            "/api/v1/agreements/coverage",
            {"agency": world.agencies["BCA"].pk, "activity": "training", "on": "2025-06-01"},
        )
        .json()
    )
    assert answer["covered"] is True
    assert answer["agreement_ids"] == []
    assert answer["clauses"] == []


def test_refusals_are_json_with_code_message_and_fields(world, api_as):
    agreement = world.active()
    hidden = api_as("outside_partner").get(f"/api/v1/agreements/{agreement.pk}")
    assert (hidden.status_code, hidden.json()["code"]) == (404, "not_found")
    forbidden = post(
        api_as("supervisor"), f"/api/v1/agreements/{agreement.pk}/suspend", {"reason": "x"}
    )
    assert (forbidden.status_code, forbidden.json()["code"]) == (403, "permission_denied")
    conflict = post(api_as("coordinator"), f"/api/v1/agreements/{agreement.pk}/submit")
    assert conflict.status_code == 409
    assert conflict.json() == {
        "code": "invalid_transition",
        "message": "Cannot submit for legal review: the agreement is active; this needs it to be draft.",
        "fields": {},
    }
    invalid = post(
        api_as("coordinator"),
        f"/api/v1/agreements/{agreement.pk}/terminate",
        {"reason": " ", "notice_date": None},
    )
    assert invalid.status_code == 400
    assert set(invalid.json()["fields"]) == {"reason", "notice_date"}
    schema = post(api_as("coordinator"), "/api/v1/agreements/", {"title": "no kind"})
    assert schema.status_code == 422
    assert "kind" in schema.json()["fields"]


def test_the_list_is_scoped_and_filtered_like_the_page(world, api_as):
    today = timezone.localdate()
    world.active(expiry_date=today.replace(year=today.year + 1), title="Long")
    soon = world.active(expiry_date=today + timezone.timedelta(days=10), title="Soon")
    data = api_as("partner").get("/api/v1/agreements/", {"expiring_within": 30}).json()
    assert data["total"] == 1
    assert data["items"][0]["id"] == soon.pk
    assert api_as("outside_partner").get("/api/v1/agreements/").json()["total"] == 0


def test_only_a_draft_can_be_replaced(world, api_as):
    draft = world.draft()
    client = api_as("coordinator")
    body = new_agreement(world) | {"title": "Renamed"}
    replaced = client.put(
        f"/api/v1/agreements/{draft.pk}", json.dumps(body), content_type="application/json"
    )
    assert replaced.status_code == 200
    assert replaced.json()["title"] == "Renamed"
    active = world.active()
    refused = client.put(
        f"/api/v1/agreements/{active.pk}", json.dumps(body), content_type="application/json"
    )
    assert refused.status_code == 409
    assert Agreement.objects.get(pk=active.pk).title != "Renamed"


def test_document_metadata_and_authorities_are_listed(world, api_as):
    from liaison.agreements.services import legal_authorities_load

    legal_authorities_load()
    agreement = world.active()
    documents = api_as("coordinator").get(f"/api/v1/agreements/{agreement.pk}/documents").json()
    assert documents == {"items": [], "page": 1, "page_size": 25, "total": 0, "next": None}
    flagged = (
        api_as("partner")
        .get(
            "/api/v1/agreements/authorities",
            {"jurisdiction": "MN", "verify_with_counsel": True, "page_size": 100},
        )
        .json()["items"]
    )
    assert any(a["citation"].startswith("Minneapolis Code") for a in flagged)
    assert all(a["verify_with_counsel"] for a in flagged)


def test_huge_numbers_in_a_body_or_query_are_field_messages(world, api_as):
    client = api_as("coordinator")
    huge_ids = post(
        client, "/api/v1/agreements/", new_agreement(world) | {"authority_ids": [2**70]}
    )
    assert huge_ids.status_code == 422
    assert "authority_ids" in huge_ids.json()["fields"]
    notice = post(
        client, "/api/v1/agreements/", new_agreement(world) | {"termination_notice_days": 3000000}
    )
    assert notice.status_code == 422
    assert "termination_notice_days" in notice.json()["fields"]
    listed = client.get("/api/v1/agreements/", {"page": 10**31})
    assert listed.status_code == 422
    assert set(listed.json()) == {"code", "message", "fields"}


def test_a_notice_period_past_the_calendar_is_refused_by_the_model(world):
    from django.core.exceptions import ValidationError

    agreement = world.draft()
    agreement.termination_notice_days = 3000000
    with pytest.raises(ValidationError) as refused:
        agreement.full_clean()
    assert "termination_notice_days" in refused.value.message_dict


def test_the_agreement_list_is_paged_like_every_list(world, api_as):
    for _ in range(3):
        world.active()
    body = api_as("partner").get("/api/v1/agreements/", {"page_size": 2}).json()
    assert set(body) == {"items", "page", "page_size", "total", "next"}
    assert (len(body["items"]), body["total"], body["next"]) == (2, 3, 2)
    assert body["items"][0]["parties"][0]["agency_name"]
