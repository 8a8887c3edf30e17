"""Ledger examples of the directory services, read by the ledger's walker
(``liaison/ledger/tests/test_every_service_is_ledgered.py``).

``EXAMPLES`` maps every public function of ``liaison.directory.services`` to a set-up
that returns the call of the service, which must make the ledger grow; ``EXEMPT``
gives the reason a function is not a consequential write. ``World`` holds the
records the examples act on (the accounts registry's, with directory records).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date
from functools import cached_property, partial
from typing import Any

from liaison.accounts.tests import ledger_examples as accounts
from liaison.directory import demo
from liaison.directory import services as s

SERVICE_MODULES = ("demo",)
"""``demo.load`` records the demo directory in the ledger in batches."""


class World(accounts.World):
    """The accounts world, plus a task force, a member agency and their records."""

    @cached_property
    def task_force(self) -> Any:
        return s.task_force_create(
            actor=None,
            name="Example Task Force",
            lead_agency=self.federal,
            purpose="Example",
            start_date=date(2026, 1, 1),
        )

    @cached_property
    def membership(self) -> Any:
        return s.task_force_membership_add(
            actor=None, task_force=self.task_force, agency=self.agency, joined_on=date(2026, 1, 2)
        )

    @cached_property
    def person(self) -> Any:
        return s.person_create(
            actor=None,
            agency=self.agency,
            given_name="Pat",
            family_name="Example",
            active_from=date(2026, 1, 1),
        )

    @cached_property
    def assignment(self) -> Any:
        self.membership  # noqa: B018 - only personnel of member agencies are assigned
        return s.task_force_assignment_create(
            actor=None,
            person=self.person,
            task_force=self.task_force,
            role="Task Force Officer",
            start_date=date(2026, 1, 3),
        )

    @cached_property
    def designation(self) -> Any:
        return s.liaison_designation_create(
            actor=None,
            person=self.person,
            from_agency=self.agency,
            to_agency=self.federal,
            start_date=date(2026, 1, 3),
        )

    @cached_property
    def contact(self) -> Any:
        return s.contact_create(
            actor=None, agency=self.agency, owner_agency=self.agency, name="Duty desk"
        )


Example = Callable[[World], Callable[[], object]]
"""Given the world, do any set-up and return the call of the service itself."""


def assign(w: World) -> Callable[[], object]:
    w.membership  # noqa: B018 - only personnel of member agencies are assigned
    return partial(
        s.task_force_assignment_create,
        actor=None,
        person=w.person,
        task_force=w.task_force,
        role="Task Force Officer",
        start_date=date(2026, 1, 3),
    )


d = "liaison.directory.services."

EXAMPLES: dict[str, Example] = {
    d + "jurisdiction_create": lambda w: partial(
        s.jurisdiction_create,
        actor=None,
        name="Ramsey County",
        kind="county",
        state="MN",
        parent=w.jurisdiction,
    ),
    d + "jurisdiction_update": lambda w: partial(
        s.jurisdiction_update,
        actor=None,
        jurisdiction=w.jurisdiction,
        data={"fips": "27000"},
        reason="fix",
    ),
    d + "agency_create": lambda w: partial(
        s.agency_create,
        actor=None,
        name="Example Police",
        level="local",
        jurisdiction=w.jurisdiction,
    ),
    d + "agency_update": lambda w: partial(
        s.agency_update, actor=None, agency=w.agency, data={"phone": "651-555-0100"}
    ),
    d + "agency_deactivate": lambda w: partial(s.agency_deactivate, actor=None, agency=w.federal),
    d + "task_force_create": lambda w: partial(
        s.task_force_create,
        actor=None,
        name="Another Task Force",
        lead_agency=w.federal,
        purpose="Example",
        start_date=date(2026, 1, 1),
    ),
    d + "task_force_update": lambda w: partial(
        s.task_force_update, actor=None, task_force=w.task_force, data={"area": "Twin Cities"}
    ),
    d + "task_force_end": lambda w: partial(
        s.task_force_end, actor=None, task_force=w.task_force, end_date=date(2026, 12, 31)
    ),
    d + "task_force_membership_add": lambda w: partial(
        s.task_force_membership_add,
        actor=None,
        task_force=w.task_force,
        agency=w.agency,
        joined_on=date(2026, 1, 2),
    ),
    d + "task_force_membership_update": lambda w: partial(
        s.task_force_membership_update,
        actor=None,
        membership=w.membership,
        data={"joined_on": date(2026, 1, 5)},
    ),
    d + "task_force_membership_end": lambda w: partial(
        s.task_force_membership_end,
        actor=None,
        membership=w.membership,
        left_on=date(2026, 6, 1),
    ),
    d + "person_create": lambda w: partial(
        s.person_create,
        actor=None,
        agency=w.agency,
        given_name="Sam",
        family_name="Example",
        active_from=date(2026, 1, 1),
    ),
    d + "person_update": lambda w: partial(
        s.person_update, actor=None, person=w.person, data={"title": "Sergeant"}
    ),
    d + "person_end": lambda w: partial(
        s.person_end, actor=None, person=w.person, active_until=date(2026, 12, 31)
    ),
    d + "task_force_assignment_create": assign,
    d + "task_force_assignment_update": lambda w: partial(
        s.task_force_assignment_update,
        actor=None,
        assignment=w.assignment,
        data={"start_date": date(2026, 1, 4)},
    ),
    d + "task_force_assignment_end": lambda w: partial(
        s.task_force_assignment_end,
        actor=None,
        assignment=w.assignment,
        end_date=date(2026, 6, 1),
    ),
    d + "liaison_designation_create": lambda w: partial(
        s.liaison_designation_create,
        actor=None,
        person=w.person,
        from_agency=w.agency,
        to_agency=w.federal,
        start_date=date(2026, 1, 3),
    ),
    d + "liaison_designation_update": lambda w: partial(
        s.liaison_designation_update,
        actor=None,
        designation=w.designation,
        data={"notes": "updated"},
    ),
    d + "liaison_designation_end": lambda w: partial(
        s.liaison_designation_end,
        actor=None,
        designation=w.designation,
        end_date=date(2026, 6, 1),
    ),
    d + "contact_create": lambda w: partial(
        s.contact_create, actor=None, agency=w.agency, owner_agency=w.agency, name="Front desk"
    ),
    d + "contact_update": lambda w: partial(
        s.contact_update, actor=None, contact=w.contact, data={"hours": "24/7"}
    ),
    d + "contact_end": lambda w: partial(s.contact_end, actor=None, contact=w.contact),
    "liaison.directory.demo.load": lambda w: partial(
        demo.load, state="WI", scale=1, rng=random.Random(1)
    ),
}

EXEMPT: dict[str, str] = {
    "liaison.directory.services.change_of": "builds the change dict a service hashes",
}
