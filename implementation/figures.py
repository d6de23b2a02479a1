"""The leaders' view: implementation ratings, training coverage, supervision held, breadth and
depth, and the published outcome indicators side by side, over time, for the agency and by
team; and the per-agency, per-quarter "implementation measure" a cross-agency evaluation uses.

Queries are bounded by the number of months (three for each month's measures, as in
`measures.compute.trend`) plus a handful for ratings, training and the published statistics.
"""

import datetime
import math
import time
from statistics import mean

import pandas as pd
from django.utils import timezone

from agencies.models import Role, Team, User
from evaluation import analysis
from evaluation.indicators import INDICATORS
from evaluation.models import IndicatorValue, LocalAuthority, PopulationEstimate
from evaluation.selectors import NATIONAL_CODE
from implementation import selectors
from implementation.charts import period_chart
from measures import compute
from measures.catalogue import BREADTH, DEPTH, measures, trend_months
from measures.kept import KeptMonths
from measures.selectors import may_see_dashboard, scope, trends
from people.models import Case

CHARTED_OUTCOMES = ["rereferral_pct", "cpp_rate", "cla_rate"]
MONTH_CHOICES = (12, 24)  # the leaders' view's spans, in months


def _mean_percent(figures: compute.Figures, kind: str, group="all") -> float | None:
    """The simple average of the kind's measures (breadth or depth) with a figure."""
    values = []
    for measure in measures():
        if measure.kind != kind:
            continue
        if group == "all":
            cell = figures.total(measure.code)
        else:
            cell = figures.cells.get(measure.code, {}).get(group, compute.Cell())
        if cell.percent is not None:
            values.append(cell.percent)
    return round(mean(values), 1) if values else None


def practice_figures(cases, days: list[datetime.date], cache=None) -> list[dict]:
    """Each measure at each day, for the cases, overall and by team: one `figures_on` a day
    (a few queries), once per day however many tables on a page ask for it (`cache`, a dict,
    or `measures.kept.KeptMonths` to keep finished months for later requests too)."""
    cache = {} if cache is None else cache
    result = []
    for day in days:
        if day in cache:
            result.append(cache[day])
            continue
        figures = compute.figures_on(cases, day=day, by="team")
        teams = [k for k in figures.groups() if k is not None]
        result.append(
            {
                "day": day,
                "breadth": _mean_percent(figures, BREADTH),
                "depth": _mean_percent(figures, DEPTH),
                "measures": {m.code: figures.total(m.code).percent for m in measures()},
                "teams": {
                    team: {
                        "breadth": _mean_percent(figures, BREADTH, team),
                        "depth": _mean_percent(figures, DEPTH, team),
                    }
                    for team in teams
                },
            }
        )
        cache[day] = result[-1]
    return result


def latest_round_on(rounds: list[dict], day: datetime.date) -> dict | None:
    """The most recent closed round whose period ended by the day."""
    found = [r for r in rounds if r["round"].period_end <= day]
    return found[-1] if found else None


# Published outcome indicators ------------------------------------------------------------------


def linked_authority(agency) -> LocalAuthority | None:
    """The agency's local authority: as set in the implementation settings, or else the one
    whose DfE code is the agency's own code."""
    code = selectors.settings_for(agency.pk).local_authority_code or agency.code
    return LocalAuthority.objects.filter(
        code=code, level=LocalAuthority.Level.LOCAL_AUTHORITY
    ).first()


