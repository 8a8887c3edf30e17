"""The ledger cannot be flooded: repeated security events from one source are written
once per burst, plus one summary entry with the count."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from liaison.accounts import services as accounts
from liaison.accounts.tests.factories import make_agency, make_user
from liaison.core.errors import PermissionDenied, ServiceError
from liaison.core.roles import Role
from liaison.ledger import signing
from liaison.ledger.models import Entry, EntryKind, SecurityBurst
from liaison.ledger.services import (
    checkpoint_issue,
    denial_record,
    security_bursts_flush,
    security_record,
)
from liaison.ledger.verify import verify_ledger

pytestmark = pytest.mark.django_db
T0 = datetime(2026, 3, 2, 14, 0, 7, tzinfo=UTC)


def _security(action: str) -> list[Entry]:
    return list(Entry.objects.filter(kind=EntryKind.SECURITY, action=action).order_by("seq"))


def test_a_burst_is_one_entry_and_one_summary_with_the_count() -> None:
    with time_machine.travel(T0, tick=False) as traveller:
        for _ in range(50):
            denial_record(actor=None, where="GET x", code="permission_denied", source="s1")
            traveller.shift(timedelta(seconds=1))
        assert len(_security("permission.deny")) == 1
        assert security_bursts_flush() == 0  # still going
        traveller.shift(timedelta(seconds=61))
        assert security_bursts_flush() == 1
        assert security_bursts_flush() == 0
    first, summary = _security("permission.deny")
    assert summary.reason_text.startswith(f"repeated 49 more times after entry {first.seq}")
    assert (summary.object_type, summary.object_id) == (first.object_type, first.object_id)
    assert not SecurityBurst.objects.exists()


def test_sources_and_subjects_have_bursts_of_their_own() -> None:
    with time_machine.travel(T0, tick=False):
        for source in ("s1", "s2"):
            for where in ("GET a", "GET b"):
                for _ in range(3):
                    denial_record(actor=None, where=where, source=source)
    assert len(_security("permission.deny")) == 4


def test_a_new_event_after_the_burst_writes_the_summary_then_starts_again() -> None:
    with time_machine.travel(T0, tick=False) as traveller:
        for _ in range(3):
            denial_record(actor=None, where="GET x", source="s1")
        traveller.shift(timedelta(minutes=5))
        denial_record(actor=None, where="GET x", source="s1")
    entries = _security("permission.deny")
    assert len(entries) == 3
    assert entries[1].reason_text.startswith("repeated 2 more times")
    assert entries[2].reason_text == "permission_denied"


def test_a_flood_that_never_pauses_is_summarised_every_15_minutes() -> None:
    with time_machine.travel(T0, tick=False) as traveller:
        for _ in range(40 * 60 // 30):  # 40 minutes, one event every 30 s
            denial_record(actor=None, where="GET x", source="s1")
            traveller.shift(timedelta(seconds=30))
        security_bursts_flush()
    assert 4 <= len(_security("permission.deny")) <= 7


def test_events_that_are_not_repeatable_are_each_written() -> None:
    for _ in range(3):
        security_record(
            actor=None, action="user.lock", object_type="accounts.user", object_id=1, source="s"
        )
    assert len(_security("user.lock")) == 3


def test_failed_sign_ins_past_every_limit_write_a_handful_of_entries() -> None:
    """One more than the source's limit, which is past the account's lockout too: the
    lock, the source's refusals and the failures before them are one burst."""
    attempts = settings.LIAISON_SOURCE_FAILURE_LIMIT + 1
    assert attempts > settings.LIAISON_LOCKOUT_THRESHOLD
    make_user(Role.OFFICER, agency=make_agency(), username="target")
    with time_machine.travel(T0, tick=False) as traveller:
        for _ in range(attempts):
            Client().post(
                "/accounts/login/",
                {"username": "target", "password": "guess"},
                REMOTE_ADDR="203.0.113.50",
            )
            traveller.shift(timedelta(milliseconds=150))
        traveller.shift(timedelta(seconds=61))
        security_bursts_flush()
    fails = _security("login.fail")
    assert 2 <= len(fails) <= 4, [(e.object_type, e.reason_text) for e in fails]
    assert len(_security("user.lock")) == 1
    summaries = [e for e in fails if e.reason_text.startswith("repeated")]
    assert (
        sum(int(e.reason_text.split()[1]) for e in summaries) + len(fails) - len(summaries)
        == attempts
    )
    checkpoint_issue()
    assert verify_ledger(verifier_key=signing.verifier_key()).entries == Entry.objects.count()


def test_wrong_codes_past_the_lockout_write_two_entries() -> None:
    """One more wrong code than locks the account: the failures before the lock and the
    ones refused after it are one burst."""
    attempts = settings.LIAISON_LOCKOUT_THRESHOLD + 1
    user = make_user(Role.OFFICER, agency=make_agency(), username="coder")
    TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    with time_machine.travel(T0, tick=False) as traveller:
        for _ in range(attempts):
            with pytest.raises((ServiceError, PermissionDenied)):
                accounts.mfa_verify(actor=user, token="000000")
            traveller.shift(timedelta(milliseconds=50))
        traveller.shift(timedelta(seconds=61))
        security_bursts_flush()
    fails = _security("mfa.fail")
    assert len(fails) == 2
    assert fails[1].reason_text.startswith(f"repeated {attempts - 1} more times")
    assert len(_security("user.lock")) == 1


def test_a_partner_reloading_a_refused_page_writes_one_entry_per_burst() -> None:
    partner = make_user(Role.PARTNER, agency=make_agency(level="federal"))
    client = Client()
    client.force_login(partner)
    with time_machine.travel(T0, tick=False) as traveller:
        for _ in range(30):
            assert client.get("/directory/agencies/new/").status_code == 403
            traveller.shift(timedelta(milliseconds=300))
    assert Entry.objects.filter(actor_id=partner.pk).count() == 1
