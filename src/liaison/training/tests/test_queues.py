"""A supervisor's home page counts the training waiting for them: completions of their
agency's people to verify, and their people on task forces whose required training
expires within 30 days or has expired; other agencies' people are not counted."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from liaison.core import queues
from liaison.core.roles import Role
from liaison.directory import services as directory
from liaison.training.tests.conftest import complete, require

pytestmark = pytest.mark.django_db


def _cards(user) -> dict[str, int | None]:
    today = timezone.localdate()
    return {c.key: c.count for c in queues.cards_for(user, today) if c.key.startswith("training.")}


def test_the_supervisors_cards_count_what_waits_for_them(world, catalog, client_as):
    today = timezone.localdate()
    tf = world.task_forces["HSI-TF"]
    expired = world.person("BCA")
    directory.task_force_assignment_create(
        actor=None, person=expired, task_force=tf, role="Analyst", start_date=today
    )
    require(catalog.ice, task_force=tf)
    supervisor = world.users[Role.SUPERVISOR]
    assert _cards(supervisor) == {
        "training.unverified": 0,
        "training.expiring": 0,
        "training.expired": 0,
    }
    complete(world.people["BCA"], catalog.ice, today - timedelta(days=350), score=90)
    complete(expired, catalog.ice, today - timedelta(days=400), score=90)
    complete(expired, catalog.privacy, today, verify=False)
    complete(world.people["BCA"], catalog.cfr, today, verify=False)
    complete(world.people["MSP"], catalog.cfr, today, verify=False)  # another agency
    assert _cards(supervisor) == {
        "training.unverified": 2,
        "training.expiring": 1,
        "training.expired": 1,
    }
    page = client_as(Role.SUPERVISOR).get("/training/queue/").content.decode()
    assert "Completions to verify (2)" in page
    assert "Expiring within 30 days (1)" in page
    assert f"{expired}</a>: ICE-287G" in page
    home = client_as(Role.SUPERVISOR).get("/").content.decode()
    assert "Training completions to verify" in home


def test_other_roles_have_no_training_cards(world, catalog):
    assert _cards(world.users[Role.COORDINATOR]) == {}
    assert _cards(world.users[Role.OFFICER]) == {}
