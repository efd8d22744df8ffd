"""Oslo time, calendar months and birthdays: the one place Laget computes them.

Every app asks here instead of writing its own arithmetic, so a deadline, an outcome interval,
a consent lapsing at 18 and the home page's "turns 18" agree on every day of the year.

- Time zone: Laget works in Oslo (Europe/Oslo, also settings.TIME_ZONE). A stored moment is
  turned into an Oslo calendar date with `oslo_date`; "today" is `today_in_oslo()`.
- Months: `add_months` moves by calendar months with dateutil's relativedelta; a day that does
  not exist in the target month is clamped to its last day (31 January + 1 month = 28 February,
  or 29 in a leap year; 30 November + 3 months = 28/29 February; 31 August + 3 months = 30
  November).
- Birthdays and age: a person born on 29 February has their birthday on 1 March in a year
  without 29 February, so they turn 18 on 1 March (and are 17 on 28 February). This is the rule
  the code already used everywhere (the youth's 18th birthday, the consent lapsing at 18, the
  home page, the demo data) and the reading of "fylt 18 år" (vergemålsloven § 8): the 18th year
  is completed when 28 February has passed. `age_on`, `birthday` and `born_on_or_before`
  follow this one rule, so `age_on(born, day) >= n` ⇔ `birthday(born, n) <= day` ⇔
  `born <= born_on_or_before(day, n)`.
"""

from __future__ import annotations

import calendar
import datetime
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta
from django.utils import timezone

OSLO = ZoneInfo("Europe/Oslo")


# --- Oslo time -----------------------------------------------------------------------------


def oslo_now() -> datetime.datetime:
    """The current moment, in Oslo time (aware)."""
    return timezone.now().astimezone(OSLO)


def today_in_oslo() -> datetime.date:
    """Today's calendar date in Oslo."""
    return oslo_now().date()


def oslo_date(moment: datetime.datetime) -> datetime.date:
    """The Oslo calendar date of a moment (a naive moment is taken as Oslo time)."""
    if timezone.is_naive(moment):
        return moment.date()
    return moment.astimezone(OSLO).date()


# --- Months ---------------------------------------------------------------------------------


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` calendar months later (earlier when negative), clamped to the last
    day of a shorter month: 31 January + 1 month = 28 February (29 in a leap year)."""
    return day + relativedelta(months=months)


# --- Birthdays and age ----------------------------------------------------------------------


def birthday(born: datetime.date, years: int) -> datetime.date:
    """The day someone born on `born` turns `years` old. Born on 29 February: 1 March in a year
    without 29 February (see the module's docstring)."""
    if (born.month, born.day) == (2, 29):
        year = born.year + years
        return datetime.date(year, 2, 29) if calendar.isleap(year) else datetime.date(year, 3, 1)
    return born + relativedelta(years=years)


def age_on(born: datetime.date, day: datetime.date) -> int:
    """Age in whole years on `day` (0 before the first birthday; negative before birth is not
    meaningful). Born on 29 February: a year older on 1 March when the year has no 29 February."""
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def born_on_or_before(day: datetime.date, years: int) -> datetime.date:
    """The latest birth date of someone who is at least `years` old on `day`: a filter bound for
    "18 or older today" (birth_date <= born_on_or_before(today, 18)). On 29 February the bound is
    28 February of a year without it (someone born 1 March is not yet that age)."""
    return day - relativedelta(years=years)
