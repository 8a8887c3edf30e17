"""Filing, review, override and disclosure, through the services."""

from __future__ import annotations

import hashlib
from datetime import date

import pytest

from liaison.core import attributes, identifiers
from liaison.core.errors import Conflict, NotFound, PermissionDenied, ServiceError
from liaison.directory.models import Agency, Jurisdiction
from liaison.ledger.models import Entry
from liaison.policy import vocabulary as v
from liaison.policy.engine import decide
from liaison.policy.request import InvalidRequest
from liaison.sharing import selectors, services
from liaison.sharing.error_codes import SharingErrorCode
from liaison.sharing.models import Disclosure, RequestItem, Review, SharingRequest
from liaison.sharing.tests.conftest import ADDRESS, DVS_STATUS, HISTORY, HOLD

INTELLIGENCE = {
    "category": "criminal_intelligence",
    "classification": "confidential",
    "source": "intelligence_system",
    "reasonable_suspicion": True,
    "tied_to_criminal_conduct": True,
}


def decisions(request: SharingRequest) -> list[tuple[str, str]]:
    return list(request.items.order_by("index").values_list("machine_decision", "final_decision"))


# --- filing ------------------------------------------------------------------------------


def test_filing_builds_the_facts_from_the_database(world) -> None:
    county = Jurisdiction.objects.create(
        name="Nobles County", kind="county", state="MN", parent=world.mn
    )
    sheriff = Agency.objects.create(
        name="Nobles County Sheriff", abbreviation="NCSO", level="local", jurisdiction=county
    )
    world.person("HSI", email="partner@example.gov")  # the partner's directory record
    request = world.file([HOLD], custodian="BCA")
    assert request.facts["jurisdiction"] == {"state": "MN", "county": None, "city": None}
    assert request.facts["requester"] == {
        "agency": "HSI Agency",
        "level": "federal",
        "component": "ice_hsi",
        "attributes": {"28CFRCertificationIndicator": False},
    }
    held = services.request_file(
        actor=world.users["partner"],
        requesting_agency=world.agencies["HSI"],
        custodian_agency=sheriff,
        purpose="civil_immigration_enforcement",
        instrument="detainer_with_administrative_warrant",
        items=[HOLD],
    )
    assert held.facts["jurisdiction"] == {"state": "MN", "county": "Nobles", "city": None}
    assert held.jurisdiction == county
    # Esparza: a hold on an administrative detainer alone is unlawful in Minnesota.
    assert decisions(held) == [("deny", "deny")]
    assert "mn.detainer-hold-admin-warrant" in {
        r["policy"] for r in held.decision["items"][0]["reasons"]
    }


def test_filing_reads_the_requesting_users_attributes_from_the_registry(world) -> None:
    attributes.register("test", lambda subject: {"28CFRCertificationIndicator": True})
    try:
        request = world.file([INTELLIGENCE], instrument="none")
    finally:
        attributes.unregister("test")
    assert request.facts["requester"]["attributes"]["28CFRCertificationIndicator"] is True
    assert decisions(request) == [("permit", "permit")]
    uncertified = world.file([INTELLIGENCE], instrument="none")
    assert decisions(uncertified) == [("deny", "deny")]


def test_filing_includes_only_the_two_agencies_agreements_for_the_purpose(world) -> None:
    world.agreement()  # HSI–BCA, criminal investigation, criminal history
    world.agreement(parties=("CBP", "BCA"))  # another partner's
    world.agreement(purposes=("officer_safety",))  # another purpose
    request = world.file([HISTORY], instrument="agreement_clause")
    assert request.facts["agreements"] == [
        {
            "type": "federal_task_force_mou",
            "status": "active",
            "activities": ["joint_investigation"],
            "categories": ["criminal_history"],
            "purposes": ["criminal_investigation"],
        }
    ]
    # An agreement is not law in Minnesota: private data on an agreement clause alone
    # goes to the privacy officer.
    assert decisions(request) == [("needs_review", "")]
    assert request.status == SharingRequest.Status.AWAITING_REVIEW


def test_an_expired_agreement_is_included_with_its_status_so_the_deny_says_why(world) -> None:
    world.agreement(expiry_date=date(2025, 6, 30))
    request = world.file([HISTORY], instrument="agreement_clause")
    assert [a["status"] for a in request.facts["agreements"]] == ["expired"]
    assert decisions(request) == [("deny", "deny")]
    assert "expired" in request.decision["items"][0]["reasons"][0]["explanation"]


