"""Each measure computed in the database, for a queryset of cases the viewer may open.

A day's figures take three queries whatever the number of cases: one over the open cases (every
case measure at once, as `Count(filter=...)` over `Exists` and `Subquery` annotations), one over
the children in them, and one over the statutory deadlines. A trend repeats that for each
month's last day, so it is bounded by the number of months, not by the data; the deadlines and
most impact units (`SERIES`) take one query for all the month-ends.

Groups: "worker" (allocated on the day), "team" (the case's team), "service" (the case's
service) and "agency".
"""

import calendar
import datetime
from dataclasses import dataclass, field

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce

from audits.depth import audit_flags, audit_units
from measures import impact
from measures.catalogue import (
    AUDITS,
    CASES,
    CHILDREN,
    DEADLINES,
    current_map_days,
    informed_network_size,
    measure_get,
    measures,
)
from people.models import Allocation, CaseMember, Person
from practice.models import (
    DangerStatement,
    Map,
    PlainLanguageTerm,
    RaterRole,
    SafetyGoal,
    ScaleJudgement,
)
from safety.models import NetworkMember, SafetyPlan, SafetyPlanReview
from timescales.deadlines import DeadlineKind
from timescales.models import Deadline
from voices.models import VoiceRecord, WPVersion

GROUPINGS = ("worker", "team", "service", "agency")
FAMILY_SCALERS = [RaterRole.PARENT, RaterRole.CHILD]
IMPACT_KINDS = {"I01": DeadlineKind.ASSESSMENT, "I02": DeadlineKind.INITIAL_CONFERENCE}


def month_end(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def month_ends(last: datetime.date, count: int) -> list[datetime.date]:
    """The last day of each of `count` months ending with `last`'s month, oldest first (the
    current month's figure is as of `last` itself)."""
    days, year, month = [], last.year, last.month
    for _ in range(count):
        days.append(min(month_end(year, month), last))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return days[::-1]


def open_on(cases, day: datetime.date, prefix: str = ""):
    """Cases open at the end of `day`: opened by then and not closed by then (or, with a
    prefix, records of such cases)."""
    return cases.filter(**{f"{prefix}opened_on__lte": day}).filter(
        Q(**{f"{prefix}closed_on__isnull": True}) | Q(**{f"{prefix}closed_on__gt": day})
    )


def worker_on(day: datetime.date, case_ref: str = "pk") -> Subquery:
    """The worker allocated to the case at the end of `day`."""
    return Subquery(
        Allocation.objects.filter(case_id=OuterRef(case_ref), started_on__lte=day)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=day))
        .order_by("-started_on", "-id")
        .values("worker_id")[:1]
    )


def _group_expression(by: str, prefix: str = ""):
    if by == "worker":
        return worker_on
    return {
        "team": F(f"{prefix}team_id"),
        "service": F(f"{prefix}service"),
        "agency": F(f"{prefix}agency_id"),
    }[by]


def _count_subquery(queryset, key: str) -> Coalesce:
    return Coalesce(
        Subquery(
            queryset.order_by().values(key).annotate(n=Count("pk")).values("n")[:1],
            output_field=IntegerField(),
        ),
        Value(0),
    )


