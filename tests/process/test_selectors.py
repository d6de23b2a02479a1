"""The case page's process panel: stage, next steps and approvals, in a fixed number of queries."""

import pytest
from django.template.loader import render_to_string

from process import selectors
from tests import factories
from tests.factories import process_to

pytestmark = pytest.mark.django_db


def _steps(summary):
    return {step.kind: step for step in summary["steps"]}


def test_a_new_case_asks_for_a_referral(worker, case, child):
    summary = selectors.case_process_summary(case, user=worker)
    assert summary["stages"] == [(child, "No referral yet")]
    assert list(_steps(summary)) == ["referral"]


def test_the_steps_follow_the_process(worker, case, child):
    process_to("referral", actor=worker, case=case, child=child)
    assert "referral_decision" in _steps(selectors.case_process_summary(case, user=worker))


@pytest.mark.parametrize(
    ("stage", "expected_step", "expected_stage"),
    [
        ("referral_decided", "assessment", "Referral"),
        ("strategy", "s47", "Assessment"),
        ("s47", "initial_conference", "Section 47 enquiry"),
        ("conference", "conference_decision", "Child protection conference"),
        ("conference_decided", "cp_plan", "Child protection conference"),
        ("cp_plan", "first_core_group", "Child protection plan"),
        ("core_group", "review_conference", "Child protection plan"),
        ("core_group", "cp_visit", "Child protection plan"),
        ("plan_ended", "closure", "Episode finished"),
    ],
)
def test_stage_and_next_step(worker, case, child, stage, expected_step, expected_stage):
    process_to(stage, actor=worker, case=case, child=child)
    summary = selectors.case_process_summary(case, user=worker)
    assert expected_step in _steps(summary)
    if stage != "referral_decided":
        assert summary["stages"][0][1] == expected_stage


def test_the_plan_step_links_to_a_form_prefilled_from_the_conference(worker, case, child):
    done = process_to("conference_decided", actor=worker, case=case, child=child)
    step = _steps(selectors.case_process_summary(case, user=worker))["cp_plan"]
    assert step.items[0][1].endswith(f"?conference={done['conference'].pk}")


def test_open_approvals_show_until_approved(worker, manager, case, child):
    from process import services

    plan = process_to("cp_plan", actor=worker, case=case, child=child)["cp_plan"]
    approval = plan.approvals.get()
    assert selectors.case_process_summary(case, user=worker)["approvals"] == [approval]
    assert selectors.approvals_awaiting(manager) == [approval]
    assert selectors.approvals_awaiting(worker) == []
    services.approval_approve(actor=manager, approval=approval)
    assert selectors.case_process_summary(case, user=worker)["approvals"] == []


def test_a_case_with_nothing_to_approve_does_not_look_for_approvals(
    worker, case, child, django_assert_num_queries
):
    process_to("referral", actor=worker, case=case, child=child)
    # Which kinds the case has, then its referrals: no approvals to look for.
    with django_assert_num_queries(2):
        assert (
            selectors.case_process_summary(
                case, user=worker, may_record=True, may_approve=False, children=[child]
            )["approvals"]
            == []
        )


def test_a_waiting_approval_names_its_child_without_reading_again(
    worker, case, child, django_assert_num_queries
):
    process_to("cp_plan", actor=worker, case=case, child=child)
    summary = selectors.case_process_summary(case, user=worker)
    with django_assert_num_queries(0):
        (approval,) = summary["approvals"]
        assert approval.record.child.display_name == child.display_name
        assert approval.record in summary["records"]["cp_plans"]


def test_the_records_are_read_only_for_the_kinds_the_case_has(
    worker, case, child, django_assert_num_queries
):
    with django_assert_num_queries(1):  # which kinds the case has: none yet
        assert not any(selectors.case_process_records(case).values())
    process_to("cp_plan", actor=worker, case=case, child=child)
    records = selectors.case_process_records(case)
    kinds = [kind for kind, found in records.items() if found]
    assert {"referrals", "assessments", "enquiries", "conferences", "cp_plans"} <= set(kinds)
    with django_assert_num_queries(1 + len(kinds)):
        selectors.case_process_records(case)
    # The same records as the batch read, which reads every kind.
    every_kind = selectors.cases_process_records([case.pk])[case.pk]
    assert {kind: [r.pk for r in found] for kind, found in records.items()} == {
        kind: [r.pk for r in found] for kind, found in every_kind.items()
    }


def test_another_teams_manager_sees_none_of_these_approvals(worker, case, child):
    process_to("cp_plan", actor=worker, case=case, child=child)
    other = factories.UserFactory(role="team_manager")
    assert selectors.approvals_awaiting(other) == []


def test_the_case_section_takes_a_fixed_number_of_queries(
    rf, worker, case, child, django_assert_max_num_queries
):
    """Read and rendered: at most one query per kind of record, whatever the history's length."""
    request = rf.get("/")
    request.user = worker

    def render():
        summary = selectors.case_process_summary(case, user=worker)
        return render_to_string(
            "process/_case_section.html", {"case": case, "process": summary}, request=request
        )

    process_to("plan_ended", actor=worker, case=case, child=child)
    with django_assert_max_num_queries(16):
        render()
    sibling = factories.PersonFactory(agency=case.agency, given_name="Mia")
    factories.CaseMemberFactory(case=case, person=sibling)
    process_to("cp_plan", actor=worker, case=case, child=sibling)
    with django_assert_max_num_queries(16):
        html = render()
    assert "Mia Testington" in html


def test_the_process_page_takes_a_fixed_number_of_queries(
    worker, case, child, django_assert_max_num_queries
):
    process_to("plan_ended", actor=worker, case=case, child=child)
    with django_assert_max_num_queries(16):
        small = selectors.case_process_page(case, user=worker)
    sibling = factories.PersonFactory(agency=case.agency, given_name="Mia")
    factories.CaseMemberFactory(case=case, person=sibling)
    process_to("cp_plan", actor=worker, case=case, child=sibling)
    with django_assert_max_num_queries(16):
        big = selectors.case_process_page(case, user=worker)
    assert len(big["timeline"]) > len(small["timeline"])
