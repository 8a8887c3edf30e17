"""The plan format ``liaison.operations.plan/1``, checked in one place.

:func:`validate_plan` is the one validation of a plan, used by the command line
(``liaison operations check`` / ``import``), the API and the pages::

    {"format": "liaison.operations.plan/1", "name": "...", "lead_agency": "...",
     "status": "planned" | "active",
     "window": {"start": ISO 8601, "end": ISO 8601},
     "locations": [{"lat": ..., "lon": ..., "radius_m": ...} | {"polygon": [[lon, lat], ...]}],
     "subjects": [{"kind": "person" | "plate" | "address" | "phone", "value": "..."}]}

A refusal is a :class:`ServiceError` whose ``fields`` name each wrong value by its path
(``window.end``, ``locations[1].lat``, ``subjects[0].value``). Subject values are
hashed and sealed here and go no further in clear.
"""

from __future__ import annotations

import functools
import importlib
import importlib.util
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q

from liaison.core import identifiers
from liaison.core.errors import ServiceError
from liaison.core.text import text_problem
from liaison.core.validators import validate_name
from liaison.directory.models import Agency
from liaison.operations.deconfliction import Footprint
from liaison.operations.error_codes import OperationsErrorCode
from liaison.operations.geometry import Circle, Polygon, Shape, box_of
from liaison.operations.models import MAX_RADIUS_M, Location, Operation, Subject

PLAN_FORMAT = "liaison.operations.plan/1"
CONFLICTS_FORMAT = "liaison.operations.conflicts/1"
PLAN_STATUSES = (Operation.Status.PLANNED.value, Operation.Status.ACTIVE.value)
SUBJECT_KINDS = tuple(Subject.Kind.values)
MAX_LOCATIONS = 50
MAX_SUBJECTS = 200
MAX_POLYGON_POINTS = 2_000
_TOP = {"format", "name", "lead_agency", "status", "window", "locations", "subjects"}


@dataclass(frozen=True)
class PlannedLocation:
    shape: Shape
    label: str = ""


@dataclass(frozen=True)
class PlannedSubject:
    kind: str
    hash: str
    sealed: str = field(repr=False)


@dataclass(frozen=True)
class PlanInput:
    """A checked plan: what the services store and the check compares."""

    name: str
    lead_agency: Agency
    status: str
    window_start: datetime
    window_end: datetime
    locations: tuple[PlannedLocation, ...] = ()
    subjects: tuple[PlannedSubject, ...] = ()

    @property
    def footprint(self) -> Footprint:
        return Footprint(
            self.window_start,
            self.window_end,
            tuple(loc.shape for loc in self.locations),
            tuple(sorted({(s.kind, s.hash) for s in self.subjects})),
        )


class _Errors:
    def __init__(self) -> None:
        self.fields: dict[str, list[str]] = {}

    def add(self, path: str, message: str) -> None:
        self.fields.setdefault(path, []).append(message)


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _when(raw: Any, path: str, errors: _Errors) -> datetime | None:
    if not isinstance(raw, str):
        errors.add(path, "Give a date and time in ISO 8601, e.g. 2026-05-01T06:00:00-05:00.")
        return None
    try:
        parsed = datetime.fromisoformat(raw.strip())
    except ValueError:
        errors.add(path, "Not a date and time in ISO 8601, e.g. 2026-05-01T06:00:00-05:00.")
        return None
    if parsed.tzinfo is None:
        errors.add(path, "Give the UTC offset (Z or ±hh:mm) with the time.")
        return None
    return parsed


def resolve_agency(raw: Any) -> Agency | None:
    """The active agency a plan names: by id, abbreviation, ORI or exact name (any case)."""
    if isinstance(raw, int) and not isinstance(raw, bool):
        return Agency.objects.filter(pk=raw, active=True).first()
    if not isinstance(raw, str) or not raw.strip():
        return None
    text = raw.strip()
    if text_problem(text) or len(text) > 300:
        return None
    if text.isdigit():
        return Agency.objects.filter(pk=int(text), active=True).first() if len(text) < 19 else None
    found = list(
        Agency.objects.filter(
            Q(abbreviation__iexact=text) | Q(ori__iexact=text) | Q(name__iexact=text), active=True
        )[:2]
    )
    return found[0] if len(found) == 1 else None


