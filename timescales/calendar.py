"""Working days, counted the way the DfE counts them for statutory timescales.

- A working day is Monday to Friday, except a bank holiday in the agency's part of the UK
  (England and Wales share one calendar; Scotland and Northern Ireland have their own). The
  bank holidays come from the `holidays` package, which follows the gov.uk list, including
  substitute days ("Boxing Day (observed)") and one-off days such as a coronation.
- The start date itself is never counted: it is day 0, whatever day of the week it is. "Within
  1 working day" of a referral on Friday is the Monday after (the Tuesday when that Monday is a
  bank holiday); within 1 working day of a referral on Saturday is also that Monday.
- So `add_working_days(start, n)` is the date of the n-th working day after `start`, and
  `working_days_between(a, b)` counts the working days after `a` up to and including `b`: an
  assessment completed on the 45th working day after the referral is within 45 working days.
- Months are calendar months, clamped to the end of a shorter month: three months after
  30 November is 28 February (29th in a leap year). "Within 3 months" is a date, not a number
  of working days, and is not moved off a weekend.
"""

import calendar as _calendar
import datetime
from dataclasses import dataclass, field
from functools import cache

import holidays

# Region code -> (country, subdivision) for the `holidays` package.
REGIONS = {
    "GB-ENG": ("GB", "ENG"),
    "GB-WLS": ("GB", "WLS"),
    "GB-SCT": ("GB", "SCT"),
    "GB-NIR": ("GB", "NIR"),
}
DEFAULT_REGION = "GB-ENG"


@dataclass(frozen=True)
class WorkingCalendar:
    """Weekends and one region's bank holidays. Use `calendar_for(region)` to get one."""

    region: str
    _holidays: holidays.HolidayBase = field(compare=False, repr=False, hash=False)

    def is_working_day(self, day: datetime.date) -> bool:
        return day.weekday() < 5 and day not in self._holidays

    def holiday_name(self, day: datetime.date) -> str | None:
        return self._holidays.get(day)


@cache
def calendar_for(region: str = DEFAULT_REGION) -> WorkingCalendar:
    try:
        country, subdivision = REGIONS[region]
    except KeyError:
        raise ValueError(f"No working-day calendar for {region!r}.") from None
    return WorkingCalendar(region, holidays.country_holidays(country, subdiv=subdivision))


def add_working_days(start: datetime.date, n: int, *, calendar: WorkingCalendar) -> datetime.date:
    """The n-th working day after `start` (day 0, not counted). n=0 gives `start` itself."""
    if n < 0:
        raise ValueError("Count working days forwards only.")
    day = start
    while n:
        day += datetime.timedelta(days=1)
        if calendar.is_working_day(day):
            n -= 1
    return day


def working_days_between(a: datetime.date, b: datetime.date, *, calendar: WorkingCalendar) -> int:
    """Working days after `a` up to and including `b`; negative when `b` is before `a`."""
    if b < a:
        return -working_days_between(b, a, calendar=calendar)
    count, day = 0, a
    while day < b:
        day += datetime.timedelta(days=1)
        if calendar.is_working_day(day):
            count += 1
    return count


def add_months(day: datetime.date, n: int) -> datetime.date:
    """The same day of the month n calendar months later, or the month's last day if shorter."""
    month_index = day.month - 1 + n
    year, month = day.year + month_index // 12, month_index % 12 + 1
    last = _calendar.monthrange(year, month)[1]
    return datetime.date(year, month, min(day.day, last))
