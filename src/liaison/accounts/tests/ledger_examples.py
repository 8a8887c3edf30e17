"""Ledger examples of the accounts services, read by the ledger's walker
(``liaison/ledger/tests/test_every_service_is_ledgered.py``).

``EXAMPLES`` maps every public function of ``liaison.accounts.services`` to a set-up
that returns the call of the service, which must make the ledger grow; ``EXEMPT``
gives the reason a function is not a consequential write. ``World`` holds the
records the examples act on; later apps' registries extend it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from functools import cached_property, partial
from typing import Any

import time_machine
from django.utils import timezone

from liaison.accounts import services as s
from liaison.accounts.models import User
from liaison.accounts.tests.factories import PASSWORD, make_agency, make_user
from liaison.core.roles import Role


class World:
    """The records examples act on, made on first use (through services where they exist)."""

    @cached_property
    def agency(self) -> Any:
        return make_agency("DPS", "Department of Public Safety")

    @cached_property
    def admin(self) -> User:
        return make_user(Role.ADMIN, agency=self.agency, username="world-admin")

    @cached_property
    def officer(self) -> User:
        return make_user(Role.OFFICER, agency=self.agency, username="world-officer")

    @cached_property
    def jurisdiction(self) -> Any:
        return self.agency.jurisdiction

    @cached_property
    def federal(self) -> Any:
        return make_agency("HSI", "Homeland Security Investigations", level="federal")

    def locked_user(self) -> User:
        user = make_user(Role.OFFICER, agency=self.agency)
        User.objects.filter(pk=user.pk).update(locked_at=timezone.now())
        user.refresh_from_db()
        return user

    def inactive_user(self) -> User:
        user = make_user(Role.OFFICER, agency=self.agency)
        User.objects.filter(pk=user.pk).update(is_active=False)
        user.refresh_from_db()
        return user

    def totp_code(self, user: User) -> str:
        from django_otp.oath import totp
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device = TOTPDevice.objects.filter(user=user).latest("pk")
        return f"{totp(device.bin_key):06d}"

    def enrolled(self, user: User) -> User:
        s.mfa_enrolment_start(actor=user)
        s.mfa_enrolment_confirm(actor=user, token=self.totp_code(user))
        return user


Example = Callable[[World], Callable[[], object]]
"""Given the world, do any set-up and return the call of the service itself."""


def disable_inactive(w: World) -> Callable[[], object]:
    user = make_user(Role.OFFICER, agency=w.agency)
    User.objects.filter(pk=user.pk).update(
        last_activity_at=timezone.now() - timedelta(days=200),
        last_login=None,
        date_joined=timezone.now() - timedelta(days=300),
    )
    return partial(s.users_disable_inactive)


def mfa_confirm(w: World) -> Callable[[], object]:
    s.mfa_enrolment_start(actor=w.officer)
    return partial(s.mfa_enrolment_confirm, actor=w.officer, token=w.totp_code(w.officer))


def token_revoke(w: World) -> Callable[[], object]:
    row, _ = s.token_create(actor=w.admin, user=w.officer, name="x")
    return partial(s.token_revoke, actor=w.admin, token=row)


def mfa_verify(w: World) -> Callable[[], object]:
    user = w.enrolled(make_user(Role.OFFICER, agency=w.agency))

    def verify() -> object:
        # The enrolment used the current code; a code is accepted once.
        with time_machine.travel(timezone.now() + timedelta(seconds=90)):
            return s.mfa_verify(actor=user, token=w.totp_code(user))

    return verify


EXAMPLES: dict[str, Example] = {
    "liaison.accounts.services.user_create": lambda w: partial(
        s.user_create,
        actor=w.admin,
        username="new-user",
        email="a@example.gov",
        role="officer",
        agency=w.agency,
    ),
    "liaison.accounts.services.user_update": lambda w: partial(
        s.user_update, actor=w.admin, user=w.officer, first_name="Renamed"
    ),
    "liaison.accounts.services.user_unlock": lambda w: partial(
        s.user_unlock, actor=w.admin, user=w.locked_user()
    ),
    "liaison.accounts.services.user_deactivate": lambda w: partial(
        s.user_deactivate, actor=w.admin, user=w.officer
    ),
    "liaison.accounts.services.user_activate": lambda w: partial(
        s.user_activate, actor=w.admin, user=w.inactive_user()
    ),
    "liaison.accounts.services.users_disable_inactive": disable_inactive,
    "liaison.accounts.services.user_password_change": lambda w: partial(
        s.user_password_change,
        actor=w.officer,
        user=w.officer,
        old_password=PASSWORD,
        new_password="a new long passphrase 7",
    ),
    "liaison.accounts.services.user_password_set": lambda w: partial(
        s.user_password_set, actor=w.admin, user=w.officer, password="a new long passphrase 7"
    ),
    "liaison.accounts.services.login_authenticate": lambda w: partial(
        s.login_authenticate, request=None, username=w.officer.username, password=PASSWORD
    ),
    "liaison.accounts.services.mfa_enrolment_confirm": mfa_confirm,
    "liaison.accounts.services.mfa_verify": mfa_verify,
    "liaison.accounts.services.mfa_reset": lambda w: partial(
        s.mfa_reset, actor=w.admin, user=w.enrolled(w.officer)
    ),
    "liaison.accounts.services.token_create": lambda w: partial(
        s.token_create, actor=w.admin, user=w.officer, name="example"
    ),
    "liaison.accounts.services.token_revoke": token_revoke,
}

EXEMPT: dict[str, str] = {
    "liaison.accounts.services.username_hash": "keyed hash of a username; writes nothing",
    "liaison.accounts.services.token_authenticate": (
        "authenticates a request; only stamps last-used times (failures are refused requests)"
    ),
    "liaison.accounts.services.user_record_activity": "stamps last activity for the 90-day rule",
    "liaison.accounts.services.login_attempts_prune": (
        "forgets day-old logon attempts; each attempt is already a ledger entry"
    ),
    "liaison.accounts.services.mfa_enrolment_start": (
        "makes an unconfirmed authenticator that cannot sign in; confirming it is ledgered"
    ),
}
