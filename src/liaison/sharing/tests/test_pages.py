"""The sharing pages: the partner's form, the review queue, the request page in plain words,
review, override and disclosure forms, and the lists."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from liaison.core import queues
from liaison.sharing.models import Disclosure, SharingRequest
from liaison.sharing.tests.conftest import ADDRESS, DVS_STATUS, HOLD


def _form(world, **rows):
    data = {
        "custodian_agency": world.agencies["BCA"].pk,
        "purpose": "civil_immigration_enforcement",
        "instrument": "court_order",
        "items-TOTAL_FORMS": "3",
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "50",
    }
    data.update(rows)
    return data


def test_a_partner_files_on_the_form_and_sees_needs_review(world, client_as) -> None:
    client = client_as(world.users["partner"])
    assert client.get("/sharing/new/").status_code == 200
    answer = client.post(
        "/sharing/new/",
        _form(
            world,
            **{
                "items-0-what": "category:citizenship_immigration_status",
                "items-0-classification": "private",
                "items-0-source": "driver_vehicle_services",
                "items-1-what": "action:hold_past_release",
            },
        ),
    )
    request = SharingRequest.objects.get()
    assert answer.status_code == 302
    assert answer["Location"] == f"/sharing/requests/{request.pk}/"
    page = client.get(answer["Location"]).content.decode()
    assert "Needs review" in page
    assert "Would be permitted with: a judicial warrant" in page
    assert "Esparza" in page or "Minn." in page


def test_a_bad_item_is_shown_beside_its_row_and_nothing_is_saved(world, client_as) -> None:
    client = client_as(world.users["partner"])
    answer = client.post("/sharing/new/", _form(world, **{"items-0-what": "category:address"}))
    assert answer.status_code == 400
    assert "Item 1" in answer.content.decode()
    assert SharingRequest.objects.count() == 0
    empty = client.post("/sharing/new/", _form(world))
    assert empty.status_code == 400
    assert "at least one item" in empty.content.decode()


def test_the_review_queue_and_its_home_count(world, client_as) -> None:
    world.file([DVS_STATUS], purpose="civil_immigration_enforcement", instrument="court_order")
    urgent = world.file(
        [DVS_STATUS], purpose="civil_immigration_enforcement", instrument="court_order", urgent=True
    )
    privacy = world.users["privacy"]
    page = client_as(privacy).get("/sharing/review/").content.decode()
    assert page.index(urgent.reference) < page.index("SR-", page.index(urgent.reference) + 1)
    card = next(c for c in queues.cards_for(privacy, None) if c.key == "sharing.awaiting_review")
    assert card.count == 2


def test_review_narrow_override_and_disclose_on_the_pages(world, client_as) -> None:
    pending = world.file(
        [DVS_STATUS, HOLD], purpose="civil_immigration_enforcement", instrument="court_order"
    )
    privacy = client_as(world.users["privacy"])
    assert (
        client_as(world.users["partner"]).get(f"/sharing/requests/{pending.pk}/review/").status_code
        == 403
    )
    refused = privacy.post(f"/sharing/requests/{pending.pk}/review/", {"action": "narrow"})
    assert refused.status_code == 400
    done = privacy.post(
        f"/sharing/requests/{pending.pk}/review/",
        {"action": "narrow", "reason": "Status only.", "keep_0": ["immigration_status"]},
    )
    assert done.status_code == 302
    counsel = client_as(world.users["counsel"])
    overridden = counsel.post(
        f"/sharing/requests/{pending.pk}/items/1/override/",
        {"justification": "A judge signed a warrant after filing."},
    )
    assert overridden.status_code == 302
    assert (
        "Set aside by legal counsel"
        in counsel.get(f"/sharing/requests/{pending.pk}/").content.decode()
    )
    assert (
        "A judge signed"
        in client_as(world.users["oversight"]).get("/sharing/overrides/").content.decode()
    )
    sent = privacy.post(
        f"/sharing/requests/{pending.pk}/disclose/",
        {
            "package": SimpleUploadedFile("package.json", b'{"status": "x"}'),
            "channel": "secure_email",
            "recipient_name": "Special Agent Doe",
            "fields_citizenship_immigration_status": ["immigration_status"],
            "subjects": "person: Maria Lopez, 1990-01-31",
        },
    )
    assert sent.status_code == 302, sent.content.decode()[:2000]
    disclosure = Disclosure.objects.get()
    page = client_as(world.users["partner"]).get(sent["Location"]).content.decode()
    assert disclosure.package_sha256 in page
    assert "1 identifier" in page


@pytest.mark.parametrize("path", ["/sharing/requests/{pk}/", "/sharing/disclosures/{d}/"])
def test_an_outsider_gets_404(world, client_as, path) -> None:
    request = world.file([ADDRESS])
    from liaison.sharing import services

    d = services.disclosure_record(
        actor=None, request=request, package=b"p", channel="api", recipient_name="A"
    )
    url = path.format(pk=request.pk, d=d.pk)
    assert client_as(world.users["other_partner"]).get(url).status_code == 404
    assert client_as(world.users["officer"]).get(url).status_code == 404
    assert client_as(world.users["partner"]).get(url).status_code == 200


def test_the_lists_filter_and_scope(world, client_as) -> None:
    world.file([ADDRESS])
    world.file([ADDRESS], by="other_partner", requester="CBP")
    page = client_as(world.users["partner"]).get("/sharing/?state=MN").content.decode()
    assert "1 request." in page
    assert (
        "0 disclosures"
        in client_as(world.users["partner"]).get("/sharing/disclosures/").content.decode()
    )
