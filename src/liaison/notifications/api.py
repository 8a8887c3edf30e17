"""Notification endpoints under /api/v1/notifications/: the caller's own, nobody else's."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import AbstractUser
from django.http import HttpRequest
from ninja import Query, Router, Schema

from liaison.notifications import selectors, services
from liaison.notifications.models import Notification

router = Router(tags=["notifications"])

MAX_LIMIT = 200


class NotificationOut(Schema):
    id: int
    key: str
    subject: str
    body: str
    url: str
    created_at: datetime
    read_at: datetime | None
    emailed_at: datetime | None


class NotificationListIn(Schema):
    unread: bool = False
    limit: int = 50
    offset: int = 0


class NotificationPageOut(Schema):
    count: int
    unread: int
    items: list[NotificationOut]


class MarkAllOut(Schema):
    marked: int


def _caller(request: HttpRequest) -> AbstractUser:
    user = request.auth  # type: ignore[attr-defined]
    assert isinstance(user, AbstractUser)
    return user


def _out(notification: Notification) -> NotificationOut:
    return NotificationOut.model_validate(notification, from_attributes=True)


@router.get("/", response=NotificationPageOut, summary="The caller's notifications, unread first")
def notification_list(
    request: HttpRequest, filters: Query[NotificationListIn]
) -> NotificationPageOut:
    user = _caller(request)
    qs = selectors.notification_list_for_user(user=user, unread_only=filters.unread)
    limit = max(1, min(filters.limit, MAX_LIMIT))
    offset = max(0, filters.offset)
    return NotificationPageOut(
        count=qs.count(),
        unread=selectors.notification_unread_count(user=user),
        items=[_out(n) for n in qs[offset : offset + limit]],
    )


@router.post("/read-all", response=MarkAllOut, summary="Mark all the caller's notifications read")
def notifications_read_all(request: HttpRequest) -> MarkAllOut:
    return MarkAllOut(marked=services.notifications_mark_all_read(actor=_caller(request)))


@router.post("/{int:notification_id}/read", response=NotificationOut, summary="Mark one read")
def notification_read(request: HttpRequest, notification_id: int) -> NotificationOut:
    return _out(services.notification_mark_read(actor=_caller(request), pk=notification_id))
