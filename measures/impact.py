"""Impact measures counted from the statutory process record (`process.models`).

Each unit is one process table filtered to the records a measure counts on a day: referrals
received, child protection plans started, ended or open, child in need plans ended, children
starting to be looked after, children looked after. Every flag is an `Exists` or an arithmetic
annotation, so a unit's measures are one query per day, like the other units in `compute`.

Periods: flows count the 12 months up to and including the day (a rolling year; the figure at
31 March is the DfE reporting year); stocks count the end of the day. Definitions follow the
DfE Children in Need census guidance and "Characteristics of children in need" statistics
(referrals, re-referrals, child protection plans) and the SSDA903 return and "Children looked
after in England" statistics (starts, children looked after, placements): see `catalogue`.

Comparing calendar dates ("within 12 months", "2 years or more") uses a date key
year × 10000 + month × 100 + day, so "12 months" is a calendar year whatever the leap days:
a date D is within 12 months after P when key(D) − key(P) ≤ 10000.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import (
    Case,
    DateField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import ExtractDay, ExtractMonth, ExtractYear

from evaluation.models import LocalAuthority, PopulationEstimate
from measures.catalogue import (
    CARE_STARTS,
    CIN_ENDS,
    CP_ENDS,
    CP_OPEN,
    CP_STARTS,
    IN_CARE,
    REFERRALS,
    child_population_settings,
    step_down_days,
)
from people.models import Allocation
from process.codes import LegalStatus, PlacementType
from process.models import (
    ChildInNeedPlan,
    ChildProtectionPlan,
    LookedAfterEpisode,
    Referral,
)

UNITS = (REFERRALS, CP_STARTS, CP_ENDS, CP_OPEN, CIN_ENDS, CARE_STARTS, IN_CARE)
# DfE leaves children looked after under an agreed series of short breaks (V3, V4) out of
# starts and of children looked after (SSDA903 guidance; "Children looked after in England").
SHORT_BREAKS = [LegalStatus.SHORT_BREAKS_AGREED, LegalStatus.SHORT_BREAKS_INDIVIDUAL]
# Foster placements with a relative or friend (SSDA903 placement codes U1 to U3): the
# looked-after kinship placements DfE reports. P1 (placed with parents) is not kinship care.
KINSHIP = [PlacementType.U1, PlacementType.U2, PlacementType.U3]
ONE_YEAR, TWO_YEARS = 10000, 20000  # in date-key units
CEASED_ELSEWHERE_CP = [
    ChildProtectionPlan.EndReason.TRANSFERRED,
    ChildProtectionPlan.EndReason.LOOKED_AFTER,
]
CEASED_ELSEWHERE_CIN = [
    ChildInNeedPlan.EndReason.TRANSFERRED,
    ChildInNeedPlan.EndReason.LOOKED_AFTER,
    ChildInNeedPlan.EndReason.STEP_UP_CP,
]


def year_up_to(day: datetime.date) -> datetime.date:
    """The first day of the 12 months ending with `day` (1 April for 31 March)."""
    try:
        start = day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        start = day.replace(year=day.year - 1, day=28)
    return start + datetime.timedelta(days=1)


def date_key(field: str):
    return ExtractYear(field) * 10000 + ExtractMonth(field) * 100 + ExtractDay(field)


def worker_at(day) -> Subquery:
    """The worker allocated to the record's case at the end of `day` (a date, or the name of
    the record's own date field: the day it happened)."""
    when = OuterRef(day) if isinstance(day, str) else day
    return Subquery(
        Allocation.objects.filter(case_id=OuterRef("case_id"), started_on__lte=when)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=when))
        .order_by("-started_on", "-id")
        .values("worker_id")[:1]
    )


def child_population(day: datetime.date):
    """The agency's children aged 0 to 17 for the figure on `day`, in the database: the number
    in THREEFOLD_MEASURES_CHILD_POPULATION for the agency's code if set; else, when the agency's
    code is a DfE local authority code with ONS estimates loaded (`evaluation`), the mid-year
    estimate DfE uses for the reporting year holding the day (mid-2025 for April 2025 to March
    2026), or the latest before it; else nothing, and no rate is shown."""
    published = Subquery(
        _estimates(OuterRef("agency__code"), day).values("children")[:1],
        output_field=IntegerField(),
    )
    configured = [
        When(agency__code=code, then=Value(int(children)))
        for code, children in child_population_settings().items()
    ]
    if not configured:
        return published
    return Case(*configured, default=published, output_field=IntegerField())


def population_year(day: datetime.date) -> int:
    """The mid-year whose population the rates on the day use: DfE's rate for the reporting
    year to 31 March T uses mid-(T-1), so the child population changes only each 1 April."""
    return day.year if day.month >= 4 else day.year - 1


