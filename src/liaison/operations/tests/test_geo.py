"""Shipped boundaries: counties by point-in-polygon, optional place outlines, the SVG map."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from liaison.operations import geo

SVG = "{http://www.w3.org/2000/svg}"


@pytest.mark.parametrize(
    ("lat", "lon", "fips", "label"),
    [
        (44.9772, -93.2654, "27053", "Hennepin County"),  # Minneapolis City Hall
        (44.9440, -93.0936, "27123", "Ramsey County"),  # St. Paul City Hall
        (43.0418, -87.9093, "55079", "Milwaukee County"),  # Milwaukee City Hall
        (43.0747, -89.3844, "55025", "Dane County"),  # Wisconsin State Capitol
        (46.7833, -92.1066, "27137", "St. Louis County"),  # Duluth
    ],
)
def test_county_of_finds_the_county_of_a_known_point(lat, lon, fips, label):
    county = geo.county_of(lat, lon)
    assert county is not None
    assert (county.fips, county.label) == (fips, label)
    assert county.state == fips_state(fips)


def fips_state(fips: str) -> str:
    return {"27": "MN", "55": "WI"}[fips[:2]]


def test_county_of_answers_none_outside_minnesota_and_wisconsin():
    assert geo.county_of(41.8781, -87.6298) is None  # Chicago
    assert geo.county_of(45.0, -80.0) is None  # Lake Huron's Canadian shore


def test_the_atlas_holds_every_county_of_both_states_once():
    atlas = geo.atlas()
    assert len(atlas.counties_of("MN")) == 87
    assert len(atlas.counties_of("WI")) == 72
    assert geo.atlas() is atlas  # read once, kept


def test_a_missing_atlas_says_how_to_install_it(tmp_path):
    with pytest.raises(ImproperlyConfigured, match="make install"):
        geo._load_atlas(str(tmp_path / "absent.json"))


def test_city_of_answers_none_without_installed_place_boundaries(settings):
    settings.LIAISON_PLACE_BOUNDARIES = ""
    assert geo.places_installed() is False
    assert geo.city_of(44.9772, -93.2654) is None


def _square(lon: float, lat: float, d: float) -> list[list[float]]:
    return [[lon - d, lat - d], [lon + d, lat - d], [lon + d, lat + d], [lon - d, lat + d]]


def test_city_of_reads_an_installed_place_file(settings, tmp_path: Path):
    ring = _square(-93.27, 44.98, 0.05)
    hole = _square(-93.27, 44.98, 0.005)
    path = tmp_path / "places.geojson"
    path.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"GEOID": "2743000", "NAME": "Minneapolis"},
                        "geometry": {"type": "Polygon", "coordinates": [ring, hole]},
                    }
                ],
            }
        )
    )
    settings.LIAISON_PLACE_BOUNDARIES = str(path)
    place = geo.city_of(44.96, -93.25)
    assert place is not None
    assert (place.fips, place.name, place.state) == ("2743000", "Minneapolis", "MN")
    assert geo.city_of(44.98, -93.27) is None  # in the hole
    assert geo.city_of(44.0, -92.0) is None


def test_the_map_is_an_accessible_svg_with_places_and_conflict_lines():
    svg = geo.render_map(
        states=["MN"],
        places=[
            geo.MapPlace(key="1", label="Op <one>", lat=44.9772, lon=-93.2654, radius_m=800),
            geo.MapPlace(
                key="2",
                label="Op two",
                polygon=_square(-93.09, 44.94, 0.02),
                kind="conflict",
            ),
        ],
        links=[geo.MapLink(a="1", b="2", label="Conflict: place and time")],
        title="Operations in Minnesota",
        description="Two operations and one conflict.",
    )
    root = ET.fromstring(str(svg))  # noqa: S314 - our own output
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "operations-map-title"
    assert root.get("aria-describedby") == "operations-map-desc"
    assert root.find(f"{SVG}title").text == "Operations in Minnesota"
    assert root.find(f"{SVG}desc").text == "Two operations and one conflict."
    counties = root.findall(f"{SVG}path[@class='map-county']")
    assert len(counties) == 87
    assert {c.find(f"{SVG}title").text for c in counties} >= {"Hennepin County, MN"}
    circles = root.findall(f"{SVG}circle")
    assert [c.find(f"{SVG}title").text for c in circles] == ["Op <one>", "Op two"]
    assert root.findall(f"{SVG}line")[0].find(f"{SVG}title").text == "Conflict: place and time"
    assert "<one>" not in str(svg)  # labels are escaped
    min_lon, min_lat, max_lon, max_lat = map(float, root.get("data-bounds").split(","))
    assert min_lon < -97
    assert max_lon > -90
    assert min_lat < 43.6
    assert max_lat > 49


def test_the_projection_puts_north_up_and_west_left():
    project = geo.Projection(-97.0, 43.0, -89.0, 49.0, width=600)
    (x_west, y_north), (x_east, y_south) = project(-97.0, 49.0), project(-89.0, 43.0)
    assert x_west < x_east
    assert y_north < y_south
    assert x_west == pytest.approx(project.margin)
    assert x_east == pytest.approx(600 - project.margin)


@pytest.mark.django_db
def test_locate_names_the_city_as_the_directory_does(settings, tmp_path: Path):
    from liaison.directory.models import Jurisdiction

    path = tmp_path / "places.geojson"
    feature = {
        "type": "Feature",
        "properties": {"GEOID": "2758000", "NAME": "St. Paul"},
        "geometry": {"type": "Polygon", "coordinates": [_square(-93.09, 44.94, 0.05)]},
    }
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    settings.LIAISON_PLACE_BOUNDARIES = str(path)
    assert geo.locate(44.9440, -93.0936) == ("Ramsey County", "St. Paul")
    state = Jurisdiction.objects.create(name="Minnesota", kind="state", state="MN", fips="27")
    Jurisdiction.objects.create(
        name="City of Saint Paul", kind="city", state="MN", fips="2758000", parent=state
    )
    assert geo.locate(44.9440, -93.0936) == ("Ramsey County", "City of Saint Paul")
    settings.LIAISON_PLACE_BOUNDARIES = ""
    assert geo.locate(44.9772, -93.2654) == ("Hennepin County", "")
    assert geo.locate(41.8781, -87.6298) == ("", "")
