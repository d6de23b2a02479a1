import datetime

import pytest

from core.errors import ConflictError, RuleViolation
from core.models import AuditEvent
from practice import services as practice_services
from safety import services
from safety.models import NetworkMember, SafetyPlan
from tests import factories
from tests.safety.conftest import RULE

pytestmark = pytest.mark.django_db


def test_adding_a_network_member_records_status_history_and_audit(case, worker, child, grandma):
    assert grandma.status == NetworkMember.Status.ACTIVE
    assert grandma.status_since == datetime.date(2026, 1, 20)
    change = grandma.status_changes.get()
    assert change.to_status == "active" and change.from_status == ""
    assert AuditEvent.objects.filter(
        verb="safety.network_member_added", target_id=grandma.pk, case_id=case.pk
    ).exists()
    assert grandma.history.count() == 1


def test_a_member_can_name_only_children_of_the_case(case, worker):
    stranger = factories.PersonFactory(agency=case.agency)
    with pytest.raises(RuleViolation):
        services.network_member_add(
            actor=worker, case=case, name="Kerry", relationship="Neighbour", children=[stranger]
        )


def test_not_informed_clears_the_date_and_teller(case, worker):
    member = services.network_member_add(
        actor=worker,
        case=case,
        name="Kerry",
        relationship="Neighbour",
        kind="community",
        informed=False,
        informed_on=datetime.date(2026, 1, 1),
        informed_by="Sam",
    )
    assert member.informed_on is None and member.informed_by == ""


def test_status_changes_are_dated_and_kept(grandma, worker):
    services.network_member_change_status(
        actor=worker,
        member=grandma,
        expected_revision=grandma.revision,
        status="stepped_back",
        changed_on=datetime.date(2026, 2, 10),
        reason="In hospital for a few weeks.",
    )
    grandma.refresh_from_db()
    assert grandma.status == "stepped_back" and grandma.status_since == datetime.date(2026, 2, 10)
    services.network_member_change_status(
        actor=worker,
        member=grandma,
        expected_revision=grandma.revision,
        status="active",
        changed_on=datetime.date(2026, 3, 1),
    )
    steps = list(grandma.status_changes.values_list("to_status", flat=True))
    assert steps == ["active", "stepped_back", "active"]
    grandma.refresh_from_db()
    with pytest.raises(RuleViolation, match="on or after"):
        services.network_member_change_status(
            actor=worker,
            member=grandma,
            expected_revision=grandma.revision,
            status="no_longer_involved",
            changed_on=datetime.date(2026, 1, 1),
        )


def test_stale_member_save_is_refused(grandma, worker, manager):
    values = {"name": "Grandma Pat", "kind": "family", "relationship": "Nan", "informed": True}
    services.network_member_update(actor=manager, member=grandma, expected_revision=1, **values)
    with pytest.raises(ConflictError) as caught:
        services.network_member_update(
            actor=worker, member=grandma, expected_revision=1, **values | {"relationship": "Gran"}
        )
    assert caught.value.current.relationship == "Nan"


def test_plan_versions_agree_supersede_and_carry_rules_forward(
    case, worker, agreed_plan, danger, grandma
):
    assert agreed_plan.status == SafetyPlan.Status.AGREED
    assert list(agreed_plan.agreed_by_members.all()) == [grandma]
    first_rule = agreed_plan.rules.get()

    second = services.safety_plan_start(actor=worker, case=case)
    assert second.number == 2 and second.based_on == agreed_plan and second.is_draft
    copy = second.rules.get()
    assert copy.carried_from == first_rule and copy.text == RULE["text"]
    assert list(copy.danger_statements.all()) == [danger]
    assert list(copy.members.all()) == [grandma]
    assert second.if_broken == agreed_plan.if_broken

    # The first version stays in force until the new one is agreed.
    agreed_plan.refresh_from_db()
    assert agreed_plan.is_in_force
    services.safety_plan_agree(
        actor=worker,
        plan=second,
        expected_revision=second.revision,
        agreed_on=datetime.date(2026, 3, 1),
        agreed_with="Jade (Mum)",
        next_review_on=datetime.date(2026, 5, 1),
    )
    agreed_plan.refresh_from_db()
    second.refresh_from_db()
    assert agreed_plan.status == SafetyPlan.Status.SUPERSEDED
    assert agreed_plan.superseded_on == datetime.date(2026, 3, 1)
    assert second.status == SafetyPlan.Status.AGREED
    verbs = set(AuditEvent.objects.filter(case_id=case.pk).values_list("verb", flat=True))
    assert {"safety.plan_agreed", "safety.plan_superseded", "safety.plan_started"} <= verbs