def test_the_stored_decision_names_the_pack_versions_of_the_filing_day(world) -> None:
    request = world.file([ADDRESS, HOLD])
    assert request.decided_on == date.today() or request.decided_on
    names = [p["name"] for p in request.packs]
    assert names == [p["name"] for p in request.decision["packs"]]
    assert {"federal", "mn"} <= set(names)
    assert all(p["version"] for p in request.packs)
    # The stored facts decide the same again on that day: the request can be replayed.
    assert decide(request.facts, on=request.decided_on)["items"] == request.decision["items"]
    assert request.reference == f"SR-{request.decided_on.year}-{request.pk:06d}"


def test_permitted_items_are_releasable_and_denied_ones_not(world) -> None:
    request = world.file([ADDRESS, HOLD], purpose="criminal_investigation")
    address, hold = request.items.order_by("index")
    assert (address.machine_decision, address.final_decision) == ("permit", "permit")
    assert address.permitted_fields == address.machine_fields != []
    assert request.status == SharingRequest.Status.DECIDED
    assert services.releasable(request) == {"address": address.permitted_fields}
    assert hold.final_decision in ("deny", "permit")


def test_a_denied_item_carries_its_lawful_paths(world) -> None:
    request = world.file([ADDRESS], instrument="none")
    entry = request.decision["items"][0]
    assert entry["decision"] == "deny"
    assert {"instrument": "judicial_warrant", "decision": "permit"} in entry["paths"]


def test_filing_is_ledgered_with_the_facts_committed(world) -> None:
    before = Entry.objects.count()
    request = world.file()
    entry = Entry.objects.get(action="sharing_request.file")
    assert Entry.objects.count() == before + 1
    assert entry.object_id == str(request.pk)
    assert entry.actor_id == world.users["partner"].pk


def test_a_malformed_request_answers_per_field_and_saves_nothing(world) -> None:
    before = Entry.objects.count()
    with pytest.raises(InvalidRequest) as caught:
        world.file(
            [{"category": "dna", "classification": "private", "source": "other"}, {"x": 1}],
            purpose="curiosity",
        )
    assert set(caught.value.fields) >= {"items[0].category", "items[1]", "purpose"}
    assert SharingRequest.objects.count() == 0
    assert RequestItem.objects.count() == 0
    assert Entry.objects.count() == before


def test_a_partner_files_only_for_their_own_agency(world) -> None:
    with pytest.raises(PermissionDenied):
        world.file(requester="CBP")
    assert SharingRequest.objects.count() == 0


def test_a_coordinator_files_on_a_partners_behalf(world) -> None:
    request = world.file(by="coordinator", requested_by=world.users["partner"])
    assert request.filed_by == world.users["coordinator"]
    assert request.requested_by == world.users["partner"]
    with pytest.raises(ServiceError) as caught:
        world.file(by="coordinator", requested_by=world.users["other_partner"])
    assert caught.value.code == SharingErrorCode.NOT_A_PARTNER_AGENCY


def test_a_federal_custodian_is_refused(world) -> None:
    with pytest.raises(ServiceError) as caught:
        world.file(custodian="CBP")
    assert caught.value.code == SharingErrorCode.CUSTODIAN_NOT_COVERED


# --- review -------------------------------------------------------------------------------


@pytest.fixture
def pending(world) -> SharingRequest:
    """DVS immigration-status data on a court order (counsel reviews even then), and a
    hold past release (denied in Minnesota without a judicial warrant)."""
    return world.file(
        [DVS_STATUS, HOLD], purpose="civil_immigration_enforcement", instrument="court_order"
    )


def test_needs_review_items_wait_and_are_not_releasable(world, pending) -> None:
    assert decisions(pending)[0] == ("needs_review", "")
    assert pending.status == SharingRequest.Status.AWAITING_REVIEW
    assert "citizenship_immigration_status" not in services.releasable(pending)
    with pytest.raises(Conflict):
        services.disclosure_record(
            actor=world.users["privacy"],
            request=pending,
            package=b"x",
            channel="api",
            recipient_name="Agent",
        )


def test_confirm_permits_the_reviewed_items_and_keeps_denies(world, pending) -> None:
    review = services.request_review(
        actor=world.users["privacy"], request=pending, action="confirm"
    )
    pending.refresh_from_db()
    status, hold = pending.items.order_by("index")
    assert status.final_decision == "permit"
    assert status.permitted_fields == list(v.CATEGORIES["citizenship_immigration_status"].fields)
    assert (hold.machine_decision, hold.final_decision) == ("deny", "deny")
    assert pending.status == SharingRequest.Status.DECIDED
    assert review.outcome[0]["decision"] == "permit"
    assert Entry.objects.filter(action="sharing_request.review.confirm").count() == 1


