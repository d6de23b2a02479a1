"""The catalogue of measures: each one defined once, as data, and shown beside every figure.

A measure counts units (open cases, or children in open cases) on a day: the denominator is the
units it applies to, the numerator those where the practice is there. Its configuration (how
recent a map must be to count as current, how many network members must be told, the smallest
number shown in comparisons) comes from settings, read with getattr so an agency's deployment
can change it:

- THREEFOLD_MEASURES_CURRENT_MAP_DAYS (default 90): a map is current if held in this many days.
- THREEFOLD_MEASURES_INFORMED_NETWORK (default 3): informed members for a safety network.
- THREEFOLD_MEASURES_SUPPRESS_BELOW (default 5): in comparisons across teams and services, a
  denominator from 1 to one less than this is shown as "fewer than N" (0 turns it off).
- THREEFOLD_MEASURES_TREND_MONTHS (default 24, between 12 and 36): months in the trends.
- THREEFOLD_MEASURES_THRESHOLDS: {code: (amber, green)} percentages overriding the defaults.
"""

from dataclasses import dataclass

from django.conf import settings


def current_map_days() -> int:
    return int(getattr(settings, "THREEFOLD_MEASURES_CURRENT_MAP_DAYS", 90))


def informed_network_size() -> int:
    return int(getattr(settings, "THREEFOLD_MEASURES_INFORMED_NETWORK", 3))


def suppress_below() -> int:
    return int(getattr(settings, "THREEFOLD_MEASURES_SUPPRESS_BELOW", 5))


def trend_months() -> int:
    return min(max(int(getattr(settings, "THREEFOLD_MEASURES_TREND_MONTHS", 24)), 12), 36)


BREADTH, DEPTH, IMPACT = "breadth", "depth", "impact"
KIND_LABELS = {
    BREADTH: "Breadth: how widely the practice is used",
    DEPTH: "Depth: how well it is done (automatic signals)",
    IMPACT: "Impact: what changes for children",
}
CASES, CHILDREN, DEADLINES = "cases", "children", "deadlines"


@dataclass(frozen=True)
class Measure:
    code: str
    kind: str
    unit: str  # what is counted: cases, children or deadlines
    name: str
    definition: str
    numerator: str
    denominator: str
    period: str
    exclusions: str
    higher_is_better: bool
    default_thresholds: tuple[int, int]  # (amber from, green from), as percentages

    @property
    def good_direction(self) -> str:
        return "Higher is better" if self.higher_is_better else "Lower is better"

    @property
    def thresholds(self) -> tuple[int, int]:
        overrides = getattr(settings, "THREEFOLD_MEASURES_THRESHOLDS", {}) or {}
        return tuple(overrides.get(self.code, self.default_thresholds))

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]

    @property
    def unit_label(self) -> str:
        return {CASES: "open cases", CHILDREN: "children in open cases", DEADLINES: "deadlines"}[
            self.unit
        ]

    def rating(self, percent: float | None) -> str:
        """ "good", "fair" or "low" against the thresholds (for a measure where lower is
        better the thresholds are the most that is still good and fair)."""
        if percent is None:
            return ""
        amber, green = self.thresholds
        if self.higher_is_better:
            return "good" if percent >= green else "fair" if percent >= amber else "low"
        return "good" if percent <= green else "fair" if percent <= amber else "low"


OPEN_ON_DAY = (
    "Cases open at the end of the day (opened on or before it and not closed on or before it), "
    "that the viewer may open."
)
CURRENT_MAP = (
    "the case's latest map finalised as of the day (the finalised map with the highest version "
    "number held on or before it)"
)
STANDARD_EXCLUSIONS = (
    "Deleted cases; restricted cases the viewer is not on the access list of; other agencies' "
    "cases. Cases are grouped by their team today and by the worker allocated on the day."
)


