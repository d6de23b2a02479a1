"""What is due, worked out from a case's process events: one pure function, no database.

`deadlines_from_events(events, rules, calendar, today)` reads the events of one case and returns
every statutory deadline they start, each with its due date and, once done, the date and the
event that met it. The rules (England's by default) say how long each step may take:

- **Referral decision**: within 1 working day of the referral being received. Met by the first
  decision on or after that day (the decision of the same referral record, when there is one).
- **Assessment**: completed within 45 working days of the referral. The deadline starts when an
  assessment starts, and the clock runs from the latest referral received on or before that day
  (from the assessment's own start when there is no referral). Met by its completion.
- **Initial child protection conference**: within 15 working days of the strategy discussion
  that started the section 47 enquiry (from the section 47's own start when no strategy
  discussion started it). Met by the first initial conference on or after it. No conference is
  due when the section 47 ends with detail `{"conference_needed": False}`.
- **First core group**: within 10 working days of an initial conference that decided on a
  child protection plan. Met by the first core group on or after the conference.
- **Review conferences**: the first within 3 months of the initial conference, then each within
  6 months of the last review, for as long as the plan lasts. A review that ends the plan
  (`plan_decided` False) is the last.
- **Visits to a child on a child protection plan**: every 10 working days from the plan's
  start. There is one open visit deadline at a time; each visit meets it and starts the next.
- **Child in need reviews**: every 3 months (or the agency's number of weeks or months) from the
  CIN plan's start, each review starting the next, while the plan lasts.

A deadline is met by the first matching event on or after its start (strictly after, for the
next one in a series, so one visit never counts twice); an event for another child never meets
a child's deadline, while an event for no child in particular (the whole family) meets anyone's.
Nothing is due after the plan it belongs to ends or after the case closes: a deadline not met
by then is dropped, not kept as open. Events dated after `today` are not yet facts and are
ignored. Working days and months are counted as `timescales.calendar` describes.
"""

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import models

from timescales.calendar import WorkingCalendar, add_months, add_working_days


class DeadlineKind(models.TextChoices):
    REFERRAL_DECISION = "referral_decision", "Decide what happens with the referral"
    ASSESSMENT = "assessment", "Complete the assessment"
    INITIAL_CONFERENCE = "initial_conference", "Hold the initial child protection conference"
    FIRST_CORE_GROUP = "first_core_group", "Hold the first core group"
    REVIEW_CONFERENCE = "review_conference", "Hold the review child protection conference"
    CP_VISIT = "cp_visit", "Visit the child (child protection plan)"
    CIN_REVIEW = "cin_review", "Review the child in need plan"


class PeriodUnit(models.TextChoices):
    WEEKS = "weeks", "Weeks"
    MONTHS = "months", "Months"


@dataclass(frozen=True)
class Timescales:
    """How long each step may take. The defaults are England's (Working Together 2023)."""

    referral_decision_days: int = 1
    assessment_days: int = 45
    initial_conference_days: int = 15
    first_core_group_days: int = 10
    first_review_months: int = 3
    later_review_months: int = 6
    cp_visit_days: int = 10
    cin_review_every: int = 3
    cin_review_unit: str = PeriodUnit.MONTHS


ENGLAND = Timescales()


@dataclass(frozen=True)
class DeadlineSpec:
    kind: str
    case_id: int
    child_id: int | None
    started_by_source: str
    started_on: datetime.date  # the day of the event that started it
    counted_from: datetime.date  # the day the clock runs from (the referral, for assessments)
    first: bool  # the first of its series (review conferences: 3 months, not 6)
    due_on: datetime.date
    met_on: datetime.date | None = None
    met_by_source: str = ""

    @property
    def key(self) -> tuple:
        return (self.kind, self.started_by_source, self.child_id)