def _estimates(code, day: datetime.date):
    """ONS estimates for the authority with this DfE code, the one DfE uses for the reporting
    year holding the day first."""
    return PopulationEstimate.objects.filter(
        authority__code=code,
        authority__level=LocalAuthority.Level.LOCAL_AUTHORITY,
        mid_year__lte=population_year(day),
    ).order_by("-mid_year")


def population_source(agency, day: datetime.date) -> dict:
    """The child population the rates use for the agency on the day, and where it is from."""
    configured = child_population_settings()
    if agency.code in configured:
        return {
            "children": int(configured[agency.code]),
            "source": "set for the agency (THREEFOLD_MEASURES_CHILD_POPULATION)",
        }
    estimate = _estimates(agency.code, day).select_related("authority").first()
    if estimate is not None:
        return {
            "children": estimate.children,
            "source": f"ONS mid-{estimate.mid_year} estimate for {estimate.authority.name}",
        }
    return {"children": None, "source": ""}


def _same_child(model):
    """The same child's records of this kind in the agency, in cases not deleted."""
    return model.objects.filter(
        agency_id=OuterRef("agency_id"),
        child_id=OuterRef("child_id"),
        case__deleted_at__isnull=True,
    )


def _starts_period_of_care(episodes):
    """Episodes that begin a period of care: not the next episode of one that ended the same
    day because the legal status or placement changed (reason X1)."""
    continued = LookedAfterEpisode.objects.filter(
        child_id=OuterRef("child_id"), ended_on=OuterRef("started_on"), reason_ceased="X1"
    )
    return episodes.exclude(legal_status__in=SHORT_BREAKS).filter(~Exists(continued))


# Flows: the records that happened in the 12 months up to the day, by the date that places each.
FLOWS = {
    REFERRALS: (Referral, "received_on"),
    CP_STARTS: (ChildProtectionPlan, "started_on"),
    CP_ENDS: (ChildProtectionPlan, "ended_on"),
    CIN_ENDS: (ChildInNeedPlan, "ended_on"),
}
# Stocks: the records open at the end of the day.
STOCKS = {CP_OPEN: ChildProtectionPlan, IN_CARE: LookedAfterEpisode}


def _flow_records(unit: str, cases, start: datetime.date, end: datetime.date):
    """A flow's records from `start` to `end`, and the date field that places each in time."""
    model, when = FLOWS[unit]
    return model.objects.filter(
        **{f"{when}__range": (start, end)}, case__in=cases.values("pk")
    ), when


def _stock_records(unit: str, cases):
    records = STOCKS[unit].objects.filter(case__in=cases.values("pk"))
    return records.exclude(legal_status__in=SHORT_BREAKS) if unit == IN_CARE else records


def _care_starts(cases, start: datetime.date, end: datetime.date):
    """Starts of a period of care from `start` to `end`."""
    return _starts_period_of_care(
        LookedAfterEpisode.objects.filter(
            started_on__range=(start, end), case__in=cases.values("pk")
        )
    )


def _records(unit: str, cases, day: datetime.date):
    """The records a unit counts on `day`, and the date field that places each in time."""
    start = year_up_to(day)
    if unit in FLOWS:
        return _flow_records(unit, cases, start, day)
    if unit in STOCKS:
        open_on_day = Q(started_on__lte=day) & (Q(ended_on__isnull=True) | Q(ended_on__gt=day))
        return _stock_records(unit, cases).filter(open_on_day), day
    # CARE_STARTS: each child's first start of a period of care in the 12 months.
    earlier_in_year = _starts_period_of_care(
        _same_child(LookedAfterEpisode).filter(
            started_on__gte=start, started_on__lt=OuterRef("started_on")
        )
    )
    return _care_starts(cases, start, day).filter(~Exists(earlier_in_year)), "started_on"


def month_number(day: datetime.date) -> int:
    """Months since the start of year 0: consecutive across years."""
    return day.year * 12 + day.month - 1


def month_number_of(date):
    """`month_number` in the database, of a date field or expression (NULL for NULL)."""
    return ExtractYear(date) * 12 + ExtractMonth(date) - 1


