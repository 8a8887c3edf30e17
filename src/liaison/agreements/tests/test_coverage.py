"""The coverage query answers for the date asked, whatever happened later."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from liaison.agreements import services
from liaison.agreements.coverage import Reason, coverage

CHICAGO = ZoneInfo("America/Chicago")


def at(day: date) -> time_machine.travel:
    """Travel to noon of ``day`` in the deployment's time zone."""
    return time_machine.travel(datetime.combine(day, time(12), tzinfo=CHICAGO), tick=False)


@pytest.fixture
def lifecycle(world):
    """HSI–BCA, in force 2025-01-01 to 2025-12-31, suspended in July 2025, reinstated in August."""
    with at(date(2024, 12, 20)):
        agreement = world.active(expiry_date=date(2025, 12, 31))
    with at(date(2025, 7, 1)):
        services.agreement_suspend(actor=world.users["counsel"], agreement=agreement, reason="A")
    with at(date(2025, 8, 1)):
        services.agreement_reinstate(actor=world.users["counsel"], agreement=agreement, reason="B")
    return agreement


def ask(world, on, agency="BCA", **items):
    kwargs = {}
    if "activity" in items:
        kwargs["activity"] = world.activity(items.pop("activity"))
    if "data_category" in items:
        kwargs["data_category"] = world.category(items.pop("data_category"))
    if "purpose" in items:
        kwargs["purpose"] = world.purpose(items.pop("purpose"))
    if "with_agency" in items:
        kwargs["with_agency"] = world.agencies[items.pop("with_agency")]
    return coverage(agency=world.agencies[agency], on=on, **kwargs)


@pytest.mark.parametrize(
    ("on", "covered", "reason"),
    [
        (date(2024, 12, 25), False, Reason.NOT_YET_EFFECTIVE),
        (date(2025, 1, 1), True, ""),
        (date(2025, 6, 30), True, ""),
        (date(2025, 7, 1), False, Reason.SUSPENDED),
        (date(2025, 7, 31), False, Reason.SUSPENDED),
        (date(2025, 8, 1), True, ""),
        (date(2025, 12, 31), True, ""),
        (date(2026, 1, 1), False, Reason.EXPIRED),
    ],
)
def test_coverage_follows_the_effective_date_the_suspension_and_the_expiry(
    world, lifecycle, on, covered, reason
):
    with at(date(2026, 2, 1)):
        answer = ask(world, on, activity="joint_investigation")
    assert (answer.covered, answer.reason_code) == (covered, reason)
    if covered:
        assert answer.agreement_ids == [lifecycle.pk]
        assert [(c.item_code, c.clause) for c in answer.clauses] == [
            ("joint_investigation", "Agreement")
        ]
    else:
        assert answer.reason.startswith("Not covered")


def test_a_later_suspension_does_not_change_the_answer_for_an_earlier_date(world):
    with at(date(2024, 12, 20)):
        agreement = world.active()
    with at(date(2025, 3, 1)):
        before = ask(world, date(2025, 2, 15), activity="training")
        services.agreement_suspend(actor=world.users["admin"], agreement=agreement, reason="X")
        after = ask(world, date(2025, 2, 15), activity="training")
        today = ask(world, date(2025, 3, 1), activity="training")
    assert before.covered
    assert after.covered
    assert (today.covered, today.reason_code) == (False, Reason.SUSPENDED)


def test_the_expiry_sweep_does_not_change_any_answer(world, lifecycle):
    with at(date(2026, 2, 1)):
        services.agreements_expire(today=date(2026, 2, 1))
        assert ask(world, date(2025, 9, 1), activity="training").covered
        late = ask(world, date(2026, 1, 15), activity="training")
    assert late.reason_code == Reason.EXPIRED


def test_termination_takes_effect_after_the_notice_period(world):
    with at(date(2024, 12, 20)):
        agreement = world.active()
    with at(date(2025, 9, 1)):
        services.agreement_terminate(
            actor=world.users["coordinator"],
            agreement=agreement,
            reason="Program ended",
            notice_date=date(2025, 9, 1),
        )
        during_notice = ask(world, date(2025, 9, 30), activity="training")
        after = ask(world, date(2025, 10, 1), activity="training")
        before = ask(world, date(2025, 8, 1), activity="training")
    assert during_notice.covered
    assert before.covered
    assert (after.covered, after.reason_code) == (False, Reason.TERMINATED)


