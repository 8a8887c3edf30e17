"""Who hears of each lifecycle step, told through the notifications service after commit.

=====================  ============================================================
step                   told
=====================  ============================================================
sent to legal review   legal counsel of the owning party
returned by counsel    coordinators of the owning party
approved by counsel    coordinators of every party
signed by a party      coordinators of every party
activated, reinstated  coordinators of every party
suspended, terminated  coordinators of every party
=====================  ============================================================

A user is "of" an agency when it is among their own agencies — their agency and its
sub-agencies (:func:`liaison.directory.scope.own_agency_ids`): the coordinator of a
department hears of its bureau's agreements, as they may act on them. Only active
accounts that may see the agreement are told, and never the person who took the step.
Each notification's key names the ledger entry of the step, so each step is told
once; nothing is sent when the transaction rolls back. Counsel's notes and reasons
stay on the agreement's page (free text is not copied into messages).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse

from liaison.agreements.models import Agreement, AgreementParty
from liaison.agreements.selectors import agreement_scope_q
from liaison.core.roles import Role
from liaison.directory.models import Agency
from liaison.notifications.services import notification_send

if TYPE_CHECKING:
    from liaison.accounts.models import User
    from liaison.ledger.models import Entry

OWNER = "owner"
PARTIES = "parties"


def _with_parents(agency_ids: Iterable[int]) -> set[int]:
    """``agency_ids`` and every agency above them (whose own agencies include them)."""
    found: set[int] = set()
    frontier = {pk for pk in agency_ids if pk is not None}
    while frontier:
        found |= frontier
        frontier = {
            parent
            for parent in Agency.objects.filter(pk__in=frontier, parent__isnull=False).values_list(
                "parent_id", flat=True
            )
            if parent not in found
        }
    return found


def recipients(agreement: Agreement, *, role: Role, of: str, actor: User | None) -> list[User]:
    """Active users of ``role`` of the owning party (``of=OWNER``) or of any party or the
    owner (``of=PARTIES``), who may see ``agreement``; the ``actor`` left out."""
    agency_ids = {agreement.owner_agency_id}
    if of == PARTIES:
        agency_ids |= set(
            AgreementParty.objects.filter(agreement=agreement).values_list("agency_id", flat=True)
        )
    users = get_user_model().objects.filter(
        role=role, is_active=True, agency_id__in=_with_parents(agency_ids)
    )
    if actor is not None:
        users = users.exclude(pk=actor.pk)
    return [
        user
        for user in users.order_by("pk")
        if Agreement.objects.filter(agreement_scope_q(user), pk=agreement.pk).exists()
    ]


def notify_after_commit(
    *,
    agreement: Agreement,
    entry: Entry,
    actor: User | None,
    role: Role,
    of: str,
    subject: str,
    body: str,
) -> None:
    """Once the step's transaction commits, notify (and e-mail) whoever must act on it."""
    pk, key = agreement.pk, f"agreement:{agreement.pk}:{entry.action}:{entry.pk}"
    url = reverse("agreements:detail", args=[pk])

    def send() -> None:
        committed = Agreement.objects.filter(pk=pk).first()
        if committed is None:
            return
        notification_send(
            recipients=recipients(committed, role=role, of=of, actor=actor),
            key=key,
            subject=subject,
            body=body,
            url=url,
        )

    transaction.on_commit(send)
