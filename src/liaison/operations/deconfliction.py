"""Deconfliction: which stored operations a plan meets in place and time, or by a subject.

The rule (docs/operations.md), with ``D = DECONFLICT_DISTANCE_M`` and
``B = DECONFLICT_BUFFER_MIN``:

* **place and time** — some location of one is within D metres of some location of
  the other (:func:`liaison.operations.geometry.within`), and the two windows, each
  widened by B minutes on both sides, overlap (touching counts);
* **subject** — the two share an identifier of the same kind, compared by keyed hash.

Only *live* operations take part: planned, submitted, in legal review, approved or
active (closed and cancelled ones never conflict).

The check reads an index, :class:`~liaison.operations.models.OperationCell`: one row
per location and grid cell of ``CELL_DEGREES`` its bounding box meets, with the window,
the class of its length (``span``: at most 4^span hours), the bounding box and the
circle. A plan's boxes, grown by D, give the cells to read; a row can only overlap the
widened window if it starts no earlier than the window's start minus its span's longest
length, so each span is one range of the index, and the boxes are compared in the same
scan. The rows found are then tested exactly. Subjects are found through the (kind,
hash) index of :class:`~liaison.operations.models.Subject`.
:func:`find_brute_force` answers the same question by scanning every live operation:
the tests compare the two, and the benchmark times them.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection

from liaison.operations.geometry import (
    Box,
    Circle,
    Polygon,
    Shape,
    box_of,
    near_circles,
    within,
)
from liaison.operations.models import Location, Operation, OperationCell, Subject

S = Operation.Status
LIVE: tuple[str, ...] = (S.PLANNED, S.SUBMITTED, S.IN_REVIEW, S.APPROVED, S.ACTIVE)
"""Statuses of operations the check compares against ("planned and active")."""
CHECKED: tuple[str, ...] = (S.SUBMITTED, S.IN_REVIEW, S.APPROVED, S.ACTIVE)
"""Statuses in which a pair's conflict is recorded: one side must be at least submitted
(two drafts do not conflict until one of them is submitted)."""

PLACE_TIME = "place_time"
SUBJECT = "subject"

CELL_DEGREES = 0.25
"""Side of a grid cell of the index, in degrees (about 28 km × 19 km in Minnesota)."""
_COLUMNS = round(360 / CELL_DEGREES) + 1
MAX_SPAN = 9
MAX_LISTED_CELLS = 400
"""Windows longer than 4^8 hours (about 7.5 years) share the last, open-ended class."""


def distance_m() -> float:
    return float(settings.DECONFLICT_DISTANCE_M)


def buffer() -> timedelta:
    return timedelta(minutes=int(settings.DECONFLICT_BUFFER_MIN))


@dataclass(frozen=True)
class Footprint:
    """What the check compares of an operation, stored or planned."""

    window_start: datetime
    window_end: datetime
    shapes: tuple[Shape, ...] = ()
    subjects: tuple[tuple[str, str], ...] = ()
    """(kind, keyed hash) pairs."""


@dataclass(frozen=True, order=True)
class Found:
    operation: int
    reason: str


# --- the index -------------------------------------------------------------------------


def span_of(start: datetime, end: datetime) -> int:
    """The class of a window's length: the least ``k`` with length ≤ 4^k hours."""
    hours = max(0.0, (end - start).total_seconds() / 3600)
    for k in range(MAX_SPAN):
        if hours <= 4**k:
            return k
    return MAX_SPAN


def _row(lat: float) -> int:
    return math.floor((lat + 90.0) / CELL_DEGREES)


def _column(lon: float) -> int:
    return math.floor((lon + 180.0) / CELL_DEGREES)


def cell_ranges(boxes: Iterable[Box]) -> list[tuple[int, int]]:
    """The cells the boxes meet, as ranges of cell numbers (one per grid row)."""
    by_row: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for box in boxes:
        for row in range(_row(box.min_lat), _row(box.max_lat) + 1):
            by_row[row].append((_column(box.min_lon), _column(box.max_lon)))
    ranges = []
    for row, spans in sorted(by_row.items()):
        spans.sort()
        first, last = spans[0]
        for lo, hi in spans[1:]:
            if lo <= last + 1:
                last = max(last, hi)
            else:
                ranges.append((row * _COLUMNS + first, row * _COLUMNS + last))
                first, last = lo, hi
        ranges.append((row * _COLUMNS + first, row * _COLUMNS + last))
    return ranges


def cells_of(boxes: Iterable[Box]) -> list[int]:
    return [c for lo, hi in cell_ranges(boxes) for c in range(lo, hi + 1)]


