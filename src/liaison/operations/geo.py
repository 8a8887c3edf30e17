"""Shipped boundaries: which county (and, where place outlines are installed, which
city) a point lies in, and an SVG map of operations drawn on county outlines.

The county outlines are the Census Bureau's cartographic boundaries as the ``us-atlas``
npm package ships them (``counties-10m.json``, TopoJSON quantized to about 100 m by
300 m and simplified for a 1:10,000,000 map), installed at build time like USWDS and
never committed. They are read once per process and kept. A point within a few hundred
metres of a county line may be assigned to the neighbour: the outlines are drawn for
maps, not surveys, and the county of a location is a convenience for people reading the
plan, never a legal fact.

No package on the registries the build uses ships city or place boundaries. A
deployment that has them (the Census cartographic place file for its state, converted
to GeoJSON, one feature per place with ``GEOID`` and ``NAME`` properties) names the file
in ``LIAISON_PLACE_BOUNDARIES``; :func:`city_of` then answers by the same
point-in-polygon test, with the directory's own name for the place when it lists a city
with that FIPS code. Without the file, :func:`city_of` answers ``None`` and the city of a
location stays empty.

Nothing here reaches the network: the map is inline SVG in an equirectangular projection
over the states' bounds (no tile server), with a title, a description and a table
alternative in the page that shows it.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from html import escape
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.safestring import SafeString, mark_safe

# USPS code → Census state FIPS code, for the states Liaison ships rule packs for.
STATE_FIPS: dict[str, str] = {"MN": "27", "WI": "55"}
FIPS_STATE: dict[str, str] = {v: k for k, v in STATE_FIPS.items()}

Point = tuple[float, float]  # (lon, lat), as GeoJSON and TopoJSON order them
Ring = list[Point]


@dataclass(frozen=True)
class Area:
    """A county or a place: its Census FIPS code, name, state and outline."""

    fips: str
    name: str
    state: str
    # Polygons, each a list of rings (outer first, then holes), each ring of (lon, lat).
    polygons: tuple[tuple[Ring, ...], ...] = field(repr=False)
    bbox: tuple[float, float, float, float] = field(
        repr=False
    )  # min lon, min lat, max lon, max lat

    @property
    def label(self) -> str:
        return f"{self.name} County" if len(self.fips) == 5 else self.name

    def contains(self, lon: float, lat: float) -> bool:
        min_lon, min_lat, max_lon, max_lat = self.bbox
        if not (min_lon <= lon <= max_lon and min_lat <= lat <= max_lat):
            return False
        return any(_in_polygon(lon, lat, polygon) for polygon in self.polygons)


def _in_polygon(lon: float, lat: float, rings: Sequence[Ring]) -> bool:
    # Even-odd rule over all rings: a hole's crossings cancel the outer ring's.
    inside = False
    for ring in rings:
        j = len(ring) - 1
        for i in range(len(ring)):
            xi, yi = ring[i]
            xj, yj = ring[j]
            if (yi > lat) != (yj > lat) and lon < (xj - xi) * (lat - yi) / (yj - yi) + xi:
                inside = not inside
            j = i
    return inside


def _bbox(polygons: Iterable[Iterable[Ring]]) -> tuple[float, float, float, float]:
    lons: list[float] = []
    lats: list[float] = []
    for polygon in polygons:
        for ring in polygon:
            for lon, lat in ring:
                lons.append(lon)
                lats.append(lat)
    return min(lons), min(lats), max(lons), max(lats)


# --- TopoJSON (us-atlas) ---------------------------------------------------------------


def atlas_path() -> Path:
    """Where ``make install`` puts the us-atlas county file."""
    return Path(settings.PROJECT_DIR) / "node_modules" / "us-atlas" / "counties-10m.json"


def _decode_arcs(topology: dict[str, Any]) -> list[Ring]:
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs: list[Ring] = []
    for arc in topology["arcs"]:
        x = y = 0
        points: Ring = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def _ring(arcs: list[Ring], indexes: Iterable[int]) -> Ring:
    points: Ring = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        # Consecutive arcs share their joining point; keep it once.
        points.extend(arc if not points else arc[1:])
    return points


def _polygons(arcs: list[Ring], geometry: dict[str, Any]) -> tuple[tuple[Ring, ...], ...]:
    if geometry["type"] == "Polygon":
        shapes = [geometry["arcs"]]
    elif geometry["type"] == "MultiPolygon":
        shapes = geometry["arcs"]
    else:
        return ()
    return tuple(tuple(_ring(arcs, ring) for ring in shape) for shape in shapes)


@dataclass(frozen=True)
class Atlas:
    counties: tuple[Area, ...]
    states: dict[str, Area]

    def counties_of(self, state: str) -> list[Area]:
        return [c for c in self.counties if c.state == state]

    def bounds(self, states: Iterable[str]) -> tuple[float, float, float, float]:
        boxes = [self.states[s].bbox for s in states if s in self.states]
        if not boxes:
            raise ValueError("no shipped outline for these states")
        return (
            min(b[0] for b in boxes),
            min(b[1] for b in boxes),
            max(b[2] for b in boxes),
            max(b[3] for b in boxes),
        )


@lru_cache(maxsize=4)
def _load_atlas(path: str) -> Atlas:
    try:
        with open(path, encoding="utf-8") as fh:
            topology = json.load(fh)
    except FileNotFoundError as exc:
        raise ImproperlyConfigured(
            f"County outlines are missing ({path}): run `make install` to install the "
            "us-atlas package."
        ) from exc
    arcs = _decode_arcs(topology)
    counties: list[Area] = []
    for geometry in topology["objects"]["counties"]["geometries"]:
        fips = str(geometry.get("id", ""))
        state = FIPS_STATE.get(fips[:2])
        if state is None:
            continue
        polygons = _polygons(arcs, geometry)
        if polygons:
            name = str(geometry.get("properties", {}).get("name", fips))
            counties.append(Area(fips, name, state, polygons, _bbox(polygons)))
    states: dict[str, Area] = {}
    for geometry in topology["objects"]["states"]["geometries"]:
        fips = str(geometry.get("id", ""))
        state = FIPS_STATE.get(fips)
        if state is None:
            continue
        polygons = _polygons(arcs, geometry)
        name = str(geometry.get("properties", {}).get("name", state))
        states[state] = Area(fips, name, state, polygons, _bbox(polygons))
    counties.sort(key=lambda c: c.fips)
    return Atlas(tuple(counties), states)


def atlas() -> Atlas:
    """The shipped county and state outlines of Minnesota and Wisconsin (read once)."""
    return _load_atlas(str(atlas_path()))


def county_of(lat: float, lon: float) -> Area | None:
    """The Minnesota or Wisconsin county containing the point, or ``None`` outside both."""
    for county in atlas().counties:
        if county.contains(lon, lat):
            return county
    return None


# --- Places (optional, installed by the deployment) ------------------------------------


def place_boundaries_path() -> Path | None:
    value = getattr(settings, "LIAISON_PLACE_BOUNDARIES", "")
    return Path(value) if value else None


@lru_cache(maxsize=4)
def _load_places(path: str) -> tuple[Area, ...]:
    try:
        with open(path, encoding="utf-8") as fh:
            collection = json.load(fh)
    except (OSError, ValueError) as exc:
        raise ImproperlyConfigured(
            f"LIAISON_PLACE_BOUNDARIES names {path}, which is not a readable GeoJSON file."
        ) from exc
    places: list[Area] = []
    for feature in collection.get("features", []):
        props = feature.get("properties") or {}
        geometry = feature.get("geometry") or {}
        fips = str(props.get("GEOID", ""))
        name = str(props.get("NAME", ""))
        if geometry.get("type") == "Polygon":
            shapes = [geometry["coordinates"]]
        elif geometry.get("type") == "MultiPolygon":
            shapes = geometry["coordinates"]
        else:
            continue
        polygons = tuple(
            tuple([(float(p[0]), float(p[1])) for p in ring] for ring in shape) for shape in shapes
        )
        if fips and name and polygons:
            state = FIPS_STATE.get(fips[:2], "")
            places.append(Area(fips, name, state, polygons, _bbox(polygons)))
    return tuple(places)


def city_of(lat: float, lon: float) -> Area | None:
    """The place containing the point, from ``LIAISON_PLACE_BOUNDARIES``; ``None`` when
    no place file is installed or no place contains it."""
    path = place_boundaries_path()
    if path is None:
        return None
    for place in _load_places(str(path)):
        if place.contains(lon, lat):
            return place
    return None


def places_installed() -> bool:
    return place_boundaries_path() is not None


# --- The map ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Projection:
    """Equirectangular, true to scale at the middle latitude of the bounds."""

    min_lon: float
    min_lat: float
    max_lon: float
    max_lat: float
    width: float
    margin: float = 8.0

    @property
    def _k(self) -> float:
        return math.cos(math.radians((self.min_lat + self.max_lat) / 2))

    @property
    def scale(self) -> float:
        return (self.width - 2 * self.margin) / ((self.max_lon - self.min_lon) * self._k)

    @property
    def height(self) -> float:
        return (self.max_lat - self.min_lat) * self.scale + 2 * self.margin

    def __call__(self, lon: float, lat: float) -> tuple[float, float]:
        x = self.margin + (lon - self.min_lon) * self._k * self.scale
        y = self.margin + (self.max_lat - lat) * self.scale
        return x, y

    def metres(self, metres: float) -> float:
        # 1 degree of latitude ≈ 111.2 km on the WGS 84 mean sphere.
        return metres / 111_195.0 * self.scale


# Presentation attributes, not a stylesheet: the page's CSP allows no inline <style>.
# USWDS primary blue for operations, secondary orange for conflicts (both ≥ 3:1 on the
# county fill), ink for one's own.
PLACE_COLOURS = {"operation": "#005ea2", "conflict": "#d54309", "own": "#1b1b1b"}


@dataclass(frozen=True)
class MapPlace:
    """A location to draw: a point with a radius, or a polygon of (lon, lat)."""

    key: str
    label: str
    lat: float | None = None
    lon: float | None = None
    radius_m: float = 0
    polygon: Sequence[Sequence[float]] | None = None
    kind: str = "operation"  # a CSS class: operation, conflict, own

    def centre(self) -> Point | None:
        if self.lat is not None and self.lon is not None:
            return self.lon, self.lat
        if self.polygon:
            lons = [float(p[0]) for p in self.polygon]
            lats = [float(p[1]) for p in self.polygon]
            return sum(lons) / len(lons), sum(lats) / len(lats)
        return None


@dataclass(frozen=True)
class MapLink:
    """A conflict drawn as a line between two places (by their keys)."""

    a: str
    b: str
    label: str


def _path(project: Projection, polygons: Iterable[Iterable[Ring]]) -> str:
    parts: list[str] = []
    for polygon in polygons:
        for ring in polygon:
            points = _thin(project, ring)
            if len(points) < 3:
                continue
            parts.append("M" + "L".join(f"{x:.1f} {y:.1f}" for x, y in points) + "Z")
    return "".join(parts)


def _thin(project: Projection, ring: Ring) -> list[tuple[float, float]]:
    # Drop points closer than half a pixel to the previous one: the same outline, a
    # fraction of the bytes.
    out: list[tuple[float, float]] = []
    for lon, lat in ring:
        x, y = project(lon, lat)
        if out and abs(x - out[-1][0]) < 0.5 and abs(y - out[-1][1]) < 0.5:
            continue
        out.append((x, y))
    return out


@lru_cache(maxsize=8)
def _outline_svg(states: tuple[str, ...], width: float) -> str:
    data = atlas()
    project = Projection(*data.bounds(states), width=width)
    counties = "".join(
        f'<path class="map-county" fill="#f0f0f0" stroke="#a9aeb1" stroke-width="0.6" '
        f'd="{_path(project, c.polygons)}">'
        f"<title>{escape(c.label)}, {c.state}</title></path>"
        for s in states
        for c in data.counties_of(s)
    )
    outline = "".join(
        f'<path class="map-state" fill="none" stroke="#1b1b1b" stroke-width="1.2" '
        f'd="{_path(project, data.states[s].polygons)}"/>'
        for s in states
        if s in data.states
    )
    return counties + outline


def map_states(states: Iterable[str]) -> tuple[str, ...]:
    wanted = tuple(s for s in states if s in STATE_FIPS)
    return wanted or tuple(STATE_FIPS)


def render_map(
    *,
    states: Iterable[str],
    places: Sequence[MapPlace] = (),
    links: Sequence[MapLink] = (),
    title: str,
    description: str,
    width: float = 640,
    svg_id: str = "operations-map",
) -> SafeString:
    """Inline SVG of the states' county outlines with ``places`` and ``links`` on top.

    ``role="img"`` named by its title (``aria-labelledby``) and described by its
    description (``aria-describedby``); every shape
    carries a ``<title>`` for pointer users. The page shows the same places in a table
    (the accessible alternative); the SVG carries its bounds in ``data-bounds`` so a
    script can turn a click into coordinates.
    """
    chosen = map_states(states)
    bounds = atlas().bounds(chosen)
    project = Projection(*bounds, width=width)
    body: list[str] = [_outline_svg(chosen, width)]
    centres: dict[str, tuple[float, float]] = {}
    for place in places:
        centre = place.centre()
        if centre is None:
            continue
        x, y = project(*centre)
        centres.setdefault(place.key, (x, y))
        label = escape(place.label)
        colour = PLACE_COLOURS.get(place.kind, PLACE_COLOURS["operation"])
        css = (
            f'class="map-place map-{escape(place.kind)}" fill="{colour}" fill-opacity="0.55" '
            f'stroke="{colour}" stroke-width="1.5"'
        )
        if place.polygon:
            ring = [(float(p[0]), float(p[1])) for p in place.polygon]
            d = _path(project, [[ring]]) or f"M{x:.1f} {y:.1f}Z"
            body.append(f'<path {css} d="{d}"><title>{label}</title></path>')
        radius = max(project.metres(place.radius_m), 4.0)
        body.append(
            f'<circle {css} cx="{x:.1f}" cy="{y:.1f}" r="{radius:.1f}">'
            f"<title>{label}</title></circle>"
        )
    for link in links:
        if link.a in centres and link.b in centres:
            (x1, y1), (x2, y2) = centres[link.a], centres[link.b]
            body.append(
                f'<line class="map-link" stroke="#d54309" stroke-width="2" stroke-dasharray="5 3" x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" '
                f'y2="{y2:.1f}"><title>{escape(link.label)}</title></line>'
            )
    min_lon, min_lat, max_lon, max_lat = bounds
    sid = escape(svg_id)
    svg = (
        f'<svg id="{sid}" class="operations-map" xmlns="http://www.w3.org/2000/svg" '
        f'viewBox="0 0 {width:.0f} {project.height:.0f}" role="img" '
        f'aria-labelledby="{sid}-title" aria-describedby="{sid}-desc" '
        f'data-bounds="{min_lon:.6f},{min_lat:.6f},{max_lon:.6f},{max_lat:.6f}" '
        f'data-margin="{project.margin:g}" data-width="{width:g}">'
        f'<title id="{sid}-title">{escape(title)}</title>'
        f'<desc id="{sid}-desc">{escape(description)}</desc>' + "".join(body) + "</svg>"
    )
    return mark_safe(svg)  # noqa: S308 - every text piece above is escaped


def iter_counties(state: str) -> Iterator[Area]:
    yield from atlas().counties_of(state)


def locate(lat: float, lon: float) -> tuple[str, str]:
    """The county (``"Hennepin County"``) and city of a point, each ``""`` when unknown.

    The city is the place of ``LIAISON_PLACE_BOUNDARIES`` containing the point, named as
    the directory names the city jurisdiction of that FIPS code when it lists one.
    """
    county = county_of(lat, lon)
    place = city_of(lat, lon)
    city = ""
    if place is not None:
        from liaison.directory.models import Jurisdiction

        listed = (
            Jurisdiction.objects.filter(kind=Jurisdiction.Kind.CITY, fips=place.fips)
            .values_list("name", flat=True)
            .first()
        )
        city = listed or place.name
    return (county.label if county else "", city)
