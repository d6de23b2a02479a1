"""The catalogue of measures: each one defined once, as data, and shown beside every figure.

A measure counts units (open cases, or children in open cases) on a day: the denominator is the
units it applies to, the numerator those where the practice is there. Its configuration (how
recent a map must be to count as current, how many network members must be told, the smallest
number shown in comparisons) comes from settings, read with getattr so an agency's deployment
can change it:

- THREEFOLD_MEASURES_CURRENT_MAP_DAYS (default 90): a map is current if held in this many days.
- THREEFOLD_MEASURES_INFORMED_NETWORK (default 3): informed members for a safety network.
- THREEFOLD_MEASURES_SUPPRESS_BELOW (default 5; `core.disclosure`): in comparisons across teams
  and services, a denominator from 1 to one less than this is shown as "fewer than N" (0 turns
  it off).
- THREEFOLD_MEASURES_TREND_MONTHS (default 24, between 12 and 36): months in the trends.
- THREEFOLD_MEASURES_THRESHOLDS: {code: (amber, green)} percentages overriding the defaults.
- THREEFOLD_MEASURES_IMPACT_TREND_MONTHS (default 36, between 12 and 60): months in the impact
  trends (the record's statutory history runs over years).
- THREEFOLD_MEASURES_CHILD_POPULATION: {agency code: children aged 0 to 17} for the rates per
  10,000 children; without it, the ONS estimate loaded in `evaluation` for the local authority
  whose DfE code is the agency's code; without either, rates are not shown.
- THREEFOLD_MEASURES_STEP_DOWN_DAYS (default 14): a child in need plan starting within this
  many days of a child protection plan ending counts as a step-down.
- THREEFOLD_MEASURES_TREND_KEPT_HOURS (default 12; `measures.kept`): how long the trends' and
  the leaders' view's finished months are kept once counted (0 keeps nothing).
- THREEFOLD_MEASURES_COUNT_IN_BACKGROUND_FROM (default 2,000): from this many open cases in a
  reader's scope, finished months with none kept are counted by the background worker while
  the page says so, rather than in the request (0 counts them all in the request).
"""

from dataclasses import dataclass

from django.conf import settings


def current_map_days() -> int:
    return int(getattr(settings, "THREEFOLD_MEASURES_CURRENT_MAP_DAYS", 90))


def informed_network_size() -> int:
    return int(getattr(settings, "THREEFOLD_MEASURES_INFORMED_NETWORK", 3))


def trend_months() -> int:
    return min(max(int(getattr(settings, "THREEFOLD_MEASURES_TREND_MONTHS", 24)), 12), 36)


def impact_trend_months() -> int:
    months = int(getattr(settings, "THREEFOLD_MEASURES_IMPACT_TREND_MONTHS", 36))
    return min(max(months, 12), 60)


def trend_kept_hours() -> float:
    return max(float(getattr(settings, "THREEFOLD_MEASURES_TREND_KEPT_HOURS", 12)), 0)


def count_in_background_from() -> int:
    return max(int(getattr(settings, "THREEFOLD_MEASURES_COUNT_IN_BACKGROUND_FROM", 2000)), 0)


def child_population_settings() -> dict[str, int]:
    return dict(getattr(settings, "THREEFOLD_MEASURES_CHILD_POPULATION", {}) or {})


def step_down_days() -> int:
    return int(getattr(settings, "THREEFOLD_MEASURES_STEP_DOWN_DAYS", 14))


BREADTH, DEPTH, IMPACT = "breadth", "depth", "impact"
KIND_LABELS = {
    BREADTH: "Breadth: how widely the practice is used",
    DEPTH: "Depth: how well it is done (automatic signals)",
    IMPACT: "Impact: what changes for children",
}
CASES, CHILDREN, DEADLINES = "cases", "children", "deadlines"
AUDITS = "audits"  # completed case audits (audits/depth.py)
# Impact units counted from the statutory process record (measures/impact.py).
REFERRALS, CP_STARTS, CP_ENDS, CP_OPEN = "referrals", "cp_starts", "cp_ends", "cp_open"
CIN_ENDS, CARE_STARTS, IN_CARE = "cin_ends", "care_starts", "in_care"
IMPACT_UNIT_LABELS = {
    REFERRALS: "referrals",
    CP_STARTS: "child protection plans started",
    CP_ENDS: "child protection plans ended",
    CP_OPEN: "children on child protection plans",
    CIN_ENDS: "child in need plans ended",
    CARE_STARTS: "children starting to be looked after",
    IN_CARE: "children looked after",
}
PERCENT, PER_10000 = 100, 10000


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
    higher_is_better: bool | None  # None: shown for context, not rated
    default_thresholds: tuple[int, int]  # (amber from, green from), as percentages
    per: int = PERCENT  # PER_10000: a rate per 10,000 children of the agency's population

    @property
    def is_rate(self) -> bool:
        return self.per == PER_10000

    @property
    def value_is(self) -> str:
        """What a figure's value is, in the downloads and the API."""
        return "per 10,000 children" if self.is_rate else "percent"

    @property
    def good_direction(self) -> str:
        if self.higher_is_better is None:
            return "Neither: shown for context, not rated"
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
        return {
            CASES: "open cases",
            CHILDREN: "children in open cases",
            DEADLINES: "deadlines",
            AUDITS: "completed case audits",
            **IMPACT_UNIT_LABELS,
        }[self.unit]

    def rating(self, percent: float | None) -> str:
        """ "good", "fair" or "low" against the thresholds (for a measure where lower is
        better the thresholds are the most that is still good and fair)."""
        if percent is None or self.higher_is_better is None:
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

