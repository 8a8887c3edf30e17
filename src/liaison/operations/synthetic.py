"""Synthetic operations over Minnesota and Wisconsin, stored in bulk with their index rows.

For the deconfliction benchmark (``benchmarks/operations.py``) and the test that compares
the index with a brute-force scan. Nothing here is ledgered or permission-checked: it
writes rows the way the services would (bounding boxes, sealed subjects, index rows,
through the services' own functions) with ``insert_rows``, to load a million of them
in minutes. Demo data goes through the services.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from math import cos, pi, sin
from typing import Any

from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from liaison.core import identifiers
from liaison.core.bulk import insert_rows
from liaison.operations.deconfliction import CELL_FIELDS, LIVE, Footprint, index_values
from liaison.operations.geometry import Circle, Polygon, Shape, box_of
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
    place_names: bool = True,
) -> list[int]:
    """Store the plans as operations with locations, subjects and index rows; their ids.

    The rows go in with :func:`liaison.core.bulk.insert_rows` (``executemany`` on SQLite,
    ``COPY`` on PostgreSQL), the operations under ids taken after the largest stored one
    (the sequence is moved past them on PostgreSQL), and so are the locations. Locations
    are the services' own (:func:`~liaison.operations.plans.location_row`) and index rows
    the services' (:func:`~liaison.operations.deconfliction.index_values`), so the check
    answers alike. ``place_names=False`` leaves county and city blank (the check never
    reads them; looking them up is a third of the load's time)."""
    now = timezone.now()
    agency_id = getattr(lead_agency, "pk", lead_agency)
    poc_id = getattr(point_of_contact, "pk", point_of_contact)
    live = status in LIVE
    with transaction.atomic():
        first = (Operation.objects.aggregate(top=Max("pk"))["top"] or 0) + 1
        place = (Location.objects.aggregate(top=Max("pk"))["top"] or 0) + 1
        ids = list(range(first, first + len(plans)))
        operations, locations, subjects, cells = [], [], [], []
        for pk, plan in zip(ids, plans, strict=True):
            start, end = plan.window_start, plan.window_end
            name = f"Synthetic operation {pk}"
            operations.append((pk, name, agency_id, status, start, end, "", poc_id, "", now, now))
            for shape in plan.shapes:
                locations.append((place, pk, *_location(shape, place_names)))
                if live:
                    cells += index_values(pk, place, start, end, shape)
                place += 1
            hashed = {(k, identifiers.keyed_hash(k, v)): v for k, v in plan.subjects}
            subjects += [
                (pk, kind, identifiers.seal(value) if seal else "synthetic", digest)
                for (kind, digest), value in hashed.items()
            ]
        insert_rows(Operation, _OPERATION_FIELDS, operations)
        insert_rows(Location, ("id", *_LOCATION_FIELDS), locations)
        insert_rows(Subject, ("operation_id", "kind", "sealed", "hash"), subjects)
        insert_rows(OperationCell, CELL_FIELDS, cells)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                for sql in connection.ops.sequence_reset_sql(no_style(), [Operation, Location]):
                    cursor.execute(sql)
    return ids


def _location(shape: Shape, place_names: bool) -> tuple[Any, ...]:
    """A Location row's values after the operation id, in ``_LOCATION_FIELDS`` order."""
    if place_names:
        loc = location_row(None, PlannedLocation(shape))  # type: ignore[arg-type]
        polygon = None if loc.polygon is None else json.dumps(loc.polygon)
        return (
            *(loc.shape, loc.label, loc.lat, loc.lon, loc.radius_m, polygon, loc.county),
            *(loc.city, loc.min_lat, loc.max_lat, loc.min_lon, loc.max_lon),
        )
    box = box_of(shape)
    head: tuple[Any, ...]
    if isinstance(shape, Circle):
        head = (Location.Shape.CIRCLE, "", shape.lat, shape.lon, shape.radius_m, None)
    else:
        head = (Location.Shape.POLYGON, "", None, None, 0.0, json.dumps(shape.points))
    return (*head, "", "", box.min_lat, box.max_lat, box.min_lon, box.max_lon)


_OPERATION_FIELDS = (
    "id",
    "name",
    "lead_agency_id",
    "status",
    "window_start",
    "window_end",
    "objectives",
    "point_of_contact_id",
    "contact_phone",
    "created_at",
    "updated_at",
)
_LOCATION_FIELDS = (
    "operation_id",
    "shape",
    "label",
    "lat",
    "lon",
    "radius_m",
    "polygon",
    "county",
    "city",
    "min_lat",
    "max_lat",
    "min_lon",
    "max_lon",
)
