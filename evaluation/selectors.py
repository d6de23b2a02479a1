"""Reads for the evaluation pages, the report and the analysis.

Published statistics are the same for everyone allowed to read them (`may_read_statistics`);
designs are the shared ones plus the reader's own agency's."""

import pandas as pd
from django.db.models import Count, Q

from agencies.models import Role
from evaluation.models import (
    EvaluationDesign,
    IndicatorValue,
    LocalAuthority,
    PopulationEstimate,
    PublishedRelease,
    StatisticalNeighbour,
    StatisticsLoad,
)
from evaluation.reorganisations import SERIES_NAMES, SERIES_OF

READERS = {Role.SENIOR_LEADER, Role.PRACTICE_LEAD, Role.PERFORMANCE_ANALYST}
# The administrator runs the loads, so sees what was loaded and what went wrong.
OVERVIEW_READERS = READERS | {Role.ADMINISTRATOR}
NATIONAL_CODE = "E92000001"


def may_read_statistics(user) -> bool:
    return bool(user.is_authenticated and user.agency_id and user.role in READERS)


def may_see_overview(user) -> bool:
    return bool(user.is_authenticated and user.agency_id and user.role in OVERVIEW_READERS)


def overview() -> dict:
    releases = list(PublishedRelease.objects.annotate(n_values=Count("values")))
    loads = list(StatisticsLoad.objects.all()[:5])
    counts = {
        row["code"]: row["n"]
        for row in IndicatorValue.objects.values("code").annotate(n=Count("id")).order_by("code")
    }
    labels = dict(IndicatorValue.Code.choices)
    changed = LocalAuthority.objects.filter(level=LocalAuthority.Level.LOCAL_AUTHORITY).filter(
        Q(code__in=list(SERIES_OF)) | ~Q(earlier_ons_codes="")
    )
    return {
        "releases": releases,
        "loads": loads,
        "latest_load": loads[0] if loads else None,
        "code_counts": [
            {"code": code or "–", "label": labels.get(code, code), "count": count}
            for code, count in sorted(counts.items())
        ],
        "authority_count": LocalAuthority.objects.filter(
            level=LocalAuthority.Level.LOCAL_AUTHORITY
        ).count(),
        "population_count": PopulationEstimate.objects.count(),
        "reorganised": list(changed.order_by("series_code", "code")),
        "series_names": SERIES_NAMES,
    }


def authorities() -> list[LocalAuthority]:
    return list(
        LocalAuthority.objects.filter(level=LocalAuthority.Level.LOCAL_AUTHORITY).order_by(
            "name", "code"
        )
    )


def authority_get(code: str) -> LocalAuthority | None:
    return LocalAuthority.objects.filter(code=code).first()


def values_frame(measures: list[str]) -> pd.DataFrame:
    rows = IndicatorValue.objects.filter(measure__in=measures).values_list(
        "authority__code", "year", "measure", "value", "code"
    )
    frame = pd.DataFrame(list(rows), columns=["code", "year", "measure", "value", "code_"])
    frame["value"] = frame["value"].astype(float)
    return frame.sort_values(["measure", "code", "year"]).reset_index(drop=True)


def populations_frame() -> pd.DataFrame:
    rows = PopulationEstimate.objects.values_list("authority__code", "mid_year", "children")
    frame = pd.DataFrame(list(rows), columns=["code", "mid_year", "children"])
    frame["children"] = frame["children"].astype(float)
    return frame.sort_values(["code", "mid_year"]).reset_index(drop=True)


def neighbours_of(codes, *, model: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    rows = (
        StatisticalNeighbour.objects.filter(model=model, authority__code__in=list(codes))
        .order_by("authority__code", "rank")
        .values_list("authority__code", "neighbour__code")
    )
    for code, neighbour in rows:
        found.setdefault(code, []).append(neighbour)
    return found


def neighbour_models() -> list[str]:
    return list(
        StatisticalNeighbour.objects.order_by("-model").values_list("model", flat=True).distinct()
    )


def designs_for(user):
    return EvaluationDesign.objects.filter(
        Q(agency__isnull=True) | Q(agency_id=user.agency_id)
    ).order_by("agency_id", "name", "id")


def design_get(user, slug: str) -> EvaluationDesign | None:
    return designs_for(user).filter(slug=slug).order_by("-agency_id").first()


def names_by_code() -> dict[str, str]:
    return dict(LocalAuthority.objects.values_list("code", "name")) | SERIES_NAMES
