"""The supervisor's card on the home page: personnel changes to approve.

The directory holds the people; the modules that propose changes to them (training,
assignments under operations) add their counts with ``queues.contribute(KEY)``. Until
one does, the card says that nothing waits.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from liaison.core import queues
from liaison.core.roles import Role

PERSONNEL_CHANGES = "directory.personnel_changes"


@queues.register(Role.SUPERVISOR)
def supervisor_queues(user: Any, today: date) -> list[queues.Card]:
    return [
        queues.Card(
            key=PERSONNEL_CHANGES,
            title="Personnel changes to approve",
            url=None,
            count=queues.contributions(PERSONNEL_CHANGES, user, today),
            empty="No personnel change waits for your approval.",
            order=10,
        )
    ]
