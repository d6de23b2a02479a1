"""Working-day arithmetic on known bank holidays, pinned date by date."""

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from timescales.calendar import (
    add_months,
    add_working_days,
    calendar_for,
    working_days_between,
)

D = datetime.date
ENG = calendar_for("GB-ENG")


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (D(2026, 1, 1), False),  # New Year's Day
        (D(2026, 1, 2), True),  # a working day in England (not in Scotland)
        (D(2026, 4, 3), False),  # Good Friday
        (D(2026, 4, 6), False),  # Easter Monday
        (D(2026, 5, 4), False),  # early May bank holiday
        (D(2026, 5, 25), False),  # spring bank holiday
        (D(2026, 8, 31), False),  # summer bank holiday
        (D(2026, 12, 25), False),  # Christmas Day (a Friday)
        (D(2026, 12, 26), False),  # Boxing Day (a Saturday)
        (D(2026, 12, 28), False),  # Boxing Day, substitute Monday
        (D(2026, 12, 29), True),
        (D(2027, 12, 27), False),  # Christmas Day, substitute
        (D(2027, 12, 28), False),  # Boxing Day, substitute
        (D(2026, 1, 10), False),  # a Saturday
        (D(2026, 1, 11), False),  # a Sunday
        (D(2026, 1, 12), True),
    ],
)
def test_working_days_in_england(day, working):
    assert ENG.is_working_day(day) is working


@pytest.mark.parametrize(
    ("start", "n", "due"),
    [
        # Day 0 is the start date; "within 1 working day" of a Friday is the Monday.
        (D(2026, 1, 9), 1, D(2026, 1, 12)),
        (D(2026, 1, 10), 1, D(2026, 1, 12)),  # from a Saturday
        (D(2026, 1, 11), 1, D(2026, 1, 12)),  # from a Sunday
        (D(2026, 1, 12), 0, D(2026, 1, 12)),
        (D(2026, 1, 12), 1, D(2026, 1, 13)),
        # Easter 2026: Good Friday 3 April and Easter Monday 6 April.
        (D(2026, 4, 2), 1, D(2026, 4, 7)),
        (D(2026, 4, 3), 1, D(2026, 4, 7)),
        (D(2026, 3, 23), 15, D(2026, 4, 15)),  # three weeks, plus the two Easter days
        # Early May bank holiday: Monday 4 May 2026.
        (D(2026, 5, 1), 1, D(2026, 5, 5)),
        # 45 working days across Easter and early May: 9 weeks would be 4 May; + 3 days.
        (D(2026, 3, 2), 45, D(2026, 5, 7)),
        (D(2026, 1, 5), 45, D(2026, 3, 9)),  # no bank holidays: exactly 9 weeks
        # Christmas 2025 (Thursday and Friday) and New Year's Day 2026 (Thursday).
        (D(2025, 12, 24), 1, D(2025, 12, 29)),
        (D(2025, 12, 24), 4, D(2026, 1, 2)),
        # Christmas 2026: Friday 25th, Saturday 26th, substitute Monday 28th.
        (D(2026, 12, 24), 1, D(2026, 12, 29)),
        (D(2026, 12, 17), 10, D(2027, 1, 5)),
        # Christmas 2027 on a weekend: substitute days Monday 27th and Tuesday 28th.
        (D(2027, 12, 24), 1, D(2027, 12, 29)),
        # A leap day is an ordinary working day.
        (D(2028, 2, 28), 1, D(2028, 2, 29)),
    ],
)
def test_add_working_days(start, n, due):
    assert add_working_days(start, n, calendar=ENG) == due
    assert working_days_between(start, due, calendar=ENG) == n


def test_counting_backwards_is_refused():
    with pytest.raises(ValueError, match="forwards"):
        add_working_days(D(2026, 1, 5), -1, calendar=ENG)


def test_working_days_between():
    assert working_days_between(D(2026, 1, 5), D(2026, 1, 5), calendar=ENG) == 0
    assert working_days_between(D(2026, 1, 9), D(2026, 1, 11), calendar=ENG) == 0  # weekend
    assert working_days_between(D(2026, 4, 2), D(2026, 4, 7), calendar=ENG) == 1
    assert working_days_between(D(2026, 4, 7), D(2026, 4, 2), calendar=ENG) == -1
    assert working_days_between(D(2025, 12, 24), D(2026, 1, 2), calendar=ENG) == 4


@given(
    start=st.dates(min_value=D(2024, 1, 1), max_value=D(2030, 12, 31)),
    n=st.integers(min_value=0, max_value=80),
)
def test_adding_and_counting_agree(start, n):
    due = add_working_days(start, n, calendar=ENG)
    assert working_days_between(start, due, calendar=ENG) == n
    assert n == 0 or ENG.is_working_day(due)


@pytest.mark.parametrize(
    ("day", "months", "result"),
    [
        (D(2026, 1, 15), 3, D(2026, 4, 15)),
        (D(2026, 1, 31), 1, D(2026, 2, 28)),
        (D(2028, 1, 31), 1, D(2028, 2, 29)),  # leap year
        (D(2026, 11, 30), 3, D(2027, 2, 28)),
        (D(2027, 11, 30), 3, D(2028, 2, 29)),
        (D(2027, 8, 31), 6, D(2028, 2, 29)),
        (D(2026, 8, 31), 6, D(2027, 2, 28)),
        (D(2026, 5, 31), 6, D(2026, 11, 30)),
        (D(2026, 12, 15), 3, D(2027, 3, 15)),
        (D(2028, 2, 29), 12, D(2029, 2, 28)),
        (D(2026, 3, 31), 0, D(2026, 3, 31)),
    ],
)
def test_add_months_clamps_to_the_end_of_a_shorter_month(day, months, result):
    assert add_months(day, months) == result


def test_each_part_of_the_uk_has_its_own_bank_holidays():
    scotland, wales, northern_ireland = (
        calendar_for("GB-SCT"),
        calendar_for("GB-WLS"),
        calendar_for("GB-NIR"),
    )
    assert not scotland.is_working_day(D(2026, 1, 2))  # 2 January
    assert scotland.is_working_day(D(2026, 4, 6))  # no Easter Monday in Scotland
    assert not scotland.is_working_day(D(2026, 8, 3))  # Scotland's summer holiday
    assert scotland.is_working_day(D(2026, 8, 31))
    assert not northern_ireland.is_working_day(D(2026, 3, 17))  # St Patrick's Day
    assert ENG.is_working_day(D(2026, 3, 17))
    assert not wales.is_working_day(D(2026, 4, 6))
    assert add_working_days(D(2025, 12, 31), 1, calendar=ENG) == D(2026, 1, 2)
    assert add_working_days(D(2025, 12, 31), 1, calendar=scotland) == D(2026, 1, 5)


def test_an_unknown_region_is_refused():
    with pytest.raises(ValueError, match="No working-day calendar"):
        calendar_for("FR")
