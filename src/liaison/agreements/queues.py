"""The agreements' cards on the home page: counsel's reviews, a coordinator's drafts,
signatures, endings and reports. Each card counts :func:`agreement_queue_for_user`,
the same query its list (``/agreements/?stage=<key>``) shows."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.urls import reverse

from liaison.agreements.selectors import QUEUE_STAGES, agreement_queue_for_user
from liaison.core import queues
from liaison.core.roles import Role

_EMPTY = {
    "awaiting_review": "No agreement waits for legal review.",
    "returned": "Counsel has returned none of your drafts.",
    "awaiting_signature": "No approved agreement waits for another party's signature.",
    "ending": "None of your agreements ends in the next 90 days.",
    "reports_due": "No report is due in the next 30 days.",
}


def _card(user: Any, today: date, stage: str, order: int) -> queues.Card:
    return queues.Card(
        key=f"agreements.{stage}",
        title=QUEUE_STAGES[stage],
        url=f"{reverse('agreements:list')}?stage={stage}",
        count=agreement_queue_for_user(user=user, stage=stage, today=today).count(),
        empty=_EMPTY[stage],
        order=order,
    )


@queues.register(Role.LEGAL_COUNSEL)
def counsel_queues(user: Any, today: date) -> list[queues.Card]:
    return [_card(user, today, "awaiting_review", 10)]


@queues.register(Role.COORDINATOR)
def coordinator_queues(user: Any, today: date) -> list[queues.Card]:
    stages = ("returned", "awaiting_signature", "ending", "reports_due")
    return [_card(user, today, stage, 10 + i) for i, stage in enumerate(stages)]
