"""Reads for the measures pages, always starting from the cases the viewer may open.

- Social workers: their own caseload (cases allocated to them on the day), as one figure.
- Team managers: their team, by worker (and the team as a whole).
- Practice leads, senior leaders and performance analysts: the agency, by team, service, worker
  or as a whole; or one team of it they choose, in the same ways.
Nobody else sees the dashboards; everyone signed in may read the catalogue.
"""

import datetime

from django.core.paginator import Page, Paginator
from django.utils import timezone

from agencies.models import Role, Service, Team, User
from core.disclosure import suppress_below
from core.errors import RuleViolation
from measures import compute
from measures.catalogue import IMPACT, impact_trend_months, measures
from measures.impact import UNITS, drilldown_rows
from measures.kept import KeptMonths
from people.access import case_visibility_filter
from people.models import Case

AGENCY_VIEWERS = {Role.PRACTICE_LEAD, Role.SENIOR_LEADER, Role.PERFORMANCE_ANALYST}
GROUPINGS_FOR = {
    Role.SOCIAL_WORKER: ["worker"],
    Role.TEAM_MANAGER: ["worker", "team"],
    **{role: ["team", "service", "worker", "agency"] for role in AGENCY_VIEWERS},
}
GROUPING_LABELS = {
    "worker": "Worker",
    "team": "Team",
    "service": "Service",
    "agency": "Agency",
}
# Comparisons across teams and services hide small numbers (configured).
COMPARISONS = {"team", "service"}
# Groups shown side by side on the screen: a county has about 190 teams and 1,500 workers,
# more columns than anyone can read (or a browser lay out quickly) at once.
GROUPS_PER_PAGE = 10


def may_see_dashboard(user) -> bool:
    return bool(
        user.is_authenticated
        and user.agency_id
        and user.role in GROUPINGS_FOR
        and (user.role not in {Role.TEAM_MANAGER} or user.team_id)
    )


def groupings_for(user) -> list[str]:
    return GROUPINGS_FOR.get(user.role, [])


def teams_to_choose(user) -> list[Team]:
    """The teams an agency viewer may narrow every figure to (a county has about 190); nobody
    else chooses: a team manager sees their own team, a social worker their caseload."""
    if user.role not in AGENCY_VIEWERS:
        return []
    return list(Team.objects.filter(agency_id=user.agency_id).order_by("name"))


def choices_checked(user, *, by: str, team_id: int | None) -> tuple[str, Team | None]:
    """The grouping (the first the user may have if none) and the team asked for, refused with
    the reason if the user may not choose them: the rule the dashboard's form keeps by offering
    only these choices."""
    groupings = groupings_for(user)
    by = by or groupings[0]
    if by not in groupings:
        raise RuleViolation(f"The measures are seen by {', '.join(groupings)} here.")
    if team_id is None:
        return by, None
    team = None
    if user.role in AGENCY_VIEWERS:
        team = Team.objects.filter(agency_id=user.agency_id, pk=team_id).first()
    if team is None:
        raise RuleViolation("That team cannot be chosen here.")
    return by, team


def scope(user, team: Team | None = None) -> dict:
    """The cases behind every figure the user sees, and the worker they are limited to.
    `team` narrows an agency viewer's figures to one team's cases."""
    visible = Case.objects.filter(
        pk__in=Case.objects.filter(case_visibility_filter(user)).values("pk")
    )
    worker_id, whose = None, "agency"
    if user.role == Role.SOCIAL_WORKER:
        # A worker's cases are their team's as well as their own: it is part of whose they are.
        worker_id, whose = user.pk, f"worker:{user.pk}:{user.team_id}"
    elif user.role == Role.TEAM_MANAGER:
        visible, whose = visible.filter(team_id=user.team_id), f"team:{user.team_id}"
    elif team is not None and team.agency_id == user.agency_id:
        visible, whose = visible.filter(team_id=team.pk), f"team:{team.pk}"
    return {"cases": visible, "worker_id": worker_id, "whose": whose}


def scope_title(user, team: Team | None = None) -> str:
    if user.role == Role.SOCIAL_WORKER:
        return "Your caseload"
    if user.role == Role.TEAM_MANAGER:
        return f"{user.team.name}"
    if team is not None:
        return f"{team.name}"
    return f"{user.agency.name}"


