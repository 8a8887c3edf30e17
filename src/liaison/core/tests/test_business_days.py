"""Business days for Minnesota deadlines: weekends and state holidays do not count."""

from __future__ import annotations

from datetime import date

from liaison.core.business_days import (
    add_business_days,
    business_days_between,
    is_business_day,
    minnesota_holidays,
)


def test_the_2026_holidays_fall_on_their_rule_days():
    assert sorted(minnesota_holidays(2026)) == [
        date(2026, 1, 1),
        date(2026, 1, 19),  # third Monday of January
        date(2026, 2, 16),  # third Monday of February
        date(2026, 5, 25),  # last Monday of May
        date(2026, 6, 19),
        date(2026, 7, 3),  # July 4 is a Saturday: observed Friday
        date(2026, 9, 7),  # first Monday of September
        date(2026, 11, 11),
        date(2026, 11, 26),  # fourth Thursday of November
        date(2026, 11, 27),
        date(2026, 12, 25),
    ]


def test_a_sunday_holiday_is_observed_on_the_monday():
    assert date(2028, 1, 3) not in minnesota_holidays(2028)  # Jan 1 2028 is a Saturday
    assert date(2027, 12, 31) in minnesota_holidays(2027)  # ... so Dec 31 2027 is off
    assert date(2023, 1, 2) in minnesota_holidays(2023)  # Jan 1 2023 was a Sunday


def test_columbus_day_and_weekends():
    assert is_business_day(date(2026, 10, 12))  # Columbus Day: state offices open
    assert not is_business_day(date(2026, 12, 5))  # Saturday
    assert not is_business_day(date(2026, 12, 6))  # Sunday


def test_ten_business_days_skip_weekends():
    assert add_business_days(date(2026, 12, 1), 10) == date(2026, 12, 15)


def test_ten_business_days_skip_thanksgiving_and_the_day_after():
    # Nov 20 2026 (Fri) + 10: 23, 24, 25, [26, 27 off], 30, Dec 1, 2, 3, 4, 7, 8
    assert add_business_days(date(2026, 11, 20), 10) == date(2026, 12, 8)


def test_ten_business_days_across_christmas_and_new_year():
    # Dec 18 2026 (Fri): 21, 22, 23, 24, [25 off], 28, 29, 30, 31, [Jan 1 off], 4, 5
    assert add_business_days(date(2026, 12, 18), 10) == date(2027, 1, 5)


def test_a_request_received_on_a_holiday_counts_from_the_next_business_day():
    assert add_business_days(date(2026, 7, 3), 1) == date(2026, 7, 6)


def test_business_days_between_counts_either_way():
    assert business_days_between(date(2026, 12, 1), date(2026, 12, 15)) == 10
    assert business_days_between(date(2026, 12, 15), date(2026, 12, 1)) == -10
    assert business_days_between(date(2026, 12, 4), date(2026, 12, 4)) == 0
