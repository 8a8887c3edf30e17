"""Every list page and every API list costs the same number of queries with a few rows
as with many: the page shows 25 (or ``page_size``) rows whatever the table holds.

The demo is loaded at scale 1, every list is counted, then the demo grows to scale 3
(about 200 more people and agreements, more task forces, designations and contacts)
and every list must cost exactly as many queries again.
"""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from liaison.accounts.models import User
from liaison.accounts.services import token_create
from liaison.agreements.models import Agreement
from liaison.core.demo import load_all
from liaison.core.roles import Role
from liaison.directory.models import Person

LIST_PAGES = [
    "/directory/jurisdictions/",
    "/directory/agencies/",
    "/directory/task-forces/",
    "/directory/personnel/",
    "/directory/designations/",
    "/directory/contacts/",
    "/agreements/",
    "/agreements/authorities/",
    "/operations/",
    "/notifications/",
    # The entry browser looks up the records its rows link to with one query per type
    # of record on the page, so it is compared on pages of one type of record.
    "/ledger/entries/?object_type=directory.liaisondesignation",
    "/ledger/entries/?object_type=directory.person",
    "/ledger/checkpoints/",
    "/ledger/access/",
    "/system/jobs/",
    "/accounts/users/",
    "/accounts/me/tokens/",
    "/sharing/",
    "/sharing/disclosures/",
    "/sharing/overrides/",
]


# The privacy officer's: redactable free text, and the sharing review queue.
PRIVACY_OFFICER_PAGES = ["/ledger/texts/", "/sharing/review/"]


def _api_lists(client: Client, agreement_id: int) -> list[str]:
    """Every paged GET operation of the OpenAPI schema (path ids filled in)."""
    schema = client.get("/api/v1/openapi.json").json()
    urls = []
    for path, item in schema["paths"].items():
        get = item.get("get")
        if not get:
            continue
        ok = get["responses"]["200"].get("content", {}).get("application/json", {})
        if ok.get("schema", {}).get("$ref", "").rsplit("/", 1)[-1].startswith("Paged"):
            urls.append(re.sub(r"\{\w+\}", str(agreement_id), path))
    return urls


def _queries(client: Client, url: str) -> int:
    client.get(url)  # warm caches (content types, sessions) outside the count
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(queries)


@pytest.mark.django_db
def test_every_list_costs_the_same_queries_with_few_and_many_rows() -> None:
    load_all(state="MN", scale=1)
    admin = User.objects.filter(role=Role.ADMIN, is_active=True).first()
    assert admin is not None
    pages = Client()
    pages.force_login(admin)
    privacy = Client()
    privacy.force_login(User.objects.filter(role=Role.PRIVACY_OFFICER, is_active=True).first())
    api = Client(
        headers={"Authorization": f"Bearer {token_create(actor=None, user=admin, name='q')[1]}"}
    )
    agreement = Agreement.objects.order_by("pk").first()
    assert agreement is not None
    api_lists = _api_lists(api, agreement.pk)
    assert len(api_lists) >= 14
    clients = {
        **{url: pages for url in LIST_PAGES},
        **{url: privacy for url in PRIVACY_OFFICER_PAGES},
        **{url: api for url in api_lists},
    }
    few = {url: _queries(client, url) for url, client in clients.items()}
    people, agreements = Person.objects.count(), Agreement.objects.count()

    load_all(state="MN", scale=3)
    assert Person.objects.count() >= people + 200
    assert Agreement.objects.count() >= agreements + 200
    many = {url: _queries(client, url) for url, client in clients.items()}

    assert {u: n for u, n in many.items() if n != few[u]} == {}, few