def group_labels(by: str, keys, user) -> dict:
    """A readable name for each group key (one query at most)."""
    keys = [k for k in keys if k is not None]
    if by == "worker":
        names = {u.pk: u.get_full_name() or u.username for u in User.objects.filter(pk__in=keys)}
        return {None: "Not allocated", **names}
    if by == "team":
        return dict(Team.objects.filter(pk__in=keys).values_list("pk", "name"))
    if by == "service":
        return dict(Service.choices)
    return {user.agency_id: user.agency.name}


def last_day(month: str | None, today: datetime.date | None = None) -> datetime.date:
    """The day a month's figures are taken: its last day, or today for the current month."""
    today = today or timezone.localdate()
    if month:
        try:
            year, number = (int(part) for part in month.split("-"))
            day = compute.month_end(year, number)
        except (ValueError, TypeError):
            return today
        return min(day, today)
    return today


def _row(measure, cell, *, suppress: bool) -> dict:
    threshold = suppress_below()
    # A rate's denominator is the whole population: its small numbers are the children counted.
    small = cell.numerator if cell.shared else cell.denominator
    hidden = suppress and threshold and 0 < small < threshold
    percent = None if hidden else cell.percent
    return {
        "measure": measure,
        "numerator": None if hidden else cell.numerator,
        "denominator": None if hidden else cell.denominator,
        "percent": percent,
        "rating": measure.rating(percent),
        "suppressed": bool(hidden),
        "suppressed_label": f"fewer than {threshold}" if hidden else "",
        "no_population": measure.is_rate and not hidden and not cell.denominator,
    }


def dashboard(
    user,
    *,
    day: datetime.date,
    by: str,
    team: Team | None = None,
    group_page=None,
    group_slice: slice | None = None,
) -> dict:
    """Every measure on the day, for the user's scope (narrowed to `team`), by group: a few
    queries. With `group_page` (a page number), the groups of that page only, as `group_page`
    (a `Page`); with `group_slice`, those groups (the API's offset and limit); with neither,
    every group, for the downloads. `group_count` is every group's number either way."""
    scoped = scope(user, team)
    figures = compute.figures_on(scoped["cases"], day=day, by=by, worker_id=scoped["worker_id"])
    keys = figures.groups()
    labels = group_labels(by, keys, user)
    suppress = by in COMPARISONS
    groups = [
        {"key": key, "label": labels.get(key, "Unknown"), "param": _param(key)} for key in keys
    ]
    groups.sort(key=lambda g: (g["key"] is None, g["label"]))
    group_count = len(groups)
    page: Page | None = None
    if group_page is not None:
        page = Paginator(groups, GROUPS_PER_PAGE).get_page(group_page)
        groups = list(page.object_list)
    elif group_slice is not None:
        groups = groups[group_slice]
    rows = []
    for measure in measures():
        per_group = figures.cells.get(measure.code, {})
        rows.append(
            {
                "measure": measure,
                "total": _row(measure, figures.total(measure.code), suppress=False)
                | {"group_param": "all", "group_label": scope_title(user, team)},
                "cells": [
                    _row(measure, per_group.get(g["key"], compute.Cell()), suppress=suppress)
                    | {"group_param": g["param"], "group_label": g["label"]}
                    for g in groups
                ],
            }
        )
    return {
        "day": day,
        "by": by,
        "groups": groups,
        "group_count": group_count,
        "group_page": page,
        "rows": rows,
        "suppress": suppress,
    }


def _param(key) -> str:
    return "none" if key is None else str(key)


def parse_group(by: str, value: str | None):
    """A group key from the query string: "none" is the unallocated group."""
    if value in (None, "", "all"):
        return "all"
    if value == "none":
        return None
    if by == "service":
        return value if value in Service.values else "all"
    try:
        return int(value)
    except ValueError:
        return "all"


def _trend_parts(months: int) -> list[tuple[int, set]]:
    """The months and units of each part of the trends: the impact measures go further back."""
    impact_units = {m.unit for m in measures() if m.kind == IMPACT}
    return [(months, set(compute.FLAGS) - impact_units), (impact_trend_months(), impact_units)]


def _count_trends_later(user, team: Team | None, last: datetime.date):
    def enqueue():
        from measures.tasks import trends_count

        return trends_count.enqueue(user.pk, team.pk if team else None, last.isoformat())

    return enqueue


