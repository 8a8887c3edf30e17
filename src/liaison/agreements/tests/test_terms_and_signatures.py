"""What an agreement's page says is in force today, who signs for a party (once), and how a
termination that takes effect later reads until then."""

from __future__ import annotations

import re
import threading
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection, transaction

from liaison.agreements import services
from liaison.agreements.coverage import coverage, terms_on
from liaison.agreements.models import Agreement, Signatory
from liaison.core.errors import ServiceError

CHICAGO = ZoneInfo("America/Chicago")
PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def text(html: str) -> str:
    """``html`` as read: tags dropped, so ``<time>`` elements count by their text."""
    return re.sub(r"<[^>]*>", "", html)


def at(day: date) -> time_machine.travel:
    return time_machine.travel(datetime.combine(day, time(12), tzinfo=CHICAGO), tick=False)


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path


def amended(world):
    """In force from Jan 1, 2025 to Jun 30, 2028 with a cap of 4; Amendment 1 raises the cap
    to 8 and extends it to Jun 30, 2029 from Mar 1, 2027."""
    with at(date(2026, 11, 1)):
        agreement = world.active(expiry_date=date(2028, 6, 30), personnel_cap=4)
        services.amendment_create(
            actor=world.users["coordinator"],
            agreement=agreement,
            title="More officers, longer term",
            effective_date=date(2027, 3, 1),
            new_expiry_date=date(2029, 6, 30),
            new_personnel_cap=8,
        )
    return agreement


# --- terms in force today, and what an amendment schedules ---------------------------------


def test_the_summary_shows_todays_terms_and_marks_what_an_amendment_schedules(world, client_as):
    agreement = amended(world)
    with at(date(2026, 12, 1)):
        page = client_as("coordinator").get(f"/agreements/{agreement.pk}/").content.decode()
    facts = page[page.index('data-testid="facts"') :]
    facts = facts[: facts.index("</table>")]
    cap = facts[facts.index('data-testid="personnel-cap"') :]
    assert cap.split("</td>")[0].endswith(">4")
    last_day = text(facts[facts.index('data-testid="last-day"') :].split("</td>")[0])
    assert "Jun 30, 2028" in last_day
    assert "2029" not in last_day
    scheduled = text(facts[facts.index('data-testid="scheduled"') :].split("</tr>")[0])
    assert "From Mar 1, 2027" in scheduled
    assert "personnel cap 8" in scheduled
    assert "last day in force Jun 30, 2029" in scheduled


def test_once_the_amendment_applies_the_summary_shows_its_terms_and_schedules_nothing(
    world, client_as
):
    agreement = amended(world)
    with at(date(2027, 3, 1)):
        page = client_as("coordinator").get(f"/agreements/{agreement.pk}/").content.decode()
    facts = page[page.index('data-testid="facts"') :].split("</table>")[0]
    assert facts[facts.index('data-testid="personnel-cap"') :].split("</td>")[0].endswith(">8")
    assert "Jun 30, 2029" in text(facts)
    assert 'data-testid="scheduled"' not in facts


def test_terms_on_a_date_agree_with_the_coverage_answer_about_the_last_day(world):
    agreement = amended(world)
    amendments = list(agreement.amendments.all())
    assert terms_on(agreement, date(2026, 12, 1), amendments).personnel_cap == 4
    assert terms_on(agreement, date(2027, 3, 1), amendments).personnel_cap == 8
    day = date(2028, 7, 1)  # after the original last day, before Amendment 1's
    assert terms_on(agreement, day, amendments).last_day == date(2029, 6, 30)
    asked = {"activity": world.activity("training")}
    assert coverage(agency=world.agencies["BCA"], on=day, **asked).covered
    assert terms_on(agreement, date(2027, 2, 28), amendments).last_day == date(2028, 6, 30)


