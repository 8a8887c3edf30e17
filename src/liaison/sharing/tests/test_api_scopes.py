"""The sharing API's writes take a token scoped ``write`` or ``write:sharing``; a
read-only token or one scoped to another area reads requests but files none."""

from __future__ import annotations

import pytest
from django.test import Client

from liaison.accounts.models import TokenScope
from liaison.accounts.services import token_create
from liaison.sharing.models import SharingRequest
from liaison.sharing.tests.conftest import ADDRESS

pytestmark = pytest.mark.django_db


def _api(world, scope: str) -> Client:
    _, secret = token_create(
        actor=None, user=world.users["partner"], name=f"t-{scope}", scope=scope
    )
    return Client(headers={"Authorization": f"Bearer {secret}"})


def _file(world, api: Client):
    return api.post(
        "/api/v1/sharing/requests",
        {
            "custodian_agency_id": world.agencies["BCA"].pk,
            "purpose": "criminal_investigation",
            "instrument": "judicial_warrant",
            "items": [ADDRESS],
        },
        content_type="application/json",
    )


@pytest.mark.parametrize("scope", [TokenScope.WRITE_SHARING, TokenScope.WRITE])
def test_a_sharing_or_full_write_token_files_a_request(world, scope):
    answer = _file(world, _api(world, scope))
    assert answer.status_code == 201, answer.content
    assert SharingRequest.objects.count() == 1


@pytest.mark.parametrize(
    "scope", [TokenScope.READ, TokenScope.WRITE_OPERATIONS, TokenScope.WRITE_AGREEMENTS]
)
def test_a_read_only_or_other_area_token_files_nothing(world, scope):
    api = _api(world, scope)
    answer = _file(world, api)
    assert answer.status_code == 403
    assert answer.json()["code"] == "permission_denied"
    assert SharingRequest.objects.count() == 0
    assert api.get("/api/v1/sharing/requests").status_code == 200
