"""Small numbers are not shown where figures are compared (measures across teams and services,
survey results by team): a count from 1 to one less than the threshold could point to a family
or to the few who answered. One setting serves every such figure, so the measures and the
surveys always agree: THREEFOLD_MEASURES_SUPPRESS_BELOW (default 5; 0 turns it off)."""

from django.conf import settings


def suppress_below() -> int:
    return int(getattr(settings, "THREEFOLD_MEASURES_SUPPRESS_BELOW", 5))