def test_a_nomination_counts_against_the_cap_in_force_on_its_date(world):
    from liaison.core.errors import Conflict
    from liaison.directory.models import Person

    agreement = amended(world)
    people = [
        Person.objects.create(
            agency=world.agencies["BCA"],
            given_name="Agent",
            family_name=f"Number{i}",
            active_from=date(2020, 1, 1),
        )
        for i in range(5)
    ]
    for person in people[:4]:
        services.agreement_nominate_person(
            actor=None,
            agreement=agreement,
            person=person,
            function="TFO",
            nominated_on=date(2026, 12, 1),
        )
    with pytest.raises(Conflict, match="at most 4"):
        services.agreement_nominate_person(
            actor=None,
            agreement=agreement,
            person=people[4],
            function="TFO",
            nominated_on=date(2026, 12, 1),
        )
    services.agreement_nominate_person(
        actor=None,
        agreement=agreement,
        person=people[4],
        function="TFO",
        nominated_on=date(2027, 3, 1),
    )


# --- termination that takes effect later ------------------------------------------------


def terminating(world):
    """Active; notice given Nov 25, 2026 with 30 days' notice: terminates Dec 25, 2026."""
    with at(date(2026, 12, 1)):
        agreement = world.active(termination_notice_days=30)
        services.agreement_terminate(
            actor=world.users["counsel"],
            agreement=agreement,
            reason="The program ends.",
            notice_date=date(2026, 11, 25),
        )
    agreement.refresh_from_db()
    assert agreement.terminated_on == date(2026, 12, 25)
    return agreement


def test_a_pending_termination_reads_terminates_on_its_date_until_then(world, client_as):
    agreement = terminating(world)
    client = client_as("coordinator")
    with at(date(2026, 12, 1)):
        page = client.get(f"/agreements/{agreement.pk}/").content.decode()
        listing = client.get("/agreements/").content.decode()
    badge = text(page[page.index('data-testid="status"') :].split("</span>")[0])
    assert "Terminates Dec 25, 2026" in badge
    assert "Terminated" not in badge
    assert "Terminates Dec 25, 2026" in text(page[page.index('data-testid="termination"') :])
    last_day = text(page[page.index('data-testid="last-day"') :].split("</td>")[0])
    assert "Dec 24, 2026" in last_day
    assert "Terminates Dec 25, 2026" in text(listing)
    with at(date(2026, 12, 25)):
        page = client_as("coordinator").get(f"/agreements/{agreement.pk}/").content.decode()
    assert page[page.index('data-testid="status"') :].split("</span>")[0].endswith("Terminated")


def test_a_pending_termination_is_in_the_ending_within_90_days_list(world, client_as):
    agreement = terminating(world)
    later = world.active(title="Runs for years", expiry_date=date(2030, 1, 1))
    with at(date(2026, 12, 1)):
        page = client_as("coordinator").get("/agreements/?expiring_within=90").content.decode()
    assert agreement.title in page
    assert later.title not in page
    with at(date(2026, 12, 25)):
        page = client_as("coordinator").get("/agreements/?expiring_within=90").content.decode()
    assert agreement.title not in page


def test_the_badge_agrees_with_the_coverage_answer(world):
    agreement = terminating(world)
    asked = {"agency": world.agencies["BCA"], "activity": world.activity("training")}
    assert coverage(on=date(2026, 12, 24), **asked).covered
    assert agreement.termination_pending_on(date(2026, 12, 24))
    assert not coverage(on=date(2026, 12, 25), **asked).covered
    assert not agreement.termination_pending_on(date(2026, 12, 25))


# --- signatures ---------------------------------------------------------------------------


def sign(world, actor, agreement, abbr, **extra):
    return services.agreement_record_signature(
        actor=world.users[actor] if actor else None,
        agreement=agreement,
        agency=world.agencies[abbr],
        name="Signing Official",
        title="Director",
        signed_on=date(2026, 11, 30),
        **extra,
    )


def signed_copy(world, agreement):
    return services.agreement_document_upload(
        actor=None,
        agreement=agreement,
        upload=SimpleUploadedFile("signed-hsi.pdf", PDF, content_type="application/pdf"),
        title="Signed MOU",
    )


def test_a_party_signs_once_and_signed_for_offers_only_parties_that_have_not(world, client_as):
    agreement = world.approved()
    sign(world, "coordinator", agreement, "BCA")
    with pytest.raises(ServiceError) as refused:
        sign(world, "coordinator", agreement, "BCA")
    assert refused.value.code == "already_signed"
    assert "already signed" in refused.value.fields["agency"][0]
    assert Signatory.objects.filter(agreement=agreement).count() == 1
    page = client_as("coordinator").get(f"/agreements/{agreement.pk}/sign/").content.decode()
    choices = page[page.index('name="agency"') :].split("</select>")[0]
    assert "HSI Agency" in choices
    assert "BCA Agency" not in choices


