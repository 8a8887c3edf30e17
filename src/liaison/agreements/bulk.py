"""Generated agreements in bulk, for large demos and the coverage benchmark.

Rows are written with ``bulk_create`` (not through the per-agreement services, which
would take hours at this size) in the same shapes the services produce: parties,
grants with periods, status history, amendments. Each batch is one ledger entry.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, timedelta

from django.db import transaction

from liaison.agreements.models import (
    Activity,
    Agreement,
    AgreementParty,
    AgreementStatusChange,
    Amendment,
    DataCategory,
    Grant,
    Purpose,
)
from liaison.directory.models import Agency
from liaison.ledger.services import ledger_append

S = Agreement.Status
BATCH = 1000
KINDS = [k for k, _ in Agreement.Kind.choices]


def bulk_generate(
    *,
    count: int,
    agencies: Sequence[Agency],
    today: date,
    rng: random.Random,
    start_index: int = 0,
) -> int:
    """Create ``count`` agreements among ``agencies`` (each with one federal party when there
    is a federal agency, and one or two others); about a third are amended. Returns ``count``."""
    federal = [a for a in agencies if a.level == Agency.Level.FEDERAL] or list(agencies)
    others = [a for a in agencies if a.level != Agency.Level.FEDERAL] or list(agencies)
    activities = list(Activity.objects.all())
    categories = list(DataCategory.objects.all())
    purposes = list(Purpose.objects.all())
    done = 0
    while done < count:
        n = min(BATCH, count - done)
        with transaction.atomic():
            _batch(
                first=start_index + done,
                n=n,
                federal=federal,
                others=others,
                items=(activities, categories, purposes),
                today=today,
                rng=rng,
            )
        done += n
    return done


def _batch(
    *,
    first: int,
    n: int,
    federal: list[Agency],
    others: list[Agency],
    items: tuple[list[Activity], list[DataCategory], list[Purpose]],
    today: date,
    rng: random.Random,
) -> None:
    activities, categories, purposes = items
    plans = []
    for i in range(first, first + n):
        start = today - timedelta(days=rng.randint(-200, 1500))
        expiry = start + timedelta(days=rng.choice([365, 730, 1095, 1825]))
        roll = rng.random()
        status = (
            S.DRAFT
            if roll < 0.05
            else S.SUSPENDED
            if roll < 0.10
            else S.TERMINATED
            if roll < 0.14
            else S.ACTIVE
        )
        if status == S.ACTIVE and expiry < today:
            status = S.EXPIRED
        plans.append((i, start, expiry, status))
    agreements = Agreement.objects.bulk_create(
        Agreement(
            title=f"Generated agreement {i:06d}",
            reference=f"GEN-{i:06d}",
            kind=rng.choice(KINDS),
            status=status,
            owner_agency=rng.choice(others),
            effective_date=start,
            expiry_date=expiry,
            expires_on=expiry,
            grant_clause="Art. III",
            termination_notice_days=30,
        )
        for i, start, expiry, status in plans
    )
    parties: list[AgreementParty] = []
    grants: list[Grant] = []
    changes: list[AgreementStatusChange] = []
    amendments: list[tuple[Amendment, list[Grant], list[Grant]]] = []
    for agreement, (_, start, expiry, status) in zip(agreements, plans, strict=True):
        chosen = {rng.choice(federal).pk: AgreementParty.Role.FEDERAL_PARTY}
        for other in rng.sample(others, k=min(len(others), rng.choice([1, 1, 2]))):
            chosen.setdefault(other.pk, AgreementParty.Role.LOCAL_PARTY)
        parties += [
            AgreementParty(agreement=agreement, agency_id=pk, role=role)
            for pk, role in chosen.items()
        ]
        mine = [
            Grant(agreement=agreement, activity=a, clause="Art. III")
            for a in rng.sample(activities, k=4)
        ]
        mine += [
            Grant(agreement=agreement, data_category=c, clause="Art. III")
            for c in rng.sample(categories, k=3)
        ]
        mine += [
            Grant(agreement=agreement, purpose=p, clause="Art. III")
            for p in rng.sample(purposes, k=2)
        ]
        grants += mine
        changes += _history(agreement, start, expiry, status, today)
        if status != S.DRAFT and rng.random() < 0.35:
            effective = start + timedelta(days=rng.randint(30, 300))
            amendment = Amendment(
                agreement=agreement,
                number=1,
                title="Generated amendment",
                section="§ 1",
                effective_date=effective,
                # An expired agreement stays expired: its amendment changes only grants.
                new_expiry_date=None if status == S.EXPIRED else expiry + timedelta(days=365),
            )
            removed = rng.choice(mine[:4])
            added_activity = rng.choice(
                [a for a in activities if a not in {g.activity for g in mine}]
            )
            amendments.append(
                (
                    amendment,
                    [removed],
                    [
                        Grant(
                            agreement=agreement,
                            activity=added_activity,
                            clause="Amendment 1, § 1",
                            valid_from=effective,
                        )
                    ],
                )
            )
            if amendment.new_expiry_date is not None:
                agreement.expires_on = amendment.new_expiry_date
    AgreementParty.objects.bulk_create(parties)
    Grant.objects.bulk_create(grants)
    AgreementStatusChange.objects.bulk_create(changes)
    if amendments:
        Amendment.objects.bulk_create([a for a, _, _ in amendments])
        added: list[Grant] = []
        revoked: list[Grant] = []
        for amendment, gone, new in amendments:
            for grant in gone:
                grant.valid_until = amendment.effective_date
                grant.revoked_by = amendment
            for grant in new:
                grant.granted_by = amendment
            revoked += gone
            added += new
        Grant.objects.bulk_update(revoked, ["valid_until", "revoked_by"])
        Grant.objects.bulk_create(added)
        Agreement.objects.bulk_update([a.agreement for a, _, _ in amendments], ["expires_on"])
    ledger_append(
        actor=None,
        action="agreement.bulk_generate",
        object_type="agreements.agreement",
        object_id=f"{agreements[0].pk}-{agreements[-1].pk}",
        change={"references": [a.reference for a in agreements]},
    )


def _history(
    agreement: Agreement, start: date, expiry: date, status: str, today: date
) -> list[AgreementStatusChange]:
    signed = start - timedelta(days=14)
    steps = [(S.DRAFT, signed - timedelta(days=30))]
    if status == S.DRAFT:
        return [_change(agreement, "", S.DRAFT, signed - timedelta(days=30))]
    steps += [(S.LEGAL_REVIEW, signed - timedelta(days=20)), (S.SIGNED, signed), (S.ACTIVE, start)]
    middle = start + (min(today, expiry) - start) / 2
    if status == S.SUSPENDED:
        steps.append((S.SUSPENDED, middle))
    elif status == S.TERMINATED:
        steps.append((S.TERMINATED, middle))
    elif status == S.EXPIRED:
        steps.append((S.EXPIRED, expiry + timedelta(days=1)))
    out = []
    previous = ""
    for to, when in steps:
        out.append(_change(agreement, previous, to, when))
        previous = to
    return out


def _change(agreement: Agreement, from_status: str, to: str, when: date) -> AgreementStatusChange:
    return AgreementStatusChange(
        agreement=agreement, from_status=from_status, to_status=to, effective_on=when
    )
