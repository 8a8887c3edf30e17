"""Notification endpoints under /api/v1/notifications/: the caller's own, nobody else's.

The list is paged like every API list (``page``, ``page_size``); ``/unread`` counts the
unread ones (the number the page header shows).
"""

from datetime import datetime

from django.contrib.auth.models import AbstractUser
from django.http import HttpRequest
from ninja import Query, Schema

from liaison.core.api import Id, Input, Router
from liaison.notifications import selectors, services
from liaison.notifications.models import Notification

router = Router(app="notifications")


class NotificationOut(Schema):
    id: int
    key: str
    subject: str
    body: str
    url: str
    created_at: datetime
    read_at: datetime | None
    emailed_at: datetime | None


class NotificationListIn(Input):
    unread: bool = False


class UnreadOut(Schema):
    unread: int


class MarkAllOut(Schema):
    marked: int


def _caller(request: HttpRequest) -> AbstractUser:
    user = request.auth  # type: ignore[attr-defined]
    assert isinstance(user, AbstractUser)
    return user


def _out(notification: Notification) -> NotificationOut:
    return NotificationOut.model_validate(notification, from_attributes=True)


@router.get("/", response=list[NotificationOut], summary="The caller's notifications, unread first")
def notification_list(request: HttpRequest, filters: Query[NotificationListIn]) -> object:
    return selectors.notification_list_for_user(user=_caller(request), unread_only=filters.unread)


@router.get("/unread", response=UnreadOut, summary="How many of the caller's are unread")
def notification_unread(request: HttpRequest) -> UnreadOut:
    return UnreadOut(unread=selectors.notification_unread_count(user=_caller(request)))


@router.post("/read-all", response=MarkAllOut, summary="Mark all the caller's notifications read")
def notifications_read_all(request: HttpRequest) -> MarkAllOut:
    return MarkAllOut(marked=services.notifications_mark_all_read(actor=_caller(request)))


@router.post("/{notification_id}/read", response=NotificationOut, summary="Mark one read")
def notification_read(request: HttpRequest, notification_id: Id) -> NotificationOut:
    return _out(services.notification_mark_read(actor=_caller(request), pk=notification_id))
