from __future__ import annotations

from functools import cache

from django.http import HttpRequest

from liaison.notifications.selectors import notification_unread_count


def notifications(request: HttpRequest) -> dict[str, object]:
    """``NOTIFICATIONS_UNREAD``: the signed-in user's unread count.

    A callable, so the template engine counts only when a template uses it (the bell
    in the header) and at most once per request; anonymous visitors get nothing.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    @cache
    def unread() -> int:
        return notification_unread_count(user=user)

    return {"NOTIFICATIONS_UNREAD": unread}
