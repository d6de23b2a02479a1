"""Measures of practice: the catalogue, the dashboard, trends, the cases behind a figure and
downloads of every table.

- The catalogue and each definition: everyone signed in.
- Dashboard, trends, drill-down and downloads: social workers (their own caseload), team
  managers (their team), practice leads, senior leaders and performance analysts (the agency,
  or one team of it they choose).
  Everyone else is refused (403). Every figure counts only cases the viewer may open.
- Drill-downs and downloads are written to the audit log.
"""

from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods

from core.audit import audit_record
from core.charts import trend_chart
from core.disclosure import suppress_below
from core.exports import table_response
from core.rendering import render_page_or_partial
from measures import selectors
from measures.catalogue import (
    KIND_LABELS,
    current_map_days,
    impact_trend_months,
    informed_network_size,
    measure_get,
    measures,
    step_down_days,
    trend_kept_hours,
    trend_months,
)
from measures.forms import DashboardForm
from measures.impact import population_source

PARTS = {
    "numerator": "in the numerator (the practice is there)",
    "denominator": "in the denominator (every one counted)",
    "not_met": "in the denominator but not the numerator (the practice is not there yet)",
}


def _require_dashboard(user):
    if not selectors.may_see_dashboard(user):
        raise PermissionDenied("Measures of practice are for workers, managers and leaders.")


def _choices(request) -> dict:
    """The month, grouping and team asked for, checked against what the user may see. A choice
    that is not valid falls back to its default (the form says why); the valid ones hold."""
    groupings = selectors.groupings_for(request.user)
    teams = selectors.teams_to_choose(request.user)
    # Without a month the figures are this month's, and the form shows it.
    data = request.GET.copy()
    if not data.get("month"):
        data["month"] = f"{timezone.localdate():%Y-%m}"
    form = DashboardForm(data, groupings=groupings, teams=teams)
    form.full_clean()
    chosen = form.cleaned_data
    month = chosen.get("month") or ""
    by = chosen.get("by") or groupings[0]
    team = next((t for t in teams if t.pk == chosen.get("team")), None)
    day = selectors.last_day(month)
    month = month or f"{day:%Y-%m}"
    # The choices every link on these pages carries, so that nothing chosen is lost.
    query = {"month": month, "by": by} | ({"team": team.pk} if team else {})
    return {
        "form": form,
        "month": month,
        "day": day,
        "by": by,
        "team": team,
        "scope_query": urlencode(query),
    }


def _config(user=None, day=None) -> dict:
    config = {
        "current_map_days": current_map_days(),
        "informed_network_size": informed_network_size(),
        "suppress_below": suppress_below(),
        "trend_months": trend_months(),
        "impact_trend_months": impact_trend_months(),
        "trend_kept_hours": trend_kept_hours(),
        "step_down_days": step_down_days(),
    }
    if user is not None and user.is_authenticated and user.agency_id:
        config["population"] = population_source(user.agency, day or timezone.localdate())
    return config


@require_GET
def catalogue(request):
    grouped = {}
    for measure in measures():
        grouped.setdefault(measure.kind, []).append(measure)
    sections = [{"label": KIND_LABELS[k], "measures": v} for k, v in grouped.items()]
    context = {"sections": sections, **_config(request.user)}
    return render(request, "measures/catalogue.html", context)


@require_GET
def definition(request, measure_code):
    measure = measure_get(measure_code)
    if measure is None:
        raise Http404("No such measure.")
    context = {"measure": measure, **_config(request.user)}
    return render(request, "measures/definition.html", context)


@require_GET
def dashboard(request):
    _require_dashboard(request.user)
    choices = _choices(request)
    context = choices | selectors.dashboard(
        request.user,
        day=choices["day"],
        by=choices["by"],
        team=choices["team"],
        group_page=request.GET.get("page", 1),
    )
    page = context["group_page"]
    context["from_page"] = _from_page(page.number if page.has_other_pages() else None)
    config = _config(request.user, choices["day"])
    context |= {"scope_title": selectors.scope_title(request.user, choices["team"]), **config}
    return render_page_or_partial(request, "measures/dashboard.html", context, partial="figures")


def _from_page(number) -> str:
    """The page of groups a figure was chosen on, carried to its cases and back again, so that
    "Back to the dashboard" returns to the same teams or workers."""
    return f"&page={number}" if str(number or "").isdigit() else ""


def _trends(request, choices) -> dict:
    trends = selectors.trends(
        request.user,
        last=choices["day"],
        months=trend_months(),
        team=choices["team"],
        background=True,
    )
    for row in trends["rows"] or []:
        row["chart"] = trend_chart(row["points"], rate=row["measure"].is_rate)
    return trends


@require_http_methods(["GET", "POST"])
def trends(request):
    """The trends; a POST counts the finished months again instead of using those kept."""
    _require_dashboard(request.user)
    choices = _choices(request)
    if request.method == "POST":
        selectors.trends_count_again(request.user, last=choices["day"], team=choices["team"])
        return redirect(f"{request.path}?{choices['scope_query']}")
    context = choices | {
        **_trends(request, choices),
        "scope_title": selectors.scope_title(request.user, choices["team"]),
        **_config(),
    }
    return render_page_or_partial(request, "measures/trends.html", context, partial="trends")


