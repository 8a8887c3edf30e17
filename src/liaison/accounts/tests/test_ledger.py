"""Every account change appends exactly one ledger entry, referencing users by id only."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.utils import timezone

from liaison.accounts import services
from liaison.accounts.models import ApiToken, User
from liaison.core.roles import Role
from liaison.directory.models import Agency
from liaison.ledger.models import Entry, EntryKind, Head

pytestmark = pytest.mark.django_db


def appends_one(action: str, change: Callable[[], object]) -> Entry:
    size = Head.objects.get_or_create(id=1)[0].size
    change()
    assert Head.objects.get().size == size + 1, action
    entry = Entry.objects.get(seq=size)
    assert (entry.action, entry.kind) == (action, EntryKind.SECURITY)
    return entry


def test_every_account_change_is_ledgered(admin: User, agency: Agency) -> None:
    created = appends_one(
        "user.create",
        lambda: services.user_create(
            actor=admin,
            username="jdoe",
            email="jdoe@example.gov",
            role=Role.OFFICER,
            agency=agency,
            first_name="Jane",
            last_name="Doe",
            password="a-long-enough-passphrase",
        ),
    )
    user = User.objects.get(username="jdoe")
    assert (created.actor_id, created.agency_id, created.object_type, created.object_id) == (
        admin.pk,
        agency.pk,
        "accounts.user",
        str(user.pk),
    )
    appends_one("user.update", lambda: services.user_update(actor=admin, user=user, first_name="J"))
    appends_one(
        "user.permissions_change",
        lambda: services.user_update(actor=admin, user=user, role=Role.SUPERVISOR),
    )
    User.objects.filter(pk=user.pk).update(locked_at=timezone.now())
    appends_one("user.unlock", lambda: services.user_unlock(actor=admin, user=user))
    appends_one(
        "user.password_change",
        lambda: services.user_password_set(actor=admin, user=user, password="another-passphrase-9"),
    )
    user.refresh_from_db()
    appends_one(
        "user.password_change",
        lambda: services.user_password_change(
            actor=user,
            user=user,
            old_password="another-passphrase-9",
            new_password="yet-another-passphrase",
        ),
    )
    appends_one("token.create", lambda: services.token_create(actor=user, user=user, name="t"))
    token = ApiToken.objects.get(user=user)
    appends_one("token.revoke", lambda: services.token_revoke(actor=admin, token=token))
    appends_one("mfa.reset", lambda: services.mfa_reset(actor=admin, user=user))
    appends_one("user.deactivate", lambda: services.user_deactivate(actor=admin, user=user))
    appends_one("user.activate", lambda: services.user_activate(actor=admin, user=user))
    for entry in Entry.objects.all():
        for text in (entry.action, entry.object_type, entry.object_id, entry.reason):
            assert "jdoe" not in text
            assert "Jane" not in text