def test_narrow_keeps_fewer_fields_with_a_reason(world, pending) -> None:
    services.request_review(
        actor=world.users["privacy"],
        request=pending,
        action="narrow",
        reason="Status only; no date of birth.",
        keep={0: ["name", "immigration_status"]},
    )
    item = pending.items.get(index=0)
    assert (item.final_decision, item.permitted_fields) == (
        "permit",
        ["name", "immigration_status"],
    )
    entry = Entry.objects.get(action="sharing_request.review.narrow")
    assert entry.reason_hash


def test_narrow_cannot_add_fields_or_keep_everything(world, pending) -> None:
    privacy = world.users["privacy"]
    with pytest.raises(ServiceError) as caught:
        services.request_review(
            actor=privacy, request=pending, action="narrow", reason="r", keep={0: ["ssn"]}
        )
    assert caught.value.code == SharingErrorCode.NOT_NARROWER
    everything = list(v.CATEGORIES["citizenship_immigration_status"].fields)
    with pytest.raises(ServiceError) as caught:
        services.request_review(
            actor=privacy, request=pending, action="narrow", reason="r", keep={0: everything}
        )
    assert caught.value.code == SharingErrorCode.NOT_NARROWER
    assert Review.objects.count() == 0


def test_a_statutory_deny_cannot_be_confirmed_into_a_permit(world, pending) -> None:
    with pytest.raises(ServiceError) as caught:
        services.request_review(
            actor=world.users["privacy"],
            request=pending,
            action="narrow",
            reason="r",
            keep={0: ["name"], 1: []},
        )
    assert caught.value.code == SharingErrorCode.STATUTORY_DENY
    assert pending.items.get(index=1).final_decision == "deny"


def test_deny_needs_a_reason_and_denies_every_item(world, pending) -> None:
    privacy = world.users["privacy"]
    with pytest.raises(ServiceError) as caught:
        services.request_review(actor=privacy, request=pending, action="deny")
    assert caught.value.code == SharingErrorCode.REASON_REQUIRED
    services.request_review(actor=privacy, request=pending, action="deny", reason="Not lawful.")
    assert decisions(pending) == [("needs_review", "deny"), ("deny", "deny")]


def test_only_the_custodians_privacy_officer_reviews_and_only_once(world, pending) -> None:
    for who in ("partner", "local_privacy", "counsel", "coordinator"):
        with pytest.raises((PermissionDenied, NotFound)):
            services.request_review(actor=world.users[who], request=pending, action="confirm")
    services.request_review(actor=world.users["privacy"], request=pending, action="confirm")
    with pytest.raises(Conflict):
        services.request_review(actor=world.users["privacy"], request=pending, action="confirm")


# --- override -----------------------------------------------------------------------------


def test_only_counsel_sets_a_statutory_deny_aside_in_writing(world) -> None:
    request = world.file([ADDRESS], instrument="none")
    item = request.items.get()
    for who in ("privacy", "partner", "coordinator"):
        with pytest.raises(PermissionDenied):
            services.item_override(actor=world.users[who], item=item, justification="Because.")
    with pytest.raises(ServiceError) as caught:
        services.item_override(actor=world.users["counsel"], item=item, justification="  ")
    assert caught.value.code == SharingErrorCode.REASON_REQUIRED
    override = services.item_override(
        actor=world.users["counsel"],
        item=item,
        justification="Exigent circumstances documented in the file.",
        fields=["address"],
    )
    item.refresh_from_db()
    assert (item.final_decision, item.permitted_fields) == ("permit", ["address"])
    assert override.counsel == world.users["counsel"]
    assert Entry.objects.filter(action="sharing_item.override").count() == 1
    assert list(selectors.override_list_for_user(user=world.users["oversight"])) == [override]
    with pytest.raises(Conflict) as again:
        services.item_override(actor=world.users["counsel"], item=item, justification="x")
    assert again.value.code == SharingErrorCode.ALREADY_OVERRIDDEN


def test_a_permit_cannot_be_overridden(world) -> None:
    item = world.file([ADDRESS]).items.get()
    with pytest.raises(Conflict) as caught:
        services.item_override(actor=world.users["counsel"], item=item, justification="x")
    assert caught.value.code == SharingErrorCode.NOT_A_DENY


# --- isolation and reads ------------------------------------------------------------------


def test_partners_see_only_their_own_agencys_requests(world) -> None:
    mine = world.file()
    theirs = world.file(by="other_partner", requester="CBP")
    assert list(selectors.request_list_for_user(user=world.users["partner"])) == [mine]
    assert list(selectors.request_list_for_user(user=world.users["other_partner"])) == [theirs]
    with pytest.raises(NotFound):
        selectors.request_get_for_user(user=world.users["partner"], pk=theirs.pk)
    assert selectors.request_list_for_user(user=world.users["officer"]).count() == 0
    assert selectors.request_list_for_user(user=world.users["oversight"]).count() == 2


