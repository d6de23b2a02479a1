"""Charts over months or rounds, drawn by the evaluation app's SVG line chart (markers differ
in shape as well as colour) with the periods' own names on the x axis."""

from evaluation import charts


def period_chart(labels: list[str], named_values: list[tuple[str, list]], *, y_label: str):
    """One line per series over the periods in `labels`; None when nothing has a value."""
    if not labels or not any(v is not None for _, values in named_values for v in values):
        return None
    # The evaluation chart joins consecutive whole-number x values: number the periods.
    chart = charts.line_chart(list(range(len(labels))), named_values, y_label=y_label)
    for tick in chart.x_ticks:
        tick["label"] = labels[int(tick["label"])]
    return chart
