"""The privacy officer's access log: who read which private record, when, for whom."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from liaison.accounts.tests.factories import make_agency, make_user
from liaison.core.roles import Role
from liaison.ledger.services import access_record, access_record_list, ledger_append

pytestmark = pytest.mark.django_db


@pytest.fixture
def privacy_client():
    client = Client()
    client.force_login(make_user(Role.PRIVACY_OFFICER))
    return client


@pytest.fixture
def reads():
    """A partner read person 7 alone, a coordinator listed people 5, 7 and 9, another
    read contact 7; and one ordinary action that is not a read."""
    hsi = make_agency("HSI", "Homeland Security Investigations", level="federal")
    dps = make_agency("DPS", "Public Safety")
    partner = make_user(Role.PARTNER, agency=hsi)
    coordinator = make_user(Role.COORDINATOR, agency=dps)
    with time_machine.travel(timezone.now() - timedelta(days=10)):
        access_record(
            actor=partner,
            object_type="directory.person",
            object_id=7,
            action="person.read",
            reason="case 2026-114",
        )
    access_record_list(
        actor=coordinator,
        object_type="directory.person",
        object_ids=[5, 7, 9],
        action="person.list",
    )
    access_record(
        actor=coordinator, object_type="directory.contact", object_id=7, action="contact.read"
    )
    ledger_append(actor=coordinator, action="agency.update", obj=dps)
    return {"partner": partner, "coordinator": coordinator, "hsi": hsi, "dps": dps}


def rows(page) -> list[str]:
    return [row.entry.action for row, _ in page.context["rows"]]


def test_the_access_log_lists_reads_only_with_reader_and_agency(privacy_client, reads):
    page = privacy_client.get("/ledger/access/")
    assert page.status_code == 200
    assert rows(page) == ["contact.read", "person.list", "person.read"]
    html = page.content.decode()
    assert reads["partner"].username in html
    assert "Homeland Security Investigations" in html
    assert "case 2026-114" in html
    assert "3 records (5, 7, 9)" in html


def test_filtering_by_person_finds_single_reads_and_lists(privacy_client, reads):
    page = privacy_client.get("/ledger/access/?person=7")
    assert rows(page) == ["person.list", "person.read"]
    assert rows(privacy_client.get("/ledger/access/?person=9")) == ["person.list"]


def test_filtering_by_agency_record_type_reader_and_date(privacy_client, reads):
    by_agency = privacy_client.get(f"/ledger/access/?agency={reads['hsi'].pk}")
    assert rows(by_agency) == ["person.read"]
    by_type = privacy_client.get("/ledger/access/?record_type=directory.contact")
    assert rows(by_type) == ["contact.read"]
    by_reader = privacy_client.get(f"/ledger/access/?reader={reads['coordinator'].username}")
    assert rows(by_reader) == ["contact.read", "person.list"]
    today = timezone.localdate().isoformat()
    assert rows(privacy_client.get(f"/ledger/access/?since={today}")) == [
        "contact.read",
        "person.list",
    ]


def test_the_access_log_downloads_as_csv_with_its_filters(privacy_client, reads):
    response = privacy_client.get("/ledger/access/?person=7&format=csv")
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(text)))
    assert table[0][:4] == ["entry", "recorded_at_utc", "reader", "acting_for"]
    assert [r[4] for r in table[1:]] == ["person.list", "person.read"]
    assert table[1][7] == "5 7 9"
    assert table[2][3] == "Homeland Security Investigations"


def test_the_access_log_takes_a_constant_number_of_queries(
    privacy_client, reads, django_assert_max_num_queries
):
    with django_assert_max_num_queries(30) as few:
        privacy_client.get("/ledger/access/")
    for n in range(40):
        access_record_list(
            actor=reads["partner"],
            object_type="directory.person",
            object_ids=[n, n + 1],
            action="person.list",
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = privacy_client.get("/ledger/access/")
    assert len(page.context["rows"]) == 43


def test_the_access_log_is_in_the_navigation_of_those_who_may_open_it(reads):
    for role in (Role.PRIVACY_OFFICER, Role.OVERSIGHT, Role.ADMIN):
        client = Client()
        client.force_login(make_user(role))
        assert client.get("/ledger/access/").status_code == 200, role
        assert 'href="/ledger/access/"' in client.get("/").content.decode(), role
    for role in (Role.COORDINATOR, Role.PARTNER, Role.LEGAL_COUNSEL, Role.OFFICER):
        client = Client()
        client.force_login(make_user(role))
        assert client.get("/ledger/access/").status_code == 404, role
        assert 'href="/ledger/access/"' not in client.get("/").content.decode(), role
