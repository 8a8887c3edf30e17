"""Staff pages: lists and filters, detail, lifecycle forms, and who gets 403/404/409."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from liaison.agreements import services
from liaison.agreements.models import Agreement


def test_the_list_shows_only_agreements_the_user_may_see(world, client_as):
    mine = world.active()  # HSI–BCA
    other = world.active(
        parties=[(world.agencies["CBP"], "federal_party"), (world.agencies["HCSO"], "local_party")],
        owner="HCSO",
    )
    for persona, sees_mine, sees_other in [
        ("partner", True, False),
        ("outside_partner", False, True),
        ("officer", False, False),
        ("coordinator", True, True),
        ("local_coordinator", True, True),
        ("oversight", True, True),
    ]:
        body = client_as(persona).get("/agreements/").content.decode()
        assert (mine.title in body, other.title in body) == (sees_mine, sees_other), persona


def test_the_list_filters_by_type_party_status_and_expiring_within_n_days(world, client_as):
    today = timezone.localdate()
    soon = world.active(expiry_date=today + timedelta(days=20), title="Ends soon")
    later = world.active(expiry_date=today + timedelta(days=200), title="Ends later")
    draft = world.draft(expiry_date=today + timedelta(days=10), title="Draft ending")
    aid = world.active(
        kind="mutual_aid",
        title="Mutual aid",
        parties=[(world.agencies["BCA"], "state_party"), (world.agencies["MSP"], "state_party")],
    )
    client = client_as("coordinator")

    def titles(query: str) -> set[str]:
        page = client.get(f"/agreements/?{query}").context["page"]
        return {a.title for a in page}

    assert titles("expiring_within=30") == {soon.title}
    assert titles("expiring_within=365") == {soon.title, later.title}
    assert titles("kind=mutual_aid") == {aid.title}
    assert titles("status=draft") == {draft.title}
    assert titles(f"party={world.agencies['MSP'].pk}") == {aid.title}


def test_the_list_page_query_count_does_not_grow_with_rows(
    world, client_as, django_assert_max_num_queries
):
    client = client_as("coordinator")
    world.active()
    client.get("/agreements/")  # warm caches (session, content types)
    with django_assert_max_num_queries(12) as small:
        client.get("/agreements/")
    for _ in range(6):
        world.active()
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get("/agreements/")
    assert len(response.context["page"].object_list) == 7


def test_the_authority_list_query_count_does_not_grow_with_rows(
    world, client_as, django_assert_max_num_queries
):
    services.legal_authorities_load()
    client = client_as("counsel")
    with django_assert_max_num_queries(10):
        response = client.get("/agreements/authorities/?jurisdiction=MN")
    assert response.status_code == 200


def test_the_detail_shows_the_timeline_grants_and_only_the_allowed_buttons(world, client_as):
    agreement = world.active()
    coordinator = client_as("coordinator").get(f"/agreements/{agreement.pk}/")
    assert coordinator.status_code == 200
    body = coordinator.content.decode()
    assert "agreement.activate" in body
    assert "agreement.create" in body
    assert "Joint criminal investigation" in body
    assert coordinator.context["actions"] >= {"suspend", "terminate", "amend"}
    supervisor = client_as("supervisor").get(f"/agreements/{agreement.pk}/")
    assert supervisor.context["actions"] == frozenset()
    assert 'data-testid="actions"' not in supervisor.content.decode()


def test_outsiders_get_404_on_every_agreement_page(world, client_as):
    agreement = world.active()
    client = client_as("outside_partner")
    for suffix in [
        "",
        "edit/",
        "review/",
        "sign/",
        "suspend/",
        "terminate/",
        "amend/",
        "documents/new/",
    ]:
        assert client.get(f"/agreements/{agreement.pk}/{suffix}").status_code == 404, suffix
    assert client.post(f"/agreements/{agreement.pk}/activate/").status_code == 404


def test_a_user_who_sees_but_may_not_act_gets_403(world, client_as):
    agreement = world.active()
    client = client_as("supervisor")
    response = client.post(f"/agreements/{agreement.pk}/suspend/", {"reason": "No"})
    assert response.status_code == 403
    agreement.refresh_from_db()
    assert agreement.status == "active"


def test_a_step_out_of_order_answers_409_with_a_plain_message(world, client_as):
    agreement = world.draft()
    response = client_as("coordinator").post(f"/agreements/{agreement.pk}/activate/")
    assert response.status_code == 409
    assert "Cannot activate: the agreement is draft" in response.content.decode()


def test_a_coordinator_drafts_and_counsel_reviews_through_the_pages(world, client_as):
    coordinator = client_as("coordinator")
    form = coordinator.get("/agreements/new/")
    assert form.status_code == 200
    response = coordinator.post(
        "/agreements/new/",
        {
            "title": "BCA–HSI deconfliction MOU",
            "kind": "task_force_mou",
            "effective_date": "2025-01-01",
            "expiry_date": "2027-12-31",
            "grant_clause": "Art. II",
            "termination_notice_days": "30",
            "party_1_agency": world.agencies["BCA"].pk,
            "party_1_role": "state_party",
            "party_2_agency": world.agencies["HSI"].pk,
            "party_2_role": "federal_party",
            "activities": [world.activity("deconfliction").pk],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    agreement = Agreement.objects.get(title="BCA–HSI deconfliction MOU")
    assert agreement.owner_agency == world.agencies["BCA"]
    assert coordinator.post(f"/agreements/{agreement.pk}/submit/").status_code == 302
    counsel = client_as("counsel")
    assert (
        counsel.post(f"/agreements/{agreement.pk}/review/", {"decision": "approve"}).status_code
        == 302
    )
    agreement.refresh_from_db()
    assert agreement.legal_approved_by == world.users["counsel"]


def test_form_errors_from_services_are_shown_beside_the_fields(world, client_as):
    agreement = world.active()
    response = client_as("counsel").post(
        f"/agreements/{agreement.pk}/terminate/", {"reason": "", "notice_date": ""}
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors["reason"]
    assert form.errors["notice_date"]


def test_partners_and_officers_cannot_create_agreements(world, client_as):
    assert client_as("partner").get("/agreements/new/").status_code == 403
    assert client_as("officer").post("/agreements/new/", {"title": "x"}).status_code == 403


def test_the_coverage_page_answers_and_names_the_clause(world, client_as):
    agreement = world.active()
    response = client_as("coordinator").get(
        "/agreements/coverage/",
        {
            "agency": world.agencies["BCA"].pk,
            "activity": world.activity("training").pk,
            "on": "2025-06-01",
        },
    )
    assert response.status_code == 200
    assert response.context["result"].covered
    assert agreement.title in response.content.decode()


@pytest.mark.parametrize("persona", ["counsel", "admin"])
def test_counsel_and_admins_edit_the_legal_library(world, client_as, persona):
    client = client_as(persona)
    response = client.post(
        "/agreements/authorities/new/",
        {
            "citation": "Minn. Stat. § 626.8451",
            "title": "Training in crimes of bias",
            "jurisdiction_code": "MN",
            "kind": "statute",
            "summary": "Peace officer training.",
            "verify_with_counsel": "on",
        },
    )
    assert response.status_code == 302
    detail = client.get(response["Location"]).content.decode()
    assert 'data-testid="history"' in detail
    assert "legal_authority.create" in detail


def test_other_roles_read_but_do_not_edit_the_legal_library(world, client_as):
    services.legal_authorities_load()
    client = client_as("coordinator")
    listing = client.get("/agreements/authorities/?flag=yes&jurisdiction=US")
    citations = {a.citation for a in listing.context["page"]}
    assert "8 U.S.C. § 1373" in citations
    assert "8 U.S.C. § 1357(g)" not in citations
    assert client.get("/agreements/authorities/new/").status_code == 403


def test_the_expiring_list_link_and_dates_read_well(world, client_as):
    ends = timezone.localdate() + timedelta(days=5)
    ending = world.active(title="Ending soon MOU", expiry_date=ends)
    later = world.active(
        title="Ends next year MOU", expiry_date=timezone.localdate() + timedelta(days=400)
    )
    client = client_as("coordinator")
    home = client.get("/agreements/").content.decode()
    assert 'href="/agreements/?expiring_within=90"' in home
    body = client.get("/agreements/?expiring_within=90").content.decode()
    assert "Ending within 90 days" in body
    assert ending.title in body
    assert later.title not in body
    # Dates read "Dec 6, 2026" inside a machine-readable <time>, not ISO or "Dec. 6, 2026".
    shown = f"{ends:%b} {ends.day}, {ends.year}"
    assert f'<time datetime="{ends.isoformat()}">{shown}</time>' in body
    assert '<time datetime="2025-01-01">Jan 1, 2025</time> – ' in body