def case_flags(day: datetime.date) -> tuple[dict, dict]:
    """Annotations for a Case queryset, and each case measure's (numerator, denominator) Q."""
    latest = OuterRef("m_latest_map")
    statements = DangerStatement.objects.filter(map_id=latest)
    goals = SafetyGoal.objects.filter(danger_statement__map_id=latest)
    judgements = ScaleJudgement.objects.filter(map_id=latest)
    since = day - datetime.timedelta(days=current_map_days() - 1)
    review_due = Coalesce(
        Subquery(
            SafetyPlanReview.objects.filter(plan_id=OuterRef("pk"), reviewed_on__lte=day)
            .order_by("-reviewed_on", "-id")
            .values("next_review_on")[:1]
        ),
        F("next_review_on"),
    )
    plans_in_force = (
        SafetyPlan.objects.filter(case_id=OuterRef("pk"), agreed_on__lte=day)
        .filter(Q(superseded_on__isnull=True) | Q(superseded_on__gt=day))
        .annotate(review_due=review_due)
        .filter(Q(review_due__isnull=True) | Q(review_due__gte=day))
    )
    informed = NetworkMember.objects.filter(
        case_id=OuterRef("pk"), informed=True, informed_on__lte=day
    ).exclude(status=NetworkMember.Status.NO_LONGER_INVOLVED, status_since__lte=day)
    # A danger statement or goal containing an active word from the agency's list.
    jargon_terms = PlainLanguageTerm.objects.filter(agency_id=OuterRef("agency_id"), active=True)
    word = OuterRef("term")
    statement_jargon = DangerStatement.objects.filter(map_id=OuterRef(latest)).filter(
        Q(who_is_worried__icontains=word)
        | Q(worried_about__icontains=word)
        | Q(impact_on_child__icontains=word)
    )
    goal_jargon = SafetyGoal.objects.filter(danger_statement__map_id=OuterRef(latest)).filter(
        Q(what_will_be_seen__icontains=word) | Q(seen_by__icontains=word)
    )
    annotations = {
        "m_latest_map": Subquery(
            Map.objects.filter(
                case_id=OuterRef("pk"), status=Map.Status.FINALISED, held_on__lte=day
            )
            .order_by("-number")
            .values("pk")[:1]
        ),
        "m_current_map": Exists(
            Map.objects.filter(
                case_id=OuterRef("pk"),
                status=Map.Status.FINALISED,
                held_on__gte=since,
                held_on__lte=day,
            )
        ),
        "m_statements": Exists(statements),
        "m_unpaired": Exists(statements.filter(safety_goal__isnull=True)),
        "m_incomplete": Exists(
            statements.filter(Q(who_is_worried="") | Q(worried_about="") | Q(impact_on_child=""))
        ),
        "m_goals": Exists(goals),
        "m_goal_unsustained": Exists(goals.filter(Q(seen_by="") | Q(sustain_for__lt=1))),
        "m_rater_roles": Coalesce(
            Subquery(
                judgements.order_by()
                .values("map_id")
                .annotate(n=Count("rater_role", distinct=True))
                .values("n")[:1],
                output_field=IntegerField(),
            ),
            Value(0),
        ),
        "m_family_scaled": Exists(judgements.filter(rater_role__in=FAMILY_SCALERS)),
        "m_informed": _count_subquery(informed, "case_id"),
        "m_plan_on_time": Exists(plans_in_force),
        "m_jargon": Exists(
            jargon_terms.filter(Q(Exists(statement_jargon)) | Q(Exists(goal_jargon)))
        ),
    }
    has_map = Q(m_latest_map__isnull=False)
    everyone = Q(pk__isnull=False)
    rules = {
        "B01": (Q(m_current_map=True), everyone),
        "B02": (Q(m_statements=True, m_unpaired=False), has_map),
        "B03": (Q(m_rater_roles__gte=2, m_family_scaled=True), has_map),
        "B06": (Q(m_informed__gte=informed_network_size()), everyone),
        "B07": (Q(m_plan_on_time=True), everyone),
        "D01": (Q(m_statements=True, m_incomplete=False), has_map),
        "D02": (Q(m_goals=True, m_goal_unsustained=False), has_map),
        "D03": (Q(m_family_scaled=True), has_map),
        "D04": (Q(m_jargon=False), has_map & Q(m_statements=True)),
    }
    return annotations, rules


def child_flags(day: datetime.date) -> tuple[dict, dict]:
    """Annotations for a CaseMember queryset of children, and each child measure's Qs."""
    annotations = {
        "m_voice": Exists(
            VoiceRecord.objects.filter(
                case_id=OuterRef("case_id"), child_id=OuterRef("person_id"), done_on__lte=day
            )
        ),
        "m_words_and_pictures": Exists(
            WPVersion.objects.filter(
                words_and_pictures__case_id=OuterRef("case_id"),
                words_and_pictures__child_id=OuterRef("person_id"),
                created_at__date__lte=day,
            )
        ),
    }
    everyone = Q(pk__isnull=False)
    rules = {"B04": (Q(m_voice=True), everyone), "B05": (Q(m_words_and_pictures=True), everyone)}
    return annotations, rules


