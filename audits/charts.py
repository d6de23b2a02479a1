"""A server-drawn SVG bar chart of the mean score in each question area: no script, no CDN. The
page shows the same figures in a table (the accessible alternative)."""

WIDTH, LABEL_W, BAR_H, GAP, RIGHT = 640, 200, 22, 10, 56


def bar_chart(areas: list[dict]) -> dict | None:
    """areas: [{"area", "mean"}...], mean a percentage of the scale."""
    if not areas:
        return None
    plot_w = WIDTH - LABEL_W - RIGHT
    bars = []
    for index, row in enumerate(areas):
        y = GAP + index * (BAR_H + GAP)
        bars.append(
            {
                "label": row["area"],
                "value": row["mean"],
                "y": y,
                "text_y": y + BAR_H * 0.7,
                "width": round(plot_w * row["mean"] / 100, 1),
                "end_x": round(LABEL_W + plot_w * row["mean"] / 100 + 6, 1),
            }
        )
    return {
        "width": WIDTH,
        "height": GAP + len(areas) * (BAR_H + GAP),
        "label_x": LABEL_W - 8,
        "left": LABEL_W,
        "bar_h": BAR_H,
        "bars": bars,
    }
