from django import template

register = template.Library()


@register.filter
def add_float(value, amount):
    try:
        return round(float(value) + float(amount), 1)
    except (TypeError, ValueError):
        return value


@register.filter
def num(value, places=1):
    """A number for a table: one decimal place (or as asked), thousands separated; – if none."""
    if value is None or value == "":
        return "–"
    try:
        number = float(value)
    except (TypeError, ValueError):
        return value
    if number != number:  # NaN
        return "–"
    return f"{number:,.{int(places)}f}"


@register.filter
def pvalue(value):
    if value is None:
        return "–"
    return "< 0.001" if value < 0.001 else f"{value:.3f}"


@register.filter
def signed(value, places=1):
    if value is None:
        return "–"
    return f"{float(value):+,.{int(places)}f}"


@register.filter
def relative_year(value):
    value = int(value)
    return "0 (first year)" if value == 0 else f"{value:+d}"


@register.filter
def get_item(mapping, key):
    return mapping.get(key, key)
