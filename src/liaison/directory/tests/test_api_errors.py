"""Every API error answers the documented JSON body ``{"code", "message", "fields"}``,
and no value a client can send makes the server fail."""

from __future__ import annotations

import json
import logging

import pytest

from liaison.core.roles import Role
from liaison.directory import selectors
from liaison.directory.models import Contact, Person

BODY_KEYS = {"code", "message", "fields"}


def patch(client, url, body):
    return client.patch(url, json.dumps(body), content_type="application/json")


@pytest.mark.parametrize(
    "query",
    [
        "page=10000000000000000000000000000000",
        f"page={2**63}",
        "page=0",
        "page_size=101",
        f"page_size={2**64}",
        f"agency={2**70}",
    ],
)
def test_out_of_range_numbers_in_a_list_query_answer_422_json(world, api_as, query):
    response = api_as(Role.ADMIN).get(f"/api/v1/directory/personnel?{query}")
    assert response.status_code == 422
    assert set(response.json()) == BODY_KEYS
    assert response.json()["code"] == "invalid"


def test_every_list_pages_the_same_way(world, api_as):
    body = api_as(Role.ADMIN).get("/api/v1/directory/personnel?page_size=2&page=2").json()
    assert set(body) == {"items", "page", "page_size", "total", "next"}
    assert (body["page"], body["page_size"], len(body["items"])) == (2, 2, 2)
    assert body["total"] == Person.objects.count()
    assert body["next"] == 3
    last = api_as(Role.ADMIN).get("/api/v1/directory/personnel?page_size=100&page=1").json()
    assert last["next"] is None


def test_an_id_out_of_range_in_the_path_answers_422(world, api_as):
    response = api_as(Role.ADMIN).get(f"/api/v1/directory/personnel/{2**70}")
    assert response.status_code == 422
    assert set(response.json()) == BODY_KEYS


def test_null_for_an_optional_text_field_clears_it(world, api_as):
    person = world.people["DPS"]
    response = patch(
        api_as(Role.ADMIN), f"/api/v1/directory/personnel/{person.pk}", {"email": None}
    )
    assert response.status_code == 200, response.content
    assert response.json()["email"] == ""
    assert Person.objects.get(pk=person.pk).email == ""


def test_null_for_a_required_text_field_is_a_field_message(world, api_as):
    person = world.people["DPS"]
    response = patch(
        api_as(Role.ADMIN), f"/api/v1/directory/personnel/{person.pk}", {"family_name": None}
    )
    assert 400 <= response.status_code < 500
    assert "family_name" in response.json()["fields"]
    assert Person.objects.get(pk=person.pk).family_name


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("contacts/{contact}", "purpose"),
        ("agencies/{agency}", "ori"),
        ("designations/{designation}", "notes"),
        ("task-forces/{task_force}", "area"),
        ("jurisdictions/{jurisdiction}", "fips"),
    ],
)
def test_null_for_a_text_field_never_fails_the_server(world, api_as, url, field):
    ids = {
        "contact": world.contacts["DPS"].pk,
        "agency": world.agencies["BCA"].pk,
        "designation": world.designations["BCA"].pk,
        "task_force": world.task_forces["BCA-TF"].pk,
        "jurisdiction": world.mn.pk,
    }
    response = patch(api_as(Role.ADMIN), f"/api/v1/directory/{url.format(**ids)}", {field: None})
    assert response.status_code < 500, response.content
    assert response.status_code == 200 or field in response.json()["fields"]


@pytest.mark.parametrize("text", ["Ann\x00e", "Ann\ud800e"])
def test_text_the_database_cannot_store_is_a_field_message(world, api_as, text):
    contact = world.contacts["DPS"]
    body = json.dumps({"name": text})  # escapes the NUL and the lone surrogate as \\u....
    response = api_as(Role.ADMIN).patch(
        f"/api/v1/directory/contacts/{contact.pk}", body, content_type="application/json"
    )
    assert response.status_code == 422
    assert "name" in response.json()["fields"]
    assert Contact.objects.get(pk=contact.pk).name == contact.name
    search = api_as(Role.ADMIN).get("/api/v1/directory/personnel", {"q": "a\x00b"})
    assert search.status_code == 422
    assert "q" in search.json()["fields"]


def test_an_unknown_endpoint_answers_json_404(world, api_as):
    response = api_as(Role.ADMIN).get("/api/v1/directory/nothing-here")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert set(response.json()) == BODY_KEYS


def test_a_missing_token_answers_json_401(world, client):
    response = client.get("/api/v1/directory/personnel")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthorized"
    assert set(response.json()) == BODY_KEYS


def test_an_unexpected_error_answers_json_500_and_logs_no_data(world, api_as, monkeypatch, caplog):
    def broken(**kwargs):
        raise RuntimeError("Nils Thao, DOB 1980-02-03")

    monkeypatch.setattr(selectors, "person_list_for_user", broken)
    with caplog.at_level(logging.ERROR, logger="liaison.api"):
        response = api_as(Role.ADMIN).get("/api/v1/directory/personnel?q=Thao")
    assert response.status_code == 500
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["code"] == "server_error"
    assert set(response.json()) == BODY_KEYS
    logged = caplog.text
    assert "RuntimeError" in logged
    assert "Thao" not in logged
    assert "1980" not in logged


def test_a_method_an_endpoint_does_not_answer_is_json_405(world, api_as):
    response = api_as(Role.ADMIN).delete("/api/v1/directory/personnel")
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"
    assert set(response.json()) == BODY_KEYS
    assert "GET" in response["Allow"]