def _month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def deadline_flags(day: datetime.date) -> tuple[dict, dict]:
    met = Q(met_on__isnull=False, met_on__lte=F("due_on"))
    rules = {code: (met & Q(kind=kind), Q(kind=kind)) for code, kind in IMPACT_KINDS.items()}
    return {}, rules


@dataclass
class Cell:
    """One figure: numerator over denominator, with its percentage."""

    numerator: int = 0
    denominator: int = 0
    # A rate per 10,000 children has scale 10000 and the agency's child population as a
    # denominator shared by every group (so a total does not add it up).
    scale: int = 100
    shared: bool = False

    @property
    def percent(self) -> float | None:
        """The percentage, or for a rate the number per 10,000."""
        if not self.denominator:
            return None
        return round(self.scale * self.numerator / self.denominator, 1)


@dataclass
class Figures:
    """Every measure on one day: {code: {group key: Cell}} and the total per code."""

    day: datetime.date
    by: str
    cells: dict = field(default_factory=dict)

    def total(self, code: str) -> Cell:
        cell = Cell()
        for part in self.cells.get(code, {}).values():
            cell.numerator += part.numerator
            cell.denominator += part.denominator
            if part.shared:
                cell.scale, cell.shared = part.scale, True
                cell.denominator = part.denominator
        return cell

    def groups(self) -> list:
        keys = set()
        for per_group in self.cells.values():
            keys.update(per_group)
        return sorted(keys, key=lambda k: (k is None, str(k)))


def _scoped_units(unit: str, cases, day, by: str, worker_id=None):
    """The units a measure counts on the day, with their group key in `m_group`."""
    if unit in impact.UNITS:
        return impact.scoped_units(unit, cases, day, by, worker_id)
    if unit == CASES:
        units = open_on(cases, day)
        prefix, case_ref = "", "pk"
    elif unit == CHILDREN:
        # Joined to the case rather than matched against a list of open cases, so the planner
        # sees how few they are and starts from them (a county's children number 200,000).
        units = open_on(
            CaseMember.objects.filter(case__in=cases.values("pk"), person__kind=Person.Kind.CHILD),
            day,
            prefix="case__",
        )
        prefix, case_ref = "case__", "case_id"
    elif unit == AUDITS:
        units = audit_units(cases, _month_start(day), day)
        prefix, case_ref = "case__", "case_id"
    else:
        units = _deadlines(cases, _month_start(day), day)
        prefix, case_ref = "case__", "case_id"
    group = _group_expression(by, prefix)
    units = units.annotate(m_group=group(day, case_ref) if callable(group) else group)
    if worker_id is not None:
        units = units.annotate(m_worker=worker_on(day, case_ref)).filter(m_worker=worker_id)
    return units


def _deadlines(cases, start: datetime.date, end: datetime.date):
    """The impact measures' deadlines due from `start` to `end`, not withdrawn."""
    return Deadline.objects.filter(
        case__in=cases.values("pk"),
        kind__in=list(IMPACT_KINDS.values()),
        due_on__gte=start,
        due_on__lte=end,
    ).exclude(status=Deadline.Status.WITHDRAWN)


FLAGS = {CASES: case_flags, CHILDREN: child_flags, DEADLINES: deadline_flags}
FLAGS.update(impact.FLAGS)
FLAGS[AUDITS] = audit_flags


def _in_the_month(records, when: str) -> impact.MonthSeries:
    """A unit of the records (`records(cases, start, end)`) whose date `when` is in the month up
    to the day, grouped with the worker allocated on the day as the other measures of the month
    are. Their flags do not depend on the day: a deadline met by its due date, an audit's
    grade."""
    return impact.MonthSeries(
        records=lambda cases, first, last: records(cases, _month_start(first), last).annotate(
            m_month=impact.month_number_of(when)
        ),
        keys=("m_month",),
        counts_at=lambda row, end: row["m_month"] == end,
        rolling_year=False,
        when=None,
    )