def _measures() -> list[Measure]:
    days, network = current_map_days(), informed_network_size()
    return [
        Measure(
            "B01",
            BREADTH,
            CASES,
            "Current map",
            f"Open cases with a map finalised in the last {days} days.",
            f"Open cases with a finalised map held in the {days} days up to and including the day.",
            OPEN_ON_DAY,
            "A day; trends use the last day of each month.",
            STANDARD_EXCLUSIONS + " Draft maps do not count.",
            True,
            (60, 80),
        ),
        Measure(
            "B02",
            BREADTH,
            CASES,
            "Danger statements each paired with a goal",
            "Open cases whose current map has danger statements, each with its safety goal.",
            f"Cases where {CURRENT_MAP} has at least one danger statement and every danger "
            "statement has its safety goal.",
            "Open cases with a finalised map held on or before the day.",
            "A day; trends use the last day of each month.",
            STANDARD_EXCLUSIONS + " Cases with no finalised map yet.",
            True,
            (70, 90),
        ),
        Measure(
            "B03",
            BREADTH,
            CASES,
            "Scaling from several perspectives, including the family's",
            "Open cases whose current map was scaled by at least two kinds of people, one of them "
            "a parent, carer or child.",
            f"Cases where {CURRENT_MAP} has scale judgements from at least two different rater "
            "roles, at least one of them a parent or carer or the child.",
            "Open cases with a finalised map held on or before the day.",
            "A day; trends use the last day of each month.",
            STANDARD_EXCLUSIONS + " Cases with no finalised map yet.",
            True,
            (50, 75),
        ),
        Measure(
            "B04",
            BREADTH,
            CHILDREN,
            "Child's voice heard",
            "Children in open cases with Three Houses, Fairy/Wizard or Safety House work done "
            "with them in this case.",
            "Children with a voice record (any kind) in this case done on or before the day.",
            "Children who are members of an open case on the day (one row per child per case: a "
            "child in two cases counts in each).",
            "A day; trends use the last day of each month.",
            STANDARD_EXCLUSIONS + " Work done in an earlier case (episode) of the same child "
            "does not count for a later one.",
            True,
            (60, 80),
        ),
        Measure(
            "B05",
            BREADTH,
            CHILDREN,
            "Words and Pictures",
            "Children in open cases with a Words and Pictures explanation written in this case.",
            "Children with a Words and Pictures in this case with a version written on or before "
            "the day.",
            "Children who are members of an open case on the day (one row per child per case).",
            "A day; trends use the last day of each month.",
            STANDARD_EXCLUSIONS + " Words and Pictures from an earlier case of the same child.",
            True,
            (50, 75),
        ),
        Measure(
            "B06",
            BREADTH,
            CASES,
            "Safety network told about the worries",
            f"Open cases with at least {network} network members who have been told the worries.",
            f"Cases with at least {network} safety network members recorded as informed on or "
            "before the day.",
            OPEN_ON_DAY,
            "A day; trends use the last day of each month.",
            STANDARD_EXCLUSIONS + " Members no longer involved (by the day they stopped) and "
            "members informed without a date.",
            True,
            (50, 75),
        ),
        Measure(
            "B07",
            BREADTH,
            CASES,
            "Agreed safety plan, reviewed on time",
            "Open cases with an agreed safety plan in force whose review is not overdue.",
            "Cases with a safety plan agreed on or before the day and not replaced by then, whose "
            "next review date (from its latest review on or before the day, else from the plan) "
            "is on or after the day, or not set.",
            OPEN_ON_DAY,
            "A day; trends use the last day of each month.",
            STANDARD_EXCLUSIONS + " Draft plans.",
            True,
            (40, 70),
        ),
        Measure(
            "D01",
            DEPTH,
            CASES,
            "Complete danger statements",
            "Current maps whose danger statements all say who is worried, about what, and what "
            "may happen to the child.",
            f"Cases where every danger statement on {CURRENT_MAP} has who is worried, the "
            "behaviour and the impact on the child filled in, and there is at least one.",
            "Open cases with a finalised map held on or before the day.",
            "A day; trends use the last day of each month.",
            STANDARD_EXCLUSIONS + " Cases with no finalised map yet.",
            True,
            (70, 90),
        ),
        Measure(
            "D02",
            DEPTH,
            CASES,
            "Safety goals with a sustain period",
            "Current maps whose safety goals all say who will see it and for how long it must "
            "last.",
            f"Cases where every safety goal on {CURRENT_MAP} names who will see it and a period "
            "of at least 1 week, and there is at least one goal.",
            "Open cases with a finalised map held on or before the day.",
            "A day; trends use the last day of each month.",
            STANDARD_EXCLUSIONS + " Cases with no finalised map yet.",
            True,
            (70, 90),
        ),
        Measure(
            "D03",
            DEPTH,
            CASES,
            "Family scaling present",
            "Current maps scaled by a parent, carer or the child.",
            f"Cases where {CURRENT_MAP} has a scale judgement by a parent or carer or the child.",
            "Open cases with a finalised map held on or before the day.",
            "A day; trends use the last day of each month.",
            STANDARD_EXCLUSIONS + " Cases with no finalised map yet.",
            True,
            (50, 75),
        ),
        Measure(
            "D04",
            DEPTH,
            CASES,
            "Plain language: no words to avoid",
            "Current maps whose danger statements and goals use none of the agency's words to "
            "avoid.",
            f"Cases where no danger statement or safety goal on {CURRENT_MAP} contains an active "
            "word or phrase from the agency's plain-language list (case-insensitive).",
            "Open cases with a finalised map held on or before the day with at least one danger "
            "statement.",
            "A day; trends use the last day of each month.",
            STANDARD_EXCLUSIONS + " Cases with no finalised map or no danger statement. Reading "
            "grade and sentence length are advice on the map, not counted here.",
            True,
            (70, 90),
        ),
        Measure(
            "I01",
            IMPACT,
            DEADLINES,
            "Assessments completed on time",
            "Assessments due in the period that were completed by their due date.",
            "Assessment deadlines met on or before their due date.",
            "Assessment deadlines due in the month (up to and including the day), not withdrawn.",
            "The calendar month of the day, up to the day.",
            STANDARD_EXCLUSIONS + " Withdrawn deadlines.",
            True,
            (70, 85),
        ),
        Measure(
            "I02",
            IMPACT,
            DEADLINES,
            "Initial conferences held on time",
            "Initial child protection conferences due in the period that were held by their due "
            "date.",
            "Initial conference deadlines met on or before their due date.",
            "Initial conference deadlines due in the month (up to and including the day), not "
            "withdrawn.",
            "The calendar month of the day, up to the day.",
            STANDARD_EXCLUSIONS + " Withdrawn deadlines.",
            True,
            (70, 85),
        ),
    ]


def measures() -> list[Measure]:
    """Every measure, in catalogue order (read fresh, so settings changes show)."""
    return _measures()


def measure_get(code: str) -> Measure | None:
    return next((m for m in _measures() if m.code == code.upper()), None)
