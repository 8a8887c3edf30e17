"""The persona world, with the sharing personas and helpers that file requests through the
services.

Users (``world.users[name]``): ``partner`` (HSI), ``other_partner`` (CBP),
``coordinator`` (DPS), ``privacy`` (privacy officer at DPS: BCA's side),
``local_privacy`` (privacy officer at HCSO), ``counsel`` (DPS), ``oversight`` (DPS),
``officer`` (MSP). The usual custodian is BCA (state, Minnesota).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest

from liaison import personas
from liaison.agreements import services as agreement_services
from liaison.agreements.models import Activity, Agreement, DataCategory, Purpose
from liaison.sharing import services
from liaison.sharing.models import SharingRequest

_seq = itertools.count(1)

PERSONAS = {
    "partner": ("partner", "HSI"),
    "other_partner": ("partner", "CBP"),
    "coordinator": ("coordinator", "DPS"),
    "privacy": ("privacy_officer", "DPS"),
    "local_privacy": ("privacy_officer", "HCSO"),
    "counsel": ("legal_counsel", "DPS"),
    "oversight": ("oversight", "DPS"),
    "officer": ("officer", "MSP"),
}

ADDRESS = {"category": "address", "classification": "private", "source": "records_management"}
DVS_STATUS = {
    "category": "citizenship_immigration_status",
    "classification": "private",
    "source": "driver_vehicle_services",
}
HISTORY = {
    "category": "criminal_history",
    "classification": "private",
    "source": "criminal_history",
}
HOLD = {"action": "hold_past_release"}


@dataclass
class World(personas.World):
    def file(
        self,
        items: list[dict[str, Any]] | None = None,
        *,
        by: str = "partner",
        purpose: str = "criminal_investigation",
        instrument: str = "judicial_warrant",
        custodian: str = "BCA",
        requester: str = "HSI",
        urgent: bool = False,
        **kwargs: Any,
    ) -> SharingRequest:
        return services.request_file(
            actor=self.users[by],  # type: ignore[index]
            requesting_agency=self.agencies[requester],
            custodian_agency=self.agencies[custodian],
            purpose=purpose,
            instrument=instrument,
            urgent=urgent,
            items=items if items is not None else [ADDRESS],
            **kwargs,
        )

    def agreement(
        self,
        *,
        kind: str = "task_force_mou",
        categories: tuple[str, ...] = ("criminal_history",),
        purposes: tuple[str, ...] = ("criminal_investigation",),
        activities: tuple[str, ...] = ("joint_investigation",),
        parties: tuple[str, str] = ("HSI", "BCA"),
        expiry_date: date = date(2030, 12, 31),
        activate: bool = True,
    ) -> Agreement:
        fields = agreement_services.AgreementFields(
            title=f"Sharing test agreement {next(_seq)}",
            kind=kind,
            effective_date=date(2025, 1, 1),
            expiry_date=expiry_date,
            termination_notice_days=30,
            parties=[
                (self.agencies[parties[0]], "federal_party"),
                (self.agencies[parties[1]], "state_party"),
            ],
            activities=[Activity.objects.get(code=c) for c in activities],
            data_categories=[DataCategory.objects.get(code=c) for c in categories],
            purposes=[Purpose.objects.get(code=c) for c in purposes],
        )
        agreement = agreement_services.agreement_create(
            actor=None, owner_agency=self.agencies[parties[1]], fields=fields
        )
        agreement_services.agreement_submit_for_review(actor=None, agreement=agreement)
        agreement_services.agreement_review(actor=None, agreement=agreement, approve=True)
        for party in agreement.parties.all():
            agreement_services.agreement_record_signature(
                actor=None,
                agreement=agreement,
                agency=party.agency,
                name="Signing Official",
                title="Director",
                signed_on=date(2024, 12, 15),
            )
        if activate:
            agreement_services.agreement_activate(actor=None, agreement=agreement)
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
