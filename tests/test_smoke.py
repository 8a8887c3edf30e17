"""The app boots, serves the login page with the use notice, and answers health checks."""

import pytest


@pytest.mark.django_db
def test_the_login_page_shows_the_use_notification(client):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert b"Authorized use only" in response.content


@pytest.mark.django_db
def test_health_answers_ok(client):
    assert client.get("/healthz").json() == {"status": "ok"}


@pytest.mark.django_db
def test_the_api_schema_is_published(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["info"]["title"] == "Liaison API"
