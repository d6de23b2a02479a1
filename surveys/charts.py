"""Server-drawn SVG charts for survey results: no script, no CDN. Each page shows the same
figures in a table beside the chart (the accessible alternative), as core/charts.py does."""

WIDTH = 560
BAR_H, GAP, LABEL_W, RIGHT = 22, 6, 190, 48
LINE_W, LINE_H = 560, 200
LEFT, TOP, BOTTOM = 40, 12, 40


def distribution_chart(distribution: list[dict]) -> dict | None:
    """Horizontal bars, one per answer: [{"label", "count"}...]."""
    most = max((d["count"] for d in distribution), default=0)
    if not most:
        return None
    plot_w = WIDTH - LABEL_W - RIGHT
    bars = []
    for index, item in enumerate(distribution):
        y = TOP + index * (BAR_H + GAP)
        width = round(plot_w * item["count"] / most, 1)
        bars.append(
            {
                "label": item["label"],
                "count": item["count"],
                "y": y,
                "text_y": y + BAR_H * 0.7,
                "width": width,
                "count_x": LABEL_W + width + 6,
            }
        )
    return {
        "width": WIDTH,
        "height": TOP * 2 + len(distribution) * (BAR_H + GAP),
        "bar_height": BAR_H,
        "label_x": LABEL_W - 8,
        "left": LABEL_W,
        "bars": bars,
    }


def rounds_chart(points: list[dict], *, low: int, high: int) -> dict | None:
    """The mean at each round, oldest first: [{"label", "mean"}...]; a round without a figure
    (not asked, or too few answers) leaves a gap."""
    if not any(p["mean"] is not None for p in points):
        return None
    plot_w, plot_h = LINE_W - LEFT - 16, LINE_H - TOP - BOTTOM
    step = plot_w / max(len(points) - 1, 1)

    def y_for(value):
        return TOP + plot_h * (high - value) / (high - low)

    segments, current, markers = [], [], []
    for index, point in enumerate(points):
        if point["mean"] is None:
            if current:
                segments.append(current)
            current = []
            continue
        x, y = LEFT + index * step, y_for(point["mean"])
        current.append((x, y))
        markers.append({"x": round(x, 1), "y": round(y, 1)})
    if current:
        segments.append(current)
    ticks = range(low, high + 1, 2 if high - low > 5 else 1)
    return {
        "width": LINE_W,
        "height": LINE_H,
        "paths": [
            " ".join(f"{'M' if i == 0 else 'L'}{x:.1f},{y:.1f}" for i, (x, y) in enumerate(seg))
            for seg in segments
        ],
        "markers": markers,
        "y_ticks": [{"value": v, "y": round(y_for(v), 1)} for v in ticks],
        "x_ticks": [
            {"label": p["label"], "x": round(LEFT + i * step, 1)} for i, p in enumerate(points)
        ],
        "plot": {"left": LEFT, "right": LINE_W - 16, "top": TOP, "bottom": LINE_H - BOTTOM},
    }