def _location(raw: Any, path: str, errors: _Errors) -> PlannedLocation | None:
    if not isinstance(raw, Mapping):
        errors.add(path, "A location is an object: lat, lon and radius_m, or polygon.")
        return None
    label = raw.get("label", "")
    if not isinstance(label, str) or len(label) > 200:
        errors.add(f"{path}.label", "A label is text of at most 200 characters.")
        label = ""
    elif text_problem(label):
        errors.add(f"{path}.label", str(text_problem(label)))
        label = ""
    if "polygon" in raw:
        extra = set(raw) - {"polygon", "label"}
        if extra:
            errors.add(path, "A polygon has no lat, lon or radius_m.")
        points = raw["polygon"]
        if not isinstance(points, list) or not 3 <= len(points) <= MAX_POLYGON_POINTS:
            errors.add(
                f"{path}.polygon",
                f"A polygon is a list of 3 to {MAX_POLYGON_POINTS} [lon, lat] points.",
            )
            return None
        outline: list[tuple[float, float]] = []
        for i, point in enumerate(points):
            pair = [_number(v) for v in point] if isinstance(point, list) else []
            lon = pair[0] if len(pair) == 2 else None
            lat = pair[1] if len(pair) == 2 else None
            if lon is None or lat is None or not (-180 <= lon <= 180 and -90 <= lat <= 90):
                errors.add(
                    f"{path}.polygon[{i}]",
                    "A point is [lon, lat]: longitude −180 to 180, latitude −90 to 90.",
                )
                continue
            outline.append((lon, lat))
        if len(outline) != len(points):
            return None
        if len(outline) > 3 and outline[0] == outline[-1]:
            outline.pop()  # a closed GeoJSON ring repeats its first point
        if len(set(outline)) < 3:
            errors.add(f"{path}.polygon", "A polygon has at least 3 different points.")
            return None
        return PlannedLocation(Polygon(tuple(outline)), label)
    extra = set(raw) - {"lat", "lon", "radius_m", "label"}
    if extra:
        errors.add(path, f"Unknown keys: {', '.join(sorted(map(str, extra)))}.")
    lat, lon = _number(raw.get("lat")), _number(raw.get("lon"))
    radius = _number(raw.get("radius_m", 0))
    ok = True
    if lat is None or not -90 <= lat <= 90:
        errors.add(f"{path}.lat", "Latitude is a number from −90 to 90.")
        ok = False
    if lon is None or not -180 <= lon <= 180:
        errors.add(f"{path}.lon", "Longitude is a number from −180 to 180.")
        ok = False
    if radius is None or not 0 <= radius <= MAX_RADIUS_M:
        errors.add(f"{path}.radius_m", f"The radius is 0 to {MAX_RADIUS_M:,} metres.")
        ok = False
    if not ok or lat is None or lon is None or radius is None:
        return None
    return PlannedLocation(Circle(lat, lon, radius), label)


def _subject(raw: Any, path: str, errors: _Errors) -> PlannedSubject | None:
    if not isinstance(raw, Mapping) or set(raw) - {"kind", "value"}:
        errors.add(path, "A subject is an object with kind and value.")
        return None
    kind, value = raw.get("kind"), raw.get("value")
    if kind not in SUBJECT_KINDS:
        errors.add(f"{path}.kind", f"Choose one of: {', '.join(SUBJECT_KINDS)}.")
        return None
    if not isinstance(value, str):
        errors.add(f"{path}.value", "Enter the identifier as text.")
        return None
    if text_problem(value):
        errors.add(f"{path}.value", str(text_problem(value)))
        return None
    try:
        hashed = identifiers.keyed_hash(kind, value)
    except ServiceError as exc:
        for message in exc.fields.get("value", [exc.message]):
            errors.add(f"{path}.value", message)
        return None
    return PlannedSubject(kind=kind, hash=hashed, sealed=identifiers.seal(value.strip()))


