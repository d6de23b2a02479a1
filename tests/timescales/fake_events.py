"""A stand-in for the process app's `cases_process_events(cases)`: tests put a case's events
here and point THREEFOLD_PROCESS_EVENTS at `events_for`."""

import datetime

from timescales.events import ProcessEvent

EVENTS: dict[int, list[ProcessEvent]] = {}
PATH = "tests.timescales.fake_events.events_for"


def events_for(cases) -> dict[int, list[ProcessEvent]]:
    return {case.pk: sorted(EVENTS.get(case.pk, []), key=lambda e: e.on) for case in cases}


def event(kind, on, source, *, case_id=1, child_id=None, **detail) -> ProcessEvent:
    if isinstance(on, str):
        on = datetime.date.fromisoformat(on)
    return ProcessEvent(
        kind=kind, on=on, case_id=case_id, child_id=child_id, source=source, detail=detail
    )


def record(case, *events: ProcessEvent) -> None:
    """Add events to a case (each given with case_id of the case)."""
    EVENTS.setdefault(case.pk, []).extend(
        ProcessEvent(e.kind, e.on, case.pk, e.child_id, e.source, e.detail) for e in events
    )
