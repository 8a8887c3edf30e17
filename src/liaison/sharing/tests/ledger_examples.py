"""Ledger examples of the sharing services, read by the ledger's walker
(``liaison/ledger/tests/test_every_service_is_ledgered.py``)."""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property, partial
from typing import Any

from liaison.accounts.tests import ledger_examples as accounts
from liaison.accounts.tests.factories import make_user
from liaison.core.roles import Role
from liaison.sharing import services as s
from liaison.sharing.tests import ledger_examples_subjects

__all__ = ["EXAMPLES", "EXEMPT", "World"]

ADDRESS = {"category": "address", "classification": "private", "source": "records_management"}
DVS_STATUS = {
    "category": "citizenship_immigration_status",
    "classification": "private",
    "source": "driver_vehicle_services",
}


class World(accounts.World):
    """The accounts world (DPS, a Minnesota state agency, holds; HSI asks), with a partner."""

    @cached_property
    def partner(self) -> Any:
        return make_user(Role.PARTNER, agency=self.federal, username="world-partner")

    def request(self, items: list[dict[str, Any]], *, instrument: str) -> Any:
        return s.request_file(
            actor=None,
            requesting_agency=self.federal,
            custodian_agency=self.agency,
            requested_by=self.partner,
            purpose="civil_immigration_enforcement",
            instrument=instrument,
            items=items,
        )


Example = Callable[[World], Callable[[], object]]

t = "liaison.sharing.services."
EXAMPLES: dict[str, Example] = {
    t + "request_file": lambda w: partial(
        s.request_file,
        actor=w.partner,
        requesting_agency=w.federal,
        custodian_agency=w.agency,
        purpose="criminal_investigation",
        instrument="judicial_warrant",
        items=[ADDRESS],
    ),
    t + "request_review": lambda w: partial(
        s.request_review,
        actor=None,
        request=w.request([DVS_STATUS], instrument="court_order"),
        action="confirm",
    ),
    t + "item_override": lambda w: partial(
        s.item_override,
        actor=None,
        item=w.request([ADDRESS], instrument="none").items.get(),
        justification="Exigent circumstances, documented.",
    ),
    t + "disclosure_record": lambda w: partial(
        s.disclosure_record,
        actor=None,
        request=w.request([ADDRESS], instrument="judicial_warrant"),
        package=b"package",
        channel="api",
        recipient_name="Special Agent",
        subjects=[("person", "Maria Lopez, 1990-01-31")],
    ),
}

EXEMPT: dict[str, str] = {
    t + "may": "answers whether an action is allowed; writes nothing",
    t + "allowed_fields": "reads an item's most permissive field list",
    t + "releasable": "reads what may leave now",
    t + "package_sha256": "computes a hash",
    t + "review_due_on": "computes a date",
}

# The data-subject and review services (services_subjects, exported by services).
EXAMPLES.update(ledger_examples_subjects.EXAMPLES)
EXEMPT.update(ledger_examples_subjects.EXEMPT)
