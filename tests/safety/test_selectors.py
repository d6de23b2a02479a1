import datetime

import pytest

from agencies.models import Role
from safety import selectors, services
from tests import factories

pytestmark = pytest.mark.django_db


def test_summary_counts_active_and_informed_members(case, worker, grandma, agreed_plan):
    factories.NetworkMemberFactory(case=case, name="Mr Ahmed", kind="professional", informed=False)
    factories.NetworkMemberFactory(case=case, name="Kerry", informed=True, status="stepped_back")
    summary = selectors.case_safety_summary(case, user=worker)
    assert summary["network_size"] == 2
    assert summary["network_informed"] == 1
    assert summary["network_not_informed"] == 1
    assert summary["current_plan"] == agreed_plan
    assert summary["draft_plan"] is None
    assert summary["may_record"] is True


def test_summary_shows_a_draft_beside_the_plan_in_force(case, worker, agreed_plan):
    draft = services.safety_plan_start(actor=worker, case=case)
    summary = selectors.case_safety_summary(case, user=worker)
    assert summary["current_plan"] == agreed_plan and summary["draft_plan"] == draft


def test_summary_review_overdue_and_stages(case, worker, agreed_plan):
    factories.TrajectoryStageFactory(
        case=case, position=2, name="Closed", target_on=datetime.date(2026, 9, 1)
    )
    factories.TrajectoryStageFactory(
        case=case,
        position=1,
        name="Plan agreed",
        target_on=datetime.date(2026, 2, 1),
        achieved_on=datetime.date(2026, 2, 20),
    )
    summary = selectors.case_safety_summary(case, user=worker)
    assert [s.name for s in summary["stages"]] == ["Plan agreed", "Closed"]
    assert summary["next_stage"].name == "Closed" and summary["stages_achieved"] == 1
    assert summary["review_overdue"] == (agreed_plan.next_review_on < datetime.date.today())


def test_summary_for_a_read_only_role(case):
    lead = factories.UserFactory(team=None, agency=case.agency, role=Role.PRACTICE_LEAD)
    assert selectors.case_safety_summary(case, user=lead)["may_record"] is False


def test_summary_queries_do_not_grow_with_the_network_or_versions(
    case, worker, agreed_plan, django_assert_max_num_queries
):
    for n in range(12):
        factories.NetworkMemberFactory(case=case, name=f"Person {n}", informed=n % 2 == 0)
    for n in range(8):
        factories.TrajectoryStageFactory(case=case, position=10 + n)
    services.safety_plan_start(actor=worker, case=case)
    with django_assert_max_num_queries(5):
        summary = selectors.case_safety_summary(case, user=worker)
        assert summary["network_size"] == 13


def test_network_page_queries_are_bounded(case, worker, django_assert_max_num_queries):
    child = case.members.get()
    for n in range(10):
        member = factories.NetworkMemberFactory(case=case, name=f"Person {n}")
        member.children.add(child)
    with django_assert_max_num_queries(4):
        members = selectors.network_members(case)
        assert all(len(m.children.all()) == 1 for m in members)
        assert all(list(m.status_changes.all()) == [] for m in members)


def test_plan_rules_queries_are_bounded(
    case, worker, draft_plan, danger, grandma, django_assert_max_num_queries
):
    from tests.safety.conftest import RULE

    for _ in range(6):
        services.safety_plan_rule_add(
            actor=worker, plan=draft_plan, danger_statements=[danger], members=[grandma], **RULE
        )
    with django_assert_max_num_queries(3):
        rules = selectors.safety_plan_rules(draft_plan)
        for rule in rules:
            for statement in rule.danger_statements.all():
                assert statement.safety_goal.what_will_be_seen
            assert [m.name for m in rule.members.all()] == ["Grandma Pat"]


def test_statements_offered_come_from_the_latest_map(case, worker, draft_plan, danger):
    assert selectors.danger_statements_for_plan(draft_plan) == [danger]
