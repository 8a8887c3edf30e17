"""Reads for the operations pages: the filtered list, a month's calendar and the map.

Everything starts from :func:`liaison.operations.selectors.operation_list_for_user`, so a
page shows only the operations the reader may see. On the map a conflict with an
operation the reader cannot see is drawn as a mark on their own operation, never as a
line to the other one: the other side's place stays unknown to them.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from liaison.operations import geo
from liaison.operations.models import Conflict, Location, Operation
from liaison.operations.selectors import operation_list_for_user

LIVE = ("planned", "submitted", "in_review", "approved", "active")


def operation_list_filtered(
    *,
    user: Any,
    q: str = "",
    status: str = "",
    lead_agency_id: int | None = None,
    starts_from: date | None = None,
) -> QuerySet[Operation]:
    qs = operation_list_for_user(user=user)
    if q:
        qs = qs.filter(name__icontains=q)
    if status:
        qs = qs.filter(status=status)
    if lead_agency_id:
        qs = qs.filter(lead_agency_id=lead_agency_id)
    if starts_from:
        start = timezone.make_aware(datetime.combine(starts_from, time.min))
        qs = qs.filter(window_end__gte=start)
    return qs.order_by("-window_start", "-pk")


@dataclass(frozen=True)
class Day:
    day: date
    in_month: bool
    operations: list[Operation]


def month_of(text: str) -> date:
    """The first day of the month ``YYYY-MM`` (this month when unreadable)."""
    try:
        year, month = (int(part) for part in text.split("-", 1))
        return date(year, month, 1)
    except (ValueError, TypeError):
        return timezone.localdate().replace(day=1)


def month_calendar(*, user: Any, first: date) -> list[list[Day]]:
    """Weeks (Sunday first) of the month starting ``first``, each day with the visible
    operations whose window touches it; one query."""
    weeks = calendar.Calendar(firstweekday=6).monthdatescalendar(first.year, first.month)
    start = timezone.make_aware(datetime.combine(weeks[0][0], time.min))
    end = timezone.make_aware(datetime.combine(weeks[-1][-1] + timedelta(days=1), time.min))
    found = list(
        operation_list_for_user(user=user)
        .filter(window_start__lt=end, window_end__gte=start)
        .order_by("window_start", "pk")
    )
    out = []
    for week in weeks:
        row = []
        for day in week:
            ops = [
                o
                for o in found
                if timezone.localtime(o.window_start).date()
                <= day
                <= timezone.localtime(o.window_end).date()
            ]
            row.append(Day(day, day.month == first.month, ops))
        out.append(row)
    return out


@dataclass(frozen=True)
class MapRow:
    """One row of the map's table alternative."""

    operation: Operation
    location: Location
    conflicts: int


def map_data(
    *, user: Any, statuses: tuple[str, ...] = LIVE, state: str = "MN"
) -> tuple[list[geo.MapPlace], list[geo.MapLink], list[MapRow]]:
    """The places of the visible operations (in ``statuses``) and their standing
    conflicts: lines between two visible operations, a conflict mark otherwise."""
    visible = operation_list_for_user(user=user).filter(status__in=statuses)
    ids = set(visible.values_list("pk", flat=True))
    locations = list(
        Location.objects.filter(operation_id__in=ids)
        .select_related("operation", "operation__lead_agency")
        .order_by("operation__window_start", "operation_id", "pk")
    )
    conflicts = list(
        Conflict.objects.filter(cleared_at__isnull=True).filter(
            Q(operation_a_id__in=ids) | Q(operation_b_id__in=ids)
        )
    )
    count: dict[int, int] = {}
    for c in conflicts:
        for side in (c.operation_a_id, c.operation_b_id):
            if side in ids:
                count[side] = count.get(side, 0) + 1
    places: list[geo.MapPlace] = []
    rows: list[MapRow] = []
    for loc in locations:
        op = loc.operation
        label = f"{op.name} ({op.get_status_display()}), {op.lead_agency.name}"
        places.append(
            geo.MapPlace(
                key=str(op.pk),
                label=label,
                lat=loc.lat,
                lon=loc.lon,
                radius_m=loc.radius_m,
                polygon=loc.polygon,
                kind="conflict" if count.get(op.pk) else "operation",
            )
        )
        rows.append(MapRow(op, loc, count.get(op.pk, 0)))
    links = [
        geo.MapLink(
            str(c.operation_a_id), str(c.operation_b_id), f"Conflict: {c.get_reason_display()}"
        )
        for c in conflicts
        if c.operation_a_id in ids and c.operation_b_id in ids
    ]
    return places, links, rows
