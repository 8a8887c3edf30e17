"""Ledger examples of the agreements services, read by the ledger's walker
(``liaison/ledger/tests/test_every_service_is_ledgered.py``).

``EXAMPLES`` maps every public function of ``liaison.agreements.services`` to a set-up
that returns the call of the service, which must make the ledger grow; ``EXEMPT``
gives the reason a function is not a consequential write. ``World`` holds the
records the examples act on (the directory registry's).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date
from functools import partial
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from liaison.accounts.tests.factories import make_user
from liaison.agreements import bulk
from liaison.agreements import services as s
from liaison.agreements.tests.conftest import World as Agreements
from liaison.core.roles import Role
from liaison.directory.tests.ledger_examples import World

__all__ = ["EXAMPLES", "EXEMPT", "SERVICE_MODULES", "World"]

SERVICE_MODULES = ("bulk",)
"""``bulk.bulk_generate`` writes the generated agreements of a large demo in batches."""

Example = Callable[[World], Callable[[], object]]
"""Given the world, do any set-up and return the call of the service itself."""


def world(w: World) -> Any:
    aw = Agreements()
    aw.agencies["HSI"] = w.federal
    aw.agencies["BCA"] = w.agency
    return aw


def suspended(w: World) -> Any:
    agreement = world(w).active()
    s.agreement_suspend(actor=None, agreement=agreement, reason="audit")
    return agreement


def nomination(w: World) -> Any:
    agreement = world(w).active()
    return s.agreement_nominate_person(
        actor=None,
        agreement=agreement,
        person=w.person,
        function="Task Force Officer",
        nominated_on=date(2025, 2, 1),
    )


def reminded(w: World) -> Any:
    make_user(Role.COORDINATOR, agency=w.agency)
    return world(w).active()


def obligation(w: World) -> Any:
    agreement = reminded(w)
    return s.agreement_reporting_obligation_add(
        actor=None,
        agreement=agreement,
        description="Quarterly activity report",
        frequency="quarterly",
        recipient=w.federal,
        first_due_on=date(2025, 3, 31),
    )


def expire(w: World) -> Callable[[], object]:
    world(w).active()  # its last day is 2027-12-31
    return partial(s.agreements_expire, today=date(2028, 6, 1))


def expiry_reminders(w: World) -> Callable[[], object]:
    reminded(w)
    return partial(s.agreement_expiry_reminders_send, today=date(2027, 10, 2))


def reporting_reminders(w: World) -> Callable[[], object]:
    obligation(w)
    return partial(s.agreement_reporting_reminders_send, today=date(2025, 3, 20))


def authority(**changes: Any) -> Any:
    values: dict[str, Any] = {
        "citation": "Example Stat. § 1",
        "title": "Example",
        "jurisdiction_code": "MN",
        "kind": "statute",
        "summary": "Example.",
    }
    return s.AuthorityFields(**{**values, **changes})


def pdf() -> Any:
    return SimpleUploadedFile("mou.pdf", b"%PDF-1.4 example", content_type="application/pdf")


a = "liaison.agreements.services."


def _submitted(aw: Any) -> Any:
    agreement = aw.draft()
    s.agreement_submit_for_review(actor=None, agreement=agreement)
    return agreement


EXAMPLES: dict[str, Example] = {
    a + "agreement_create": lambda w: partial(
        s.agreement_create, actor=None, owner_agency=w.agency, fields=world(w).fields()
    ),
    a + "agreement_update_draft": lambda w: partial(
        s.agreement_update_draft,
        actor=None,
        agreement=world(w).draft(),
        fields=world(w).fields(title="Renamed"),
    ),
    a + "agreement_submit_for_review": lambda w: partial(
        s.agreement_submit_for_review, actor=None, agreement=world(w).draft()
    ),
    a + "agreement_review": lambda w: partial(
        s.agreement_review, actor=None, agreement=_submitted(world(w)), approve=True
    ),
    a + "agreement_record_signature": lambda w: partial(
        s.agreement_record_signature,
        actor=None,
        agreement=world(w).approved(),
        agency=w.agency,
        name="Signing Official",
        title="Director",
        signed_on=date(2024, 12, 15),
    ),
    a + "agreement_activate": lambda w: partial(
        s.agreement_activate, actor=None, agreement=world(w).signed()
    ),
    a + "agreement_suspend": lambda w: partial(
        s.agreement_suspend, actor=None, agreement=world(w).active(), reason="audit"
    ),
    a + "agreement_reinstate": lambda w: partial(
        s.agreement_reinstate, actor=None, agreement=suspended(w), reason="cleared"
    ),
    a + "agreement_terminate": lambda w: partial(
        s.agreement_terminate,
        actor=None,
        agreement=world(w).active(),
        reason="ended",
        notice_date=date(2025, 1, 2),
    ),
    a + "agreements_expire": expire,
    a + "amendment_create": lambda w: partial(
        s.amendment_create,
        actor=None,
        agreement=world(w).active(),
        title="Extension",
        effective_date=date(2025, 6, 1),
        new_expiry_date=date(2028, 12, 31),
    ),
    a + "agreement_nominate_person": lambda w: partial(
        s.agreement_nominate_person,
        actor=None,
        agreement=world(w).active(),
        person=w.person,
        function="Task Force Officer",
        nominated_on=date(2025, 2, 1),
    ),
    a + "agreement_nomination_end": lambda w: partial(
        s.agreement_nomination_end,
        actor=None,
        nomination=nomination(w),
        removed_on=date(2025, 3, 1),
    ),
    a + "agreement_training_requirement_add": lambda w: partial(
        s.agreement_training_requirement_add,
        actor=None,
        agreement=world(w).active(),
        function="Task Force Officer",
        course_name="Immigration law basics",
        hours=8,
    ),
    a + "agreement_reporting_obligation_add": lambda w: partial(
        s.agreement_reporting_obligation_add,
        actor=None,
        agreement=world(w).active(),
        description="Quarterly activity report",
        frequency="quarterly",
        recipient=w.federal,
        first_due_on=date(2025, 3, 31),
    ),
    a + "agreement_document_upload": lambda w: partial(
        s.agreement_document_upload,
        actor=None,
        agreement=world(w).active(),
        upload=pdf(),
        title="Signed MOU",
    ),
    a + "agreement_expiry_reminders_send": expiry_reminders,
    a + "agreement_reporting_reminders_send": reporting_reminders,
    a + "legal_authority_create": lambda w: partial(
        s.legal_authority_create, actor=None, fields=authority()
    ),
    a + "legal_authority_update": lambda w: partial(
        s.legal_authority_update,
        actor=None,
        authority=s.legal_authority_create(actor=None, fields=authority()),
        fields=authority(verify_with_counsel=True),
    ),
    a + "legal_authorities_load": lambda w: partial(s.legal_authorities_load, actor=None),
    "liaison.agreements.bulk.bulk_generate": lambda w: partial(
        bulk.bulk_generate,
        count=3,
        agencies=[w.federal, w.agency],
        today=date(2026, 6, 1),
        rng=random.Random(1),
    ),
}

EXEMPT: dict[str, str] = {
    "liaison.agreements.services.agreement_actions": "lists what an actor may do; a read",
    "liaison.agreements.services.reminders.add_months": "date arithmetic",
    "liaison.agreements.services.reminders.due_dates": "date arithmetic",
}
