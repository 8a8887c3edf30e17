"""Every list page filters one way: declared filters read from the URL, applied by the
selector, shown in the one USWDS filter form that updates the results live."""

from __future__ import annotations

from datetime import date

import pytest
from django import forms
from django.test import Client

from liaison.accounts.tests.factories import make_agency, make_user
from liaison.agreements import services as agreement_services
from liaison.agreements.models import Agreement, AgreementParty
from liaison.core.filters import Filters, yes_no_filter
from liaison.core.roles import Role
from liaison.directory.models import Agency

LIST_PAGES = [
    ("/directory/jurisdictions/", Role.ADMIN),
    ("/directory/agencies/", Role.ADMIN),
    ("/directory/task-forces/", Role.ADMIN),
    ("/directory/personnel/", Role.ADMIN),
    ("/directory/designations/", Role.ADMIN),
    ("/directory/contacts/", Role.ADMIN),
    ("/agreements/", Role.COORDINATOR),
    ("/agreements/authorities/", Role.COORDINATOR),
    ("/accounts/users/", Role.ADMIN),
    ("/ledger/entries/", Role.OVERSIGHT),
    ("/ledger/access/", Role.PRIVACY_OFFICER),
]


def _client(role: Role) -> Client:
    client = Client()
    client.force_login(make_user(role))
    return client


@pytest.mark.parametrize(("url", "role"), LIST_PAGES)
def test_every_list_page_has_the_one_live_filter_form(url: str, role: Role, db: None) -> None:
    response = _client(role).get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="search"' in html
    assert f'hx-get="{url}"' in html
    assert 'hx-target="#results"' in html
    assert 'hx-push-url="true"' in html
    assert 'id="results"' in html


def _draft(owner: Agency, other: Agency, title: str) -> Agreement:
    return agreement_services.agreement_create(
        actor=None,
        owner_agency=owner,
        fields=agreement_services.AgreementFields(
            title=title,
            kind=Agreement.Kind.values[0],
            effective_date=date(2026, 1, 1),
            parties=[
                (owner, AgreementParty.Role.values[0]),
                (other, AgreementParty.Role.values[1]),
            ],
        ),
    )


def test_a_bookmarked_filter_url_gives_the_same_filtered_list(db: None) -> None:
    bca, hsi, cbp = make_agency("BCA"), make_agency("HSI"), make_agency("CBP")
    _draft(bca, hsi, "With HSI")
    _draft(bca, cbp, "With CBP")
    client = Client()
    client.force_login(make_user(Role.ADMIN, agency=bca))
    response = client.get(f"/agreements/?party={hsi.pk}&q=With")
    titles = [a.title for a in response.context["page"]]
    assert titles == ["With HSI"]
    assert f'<option value="{hsi.pk}" selected>' in response.content.decode()


def test_a_wrong_filter_is_shown_and_left_out_while_the_others_apply(db: None) -> None:
    bca, hsi, cbp = make_agency("BCA"), make_agency("HSI"), make_agency("CBP")
    _draft(bca, hsi, "With HSI")
    _draft(bca, cbp, "With CBP")
    client = Client()
    client.force_login(make_user(Role.ADMIN, agency=bca))
    response = client.get("/agreements/?expiring_within=soon&q=CBP")
    assert response.status_code == 200
    assert [a.title for a in response.context["page"]] == ["With CBP"]
    assert 'id="expiring_within-error"' in response.content.decode()


class _Example(Filters):
    arguments = {"q": "search"}

    q = forms.CharField(required=False)
    active = yes_no_filter("Status", yes="Active", no="Ended")


def test_filters_pass_only_what_was_given_under_the_selectors_names() -> None:
    assert _Example({}).selector_kwargs() == {}
    assert _Example({"q": "ada", "active": "no"}).selector_kwargs() == {
        "search": "ada",
        "active": False,
    }
    assert _Example({"active": "yes"}).selector_kwargs() == {"active": True}
