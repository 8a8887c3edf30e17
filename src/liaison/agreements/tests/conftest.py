"""The persona world's agencies (``liaison.personas``), the agreements' personas, and a
helper that builds agreements through the services.

Agencies (``world.agencies[abbr]``)::

    DPS (state) ─ BCA, MSP (state)      HCSO, MPD (local)
    ICE (federal) ─ HSI, ERO            CBP (federal)

Users (``world.users[name]``): ``coordinator`` (BCA), ``counsel`` (DPS), ``supervisor``
(BCA), ``officer`` (MSP), ``oversight`` and ``admin`` (DPS), ``partner`` (HSI),
``outside_partner`` (CBP), ``local_coordinator`` (HCSO), ``local_officer`` (MPD).

The usual agreement is between HSI and BCA, kept by BCA.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest

from liaison import personas
from liaison.agreements import services
from liaison.agreements.models import Activity, Agreement, DataCategory, Purpose

_seq = itertools.count(1)

PERSONAS = {
    "coordinator": ("coordinator", "BCA"),
    "counsel": ("legal_counsel", "DPS"),
    "supervisor": ("supervisor", "BCA"),
    "officer": ("officer", "MSP"),
    "oversight": ("oversight", "DPS"),
    "admin": ("admin", "DPS"),
    "partner": ("partner", "HSI"),
    "outside_partner": ("partner", "CBP"),
    "local_coordinator": ("coordinator", "HCSO"),
    "local_officer": ("officer", "MPD"),
}


@dataclass
class World(personas.World):
    """The shared world's agencies, with the agreements' personas in ``users[name]``."""

    def activity(self, code: str) -> Activity:
        return Activity.objects.get(code=code)

    def category(self, code: str) -> DataCategory:
        return DataCategory.objects.get(code=code)

    def purpose(self, code: str) -> Purpose:
        return Purpose.objects.get(code=code)

    def fields(self, **overrides: Any) -> services.AgreementFields:
        values: dict[str, Any] = {
            "title": f"HSI–BCA task force MOU {next(_seq)}",
            "kind": "task_force_mou",
            "effective_date": date(2025, 1, 1),
            "expiry_date": date(2027, 12, 31),
            "termination_notice_days": 30,
            "parties": [
                (self.agencies["HSI"], "federal_party"),
                (self.agencies["BCA"], "state_party"),
            ],
            "activities": [self.activity("joint_investigation"), self.activity("training")],
            "data_categories": [self.category("criminal_history")],
            "purposes": [self.purpose("criminal_investigation")],
        }
        values.update(overrides)
        return services.AgreementFields(**values)

    def draft(self, **overrides: Any) -> Agreement:
        owner = overrides.pop("owner", "BCA")
        return services.agreement_create(
            actor=None, owner_agency=self.agencies[owner], fields=self.fields(**overrides)
        )

    def approved(self, **overrides: Any) -> Agreement:
        agreement = self.draft(**overrides)
        services.agreement_submit_for_review(actor=None, agreement=agreement)
        services.agreement_review(actor=None, agreement=agreement, approve=True)
        return agreement

    def signed(self, signed_on: date | None = None, **overrides: Any) -> Agreement:
        agreement = self.approved(**overrides)
        for party in agreement.parties.all():
            services.agreement_record_signature(
                actor=None,
                agreement=agreement,
                agency=party.agency,
                name="Signing Official",
                title="Director",
                signed_on=signed_on or date(2024, 12, 15),
            )
        agreement.refresh_from_db()
        return agreement

    def active(self, **overrides: Any) -> Agreement:
        agreement = self.signed(**overrides)
        services.agreement_activate(actor=None, agreement=agreement)
        agreement.refresh_from_db()
        return agreement


@pytest.fixture
def world(db: None) -> World:
    w = personas.build_agencies(World())
    for name, (role, abbr) in PERSONAS.items():
        w.users[name] = w.persona(  # type: ignore[index]
            role,
            abbr,
            username=name,
            first_name=name.replace("_", " ").title(),
            last_name="User",
            email=f"{name}@example.gov",
        )
    return w