ROLLING_YEAR = (
    "The 12 months up to and including the day (a rolling year; the figure at 31 March is the "
    "DfE reporting year)."
)
AT_END_OF_DAY = "The end of the day (DfE counts at 31 March)."
PROCESS_EXCLUSIONS = (
    "Records in deleted cases, in restricted cases the viewer is not on the access list of and "
    "in other agencies' cases. Records are grouped by their case's team today and by the worker "
    "allocated to the case on the day it happened (on the day itself for children on plans or "
    "looked after)."
)
CIN_CENSUS = "DfE Children in Need census guidance and Characteristics of children in need"
CLA_STATISTICS = "DfE SSDA903 guidance and Children looked after in England"
POPULATION = (
    "The agency's children aged 0 to 17 (THREEFOLD_MEASURES_CHILD_POPULATION, else the ONS "
    "mid-year estimate DfE uses for the reporting year: mid-2025 for April 2025 to March 2026). "
    "Not shown when neither is known."
)


def _impact_measures() -> list[Measure]:
    """Impact counted from the statutory process record (measures/impact.py)."""
    days = step_down_days()
    return [
        Measure(
            "I03",
            IMPACT,
            REFERRALS,
            "Referrals per 10,000 children",
            "Referrals to children's social care in the last 12 months, per 10,000 children.",
            "Referrals received in the 12 months (every referral, whatever its decision; a "
            f"child referred twice counts twice), as in the {CIN_CENSUS} (England 2024-25: "
            "about 519 per 10,000).",
            POPULATION,
            ROLLING_YEAR,
            PROCESS_EXCLUSIONS,
            None,
            (0, 0),
            PER_10000,
        ),
        Measure(
            "I04",
            IMPACT,
            REFERRALS,
            "Re-referrals within 12 months",
            "Referrals in the last 12 months that came within 12 months of a previous referral "
            "of the same child.",
            "Referrals whose child had an earlier referral received in the 12 months before it "
            "(on or after the same date a year earlier: exactly 12 months counts, a day more does "
            f"not), in any case in the agency. The {CIN_CENSUS} define re-referrals so "
            "(England 2024-25: 22.6%).",
            "Referrals received in the 12 months.",
            ROLLING_YEAR,
            PROCESS_EXCLUSIONS + " Referrals in deleted cases are not earlier referrals.",
            False,
            (25, 20),
        ),
        Measure(
            "I05",
            IMPACT,
            CP_STARTS,
            "Repeat child protection plans",
            "Child protection plans started in the last 12 months that are the child's second or "
            "subsequent plan.",
            "Plans whose child had an earlier child protection plan (started before it, ever, in "
            f"the agency), as DfE counts second or subsequent plans in the {CIN_CENSUS} (table "
            "D3; England 2024-25: 24.5%).",
            "Child protection plans started in the 12 months.",
            ROLLING_YEAR,
            PROCESS_EXCLUSIONS + " Plans by other local authorities are not in the record.",
            False,
            (25, 20),
        ),
        Measure(
            "I06",
            IMPACT,
            CP_STARTS,
            "Repeat child protection plans within 2 years",
            "Child protection plans started in the last 12 months within 2 years of the child's "
            "previous plan ending.",
            "Plans whose child had an earlier plan that ended on or before this one started and "
            "no more than 2 years (calendar) before it. A local refinement of DfE's second or "
            f"subsequent plans ({CIN_CENSUS}): a quick return is the sharper signal.",
            "Child protection plans started in the 12 months.",
            ROLLING_YEAR,
            PROCESS_EXCLUSIONS,
            False,
            (10, 5),
        ),
        Measure(
            "I07",
            IMPACT,
            CP_ENDS,
            "Child protection plans ended after 2 years or more",
            "Child protection plans ending in the last 12 months that had lasted 2 years or more.",
            "Plans ended in the 12 months whose end date is on or after the date 2 years after "
            f"they started. Plan length bands as in the {CIN_CENSUS} (DfE table D5 counts plans "
            "open at 31 March: England 2025, 2.3% at 2 years or more).",
            "Child protection plans ended in the 12 months.",
            ROLLING_YEAR,
            PROCESS_EXCLUSIONS,
            False,
            (5, 3),
        ),
        Measure(
            "I08",
            IMPACT,
            CP_OPEN,
            "Children on child protection plans per 10,000 children",
            "Children on a child protection plan at the end of the day, per 10,000 children.",
            "Children with a plan started on or before the day and not ended by its end (a child "
            f"has one plan at a time), as the {CIN_CENSUS} count plans at 31 March (England "
            "2025: about 41 per 10,000).",
            POPULATION,
            AT_END_OF_DAY,
            PROCESS_EXCLUSIONS,
            None,
            (0, 0),
            PER_10000,
        ),
        Measure(
            "I09",
            IMPACT,
            CP_ENDS,
            "Child protection plans stepped down to child in need",
            "Child protection plans ending in the last 12 months where the child went on to a "
            "child in need plan.",
            "Plans ended as stepped down to a child in need plan, or followed by a child in need "
            f"plan for the child starting on the day the plan ended or up to {days} days after.",
            "Child protection plans ended in the 12 months, except those ended because the child "
            "became looked after or moved to another local authority.",
            ROLLING_YEAR,
            PROCESS_EXCLUSIONS + " DfE publishes no step-down figure: this is a local measure.",
            None,
            (0, 0),
        ),
        Measure(
            "I10",
            IMPACT,
            CIN_ENDS,
            "Child in need plans stepped down to early help",
            "Child in need plans ending in the last 12 months with the family stepping down to "
            "early help.",
            'Child in need plans ended with the reason "stepped down to early help" (as '
            "recorded when the plan ended).",
            "Child in need plans ended in the 12 months, except those stepped up to a child "
            "protection plan, ended because the child became looked after, or transferred.",
            ROLLING_YEAR,
            PROCESS_EXCLUSIONS + " DfE publishes no step-down figure: this is a local measure.",
            None,
            (0, 0),
        ),
        Measure(
            "I11",
            IMPACT,
            IN_CARE,
            "Children looked after per 10,000 children",
            "Children looked after at the end of the day, per 10,000 children.",
            "Children with a looked-after episode open at the end of the day, except those "
            f"looked after under an agreed series of short breaks (V3, V4), as in the "
            f"{CLA_STATISTICS} (England at 31 March 2025: 67 per 10,000).",
            POPULATION,
            AT_END_OF_DAY,
            PROCESS_EXCLUSIONS,
            None,
            (0, 0),
            PER_10000,
        ),
        Measure(
            "I12",
            IMPACT,
            CARE_STARTS,
            "Children starting to be looked after per 10,000 children",
            "Entries to care: children who started to be looked after in the last 12 months, per "
            "10,000 children.",
            "Children with an episode starting a period of care in the 12 months (not one that "
            "follows an episode ended the same day for a change of legal status or placement, "
            "X1), counted once however often they started, except short breaks (V3, V4), as in "
            f"the {CLA_STATISTICS} (England 2024-25: 26 per 10,000).",
            POPULATION,
            ROLLING_YEAR,
            PROCESS_EXCLUSIONS,
            None,
            (0, 0),
            PER_10000,
        ),
        Measure(
            "I13",
            IMPACT,
            IN_CARE,
            "Looked-after children placed with relatives or friends",
            "Children looked after at the end of the day who live with relatives or friends "
            "approved as their foster carers (kinship foster care).",
            "Children whose open episode's placement is a foster placement with a relative or "
            f"friend (SSDA903 codes U1, U2, U3; {CLA_STATISTICS}). Children placed with their "
            "own parents (P1) are not kinship placements.",
            "Children looked after at the end of the day, except short breaks (V3, V4).",
            AT_END_OF_DAY,
            PROCESS_EXCLUSIONS + " Kinship care outside care (special guardianship, child "
            "arrangements orders) is not in the looked-after record.",
            True,
            (10, 20),
        ),
    ]


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
            "D05",
            DEPTH,
            AUDITS,
            "Audited cases graded good or better",
            "Case audits completed in the month whose grade is good or outstanding.",
            "Completed audits whose grade that counts (the moderated grade if moderated, else "
            "the auditor's) is good or outstanding.",
            "Case audits completed (or completed and moderated) in the month up to and "
            "including the day.",
            "The calendar month of the day, up to the day.",
            STANDARD_EXCLUSIONS + " Audits still in progress. Audits are grouped by their "
            "case's team and by the worker allocated to the case on the day.",
            True,
            (50, 75),
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
    return _measures() + _impact_measures()


def measure_get(code: str) -> Measure | None:
    return next((m for m in measures() if m.code == code.upper()), None)
