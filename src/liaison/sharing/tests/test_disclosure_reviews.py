"""28 C.F.R. 23.20(h) reviews: flagged once when due, the privacy officer notified, and
the outcome recorded — retained with a new date within five years, or purged."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.test import Client

from liaison.core.errors import Conflict, PermissionDenied, ServiceError
from liaison.ledger.models import Entry
from liaison.notifications.models import Notification
from liaison.sharing import selectors_subjects as sel
from liaison.sharing import services_subjects as svc
from liaison.sharing.models import DisclosureReview
from liaison.sharing.tests import subject_fixtures

subjects = subject_fixtures.subjects
TODAY = date(2026, 12, 1)


def test_flagging_is_idempotent_and_notifies_the_custodians_privacy_officers(subjects):
    due = subjects.disclosure(review_due=TODAY)
    subjects.disclosure(review_due=date(2026, 12, 2))  # not yet
    subjects.disclosure()  # no review due

    assert svc.disclosure_reviews_flag(today=TODAY) == 1
    assert svc.disclosure_reviews_flag(today=TODAY) == 0

    review = DisclosureReview.objects.get()
    assert (review.disclosure, review.due_on, review.flagged_on) == (due, TODAY, TODAY)
    assert review.pending
    notes = Notification.objects.all()
    assert [n.recipient.username for n in notes] == ["privacy"]  # DPS is above BCA
    assert notes[0].url == f"/sharing/reviews/{review.pk}/"
    assert Entry.objects.filter(action="disclosure_review.flag").count() == 1


@time_machine.travel("2026-12-01 15:00Z", tick=False)
def test_retaining_sets_the_next_review_within_five_years(subjects):
    disclosure = subjects.disclosure(review_due=TODAY)
    svc.disclosure_reviews_flag(today=TODAY)
    review = DisclosureReview.objects.get()
    officer = subjects.u["privacy"]
    with pytest.raises(ServiceError) as refused:
        svc.disclosure_review_record(
            actor=officer,
            review=review,
            outcome="retain",
            justification="Still tied to an open trafficking case.",
            next_review_due=date(2031, 12, 2),
        )
    assert list(refused.value.fields) == ["next_review_due"]
    done = svc.disclosure_review_record(
        actor=officer,
        review=review,
        outcome="retain",
        justification="Still tied to an open trafficking case.",
    )
    disclosure.refresh_from_db()
    assert done.next_review_due == date(2031, 12, 1)
    assert disclosure.review_due == date(2031, 12, 1)
    with pytest.raises(Conflict):
        svc.disclosure_review_record(
            actor=officer, review=review, outcome="purge", justification="Again"
        )
    # The next review is flagged again when its own date comes.
    assert svc.disclosure_reviews_flag(today=date(2031, 12, 1)) == 1


@time_machine.travel("2026-12-01 15:00Z", tick=False)
def test_purging_marks_the_disclosure_purged_and_ends_its_reviews(subjects):
    disclosure = subjects.disclosure(review_due=TODAY)
    svc.disclosure_reviews_flag(today=TODAY)
    review = svc.disclosure_review_record(
        actor=subjects.u["privacy"],
        review=DisclosureReview.objects.get(),
        outcome="purge",
        justification="No longer tied to criminal conduct.",
    )
    disclosure.refresh_from_db()
    assert review.outcome == "purge"
    assert disclosure.review_due is None
    assert Entry.objects.filter(action="disclosure_review.purge").count() == 1
    assert svc.disclosure_reviews_flag(today=date(2031, 12, 1)) == 0


def test_only_the_custodians_privacy_officer_records_a_review(subjects):
    subjects.disclosure(review_due=TODAY)
    svc.disclosure_reviews_flag(today=TODAY)
    review = DisclosureReview.objects.get()
    for name in ("local_privacy", "oversight", "partner"):
        with pytest.raises(PermissionDenied):
            svc.disclosure_review_record(
                actor=subjects.u[name], review=review, outcome="purge", justification="x"
            )
    assert not sel.disclosure_review_list_for_user(user=subjects.u["partner"]).exists()
    assert sel.disclosure_review_list_for_user(user=subjects.u["oversight"]).count() == 1


@time_machine.travel("2026-12-01 15:00Z", tick=False)
def test_the_review_pages_list_and_record_a_review(subjects):
    subjects.disclosure(review_due=date(2026, 11, 2))
    svc.disclosure_reviews_flag(today=TODAY)
    review = DisclosureReview.objects.get()
    client = Client()
    client.force_login(subjects.u["privacy"])
    listing = client.get("/sharing/reviews/").content.decode()
    assert review.disclosure.request.reference in listing
    assert "Overdue" in listing
    answer = client.post(
        f"/sharing/reviews/{review.pk}/record/",
        {"outcome": "purge", "justification": "Not validated."},
    )
    assert answer.status_code == 302
    assert "Purged" in client.get(f"/sharing/reviews/{review.pk}/").content.decode()
