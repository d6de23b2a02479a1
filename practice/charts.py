"""A server-drawn SVG line chart of overall safety scales over time: no script, no CDN.

The page shows the same figures in a table beside it, which is the accessible alternative."""

from dataclasses import dataclass

from practice.models import RaterRole, ScaleJudgement

WIDTH, HEIGHT = 640, 280
LEFT, RIGHT, TOP, BOTTOM = 48, 190, 16, 40
# Each colour has at least 3:1 contrast on white, and each series has its own marker shape too,
# so no line is told apart by colour alone.
SERIES_STYLES = [
    ("#0b5394", "circle"),
    ("#b3400e", "square"),
    ("#00703c", "diamond"),
    ("#8e2c79", "triangle"),
    ("#505a5f", "circle"),
    ("#7a5c00", "square"),
    ("#000000", "diamond"),
    ("#1d70b8", "triangle"),
]


@dataclass
class Point:
    x: float
    y: float
    score: int
    label: str


@dataclass
class Series:
    name: str
    colour: str
    marker: str
    points: list[Point]
    legend_y: float = 0.0

    @property
    def path(self) -> str:
        return " ".join(
            f"{'M' if i == 0 else 'L'}{p.x:.1f},{p.y:.1f}" for i, p in enumerate(self.points)
        )


def overall_scale_chart(judgements: list[ScaleJudgement]) -> dict | None:
    """Overall judgements, a line per rater role, averaged where a role scaled twice in a map."""
    overall = [j for j in judgements if j.danger_statement_id is None]
    if not overall:
        return None
    dates = sorted({j.map.held_on for j in overall})
    span = max((dates[-1] - dates[0]).days, 1)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x_for(day):
        return LEFT + (plot_w * (day - dates[0]).days / span if len(dates) > 1 else plot_w / 2)

    def y_for(score):
        return TOP + plot_h * (10 - score) / 10

    by_role: dict[str, dict] = {}
    for judgement in overall:
        by_role.setdefault(judgement.rater_role, {}).setdefault(judgement.map.held_on, []).append(
            judgement.score
        )
    series = []
    role_order = [r.value for r in RaterRole]
    for index, role in enumerate(sorted(by_role, key=role_order.index)):
        colour, marker = SERIES_STYLES[index % len(SERIES_STYLES)]
        points = []
        for day, scores in sorted(by_role[role].items()):
            score = round(sum(scores) / len(scores))
            points.append(Point(x_for(day), y_for(score), score, f"{day:%-d %b %Y}"))
        series.append(Series(RaterRole(role).label, colour, marker, points))
    _spread_legend(series)
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "series": series,
        "y_ticks": [{"value": v, "y": y_for(v)} for v in (0, 2, 4, 6, 8, 10)],
        "x_ticks": [{"label": f"{d:%b %Y}", "x": x_for(d)} for d in _spread(dates)],
        "plot": {"left": LEFT, "right": WIDTH - RIGHT, "top": TOP, "bottom": HEIGHT - BOTTOM},
        "legend_x": WIDTH - RIGHT + 12,
    }


def _spread_legend(series: list[Series], gap: float = 16) -> None:
    """Place each series' label by its last point, nudged apart so no two labels overlap."""
    ordered = sorted(series, key=lambda s: s.points[-1].y)
    previous = None
    for item in ordered:
        item.legend_y = item.points[-1].y
        if previous is not None and item.legend_y - previous < gap:
            item.legend_y = previous + gap
        previous = item.legend_y


def _spread(dates, most=5):
    if len(dates) <= most:
        return dates
    step = (len(dates) - 1) / (most - 1)
    return [dates[round(i * step)] for i in range(most)]
