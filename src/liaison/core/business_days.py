"""Business days: weekdays that are not state holidays, for deadlines counted in them.

Minn. Stat. 13.04 subd. 3 gives a government entity **10 business days** to answer a
data subject. A business day here is a Monday to Friday that is not a Minnesota state
holiday: the holidays of Minn. Stat. 645.44 subd. 5 on which state offices close —
New Year's Day, Martin Luther King Jr. Day, Presidents' Day, Memorial Day, Juneteenth,
Independence Day, Labor Day, Veterans Day, Thanksgiving and the day after, Christmas.
Columbus Day is a statutory holiday on which state offices stay open, so it counts as a
business day. A fixed-date holiday on a Saturday is observed the Friday before, on a
Sunday the Monday after. Holidays are computed by rule, so no table needs a yearly update.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    """The ``n``-th ``weekday`` (Monday 0) of the month; ``n = -1`` for the last."""
    if n > 0:
        first = date(year, month, 1)
        return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    following = date(year + (month == 12), month % 12 + 1, 1)
    last = following - timedelta(days=1)
    return last - timedelta(days=(last.weekday() - weekday) % 7)


def _observed(day: date) -> date:
    if day.weekday() == 5:
        return day - timedelta(days=1)
    if day.weekday() == 6:
        return day + timedelta(days=1)
    return day


@lru_cache(maxsize=64)
def minnesota_holidays(year: int) -> dict[date, str]:
    """The days Minnesota state offices close for a holiday in ``year``, by observed date."""
    monday, thursday = 0, 3
    thanksgiving = _nth_weekday(year, 11, thursday, 4)
    days = {
        _observed(date(year, 1, 1)): "New Year's Day",
        _nth_weekday(year, 1, monday, 3): "Martin Luther King Jr. Day",
        _nth_weekday(year, 2, monday, 3): "Presidents' Day",
        _nth_weekday(year, 5, monday, -1): "Memorial Day",
        _observed(date(year, 6, 19)): "Juneteenth",
        _observed(date(year, 7, 4)): "Independence Day",
        _nth_weekday(year, 9, monday, 1): "Labor Day",
        _observed(date(year, 11, 11)): "Veterans Day",
        thanksgiving: "Thanksgiving Day",
        thanksgiving + timedelta(days=1): "Day after Thanksgiving",
        _observed(date(year, 12, 25)): "Christmas Day",
    }
    # New Year's Day of the next year on a Saturday is observed on this year's Dec 31.
    if date(year + 1, 1, 1).weekday() == 5:
        days[date(year, 12, 31)] = "New Year's Day"
    return days


def is_business_day(day: date) -> bool:
    """Whether ``day`` is a Minnesota business day (a weekday, not a state holiday)."""
    return day.weekday() < 5 and day not in minnesota_holidays(day.year)


def add_business_days(start: date, days: int) -> date:
    """The ``days``-th business day after ``start`` (``start`` itself does not count)."""
    day = start
    counted = 0
    while counted < days:
        day += timedelta(days=1)
        if is_business_day(day):
            counted += 1
    return day


def business_days_between(start: date, end: date) -> int:
    """Business days after ``start`` up to and including ``end`` (negative if ``end`` is
    earlier)."""
    if end < start:
        return -business_days_between(end, start)
    return sum(
        1 for n in range(1, (end - start).days + 1) if is_business_day(start + timedelta(days=n))
    )