def test_the_database_refuses_a_second_signature_for_a_party(world):
    agreement = world.approved()
    fields = {"agreement": agreement, "agency": world.agencies["BCA"], "name": "A", "title": "B"}
    Signatory.objects.create(signed_on=date(2026, 11, 1), **fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        Signatory.objects.create(signed_on=date(2026, 11, 2), **fields)


def test_the_other_partys_signature_needs_the_signed_document(world):
    agreement = world.approved()
    with pytest.raises(ServiceError) as refused:
        sign(world, "coordinator", agreement, "HSI")
    assert refused.value.code == "signed_copy_required"
    assert "signed_copy" in refused.value.fields
    copy = signed_copy(world, agreement)
    signature = sign(world, "coordinator", agreement, "HSI", signed_copy=copy)
    assert (signature.signed_copy, signature.recorded_by) == (copy, world.users["coordinator"])


def test_a_parent_agencys_user_signs_for_its_sub_agency_without_a_copy(world):
    agreement = world.approved()  # BCA is a sub-agency of DPS, the admin's agency
    assert sign(world, "admin", agreement, "BCA").signed_copy is None


def test_a_signed_copy_of_another_agreement_is_refused(world):
    agreement, other = world.approved(), world.approved()
    with pytest.raises(ServiceError) as refused:
        sign(world, "coordinator", agreement, "HSI", signed_copy=signed_copy(world, other))
    assert "signed_copy" in refused.value.fields


def test_the_signature_page_asks_for_the_signed_document_beside_the_field(world, client_as):
    agreement = world.approved()
    copy = signed_copy(world, agreement)
    client = client_as("coordinator")
    form = {"agency": world.agencies["HSI"].pk, "name": "A. Fed", "title": "SAC"}
    form["signed_on"] = "2026-11-30"
    page = client.get(f"/agreements/{agreement.pk}/sign/").content.decode()
    assert "Signed MOU — version 1" in page
    assert "signed-hsi.pdf" in page
    response = client.post(f"/agreements/{agreement.pk}/sign/", form)
    assert response.status_code == 400
    assert "You do not work for HSI Agency" in response.content.decode()
    response = client.post(f"/agreements/{agreement.pk}/sign/", {**form, "signed_copy": copy.pk})
    assert response.status_code == 302
    assert Signatory.objects.get(agreement=agreement).signed_copy == copy


def test_the_api_records_a_signature_on_behalf_with_the_signed_copy(world, api_as):
    agreement = world.approved()
    copy = signed_copy(world, agreement)
    api = api_as("coordinator")
    body = {"agency_id": world.agencies["HSI"].pk, "name": "A", "title": "B"}
    body["signed_on"] = "2026-11-30"
    url = f"/api/v1/agreements/{agreement.pk}/signatures"
    refused = api.post(url, body, content_type="application/json")
    assert refused.status_code == 400
    done = api.post(url, {**body, "signed_copy_id": copy.pk}, content_type="application/json")
    assert done.status_code == 200
    again = api.post(url, {**body, "signed_copy_id": copy.pk}, content_type="application/json")
    assert again.status_code == 400
    assert Signatory.objects.filter(agreement=agreement).count() == 1


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_signers_for_one_party_produce_one_signature(world):
    agreement = world.approved()
    start = threading.Barrier(4)
    outcomes: list[str] = []

    def signer() -> None:
        try:
            start.wait()
            sign(world, "coordinator", agreement, "BCA")
            outcomes.append("signed")
        except ServiceError as exc:
            outcomes.append(exc.code)
        except IntegrityError:
            outcomes.append("integrity")
        finally:
            connection.close()

    threads = [threading.Thread(target=signer) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["already_signed"] * 3 + ["signed"]
    assert Signatory.objects.filter(agreement=agreement).count() == 1
    assert Agreement.objects.get(pk=agreement.pk).status == Agreement.Status.LEGAL_REVIEW


def test_new_version_of_tells_documents_with_the_same_title_apart(world, client_as):
    agreement = world.active()
    for name in ("first.pdf", "second.pdf", "third.pdf"):
        services.agreement_document_upload(
            actor=None,
            agreement=agreement,
            upload=SimpleUploadedFile(name, PDF, content_type="application/pdf"),
            title="Signed MOU",
        )
    page = client_as("coordinator").get(f"/agreements/{agreement.pk}/documents/new/")
    picker = page.content.decode().split('name="document"')[1].split("</select>")[0]
    labels = [o.split(">", 1)[1] for o in picker.split("</option>")[1:-1]]
    assert len(labels) == 3
    assert len(set(labels)) == 3
    assert all("version 1" in label for label in labels)
    assert any("second.pdf" in label for label in labels)


# --- the coverage page speaks in labels and restates the question ---------------------------


def test_the_coverage_page_restates_the_question_and_names_items_by_their_labels(world, client_as):
    world.active()
    response = client_as("coordinator").get(
        "/agreements/coverage/",
        {
            "agency": world.agencies["BCA"].pk,
            "with_agency": world.agencies["HSI"].pk,
            "activity": world.activity("joint_investigation").pk,
            "on": "2025-06-01",
        },
    )
    page = text(response.content.decode())
    assert (
        "Is BCA Agency together with HSI Agency covered for Joint criminal investigation "
        "(activity) on Jun 1, 2025?" in page
    )
    assert "Yes: covered on Jun 1, 2025." in page
    assert "Joint criminal investigation: Agreement" in page
    assert "joint_investigation" not in page


def test_the_coverage_pickers_each_have_a_row_of_their_own(world, client_as):
    page = client_as("coordinator").get("/agreements/coverage/").content.decode()
    form = page[page.index('data-testid="coverage-form"') :].split("</form>")[0]
    assert "grid-col" not in form


# --- the legal library refuses impossible authorities -----------------------------------------


def authority(**extra):
    values = {
        "citation": "Ramsey County Ord. 2026-1",
        "title": "Detainer policy",
        "jurisdiction_code": "MN",
        "kind": "ordinance",
        "summary": "What the county does with detainers.",
    }
    values.update(extra)
    return services.legal_authority_create(actor=None, fields=services.AuthorityFields(**values))


def test_an_authority_cannot_be_repealed_before_it_takes_effect(world):
    with pytest.raises(ServiceError) as refused:
        authority(effective_date=date(2026, 1, 1), repealed_on=date(2025, 12, 31))
    assert refused.value.fields["repealed_on"] == [
        "An authority cannot be repealed before it takes effect: "
        "give a repeal date on or after its effective date."
    ]
    assert authority(effective_date=date(2026, 1, 1), repealed_on=date(2026, 1, 1)).pk


def test_the_database_refuses_a_repeal_before_the_effective_date(world):
    from liaison.agreements.models import LegalAuthority

    with pytest.raises(IntegrityError), transaction.atomic():
        LegalAuthority.objects.create(
            citation="X",
            title="X",
            jurisdiction_code="MN",
            kind="statute",
            summary="X",
            effective_date=date(2026, 1, 1),
            repealed_on=date(2025, 1, 1),
        )


def test_an_authoritys_law_must_fit_its_issuing_county(world):
    from liaison.directory.models import Jurisdiction

    mn = Jurisdiction.objects.get(name="Minnesota")
    ramsey = Jurisdiction.objects.create(name="Ramsey County", kind="county", state="MN", parent=mn)
    for law in ("WI", "US"):
        with pytest.raises(ServiceError) as refused:
            authority(jurisdiction_code=law, jurisdiction=ramsey)
        assert "Ramsey County does not issue" in refused.value.fields["jurisdiction"][0]
    assert authority(jurisdiction=ramsey).jurisdiction == ramsey


# --- risky defaults ------------------------------------------------------------------------


def test_a_new_agreements_type_starts_empty_and_must_be_chosen(world, client_as):
    client = client_as("coordinator")
    page = client.get("/agreements/new/").content.decode()
    picker = page[page.index('name="kind"') :].split("</select>")[0]
    assert '<option value="" selected>Choose a type</option>' in picker
    response = client.post(
        "/agreements/new/", {"title": "No type chosen", "grant_clause": "Art. I"}
    )
    assert "Choose the type of agreement." in response.content.decode()
    assert not Agreement.objects.filter(title="No type chosen").exists()