def validate_plan(data: Any) -> PlanInput:
    """The plan ``data`` (parsed JSON) checked and resolved, or a :class:`ServiceError`
    with a message per wrong field."""
    errors = _Errors()
    if not isinstance(data, Mapping):
        raise ServiceError(
            "A plan is a JSON object.",
            code=OperationsErrorCode.INVALID_PLAN,
            fields={"plan": ["A plan is a JSON object."]},
        )
    for key in sorted(set(map(str, data)) - _TOP):
        errors.add(key, "Unknown field.")
    if data.get("format") != PLAN_FORMAT:
        errors.add("format", f"The format is {PLAN_FORMAT}.")
    name = data.get("name")
    if not isinstance(name, str) or not name.strip() or len(name.strip()) > 200:
        errors.add("name", "Give the operation's name (at most 200 characters).")
        name = ""
    else:
        name = name.strip()
        try:
            validate_name(name)
        except ValidationError as exc:
            errors.add("name", exc.messages[0])
        if text_problem(name):
            errors.add("name", str(text_problem(name)))
    agency = resolve_agency(data.get("lead_agency"))
    if agency is None:
        errors.add("lead_agency", "No single active agency has this id, abbreviation, ORI or name.")
    status = data.get("status", Operation.Status.PLANNED.value)
    if status not in PLAN_STATUSES:
        errors.add("status", "A plan is planned or active.")
    window = data.get("window")
    start = end = None
    if not isinstance(window, Mapping):
        errors.add("window", "Give the window as start and end.")
    else:
        start = _when(window.get("start"), "window.start", errors)
        end = _when(window.get("end"), "window.end", errors)
        if start and end and end < start:
            errors.add("window.end", "The operation cannot end before it starts.")
    locations: list[PlannedLocation] = []
    raw_locations = data.get("locations", [])
    if not isinstance(raw_locations, list) or len(raw_locations) > MAX_LOCATIONS:
        errors.add("locations", f"Give a list of at most {MAX_LOCATIONS} locations.")
    else:
        for i, raw in enumerate(raw_locations):
            found = _location(raw, f"locations[{i}]", errors)
            if found is not None:
                locations.append(found)
    subjects: dict[tuple[str, str], PlannedSubject] = {}
    raw_subjects = data.get("subjects", [])
    if not isinstance(raw_subjects, list) or len(raw_subjects) > MAX_SUBJECTS:
        errors.add("subjects", f"Give a list of at most {MAX_SUBJECTS} subjects.")
    else:
        for i, raw in enumerate(raw_subjects):
            subject = _subject(raw, f"subjects[{i}]", errors)
            if subject is not None:
                subjects.setdefault((subject.kind, subject.hash), subject)
    if errors.fields or agency is None or start is None or end is None:
        raise ServiceError(
            "The plan has errors.", code=OperationsErrorCode.INVALID_PLAN, fields=errors.fields
        )
    return PlanInput(
        name=name,
        lead_agency=agency,
        status=str(status),
        window_start=start,
        window_end=end,
        locations=tuple(locations),
        subjects=tuple(subjects.values()),
    )


@functools.cache
def _locator() -> Any:
    if importlib.util.find_spec("liaison.operations.geo") is None:
        return None
    return getattr(importlib.import_module("liaison.operations.geo"), "locate", None)


def _county_city(shape: Shape) -> tuple[str, str]:
    """The county and city of a place from the shipped boundaries (``operations.geo``,
    ``locate(lat, lon) -> (county, city)``), blank while they are not installed."""
    locate = _locator()
    if locate is None:
        return "", ""
    if isinstance(shape, Circle):
        lat, lon = shape.lat, shape.lon
    else:
        lon = sum(p[0] for p in shape.points) / len(shape.points)
        lat = sum(p[1] for p in shape.points) / len(shape.points)
    county, city = locate(lat, lon)
    return str(county or ""), str(city or "")


def location_row(operation: Operation, planned: PlannedLocation) -> Location:
    """The unsaved :class:`Location` of a planned one, bounding box computed."""
    box = box_of(planned.shape)
    county, city = _county_city(planned.shape)
    common = {
        "county": county,
        "city": city,
        "operation": operation,
        "label": planned.label,
        "min_lat": box.min_lat,
        "max_lat": box.max_lat,
        "min_lon": box.min_lon,
        "max_lon": box.max_lon,
    }
    if isinstance(planned.shape, Circle):
        return Location(
            shape=Location.Shape.CIRCLE,
            lat=planned.shape.lat,
            lon=planned.shape.lon,
            radius_m=planned.shape.radius_m,
            **common,
        )
    return Location(
        shape=Location.Shape.POLYGON,
        polygon=[list(p) for p in planned.shape.points],
        **common,
    )
