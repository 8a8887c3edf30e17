"""Distances between the places of operations, on the WGS 84 mean sphere.

Two circles (a point with a radius) are compared exactly: the great-circle distance
between their centres (haversine, mean Earth radius 6,371,008.8 m) against the sum of
the radii plus the allowed distance. A polygon's edges are straight lines in a local
equirectangular projection centred on the point being measured (x = R·Δλ·cos φ₀,
y = R·Δφ); for places within 100 km of each other at Minnesota and Wisconsin
latitudes the projected distance differs from the great-circle one by well under
1 %. A point inside a polygon is at distance 0; two polygons that cross or contain one
another are at distance 0, otherwise at the least distance from a vertex of one to an
edge of the other.

Bounding boxes are exact for circles (the longitudes a spherical cap spans) and the
vertex extremes for polygons, so a box test never loses a pair the exact test finds.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

EARTH_RADIUS_M = 6_371_008.8
"""The WGS 84 mean radius (IUGG R1), metres."""


@dataclass(frozen=True)
class Circle:
    lat: float
    lon: float
    radius_m: float = 0.0


@dataclass(frozen=True)
class Polygon:
    points: tuple[tuple[float, float], ...]
    """The outline as (lon, lat) pairs, as in GeoJSON; not closed (the last edge is implied)."""


Shape = Circle | Polygon


@dataclass(frozen=True)
class Box:
    min_lat: float
    max_lat: float
    min_lon: float
    max_lon: float

    def meets(self, other: Box) -> bool:
        return (
            self.min_lat <= other.max_lat
            and other.min_lat <= self.max_lat
            and self.min_lon <= other.max_lon
            and other.min_lon <= self.max_lon
        )


def great_circle_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres (haversine on the mean sphere)."""
    p1 = math.radians(lat1)
    return _haversine_m(p1, math.cos(p1), lon1, lat2, lon2)


def _haversine_m(p1: float, cos1: float, lon1: float, lat2: float, lon2: float) -> float:
    """:func:`great_circle_m` with the first point's latitude in radians and its cosine
    worked out already (the same arithmetic, so the same result to the last bit)."""
    p2 = math.radians(lat2)
    dp = p2 - p1
    dl = math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + cos1 * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


def _lon_reach(distance_m: float, max_abs_lat: float) -> float:
    """Degrees of longitude within ``distance_m`` of a point at latitude ``max_abs_lat``."""
    delta = distance_m / EARTH_RADIUS_M
    cos_lat = math.cos(math.radians(min(90.0, max_abs_lat)))
    if delta >= math.pi / 2 or cos_lat <= math.sin(delta):
        return 360.0
    return math.degrees(math.asin(math.sin(delta) / cos_lat))


def box_of(shape: Shape, margin_m: float = 0.0) -> Box:
    """The bounding box of ``shape`` grown by ``margin_m`` metres on every side."""
    if isinstance(shape, Circle):
        reach = shape.radius_m + margin_m
        dlat = math.degrees(reach / EARTH_RADIUS_M)
        dlon = _lon_reach(reach, abs(shape.lat))
        return Box(
            max(-90.0, shape.lat - dlat),
            min(90.0, shape.lat + dlat),
            max(-180.0, shape.lon - dlon),
            min(180.0, shape.lon + dlon),
        )
    lons = [p[0] for p in shape.points]
    lats = [p[1] for p in shape.points]
    dlat = math.degrees(margin_m / EARTH_RADIUS_M)
    dlon = _lon_reach(margin_m, max(abs(min(lats)), abs(max(lats))) + dlat) if margin_m else 0.0
    return Box(
        max(-90.0, min(lats) - dlat),
        min(90.0, max(lats) + dlat),
        max(-180.0, min(lons) - dlon),
        min(180.0, max(lons) + dlon),
    )


# --- planar helpers in a local projection -----------------------------------------------


def _project(lat0: float, lon0: float, lat: float, lon: float) -> tuple[float, float]:
    cos0 = math.cos(math.radians(lat0))
    return (
        EARTH_RADIUS_M * math.radians(lon - lon0) * cos0,
        EARTH_RADIUS_M * math.radians(lat - lat0),
    )


def _segment_distance(px: float, py: float, ax: float, ay: float, bx: float, by: float) -> float:
    dx, dy = bx - ax, by - ay
    length2 = dx * dx + dy * dy
    t = 0.0 if length2 == 0 else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / length2))
    return math.hypot(px - (ax + t * dx), py - (ay + t * dy))


