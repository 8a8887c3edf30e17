"""The sharing cards on a privacy officer's home page. Each card counts the query its list
page shows."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.urls import reverse

from liaison.core import queues
from liaison.core.roles import Role
from liaison.sharing import selectors_subjects as subjects


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
