"""The measures of practice: the dashboard's figures, for the acting user's scope."""

from django.core.exceptions import PermissionDenied
from ninja import Query, Router

from api.models import Scope
from api.routers.common import audit_read, read
from api.schemas import MeasuresOut, MeasuresParams
from measures import selectors

router = Router(tags=["measures"])


@router.get("/measures", **read(Scope.MEASURES_READ, "Read the measures of practice", MeasuresOut))
def measures_read(request, params: Query[MeasuresParams]):
    """Every measure at a month's end, for all the acting user's cases and for each worker,
    team or service, exactly as their dashboard shows them (small numbers suppressed in
    comparisons across teams and services). Groups come `limit` at a time in alphabetical
    order (a county has about 1,500 workers), each page with the figure for all of them. The
    figures' cases are on the dashboard's pages, not here."""
    user = request.user
    if not selectors.may_see_dashboard(user):
        raise PermissionDenied("Measures of practice are for workers, managers and leaders.")
    by, team = selectors.choices_checked(user, by=params.by, team_id=params.team)
    day = selectors.last_day(params.month)
    end = params.offset + params.limit
    data = selectors.dashboard(
        user, day=day, by=by, team=team, group_slice=slice(params.offset, end)
    )
    audit_read(
        request,
        "api.measures_read",
        count=len(data["groups"]),
        asked={"day": day.isoformat(), "by": by, "team": team.name if team else "All"},
    )
    return {
        "day": day,
        "by": by,
        "team_id": team.pk if team else None,
        "scope": selectors.scope_title(user, team),
        "count": data["group_count"],
        "limit": params.limit,
        "offset": params.offset,
        "next_offset": end if end < data["group_count"] else None,
        "measures": [
            {
                "code": row["measure"].code,
                "name": row["measure"].name,
                "kind": row["measure"].kind,
                "unit": row["measure"].unit,
                "value_is": row["measure"].value_is,
                "higher_is_better": row["measure"].higher_is_better,
                "all": _figure(row["total"]),
                "groups": [_figure(cell) for cell in row["cells"]],
            }
            for row in data["rows"]
        ],
    }


def _figure(cell: dict) -> dict:
    return {
        "group": cell["group_param"],
        "label": cell["group_label"],
        "numerator": cell["numerator"],
        "denominator": cell["denominator"],
        "value": cell["percent"],
        "rating": cell["rating"],
        "suppressed": cell["suppressed"],
    }