def index_values(
    operation_id: int,
    location_id: int,
    window_start: datetime,
    window_end: datetime,
    shape: Shape,
) -> list[tuple[Any, ...]]:
    """The index rows of one location of an operation, as values in ``CELL_FIELDS``
    order: what :func:`reindex` stores, for loaders that write the rows themselves."""
    span = span_of(window_start, window_end)
    box = box_of(shape)
    circle = (
        (shape.lat, shape.lon, shape.radius_m) if isinstance(shape, Circle) else (None, None, 0.0)
    )
    edges = (box.min_lat, box.max_lat, box.min_lon, box.max_lon)
    return [
        (operation_id, location_id, cell, span, window_start, window_end, *edges, *circle)
        for cell in cells_of([box])
    ]


CELL_FIELDS = (
    *("operation_id", "location_id", "cell", "span", "window_start", "window_end"),
    *("min_lat", "max_lat", "min_lon", "max_lon", "lat", "lon", "radius_m"),
)


def reindex(operation: Operation) -> None:
    """Bring the operation's index rows in step with its stored locations and window
    (none unless it is live)."""
    OperationCell.objects.filter(operation_id=operation.pk).delete()
    if operation.status not in LIVE:
        return
    rows = Location.objects.filter(operation_id=operation.pk).values_list(
        "pk", "shape", "lat", "lon", "radius_m", "polygon"
    )
    start, end = operation.window_start, operation.window_end
    OperationCell.objects.bulk_create(
        OperationCell(**dict(zip(CELL_FIELDS, values, strict=True)))
        for pk, shape, lat, lon, radius_m, polygon in rows
        for values in index_values(
            operation.pk, pk, start, end, shape_of(shape, lat, lon, radius_m, polygon)
        )
    )


# --- shapes of stored rows ---------------------------------------------------------------


def shape_of(shape: str, lat: Any, lon: Any, radius_m: Any, polygon: Any) -> Shape:
    if shape == Location.Shape.POLYGON:
        return Polygon(tuple((float(p[0]), float(p[1])) for p in polygon))
    return Circle(float(lat), float(lon), float(radius_m or 0))


_LOCATION_VALUES = (
    "operation_id",
    "shape",
    "lat",
    "lon",
    "radius_m",
    "polygon",
    "min_lat",
    "max_lat",
    "min_lon",
    "max_lon",
    "operation__window_start",
    "operation__window_end",
)


def footprint_of(operation: Operation) -> Footprint:
    """The operation's stored footprint."""
    shapes = tuple(
        shape_of(*row)
        for row in Location.objects.filter(operation_id=operation.pk).values_list(
            "shape", "lat", "lon", "radius_m", "polygon"
        )
    )
    rows = Subject.objects.filter(operation_id=operation.pk).values_list("kind", "hash")
    subjects = tuple(sorted(rows))
    return Footprint(operation.window_start, operation.window_end, shapes, subjects)


# --- the check ---------------------------------------------------------------------------


def _times_meet(footprint: Footprint, start: datetime, end: datetime, pad: timedelta) -> bool:
    return start - pad <= footprint.window_end + pad and footprint.window_start - pad <= end + pad


def _exact(
    footprint: Footprint, boxes: Sequence[Box], rows: Iterable[Sequence[Any]], pad: timedelta
) -> set[int]:
    """Operations among ``rows`` (Location values) that meet the footprint in place and time."""
    distance = distance_m()
    hits: set[int] = set()
    for row in rows:
        op_id = row[0]
        if op_id in hits or not _times_meet(footprint, row[10], row[11], pad):
            continue
        box = Box(row[6], row[7], row[8], row[9])
        if not any(b.meets(box) for b in boxes):
            continue
        other = shape_of(row[1], row[2], row[3], row[4], row[5])
        if any(within(shape, other, distance) for shape in footprint.shapes):
            hits.add(op_id)
    return hits


