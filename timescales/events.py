"""The facts of a case's statutory process, as the process app reports them.

Timescales sits below the process app and never imports it. The process app provides a
function `(cases) -> {case pk: [ProcessEvent, ...]}` (every event on each case, sorted by date;
many cases at once, as an import refreshes hundreds), named in the setting
THREEFOLD_PROCESS_EVENTS (a dotted path); without the setting a case has no events and so no
deadlines. The events are read by attribute only, so the process app's own dataclass of the
same shape works as well as this one.
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


def cases_events(cases) -> dict[int, list]:
    """Every process event of each case, {case pk: events}, from the function named in
    THREEFOLD_PROCESS_EVENTS."""
    path = getattr(settings, "THREEFOLD_PROCESS_EVENTS", None)
    found = import_string(path)(cases) if path else {}
    return {case.pk: list(found.get(case.pk, [])) for case in cases}


def case_events(case) -> list:
    return cases_events([case])[case.pk]
