"""Deconfliction through the services: the rule's boundaries, subjects after normalization,
edits that make and clear conflicts, notices to both points of contact, and what each
side may learn of the other."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.test import override_settings

from liaison.core.errors import NotFound, ServiceError
from liaison.core.roles import Role
from liaison.ledger.models import Entry
from liaison.notifications.models import Notification
from liaison.operations import selectors, services
from liaison.operations.geometry import EARTH_RADIUS_M, great_circle_m
from liaison.operations.models import Conflict, Operation, OperationCell
from liaison.operations.plans import validate_plan
from liaison.operations.tests.conftest import ST_PAUL, plan_data
from liaison.personas import World

Planner = Callable[..., Operation]
EAST = (ST_PAUL[0], ST_PAUL[1] + 0.02)  # about 1.6 km east


def _circle(at: tuple[float, float], radius: float) -> list[dict[str, Any]]:
    return [{"lat": at[0], "lon": at[1], "radius_m": radius}]


def _conflicts(operation: Operation) -> list[tuple[int, str]]:
    return sorted(
        (c.other_id(operation.pk), c.reason)
        for c in Conflict.objects.filter(cleared_at__isnull=True)
        if operation.pk in (c.operation_a_id, c.operation_b_id)
    )


def test_circles_exactly_the_sum_of_their_radii_apart_conflict(planner: Planner) -> None:
    gap = great_circle_m(*ST_PAUL, *EAST)
    first = planner("BCA", submit=True, locations=_circle(ST_PAUL, gap / 2))
    second = planner("MPD", submit=True, locations=_circle(EAST, gap / 2))
    assert _conflicts(second) == [(first.pk, "place_time")]


def test_circles_a_centimetre_beyond_the_sum_of_their_radii_do_not(planner: Planner) -> None:
    gap = great_circle_m(*ST_PAUL, *EAST)
    planner("BCA", submit=True, locations=_circle(ST_PAUL, gap / 2))
    second = planner("MPD", submit=True, locations=_circle(EAST, gap / 2 - 0.01))
    assert _conflicts(second) == []


@override_settings(DECONFLICT_DISTANCE_M=250)
def test_the_configured_distance_is_added_to_the_radii(planner: Planner) -> None:
    gap = great_circle_m(*ST_PAUL, *EAST)
    first = planner("BCA", submit=True, locations=_circle(ST_PAUL, gap / 2 - 250))
    near = planner("MPD", submit=True, locations=_circle(EAST, gap / 2 + 0.001))
    far = planner("HCSO", submit=True, locations=_circle(EAST, gap / 2 - 0.01))
    assert (first.pk, "place_time") in _conflicts(near)
    assert (first.pk, "place_time") not in _conflicts(far)


def test_windows_exactly_two_buffers_apart_conflict(planner: Planner) -> None:
    first = planner("BCA", submit=True)  # ends 10:00; each side widened by 120 minutes
    later = {"start": "2026-06-01T14:00:00Z", "end": "2026-06-01T16:00:00Z"}
    second = planner("MPD", submit=True, window=later)
    assert _conflicts(second) == [(first.pk, "place_time")]


def test_windows_a_second_more_apart_do_not(planner: Planner) -> None:
    planner("BCA", submit=True)
    later = {"start": "2026-06-01T14:00:01Z", "end": "2026-06-01T16:00:00Z"}
    assert _conflicts(planner("MPD", submit=True, window=later)) == []


@override_settings(DECONFLICT_BUFFER_MIN=0)
def test_without_a_buffer_touching_windows_still_overlap(planner: Planner) -> None:
    first = planner("BCA", submit=True)
    touching = {"start": "2026-06-01T10:00:00Z", "end": "2026-06-01T11:00:00Z"}
    apart = {"start": "2026-06-01T10:00:01Z", "end": "2026-06-01T11:00:00Z"}
    assert _conflicts(planner("MPD", submit=True, window=touching)) == [(first.pk, "place_time")]
    assert (first.pk, "place_time") not in _conflicts(planner("HCSO", submit=True, window=apart))


def test_a_point_inside_a_polygon_conflicts_and_one_outside_by_more_than_its_radius_not(
    planner: Planner,
) -> None:
    lat, lon = ST_PAUL
    square = [[lon - 0.01, lat - 0.01], [lon + 0.01, lat - 0.01], [lon + 0.01, lat + 0.01]]
    square.append([lon - 0.01, lat + 0.01])
    first = planner("BCA", submit=True, locations=[{"polygon": square}])
    inside = planner("MPD", submit=True, locations=_circle(ST_PAUL, 0))
    # 0.02° north of the square's northern edge is about 2,224 m away
    north = (lat + 0.03, lon)
    edge_gap = EARTH_RADIUS_M * 0.02 * 3.141592653589793 / 180
    near = planner("HCSO", submit=True, locations=_circle(north, edge_gap + 1))
    far = planner("MSP", submit=True, locations=_circle(north, edge_gap - 20))
    assert _conflicts(inside) == [(first.pk, "place_time")]
    assert (first.pk, "place_time") in _conflicts(near)
    assert (first.pk, "place_time") not in _conflicts(far)


def test_polygons_that_cross_conflict(planner: Planner) -> None:
    lat, lon = ST_PAUL
    long_one = [[lon - 0.05, lat], [lon + 0.05, lat], [lon + 0.05, lat + 0.001]]
    tall_one = [[lon, lat - 0.05], [lon + 0.001, lat - 0.05], [lon, lat + 0.05]]
    first = planner("BCA", submit=True, locations=[{"polygon": long_one}])
    second = planner("MPD", submit=True, locations=[{"polygon": tall_one}])
    assert _conflicts(second) == [(first.pk, "place_time")]


@pytest.mark.parametrize(
    ("kind", "one", "other"),
    [
        ("plate", "ABC-123", "abc 123"),
        ("person", "Maria Lopez, 1990-01-31", "LOPEZ, Maria 01/31/1990"),
        ("phone", "(651) 555-0100", "+1 651 555 0100"),
        ("address", "100 North Main Street", "100 n main st"),
    ],
)
def test_a_shared_subject_matches_after_normalization_anywhere_and_any_time(
    planner: Planner, kind: str, one: str, other: str
) -> None:
    first = planner("BCA", submit=True, subjects=[{"kind": kind, "value": one}])
    elsewhere = {
        "window": {"start": "2026-11-01T06:00:00Z", "end": "2026-11-01T08:00:00Z"},
        "locations": _circle((46.78, -92.10), 100),  # Duluth, months later
        "subjects": [{"kind": kind, "value": other}],
    }
    second = planner("MPD", submit=True, **elsewhere)
    assert _conflicts(second) == [(first.pk, "subject")]


def test_subjects_are_stored_sealed_and_hashed_never_in_clear(planner: Planner) -> None:
    operation = planner("BCA", subjects=[{"kind": "plate", "value": "ABC-123"}])
    subject = operation.subjects.get()
    assert "ABC" not in subject.sealed
    assert "123" not in subject.sealed
    assert len(subject.hash) == 64
    from liaison.core import identifiers

    assert identifiers.unseal(subject.sealed) == "ABC-123"
    assert subject.hash == identifiers.keyed_hash("plate", "abc 123")


def test_two_drafts_do_not_conflict_until_one_is_submitted(planner: Planner, world: World) -> None:
    first = planner("BCA")
    second = planner("MPD")
    assert Conflict.objects.count() == 0
    services.operation_submit(actor=world.persona(Role.COORDINATOR, "MPD"), operation=second)
    assert _conflicts(first) == [(second.pk, "place_time")]


def test_a_submitted_plan_conflicts_with_a_draft_and_each_conflict_is_recorded_once(
    planner: Planner, world: World
) -> None:
    draft = planner("BCA", subjects=[{"kind": "plate", "value": "XYZ 9"}])
    second = planner("MPD", submit=True, subjects=[{"kind": "plate", "value": "xyz-9"}])
    assert _conflicts(second) == [(draft.pk, "place_time"), (draft.pk, "subject")]
    actor = world.persona(Role.COORDINATOR, "MPD")
    services.operation_update(
        actor=actor,
        operation=second,
        details=services.OperationDetails(objectives="Serve the warrant."),
    )
    services.operation_deconflict(actor=actor, operation=second)
    assert Conflict.objects.count() == 2


def test_an_edit_that_moves_the_operation_away_clears_the_conflict_and_one_back_records_anew(
    planner: Planner, world: World
) -> None:
    first = planner("BCA", submit=True)
    second = planner("MPD", submit=True)
    actor = world.persona(Role.COORDINATOR, "MPD")
    moved = plan_data("MPD", locations=_circle((46.78, -92.10), 100))
    services.operation_update(actor=actor, operation=second, plan=validate_plan(moved))
    assert _conflicts(second) == []
    cleared = Conflict.objects.get()
    assert cleared.cleared_at is not None
    assert Entry.objects.filter(action="conflict.clear", object_id=str(cleared.pk)).exists()
    services.operation_update(actor=actor, operation=second, plan=validate_plan(plan_data("MPD")))
    assert _conflicts(second) == [(first.pk, "place_time")]
    assert Conflict.objects.count() == 2


def test_an_edit_of_the_window_creates_a_conflict(planner: Planner, world: World) -> None:
    first = planner("BCA", submit=True)
    later = {"start": "2026-06-03T06:00:00Z", "end": "2026-06-03T08:00:00Z"}
    second = planner("MPD", submit=True, window=later)
    assert _conflicts(second) == []
    services.operation_update(
        actor=world.persona(Role.COORDINATOR, "MPD"),
        operation=second,
        plan=validate_plan(plan_data("MPD")),
    )
    assert _conflicts(second) == [(first.pk, "place_time")]
    assert Entry.objects.filter(action="conflict.detect").count() == 1


def test_cancelling_clears_the_conflicts_and_leaves_the_index(
    planner: Planner, world: World
) -> None:
    first = planner("BCA", submit=True)
    second = planner("MPD", submit=True)
    services.operation_cancel(
        actor=world.persona(Role.COORDINATOR, "MPD"), operation=second, reason="Called off."
    )
    assert _conflicts(first) == []
    assert not OperationCell.objects.filter(operation=second).exists()
    third = planner("HCSO", submit=True)
    assert _conflicts(third) == [(first.pk, "place_time")]


def test_both_points_of_contact_are_told_whom_to_call_and_why_and_nothing_else(
    planner: Planner, world: World, django_capture_on_commit_callbacks: Any
) -> None:
    bca = world.persona(Role.COORDINATOR, "BCA", email="bca.coordinator@example.org")
    mpd = world.persona(Role.COORDINATOR, "MPD", email="mpd.coordinator@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        first = planner("BCA", submit=True, name="Operation Quiet Harbor")
    with django_capture_on_commit_callbacks(execute=True):
        second = planner("MPD", submit=True, name="Operation Bright Lantern")
    to_bca = Notification.objects.get(recipient=bca)
    to_mpd = Notification.objects.get(recipient=mpd)
    assert mpd.get_full_name() in to_bca.body
    assert second.lead_agency.name in to_bca.body
    assert "612-555-0102" in to_bca.body  # MPD's phone for the operation
    assert "Quiet Harbor" in to_bca.body
    assert "Bright Lantern" not in to_bca.body
    assert "Bright Lantern" in to_mpd.body
    assert "Quiet Harbor" not in to_mpd.body
    assert "same place" in to_mpd.body
    sent = {m.to[0]: m for m in mail.outbox}
    assert set(sent) == {bca.email, mpd.email}
    assert "Quiet Harbor" not in sent[mpd.email].body
    assert first.pk != second.pk


def test_each_side_acknowledges_for_itself(planner: Planner, world: World) -> None:
    first = planner("BCA", submit=True)
    second = planner("MPD", submit=True)
    conflict = Conflict.objects.get()
    assert list(selectors.unacknowledged_conflicts(first)) == [conflict]
    mpd = world.persona(Role.COORDINATOR, "MPD")
    with pytest.raises(NotFound):  # MPD does not see BCA's operation
        selectors.operation_get_for_user(user=mpd, pk=first.pk, purpose="acknowledge")
    services.conflict_acknowledge(actor=mpd, conflict=conflict, operation=second)
    assert list(selectors.unacknowledged_conflicts(second)) == []
    assert list(selectors.unacknowledged_conflicts(first)) == [conflict]
    with pytest.raises(ServiceError) as again:
        services.conflict_acknowledge(actor=mpd, conflict=conflict, operation=second)
    assert again.value.code == "already_acknowledged"
    services.conflict_acknowledge(
        actor=world.persona(Role.SUPERVISOR, "BCA"), conflict=conflict, operation=first
    )
    assert list(selectors.unacknowledged_conflicts(first)) == []


def test_neither_side_sees_the_others_operation_only_whom_to_call(
    planner: Planner, world: World
) -> None:
    first = planner("BCA", submit=True, subjects=[{"kind": "plate", "value": "ABC-123"}])
    second = planner("MPD", submit=True, subjects=[{"kind": "plate", "value": "ABC123"}])
    bca, mpd = world.persona(Role.COORDINATOR, "BCA"), world.persona(Role.COORDINATOR, "MPD")
    assert first not in selectors.operation_list_for_user(user=mpd)
    assert second not in selectors.operation_list_for_user(user=bca)
    with pytest.raises(NotFound):
        selectors.operation_get_for_user(user=mpd, pk=first.pk)
    views = selectors.conflicts_for_operation(user=mpd, operation=second)
    assert {v.reason for v in views} == {"place_time", "subject"}
    for view in views:
        assert view.contact_name == bca.get_full_name()
        assert view.contact_agency == first.lead_agency.name
        assert view.contact_phone == first.contact_phone
        assert set(vars(view)) == {
            "id",
            "operation",
            "reason",
            "reason_label",
            "detected_at",
            "cleared_at",
            "acknowledged_at",
            "contact_name",
            "contact_agency",
            "contact_phone",
        }
        assert view.operation == second.pk
        assert first.name not in str(vars(view))
    with pytest.raises(NotFound):
        selectors.conflicts_for_operation(user=mpd, operation=first)
