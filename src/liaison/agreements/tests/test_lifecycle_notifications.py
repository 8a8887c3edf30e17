"""Each lifecycle step tells the people who must act, after commit, in the app and by mail.

The usual agreement is between HSI and BCA, kept by BCA (see ``conftest.py``). Besides
the personas, coordinators sit at DPS (BCA's parent), ICE (HSI's parent) and MSP (a
sibling of BCA, no party), and counsel at MSP.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core import mail
from django.db import transaction

from liaison.accounts.models import User
from liaison.agreements import services
from liaison.notifications.models import Notification

EVERY_PARTY = ["coordinator", "dps_coordinator", "ice_coordinator"]


@pytest.fixture
def people(world: Any) -> dict[str, User]:
    for name, role, abbr in [
        ("dps_coordinator", "coordinator", "DPS"),
        ("ice_coordinator", "coordinator", "ICE"),
        ("msp_coordinator", "coordinator", "MSP"),
        ("msp_counsel", "legal_counsel", "MSP"),
        ("gone_coordinator", "coordinator", "BCA"),
    ]:
        world.users[name] = User.objects.create(
            username=name,
            email=f"{name}@example.gov",
            role=role,
            agency=world.agencies[abbr],
            is_active=name != "gone_coordinator",
        )
    return world.users


def told(action: str) -> list[str]:
    """Who was notified of steps recorded as ``agreement.<action>``."""
    return sorted(
        Notification.objects.filter(key__contains=f":agreement.{action}:").values_list(
            "recipient__username", flat=True
        )
    )


@pytest.fixture
def step(django_capture_on_commit_callbacks: Any):
    """``step(fn, **kwargs)``: run one service as an interface would, its commit included."""

    def run(fn: Any, **kwargs: Any) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return fn(**kwargs)

    return run


def test_each_step_notifies_exactly_the_people_who_must_act(world, people, step):
    coordinator, counsel = people["coordinator"], people["counsel"]
    agreement = world.draft()

    step(services.agreement_submit_for_review, actor=coordinator, agreement=agreement)
    assert told("submit_for_review") == ["counsel"]  # DPS counsel: BCA is among DPS's own

    step(services.agreement_review, actor=counsel, agreement=agreement, approve=False, notes="Fix")
    assert told("return_to_draft") == ["coordinator", "dps_coordinator"]

    step(services.agreement_submit_for_review, actor=coordinator, agreement=agreement)
    assert told("submit_for_review") == ["counsel", "counsel"]  # a second step, told again
    step(services.agreement_review, actor=counsel, agreement=agreement, approve=True)
    assert told("approve") == EVERY_PARTY

    # Each party records its own signature: BCA's coordinator, then ICE's for HSI.
    for signer, agency in [("coordinator", "BCA"), ("ice_coordinator", "HSI")]:
        step(
            services.agreement_record_signature,
            actor=people[signer],
            agreement=agreement,
            agency=world.agencies[agency],
            name="Signing Official",
            title="Director",
            signed_on=date(2024, 12, 15),
        )
    # Whoever recorded a signature is not told of their own step.
    assert told("sign") == sorted(
        ["dps_coordinator", "ice_coordinator", "coordinator", "dps_coordinator"]
    )
    subjects = Notification.objects.filter(
        key__contains=":agreement.sign:", recipient=people["dps_coordinator"]
    ).order_by("pk")
    assert [n.body.rsplit(". ", 1)[-1] for n in subjects] == [
        "Still to sign: HSI Agency.",
        "Every party has signed; it can now be activated.",
    ]

    step(services.agreement_activate, actor=None, agreement=agreement)
    assert told("activate") == EVERY_PARTY
    step(services.agreement_suspend, actor=counsel, agreement=agreement, reason="Audit")
    assert told("suspend") == EVERY_PARTY
    step(services.agreement_reinstate, actor=counsel, agreement=agreement, reason="Cleared")
    assert told("reinstate") == EVERY_PARTY
    step(
        services.agreement_terminate,
        actor=counsel,
        agreement=agreement,
        reason="Program ended",
        notice_date=date(2025, 1, 2),
    )
    assert told("terminate") == EVERY_PARTY
    never = {"msp_coordinator", "msp_counsel", "gone_coordinator", "partner", "local_coordinator"}
    assert never.isdisjoint(Notification.objects.values_list("recipient__username", flat=True))


def test_a_step_rolled_back_notifies_nobody(world, people, django_capture_on_commit_callbacks):
    agreement = world.draft()

    def request() -> None:
        with transaction.atomic():
            services.agreement_submit_for_review(actor=people["coordinator"], agreement=agreement)
            raise RuntimeError("the request failed after the service")

    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError):
        request()
    assert callbacks == []
    assert not Notification.objects.exists()
    assert mail.outbox == []


def test_nothing_is_sent_before_the_step_commits(world, people, django_capture_on_commit_callbacks):
    agreement = world.draft()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.agreement_submit_for_review(actor=people["coordinator"], agreement=agreement)
    assert not Notification.objects.exists()
    assert len(callbacks) == 1
    callbacks[0]()
    assert told("submit_for_review") == ["counsel"]


def test_notifications_are_mailed_to_those_with_an_address(world, people, step):
    User.objects.filter(username="ice_coordinator").update(email="")
    agreement = world.signed()
    mail.outbox.clear()
    step(services.agreement_activate, actor=people["coordinator"], agreement=agreement)
    assert told("activate") == ["dps_coordinator", "ice_coordinator"]
    assert sorted(m.to[0] for m in mail.outbox) == ["dps_coordinator@example.gov"]
    message = mail.outbox[0]
    assert message.subject == f"Agreement #{agreement.pk} is in force"
    assert f"/agreements/{agreement.pk}/" in message.body
    quiet = Notification.objects.get(recipient__username="ice_coordinator")
    assert not quiet.wants_email
