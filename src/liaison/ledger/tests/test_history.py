"""The reusable history of one record."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string

from liaison.accounts.tests.factories import make_agency, make_user
from liaison.core.roles import Role
from liaison.ledger.selectors import history_for
from liaison.ledger.services import ledger_append

pytestmark = pytest.mark.django_db


def test_history_lists_the_entries_about_one_record_with_names(django_assert_num_queries):
    agency = make_agency("BCA", "Bureau of Criminal Apprehension")
    other = make_agency()
    user = make_user(Role.COORDINATOR, agency=agency)
    ledger_append(actor=user, action="agency.create", obj=agency, reason="new")
    ledger_append(actor=user, action="agency.create", obj=other)
    ledger_append(actor=None, action="agency.update", obj=agency)
    with django_assert_num_queries(3):
        rows = history_for(agency)
    assert [r.entry.action for r in rows] == ["agency.update", "agency.create"]
    assert rows[1].actor == user.username
    assert rows[1].agency == "Bureau of Criminal Apprehension"
    assert rows[0].actor == "System or public"
    html = render_to_string("ledger/_history.html", {"history": rows, "user": user})
    assert "agency.update" in html
    assert 'href="/ledger/entries/' not in html  # only oversight gets links
    auditor = make_user(Role.OVERSIGHT)
    html = render_to_string("ledger/_history.html", {"history": rows, "user": auditor})
    assert 'href="/ledger/entries/0/"' in html