def outcome_indicators(authority: LocalAuthority | None) -> dict:
    """Each published indicator for the authority and England by reporting year (the year
    ending 31 March), computed as the evaluation panel computes it. Agency level only: the
    published statistics are not broken down by team."""
    if authority is None:
        return {"authority": None, "years": [], "indicators": []}
    codes = [authority.code, NATIONAL_CODE]
    needed = sorted(
        {m for i in INDICATORS for m in (i.numerator, i.denominator) if m != "population"}
    )
    values = pd.DataFrame(
        list(
            IndicatorValue.objects.filter(
                authority__code__in=codes, measure__in=needed
            ).values_list("authority__code", "year", "measure", "value", "code")
        ),
        columns=["code", "year", "measure", "value", "code_"],
    )
    values["value"] = values["value"].astype(float)
    populations = pd.DataFrame(
        list(
            PopulationEstimate.objects.filter(authority__code__in=codes).values_list(
                "authority__code", "mid_year", "children"
            )
        ),
        columns=["code", "mid_year", "children"],
    )
    populations["children"] = populations["children"].astype(float)
    found, years = [], set()
    for indicator in INDICATORS:
        panel = analysis.indicator_panel(values, populations, indicator, harmonise=False)
        by = {(row.code, int(row.year)): _number(row.value) for row in panel.itertuples()}
        mine = {year: v for (code, year), v in by.items() if code == authority.code}
        if not any(v is not None for v in mine.values()):
            continue
        years.update(mine)
        found.append(
            {
                "indicator": indicator,
                "authority": mine,
                "england": {year: v for (code, year), v in by.items() if code == NATIONAL_CODE},
            }
        )
    years = sorted(years)
    for item in found:
        item["rows"] = [
            {
                "year": year,
                "authority": item["authority"].get(year),
                "england": item["england"].get(year),
            }
            for year in years
        ]
    return {"authority": authority, "years": years, "indicators": found}


def _number(value) -> float | None:
    if value is None:
        return None
    value = float(value)
    return round(value, 1) if math.isfinite(value) else None


# The leaders' view -----------------------------------------------------------------------------


def leaders_page(
    user, *, last: datetime.date, months: int, afresh: bool = False, background: bool = False
) -> dict:
    """The leaders' view with the agency's implementation measure (`measure_rows`, for agency
    readers): each month's end counted once for both, and finished months kept a while
    (`measures.kept`; `kept_since` says when those shown were counted, `counting_since` when
    the background worker was asked to count them, while it does). `afresh` counts them all
    now and keeps them for next time. With `background`, a large scope with none kept is left
    to the worker: the page is only `counting_since`, `failed_at` (when the worker's last count
    failed, while that is shown) and `team_scoped`."""
    scoped = scope(user)
    kept = KeptMonths(user, scoped, "leaders", afresh=afresh)
    team_scoped = bool(selectors.team_scope(user))
    if background and kept.count_in_background(scoped, _count_leaders_later(user, last, months)):
        return {
            "counting_since": kept.counting_since,
            "failed_at": kept.failed_at,
            "team_scoped": team_scoped,
        }
    measure_rows = None
    if not team_scoped:
        measure_rows = implementation_measure(
            user.agency_id, last=last, cases=scoped["cases"], cache=kept
        )
    page = leaders_view(user, last=last, months=months, cache=kept)
    kept.save()
    return page | {
        "measure_rows": measure_rows,
        "kept_since": kept.kept_since,
        "counting_since": kept.counting_since,
        "failed_at": kept.failed_at,
    }


def _count_leaders_later(user, last: datetime.date, months: int):
    def enqueue():
        from implementation.tasks import leaders_count

        return leaders_count.enqueue(user.pk, last.isoformat(), months)

    return enqueue


def leaders_count_again(user, *, last: datetime.date, months: int) -> None:
    """Count the leaders' view's finished months again (`KeptMonths.count_again`)."""
    scoped = scope(user)
    KeptMonths(user, scoped, "leaders").count_again(
        scoped, _count_leaders_later(user, last, months)
    )


# Whose month-ends are counted ahead: readers of the whole agency's figures, and with `teams`
# each team manager. A social worker's trends cover their own caseload and are left to their
# first view.
AGENCY_READERS = [
    Role.SENIOR_LEADER,
    Role.PERFORMANCE_ANALYST,
    Role.PRACTICE_LEAD,
    Role.CONFERENCE_CHAIR,
]


def month_ends_count_ahead(agency, *, teams: bool = False):
    """Count the finished months of the trends and the leaders' view afresh for the scopes
    their readers in the agency see first, and keep them (`measures.kept`), so that the first
    reader of the day does not wait for two years of month-ends: the agency, and with `teams`
    each team manager's team. Run on a schedule more often than
    THREEFOLD_MEASURES_TREND_KEPT_HOURS (`manage.py keep_month_ends`). Yields, for each scope
    counted, the page, whose figures they are and the seconds it took; readers who see the
    same cases share one."""
    today = timezone.localdate()
    roles = AGENCY_READERS + ([Role.TEAM_MANAGER] if teams else [])
    readers = User.objects.filter(agency=agency, is_active=True, role__in=roles)
    counted = set()
    for user in readers.order_by("role", "pk"):
        scoped = scope(user)
        for page, may_see in (
            ("trends", may_see_dashboard),
            ("leaders", selectors.may_see_leaders_view),
        ):
            if not may_see(user):
                continue
            key = KeptMonths(user, scoped, page, afresh=True).key
            if key is None or key in counted:
                continue
            begun = time.perf_counter()
            if page == "trends":
                trends(user, last=today, months=trend_months(), afresh=True)
            else:
                leaders_page(user, last=today, months=max(MONTH_CHOICES), afresh=True)
            counted.add(key)
            yield {"page": page, "whose": scoped["whose"], "seconds": time.perf_counter() - begun}