def _subject_hits(footprint: Footprint, exclude: int | None) -> set[int]:
    if not footprint.subjects:
        return set()
    wanted = set(footprint.subjects)
    kinds = sorted({k for k, _ in wanted})
    hashes = sorted({h for _, h in wanted})
    sql = (
        f"SELECT s.operation_id, s.kind, s.hash FROM {Subject._meta.db_table} s"  # noqa: S608 - table names and placeholders only
        f" JOIN {Operation._meta.db_table} o ON o.id = s.operation_id"
        f" WHERE s.kind IN ({', '.join(['%s'] * len(kinds))})"  # the (kind, hash) index
        f" AND s.hash IN ({', '.join(['%s'] * len(hashes))})"
        f" AND o.status IN ({', '.join(['%s'] * len(LIVE))})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*kinds, *hashes, *LIVE])
        rows = cursor.fetchall()
    return {op for op, kind, h in rows if (kind, h) in wanted and op != exclude}


def _index_rows(footprint: Footprint, boxes: Sequence[Box]) -> list[tuple[Any, ...]]:
    """Index rows (operation, location, lat, lon, radius) in the boxes' cells whose
    window overlaps the footprint's, each widened by the buffer (exactly the rule's time
    test), and whose location's bounding box meets one of the boxes (the test
    :meth:`Box.meets` makes, so nothing the exact test would find is dropped). One
    select per span class, each a few range seeks of the covering index. Plain SQL:
    building this query through the ORM costs more than running it."""
    pad = buffer()
    lo, hi = footprint.window_start - 2 * pad, footprint.window_end + 2 * pad
    ranges = cell_ranges(boxes)
    cells = [c for first, last in ranges for c in range(first, last + 1)]
    if len(cells) <= MAX_LISTED_CELLS:
        # cell = ? then a range of starts: one seek per cell of the index
        in_cells = f"cell IN ({', '.join(['%s'] * len(cells))})"
        cell_params: list[Any] = list(cells)
    else:  # a very large area: one range of cells per grid row
        in_cells = "(" + " OR ".join(["cell BETWEEN %s AND %s"] * len(ranges)) + ")"
        cell_params = [c for pair in ranges for c in pair]
    meets = " OR ".join(
        ["(min_lat <= %s AND max_lat >= %s AND min_lon <= %s AND max_lon >= %s)"] * len(boxes)
    )
    box_params = [v for b in boxes for v in (b.max_lat, b.min_lat, b.max_lon, b.min_lon)]
    adapt = connection.ops.adapt_datetimefield_value
    selects, params = [], []
    head = (
        "SELECT operation_id, location_id, lat, lon, radius_m"  # noqa: S608 - table names and placeholders only
        f" FROM {OperationCell._meta.db_table} WHERE span = %s AND {in_cells}"
    )
    for span in range(MAX_SPAN + 1):
        if span < MAX_SPAN:
            earliest = lo - timedelta(hours=4**span)
            starts = "window_start BETWEEN %s AND %s"
            start_params = [adapt(earliest), adapt(hi)]
        else:
            starts, start_params = "window_start <= %s", [adapt(hi)]
        selects.append(f"{head} AND {starts} AND window_end >= %s AND ({meets})")
        params += [span, *cell_params, *start_params, adapt(lo), *box_params]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(selects), params)
        return list(cursor.fetchall())


def _place_hits(footprint: Footprint, boxes: Sequence[Box], exclude: int | None) -> set[int]:
    """Operations that meet the footprint in place and time: circles are tested from the
    index rows themselves, polygons after reading their outlines."""
    distance = distance_m()
    mine = footprint.shapes
    near = near_circles(mine, distance)
    hits: set[int] = set()
    seen: set[int] = set()
    polygons: dict[int, int] = {}
    for op_id, location_id, lat, lon, radius_m in _index_rows(footprint, boxes):
        if op_id in hits or location_id in seen or op_id == exclude:
            continue
        seen.add(location_id)
        if lat is None:
            polygons[location_id] = op_id
        elif near(lat, lon, radius_m):
            hits.add(op_id)
    wanted = sorted(pk for pk, op_id in polygons.items() if op_id not in hits)
    for i in range(0, len(wanted), 500):
        rows = Location.objects.filter(pk__in=wanted[i : i + 500]).values_list(
            "operation_id", "polygon"
        )
        for op_id, points in rows:
            if op_id not in hits:
                other = shape_of(Location.Shape.POLYGON, None, None, 0, points)
                if any(within(shape, other, distance) for shape in mine):
                    hits.add(op_id)
    return hits


def find(footprint: Footprint, *, exclude: int | None = None) -> list[Found]:
    """The live operations the footprint conflicts with, through the index."""
    boxes = [box_of(shape, distance_m()) for shape in footprint.shapes]
    found = {Found(op, SUBJECT) for op in _subject_hits(footprint, exclude)}
    if boxes:
        found |= {Found(op, PLACE_TIME) for op in _place_hits(footprint, boxes, exclude)}
    return sorted(found)


def find_brute_force(footprint: Footprint, *, exclude: int | None = None) -> list[Found]:
    """The same answer as :func:`find`, by testing every live operation (no index)."""
    boxes = [box_of(shape, distance_m()) for shape in footprint.shapes]
    rows = (
        Location.objects.filter(operation__status__in=LIVE)
        .exclude(operation_id=exclude or 0)
        .values_list(*_LOCATION_VALUES)
        .iterator(chunk_size=10_000)
    )
    found = {Found(op, PLACE_TIME) for op in _exact(footprint, boxes, rows, buffer())}
    wanted = set(footprint.subjects)
    if wanted:
        subjects = (
            Subject.objects.filter(operation__status__in=LIVE)
            .exclude(operation_id=exclude or 0)
            .values_list("operation_id", "kind", "hash")
            .iterator(chunk_size=10_000)
        )
        found |= {Found(op, SUBJECT) for op, kind, h in subjects if (kind, h) in wanted}
    return sorted(found)
