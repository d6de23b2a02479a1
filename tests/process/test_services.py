"""Every rule of the statutory process, pinned: impossible sequences and future dates are
refused in plain words, stale saves conflict, and every write is audited and announced."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.errors import ConflictError, RuleViolation
from core.models import AuditEvent
from people.models import Case
from process import services
from process.models import (
    Approval,
    ChildInNeedPlan,
    ChildProtectionPlan,
    Closure,
    Conference,
    Referral,
)
from tests import factories
from tests.factories import process_day, process_to

pytestmark = pytest.mark.django_db


def _tomorrow():
    # Worked out at each call: a suite that runs across midnight must not meet a stale date.
    return timezone.localdate() + datetime.timedelta(days=1)


def _to(stage, worker, case, child):
    return process_to(stage, actor=worker, case=case, child=child)


def _refused(match, call, *args, **kwargs):
    with pytest.raises(RuleViolation, match=match):
        call(*args, **kwargs)


# The happy path --------------------------------------------------------------------------


def test_a_child_goes_from_referral_to_plan_end_and_every_step_is_audited(worker, case, child):
    done = _to("plan_ended", worker, case, child)
    assert done["cp_plan"].started_on == done["conference"].held_on
    assert done["cp_plan"].initial_category == "EMO"
    verbs = set(AuditEvent.objects.filter(case_id=case.pk).values_list("verb", flat=True))
    assert {
        "process.referral_recorded",
        "process.referral_decided",
        "process.assessment_started",
        "process.strategy_discussion_recorded",
        "process.s47_started",
        "process.conference_started",
        "process.conference_decided",
        "process.cp_plan_started",
        "process.core_group_recorded",
        "process.assessment_completed",
        "process.cp_plan_ended",
        "process.approval_submitted",
    } <= verbs


def test_every_write_calls_the_process_changed_hooks(settings, worker, case, child):
    calls = []
    settings.THREEFOLD_PROCESS_CHANGED_HOOKS = ["tests.process.test_services.remember_call"]
    remember_call.calls = calls
    _to("referral_decided", worker, case, child)
    assert calls == [case.pk, case.pk]


def remember_call(*, cases):
    remember_call.calls.extend(case.pk for case in cases)


def test_a_conference_and_a_strategy_discussion_are_maps_of_their_purpose(worker, case, child):
    done = _to("conference", worker, case, child)
    assert done["strategy"].map.purpose == "strategy_discussion"
    assert done["conference"].map.purpose == "initial_conference"
    assert done["conference"].map.is_draft


def test_a_conference_map_is_prefilled_from_the_latest_finalised_map(worker, case, child):
    done = _to("conference", worker, case, child)
    conference_map = done["conference"].map
    assert conference_map.based_on == done["strategy"].map
    carried = conference_map.danger_statements.get()
    assert carried.carried_from.map == done["strategy"].map
    # The last meeting's attendees are listed again; their scaling is not copied.
    assert set(conference_map.participants.values_list("name", flat=True)) == {
        "Jade Testington",
        "Chair Person",
    }
    assert not conference_map.scale_judgements.exists()


def test_brothers_and_sisters_at_one_conference_share_one_map(worker, case, child):
    """Each child has their own conference record (the census counts children), but one
    meeting is mapped and scaled once."""
    sister = factories.PersonFactory(agency=case.agency, given_name="Mia")
    factories.CaseMemberFactory(case=case, person=sister)
    _to("s47_completed", worker, case, child)
    mia = {}
    mia["referral"] = services.referral_record(
        actor=worker, case=case, child=sister, received_on=factories.process_day(0),
        source="2A", primary_need="N1",
    )  # fmt: skip
    mia["strategy"] = services.strategy_discussion_record(
        actor=worker, case=case, child=sister, held_on=factories.process_day(3),
        participants="Police, school", decisions="Start a section 47 enquiry.", starts_s47=True,
    )  # fmt: skip
    factories.process_finalise_map(mia["strategy"].map, worker)
    mia["s47"] = services.section47_start(
        actor=worker, case=case, child=sister, started_on=factories.process_day(3)
    )
    services.section47_complete(
        actor=worker, enquiry=mia["s47"], expected_revision=1,
        completed_on=factories.process_day(10), outcome="conference",
    )  # fmt: skip
    day = factories.process_day(15)
    for_leo = services.conference_start(
        actor=worker, case=case, child=child, kind="initial", held_on=day
    )
    for_mia = services.conference_start(
        actor=worker, case=case, child=sister, kind="initial", held_on=day
    )
    assert for_leo.pk != for_mia.pk
    assert for_leo.map_id == for_mia.map_id
    assert case.maps.filter(purpose="initial_conference").count() == 1
    # The attendees were listed once, not once per child.
    names = list(for_leo.map.participants.values_list("name", flat=True))
    assert len(names) == len(set(names))


# Future dates ---------------------------------------------------------------------------


def test_no_contact_in_the_future(worker, case):
    _refused(
        "future",
        services.contact_record,
        actor=worker,
        case=case,
        contact_on=_tomorrow(),
        source="6",
    )


def test_no_referral_in_the_future(worker, case, child):
    _refused(
        "future",
        services.referral_record,
        actor=worker,
        case=case,
        child=child,
        received_on=_tomorrow(),
        source="6",
        primary_need="N1",
    )


def test_no_referral_decision_in_the_future(worker, case, child):
    referral = _to("referral", worker, case, child)["referral"]
    _refused(
        "future",
        services.referral_decide,
        actor=worker,
        referral=referral,
        expected_revision=1,
        decision="assessment",
        decided_on=_tomorrow(),
    )


def test_no_assessment_in_the_future(worker, case, child):
    _to("referral_decided", worker, case, child)
    _refused(
        "future",
        services.assessment_start,
        actor=worker,
        case=case,
        child=child,
        started_on=_tomorrow(),
    )


def test_no_assessment_completed_in_the_future(worker, case, child):
    assessment = _to("assessment", worker, case, child)["assessment"]
    _refused(
        "future",
        services.assessment_complete,
        actor=worker,
        assessment=assessment,
        expected_revision=1,
        completed_on=_tomorrow(),
        factors=["21"],
        outcome="no_further_action",
    )


def test_no_strategy_discussion_in_the_future(worker, case, child):
    _to("referral", worker, case, child)
    _refused(
        "future",
        services.strategy_discussion_record,
        actor=worker,
        case=case,
        child=child,
        held_on=_tomorrow(),
        participants="Police",
        decisions="S47",
        starts_s47=True,
    )


def test_no_conference_in_the_future(worker, case, child):
    _to("s47", worker, case, child)
    _refused(
        "future",
        services.conference_start,
        actor=worker,
        case=case,
        child=child,
        kind="initial",
        held_on=_tomorrow(),
    )


def test_no_plan_ending_in_the_future(worker, case, child):
    plan = _to("cp_plan", worker, case, child)["cp_plan"]
    _refused(
        "future",
        services.cp_plan_end,
        actor=worker,
        plan=plan,
        expected_revision=1,
        ended_on=_tomorrow(),
        end_reason="no_longer_needed",
    )


def test_no_visit_in_the_future(worker, case, child):
    _refused(
        "future",
        services.visit_record,
        actor=worker,
        case=case,
        child=child,
        visited_on=_tomorrow(),
        seen_alone=True,
    )


def test_no_closure_in_the_future(worker, case, child):
    _to("referral", worker, case, child)
    referral = Referral.objects.get()
    services.referral_decide(
        actor=worker,
        referral=referral,
        expected_revision=1,
        decision="no_further_action",
        decided_on=process_day(1),
    )
    _refused(
        "future",
        services.closure_record,
        actor=worker,
        case=case,
        closed_on=_tomorrow(),
        reason="RC7",
    )


def test_no_cin_plan_or_looked_after_episode_in_the_future(worker, case, child):
    _to("referral", worker, case, child)
    _refused(
        "future",
        services.cin_plan_start,
        actor=worker,
        case=case,
        child=child,
        started_on=_tomorrow(),
    )
    _refused(
        "future",
        services.looked_after_start,
        actor=worker,
        case=case,
        child=child,
        started_on=_tomorrow(),
        legal_status="C1",
        placement="U6",
    )


# Referral and assessment sequence ------------------------------------------------------


def test_a_referral_decision_cannot_come_before_the_referral(worker, case, child):
    referral = _to("referral", worker, case, child)["referral"]
    _refused(
        "can't be before the referral",
        services.referral_decide,
        actor=worker,
        referral=referral,
        expected_revision=1,
        decision="assessment",
        decided_on=process_day(-1),
    )


def test_a_second_referral_waits_for_the_first_decision(worker, case, child):
    _to("referral", worker, case, child)
    _refused(
        "still waiting for its decision",
        services.referral_record,
        actor=worker,
        case=case,
        child=child,
        received_on=process_day(2),
        source="6",
        primary_need="N1",
    )


def test_a_stale_referral_decision_conflicts(worker, case, child):
    referral = _to("referral", worker, case, child)["referral"]
    with pytest.raises(ConflictError):
        services.referral_decide(
            actor=worker,
            referral=referral,
            expected_revision=7,
            decision="assessment",
            decided_on=process_day(1),
        )


def test_an_assessment_needs_a_referral_decided_for_assessment(worker, case, child):
    _refused(
        "follows a referral",
        services.assessment_start,
        actor=worker,
        case=case,
        child=child,
        started_on=process_day(2),
    )
    _to("referral", worker, case, child)
    _refused(
        "follows a referral",
        services.assessment_start,
        actor=worker,
        case=case,
        child=child,
        started_on=process_day(2),
    )


def test_an_assessment_cannot_start_before_its_referral(worker, case, child):
    _to("referral_decided", worker, case, child)
    _refused(
        "can't be before the referral",
        services.assessment_start,
        actor=worker,
        case=case,
        child=child,
        started_on=process_day(-3),
    )


def test_one_assessment_at_a_time(worker, case, child):
    _to("assessment", worker, case, child)
    _refused(
        "already has an assessment",
        services.assessment_start,
        actor=worker,
        case=case,
        child=child,
        started_on=process_day(4),
    )


def test_an_assessment_cannot_complete_before_it_starts(worker, case, child):
    assessment = _to("assessment", worker, case, child)["assessment"]
    _refused(
        "can't be before the assessment's start",
        services.assessment_complete,
        actor=worker,
        assessment=assessment,
        expected_revision=1,
        completed_on=process_day(1),
        factors=["21"],
        outcome="no_further_action",
    )


def test_no_factors_cannot_be_combined_with_factors(worker, case, child):
    assessment = _to("assessment", worker, case, child)["assessment"]
    _refused(
        "can't be chosen together",
        services.assessment_complete,
        actor=worker,
        assessment=assessment,
        expected_revision=1,
        completed_on=process_day(10),
        factors=["21", "3B"],
        outcome="no_further_action",
    )
    _refused(
        "Choose the factors",
        services.assessment_complete,
        actor=worker,
        assessment=assessment,
        expected_revision=1,
        completed_on=process_day(10),
        factors=[],
        outcome="no_further_action",
    )


def test_completing_an_assessment_sends_it_for_approval(worker, case, child):
    assessment = _to("assessment_completed", worker, case, child)["assessment_completed"]
    approval = Approval.objects.get(assessment=assessment)
    assert approval.status == Approval.Status.SUBMITTED
    assert assessment.authorised_on is None


# Strategy discussion, section 47, conferences ------------------------------------------


def test_a_strategy_discussion_needs_a_referral_and_comes_after_it(worker, case, child):
    kwargs = {
        "actor": worker,
        "case": case,
        "child": child,
        "participants": "Police",
        "decisions": "S47",
        "starts_s47": True,
    }
    _refused(
        "follows a referral", services.strategy_discussion_record, held_on=process_day(3), **kwargs
    )
    _to("referral", worker, case, child)
    _refused(
        "can't be before the referral",
        services.strategy_discussion_record,
        held_on=process_day(-1),
        **kwargs,
    )


def test_a_section_47_needs_a_strategy_discussion_that_decided_on_one(worker, case, child):
    _to("referral_decided", worker, case, child)
    _refused(
        "starts from a strategy discussion",
        services.section47_start,
        actor=worker,
        case=case,
        child=child,
        started_on=process_day(4),
    )
    discussion = services.strategy_discussion_record(
        actor=worker,
        case=case,
        child=child,
        held_on=process_day(3),
        participants="Police",
        decisions="No enquiry",
        starts_s47=False,
    )
    _refused(
        "did not decide",
        services.section47_start,
        actor=worker,
        case=case,
        child=child,
        started_on=process_day(4),
        strategy_discussion=discussion,
    )


def test_a_section_47_cannot_start_before_its_strategy_discussion(worker, case, child):
    _to("strategy", worker, case, child)
    _refused(
        "can't be before the strategy discussion",
        services.section47_start,
        actor=worker,
        case=case,
        child=child,
        started_on=process_day(2),
    )


def test_a_section_47_cannot_conclude_before_it_started(worker, case, child):
    enquiry = _to("s47", worker, case, child)["s47"]
    _refused(
        "can't be before the enquiry's start",
        services.section47_complete,
        actor=worker,
        enquiry=enquiry,
        expected_revision=1,
        completed_on=process_day(2),
        outcome="conference",
    )


def test_an_initial_conference_needs_a_section_47(worker, case, child):
    _to("strategy", worker, case, child)
    _refused(
        "follows a section 47 enquiry",
        services.conference_start,
        actor=worker,
        case=case,
        child=child,
        kind="initial",
        held_on=process_day(15),
    )


def test_a_conference_before_its_section_47_started_is_refused(worker, case, child):
    _to("s47", worker, case, child)
    _refused(
        "can't be before its section 47 enquiry started",
        services.conference_start,
        actor=worker,
        case=case,
        child=child,
        kind="initial",
        held_on=process_day(2),
    )


def test_no_conference_when_the_enquiry_found_none_was_needed(worker, case, child):
    enquiry = _to("s47", worker, case, child)["s47"]
    services.section47_complete(
        actor=worker,
        enquiry=enquiry,
        expected_revision=1,
        completed_on=process_day(10),
        outcome="not_substantiated",
    )
    _refused(
        "no conference was needed",
        services.conference_start,
        actor=worker,
        case=case,
        child=child,
        kind="initial",
        held_on=process_day(15),
    )


def test_the_decision_waits_for_the_conference_map_to_be_finalised(worker, case, child):
    conference = _to("conference", worker, case, child)["conference"]
    _refused(
        "Finalise the conference map",
        services.conference_decide,
        actor=worker,
        conference=conference,
        expected_revision=1,
        plan_decided=True,
        category="NEG",
    )


def test_a_plan_decision_needs_a_category_of_abuse(worker, case, child):
    conference = _to("conference", worker, case, child)["conference"]
    factories.process_finalise_map(conference.map, worker)
    _refused(
        "category of abuse",
        services.conference_decide,
        actor=worker,
        conference=conference,
        expected_revision=1,
        plan_decided=True,
        category="",
    )


def test_a_review_conference_needs_an_open_plan_and_comes_after_its_start(worker, case, child):
    _to("conference_decided", worker, case, child)
    _refused(
        "has none open",
        services.conference_start,
        actor=worker,
        case=case,
        child=child,
        kind="review",
        held_on=process_day(90),
    )
    services.cp_plan_start(actor=worker, conference=Conference.objects.get())
    _refused(
        "must be after the plan started",
        services.conference_start,
        actor=worker,
        case=case,
        child=child,
        kind="review",
        held_on=process_day(15),
    )


def test_no_second_initial_conference_while_on_a_plan(worker, case, child):
    _to("cp_plan", worker, case, child)
    _refused(
        "already on a child protection plan",
        services.conference_start,
        actor=worker,
        case=case,
        child=child,
        kind="initial",
        held_on=process_day(40),
    )


# Child protection plans and core groups ------------------------------------------------


def test_a_plan_starts_on_the_conference_day_with_its_category(worker, case, child):
    done = _to("conference_decided", worker, case, child)
    _refused(
        "starts on the day of the conference",
        services.cp_plan_start,
        actor=worker,
        conference=done["conference"],
        started_on=process_day(16),
    )


def test_a_plan_needs_a_conference_that_decided_on_one(worker, case, child):
    conference = _to("conference", worker, case, child)["conference"]
    factories.process_finalise_map(conference.map, worker)
    services.conference_decide(
        actor=worker, conference=conference, expected_revision=1, plan_decided=False
    )
    _refused(
        "did not decide on a child protection plan",
        services.cp_plan_start,
        actor=worker,
        conference=conference,
    )


def test_a_plan_cannot_end_before_it_starts(worker, case, child):
    plan = _to("cp_plan", worker, case, child)["cp_plan"]
    _refused(
        "can't end before it starts",
        services.cp_plan_end,
        actor=worker,
        plan=plan,
        expected_revision=1,
        ended_on=process_day(14),
        end_reason="no_longer_needed",
    )


def test_the_database_also_refuses_a_plan_ending_before_it_starts(worker, case, child):
    plan = _to("cp_plan", worker, case, child)["cp_plan"]
    with pytest.raises(IntegrityError), transaction.atomic():
        ChildProtectionPlan.objects.filter(pk=plan.pk).update(
            ended_on=process_day(1), end_reason="other"
        )


def test_a_stale_plan_end_conflicts(worker, case, child):
    plan = _to("cp_plan", worker, case, child)["cp_plan"]
    with pytest.raises(ConflictError):
        services.cp_plan_end(
            actor=worker,
            plan=plan,
            expected_revision=9,
            ended_on=process_day(40),
            end_reason="no_longer_needed",
        )


def test_a_core_group_needs_an_open_plan_and_comes_after_its_start(worker, case, child):
    plan = _to("cp_plan", worker, case, child)["cp_plan"]
    _refused(
        "can't be before the plan's start",
        services.core_group_record,
        actor=worker,
        plan=plan,
        held_on=process_day(10),
    )
    services.cp_plan_end(
        actor=worker,
        plan=plan,
        expected_revision=1,
        ended_on=process_day(30),
        end_reason="no_longer_needed",
    )
    _refused(
        "core groups have stopped",
        services.core_group_record,
        actor=worker,
        plan=plan,
        held_on=process_day(31),
    )


def test_starting_a_cp_plan_ends_an_open_cin_plan(worker, case, child):
    _to("referral", worker, case, child)
    cin_plan = services.cin_plan_start(
        actor=worker, case=case, child=child, started_on=process_day(2)
    )
    referral = Referral.objects.get()
    services.referral_decide(
        actor=worker,
        referral=referral,
        expected_revision=1,
        decision="assessment",
        decided_on=process_day(1),
    )
    services.strategy_discussion_record(
        actor=worker,
        case=case,
        child=child,
        held_on=process_day(3),
        participants="Police",
        decisions="S47",
        starts_s47=True,
    )
    factories.process_finalise_map(case.maps.get(), worker)
    services.section47_start(actor=worker, case=case, child=child, started_on=process_day(3))
    conference = services.conference_start(
        actor=worker, case=case, child=child, kind="initial", held_on=process_day(15)
    )
    factories.process_finalise_map(conference.map, worker)
    services.conference_decide(
        actor=worker, conference=conference, expected_revision=1, plan_decided=True, category="NEG"
    )
    services.cp_plan_start(actor=worker, conference=conference)
    cin_plan.refresh_from_db()
    assert cin_plan.ended_on == process_day(15)
    assert cin_plan.end_reason == ChildInNeedPlan.EndReason.STEP_UP_CP


def test_a_review_can_change_the_plans_latest_category(worker, case, child):
    plan = _to("cp_plan", worker, case, child)["cp_plan"]
    review = services.conference_start(
        actor=worker, case=case, child=child, kind="review", held_on=process_day(100)
    )
    factories.process_finalise_map(review.map, worker)
    services.conference_decide(
        actor=worker, conference=review, expected_revision=1, plan_decided=True, category="MUL"
    )
    plan.refresh_from_db()
    assert (plan.initial_category, plan.latest_category) == ("EMO", "MUL")


# Child in need plans, looked-after episodes, visits ------------------------------------


def test_a_cin_plan_needs_a_referral_and_not_a_cp_plan(worker, case, child):
    _refused(
        "follows a referral",
        services.cin_plan_start,
        actor=worker,
        case=case,
        child=child,
        started_on=process_day(5),
    )
    _to("cp_plan", worker, case, child)
    _refused(
        "is on a child protection plan",
        services.cin_plan_start,
        actor=worker,
        case=case,
        child=child,
        started_on=process_day(20),
    )


def test_one_cin_plan_at_a_time_ending_after_it_starts_with_reviews_after_its_start(
    worker, case, child
):
    _to("referral", worker, case, child)
    plan = services.cin_plan_start(actor=worker, case=case, child=child, started_on=process_day(5))
    _refused(
        "already has a child in need plan",
        services.cin_plan_start,
        actor=worker,
        case=case,
        child=child,
        started_on=process_day(6),
    )
    _refused(
        "must be after the plan started",
        services.cin_review_record,
        actor=worker,
        plan=plan,
        held_on=process_day(5),
    )
    _refused(
        "can't end before it starts",
        services.cin_plan_end,
        actor=worker,
        plan=plan,
        expected_revision=1,
        ended_on=process_day(4),
        end_reason="needs_met",
    )
    assert Approval.objects.get(cin_plan=plan).status == "submitted"


def test_looked_after_episodes_do_not_overlap_or_end_before_they_start(worker, case, child):
    episode = services.looked_after_start(
        actor=worker,
        case=case,
        child=child,
        started_on=process_day(5),
        legal_status="V2",
        placement="U3",
    )
    _refused(
        "already has an episode open",
        services.looked_after_start,
        actor=worker,
        case=case,
        child=child,
        started_on=process_day(6),
        legal_status="C1",
        placement="U6",
    )
    _refused(
        "can't end before it starts",
        services.looked_after_end,
        actor=worker,
        episode=episode,
        expected_revision=1,
        ended_on=process_day(4),
        reason_ceased="E13",
    )
    services.looked_after_end(
        actor=worker,
        episode=episode,
        expected_revision=1,
        ended_on=process_day(10),
        reason_ceased="X1",
    )
    _refused(
        "can't be before the end of the last one",
        services.looked_after_start,
        actor=worker,
        case=case,
        child=child,
        started_on=process_day(9),
        legal_status="C1",
        placement="U6",
    )


def test_only_children_in_the_case_can_be_named(worker, case):
    stranger = factories.PersonFactory(agency=case.agency)
    _refused(
        "Only children in this case",
        services.visit_record,
        actor=worker,
        case=case,
        child=stranger,
        visited_on=process_day(3),
        seen_alone=True,
    )


# Closure and approval ------------------------------------------------------------------


def test_a_case_with_a_plan_open_cannot_close(worker, case, child):
    _to("cp_plan", worker, case, child)
    _refused(
        "End Leo Testington's child protection plan",
        services.closure_record,
        actor=worker,
        case=case,
        closed_on=process_day(50),
        reason="RC7",
    )


def test_a_case_with_open_work_cannot_close(worker, case, child):
    _to("s47", worker, case, child)
    with pytest.raises(RuleViolation) as refused:
        services.closure_record(actor=worker, case=case, closed_on=process_day(50), reason="RC7")
    assert "Complete Leo Testington's assessment" in refused.value.message
    assert "section 47" in refused.value.message


def test_closure_cannot_be_before_the_latest_event(worker, case, child):
    _to("plan_ended", worker, case, child)
    _refused(
        "can't be before the latest event",
        services.closure_record,
        actor=worker,
        case=case,
        closed_on=process_day(99),
        reason="RC7",
    )


def test_rc8_and_rc9_need_a_completed_assessment(worker, case, child):
    referral = _to("referral", worker, case, child)["referral"]
    services.referral_decide(
        actor=worker,
        referral=referral,
        expected_revision=1,
        decision="no_further_action",
        decided_on=process_day(1),
    )
    _refused(
        "RC8 and RC9",
        services.closure_record,
        actor=worker,
        case=case,
        closed_on=process_day(2),
        reason="RC8",
    )


def test_closure_takes_effect_when_the_manager_approves_it(worker, manager, case, child):
    _to("plan_ended", worker, case, child)
    closure = services.closure_record(
        actor=worker, case=case, closed_on=process_day(101), reason="RC7"
    )
    case.refresh_from_db()
    assert case.status == Case.Status.OPEN
    approval = Approval.objects.get(closure=closure)
    _refused(
        "already waiting",
        services.closure_record,
        actor=worker,
        case=case,
        closed_on=process_day(101),
        reason="RC7",
    )
    services.approval_approve(actor=manager, approval=approval, comments="Agreed.")
    case.refresh_from_db()
    assert (case.status, case.closed_on) == (Case.Status.CLOSED, process_day(101))
    assert Closure.objects.get().approved
    _refused(
        "This case was closed",
        services.visit_record,
        actor=worker,
        case=case,
        child=child,
        visited_on=process_day(102),
        seen_alone=True,
    )


def test_approving_an_assessment_authorises_it(worker, manager, case, child):
    assessment = _to("assessment_completed", worker, case, child)["assessment_completed"]
    approval = Approval.objects.get(assessment=assessment)
    services.approval_approve(actor=manager, approval=approval)
    assessment.refresh_from_db()
    assert assessment.authorised_on == timezone.localdate()
    _refused("already been approved", services.approval_approve, actor=manager, approval=approval)


def test_returning_needs_comments_and_the_worker_can_send_it_back(worker, manager, case, child):
    plan = _to("cp_plan", worker, case, child)["cp_plan"]
    approval = Approval.objects.get(cp_plan=plan)
    _refused(
        "Say what needs to change",
        services.approval_return,
        actor=manager,
        approval=approval,
        comments=" ",
    )
    services.approval_return(actor=manager, approval=approval, comments="Add the category reason.")
    again = services.approval_resubmit(actor=worker, approval=approval, note="Added.")
    assert again.status == Approval.Status.SUBMITTED
    assert Approval.objects.filter(cp_plan=plan).count() == 2
    _refused("Only something returned", services.approval_resubmit, actor=worker, approval=again)


# The rest of the sequence rules --------------------------------------------------------


def test_one_section_47_at_a_time(worker, case, child):
    _to("s47", worker, case, child)
    _refused(
        "already has a section 47 enquiry open",
        services.section47_start,
        actor=worker,
        case=case,
        child=child,
        started_on=process_day(4),
    )


def test_one_initial_conference_per_enquiry_and_one_decision(worker, case, child):
    done = _to("conference", worker, case, child)
    _refused(
        "already been held for this enquiry",
        services.conference_start,
        actor=worker,
        case=case,
        child=child,
        kind="initial",
        held_on=process_day(16),
    )
    factories.process_finalise_map(done["conference"].map, worker)
    services.conference_decide(
        actor=worker, conference=done["conference"], expected_revision=1, plan_decided=False
    )
    _refused(
        "decision was recorded",
        services.conference_decide,
        actor=worker,
        conference=Conference.objects.get(),
        expected_revision=2,
        plan_decided=True,
        category="NEG",
    )


def test_one_undecided_conference_at_a_time(worker, case, child):
    _to("cp_plan", worker, case, child)
    review = services.conference_start(
        actor=worker, case=case, child=child, kind="review", held_on=process_day(90)
    )
    factories.process_finalise_map(review.map, worker)
    _refused(
        "still waiting for its decision",
        services.conference_start,
        actor=worker,
        case=case,
        child=child,
        kind="review",
        held_on=process_day(95),
    )


def test_a_plan_is_started_once_from_its_conference(worker, case, child):
    done = _to("cp_plan", worker, case, child)
    _refused(
        "already been started",
        services.cp_plan_start,
        actor=worker,
        conference=done["conference"],
    )


def test_a_decision_cannot_drop_an_assessment_already_started(worker, case, child):
    done = _to("assessment", worker, case, child)
    referral = done["referral_decided"]
    _refused(
        "already started from this referral",
        services.referral_decide,
        actor=worker,
        referral=referral,
        expected_revision=referral.revision,
        decision="no_further_action",
        decided_on=process_day(1),
    )


def test_no_review_of_an_ended_cin_plan(worker, case, child):
    _to("referral", worker, case, child)
    plan = services.cin_plan_start(actor=worker, case=case, child=child, started_on=process_day(5))
    services.cin_plan_end(
        actor=worker,
        plan=plan,
        expected_revision=1,
        ended_on=process_day(50),
        end_reason="needs_met",
    )
    _refused(
        "This plan ended",
        services.cin_review_record,
        actor=worker,
        plan=plan,
        held_on=process_day(60),
    )


def test_an_episode_ends_with_a_reason(worker, case, child):
    episode = services.looked_after_start(
        actor=worker,
        case=case,
        child=child,
        started_on=process_day(5),
        legal_status="V2",
        placement="U3",
    )
    _refused(
        "Choose the reason",
        services.looked_after_end,
        actor=worker,
        episode=episode,
        expected_revision=1,
        ended_on=process_day(9),
        reason_ceased="",
    )


def test_a_referral_cannot_come_before_its_contact_or_use_another_cases(worker, case, child):
    contact = services.contact_record(
        actor=worker, case=case, contact_on=process_day(3), source="6", child=child
    )
    kwargs = {"actor": worker, "child": child, "source": "6", "primary_need": "N1"}
    _refused(
        "can't be before the contact",
        services.referral_record,
        case=case,
        received_on=process_day(2),
        contact=contact,
        **kwargs,
    )
    other = factories.CaseFactory(team=case.team)
    other_contact = services.contact_record(
        actor=worker, case=other, contact_on=process_day(1), source="6"
    )
    _refused(
        "belongs to another case",
        services.referral_record,
        case=case,
        received_on=process_day(4),
        contact=other_contact,
        **kwargs,
    )


def test_closure_needs_a_dfe_reason(worker, case, child):
    _refused(
        "reason for closure",
        services.closure_record,
        actor=worker,
        case=case,
        closed_on=process_day(5),
        reason="RC99",
    )


def test_a_returned_closure_can_be_recorded_again(worker, manager, case, child):
    _to("plan_ended", worker, case, child)
    closure = services.closure_record(
        actor=worker, case=case, closed_on=process_day(101), reason="RC7"
    )
    services.approval_return(
        actor=manager, approval=closure.approvals.get(), comments="Tell the school first."
    )
    again = services.closure_record(
        actor=worker, case=case, closed_on=process_day(102), reason="RC7"
    )
    assert again.approvals.get().status == Approval.Status.SUBMITTED