# Units a trend counts in one query for all its month-ends (`_month_series`).
SERIES = {
    **impact.SERIES,
    DEADLINES: _in_the_month(_deadlines, "due_on"),
    AUDITS: _in_the_month(audit_units, "completed_on"),
}


def _rules(unit: str, day) -> tuple[dict, dict, dict]:
    """A unit's annotations on the day, its rules {code: (numerator, denominator)} compiled
    (`_compiled`), and a boolean column for each condition the rules use."""
    annotations, rules = FLAGS[unit](day)
    leaves = {}
    compiled = {
        code: (_compiled(numerator, leaves), _compiled(denominator, leaves))
        for code, (numerator, denominator) in rules.items()
    }
    columns = {alias: ExpressionWrapper(q, BooleanField()) for q, alias in leaves.items()}
    return annotations, compiled, columns


def _compiled(q: Q, leaves: dict):
    """A rule as (is a conjunction, negated, parts), each part a leaf's column alias or a compiled
    sub-rule; `leaves` gathers each condition once: {Q of the one condition: its alias}."""
    parts = []
    for child in q.children:
        if isinstance(child, Q):
            parts.append(_compiled(child, leaves))
        else:
            parts.append(leaves.setdefault(Q(child), f"m_leaf{len(leaves)}"))
    return q.connector == Q.AND, q.negated, parts


def _holds(rule, row: dict) -> bool:
    """Whether a compiled rule holds for a row of leaf values. A condition the database found
    unknown (NULL) counts as false, as Django's filters count it, under a negation too."""
    conjunction, negated, parts = rule
    results = (bool(row[part]) if isinstance(part, str) else _holds(part, row) for part in parts)
    held = all(results) if conjunction else any(results)
    return held != negated


def figures_on(
    cases, *, day: datetime.date, by: str = "agency", worker_id=None, units=None
) -> Figures:
    """Every measure on `day` for the cases, grouped `by`: one query per unit (or only the
    `units` asked for).

    The query works out each condition of the unit's rules once per record, as a column, and
    counts the records of each group that share the same answers; the rules are then combined
    here from those few rows. Counting each rule in the database instead repeats every
    condition (with its subqueries) in each rule that uses it, which at county size cost more
    than the rest of the dashboard."""
    result = Figures(day=day, by=by)
    scales = {m.code: m.per for m in measures()}
    for unit in FLAGS:
        if units is not None and unit not in units:
            continue
        annotations, compiled, columns = _rules(unit, day)
        counts = {"m_count": Count("pk")}
        if any(scales.get(code, 100) != 100 for code in compiled):
            counts["m_population"] = Max("m_population")
        rows = (
            _scoped_units(unit, cases, day, by, worker_id)
            .annotate(**annotations)
            .annotate(**columns)
            .order_by()
            .values("m_group", *columns)
            .annotate(**counts)
        )
        for code in compiled:
            result.cells.setdefault(code, {})
        for row in rows:
            for code, (numerator, denominator) in compiled.items():
                scale = scales.get(code, 100)
                cell = result.cells[code].setdefault(
                    row["m_group"], Cell(scale=scale, shared=scale != 100)
                )
                if not _holds(denominator, row):
                    continue
                if _holds(numerator, row):
                    cell.numerator += row["m_count"]
                if cell.shared:  # a rate: over the agency's child population
                    cell.denominator = max(cell.denominator, row["m_population"] or 0)
                else:
                    cell.denominator += row["m_count"]
    return result


