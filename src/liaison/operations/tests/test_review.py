"""Legal review, approval and execution: approval is impossible while an activity is not
covered, a participant is not ready or a conflict is not acknowledged."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from liaison.core.errors import Conflict, PermissionDenied, ServiceError
from liaison.ledger.models import Entry
from liaison.operations import aar, review, services
from liaison.operations.checklist import BLOCKED, NEEDS_REVIEW, OK, checklist
from liaison.operations.error_codes import OperationsErrorCode
from liaison.operations.models import Conflict as ConflictRecord
from liaison.operations.models import FollowUp, Operation, Outcome
from liaison.operations.tests.review_fixtures import (
    active_agreement,
    in_review,
    people,
    plan,
    tfo_requirement,
)

pytestmark = pytest.mark.django_db


def _states(found, section):
    return {i.key.split(":")[0]: i.state for i in found.section(section)}


def test_a_covered_ready_unconflicted_operation_goes_from_review_to_closing(world):
    active_agreement(world)
    p = people(world)
    operation = in_review(world)
    found = checklist(operation)
    assert found.passes, [i.line for i in found.blocking]
    assert {i.section for i in found.items if i.state == OK} >= {"coverage", "readiness"}
    step = review.operation_signoff(
        actor=p["counsel"], operation=operation, reason="Covered by the MOU; St. Paul checked."
    )
    assert step.checklist_digest == found.digest
    operation = review.operation_approve(actor=p["supervisor"], operation=operation)
    assert operation.status == Operation.Status.APPROVED
    operation = review.operation_start(actor=p["coordinator"], operation=operation)
    assert operation.status == Operation.Status.ACTIVE
    entry = review.operation_log(actor=p["officer"], operation=operation, text="Team in place.")
    assert entry.agency == world.agencies["BCA"]
    assert entry.recorded_at >= entry.occurred_at
    operation = review.operation_close(actor=p["coordinator"], operation=operation)
    assert operation.status == Operation.Status.CLOSED
    actions = list(
        Entry.objects.filter(object_id=str(operation.pk), action__startswith="operation.")
        .order_by("seq")
        .values_list("action", flat=True)
    )
    for action in (
        "operation.review_start",
        "operation.signoff",
        "operation.approve",
        "operation.start",
        "operation.log",
        "operation.close",
    ):
        assert action in actions
    assert [r["what"] for r in review.timeline(operation)][-1] == "Operation closed"


def test_approval_is_refused_with_an_activity_no_agreement_covers(world):
    active_agreement(world)
    p = people(world)
    operation = in_review(world, activities=("joint_investigation", "surveillance_support"))
    found = checklist(operation)
    assert [i.title for i in found.blocking] == ["Surveillance support by BCA Agency"]
    with pytest.raises(Conflict) as refused:
        review.operation_signoff(actor=p["counsel"], operation=operation, reason="Looks fine.")
    assert refused.value.code == OperationsErrorCode.CHECKLIST_BLOCKED
    with pytest.raises(Conflict) as refused:
        review.operation_approve(actor=p["supervisor"], operation=operation)
    assert refused.value.code == OperationsErrorCode.CHECKLIST_BLOCKED
    assert "Surveillance support by BCA Agency" in refused.value.message
    assert any("Counsel has not signed off" in line for line in refused.value.fields["__all__"])
    operation.refresh_from_db()
    assert operation.status == Operation.Status.IN_REVIEW


def test_approval_is_refused_while_a_participant_lacks_required_training(world):
    active_agreement(world)
    tfo_requirement(world)
    p = people(world)
    operation = in_review(world)
    readiness = checklist(operation).section("readiness")
    blocked = [i for i in readiness if i.state == BLOCKED]
    assert len(blocked) == 1
    assert "TFO-1 Task force officer orientation" in blocked[0].detail
    # Training is not a legal item: counsel may sign off, the supervisor may not approve.
    review.operation_signoff(actor=p["counsel"], operation=operation, reason="Lawful.")
    with pytest.raises(Conflict) as refused:
        review.operation_approve(actor=p["supervisor"], operation=operation)
    assert refused.value.code == OperationsErrorCode.CHECKLIST_BLOCKED
    assert "TFO-1" in refused.value.message


def test_approval_waits_for_the_conflict_to_be_acknowledged_and_a_fresh_signoff(world):
    active_agreement(world)
    p = people(world)
    operation = in_review(world)
    other = plan(world, lead="MPD", name="Operation Neighbour")
    conflict = ConflictRecord.objects.get(cleared_at__isnull=True)
    assert {conflict.operation_a_id, conflict.operation_b_id} == {operation.pk, other.pk}
    review.operation_signoff(actor=p["counsel"], operation=operation, reason="Lawful.")
    with pytest.raises(Conflict) as refused:
        review.operation_approve(actor=p["supervisor"], operation=operation)
    assert refused.value.code == OperationsErrorCode.CHECKLIST_BLOCKED
    assert "Not acknowledged" in refused.value.message
    services.conflict_acknowledge(actor=p["coordinator"], conflict=conflict, operation=operation)
    # The checklist changed since the sign-off: counsel signs off again.
    with pytest.raises(Conflict) as refused:
        review.operation_approve(actor=p["supervisor"], operation=operation)
    assert refused.value.code == OperationsErrorCode.NOT_SIGNED_OFF
    review.operation_signoff(actor=p["counsel"], operation=operation, reason="Deconflicted.")
    assert review.operation_approve(actor=p["supervisor"], operation=operation).status == "approved"


def test_a_civil_immigration_arrest_by_minnesota_officers_is_blocked_by_the_packs(world):
    active_agreement(world, activities=("joint_investigation", "civil_immigration_arrest"))
    operation = in_review(world, activities=("civil_immigration_arrest",))
    rules = [i for i in checklist(operation).section("rules") if i.key.startswith("civil")]
    assert [i.state for i in rules] == [BLOCKED]
    assert "Esparza" in rules[0].citation


def test_a_place_in_ramsey_county_flags_st_paul_ordinances_for_counsel(world):
    active_agreement(world)
    operation = in_review(world)
    flagged = {i.key: i for i in checklist(operation).section("rules")}
    assert flagged["st-paul-city-property"].state == NEEDS_REVIEW
    assert "minneapolis-city-property" not in flagged
    assert operation.locations.get().county == "Ramsey County"


def test_only_counsel_signs_off_and_only_the_lead_supervisor_approves(world):
    active_agreement(world)
    p = people(world)
    operation = in_review(world)
    with pytest.raises(PermissionDenied):
        review.operation_signoff(actor=p["coordinator"], operation=operation, reason="x")
    with pytest.raises(ServiceError) as refused:
        review.operation_signoff(actor=p["counsel"], operation=operation, reason=" ")
    assert refused.value.code == OperationsErrorCode.REASON_REQUIRED
    review.operation_signoff(actor=p["counsel"], operation=operation, reason="Lawful.")
    with pytest.raises(PermissionDenied):
        review.operation_approve(actor=p["counsel"], operation=operation)


def test_counsel_returns_a_plan_and_its_old_signoff_no_longer_counts(world):
    active_agreement(world)
    p = people(world)
    operation = in_review(world)
    review.operation_signoff(actor=p["counsel"], operation=operation, reason="Lawful.")
    review.operation_return(actor=p["counsel"], operation=operation, reason="Name the team.")
    operation.refresh_from_db()
    assert operation.status == Operation.Status.PLANNED
    assert review.latest_signoff(operation) is None


def _closed(world):
    active_agreement(world)
    p = people(world)
    operation = in_review(world)
    review.operation_signoff(actor=p["counsel"], operation=operation, reason="Lawful.")
    review.operation_approve(actor=p["supervisor"], operation=operation)
    review.operation_start(actor=p["coordinator"], operation=operation)
    review.operation_close(actor=p["coordinator"], operation=operation)
    return operation, p


def test_the_after_action_review_records_outcomes_costs_and_follow_ups_once(world):
    operation, p = _closed(world)
    fields = aar.ReviewFields(
        objectives_met="met",
        objectives_assessment="Warrant served.",
        went_well="Briefing.",
        to_change="Radio channels.",
        outcomes=[
            aar.OutcomeFields(kind="arrest", count=2, category="Narcotics"),
            aar.OutcomeFields(kind="complaint", count=1, reference="C-2027-001"),
        ],
        costs=[aar.CostFields(agency=world.agencies["BCA"], hours=40, cost=1200)],
        follow_ups=[
            aar.FollowUpFields(
                action="Fix radio plan", owner_id=p["coordinator"].pk, due_on=date(2027, 4, 1)
            )
        ],
    )
    written = aar.after_action_review_write(
        actor=p["coordinator"], operation=operation, fields=fields
    )
    assert Outcome.objects.filter(review=written).count() == 2
    assert Outcome.objects.get(kind="complaint").reference == "C-2027-001"
    assert Outcome.objects.get(kind="arrest").reference is None
    with pytest.raises(Conflict) as refused:
        aar.after_action_review_write(actor=p["coordinator"], operation=operation, fields=fields)
    assert refused.value.code == OperationsErrorCode.REVIEW_EXISTS
    [row] = aar.evaluation([operation])
    assert row.outcomes["arrest"] == 2
    assert row.hours == 40


def test_the_after_action_review_waits_for_the_closing(world):
    active_agreement(world)
    p = people(world)
    operation = in_review(world)
    with pytest.raises(Conflict):
        aar.after_action_review_write(
            actor=p["coordinator"],
            operation=operation,
            fields=aar.ReviewFields(objectives_met="met"),
        )


def test_follow_up_reminders_are_sent_once_a_day_and_stop_when_done(world, mailoutbox):
    operation, p = _closed(world)
    today = timezone.localdate()
    aar.after_action_review_write(
        actor=p["coordinator"],
        operation=operation,
        fields=aar.ReviewFields(
            objectives_met="partly",
            follow_ups=[
                aar.FollowUpFields(action="Debrief", owner_id=p["officer"].pk, due_on=today),
                aar.FollowUpFields(
                    action="Later", owner_id=p["officer"].pk, due_on=today + timedelta(days=30)
                ),
            ],
        ),
    )
    assert aar.follow_up_reminders_send(today=today) == 1
    assert aar.follow_up_reminders_send(today=today) == 0
    follow_up = FollowUp.objects.get(action="Debrief")
    aar.follow_up_done(actor=p["officer"], follow_up=follow_up)
    assert aar.follow_up_reminders_send(today=today + timedelta(days=1)) == 0
