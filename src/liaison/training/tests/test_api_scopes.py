"""Training's API writes take a token scoped ``write`` or ``write:training``; a read-only
token or one scoped to another area reads training but changes nothing."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.utils import timezone

from liaison.accounts.models import TokenScope
from liaison.accounts.services import token_create
from liaison.core.roles import Role
from liaison.training.models import Completion, Override, Requirement
from liaison.training.tests.conftest import complete, require

pytestmark = pytest.mark.django_db


def _api(world, scope: str) -> Client:
    _, secret = token_create(
        actor=None, user=world.users[Role.SUPERVISOR], name=f"t-{scope}", scope=scope
    )
    return Client(headers={"Authorization": f"Bearer {secret}"})


def _writes(world, catalog, api: Client) -> list[int]:
    """The status of each training write: record, verify, override."""
    person = world.people["BCA"]
    policy = require(catalog.privacy, role="Task Force Officer", basis=Requirement.Basis.POLICY)
    pending = complete(person, catalog.cfr, date(2025, 1, 2), verify=False)
    return [
        api.post(
            "/api/v1/training/completions",
            {
                "person_id": person.pk,
                "course_id": catalog.ice.pk,
                "completed_on": timezone.localdate().isoformat(),
                "score": 90,
            },
            content_type="application/json",
        ).status_code,
        api.post(f"/api/v1/training/completions/{pending.pk}/verify").status_code,
        api.post(
            "/api/v1/training/overrides",
            {"person_id": person.pk, "requirement_id": policy.pk, "reason": "Class is full"},
            content_type="application/json",
        ).status_code,
    ]


@pytest.mark.parametrize("scope", [TokenScope.WRITE_TRAINING, TokenScope.WRITE])
def test_a_training_or_full_write_token_records_verifies_and_overrides(world, catalog, scope):
    assert _writes(world, catalog, _api(world, scope)) == [201, 200, 201]
    assert Completion.objects.filter(course=catalog.ice).exists()
    assert Override.objects.count() == 1


@pytest.mark.parametrize(
    "scope", [TokenScope.READ, TokenScope.WRITE_DIRECTORY, TokenScope.WRITE_AGREEMENTS]
)
def test_a_read_only_or_other_area_token_changes_no_training(world, catalog, scope):
    api = _api(world, scope)
    assert _writes(world, catalog, api) == [403, 403, 403]
    assert not Completion.objects.filter(course=catalog.ice).exists()
    assert not Completion.objects.filter(verified_at__isnull=False).exists()
    assert Override.objects.count() == 0
    person = world.people["BCA"]
    assert api.get(f"/api/v1/training/people/{person.pk}/readiness").status_code == 200


def test_a_training_token_cannot_write_elsewhere(world, catalog):
    person = world.people["BCA"]
    response = _api(world, TokenScope.WRITE_TRAINING).post(
        "/api/v1/directory/assignments",
        {
            "person_id": person.pk,
            "task_force_id": world.task_forces["HSI-TF"].pk,
            "role": "Task Force Officer",
            "start_date": timezone.localdate().isoformat(),
        },
        content_type="application/json",
    )
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