@dataclass(frozen=True)
class MonthSeries:
    """A unit counted at many month-ends of a trend in one query (`compute.trend`), because a
    record's flags do not depend on the day it is counted for: the records of the whole span,
    annotated with the month numbers (`keys`) that say at which month-ends each counts."""

    # (cases, first month-end, last month-end) -> the records, with the keys annotated.
    records: Callable
    keys: tuple[str, ...]
    # (a row of keys, a month-end's month number) -> whether the row counts at that month-end.
    counts_at: Callable[[dict, int], bool]
    # Counted over the 12 months up to the day (those starting on the 1st only: `serves`).
    rolling_year: bool
    # The date field placing a record with the worker allocated then; None for a unit counted
    # with the worker allocated on the day (a stock, the month's deadlines and audits), which
    # one query for many days cannot follow.
    when: str | None

    def serves(self, day: datetime.date) -> bool:
        """Whether the series can count `day`: a month's end (not the month so far) and, for a
        rolling year, one whose year is twelve whole months (not 28 February after a leap year,
        whose year starts on 29 February)."""
        if (day + datetime.timedelta(days=1)).day != 1:
            return False
        return not self.rolling_year or year_up_to(day).day == 1


def _in_year_up_to(month: int, end: int) -> bool:
    return end - 11 <= month <= end


def _flow_series(unit: str) -> MonthSeries:
    def records(cases, first, last):
        found, when = _flow_records(unit, cases, year_up_to(first), last)
        return found.annotate(m_month=month_number_of(when))

    return MonthSeries(
        records=records,
        keys=("m_month",),
        counts_at=lambda row, end: _in_year_up_to(row["m_month"], end),
        rolling_year=True,
        when=FLOWS[unit][1],
    )


def _stock_series(unit: str) -> MonthSeries:
    # Open at a month's end: started by it (in its month or before) and not ended by it (ended
    # in a later month). Every day counted is a month's end, so month numbers are enough.
    def records(cases, first, last):
        found = _stock_records(unit, cases).filter(
            Q(started_on__lte=last) & (Q(ended_on__isnull=True) | Q(ended_on__gt=first))
        )
        return found.annotate(
            m_from=month_number_of("started_on"), m_until=month_number_of("ended_on")
        )

    return MonthSeries(
        records=records,
        keys=("m_from", "m_until"),
        counts_at=lambda row, end: (
            row["m_from"] <= end and (row["m_until"] is None or row["m_until"] > end)
        ),
        rolling_year=False,
        when=None,
    )


def _care_start_records(cases, first, last):
    # A start counts at a month-end when it is in the year up to it and the child's latest
    # earlier start of a period of care is not: the year starts on a month's first day, so
    # month numbers are enough.
    latest_earlier = Subquery(
        _starts_period_of_care(
            _same_child(LookedAfterEpisode).filter(started_on__lt=OuterRef("started_on"))
        )
        .order_by("-started_on")
        .values("started_on")[:1],
        output_field=DateField(),
    )
    return _care_starts(cases, year_up_to(first), last).annotate(
        m_month=month_number_of("started_on"), m_earlier=month_number_of(latest_earlier)
    )


SERIES = {unit: _flow_series(unit) for unit in FLOWS}
SERIES.update({unit: _stock_series(unit) for unit in STOCKS})
SERIES[CARE_STARTS] = MonthSeries(
    records=_care_start_records,
    keys=("m_month", "m_earlier"),
    counts_at=lambda row, end: (
        _in_year_up_to(row["m_month"], end)
        and (row["m_earlier"] is None or row["m_earlier"] < end - 11)
    ),
    rolling_year=True,
    when="started_on",
)


RATE_UNITS = {REFERRALS, CP_OPEN, CARE_STARTS, IN_CARE}


def scoped_units(unit: str, cases, day: datetime.date, by: str, worker_id=None):
    """A unit's records on the day with their group in `m_group`: the worker allocated to the
    case when it happened (on the day, for children on plans or looked after), the case's team
    or service, or the agency."""
    records, when = _records(unit, cases, day)
    group = {
        "worker": worker_at(when),
        "team": F("case__team_id"),
        "service": F("case__service"),
        "agency": F("agency_id"),
    }[by]
    records = records.annotate(m_group=group)
    if worker_id is not None:
        records = records.annotate(m_worker=worker_at(when)).filter(m_worker=worker_id)
    if unit in RATE_UNITS:
        records = records.annotate(m_population=child_population(day))
    return records


EVERY = Q(pk__isnull=False)


def referral_flags(day):
    earlier = _same_child(Referral).filter(received_on__lt=OuterRef("received_on"))
    annotations = {
        "m_key": date_key("received_on"),
        "m_rereferral": Exists(
            earlier.annotate(key=date_key("received_on")).filter(
                key__gte=OuterRef("m_key") - ONE_YEAR
            )
        ),
    }
    return annotations, {"I03": (EVERY, EVERY), "I04": (Q(m_rereferral=True), EVERY)}


