"""Refused requests leave a security entry that survives the rollback of their work."""

from __future__ import annotations

import pytest
from django.test import Client

from liaison.ledger.models import Entry, EntryKind

pytestmark = [pytest.mark.django_db, pytest.mark.urls("liaison.ledger.tests.refusal_urls")]


def denials() -> list[Entry]:
    return list(Entry.objects.filter(kind=EntryKind.SECURITY, action="permission.deny"))


@pytest.mark.parametrize(("url", "status"), [("/django-denied", 403), ("/service-denied", 403)])
def test_a_permission_denied_view_records_the_refusal_and_not_its_work(
    officer_client, officer, url, status
):
    assert officer_client.get(url).status_code == status
    (denial,) = denials()
    assert denial.actor_id == officer.pk
    assert denial.object_type == "view"
    assert denial.object_id == f"GET {url.strip('/').replace('-', '_')}"
    assert not Entry.objects.filter(action="thing.change").exists()  # rolled back
    assert denial.seq == 0  # and no gap where the rolled-back entry was


def test_a_hidden_record_answers_not_found_and_names_the_record_in_the_ledger(officer_client):
    assert officer_client.get("/hidden").status_code == 404
    (denial,) = denials()
    assert (denial.object_type, denial.object_id) == ("tests.thing", "7")


def test_a_record_that_does_not_exist_is_not_a_refusal(officer_client):
    assert officer_client.get("/missing").status_code == 404
    assert denials() == []


def test_an_anonymous_refusal_is_recorded_without_an_actor():
    assert Client().get("/django-denied").status_code == 403
    (denial,) = denials()
    assert denial.actor_id is None
