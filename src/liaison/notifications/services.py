"""Writes of notifications: sending (a system action) and marking read (the recipient's).

Sending is idempotent per (recipient, key): the key names the event, so a periodic
job may call :func:`notification_send` on every run and each person still hears
about each event once. Email goes out only after the transaction commits; each notification's
email is claimed with a conditional update so that two processes never send it at
once, and is marked sent only once the mail server accepted it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from liaison.core.errors import ServiceError
from liaison.ledger.services import ledger_append
from liaison.notifications.models import Notification
from liaison.notifications.selectors import notification_get_for_user

logger = logging.getLogger(__name__)


def notification_send(
    *,
    recipients: Iterable[AbstractUser],
    key: str,
    subject: str,
    body: str,
    url: str = "",
    email: bool = True,
) -> int:
    """Notify each recipient once per ``key``; return how many notifications are new.

    Recipients who already have a notification with this key are skipped, so calling
    again (a retried job, a second worker) changes nothing. Each new notification is
    ledgered as a system action; with ``email`` it is also mailed, after commit, to
    recipients who have an address. ``key``, ``subject`` and ``url`` are stored in
    clear: keep personal data out of them.
    """
    # Sorted, so concurrent senders take the rows' unique-index locks in the same order.
    unique = dict(
        sorted(((u.pk, u) for u in recipients if u.pk is not None), key=lambda pair: pair[0])
    )
    if not unique:
        return 0
    with transaction.atomic():
        already = set(
            Notification.objects.filter(recipient_id__in=unique, key=key).values_list(
                "recipient_id", flat=True
            )
        )
        created: list[Notification] = []
        for user_id, user in unique.items():
            if user_id in already:
                continue
            notification = Notification(
                recipient_id=user_id,
                key=key,
                subject=subject,
                body=body,
                url=url,
                wants_email=email and bool(user.email),
            )
            try:
                notification.full_clean(validate_unique=False, validate_constraints=False)
            except ValidationError as exc:
                raise ServiceError.from_validation_error(exc) from exc
            try:
                # A savepoint per row: a concurrent sender that got there first makes
                # this insert fail on the unique constraint, which just means "sent".
                with transaction.atomic():
                    notification.save(force_insert=True)
            except IntegrityError:
                continue
            created.append(notification)
        # Ledgered after every insert, so the ledger's lock is taken last: a sender never
        # holds it while waiting on another sender's row.
        for notification in created:
            ledger_append(
                actor=None,
                action="notification.send",
                obj=notification,
                change={
                    "recipient": notification.recipient_id,
                    "key": key,
                    "subject": subject,
                    "body": body,
                    "url": url,
                },
            )
        to_mail = [n.pk for n in created if n.wants_email]
        if to_mail:
            transaction.on_commit(lambda: notification_emails_deliver(pks=to_mail))
    return len(created)


def _awaiting_email(qs: QuerySet[Notification], now: datetime) -> QuerySet[Notification]:
    """The notifications of ``qs`` whose email is still to send and that no live
    process holds: never claimed, or claimed so long ago that the claimer died."""
    expired = now - timedelta(seconds=settings.LIAISON_EMAIL_CLAIM_SECONDS)
    return qs.filter(wants_email=True, emailed_at__isnull=True).filter(
        Q(email_claimed_at__isnull=True) | Q(email_claimed_at__lt=expired)
    )


def notification_emails_deliver(*, pks: Iterable[int]) -> int:
    """Email each notification in ``pks`` that wants email and has not been emailed.

    Each one is first claimed (``email_claimed_at`` set only where no live claim is), so
    two processes never send it at once, and is marked ``emailed_at`` only after the mail
    server accepted it. A failed send releases the claim for the next retry (the
    ``send_pending_emails`` periodic job); a process that dies in between leaves a claim
    that expires after ``LIAISON_EMAIL_CLAIM_SECONDS``, and the email is sent then — at
    worst twice (it died after the server accepted it), never lost. Returns how many
    were sent.
    """
    sent = 0
    candidates = _awaiting_email(Notification.objects.filter(pk__in=list(pks)), timezone.now())
    for notification in candidates.select_related("recipient"):
        now = timezone.now()
        claimed = _awaiting_email(Notification.objects.filter(pk=notification.pk), now).update(
            email_claimed_at=now
        )
        if not claimed:
            continue
        try:
            send_mail(
                subject=notification.subject,
                message=_email_body(notification),
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=[notification.recipient.email],
            )
        except Exception:
            logger.exception("Email for notification %s failed; will retry", notification.pk)
            Notification.objects.filter(pk=notification.pk, email_claimed_at=now).update(
                email_claimed_at=None
            )
            continue
        Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
        sent += 1
    return sent


def notification_emails_retry(*, since: datetime, limit: int = 500) -> int:
    """Send the emails still owed for notifications created since ``since`` (the mail
    server was down, or a process died before it finished). Returns how many were sent."""
    pending = _awaiting_email(
        Notification.objects.filter(created_at__gte=since), timezone.now()
    ).order_by("created_at", "id")
    return notification_emails_deliver(pks=list(pending.values_list("pk", flat=True)[:limit]))


def _email_body(notification: Notification) -> str:
    parts = [notification.body.strip()]
    if notification.url:
        url = notification.url
        if url.startswith("/"):
            url = settings.LIAISON_SITE_URL.rstrip("/") + url
        parts.append(f"Open it in Liaison: {url}")
    parts.append("You receive this because you have an account in Liaison.")
    return "\n\n".join(p for p in parts if p)


def notification_mark_read(*, actor: AbstractUser, pk: int) -> Notification:
    """Mark the actor's own notification ``pk`` read (once; later calls keep the first time).

    Someone else's notification is :class:`NotFound`. Not ledgered: whether a message was
    opened is the recipient's inbox state, not an action on a record.
    """
    with transaction.atomic():
        notification = notification_get_for_user(user=actor, pk=pk)
        if notification.read_at is None:
            now = timezone.now()
            Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
                read_at=now
            )
            notification.read_at = now
    return notification


def notifications_mark_all_read(*, actor: AbstractUser) -> int:
    """Mark every unread notification of the actor read; returns how many changed."""
    with transaction.atomic():
        return Notification.objects.filter(recipient_id=actor.pk, read_at__isnull=True).update(
            read_at=timezone.now()
        )