def cp_start_flags(day):
    earlier = _same_child(ChildProtectionPlan).filter(started_on__lt=OuterRef("started_on"))
    annotations = {
        "m_key": date_key("started_on"),
        "m_repeat": Exists(earlier),
        "m_repeat_2y": Exists(
            earlier.filter(ended_on__lte=OuterRef("started_on"))
            .annotate(key=date_key("ended_on"))
            .filter(key__gte=OuterRef("m_key") - TWO_YEARS)
        ),
    }
    return annotations, {"I05": (Q(m_repeat=True), EVERY), "I06": (Q(m_repeat_2y=True), EVERY)}


def cp_end_flags(day):
    step_down_by = ExpressionWrapper(
        OuterRef("ended_on") + datetime.timedelta(days=step_down_days()), output_field=DateField()
    )
    annotations = {
        "m_span": date_key("ended_on") - date_key("started_on"),
        "m_cin_follows": Exists(
            _same_child(ChildInNeedPlan).filter(
                started_on__gte=OuterRef("ended_on"), started_on__lte=step_down_by
            )
        ),
    }
    stepped_down = Q(end_reason=ChildProtectionPlan.EndReason.STEP_DOWN_CIN) | Q(m_cin_follows=True)
    return annotations, {
        "I07": (Q(m_span__gte=TWO_YEARS), EVERY),
        "I09": (stepped_down, ~Q(end_reason__in=CEASED_ELSEWHERE_CP)),
    }


def cp_open_flags(day):
    return {}, {"I08": (EVERY, EVERY)}


def cin_end_flags(day):
    to_early_help = Q(end_reason=ChildInNeedPlan.EndReason.EARLY_HELP)
    return {}, {"I10": (to_early_help, ~Q(end_reason__in=CEASED_ELSEWHERE_CIN))}


def care_start_flags(day):
    return {}, {"I12": (EVERY, EVERY)}


def in_care_flags(day):
    return {}, {"I11": (EVERY, EVERY), "I13": (Q(placement__in=KINSHIP), EVERY)}


FLAGS = {
    REFERRALS: referral_flags,
    CP_STARTS: cp_start_flags,
    CP_ENDS: cp_end_flags,
    CP_OPEN: cp_open_flags,
    CIN_ENDS: cin_end_flags,
    CARE_STARTS: care_start_flags,
    IN_CARE: in_care_flags,
}

# What the drill-down says about each record: its dates and, where it matters, its codes.
DETAIL_FIELDS = {
    REFERRALS: ["received_on"],
    CP_STARTS: ["started_on"],
    CP_ENDS: ["started_on", "ended_on", "end_reason"],
    CP_OPEN: ["started_on"],
    CIN_ENDS: ["started_on", "ended_on", "end_reason"],
    CARE_STARTS: ["started_on", "legal_status", "placement"],
    IN_CARE: ["started_on", "legal_status", "placement"],
}
END_REASONS = {
    CP_ENDS: dict(ChildProtectionPlan.EndReason.choices),
    CIN_ENDS: dict(ChildInNeedPlan.EndReason.choices),
}
RECORD_NAMES = {
    REFERRALS: "Referral received",
    CP_STARTS: "Child protection plan from",
    CP_ENDS: "Child protection plan from",
    CP_OPEN: "Child protection plan from",
    CIN_ENDS: "Child in need plan from",
    CARE_STARTS: "Looked after from",
    IN_CARE: "Episode from",
}


def _detail(unit: str, row: dict) -> str:
    text = f"{row['child__given_name']} {row['child__family_name']}: {RECORD_NAMES[unit]} "
    first = DETAIL_FIELDS[unit][0]
    text += f"{row[first]:%-d %b %Y}"
    if row.get("ended_on"):
        text += f" to {row['ended_on']:%-d %b %Y}"
    if row.get("end_reason"):
        text += f" ({END_REASONS[unit][row['end_reason']].lower()})"
    if row.get("legal_status"):
        text += f"; legal status {row['legal_status']}, placement {row['placement']}"
    return text


def drilldown_rows(unit: str, units) -> list[dict]:
    """The records behind a figure, one row each with the child and the dates."""
    rows = units.values(
        "case_id",
        "case__name",
        "case__reference",
        "case__team__name",
        "case__opened_on",
        "child__given_name",
        "child__family_name",
        *DETAIL_FIELDS[unit],
    ).order_by(DETAIL_FIELDS[unit][0], "case__name", "pk")
    return [
        {
            "case_id": r["case_id"],
            "case": r["case__name"],
            "reference": r["case__reference"],
            "team": r["case__team__name"],
            "opened_on": r["case__opened_on"],
            "detail": _detail(unit, r),
        }
        for r in rows
    ]
