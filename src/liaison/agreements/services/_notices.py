"""Who hears of each lifecycle step, told through the notifications service after commit.

:data:`NOTICES` is the table: for each step, named by its ledger action, the role told,
of which agencies (``OWNER``, the owning party; ``PARTIES``, the owning party and every
party), and the subject and body they read. A service appends the step's ledger entry
and hands it to :func:`notify_after_commit` with the step's own facts; a new step that
tells someone adds a line to the table.

A user is "of" an agency when it is among their own agencies — their agency and its
sub-agencies (:func:`liaison.directory.scope.own_agency_ids`): the coordinator of a
department hears of its bureau's agreements, as they may act on them. Only active
accounts that may see the agreement are told, and never the person who took the step.
Each notification's key names the ledger entry of the step, so each step is told
once; nothing is sent when the transaction rolls back. Counsel's notes and reasons
stay on the agreement's page (free text is not copied into messages).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

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


@dataclass(frozen=True, kw_only=True)
class Notice:
    """Who hears of one step and what they read. ``subject`` and ``body`` are
    :meth:`str.format` templates over ``{pk}`` and ``{title}`` of the agreement and the
    facts the step's service passes (named in the comment beside each line)."""

    role: Role
    of: str
    subject: str
    body: str


NOTICES: Final[Mapping[str, Notice]] = {
    "agreement.submit_for_review": Notice(
        role=Role.LEGAL_COUNSEL,
        of=OWNER,
        subject="Agreement #{pk} awaits your legal review",
        body=(
            "“{title}” was sent to legal review. Approve its text, or return it to the "
            "drafters with notes."
        ),
    ),
    "agreement.return_to_draft": Notice(
        role=Role.COORDINATOR,
        of=OWNER,
        subject="Agreement #{pk} was returned by counsel",
        body="Counsel returned “{title}” to draft. Their notes are on the agreement's page.",
    ),
    "agreement.approve": Notice(
        role=Role.COORDINATOR,
        of=PARTIES,
        subject="Agreement #{pk} approved by counsel",
        body="Counsel approved the text of “{title}”. Each party's signature can now be recorded.",
    ),
    # party: the signing agency's name; party_short: its abbreviation, else its name;
    # waiting: who is still to sign, or that every party has.
    "agreement.sign": Notice(
        role=Role.COORDINATOR,
        of=PARTIES,
        subject="Agreement #{pk} signed by {party_short}",
        body="{party} signed “{title}”. {waiting}",
    ),
    # from_day: the day the activation takes effect.
    "agreement.activate": Notice(
        role=Role.COORDINATOR,
        of=PARTIES,
        subject="Agreement #{pk} is in force",
        body="“{title}” is active from {from_day}.",
    ),
    "agreement.suspend": Notice(
        role=Role.COORDINATOR,
        of=PARTIES,
        subject="Agreement #{pk} is suspended",
        body=(
            "“{title}” is suspended from today: nothing is covered by it until it is "
            "reinstated. The reason is on the agreement's page."
        ),
    ),
    "agreement.reinstate": Notice(
        role=Role.COORDINATOR,
        of=PARTIES,
        subject="Agreement #{pk} is in force again",
        body="The suspension of “{title}” was lifted from today.",
    ),
    # until: the last day the agreement stays in force.
    "agreement.terminate": Notice(
        role=Role.COORDINATOR,
        of=PARTIES,
        subject="Agreement #{pk} is terminated",
        body=(
            "“{title}” was terminated on written notice; it stays in force until {until}. "
            "The reason is on the agreement's page."
        ),
    ),
}


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
    *, agreement: Agreement, entry: Entry, actor: User | None, **facts: str
) -> None:
    """Once the step's transaction commits, notify (and e-mail) whoever :data:`NOTICES`
    names for ``entry``'s action, its subject and body filled in now from ``agreement``
    and ``facts``."""
    notice = NOTICES[entry.action]
    values = {"pk": agreement.pk, "title": agreement.title, **facts}
    subject, body = notice.subject.format(**values), notice.body.format(**values)
    pk, key = agreement.pk, f"agreement:{agreement.pk}:{entry.action}:{entry.pk}"
    url = reverse("agreements:detail", args=[pk])

    def send() -> None:
        committed = Agreement.objects.filter(pk=pk).first()
        if committed is None:
            return
        notification_send(
            recipients=recipients(committed, role=notice.role, of=notice.of, actor=actor),
            key=key,
            subject=subject,
            body=body,
            url=url,
        )

    transaction.on_commit(send)
