"""Oversight's card on the home page: the latest checkpoint and whether it checks."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.urls import reverse

from liaison.core import queues
from liaison.core.dates import when_text
from liaison.core.roles import Role
from liaison.ledger.selectors import checkpoint_status


@queues.register(Role.OVERSIGHT)
def oversight_queues(user: Any, today: date) -> list[queues.Card]:
    status = checkpoint_status()
    checkpoint = status.checkpoint
    if checkpoint is None:
        text = f"No checkpoint is signed yet; the ledger holds {status.entries} entries."
    else:
        signed = (
            f"Latest checkpoint: {checkpoint.size} entries, signed "
            f"{when_text(checkpoint.issued_at)}."
        )
        if status.verified:
            check = "Verified: its signature checks and the stored tree has its root."
        elif not status.signature_ok:
            check = "Not verified: its signature does not check with this ledger's key."
        else:
            check = "Not verified: the stored tree's root differs from the signed root."
        later = f" {status.since} entries since, not yet signed." if status.since else ""
        text = f"{signed} {check}{later}"
    return [
        queues.Card(
            key="ledger.checkpoint",
            title="Ledger checkpoint",
            url=reverse("ledger:checkpoint_list"),
            status=text,
            problem=checkpoint is None or not status.verified,
            order=10,
        )
    ]
