"""The case's statutory process as a list of dated events: the input to the timescales app.

The timescales app reads this through the THREEFOLD_PROCESS_EVENTS setting
(`cases_process_events`), so process never imports it. Each event's `source` names the record
it came from ("referral:12"), stably, so a due date can be traced back to what started it."""

import datetime
from dataclasses import dataclass, field

EVENT_KINDS = (
    "referral_received",
    "referral_decided",
    "assessment_started",
    "assessment_completed",
    "strategy_discussion",
    "s47_started",
    "s47_completed",
    "conference_held",
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
    source: str
    detail: dict = field(default_factory=dict)


def cases_process_events(cases) -> dict[int, list[ProcessEvent]]:
    """`process_events` of many cases, their records read together."""
    from process.selectors import cases_process_records

    records = cases_process_records([case.pk for case in cases])
    return {case.pk: process_events(case, records=records[case.pk]) for case in cases}


def process_events(case, *, records: dict | None = None) -> list[ProcessEvent]:
    """Every event on the case, sorted by date (then by the order the process runs in), from
    its process records (read here unless given)."""
    from process.selectors import case_process_records

    if records is None:
        records = case_process_records(case)
    events = []

    def add(kind, on, record, label, detail=None):
        if on is not None:
            events.append(
                ProcessEvent(
                    kind=kind,
                    on=on,
                    case_id=case.pk,
                    child_id=getattr(record, "child_id", None),
                    source=f"{label}:{record.pk}",
                    detail=detail or {},
                )
            )

    for referral in records["referrals"]:
        add("referral_received", referral.received_on, referral, "referral")
        add(
            "referral_decided",
            referral.decided_on,
            referral,
            "referral",
            {"decision": referral.decision},
        )
    for assessment in records["assessments"]:
        add("assessment_started", assessment.started_on, assessment, "assessment")
        # Completion counts for the 45 working days; authorisation is the census date, so both
        # are given and the later one is the authorised completion.
        add(
            "assessment_completed",
            assessment.authorised_on or assessment.completed_on,
            assessment,
            "assessment",
            {
                "completed_on": assessment.completed_on,
                "authorised": assessment.authorised_on is not None,
                "outcome": assessment.outcome,
            },
        )
    for discussion in records["strategy_discussions"]:
        add(
            "strategy_discussion",
            discussion.held_on,
            discussion,
            "strategy_discussion",
            {"starts_s47": discussion.starts_s47},
        )
    for enquiry in records["enquiries"]:
        add("s47_started", enquiry.started_on, enquiry, "section47")
        add(
            "s47_completed",
            enquiry.completed_on,
            enquiry,
            "section47",
            {"conference_needed": bool(enquiry.conference_needed)},
        )
    for conference in records["conferences"]:
        add(
            "conference_held",
            conference.held_on,
            conference,
            "conference",
            {"conference": conference.kind, "plan_decided": bool(conference.plan_decided)},
        )
    for meeting in records["core_groups"]:
        add("core_group_held", meeting.held_on, meeting, "core_group", {"plan": meeting.plan_id})
    for plan in records["cp_plans"]:
        add(
            "cp_plan_started", plan.started_on, plan, "cp_plan", {"category": plan.initial_category}
        )
        add("cp_plan_ended", plan.ended_on, plan, "cp_plan", {"reason": plan.end_reason})
    for visit in records["visits"]:
        add("visit", visit.visited_on, visit, "visit", {"seen_alone": visit.seen_alone})
    for plan in records["cin_plans"]:
        add("cin_plan_started", plan.started_on, plan, "cin_plan")
        add("cin_plan_ended", plan.ended_on, plan, "cin_plan", {"reason": plan.end_reason})
    for review in records["cin_reviews"]:
        add("cin_review_held", review.held_on, review, "cin_review", {"plan": review.plan_id})
    for closure in records["closures"]:
        if closure.approved:
            add("case_closed", closure.closed_on, closure, "closure", {"reason": closure.reason})
    order = {kind: index for index, kind in enumerate(EVENT_KINDS)}
    return sorted(events, key=lambda e: (e.on, order[e.kind], e.source))