def test_opening_a_request_is_in_the_access_log(world) -> None:
    request = world.file()
    selectors.request_get_for_user(user=world.users["partner"], pk=request.pk)
    entry = Entry.objects.get(action="sharing_request.read")
    assert (entry.kind, entry.object_id) == ("access", str(request.pk))


def test_the_review_queue_puts_urgent_first_then_oldest(world) -> None:
    first = world.file(
        [DVS_STATUS], purpose="civil_immigration_enforcement", instrument="court_order"
    )
    second = world.file(
        [DVS_STATUS], purpose="civil_immigration_enforcement", instrument="court_order"
    )
    urgent = world.file(
        [DVS_STATUS], purpose="civil_immigration_enforcement", instrument="court_order", urgent=True
    )
    queue = selectors.review_queue_for_user(user=world.users["privacy"])
    assert list(queue) == [urgent, first, second]
    assert selectors.review_queue_for_user(user=world.users["local_privacy"]).count() == 0


# --- disclosure ---------------------------------------------------------------------------


def test_a_disclosure_records_what_left_with_the_package_hash_and_subject_hashes(world) -> None:
    request = world.file([ADDRESS])
    package = b'{"address": "100 Main St"}'
    disclosure = services.disclosure_record(
        actor=world.users["privacy"],
        request=request,
        package=package,
        channel=Disclosure.Channel.SECURE_EMAIL,
        recipient_name="Special Agent Doe",
        fields={"address": ["address"]},
        subjects=[("person", "Maria Lopez, 1990-01-31"), ("person", "LOPEZ, Maria 01/31/1990")],
    )
    assert disclosure.package_sha256 == hashlib.sha256(package).hexdigest()
    assert disclosure.fields == {"address": ["address"]}
    assert disclosure.recipient_agency == world.agencies["HSI"]
    assert disclosure.review_due is None
    assert "Judicial warrant" in disclosure.basis
    # Two spellings of one person are one subject, stored only as its keyed hash.
    assert list(disclosure.subjects.values_list("kind", "keyed_hash")) == [
        ("person", identifiers.keyed_hash("person", "Maria Lopez, 1990-01-31"))
    ]
    request.refresh_from_db()
    assert request.status == SharingRequest.Status.DISCLOSED
    entry = Entry.objects.get(action="disclosure.record")
    assert entry.object_id == str(disclosure.pk)


def test_criminal_intelligence_is_due_for_review_within_five_years(world) -> None:
    attributes.register("test", lambda subject: {"28CFRCertificationIndicator": True})
    try:
        request = world.file([INTELLIGENCE], instrument="none")
    finally:
        attributes.unregister("test")
    disclosure = services.disclosure_record(
        actor=world.users["privacy"],
        request=request,
        package=b"intel",
        channel="api",
        recipient_name="Analyst",
        disclosed_on=date(2026, 12, 1),
    )
    assert disclosure.review_due == date(2031, 12, 1)
    assert services.review_due_on(date(2028, 2, 29)) == date(2033, 2, 28)


def test_a_disclosure_may_not_name_what_is_not_permitted(world) -> None:
    request = world.file([ADDRESS, HISTORY], instrument="none")  # both denied
    with pytest.raises(ServiceError) as nothing:
        services.disclosure_record(
            actor=world.users["privacy"],
            request=request,
            package=b"x",
            channel="api",
            recipient_name="A",
        )
    assert nothing.value.code == SharingErrorCode.NOTHING_RELEASABLE
    allowed = world.file([ADDRESS])
    with pytest.raises(ServiceError) as caught:
        services.disclosure_record(
            actor=world.users["privacy"],
            request=allowed,
            package=b"x",
            channel="api",
            recipient_name="A",
            fields={"address": ["ssn"], "photo": ["photo"]},
        )
    assert caught.value.code == SharingErrorCode.NOTHING_RELEASABLE
    assert set(caught.value.fields) == {"fields.address", "fields.photo"}
    assert Disclosure.objects.count() == 0


def test_partners_see_their_disclosures_and_opening_one_is_logged(world) -> None:
    request = world.file([ADDRESS])
    disclosure = services.disclosure_record(
        actor=world.users["privacy"],
        request=request,
        package=b"p",
        channel="api",
        recipient_name="A",
    )
    assert list(selectors.disclosure_list_for_user(user=world.users["partner"])) == [disclosure]
    assert selectors.disclosure_list_for_user(user=world.users["other_partner"]).count() == 0
    with pytest.raises(NotFound):
        selectors.disclosure_get_for_user(user=world.users["other_partner"], pk=disclosure.pk)
    selectors.disclosure_get_for_user(user=world.users["partner"], pk=disclosure.pk)
    assert Entry.objects.filter(action="disclosure.read", kind="access").count() == 1