def due_date(
    kind: str,
    counted_from: datetime.date,
    *,
    first: bool,
    rules: Timescales,
    calendar: WorkingCalendar,
) -> datetime.date:
    """The due date of one deadline whose clock starts on `counted_from`."""
    working_days = {
        DeadlineKind.REFERRAL_DECISION: rules.referral_decision_days,
        DeadlineKind.ASSESSMENT: rules.assessment_days,
        DeadlineKind.INITIAL_CONFERENCE: rules.initial_conference_days,
        DeadlineKind.FIRST_CORE_GROUP: rules.first_core_group_days,
        DeadlineKind.CP_VISIT: rules.cp_visit_days,
    }
    if kind in working_days:
        return add_working_days(counted_from, working_days[kind], calendar=calendar)
    if kind == DeadlineKind.REVIEW_CONFERENCE:
        months = rules.first_review_months if first else rules.later_review_months
        return add_months(counted_from, months)
    if kind == DeadlineKind.CIN_REVIEW:
        if rules.cin_review_unit == PeriodUnit.WEEKS:
            return counted_from + datetime.timedelta(weeks=rules.cin_review_every)
        return add_months(counted_from, rules.cin_review_every)
    raise ValueError(f"Unknown deadline kind {kind!r}.")


def _same_child(a: int | None, b: int | None) -> bool:
    return a is None or b is None or a == b


def _earliest(*days: datetime.date | None) -> datetime.date | None:
    known = [day for day in days if day is not None]
    return min(known) if known else None


class _Case:
    """One case's events, sorted and grouped by kind, with the questions the rules ask."""

    def __init__(self, events: Iterable, today: datetime.date):
        self.events = sorted((e for e in events if e.on <= today), key=lambda e: e.on)
        self.by_kind = defaultdict(list)
        for event in self.events:
            self.by_kind[event.kind].append(event)

    def of(self, kind: str, when: Callable | None = None) -> list:
        return [e for e in self.by_kind[kind] if when is None or when(e)]

    def first_on_or_after(
        self, kind, day, child_id, *, strictly=False, source="", reserved=(), when=None
    ):
        """The first event of a kind on or after a day, for the child (or the whole family).
        An event from the same record as `source` comes first; an event from the record of
        another deadline's trigger (`reserved`) is that deadline's, not this one's."""
        candidates = [
            e
            for e in self.of(kind, when)
            if (e.on > day if strictly else e.on >= day)
            and _same_child(e.child_id, child_id)
            and (e.source == source or e.source not in reserved)
        ]
        same_record = [e for e in candidates if source and e.source == source]
        return (same_record or candidates or [None])[0]

    def closed_on(self, day: datetime.date) -> datetime.date | None:
        event = self.first_on_or_after("case_closed", day, None)
        return event.on if event else None

    def plan_ends_on(self, start_kind: str, end_kind: str, trigger) -> datetime.date | None:
        """When the plan open at the trigger ends: a child's own plan, or, for an event about
        the whole family, the last of the plans open that day (None while any is open)."""
        if trigger.child_id is not None:
            end = self.first_on_or_after(end_kind, trigger.on, trigger.child_id)
            return end.on if end else None
        starts = [e for e in self.of(start_kind) if e.on <= trigger.on]
        children = {e.child_id for e in starts if e.child_id is not None}
        if not children:
            end = self.first_on_or_after(end_kind, trigger.on, None)
            return end.on if end else None
        ends = []
        for child_id in children:
            latest = [e for e in starts if e.child_id == child_id][-1]
            end = self.first_on_or_after(end_kind, latest.on, child_id)
            if end is None:
                return None
            if end.on >= trigger.on:
                ends.append(end.on)
        return max(ends) if ends else trigger.on


