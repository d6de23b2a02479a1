import datetime

import pytest

from agencies.models import Role
from people.models import Case
from people.services import case_restrict
from tests import factories
from timescales import selectors

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = D(2026, 3, 4)  # a Wednesday


def deadline(case, due_on, **kwargs):
    return factories.DeadlineFactory(case=case, due_on=due_on, **kwargs)


def allocated_case(team, worker, **kwargs):
    case = factories.CaseFactory(team=team, **kwargs)
    factories.AllocationFactory(case=case, worker=worker)
    return case


def test_my_work_lists_overdue_due_soon_and_recently_done(case, worker):
    overdue = deadline(case, D(2026, 3, 2))
    due_today = deadline(case, TODAY)
    due_in_a_week = deadline(case, D(2026, 3, 11))
    deadline(case, D(2026, 3, 12))  # beyond the next 7 days
    done = deadline(case, D(2026, 3, 1), status="met", met_on=D(2026, 2, 20))
    deadline(case, D(2026, 2, 1), status="met", met_on=D(2026, 2, 17))  # more than 14 days ago
    deadline(case, D(2026, 3, 1), status="withdrawn")
    work = selectors.my_work(worker, today=TODAY)
    assert work["overdue"] == [overdue]
    assert work["due_soon"] == [due_today, due_in_a_week]
    assert work["recently_met"] == [done]
    assert work["counts"] == {"overdue": 1, "due_soon": 2, "recently_met": 1}
    assert overdue.__class__  # decorated copies carry what the page shows
    item = work["overdue"][0]
    assert item.overdue and item.working_days_late == 2
    assert item.action_url == f"/cases/{case.pk}/process/#step-{item.kind}"
    assert work["due_soon"][1].working_days_left == 5


def test_my_work_is_only_my_allocated_cases(case, worker, team):
    colleague = factories.UserFactory(team=team, role=Role.SOCIAL_WORKER)
    theirs = allocated_case(team, colleague)
    deadline(theirs, TODAY)
    unallocated = factories.CaseFactory(team=team)
    deadline(unallocated, TODAY)
    handed_on = allocated_case(team, worker)
    handed_on.allocations.update(ended_on=D(2026, 2, 1))
    deadline(handed_on, TODAY)
    elsewhere = factories.DeadlineFactory(due_on=TODAY)  # another agency
    mine = deadline(case, TODAY)
    assert selectors.my_work(worker, today=TODAY)["due_soon"] == [mine]
    assert elsewhere.agency_id != worker.agency_id


def test_my_work_leaves_out_closed_restricted_and_deleted_cases(case, worker, team, manager):
    closed = allocated_case(team, worker, status=Case.Status.CLOSED, closed_on=TODAY)
    deadline(closed, TODAY)
    deleted = allocated_case(team, worker)
    Case.objects.filter(pk=deleted.pk).update(deleted_at="2026-03-01T00:00:00Z")
    deadline(deleted, TODAY)
    restricted = allocated_case(team, worker)
    deadline(restricted, TODAY)
    case_restrict(actor=manager, case=restricted, reason="A relative of a member of staff")
    restricted.access_grants.all().delete()
    assert selectors.my_work(worker, today=TODAY)["due_soon"] == []


@pytest.mark.parametrize("size", [2, 20])
def test_my_work_takes_a_fixed_number_of_queries(team, worker, size, django_assert_max_num_queries):
    for _ in range(size):
        case = allocated_case(team, worker)
        child = factories.PersonFactory(agency=case.agency)
        deadline(case, D(2026, 3, 2), child=child)
        deadline(case, D(2026, 3, 6))
        deadline(case, D(2026, 3, 1), status="met", met_on=D(2026, 3, 1))
    with django_assert_max_num_queries(4):  # the cases, the calendar, due and met deadlines
        work = selectors.my_work(worker, today=TODAY)
        for item in work["overdue"] + work["due_soon"] + work["recently_met"]:
            str(item.case.name), str(item.child)
    assert work["counts"] == {"overdue": size, "due_soon": size, "recently_met": size}


def test_team_work_shows_the_teams_deadlines_breaches_and_unallocated_cases(
    case, worker, manager, team
):
    first = deadline(case, D(2026, 3, 2))
    later = deadline(case, D(2026, 4, 20))
    other_team = factories.TeamFactory(agency=case.agency)
    deadline(factories.CaseFactory(team=other_team), D(2026, 3, 1))
    nobodys = factories.CaseFactory(team=team, name="Unheld family")
    nobodys_deadline = deadline(nobodys, D(2026, 3, 5))
    factories.CaseFactory(team=team, status=Case.Status.CLOSED, closed_on=TODAY)
    work = selectors.team_work(manager, today=TODAY)
    assert work["deadlines"] == [first, nobodys_deadline, later]
    assert [(b["case"], b["deadlines"]) for b in work["breaching"]] == [(case, [first])]
    assert work["unallocated"] == [nobodys]
    assert work["counts"] == {
        "open": 3,
        "overdue": 1,
        "due_soon": 1,
        "breaching_cases": 1,
        "unallocated": 1,
    }
    assert [a.worker for a in work["deadlines"][0].case.current_allocations] == [worker]


def test_team_work_puts_the_next_four_weeks_first(case, manager):
    soon = deadline(case, D(2026, 3, 31))
    later = deadline(case, D(2026, 4, 2))
    work = selectors.team_work(manager, today=TODAY)
    assert work["upcoming"] == [soon] and work["later"] == [later]
    assert work["counts"]["open"] == 2


def test_team_work_is_for_team_managers_only(worker):
    assert not selectors.may_see_team_work(worker)
    with pytest.raises(Exception, match="No team"):
        selectors.team_work(worker, today=TODAY)


@pytest.mark.parametrize("size", [2, 20])
def test_team_work_takes_a_fixed_number_of_queries(
    team, manager, size, django_assert_max_num_queries
):
    for n in range(size):
        worker = factories.UserFactory(team=team)
        case = allocated_case(team, worker)
        deadline(case, D(2026, 3, 2), child=factories.PersonFactory(agency=case.agency))
        deadline(case, D(2026, 3, 9 + n % 5))
        factories.CaseFactory(team=team)  # unallocated
    with django_assert_max_num_queries(5):
        work = selectors.team_work(manager, today=TODAY)
        for item in work["deadlines"]:
            (
                str(item.case.name),
                str(item.child),
                [str(a.worker) for a in item.case.current_allocations],
            )
        [str(c.name) for c in work["unallocated"]]
    assert work["counts"]["breaching_cases"] == size
    assert work["counts"]["unallocated"] == size


def test_case_summary_shows_next_due_and_overdue_with_reasons(case, worker):
    overdue = deadline(
        case,
        D(2026, 3, 2),
        overdue_reason="Family away",
        overdue_reason_by=worker,
        overdue_reason_at="2026-03-03T10:00:00Z",
    )
    upcoming = [deadline(case, D(2026, 3, 10) + datetime.timedelta(days=n)) for n in range(7)]
    deadline(case, D(2026, 3, 1), status="met", met_on=D(2026, 3, 1))
    summary = selectors.case_deadlines_summary(case, user=worker, today=TODAY)
    assert summary["overdue"] == [overdue]
    assert summary["overdue"][0].overdue_reason == "Family away"
    assert summary["next_due"] == upcoming[:5]
    assert summary["more_due"] == 2
    assert summary["may_record"] is True
    reader = factories.UserFactory(team=None, agency=case.agency, role=Role.PRACTICE_LEAD)
    assert selectors.case_deadlines_summary(case, user=reader, today=TODAY)["may_record"] is False