def test_rules_move_on_to_the_latest_danger_statements(case, worker, agreed_plan, danger):
    new_map = practice_services.map_start(
        actor=worker, case=case, purpose="mapping", held_on=datetime.date(2026, 3, 1)
    )
    newer = new_map.danger_statements.get()
    assert newer.carried_from == danger
    second = services.safety_plan_start(actor=worker, case=case)
    assert list(second.rules.get().danger_statements.all()) == [newer]


def test_only_one_draft_at_a_time(case, worker, draft_plan):
    with pytest.raises(RuleViolation, match="already has a draft"):
        services.safety_plan_start(actor=worker, case=case)


def test_an_agreed_plan_is_never_changed(agreed_plan, worker):
    rule = agreed_plan.rules.get()
    with pytest.raises(RuleViolation, match="can no longer be changed"):
        services.safety_plan_rule_add(actor=worker, plan=agreed_plan, **RULE)
    with pytest.raises(RuleViolation):
        services.safety_plan_rule_update(
            actor=worker, rule=rule, expected_revision=rule.revision, **RULE | {"text": "New"}
        )
    with pytest.raises(RuleViolation):
        services.safety_plan_rule_remove(actor=worker, rule=rule, expected_revision=rule.revision)
    with pytest.raises(RuleViolation):
        services.safety_plan_update_details(
            actor=worker,
            plan=agreed_plan,
            expected_revision=agreed_plan.revision,
            if_broken="x",
            who_to_call="y",
            next_review_on=None,
        )
    rule.refresh_from_db()
    assert rule.text == RULE["text"]


def test_a_stale_rule_save_is_refused(draft_plan, worker, manager):
    rule = services.safety_plan_rule_add(actor=worker, plan=draft_plan, **RULE)
    services.safety_plan_rule_update(
        actor=manager, rule=rule, expected_revision=1, **RULE | {"when": "Every evening"}
    )
    with pytest.raises(ConflictError) as caught:
        services.safety_plan_rule_update(
            actor=worker, rule=rule, expected_revision=1, **RULE | {"when": "Weekends"}
        )
    assert caught.value.current.when == "Every evening"


def test_a_plan_needs_rules_and_what_if_broken_before_agreeing(draft_plan, worker):
    with pytest.raises(RuleViolation, match="Write at least one rule"):
        services.safety_plan_agree(
            actor=worker,
            plan=draft_plan,
            expected_revision=draft_plan.revision,
            agreed_on=datetime.date(2026, 2, 1),
            agreed_with="Jade",
            next_review_on=datetime.date(2026, 3, 1),
        )
    assert services.safety_plan_agree_problems(draft_plan) == [
        "Write at least one rule.",
        "Say what everyone will do if a rule is broken.",
    ]


def test_rules_link_only_this_familys_danger_statements(draft_plan, worker):
    other = factories.DangerStatementFactory()
    with pytest.raises(RuleViolation):
        services.safety_plan_rule_add(
            actor=worker, plan=draft_plan, danger_statements=[other], **RULE
        )


