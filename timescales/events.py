"""The facts of a case's statutory process, as the process app reports them.

Timescales sits below the process app and never imports it. The process app provides a
function `process_events(case) -> list[ProcessEvent]` (every event on the case, sorted by date),
named in the setting THREEFOLD_PROCESS_EVENTS (a dotted path); without the setting a case has
no events and so no deadlines. It may also provide `(cases) -> {case pk: events}`, named in
THREEFOLD_PROCESS_EVENTS_FOR_CASES, to read many cases' events together (an import's). The
events are read by attribute only, so the process app's own dataclass of the same shape works
as well as this one.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.module_loading import import_string

EVENT_KINDS = (
    "referral_received",
    "referral_decided",
    "assessment_started",
    "assessment_completed",
    "strategy_discussion",  # detail: {"starts_s47": bool}
    "s47_started",
    "s47_completed",  # detail: {"conference_needed": False} when no conference will be held
    "conference_held",  # detail: {"conference": "initial" | "review", "plan_decided": bool}
    "core_group_held",
    "cp_plan_started",
    "cp_plan_ended",
    "visit",
    "cin_plan_started",
    "cin_review_held",
    "cin_plan_ended",
    "case_closed",
)


@dataclass(frozen=True)
class ProcessEvent:
    kind: str
    on: datetime.date
    case_id: int
    child_id: int | None
    source: str  # e.g. "referral:12": the record the event came from
    detail: dict = field(default_factory=dict, compare=False, hash=False)


def case_events(case) -> list:
    """Every process event on the case, from the function named in THREEFOLD_PROCESS_EVENTS."""
    path = getattr(settings, "THREEFOLD_PROCESS_EVENTS", None)
    if not path:
        return []
    return list(import_string(path)(case))


def cases_events(cases) -> dict[int, list]:
    """Every process event of each case, {case pk: events}: read together by the function named
    in THREEFOLD_PROCESS_EVENTS_FOR_CASES where there is one, else case by case."""
    path = getattr(settings, "THREEFOLD_PROCESS_EVENTS_FOR_CASES", None)
    if not path:
        return {case.pk: case_events(case) for case in cases}
    found = import_string(path)(cases)
    return {case.pk: list(found[case.pk]) for case in cases}