def leaders_view(user, *, last: datetime.date, months: int, cache=None) -> dict:
    days = compute.month_ends(last, months)
    team_id = selectors.team_scope(user)
    rounds = selectors.closed_round_figures(user.agency_id)
    domains = list(selectors.domains(user.agency_id, active_only=False))
    training = selectors.coverage(user.agency_id, days=days, team_id=team_id)
    practice = practice_figures(scope(user)["cases"], days, cache)
    supervision = _supervision(user.agency_id, team_id=team_id, days=days)
    teams = Team.objects.filter(agency_id=user.agency_id).order_by("name", "pk")
    if team_id:
        teams = teams.filter(pk=team_id)
    teams = list(teams)
    if supervision is None:
        team_supervision = {}
    elif team_id:
        team_supervision = {team_id: supervision}
    else:
        held = selectors.supervision_held_by_team(
            user.agency_id, team_ids=[team.pk for team in teams], months=len(days)
        )
        team_supervision = {pk: _by_day(rows, days) for pk, rows in held.items()}
    key = team_id or "all"
    rows = []
    for index, day in enumerate(days):
        latest = latest_round_on(rounds, day)
        cover = training[index]["groups"].get(key, {})
        rows.append(
            {
                "day": day,
                "rating": latest["overall"]["mean"] if latest else None,
                "rating_round": latest["round"] if latest else None,
                "introduction": cover.get("introduction_percent"),
                "advanced": cover.get("advanced_percent"),
                "staff": cover.get("staff", 0),
                "supervision": supervision[index] if supervision is not None else None,
                "breadth": practice[index]["breadth"],
                "depth": practice[index]["depth"],
            }
        )
    by_team = []
    for team in teams:
        team_rows = []
        for index, day in enumerate(days):
            cover = training[index]["groups"].get(team.pk, {})
            practice_team = practice[index]["teams"].get(team.pk, {})
            held = team_supervision.get(team.pk)
            team_rows.append(
                {
                    "day": day,
                    "introduction": cover.get("introduction_percent"),
                    "advanced": cover.get("advanced_percent"),
                    "staff": cover.get("staff", 0),
                    "supervision": held[index] if held is not None else None,
                    "breadth": practice_team.get("breadth"),
                    "depth": practice_team.get("depth"),
                }
            )
        by_team.append({"team": team, "rows": team_rows})
    authority = linked_authority(user.agency)
    outcomes = outcome_indicators(authority)
    return {
        "days": days,
        "rows": rows,
        "rounds": rounds,
        "domains": domains,
        "rating_table": _rating_table(rounds, domains),
        "by_team": by_team,
        "team_scoped": bool(team_id),
        "supervision_recorded": supervision is not None,
        "outcomes": outcomes,
        "charts": _charts(rows, rounds, domains, outcomes),
    }


def _supervision(agency_id: int, *, team_id, days) -> list[dict] | None:
    """Sessions and workers supervised in each month of `days` (None: not recorded)."""
    held = selectors.supervision_held(agency_id, team_id=team_id, months=len(days))
    return None if held is None else _by_day(held, days)


def _by_day(held: list[dict], days) -> list[dict]:
    """Monthly supervision rows matched to the month of each day."""
    by_month = {(row["month"].year, row["month"].month): row for row in held}
    return [
        by_month.get((day.year, day.month), {"sessions": 0, "workers_supervised": 0})
        for day in days
    ]


def _rating_table(rounds: list[dict], domains) -> list[dict]:
    return [
        {
            "domain": domain,
            "cells": [r["domains"].get(domain.pk) for r in rounds],
        }
        for domain in domains
        if any(domain.pk in r["domains"] for r in rounds)
    ]


