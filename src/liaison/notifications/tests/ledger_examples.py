"""Ledger examples of the notifications services, read by the ledger's walker
(``liaison/ledger/tests/test_every_service_is_ledgered.py``).

``EXAMPLES`` maps every public function of ``liaison.notifications.services`` to a set-up
that returns the call of the service, which must make the ledger grow; ``EXEMPT``
gives the reason a function is not a consequential write. ``World`` holds the
records the examples act on (the accounts registry's).
"""

from __future__ import annotations

from functools import partial

from liaison.accounts.tests.ledger_examples import Example, World
from liaison.notifications import services as s

__all__ = ["EXAMPLES", "EXEMPT", "World"]


EXAMPLES: dict[str, Example] = {
    "liaison.notifications.services.notification_send": lambda w: partial(
        s.notification_send,
        recipients=[w.officer],
        key="example:1",
        subject="Example",
        body="Example",
    ),
}

EXEMPT: dict[str, str] = {
    "liaison.notifications.services.notification_emails_deliver": (
        "sends mail for notifications already ledgered when created"
    ),
    "liaison.notifications.services.notification_emails_retry": (
        "sends the mail still owed for notifications already ledgered when created"
    ),
    "liaison.notifications.services.notification_mark_read": "inbox state of the recipient",
    "liaison.notifications.services.notifications_mark_all_read": "inbox state of the recipient",
}
