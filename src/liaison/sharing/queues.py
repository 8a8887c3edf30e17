"""The sharing cards on the home page: the privacy officer's review queue (requests of the
custodian side waiting for review, urgent first), data-subject requests and disclosures due
for review; and a partner's requests waiting for an answer. Each card counts the same
query its list shows."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.urls import reverse

from liaison.core import queues
from liaison.core.roles import Role
from liaison.sharing import selectors_subjects as subjects
from liaison.sharing.models import SharingRequest
from liaison.sharing.selectors import request_list_for_user, review_queue_for_user


@queues.register(Role.PRIVACY_OFFICER)
def privacy_officer_queues(user: Any, today: date) -> list[queues.Card]:
    return [
        queues.Card(
            key="sharing.awaiting_review",
            title="Sharing requests to review",
            url=reverse("sharing:review_queue"),
            count=review_queue_for_user(user=user).count(),
            empty="No sharing request waits for your review.",
            order=5,
        )
    ]


@queues.register(Role.PRIVACY_OFFICER)
def subject_request_queues(user: Any, today: date) -> list[queues.Card]:
    return [
        queues.Card(
            key="sharing.data_subject_requests",
            title="Data-subject requests to answer",
            url=reverse("sharing_subjects:index"),
            count=subjects.subject_request_due_list(user=user).count(),
            empty="No data-subject request is open.",
            order=30,
        ),
        queues.Card(
            key="sharing.disclosure_reviews",
            title="Disclosures due for review (28 C.F.R. 23)",
            url=reverse("sharing_subjects:reviews"),
            count=subjects.disclosure_review_list_for_user(user=user, pending=True).count(),
            empty="No disclosure is due for review.",
            order=31,
        ),
    ]


@queues.register(Role.PARTNER)
def partner_queues(user: Any, today: date) -> list[queues.Card]:
    waiting = SharingRequest.Status.AWAITING_REVIEW
    return [
        queues.Card(
            key="sharing.partner_waiting",
            title="Your requests waiting for review",
            url=f"{reverse('sharing:request_list')}?status={waiting.value}",
            count=request_list_for_user(user=user, status=waiting).count(),
            empty="None of your agency's requests waits for review.",
            order=5,
        )
    ]
