"""Build the comparison pages' figures and the evaluation report from the loaded panel.

Everything here is deterministic: the same loaded releases and the same design give the same
numbers, tables and SVG, byte for byte (the permutations use a fixed seed, and nothing shows the
time it was run)."""

import math
from dataclasses import dataclass, field

import pandas as pd

from evaluation import analysis, charts, selectors
from evaluation.indicators import BY_KEY, INDICATORS, Indicator
from evaluation.models import EvaluationDesign, PublishedRelease
from evaluation.selectors import NATIONAL_CODE


def _number(value) -> float | None:
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def measures_for(indicators: list[Indicator]) -> list[str]:
    return sorted(
        {m for i in indicators for m in (i.numerator, i.denominator) if m != "population"}
    )


# Comparison: an authority against its neighbours and England ----------------------------------


@dataclass
class Comparison:
    indicator: Indicator
    authority_name: str
    neighbour_names: list[str]
    rows: list[dict]
    chart: charts.Chart | None


def comparison(code: str, indicator: Indicator, *, model: str) -> Comparison:
    names = selectors.names_by_code()
    neighbours = selectors.neighbours_of([code], model=model).get(code, [])
    values = selectors.values_frame(measures_for([indicator]))
    panel = analysis.indicator_panel(
        values, selectors.populations_frame(), indicator, harmonise=False
    )
    table = analysis.comparison_table(
        panel, code=code, neighbours=neighbours, national=NATIONAL_CODE
    )
    rows = [
        {
            "year": int(row.year),
            "authority": _number(row.authority),
            "neighbours": _number(row.neighbours),
            "neighbours_reporting": int(row.neighbours_reporting),
            "england": _number(row.england),
        }
        for row in table.itertuples()
    ]
    chart = None
    if rows and any(r["authority"] is not None or r["england"] is not None for r in rows):
        chart = charts.line_chart(
            [r["year"] for r in rows],
            [
                (names.get(code, code), [r["authority"] for r in rows]),
                ("Neighbours' average", [r["neighbours"] for r in rows]),
                ("England", [r["england"] for r in rows]),
            ],
            y_label=indicator.unit,
        )
    return Comparison(
        indicator, names.get(code, code), [names.get(n, n) for n in neighbours], rows, chart
    )


# The evaluation report ------------------------------------------------------------------------


@dataclass
class IndicatorResult:
    indicator: Indicator
    did: analysis.DidResult
    study: analysis.EventStudy
    caveats: analysis.Caveats
    trend_rows: list[dict]
    trend_chart: charts.Chart | None
    event_rows: list[dict]
    event_chart: charts.Chart | None


@dataclass
class Report:
    design: EvaluationDesign
    implementation: list[dict]
    comparison: list[dict]
    releases: list[PublishedRelease]
    results: list[IndicatorResult] = field(default_factory=list)
    permutations: int = analysis.PERMUTATIONS
    seed: int = analysis.SEED
    loaded: bool = True

    @property
    def years(self) -> str:
        return f"{self.design.first_year - 1}-{str(self.design.first_year)[2:]} to " + (
            f"{self.design.last_year - 1}-{str(self.design.last_year)[2:]}"
        )


def design_groups(design: EvaluationDesign) -> tuple[dict[str, int], list[str]]:
    """The implementation start years by series code, and the comparison group's codes."""
    starts = {
        analysis.series_code(item["code"]): int(item["start"]) for item in design.implementation
    }
    if design.comparison == EvaluationDesign.Comparison.NEIGHBOURS:
        neighbours = selectors.neighbours_of(
            [item["code"] for item in design.implementation], model=design.neighbour_model
        )
        pool = {analysis.series_code(n) for found in neighbours.values() for n in found}
    else:
        pool = {analysis.series_code(a.code) for a in selectors.authorities()}
    return starts, sorted(pool - set(starts))


def build_report(design: EvaluationDesign, *, permutations: int = analysis.PERMUTATIONS) -> Report:
    names = selectors.names_by_code()
    starts, comparison_codes = design_groups(design)
    releases = list(PublishedRelease.objects.order_by("table", "first_year", "file_name"))
    report = Report(
        design,
        [
            {"code": code, "name": names.get(code, code), "start": start}
            for code, start in sorted(starts.items(), key=lambda item: names.get(item[0], ""))
        ],
        [
            {"code": code, "name": names.get(code, code)}
            for code in sorted(comparison_codes, key=lambda c: names.get(c, c))
        ],
        releases,
        permutations=permutations,
        loaded=bool(releases),
    )
    indicators = [BY_KEY[key] for key in design.indicators if key in BY_KEY]
    if not releases:
        return report
    values = selectors.values_frame(measures_for(indicators))
    populations = selectors.populations_frame()
    years = (design.first_year, design.last_year)
    for indicator in indicators:
        panel = analysis.indicator_panel(values, populations, indicator)
        did = analysis.difference_in_differences(
            panel, starts, comparison_codes, years, permutations=permutations
        )
        study = analysis.event_study(panel, starts, comparison_codes, years)
        caveats = analysis.caveats(panel, starts, comparison_codes, years, did, study)
        trend_rows = _group_trends(panel, starts, comparison_codes, years)
        trend_chart = None
        if any(r["implementation"] is not None for r in trend_rows):
            trend_chart = charts.line_chart(
                [r["year"] for r in trend_rows],
                [
                    ("Implementing", [r["implementation"] for r in trend_rows]),
                    ("Comparison", [r["comparison"] for r in trend_rows]),
                    ("England", [r["england"] for r in trend_rows]),
                ],
                y_label=indicator.unit,
            )
        event_rows = [
            {
                "relative_year": int(row.relative_year),
                "estimate": float(row.estimate),
                "low": float(row.low),
                "high": float(row.high),
                "n_treated": int(row.n_treated),
            }
            for row in study.coefficients.itertuples()
        ]
        event_chart = (
            charts.event_chart(event_rows, y_label=indicator.change_unit) if event_rows else None
        )
        report.results.append(
            IndicatorResult(
                indicator, did, study, caveats, trend_rows, trend_chart, event_rows, event_chart
            )
        )
    return report


def _group_trends(panel, starts, comparison_codes, years) -> list[dict]:
    """Each year's simple average of the implementing and comparison authorities, and England."""
    first, last = years
    in_years = panel[panel["year"].between(first, last) & ~panel["suppressed"]]
    rows = []
    for year in range(first, last + 1):
        part = in_years[in_years["year"] == year]
        treated = part.loc[part["code"].isin(list(starts)), "value"]
        control = part.loc[part["code"].isin(comparison_codes), "value"]
        england = part.loc[part["code"] == NATIONAL_CODE, "value"]
        rows.append(
            {
                "year": year,
                "implementation": _number(treated.mean()) if len(treated) else None,
                "implementation_n": len(treated),
                "comparison": _number(control.mean()) if len(control) else None,
                "comparison_n": len(control),
                "england": _number(england.iloc[0]) if len(england) else None,
            }
        )
    return rows


def indicators_all() -> list[Indicator]:
    return list(INDICATORS)


def frame_to_rows(frame: pd.DataFrame) -> list[dict]:
    return frame.to_dict("records")
