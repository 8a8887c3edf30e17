"""The home page gives each role its queue, with counts that match the lists they open,
in a constant number of queries; its module cards and the navigation offer the same."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from liaison.agreements import services
from liaison.core import queues
from liaison.directory.queues import PERSONNEL_CHANGES


def cards(client) -> dict[str, str]:
    """Each queue card's key and its text (tags dropped, spaces collapsed)."""
    html = client.get("/").content.decode()
    found = re.findall(r'data-testid="queue-([\w.]+)">(.*?)</li>', html, re.S)
    return {key: " ".join(re.sub(r"<[^>]+>", " ", body).split()) for key, body in found}


def listed(client, stage: str) -> int:
    html = client.get(f"/agreements/?stage={stage}").content.decode()
    return int(re.search(r'data-testid="result-count">(\d+) agreement', html).group(1))


def returned_draft(world):
    draft = world.draft()
    services.agreement_submit_for_review(actor=None, agreement=draft)
    services.agreement_review(actor=None, agreement=draft, approve=False, notes="Cite the statute.")
    return draft


def awaiting_hsi(world):
    agreement = world.approved()
    services.agreement_record_signature(
        actor=None,
        agreement=agreement,
        agency=world.agencies["BCA"],
        name="Superintendent",
        title="Superintendent",
        signed_on=timezone.localdate(),
    )
    return agreement


def ending_soon(world):
    return world.active(expiry_date=timezone.localdate() + timedelta(days=60))


def report_due(world):
    agreement = world.active()
    services.agreement_reporting_obligation_add(
        actor=None,
        agreement=agreement,
        description="Quarterly activity report",
        frequency="quarterly",
        recipient=world.agencies["HSI"],
        first_due_on=timezone.localdate() + timedelta(days=10),
    )
    return agreement


def test_counsel_sees_the_agreements_awaiting_legal_review(world, client_as):
    for _ in range(2):
        services.agreement_submit_for_review(actor=None, agreement=world.draft())
    world.approved()  # approved already: no longer waits for counsel
    client = client_as("counsel")
    found = cards(client)
    assert list(found) == ["agreements.awaiting_review"]
    assert "Awaiting your legal review 2" in found["agreements.awaiting_review"]
    assert listed(client, "awaiting_review") == 2


def test_a_coordinator_sees_returned_drafts_signatures_endings_and_reports(world, client_as):
    returned_draft(world)
    awaiting_hsi(world)
    ending_soon(world)
    report_due(world)
    world.active(expiry_date=date(2030, 1, 1))  # nothing waits on this one
    client = client_as("coordinator")
    found = cards(client)
    assert list(found) == [
        "agreements.returned",
        "agreements.awaiting_signature",
        "agreements.ending",
        "agreements.reports_due",
    ]
    for stage in ("returned", "awaiting_signature", "ending", "reports_due"):
        assert found[f"agreements.{stage}"].split(" Open the list")[0].endswith(" 1"), stage
        assert listed(client, stage) == 1, stage


def test_a_coordinator_whose_agency_is_no_party_has_empty_queues(world, client_as):
    returned_draft(world)
    awaiting_hsi(world)
    found = cards(client_as("local_coordinator"))
    assert found["agreements.returned"].startswith("Returned by counsel 0 Counsel has returned")
    assert "agreements.awaiting_review" not in found


def test_a_pending_termination_is_in_the_coordinators_ending_queue(world, client_as):
    agreement = world.active(termination_notice_days=30)
    services.agreement_terminate(
        actor=None, agreement=agreement, reason="Ends", notice_date=timezone.localdate()
    )
    client = client_as("coordinator")
    assert cards(client)["agreements.ending"].startswith("Expiring or terminating within 90 days 1")
    assert agreement.title in client.get("/agreements/?stage=ending").content.decode()


def test_a_supervisor_has_an_empty_personnel_queue_that_later_modules_fill(world, client_as):
    client = client_as("supervisor")
    found = cards(client)
    assert found[PERSONNEL_CHANGES] == (
        "Personnel changes to approve 0 No personnel change waits for your approval."
    )

    def three(user, today):
        return 3

    queues.contribute(PERSONNEL_CHANGES)(three)
    try:
        assert cards(client)[PERSONNEL_CHANGES] == "Personnel changes to approve 3"
    finally:
        queues._counters[PERSONNEL_CHANGES].remove(three)


def test_oversight_sees_the_latest_checkpoint_and_whether_it_verifies(world, client_as):
    from liaison.ledger.services import checkpoint_issue

    client = client_as("oversight")
    assert "No checkpoint is signed yet" in cards(client)["ledger.checkpoint"]
    issued = checkpoint_issue()
    world.draft()  # one more entry after the checkpoint
    text = cards(client)["ledger.checkpoint"]
    assert f"Latest checkpoint: {issued.size} entries" in text
    assert "Verified: its signature checks and the stored tree has its root." in text
    assert "entries since, not yet signed" in text


def test_a_tampered_checkpoint_is_not_shown_as_verified(world, client_as):
    from liaison.ledger.models import Checkpoint
    from liaison.ledger.services import checkpoint_issue

    world.draft()
    issued = checkpoint_issue()
    world.draft()
    # A forged checkpoint (the table is append-only): a later size, the old signed note.
    Checkpoint.objects.create(
        size=issued.size + 1,
        root_hash=b"\0" * 32,
        issued_at=issued.issued_at,
        key_id=issued.key_id,
        note=issued.note,
    )
    text = cards(client_as("oversight"))["ledger.checkpoint"]
    assert "Not verified" in text


@pytest.mark.parametrize("persona", ["coordinator", "counsel", "oversight", "supervisor"])
def test_the_home_page_query_count_does_not_grow_with_the_queues(world, client_as, persona):
    client = client_as(persona)

    def one_of_each() -> None:
        returned_draft(world)
        awaiting_hsi(world)
        ending_soon(world)
        report_due(world)
        services.agreement_submit_for_review(actor=None, agreement=world.draft())

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/").status_code == 200
        return len(captured)

    one_of_each()
    client.get("/")
    before = queries()
    for _ in range(3):
        one_of_each()
    assert queries() == before


@pytest.mark.parametrize(
    "persona", ["coordinator", "counsel", "supervisor", "oversight", "admin", "partner", "officer"]
)
def test_module_cards_and_the_navigation_offer_the_same_pages(world, client_as, persona):
    html = client_as(persona).get("/").content.decode()
    nav = html[html.index('aria-label="Primary navigation"') :].split("</ul>")[0]
    nav_links = set(re.findall(r'class="usa-nav-link[^"]*" href="([^"]+)"', nav))
    modules = html[html.index('data-testid="dashboard-modules"') :].split("</ul>")[0]
    card_links = set(re.findall(r'href="([^"]+)"', modules))
    assert nav_links - {"/", "/accounts/me/"} == card_links