def _drilldown_choices(request, choices) -> dict:
    measure = measure_get(request.GET.get("code") or "B01")
    if measure is None:
        raise Http404("No such measure.")
    part = request.GET.get("part") or "numerator"
    if part not in PARTS or measure.is_rate:  # a rate's denominator is a population, not records
        part = "numerator"
    group = selectors.parse_group(choices["by"], request.GET.get("group"))
    return {"measure": measure, "part": part, "group": group}


def _group_label(request, choices, group) -> str:
    if group == "all":
        return selectors.scope_title(request.user, choices["team"])
    labels = selectors.group_labels(choices["by"], [group], request.user)
    return labels.get(group, "Unknown")


@require_GET
def drilldown(request):
    _require_dashboard(request.user)
    choices = _choices(request)
    chosen = _drilldown_choices(request, choices)
    rows = selectors.drilldown(
        request.user,
        code=chosen["measure"].code,
        day=choices["day"],
        by=choices["by"],
        group=chosen["group"],
        part=chosen["part"],
        team=choices["team"],
    )
    audit_record(
        actor=request.user,
        verb="measures.drilldown_viewed",
        agency_id=request.user.agency_id,
        changes=_audit_changes(choices, chosen, len(rows)),
    )
    context = (
        choices
        | chosen
        | {
            "rows": rows,
            "part_label": PARTS[chosen["part"]],
            "parts": PARTS,
            "group_label": _group_label(request, choices, chosen["group"]),
            "group_param": "all" if chosen["group"] == "all" else selectors._param(chosen["group"]),
            "from_page": _from_page(request.GET.get("page")),
        }
    )
    return render_page_or_partial(request, "measures/drilldown.html", context, partial="cases")


def _audit_changes(choices, chosen, count) -> dict:
    return {
        "measure": chosen["measure"].code,
        "day": choices["day"].isoformat(),
        "by": choices["by"],
        "team": _team_name(choices),
        "group": chosen["group"],
        "part": chosen["part"],
        "rows": count,
    }


def _team_name(choices) -> str:
    return choices["team"].name if choices["team"] else "All"


@require_GET
def download(request):
    """Any table as CSV or XLSX: ?table=dashboard|trends|drilldown&fmt=csv|xlsx."""
    _require_dashboard(request.user)
    choices = _choices(request)
    table = request.GET.get("table") or "dashboard"
    fmt = request.GET.get("fmt") if request.GET.get("fmt") in {"csv", "xlsx"} else "csv"
    day = choices["day"]
    team = choices["team"]
    changes = {
        "table": table,
        "format": fmt,
        "day": day.isoformat(),
        "by": choices["by"],
        "team": _team_name(choices),
    }
    # A team's download says so in its name, beside the agency's.
    named = f"-{slugify(team.name)}" if team else ""
    if table == "trends":
        trend = selectors.trends(request.user, last=day, months=trend_months(), team=team)
        header = ["Code", "Measure", "Month end", "Numerator", "Denominator", "Value", "Value is"]
        rows = [
            [
                r["measure"].code,
                r["measure"].name,
                p["day"].isoformat(),
                p["numerator"],
                p["denominator"],
                p["percent"],
                r["measure"].value_is,
            ]
            for r in trend["rows"]
            for p in r["points"]
        ]
        name = f"measures-trends{named}-{day:%Y-%m}"
    elif table == "drilldown":
        chosen = _drilldown_choices(request, choices)
        units = selectors.drilldown(
            request.user,
            code=chosen["measure"].code,
            day=day,
            by=choices["by"],
            group=chosen["group"],
            part=chosen["part"],
            team=team,
        )
        header = ["Family", "Reference", "Team", "Opened", "Child, deadline or record"]
        rows = [
            [u["case"], u["reference"], u["team"], u["opened_on"].isoformat(), u["detail"]]
            for u in units
        ]
        changes |= _audit_changes(choices, chosen, len(rows))
        name = f"measures-{chosen['measure'].code}-{chosen['part']}{named}-{day:%Y-%m-%d}"
    elif table == "dashboard":
        data = selectors.dashboard(request.user, day=day, by=choices["by"], team=team)
        header = ["Code", "Measure", "Group", "Numerator", "Denominator", "Value", "Value is"]
        rows = []
        for row in data["rows"]:
            for group, cell in zip(data["groups"], row["cells"], strict=True):
                rows.append(_cells(row["measure"], group["label"], cell))
            rows.append(_cells(row["measure"], "All", row["total"]))
        name = f"measures-{choices['by']}{named}-{day:%Y-%m-%d}"
    else:
        raise Http404("No such table.")
    audit_record(
        actor=request.user,
        verb="measures.table_downloaded",
        agency_id=request.user.agency_id,
        changes=changes,
    )
    return table_response(filename=name, fmt=fmt, header=header, rows=rows, title=table)


def _cells(measure, group, cell) -> list:
    start = [measure.code, measure.name, group]
    if cell["suppressed"]:
        label = cell["suppressed_label"]
        return [*start, label, label, "", measure.value_is]
    values = [cell["numerator"], cell["denominator"], cell["percent"], measure.value_is]
    return [*start, *values]
