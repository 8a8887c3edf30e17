"""Oversight's ledger browser links entries to their records and downloads as CSV."""

from __future__ import annotations

import csv
import io

import pytest

from liaison.accounts.tests.factories import make_agency
from liaison.ledger.models import Entry
from liaison.ledger.services import ledger_append

pytestmark = pytest.mark.django_db


def test_entries_link_to_the_record_they_are_about(oversight_client):
    agency = make_agency("BCA", "Bureau of Criminal Apprehension")
    entry = ledger_append(actor=None, action="agency.update", obj=agency)
    ledger_append(actor=None, action="x.do", object_type="x.thing", object_id=1)
    html = oversight_client.get("/ledger/entries/").content.decode()
    assert f'href="{agency.get_absolute_url()}"' in html
    assert "Agency: " in html
    assert "directory.agency " not in html  # the link replaces the bare type and id
    assert "x.thing 1" in html  # no model, no link
    detail = oversight_client.get(f"/ledger/entries/{entry.seq}/").content.decode()
    assert f'href="{agency.get_absolute_url()}"' in detail


def test_an_account_links_to_its_page_for_an_admin_only(oversight_client):
    from django.test import Client

    from liaison.accounts.tests.factories import make_user
    from liaison.core.roles import Role

    account = make_user(Role.COORDINATOR)
    ledger_append(actor=None, action="user.update", obj=account)
    href = f'href="/accounts/users/{account.pk}/"'
    assert href not in oversight_client.get("/ledger/entries/").content.decode()
    admin = Client()
    admin.force_login(make_user(Role.ADMIN))
    html = admin.get("/ledger/entries/").content.decode()
    assert href in html
    assert "accounts.user " not in html


def test_links_cost_one_query_per_type_of_record_whatever_the_rows(
    oversight_client, django_assert_max_num_queries
):
    agencies = [make_agency() for _ in range(3)]
    for agency in agencies:
        ledger_append(actor=None, action="agency.update", obj=agency)
    with django_assert_max_num_queries(30) as few:
        oversight_client.get("/ledger/entries/")
    for _ in range(30):
        ledger_append(actor=None, action="agency.update", obj=make_agency())
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = oversight_client.get("/ledger/entries/")
    assert sum(1 for r in page.context["rows"] if r.record) == 33


def test_search_results_download_as_csv_with_the_same_filters(
    oversight, oversight_client, monkeypatch
):
    monkeypatch.setattr("liaison.ledger.views.EXPORT_CHUNK", 2)  # read in several chunks
    agency = make_agency("MSP", "Minnesota State Patrol")
    for _ in range(3):
        ledger_append(actor=None, action="agency.update", obj=agency, reason="=HYPERLINK(1)")
    ledger_append(actor=None, action="other.thing", object_type="x.thing", object_id=1)
    response = oversight_client.get("/ledger/entries/?action=agency.&format=csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:4] == ["entry", "recorded_at_utc", "kind", "action"]
    assert [r[3] for r in rows[1:]] == ["agency.update"] * 3
    assert rows[1][6] == "Agency: Minnesota State Patrol"
    assert rows[1][9] == "'=HYPERLINK(1)"  # never a formula in a spreadsheet
    export = Entry.objects.order_by("-seq").first()
    assert (export.action, export.kind, export.actor_id) == (
        "ledger.entry.export",
        "access",
        oversight.pk,
    )


def test_the_page_offers_the_csv_of_its_filters(oversight_client):
    html = oversight_client.get("/ledger/entries/?action=agency.").content.decode()
    assert 'href="?action=agency.&amp;format=csv"' in html


def test_others_get_no_csv(officer_client):
    assert officer_client.get("/ledger/entries/?format=csv").status_code == 404