def trends_count_again(user, *, last: datetime.date, team: Team | None = None) -> None:
    """Count the trends' finished months again (`KeptMonths.count_again`)."""
    scoped = scope(user, team)
    KeptMonths(user, scoped, "trends").count_again(scoped, _count_trends_later(user, team, last))


def trends(
    user,
    *,
    last: datetime.date,
    months: int,
    team: Team | None = None,
    afresh: bool = False,
    background: bool = False,
) -> dict:
    """Each measure's figure at each month's end over the months up to `last`; impact measures
    over the (longer) impact trend months. `rows`, one a measure; `kept_since`: when the
    finished months kept from earlier were counted (None if every figure was counted now;
    `measures.kept`); `counting_since`: when the background worker was asked to count them,
    while it does; `failed_at`: when its last count failed, while that is shown. `afresh`
    counts them all now and keeps them for next time. With `background`, a large scope with
    none kept is left to the worker: `rows` is None."""
    scoped = scope(user, team)
    kept = KeptMonths(user, scoped, "trends", afresh=afresh)
    if background and kept.count_in_background(scoped, _count_trends_later(user, team, last)):
        return {
            "rows": None,
            "kept_since": None,
            "counting_since": kept.counting_since,
            "failed_at": kept.failed_at,
        }
    series, long_series = (
        compute.trend(
            scoped["cases"],
            last=last,
            months=span,
            worker_id=scoped["worker_id"],
            units=units,
            kept=kept,
        )
        for span, units in _trend_parts(months)
    )
    kept.save()
    result = []
    for measure in measures():
        points = []
        for figures in long_series if measure.kind == IMPACT else series:
            cell = figures.total(measure.code)
            points.append(
                {
                    "day": figures.day,
                    "numerator": cell.numerator,
                    "denominator": cell.denominator,
                    "percent": cell.percent,
                }
            )
        result.append({"measure": measure, "points": points})
    return {
        "rows": result,
        "kept_since": kept.kept_since,
        "counting_since": kept.counting_since,
        "failed_at": kept.failed_at,
    }


def drilldown(
    user, *, code: str, day: datetime.date, by: str, group, part: str, team: Team | None = None
) -> list[dict]:
    """The cases (with the child, for measures per child) behind one figure."""
    from audits.depth import audit_drilldown_rows
    from measures.catalogue import AUDITS, CASES, CHILDREN, measure_get

    scoped = scope(user, team)
    measure = measure_get(code)
    units = compute.units_behind(
        measure.code,
        scoped["cases"],
        day=day,
        by="agency" if group == "all" else by,
        group=group,
        part=part,
        worker_id=scoped["worker_id"],
    )
    if measure.unit == CASES:
        rows = units.values("pk", "name", "reference", "team__name", "opened_on")
        return [
            {
                "case_id": r["pk"],
                "case": r["name"],
                "reference": r["reference"],
                "team": r["team__name"],
                "opened_on": r["opened_on"],
                "detail": "",
            }
            for r in rows.order_by("name", "reference")
        ]
    if measure.unit == CHILDREN:
        rows = units.values(
            "case_id",
            "case__name",
            "case__reference",
            "case__team__name",
            "case__opened_on",
            "person__given_name",
            "person__family_name",
        ).order_by("case__name", "case__reference", "person__given_name")
        return [
            {
                "case_id": r["case_id"],
                "case": r["case__name"],
                "reference": r["case__reference"],
                "team": r["case__team__name"],
                "opened_on": r["case__opened_on"],
                "detail": f"{r['person__given_name']} {r['person__family_name']}",
            }
            for r in rows
        ]
    if measure.unit in UNITS:
        return drilldown_rows(measure.unit, units)
    if measure.unit == AUDITS:
        return audit_drilldown_rows(units)
    rows = units.values(
        "case_id",
        "case__name",
        "case__reference",
        "case__team__name",
        "case__opened_on",
        "due_on",
        "met_on",
    ).order_by("due_on", "case__name")
    return [
        {
            "case_id": r["case_id"],
            "case": r["case__name"],
            "reference": r["case__reference"],
            "team": r["case__team__name"],
            "opened_on": r["case__opened_on"],
            "detail": f"Due {r['due_on']:%d %b %Y}; "
            + (f"done {r['met_on']:%d %b %Y}" if r["met_on"] else "not done"),
        }
        for r in rows
    ]
