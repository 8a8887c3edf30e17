"""A small world for the data-subject and review tests, with disclosures made directly.

``subjects`` (fixture): the persona agencies, plus a Wisconsin sheriff's office (WCSO);
users ``privacy`` (privacy officer at DPS, above BCA), ``local_privacy`` (privacy
officer at HCSO), ``wi_privacy`` (at WCSO), ``partner`` (HSI), ``oversight`` (DPS),
``coordinator`` (DPS). :meth:`SubjectsWorld.disclosure` records a disclosure of a
request to a custodian, about the subjects given as ``(kind, value)`` pairs.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pytest
from django.utils import timezone

from liaison import personas
from liaison.accounts.models import User
from liaison.core import identifiers
from liaison.directory.models import Agency, Jurisdiction
from liaison.sharing.models import Disclosure, DisclosureSubject, SharingRequest

_seq = itertools.count(1)

PERSONAS = {
    "privacy": ("privacy_officer", "DPS"),
    "local_privacy": ("privacy_officer", "HCSO"),
    "wi_privacy": ("privacy_officer", "WCSO"),
    "partner": ("partner", "HSI"),
    "oversight": ("oversight", "DPS"),
    "coordinator": ("coordinator", "DPS"),
}


@dataclass
class SubjectsWorld(personas.World):
    u: dict[str, User] = field(default_factory=dict)
    wi: Jurisdiction | None = None

    def disclosure(self, subjects: Sequence[tuple[str, str]] = (), **kwargs: Any) -> Disclosure:
        return make_disclosure(self.agencies, self.u["privacy"], subjects, **kwargs)


def make_disclosure(
    agencies: dict[str, Agency],
    user: User,
    subjects: Sequence[tuple[str, str]] = (),
    *,
    custodian: str = "BCA",
    recipient: str = "HSI",
    categories: dict[str, list[str]] | None = None,
    purpose: str = "criminal_investigation",
    disclosed_on: date = date(2026, 3, 2),
    review_due: date | None = None,
) -> Disclosure:
    """A disclosure of a request to ``custodian`` made directly (no rule packs), about
    ``subjects`` (``(kind, value)`` pairs, stored as keyed hashes)."""
    n = next(_seq)
    fields = categories or {"address": ["street", "city"]}
    custodian_agency = agencies[custodian]
    request = SharingRequest.objects.create(
        reference=f"SR-2026-{900000 + n}",
        requesting_agency=agencies[recipient],
        filed_by=user,
        custodian_agency=custodian_agency,
        jurisdiction=custodian_agency.jurisdiction,
        state=custodian_agency.jurisdiction.state,
        purpose=purpose,
        instrument="judicial_warrant",
        filed_at=timezone.now(),
        decided_on=disclosed_on,
        status=SharingRequest.Status.DISCLOSED,
        facts={},
        decision={"items": []},
    )
    disclosure = Disclosure.objects.create(
        request=request,
        categories=sorted(fields),
        fields=fields,
        channel=Disclosure.Channel.SECURE_EMAIL,
        recipient_agency=agencies[recipient],
        recipient_name="Special Agent Example",
        basis="Judicial warrant",
        package_sha256="0" * 64,
        disclosed_on=disclosed_on,
        review_due=review_due,
        recorded_by=user,
    )
    DisclosureSubject.objects.bulk_create(
        [
            DisclosureSubject(
                disclosure=disclosure, kind=kind, keyed_hash=identifiers.keyed_hash(kind, v)
            )
            for kind, v in subjects
        ]
    )
    return disclosure


def build(w: SubjectsWorld) -> SubjectsWorld:
    personas.build_agencies(w)
    w.wi = Jurisdiction.objects.create(name="Wisconsin", kind="state", state="WI", fips="55")
    w.agencies["WCSO"] = Agency.objects.create(
        name="Waukesha County Sheriff", abbreviation="WCSO", level="local", jurisdiction=w.wi
    )
    for name, (role, abbr) in PERSONAS.items():
        w.u[name] = w.persona(role, abbr, username=name, email=f"{name}@example.gov")
    return w


@pytest.fixture
def subjects(db: None) -> SubjectsWorld:
    return build(SubjectsWorld())