def trend(
    cases, *, last: datetime.date, months: int, worker_id=None, units=None, kept=None
) -> list[Figures]:
    """The agency-level (or worker's) figures at each month's end: a query per unit a month
    (one a unit for all the month-ends of the units in `SERIES`, `_month_series`), less those
    found in `kept`, a mapping {(day, unit): {code: total Cell}} (a dict, or
    `measures.kept.KeptMonths`), where it puts each it counts."""
    kept = {} if kept is None else kept
    days = month_ends(last, months)
    units = list(FLAGS if units is None else units)
    for unit, by_month in SERIES.items():
        if unit not in units or (worker_id is not None and by_month.when is None):
            continue
        missing = [d for d in days if (d, unit) not in kept and by_month.serves(d)]
        if len(missing) > 1:
            for day, totals in _month_series(unit, by_month, cases, missing, worker_id).items():
                kept[day, unit] = totals
    series = []
    for day in days:
        figures = Figures(day=day, by="agency")
        for unit in units:
            if (day, unit) not in kept:
                one = figures_on(cases, day=day, worker_id=worker_id, units={unit})
                kept[day, unit] = {code: one.total(code) for code in one.cells}
            figures.cells.update({code: {"all": c} for code, c in kept[day, unit].items()})
        series.append(figures)
    return series


def _month_series(
    unit: str, series: impact.MonthSeries, cases, days: list[datetime.date], worker_id=None
) -> dict:
    """A unit's totals {code: Cell} at each of `days`, month-ends oldest first, in one
    query: the unit's records over the whole span, counted by the months that place them
    (`impact.MonthSeries`), then each month-end adds up the rows that count at it. One query
    a month-end would read each record again for every month. A rate's denominator is the
    child population of the day's reporting year (`impact.population_year`), read with the
    records as `figures_on` reads it: none when the day has no record."""
    annotations, compiled, columns = _rules(unit, None)
    # Rates, as `figures_on` counts them: a share of the population rather than of the records.
    rates = {m.code: m.per for m in measures() if m.code in compiled and m.is_rate}
    records = series.records(cases, days[0], days[-1])
    if worker_id is not None:
        records = records.annotate(m_worker=impact.worker_at(series.when)).filter(
            m_worker=worker_id
        )
    # One column for each reporting year's population, named for the year.
    populations = {impact.population_year(day): day for day in days} if rates else {}
    rows = list(
        records.annotate(**annotations)
        .annotate(**columns)
        .annotate(
            **{f"m_population_{y}": impact.child_population(d) for y, d in populations.items()}
        )
        .order_by()
        .values(*series.keys, *columns)
        .annotate(
            m_count=Count("pk"),
            **{f"m_children_{y}": Max(f"m_population_{y}") for y in populations},
        )
    )
    totals = {}
    for day in days:
        end = impact.month_number(day)
        cells = {code: Cell() for code in compiled}
        children = {}
        for row in rows:
            if not series.counts_at(row, end):
                continue
            for code, (numerator, denominator) in compiled.items():
                if not _holds(denominator, row):
                    continue
                cells[code].denominator += row["m_count"]
                if _holds(numerator, row):
                    cells[code].numerator += row["m_count"]
                if code in rates:
                    population = row[f"m_children_{impact.population_year(day)}"] or 0
                    children[code] = max(children.get(code, 0), population)
        for code, population in children.items():
            cells[code] = Cell(cells[code].numerator, population, scale=rates[code], shared=True)
        totals[day] = cells
    return totals


def units_behind(code: str, cases, *, day, by: str, group, part: str, worker_id=None):
    """The cases (or children, or deadlines) behind one figure: the numerator, the
    denominator, or those in the denominator but not the numerator ("not_met")."""
    measure = measure_get(code)
    annotations, rules = FLAGS[measure.unit](day)
    numerator, denominator = rules[measure.code]
    units = _scoped_units(measure.unit, cases, day, by, worker_id).annotate(**annotations)
    if group is None:
        units = units.filter(m_group__isnull=True)
    elif group != "all":
        units = units.filter(m_group=group)
    units = units.filter(denominator)
    if part == "numerator":
        units = units.filter(numerator)
    elif part == "not_met":
        units = units.exclude(numerator)
    return units


def all_codes() -> list[str]:
    return [m.code for m in measures()]
