"""A malformed request gets a message for every field that is wrong, keyed by JSON path."""

from __future__ import annotations

from typing import Any

import pytest

from liaison.policy.engine import decide
from liaison.policy.request import InvalidRequest, validate_request
from liaison.policy.tests.factories import data_item, request


def _fields(req: Any) -> dict[str, list[str]]:
    with pytest.raises(InvalidRequest) as caught:
        validate_request(req)
    assert caught.value.code == "invalid_request"
    return caught.value.fields


def test_a_valid_request_comes_back_with_defaults_filled_in() -> None:
    req = request(data_item())
    del req["urgent"], req["agreements"]
    clean = validate_request(req)
    assert clean["urgent"] is False
    assert clean["agreements"] == []
    assert clean["items"][0]["deidentified"] is False
    assert clean["requester"]["attributes"] == {}


def test_an_unknown_value_is_named_by_its_path() -> None:
    fields = _fields(request(data_item(), data_item(category="shoe_size")))
    assert list(fields) == ["items[1].category"]
    assert fields["items[1].category"][0].startswith("Unknown value 'shoe_size'; one of: ")


def test_missing_fields_and_wrong_types_are_all_reported_at_once() -> None:
    req = request(data_item(active_investigation="yes"))
    del req["purpose"]
    req["jurisdiction"] = {"state": "IA", "county": 7}
    req["requester"]["level"] = None
    req["agreements"] = [{"type": "287g_jail_enforcement", "categories": "booking"}]
    fields = _fields(req)
    assert fields == {
        "purpose": ["This field is required."],
        "jurisdiction.state": ["Unknown value 'IA'; one of: MN, WI."],
        "jurisdiction.county": ["Must be a string or null."],
        "requester.level": ["Must be a string."],
        "agreements[0].status": ["This field is required."],
        "agreements[0].categories": ["Must be a list."],
        "items[0].active_investigation": ["Must be true or false."],
    }


def test_an_unknown_field_is_refused_so_a_misspelt_flag_is_not_read_as_false() -> None:
    assert _fields(request(data_item(deidentifed=True))) == {
        "items[0].deidentifed": ["Unknown field."]
    }


@pytest.mark.parametrize(
    ("req", "path"),
    [
        ([], "__all__"),
        (request(format="liaison.sharing.request/2"), "format"),
        (request(items=[]), "items"),
        (request(items=[{"action": "deport"}]), "items[0].action"),
        (request(items=[{"action": "status_inquiry", "category": "arrest"}]), "items[0].category"),
        (request(items=[{"source": "other"}]), "items[0]"),
        (request(items=["arrest"]), "items[0]"),
        (request(urgent="no"), "urgent"),
        (
            request(requester={"agency": " ", "level": "federal", "component": "fbi"}),
            "requester.agency",
        ),
        (
            request(requester={"agency": "a\x00", "level": "federal", "component": "fbi"}),
            "requester.agency",
        ),
        (
            request(
                requester={
                    "agency": "FBI",
                    "level": "federal",
                    "component": "fbi",
                    "attributes": {"28CFRCertificationIndicator": "yes"},
                }
            ),
            "requester.attributes.28CFRCertificationIndicator",
        ),
        (request(items=[data_item()] * 51), "items"),
    ],
)
def test_each_malformed_shape_is_refused_at_its_path(req: Any, path: str) -> None:
    assert path in _fields(req)


def test_decide_refuses_a_malformed_request_before_evaluating_anything() -> None:
    with pytest.raises(InvalidRequest):
        decide(request(purpose="curiosity"))
