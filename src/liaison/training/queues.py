"""Training's cards on a supervisor's home page: completions of their people waiting for
verification, and their people on task forces whose training expires within 30 days or
has expired. Each card counts :func:`selectors.supervisor_queue`, the lists the training
queue page (``/training/queue/``) shows. (Overrides are granted by supervisors
directly, so no override request waits in a queue.)"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.urls import reverse

from liaison.core import queues
from liaison.core.roles import Role
from liaison.training.selectors import supervisor_queue


@queues.register(Role.SUPERVISOR)
def supervisor_queues(user: Any, today: date) -> list[queues.Card]:
    found = supervisor_queue(user=user, today=today)
    url = reverse("training:queue")
    return [
        queues.Card(
            key="training.unverified",
            title="Training completions to verify",
            url=f"{url}#unverified",
            count=len(found.unverified),
            empty="No completion of your people waits for verification.",
            order=20,
        ),
        queues.Card(
            key="training.expiring",
            title="People whose training expires within 30 days",
            url=f"{url}#expiring",
            count=len(found.expiring),
            empty="None of your people's required training expires in the next 30 days.",
            order=21,
        ),
        queues.Card(
            key="training.expired",
            title="People whose required training has expired",
            url=f"{url}#expired",
            count=len(found.expired),
            empty="None of your people's required training has expired.",
            problem=bool(found.expired),
            order=22,
        ),
    ]