def test_reviews_set_the_status_and_next_date(agreed_plan, worker):
    review = services.safety_plan_review_add(
        actor=worker,
        plan=agreed_plan,
        reviewed_on=datetime.date(2026, 3, 20),
        outcome="working",
        notes="Everyone says the plan is working.",
        next_review_on=datetime.date(2026, 5, 20),
    )
    agreed_plan.refresh_from_db()
    assert agreed_plan.status == SafetyPlan.Status.REVIEWED
    assert agreed_plan.next_review_on == review.next_review_on
    with pytest.raises(RuleViolation):
        services.safety_plan_review_add(
            actor=worker, plan=agreed_plan, reviewed_on=datetime.date(2026, 1, 1), outcome="working"
        )


def test_a_draft_can_not_be_reviewed_or_monitored(draft_plan, worker, grandma):
    with pytest.raises(RuleViolation, match="not been agreed"):
        services.safety_plan_review_add(
            actor=worker, plan=draft_plan, reviewed_on=datetime.date(2026, 3, 1), outcome="working"
        )
    with pytest.raises(RuleViolation):
        services.monitoring_check_in_add(
            actor=worker,
            plan=draft_plan,
            member=grandma,
            checked_on=datetime.date(2026, 3, 1),
            what_they_saw="All fine",
        )


def test_a_check_in_with_a_breach_needs_what_was_done(agreed_plan, worker, grandma):
    rule = agreed_plan.rules.get()
    with pytest.raises(RuleViolation, match="what was done"):
        services.monitoring_check_in_add(
            actor=worker,
            plan=agreed_plan,
            member=grandma,
            checked_on=datetime.date(2026, 2, 27),
            what_they_saw="Dad had been drinking on Saturday.",
            breach=True,
            breach_details="Dad had two cans while Leo was at home.",
        )
    check_in = services.monitoring_check_in_add(
        actor=worker,
        plan=agreed_plan,
        member=grandma,
        checked_on=datetime.date(2026, 2, 27),
        what_they_saw="Dad had been drinking on Saturday.",
        breach=True,
        breach_details="Dad had two cans while Leo was at home.",
        action_taken="Grandma took Leo to hers for the night and rang Sam on Monday.",
        rules=[rule],
    )
    assert check_in.breach and list(check_in.rules.all()) == [rule]
    assert AuditEvent.objects.filter(
        verb="safety.check_in_recorded", target_id=check_in.pk
    ).exists()


def test_a_superseded_plan_takes_no_more_check_ins(case, agreed_plan, worker, grandma):
    second = services.safety_plan_start(actor=worker, case=case)
    services.safety_plan_agree(
        actor=worker,
        plan=second,
        expected_revision=second.revision,
        agreed_on=datetime.date(2026, 3, 1),
        agreed_with="Jade",
        next_review_on=datetime.date(2026, 4, 1),
    )
    with pytest.raises(RuleViolation, match="replaced"):
        services.monitoring_check_in_add(
            actor=worker,
            plan=agreed_plan,
            member=grandma,
            checked_on=datetime.date(2026, 3, 1),
            what_they_saw="Fine",
        )


def test_trajectory_stages_in_order_with_conflicts(case, worker, manager):
    first = services.trajectory_stage_add(
        actor=worker,
        case=case,
        name="Safety plan agreed",
        milestone="Everyone has signed up to the plan.",
        target_on=datetime.date(2026, 3, 1),
    )
    second = services.trajectory_stage_add(
        actor=worker,
        case=case,
        name="Case closed",
        milestone="Step down to early help.",
        target_on=datetime.date(2026, 9, 1),
    )
    assert (first.position, second.position) == (1, 2)
    values = {
        "name": "Safety plan agreed",
        "milestone": "Everyone has signed up to the plan.",
        "target_on": datetime.date(2026, 3, 1),
        "achieved_on": datetime.date(2026, 2, 20),
    }
    services.trajectory_stage_update(actor=manager, stage=first, expected_revision=1, **values)
    with pytest.raises(ConflictError):
        services.trajectory_stage_update(actor=worker, stage=first, expected_revision=1, **values)
    first.refresh_from_db()
    assert first.achieved_on == datetime.date(2026, 2, 20)
    services.trajectory_stage_remove(actor=worker, stage=second, expected_revision=1)
    assert list(case.trajectory_stages.all()) == [first]
