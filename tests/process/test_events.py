"""The process as dated events: what the timescales app counts from."""

import dataclasses

import pytest

from process import services
from process.events import EVENT_KINDS, ProcessEvent, cases_process_events, process_events
from tests import factories
from tests.factories import process_day, process_to

pytestmark = pytest.mark.django_db


def test_every_event_of_a_journey_in_date_order(worker, manager, case, child):
    process_to("plan_ended", actor=worker, case=case, child=child)
    services.visit_record(
        actor=worker, case=case, child=child, visited_on=process_day(25), seen_alone=True
    )
    events = process_events(case)
    assert [e.on for e in events] == sorted(e.on for e in events)
    assert {e.kind for e in events} <= set(EVENT_KINDS)
    kinds = [e.kind for e in events]
    assert kinds[:2] == ["referral_received", "referral_decided"]
    for kind in [
        "assessment_started",
        "assessment_completed",
        "strategy_discussion",
        "s47_started",
        "s47_completed",
        "conference_held",
        "cp_plan_started",
        "core_group_held",
        "visit",
        "cp_plan_ended",
    ]:
        assert kind in kinds
    assert all(e.case_id == case.pk and e.child_id == child.pk for e in events)


def test_event_details_and_sources(worker, case, child):
    done = process_to("review", actor=worker, case=case, child=child)
    events = process_events(case)
    strategy = next(e for e in events if e.kind == "strategy_discussion")
    assert strategy.detail == {"starts_s47": True}
    assert strategy.source == f"strategy_discussion:{done['strategy'].pk}"
    conferences = [e for e in events if e.kind == "conference_held"]
    assert [c.detail for c in conferences] == [
        {"conference": "initial", "plan_decided": True},
        {"conference": "review", "plan_decided": False},
    ]
    plan_start = next(e for e in events if e.kind == "cp_plan_started")
    assert plan_start.on == done["conference"].held_on
    # An initial conference comes before the plan it starts, on the same day.
    assert events.index(conferences[0]) < events.index(plan_start)


def test_events_are_frozen(worker, case, child):
    process_to("referral", actor=worker, case=case, child=child)
    event = process_events(case)[0]
    assert isinstance(event, ProcessEvent)
    with pytest.raises(dataclasses.FrozenInstanceError):
        event.kind = "visit"


def test_cin_plan_events_and_closure_only_once_approved(worker, manager, case, child):
    referral = process_to("referral", actor=worker, case=case, child=child)["referral"]
    services.referral_decide(
        actor=worker,
        referral=referral,
        expected_revision=1,
        decision="assessment",
        decided_on=process_day(1),
    )
    plan = services.cin_plan_start(actor=worker, case=case, child=child, started_on=process_day(5))
    services.cin_review_record(actor=worker, plan=plan, held_on=process_day(60))
    services.cin_plan_end(
        actor=worker,
        plan=plan,
        expected_revision=1,
        ended_on=process_day(90),
        end_reason="needs_met",
    )
    assessment = services.assessment_start(
        actor=worker, case=case, child=child, started_on=process_day(2)
    )
    services.assessment_complete(
        actor=worker,
        assessment=assessment,
        expected_revision=1,
        completed_on=process_day(20),
        factors=["21"],
        outcome="cin_plan",
    )
    closure = services.closure_record(
        actor=worker, case=case, closed_on=process_day(91), reason="RC7"
    )
    kinds = [e.kind for e in process_events(case)]
    assert {"cin_plan_started", "cin_review_held", "cin_plan_ended"} <= set(kinds)
    assert "case_closed" not in kinds
    services.approval_approve(actor=manager, approval=closure.approvals.get())
    assert process_events(case)[-1].kind == "case_closed"


def test_many_cases_events_read_together_are_each_cases_own(
    worker, team, case, child, django_assert_max_num_queries
):
    """An import refreshes hundreds of cases' deadlines: their records are read in one query per
    kind, and each case gets exactly the events it would get alone."""
    process_to("plan_ended", actor=worker, case=case, child=child)
    other = factories.CaseFactory(team=team)
    other_child = factories.PersonFactory(agency=other.agency)
    factories.CaseMemberFactory(case=other, person=other_child)
    factories.AllocationFactory(case=other, worker=worker, started_on=other.opened_on)
    process_to("assessment", actor=worker, case=other, child=other_child)
    quiet = factories.CaseFactory(team=team)
    with django_assert_max_num_queries(13):
        together = cases_process_events([case, other, quiet])
    assert together == {c.pk: process_events(c) for c in [case, other, quiet]}
    assert together[case.pk] and together[other.pk] and together[quiet.pk] == []
    assert {e.case_id for e in together[other.pk]} == {other.pk}