def test_amendments_add_and_remove_grants_and_extend_the_term_from_their_effective_date(world):
    with at(date(2024, 12, 20)):
        agreement = world.active(expiry_date=date(2025, 12, 31))
    with at(date(2025, 5, 20)):
        services.amendment_create(
            actor=world.users["coordinator"],
            agreement=agreement,
            title="Equipment and extension",
            section="§ 2",
            effective_date=date(2025, 6, 1),
            new_expiry_date=date(2026, 12, 31),
            add_activities=[world.activity("equipment_loan")],
            remove_activities=[world.activity("training")],
        )
        training_before = ask(world, date(2025, 5, 31), activity="training")
        training_after = ask(world, date(2025, 6, 1), activity="training")
        loan_before = ask(world, date(2025, 5, 31), activity="equipment_loan")
        loan_after = ask(world, date(2025, 6, 1), activity="equipment_loan")
        extended = ask(world, date(2026, 6, 1), activity="joint_investigation")
    assert training_before.covered
    assert not training_after.covered
    assert training_after.reason_code == Reason.NOT_AUTHORIZED_ON_DATE
    assert not loan_before.covered
    assert loan_after.covered
    assert [(c.clause, c.amendment_number) for c in loan_after.clauses] == [("Amendment 1, § 2", 1)]
    assert extended.covered
    agreement.refresh_from_db()
    assert (agreement.expiry_date, agreement.expires_on) == (date(2025, 12, 31), date(2026, 12, 31))


def test_an_amendment_cannot_take_effect_before_the_previous_one(world):
    from liaison.core.errors import ServiceError

    with at(date(2024, 12, 20)):
        agreement = world.active()
    with at(date(2025, 5, 1)):
        services.amendment_create(
            actor=None,
            agreement=agreement,
            title="One",
            effective_date=date(2025, 6, 1),
            new_personnel_cap=4,
        )
        with pytest.raises(ServiceError) as refused:
            services.amendment_create(
                actor=None,
                agreement=agreement,
                title="Two",
                effective_date=date(2025, 5, 1),
                new_personnel_cap=5,
            )
    assert "effective_date" in refused.value.fields


def test_an_agency_that_is_not_a_party_is_told_so(world, lifecycle):
    answer = ask(world, date(2025, 6, 1), agency="CBP", activity="training")
    assert (answer.covered, answer.reason_code) == (False, Reason.NOT_A_PARTY)


def test_an_activity_no_agreement_grants_is_not_authorized(world, lifecycle):
    answer = ask(world, date(2025, 6, 1), activity="jail_screening")
    assert (answer.covered, answer.reason_code) == (False, Reason.NOT_AUTHORIZED)


def test_a_draft_or_unsigned_agreement_covers_nothing(world):
    world.draft()
    answer = ask(world, timezone.localdate(), activity="training")
    assert (answer.covered, answer.reason_code) == (False, Reason.NOT_SIGNED)


def test_a_data_category_and_a_purpose_must_be_granted_by_the_same_agreement(world):
    with at(date(2024, 12, 20)):
        world.active(data_categories=[world.category("arrest_data")], purposes=[])
        world.active(
            data_categories=[world.category("booking_data")],
            purposes=[world.purpose("officer_safety")],
        )
    on = date(2025, 6, 1)
    split = ask(world, on, data_category="arrest_data", purpose="officer_safety")
    together = ask(world, on, data_category="booking_data", purpose="officer_safety")
    assert not split.covered
    assert together.covered
    assert {c.item_kind for c in together.clauses} == {"data_category", "purpose"}


def test_with_agency_narrows_to_agreements_with_both_parties(world, lifecycle):
    on = date(2025, 6, 1)
    assert ask(world, on, activity="training", with_agency="HSI").covered
    assert not ask(world, on, activity="training", with_agency="CBP").covered


def test_the_covered_answer_takes_one_query(world, lifecycle, django_assert_max_num_queries):
    activity = world.activity("training")
    agency = world.agencies["BCA"]
    with django_assert_max_num_queries(1):
        assert coverage(agency=agency, activity=activity, on=date(2025, 6, 1)).covered
