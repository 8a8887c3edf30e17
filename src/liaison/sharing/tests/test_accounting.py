"""The accounting of disclosures: date, nature, purpose, recipient, filtered and as CSV,
scoped as the disclosures list is."""

from __future__ import annotations

from datetime import date

from django.test import Client

from liaison.ledger.models import Entry
from liaison.sharing import accounting
from liaison.sharing.tests import subject_fixtures

subjects = subject_fixtures.subjects


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_accounting_filters_by_recipient_purpose_category_and_dates(subjects):
    to_hsi = subjects.disclosure(disclosed_on=date(2026, 3, 2))
    to_cbp = subjects.disclosure(
        recipient="CBP",
        categories={"criminal_history": ["offenses"]},
        purpose="criminal_investigation",
        disclosed_on=date(2026, 6, 1),
    )
    officer = subjects.u["privacy"]
    assert list(accounting.accounting_for_user(user=officer)) == [to_cbp, to_hsi]
    cbp = subjects.agencies["CBP"].pk
    assert list(accounting.accounting_for_user(user=officer, recipient=cbp)) == [to_cbp]
    assert list(accounting.accounting_for_user(user=officer, category="address")) == [to_hsi]
    assert list(accounting.accounting_for_user(user=officer, disclosed_from=date(2026, 4, 1))) == [
        to_cbp
    ]
    assert list(accounting.accounting_for_user(user=officer, purpose="statistical")) == []


def test_a_partner_sees_only_what_their_agency_received(subjects):
    to_hsi = subjects.disclosure()
    subjects.disclosure(recipient="CBP")
    assert list(accounting.accounting_for_user(user=subjects.u["partner"])) == [to_hsi]


def test_the_page_and_the_csv_give_date_nature_purpose_recipient(subjects):
    subjects.disclosure(disclosed_on=date(2026, 3, 2))
    client = _client(subjects.u["privacy"])
    page = client.get("/sharing/accounting/?purpose=criminal_investigation").content.decode()
    assert "Mar 2, 2026" in page
    assert "address (street, city)" in page
    assert "HSI Agency — Special Agent Example" in page
    assert "/sharing/accounting.csv?purpose=criminal_investigation" in page
    answer = client.get("/sharing/accounting.csv?purpose=criminal_investigation")
    lines = b"".join(answer.streaming_content).decode("utf-8-sig").splitlines()
    assert lines[0] == ",".join(accounting.HEADER)
    assert lines[1].startswith("2026-03-02,SR-2026-")
    assert '"address (street, city)",Criminal investigation,HSI Agency' in lines[1]
    assert Entry.objects.filter(action="disclosure.accounting").count() == 2
