"""Server-drawn SVG charts for the evaluation pages and report: no script, no CDN, no inline
style. Each chart is shown beside a table of the same figures (the accessible alternative),
and each series has its own marker shape as well as colour, so no line is told apart by colour
alone. Numbers are rounded to one decimal place so the same data always draws the same SVG."""

import math
from dataclasses import dataclass, field

WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 56, 170, 16, 44
SERIES_STYLES = [
    ("#0b5394", "circle"),
    ("#b3400e", "square"),
    ("#505a5f", "diamond"),
    ("#00703c", "triangle"),
]


@dataclass
class Point:
    x: float
    y: float
    value: float
    label: str


@dataclass
class Series:
    name: str
    colour: str
    marker: str
    points: list[Point]
    legend_y: float = 0.0
    dashed: bool = False

    @property
    def path(self) -> str:
        """Lines join consecutive years only: a gap in the data is a gap in the line."""
        parts, previous = [], None
        for point in self.points:
            command = "L" if previous is not None and point.label == previous else "M"
            parts.append(f"{command}{point.x:.1f},{point.y:.1f}")
            previous = str(int(point.label) + 1) if point.label.isdigit() else None
        return " ".join(parts)


@dataclass
class Whisker:
    x: float
    y: float
    y_low: float
    y_high: float
    label: str
    estimate: float
    low: float
    high: float


@dataclass
class Chart:
    width: int
    height: int
    plot: dict
    y_ticks: list
    x_ticks: list
    series: list = field(default_factory=list)
    whiskers: list = field(default_factory=list)
    zero_y: float | None = None
    start_x: float | None = None
    legend_x: float = 0.0
    y_label: str = ""


def _nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    if not math.isfinite(low) or not math.isfinite(high):
        return [0.0, 1.0]
    if high - low < 1e-9:
        low, high = low - 1, high + 1
    raw = (high - low) / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    start = math.floor(low / step) * step
    ticks, value = [], start
    while value <= high + step * 0.999:
        ticks.append(round(value, 10))
        value += step
    return ticks


def _fmt(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.1f}".rstrip("0").rstrip(".")


def line_chart(years: list[int], named_values: list[tuple[str, list]], *, y_label: str) -> Chart:
    """One line per series over reporting years; a missing value leaves a gap."""
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    found = [v for _, values in named_values for v in values if v is not None and math.isfinite(v)]
    low = min(0.0, min(found, default=0.0))
    ticks = _nice_ticks(low, max(found, default=1.0))
    y_min, y_max = ticks[0], ticks[-1]
    first, last = min(years), max(years)

    def x_for(year):
        return LEFT + (plot_w * (year - first) / (last - first) if last > first else plot_w / 2)

    def y_for(value):
        return TOP + plot_h * (y_max - value) / (y_max - y_min)

    chart = Chart(
        WIDTH,
        HEIGHT,
        {"left": LEFT, "right": WIDTH - RIGHT, "top": TOP, "bottom": HEIGHT - BOTTOM},
        [{"label": _fmt(t), "y": round(y_for(t), 1)} for t in ticks],
        [{"label": str(y), "x": round(x_for(y), 1)} for y in _thin(years)],
        legend_x=WIDTH - RIGHT + 12,
        y_label=y_label,
    )
    for index, (name, values) in enumerate(named_values):
        colour, marker = SERIES_STYLES[index % len(SERIES_STYLES)]
        points = [
            Point(round(x_for(y), 1), round(y_for(v), 1), v, str(y))
            for y, v in zip(years, values, strict=True)
            if v is not None and math.isfinite(v)
        ]
        if points:
            chart.series.append(Series(name, colour, marker, points, dashed=index == 2))
    _spread_legend(chart.series)
    return chart


def event_chart(rows: list[dict], *, y_label: str) -> Chart:
    """Event-study coefficients with their 95% intervals, years relative to the start."""
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    ks = [row["relative_year"] for row in rows]
    bounds = [v for row in rows for v in (row["low"], row["high"]) if math.isfinite(v)]
    ticks = _nice_ticks(min(bounds + [0.0]), max(bounds + [0.0]))
    y_min, y_max = ticks[0], ticks[-1]
    first, last = min(ks), max(ks)

    def x_for(k):
        return LEFT + 20 + (plot_w - 40) * (k - first) / max(last - first, 1)

    def y_for(value):
        return TOP + plot_h * (y_max - value) / (y_max - y_min)

    chart = Chart(
        WIDTH,
        HEIGHT,
        {"left": LEFT, "right": WIDTH - RIGHT, "top": TOP, "bottom": HEIGHT - BOTTOM},
        [{"label": _fmt(t), "y": round(y_for(t), 1)} for t in ticks],
        [{"label": f"{k:+d}" if k else "0", "x": round(x_for(k), 1)} for k in ks],
        zero_y=round(y_for(0), 1),
        start_x=round((x_for(-1) + x_for(0)) / 2, 1),
        legend_x=WIDTH - RIGHT + 12,
        y_label=y_label,
    )
    for row in rows:
        chart.whiskers.append(
            Whisker(
                round(x_for(row["relative_year"]), 1),
                round(y_for(row["estimate"]), 1),
                round(y_for(row["low"]), 1),
                round(y_for(row["high"]), 1),
                str(row["relative_year"]),
                row["estimate"],
                row["low"],
                row["high"],
            )
        )
    return chart


def _spread_legend(series: list[Series], gap: float = 16) -> None:
    ordered = sorted(series, key=lambda s: s.points[-1].y)
    previous = None
    for item in ordered:
        item.legend_y = item.points[-1].y
        if previous is not None and item.legend_y - previous < gap:
            item.legend_y = round(previous + gap, 1)
        previous = item.legend_y


def _thin(years: list[int], most: int = 7) -> list[int]:
    if len(years) <= most:
        return list(years)
    step = (len(years) - 1) / (most - 1)
    return [years[round(i * step)] for i in range(most)]
