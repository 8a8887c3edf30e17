"""Every page's frame: security headers, error pages, the dashboard, logs without personal data."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.test import Client, override_settings
from django.urls import path, reverse

from liaison.core.dashboard import modules_for
from liaison.core.logging import RedactQueryStrings
from liaison.core.roles import Role
from liaison.urls import urlpatterns as liaison_urlpatterns


def boom(request: Any) -> Any:
    raise RuntimeError("the database is on fire")


urlpatterns = [*liaison_urlpatterns, path("boom/", boom)]
handler500 = "liaison.core.views.server_error"


@pytest.mark.django_db
def test_every_response_forbids_inline_scripts_and_framing(client: Client) -> None:
    response = client.get("/accounts/login/")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self';" in policy
    assert "frame-ancestors 'none'" in policy
    assert "'unsafe-inline'" not in policy
    assert "camera=()" in response.headers["Permissions-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_static_files_carry_the_security_headers_too(client: Client) -> None:
    response = client.get("/static/liaison/liaison.css")
    assert response.status_code == 200
    assert "Content-Security-Policy" in response.headers


@pytest.mark.django_db
def test_the_login_page_has_no_inline_script(client: Client) -> None:
    html = client.get("/accounts/login/").content.decode()
    assert "<script>" not in html
    assert "style=" not in html


@pytest.mark.django_db
def test_a_missing_page_answers_404_in_plain_language(client: Client) -> None:
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "We can’t find that page" in response.content.decode()


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__)
def test_a_server_error_answers_500_in_plain_language_without_details() -> None:
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong on our side" in html
    assert "on fire" not in html


@pytest.mark.django_db
def test_an_expired_form_says_what_to_do(client: Client) -> None:
    strict = Client(enforce_csrf_checks=True)
    response = strict.post("/accounts/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert "This form has expired" in response.content.decode()


def test_the_dashboard_offers_the_directory_to_every_role() -> None:
    for role in Role:
        assert "Directory" in [link.title for link in modules_for(role)]


def test_the_dashboard_offers_the_ledger_to_oversight_but_not_to_partners() -> None:
    oversight = {link.title: link.url for link in modules_for(Role.OVERSIGHT)}
    assert oversight["Ledger"] == reverse("ledger:entry_list")
    partner = [link.title for link in modules_for(Role.PARTNER)]
    assert "Ledger" not in partner
    assert "Oversight" not in partner


def test_an_unknown_role_is_offered_nothing() -> None:
    assert modules_for("janitor") == []


def test_logs_lose_query_strings_and_requests() -> None:
    record = logging.LogRecord(
        "django.server",
        logging.INFO,
        __file__,
        1,
        '"GET %s HTTP/1.1" 200',
        ("/search/?q=Maria+Lopez",),
        None,
    )
    record.request = object()
    assert RedactQueryStrings().filter(record) is True
    assert record.getMessage() == '"GET /search/?… HTTP/1.1" 200'
    assert record.request is None


@pytest.mark.django_db
def test_the_page_declares_the_language_it_is_shown_in(client: Client) -> None:
    html = client.get("/accounts/login/", headers={"accept-language": "es"}).content.decode()
    assert '<html lang="es">' in html
    html = client.get("/accounts/login/", headers={"accept-language": "en"}).content.decode()
    assert '<html lang="en">' in html
