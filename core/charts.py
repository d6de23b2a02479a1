"""A server-drawn SVG line chart of one measure's percentage (or rate per 10,000 children) at
each month's end: no script, no CDN. The page shows the same figures in a table beside it (the
accessible alternative)."""

import math

WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 44, 16, 12, 36


def _top(points: list[dict], rate: bool) -> int:
    """100 for percentages; for a rate, the highest value rounded up to a round number."""
    if not rate:
        return 100
    highest = max(p["percent"] for p in points if p["percent"] is not None)
    if highest <= 0:
        return 4
    step = 10 ** math.floor(math.log10(highest))
    return max(4, math.ceil(highest / step) * step)


def trend_chart(points: list[dict], rate: bool = False) -> dict | None:
    """points: [{"day", "percent"}...] oldest first; months without cases leave a gap."""
    if not any(p["percent"] is not None for p in points):
        return None
    top = _top(points, rate)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / max(len(points) - 1, 1)

    def y_for(percent):
        return TOP + plot_h * (top - percent) / top

    segments, current, markers = [], [], []
    for index, point in enumerate(points):
        if point["percent"] is None:
            if current:
                segments.append(current)
            current = []
            continue
        x, y = LEFT + index * step, y_for(point["percent"])
        current.append((x, y))
        markers.append({"x": round(x, 1), "y": round(y, 1)})
    if current:
        segments.append(current)
    paths = [
        " ".join(f"{'M' if i == 0 else 'L'}{x:.1f},{y:.1f}" for i, (x, y) in enumerate(seg))
        for seg in segments
    ]
    label_every = max(1, round(len(points) / 6))
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "paths": paths,
        "markers": markers,
        "y_ticks": [
            {"value": f"{v:g}" if rate else f"{v:g}%", "y": round(y_for(v), 1)}
            for v in (top * i / 4 for i in range(5))
        ],
        "x_ticks": [
            {"label": f"{p['day']:%b %Y}", "x": round(LEFT + i * step, 1)}
            for i, p in enumerate(points)
            if i % label_every == 0 or i == len(points) - 1
        ],
        "plot": {"left": LEFT, "right": WIDTH - RIGHT, "top": TOP, "bottom": HEIGHT - BOTTOM},
    }