def _charts(rows, rounds, domains, outcomes) -> dict:
    month_labels = [f"{row['day']:%b %Y}" for row in rows]
    side_by_side = period_chart(
        month_labels,
        [
            ("Breadth", [r["breadth"] for r in rows]),
            ("Depth", [r["depth"] for r in rows]),
            ("Introduction trained", [r["introduction"] for r in rows]),
            (
                "Rating × 10",
                [None if r["rating"] is None else r["rating"] * 10 for r in rows],
            ),
        ],
        y_label="percent (the rating out of 10, times 10)",
    )
    round_labels = [r["round"].title for r in rounds]
    shown = [d for d in domains if any(d.pk in r["domains"] for r in rounds)][:4]
    ratings = period_chart(
        round_labels,
        [
            (
                d.name,
                [r["domains"].get(d.pk, {}).get("mean") for r in rounds],
            )
            for d in shown
        ],
        y_label="mean rating, 0 to 10",
    )
    outcome_charts = []
    for item in outcomes["indicators"]:
        if item["indicator"].key not in CHARTED_OUTCOMES:
            continue
        chart = period_chart(
            [str(row["year"]) for row in item["rows"]],
            [
                (outcomes["authority"].name, [row["authority"] for row in item["rows"]]),
                ("England", [row["england"] for row in item["rows"]]),
            ],
            y_label=item["indicator"].unit,
        )
        outcome_charts.append({"indicator": item["indicator"], "chart": chart})
    return {"side_by_side": side_by_side, "ratings": ratings, "outcomes": outcome_charts}


# The implementation measure, per agency and quarter --------------------------------------------


def quarter_ends(last: datetime.date, count: int) -> list[datetime.date]:
    """The last day of each of `count` calendar quarters up to `last`, oldest first (the
    current quarter is as of `last`)."""
    month = ((last.month - 1) // 3) * 3 + 3
    ends, year = [], last.year
    for _ in range(count):
        ends.append(min(compute.month_end(year, month), last))
        year, month = (year, month - 3) if month > 3 else (year - 1, 12)
    return ends[::-1]


def implementation_measure(
    agency_id: int,
    *,
    last: datetime.date,
    quarters: int = 8,
    cases=None,
    cache=None,
):
    """One row per quarter: the mean implementation rating (closed rounds whose period ended in
    the quarter), staff trained at introductory and advanced level at the quarter's end, and
    the mean breadth and depth of the agency's open cases on that day (or of `cases`, the ones a
    viewer may open). For evaluations across agencies: every figure is an aggregate, never a
    person or a family."""
    ends = quarter_ends(last, quarters)
    rounds = selectors.closed_round_figures(agency_id)
    training = selectors.coverage(agency_id, days=ends)
    if cases is None:
        cases = Case.objects.filter(agency_id=agency_id)
    practice = practice_figures(cases, ends, cache)
    rows = []
    for index, end in enumerate(ends):
        start = datetime.date(end.year, (end.month - 1) // 3 * 3 + 1, 1)
        in_quarter = [r for r in rounds if start <= r["round"].period_end <= end]
        scores = [r["overall"]["mean"] for r in in_quarter]
        cover = training[index]["groups"].get("all", {})
        rows.append(
            {
                "quarter": f"{end.year} Q{(end.month - 1) // 3 + 1}",
                "start": start,
                "end": end,
                "rating": round(mean(scores), 1) if scores else None,
                "raters": sum(r["raters"] for r in in_quarter),
                "staff": cover.get("staff", 0),
                "introduction": cover.get("introduction_percent"),
                "advanced": cover.get("advanced_percent"),
                "breadth": practice[index]["breadth"],
                "depth": practice[index]["depth"],
            }
        )
    return rows


MEASURE_HEADER = [
    "Quarter",
    "Start",
    "End",
    "Mean implementation rating (0-10)",
    "Raters",
    "Staff",
    "Introduction trained (%)",
    "Advanced trained (%)",
    "Breadth (%)",
    "Depth (%)",
]


def measure_cells(row: dict) -> list:
    return [
        row["quarter"],
        row["start"].isoformat(),
        row["end"].isoformat(),
        row["rating"],
        row["raters"],
        row["staff"],
        row["introduction"],
        row["advanced"],
        row["breadth"],
        row["depth"],
    ]
