"""The one persona world every app's tests use (fixtures in the root ``conftest.py``).

Agencies (``world.agencies[abbr]``)::

    DPS (state) ─ BCA (state), MSP (state)      HCSO, MPD (local)
    ICE (federal) ─ HSI, ERO (federal)          CBP (federal)

Task forces::

    HSI-TF   lead HSI, members BCA, MSP; HCSO left last year
    ERO-TF   lead ERO, no state or local member
    BCA-TF   lead BCA, member MPD

Every agency has one person (``people[abbr]``) and keeps one contact
(``contacts[abbr]``). Designations: BCA→HSI, HSI→BCA, ERO→CBP (``designations[from]``).

Users (``users[role]``): coordinator, privacy officer, legal counsel and admin at
DPS; supervisor at BCA; officer at MSP; investigator at MPD; oversight at DPS;
partner at HSI. ``world.persona(role, abbr)`` gives (once, then the same) a user of any
role at any agency, so a test can stand at the owner agency, a party, a federal
partner or an outsider of a record for every role.

An app's tests may build on the agencies alone (``build_agencies``) and name their
own personas with :meth:`World.persona`.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from liaison.accounts.models import User
from liaison.core.roles import Role
from liaison.directory.models import (
    Agency,
    Contact,
    Jurisdiction,
    LiaisonDesignation,
    Person,
    TaskForce,
    TaskForceAssignment,
    TaskForceMembership,
)

ALL = frozenset({"DPS", "BCA", "MSP", "HCSO", "MPD", "ICE", "HSI", "ERO", "CBP"})
STATE_LOCAL = frozenset({"DPS", "BCA", "MSP", "HCSO", "MPD"})
USER_AGENCY = {
    Role.COORDINATOR: "DPS",
    Role.OFFICER: "MSP",
    Role.SUPERVISOR: "BCA",
    Role.PRIVACY_OFFICER: "DPS",
    Role.LEGAL_COUNSEL: "DPS",
    Role.INVESTIGATOR: "MPD",
    Role.OVERSIGHT: "DPS",
    Role.PARTNER: "HSI",
    Role.ADMIN: "DPS",
}
ROLES = list(Role)
_numbers = itertools.count(1)


@dataclass
class World:
    agencies: dict[str, Agency] = field(default_factory=dict)
    task_forces: dict[str, TaskForce] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)
    contacts: dict[str, Contact] = field(default_factory=dict)
    designations: dict[str, LiaisonDesignation] = field(default_factory=dict)
    users: dict[Role, User] = field(default_factory=dict)
    personas: dict[tuple[str, str], User] = field(default_factory=dict)
    us: Jurisdiction | None = None
    mn: Jurisdiction | None = None

    def persona(self, role: Role | str, abbr: str, *, username: str = "", **extra: Any) -> User:
        """The user of ``role`` at agency ``abbr`` (created on first use)."""
        key = (str(role), abbr)
        if key not in self.personas:
            name = username or f"{Role(role).value}-{abbr.lower()}"
            user = User(
                username=name,
                first_name=extra.pop("first_name", Role(role).label),
                last_name=extra.pop("last_name", abbr),
                role=str(role),
                agency=self.agencies[abbr],
                **extra,
            )
            user.set_password("a-long-test-password")
            user.save()
            self.personas[key] = user
        return self.personas[key]

    def person(self, abbr: str, **kwargs: Any) -> Person:
        n = next(_numbers)
        values: dict[str, Any] = {
            "agency": self.agencies[abbr],
            "given_name": f"Given{n}",
            "family_name": f"{abbr.title()}person{n}",
            "badge_number": f"{abbr}-{n}",
            "email": f"p{n}@example.test",
            "active_from": date(2020, 1, 1),
        }
        values.update(kwargs)
        return Person.objects.create(**values)

    def contact(self, owner: str, agency: str | None = None, **kwargs: Any) -> Contact:
        n = next(_numbers)
        return Contact.objects.create(
            agency=self.agencies[agency or owner],
            owner_agency=self.agencies[owner],
            name=kwargs.pop("name", f"{owner} desk {n}"),
            phone="(651) 555-0100",
            **kwargs,
        )


def _agency(abbr: str, level: str, place: Jurisdiction, parent: Agency | None = None) -> Agency:
    return Agency.objects.create(
        name=f"{abbr} Agency", abbreviation=abbr, level=level, jurisdiction=place, parent=parent
    )


def build_agencies(w: World) -> World:
    """The jurisdictions and agencies of the world (nothing else)."""
    w.us = Jurisdiction.objects.create(name="United States", kind="federal")
    w.mn = Jurisdiction.objects.create(name="Minnesota", kind="state", state="MN", fips="27")
    a = w.agencies
    a["DPS"] = _agency("DPS", "state", w.mn)
    a["BCA"] = _agency("BCA", "state", w.mn, a["DPS"])
    a["MSP"] = _agency("MSP", "state", w.mn, a["DPS"])
    a["HCSO"] = _agency("HCSO", "local", w.mn)
    a["MPD"] = _agency("MPD", "local", w.mn)
    a["ICE"] = _agency("ICE", "federal", w.us)
    a["HSI"] = _agency("HSI", "federal", w.us, a["ICE"])
    a["ERO"] = _agency("ERO", "federal", w.us, a["ICE"])
    a["CBP"] = _agency("CBP", "federal", w.us)
    return w


def build_world() -> World:
    """The whole world: agencies, task forces, people, contacts, designations, users."""
    w = build_agencies(World())
    a = w.agencies
    start = date(2024, 1, 1)
    tf = w.task_forces
    tf["HSI-TF"] = TaskForce.objects.create(
        name="HSI-TF", lead_agency=a["HSI"], purpose="Transnational crime", start_date=start
    )
    tf["ERO-TF"] = TaskForce.objects.create(
        name="ERO-TF", lead_agency=a["ERO"], purpose="Federal only", start_date=start
    )
    tf["BCA-TF"] = TaskForce.objects.create(
        name="BCA-TF", lead_agency=a["BCA"], purpose="Trafficking", start_date=start
    )
    for task_force, member, left in [
        ("HSI-TF", "BCA", None),
        ("HSI-TF", "MSP", None),
        ("HSI-TF", "HCSO", date(2024, 6, 30)),
        ("BCA-TF", "MPD", None),
    ]:
        TaskForceMembership.objects.create(
            task_force=tf[task_force], agency=a[member], joined_on=start, left_on=left
        )
    for abbr in ALL:
        w.people[abbr] = w.person(abbr)
        w.contacts[abbr] = w.contact(abbr)
    for from_abbr, to_abbr in [("BCA", "HSI"), ("HSI", "BCA"), ("ERO", "CBP")]:
        w.designations[from_abbr] = LiaisonDesignation.objects.create(
            person=w.people[from_abbr],
            from_agency=a[from_abbr],
            to_agency=a[to_abbr],
            start_date=start,
        )
    TaskForceAssignment.objects.create(
        person=w.people["BCA"], task_force=tf["HSI-TF"], role="Task Force Officer", start_date=start
    )
    TaskForceAssignment.objects.create(
        person=w.people["HSI"], task_force=tf["HSI-TF"], role="Group Supervisor", start_date=start
    )
    for role in ROLES:
        w.users[role] = w.persona(
            role, USER_AGENCY[role], username=f"{role.value}-user", last_name="User"
        )
    return w


@dataclass(frozen=True)
class Example:
    """How the generated rule matrix tries one declared action (``tests/test_rule_matrix.py``).

    ``records(world)`` gives records of the rule's kind (``on``) to try it on — between
    them in every relation and state the action cares about; ``attempt(world, actor,
    record)`` calls the service (or access selector) once; ``page(record)`` and
    ``api(record)`` are GETs that answer 200 when the rule allows and 403, 404 or 409
    when it refuses — the form shown, or not, before anything is submitted.
    """

    records: Callable[[World], Iterable[Any]]
    attempt: Callable[[World, User, Any], object]
    page: Callable[[Any], str] | None = None
    api: Callable[[Any], str] | None = None