def deadlines_from_events(
    events: Iterable, rules: Timescales, calendar: WorkingCalendar, today: datetime.date
) -> list[DeadlineSpec]:
    """Every deadline the events start, met or still open, soonest due first."""
    case = _Case(events, today)
    specs: list[DeadlineSpec] = []

    def single(kind, trigger, meeting_kind, *, counted_from=None, stop_on=None, when=None):
        counted_from = counted_from or trigger.on
        reserved = {e.source for e in case.of(trigger.kind)}
        met = case.first_on_or_after(
            meeting_kind,
            trigger.on,
            trigger.child_id,
            source=trigger.source,
            reserved=reserved,
            when=when,
        )
        stop_on = _earliest(stop_on, case.closed_on(trigger.on))
        if stop_on is not None and (met is None or met.on > stop_on):
            return
        specs.append(_spec(kind, trigger, counted_from, True, met, rules, calendar))

    def series(kind, trigger, meeting_kind, *, stop_on, when=None, last=None):
        stop_on = _earliest(stop_on, case.closed_on(trigger.on))
        start, first = trigger, True
        while True:
            met = case.first_on_or_after(
                meeting_kind, start.on, trigger.child_id, strictly=not first, when=when
            )
            if stop_on is not None and (met is None or met.on > stop_on):
                return
            specs.append(_spec(kind, start, start.on, first, met, rules, calendar, trigger))
            if met is None or (last is not None and last(met)):
                return
            start, first = met, False

    for referral in case.of("referral_received"):
        single(DeadlineKind.REFERRAL_DECISION, referral, "referral_decided")

    for assessment in case.of("assessment_started"):
        referrals = [
            e
            for e in case.of("referral_received")
            if e.on <= assessment.on and _same_child(e.child_id, assessment.child_id)
        ]
        counted_from = referrals[-1].on if referrals else assessment.on
        single(
            DeadlineKind.ASSESSMENT,
            assessment,
            "assessment_completed",
            counted_from=counted_from,
        )

    def is_initial(e):
        return e.detail.get("conference") == "initial"

    def no_conference_needed(e):
        return e.detail.get("conference_needed") is False

    for trigger in _section_47_starts(case):
        stopped = case.first_on_or_after(
            "s47_completed", trigger.on, trigger.child_id, when=no_conference_needed
        )
        single(
            DeadlineKind.INITIAL_CONFERENCE,
            trigger,
            "conference_held",
            stop_on=stopped.on if stopped else None,
            when=is_initial,
        )

    def plan_decided(e):
        return bool(e.detail.get("plan_decided"))

    for conference in case.of("conference_held", lambda e: is_initial(e) and plan_decided(e)):
        plan_ends_on = case.plan_ends_on("cp_plan_started", "cp_plan_ended", conference)
        single(DeadlineKind.FIRST_CORE_GROUP, conference, "core_group_held", stop_on=plan_ends_on)
        series(
            DeadlineKind.REVIEW_CONFERENCE,
            conference,
            "conference_held",
            stop_on=plan_ends_on,
            when=lambda e: e.detail.get("conference") == "review",
            last=lambda e: e.detail.get("plan_decided") is False,
        )

    for plan in case.of("cp_plan_started"):
        plan_ends_on = case.plan_ends_on("cp_plan_started", "cp_plan_ended", plan)
        series(DeadlineKind.CP_VISIT, plan, "visit", stop_on=plan_ends_on)

    for plan in case.of("cin_plan_started"):
        plan_ends_on = case.plan_ends_on("cin_plan_started", "cin_plan_ended", plan)
        series(DeadlineKind.CIN_REVIEW, plan, "cin_review_held", stop_on=plan_ends_on)

    unique = {}
    for spec in specs:
        unique.setdefault(spec.key, spec)
    return sorted(unique.values(), key=lambda s: (s.due_on, s.kind, s.started_by_source))


def _section_47_starts(case: _Case) -> list:
    """The strategy discussions that started a section 47 enquiry, and any section 47 that no
    such discussion started (its own start then starts the clock)."""
    discussions = case.of("strategy_discussion", lambda e: bool(e.detail.get("starts_s47")))
    triggers = list(discussions)
    enquiries = case.of("s47_started")
    for enquiry in enquiries:
        earlier = [
            d
            for d in discussions
            if d.on <= enquiry.on and _same_child(d.child_id, enquiry.child_id)
        ]
        started_by_discussion = earlier and not any(
            earlier[-1].on <= other.on < enquiry.on
            and other is not enquiry
            and _same_child(other.child_id, enquiry.child_id)
            for other in enquiries
        )
        if not started_by_discussion:
            triggers.append(enquiry)
    return triggers


def _spec(kind, start, counted_from, first, met, rules, calendar, trigger=None) -> DeadlineSpec:
    child_id = (trigger or start).child_id
    return DeadlineSpec(
        kind=kind,
        case_id=start.case_id,
        child_id=child_id,
        started_by_source=start.source,
        started_on=start.on,
        counted_from=counted_from,
        first=first,
        due_on=due_date(kind, counted_from, first=first, rules=rules, calendar=calendar),
        met_on=met.on if met else None,
        met_by_source=met.source if met else "",
    )
