"""Agencies, one user per persona, and a helper that builds agreements through the services.

Agencies (``world.agencies[abbr]``)::

    DPS (state) ─ BCA, MSP (state)      HCSO, MPD (local)
    ICE (federal) ─ HSI                 CBP (federal)

Users (``world.users[name]``): ``coordinator`` (BCA), ``counsel`` (DPS), ``supervisor``
(BCA), ``officer`` (MSP), ``oversight`` and ``admin`` (DPS), ``partner`` (HSI),
``outside_partner`` (CBP), ``local_coordinator`` (HCSO), ``local_officer`` (MPD).

The usual agreement is between HSI and BCA, kept by BCA.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pytest
from django.test import Client

from liaison.accounts.models import User
from liaison.accounts.services import token_create
from liaison.agreements import services
from liaison.agreements.models import Activity, Agreement, DataCategory, Purpose
from liaison.directory.models import Agency, Jurisdiction

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
class World:
    agencies: dict[str, Agency] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)

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


def _agency(abbr: str, level: str, place: Jurisdiction, parent: Agency | None = None) -> Agency:
    return Agency.objects.create(
        name=f"{abbr} Agency", abbreviation=abbr, level=level, jurisdiction=place, parent=parent
    )


@pytest.fixture
def world(db: None) -> World:
    w = World()
    us = Jurisdiction.objects.create(name="United States", kind="federal")
    mn = Jurisdiction.objects.create(name="Minnesota", kind="state", state="MN", fips="27")
    a = w.agencies
    a["DPS"] = _agency("DPS", "state", mn)
    a["BCA"] = _agency("BCA", "state", mn, a["DPS"])
    a["MSP"] = _agency("MSP", "state", mn, a["DPS"])
    a["HCSO"] = _agency("HCSO", "local", mn)
    a["MPD"] = _agency("MPD", "local", mn)
    a["ICE"] = _agency("ICE", "federal", us)
    a["HSI"] = _agency("HSI", "federal", us, a["ICE"])
    a["CBP"] = _agency("CBP", "federal", us)
    for name, (role, abbr) in PERSONAS.items():
        user = User(
            username=name,
            first_name=name.replace("_", " ").title(),
            last_name="User",
            email=f"{name}@example.gov",
            role=role,
            agency=a[abbr],
        )
        user.set_password("a-long-test-password")
        user.save()
        w.users[name] = user
    return w


@pytest.fixture
def client_as(world: World) -> Any:
    """``client_as(name)``: a Django test client signed in as that persona."""

    def make(name: str) -> Client:
        client = Client()
        client.force_login(world.users[name])
        return client

    return make


@pytest.fixture
def api_as(world: World) -> Any:
    """``api_as(name)``: a test client sending that persona's bearer token."""

    def make(name: str) -> Client:
        _, secret = token_create(actor=None, user=world.users[name], name="tests")
        return Client(headers={"Authorization": f"Bearer {secret}"})

    return make
