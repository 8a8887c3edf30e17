"""Synthetic operations over Minnesota and Wisconsin, stored in bulk with their index rows.

For the deconfliction benchmark (``benchmarks/operations.py``) and the test that compares
the index with a brute-force scan. Nothing here is ledgered or permission-checked: it
writes rows the way the services would (bounding boxes, sealed subjects, index rows),
to load a million of them in minutes. Demo data goes through the services.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from math import cos, pi, sin
from typing import Any

from django.db import transaction

from liaison.core import identifiers
from liaison.operations.deconfliction import Footprint, index_rows
from liaison.operations.geometry import Circle, Polygon, Shape
from liaison.operations.models import Location, Operation, OperationCell, Subject
from liaison.operations.plans import PlannedLocation, location_row

MN_WI = (42.5, 49.0, -97.2, -86.8)
"""South, north, west, east edges of Minnesota and Wisconsin (degrees)."""
YEAR = datetime(2026, 1, 1, tzinfo=UTC)
KINDS = ("person", "plate", "address", "phone")


@dataclass(frozen=True)
class SyntheticPlan:
    window_start: datetime
    window_end: datetime
    shapes: tuple[Shape, ...]
    subjects: tuple[tuple[str, str], ...]
    """(kind, value) pairs, in clear until stored."""

    def footprint(self) -> Footprint:
        return Footprint(
            self.window_start,
            self.window_end,
            self.shapes,
            tuple(sorted({(k, identifiers.keyed_hash(k, v)) for k, v in self.subjects})),
        )


def _subject(rng: random.Random, pool: int) -> tuple[str, str]:
    kind = rng.choice(KINDS)
    n = rng.randrange(pool)
    if kind == "person":
        return kind, f"Person{n} Example, {1950 + n % 50}-{1 + n % 12:02d}-{1 + n % 28:02d}"
    if kind == "plate":
        return kind, f"MN {n:07d}"
    if kind == "address":
        return kind, f"{n % 9000 + 100} Main Street Unit {n}"
    return kind, f"651{n:07d}"


def _shape(rng: random.Random, area: Sequence[float], max_radius_m: float) -> Shape:
    south, north, west, east = area
    lat, lon = rng.uniform(south, north), rng.uniform(west, east)
    if rng.random() < 0.1:
        size = rng.uniform(0.002, 0.15)
        corners = rng.randint(3, 6)
        points = []
        for i in range(corners):
            angle = 2 * pi * (i + rng.uniform(0, 0.8)) / corners
            reach = size * rng.uniform(0.4, 1.0)
            points.append((lon + reach * 1.4 * cos(angle), lat + reach * sin(angle)))
        return Polygon(tuple(points))
    radius = 0.0 if rng.random() < 0.05 else rng.uniform(0, max_radius_m)
    return Circle(lat, lon, radius)


def _window(rng: random.Random, days: int) -> tuple[datetime, datetime]:
    start = YEAR + timedelta(minutes=rng.randrange(days * 24 * 60))
    roll = rng.random()
    if roll < 0.8:
        length = timedelta(minutes=rng.randrange(30, 12 * 60))
    elif roll < 0.97:
        length = timedelta(hours=rng.randrange(12, 7 * 24))
    else:
        length = timedelta(days=rng.randrange(7, 120))
    return start, start + length


def random_plans(
    rng: random.Random,
    count: int,
    *,
    area: Sequence[float] = MN_WI,
    days: int = 365,
    max_radius_m: float = 20_000,
    subject_pool: int = 200_000,
) -> Iterable[SyntheticPlan]:
    """``count`` plans: 1–3 places (a tenth polygons), radii 0–20 km, windows of half an
    hour to four months over ``days`` days, 0–2 subjects drawn from a pool."""
    for _ in range(count):
        start, end = _window(rng, days)
        shapes = tuple(_shape(rng, area, max_radius_m) for _ in range(rng.choice((1, 1, 1, 2, 3))))
        subjects = tuple(_subject(rng, subject_pool) for _ in range(rng.choice((0, 1, 1, 2))))
        yield SyntheticPlan(start, end, shapes, subjects)


def bulk_store(
    plans: Sequence[SyntheticPlan],
    *,
    lead_agency: Any,
    point_of_contact: Any,
    status: str = Operation.Status.SUBMITTED,
    seal: bool = True,
) -> list[int]:
    """Store the plans as operations with locations, subjects and index rows; their ids."""
    with transaction.atomic():
        operations = Operation.objects.bulk_create(
            [
                Operation(
                    name=f"Synthetic operation {i}",
                    lead_agency=lead_agency,
                    status=status,
                    window_start=plan.window_start,
                    window_end=plan.window_end,
                    point_of_contact=point_of_contact,
                )
                for i, plan in enumerate(plans)
            ]
        )
        locations, subjects, cells = [], [], []
        for operation, plan in zip(operations, plans, strict=True):
            locations += [location_row(operation, PlannedLocation(s)) for s in plan.shapes]
            footprint = plan.footprint()
            hashed = {(k, identifiers.keyed_hash(k, v)): v for k, v in plan.subjects}
            subjects += [
                Subject(
                    operation=operation,
                    kind=kind,
                    sealed=identifiers.seal(value) if seal else "synthetic",
                    hash=digest,
                )
                for (kind, digest), value in hashed.items()
            ]
            if status in ("planned", "submitted", "in_review", "approved", "active"):
                cells += index_rows(operation.pk, footprint)
        Location.objects.bulk_create(locations, batch_size=2_000)
        Subject.objects.bulk_create(subjects, batch_size=2_000)
        OperationCell.objects.bulk_create(cells, batch_size=2_000)
    return [op.pk for op in operations]