def _inside(lat: float, lon: float, points: Sequence[tuple[float, float]]) -> bool:
    """Even-odd rule in longitude/latitude (edges straight in the plate carrée)."""
    inside = False
    n = len(points)
    for i in range(n):
        x1, y1 = points[i]
        x2, y2 = points[(i + 1) % n]
        if (y1 > lat) != (y2 > lat):
            x = x1 + (lat - y1) * (x2 - x1) / (y2 - y1)
            if lon < x:
                inside = not inside
    return inside


def point_to_polygon_m(lat: float, lon: float, polygon: Polygon) -> float:
    """Metres from the point to the polygon: 0 inside, else to the nearest edge."""
    points = polygon.points
    if _inside(lat, lon, points):
        return 0.0
    projected = [_project(lat, lon, p[1], p[0]) for p in points]
    n = len(projected)
    return min(
        _segment_distance(0.0, 0.0, *projected[i], *projected[(i + 1) % n]) for i in range(n)
    )


def _segments_cross(
    a: tuple[float, float], b: tuple[float, float], c: tuple[float, float], d: tuple[float, float]
) -> bool:
    def orient(p: tuple[float, float], q: tuple[float, float], r: tuple[float, float]) -> float:
        return (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0])

    o1, o2, o3, o4 = orient(a, b, c), orient(a, b, d), orient(c, d, a), orient(c, d, b)
    return o1 * o2 < 0 and o3 * o4 < 0  # touching is distance 0, measured below


def polygon_to_polygon_m(first: Polygon, second: Polygon) -> float:
    """Metres between two polygons: 0 when they cross or one holds the other."""
    p, q = first.points, second.points
    if any(_inside(lat, lon, q) for lon, lat in p) or any(_inside(lat, lon, p) for lon, lat in q):
        return 0.0
    for i in range(len(p)):
        for j in range(len(q)):
            if _segments_cross(p[i], p[(i + 1) % len(p)], q[j], q[(j + 1) % len(q)]):
                return 0.0
    nearest = min(point_to_polygon_m(lat, lon, second) for lon, lat in p)
    return min(nearest, min(point_to_polygon_m(lat, lon, first) for lon, lat in q))


def within(first: Shape, second: Shape, distance_m: float) -> bool:
    """Whether some point of ``first`` is within ``distance_m`` metres of some point of
    ``second`` (for two circles: centres at most r1 + r2 + distance apart)."""
    if isinstance(second, Circle):
        return within_circle(first, second.lat, second.lon, second.radius_m, distance_m)
    if isinstance(first, Circle):
        return within_circle(second, first.lat, first.lon, first.radius_m, distance_m)
    return polygon_to_polygon_m(first, second) <= distance_m


def within_circle(shape: Shape, lat: float, lon: float, radius_m: float, distance_m: float) -> bool:
    """``within(shape, Circle(lat, lon, radius_m), distance_m)``, for a circle read from
    the index without building it."""
    if isinstance(shape, Circle):
        centres = great_circle_m(shape.lat, shape.lon, lat, lon)
        return centres <= shape.radius_m + radius_m + distance_m
    return point_to_polygon_m(lat, lon, shape) <= radius_m + distance_m


def near_circles(
    shapes: Sequence[Shape], distance_m: float
) -> Callable[[float, float, float], bool]:
    """A test of a circle ``(lat, lon, radius_m)``: whether any of ``shapes`` is
    :func:`within` ``distance_m`` of it. The same answer as calling :func:`within_circle`
    for each shape, with each shape's own trigonometry done once, for the many circles
    a check compares with one plan."""
    circles = [
        (math.radians(s.lat), math.cos(math.radians(s.lat)), s.lon, s.radius_m)
        for s in shapes
        if isinstance(s, Circle)
    ]
    polygons = [s for s in shapes if isinstance(s, Polygon)]
    # Never farther than the arc between the latitudes: a cheap way to rule a pair out
    # (with a margin far above rounding, so no pair the full test accepts is dropped).
    per_radian = EARTH_RADIUS_M * (1 - 1e-9)

    def test(lat: float, lon: float, radius_m: float) -> bool:
        p2 = math.radians(lat)
        for p1, cos1, lon1, r1 in circles:
            limit = r1 + radius_m + distance_m
            if abs(p2 - p1) * per_radian > limit + 1e-6:
                continue
            if _haversine_m(p1, cos1, lon1, lat, lon) <= limit:
                return True
        return any(point_to_polygon_m(lat, lon, p) <= radius_m + distance_m for p in polygons)

    return test
