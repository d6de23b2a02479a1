import datetime

import pytest

from agencies.models import Role
from learning import selectors, services
from people.services import case_restrict
from tests import factories

pytestmark = pytest.mark.django_db


def _first_of_month(day, back=0):
    index = day.year * 12 + day.month - 1 - back
    return datetime.date(index // 12, index % 12 + 1, 1)


def test_supervision_held_counts_sessions_and_workers_by_month(manager, worker, colleague, today):
    last_month = _first_of_month(today, 1)
    factories.SupervisionSessionFactory(facilitator=manager, attendees=[worker], held_on=today)
    factories.SupervisionSessionFactory(
        facilitator=manager, attendees=[worker, colleague], held_on=today, kind="group",
        case=factories.CaseFactory(team=worker.team),
    )  # fmt: skip
    factories.SupervisionSessionFactory(
        facilitator=manager, attendees=[colleague], held_on=last_month
    )
    # Another agency's sessions never count.
    factories.SupervisionSessionFactory(attendees=[factories.UserFactory()], held_on=today)
    rows = selectors.supervision_held(manager.agency_id)
    assert len(rows) == 12
    assert [row["month"] for row in rows] == [_first_of_month(today, b) for b in range(11, -1, -1)]
    assert rows[-1] == {"month": _first_of_month(today), "sessions": 2, "workers_supervised": 2}
    assert rows[-2] == {"month": last_month, "sessions": 1, "workers_supervised": 1}
    assert sum(row["sessions"] for row in rows) == 3


def test_supervision_held_for_one_team_counts_only_its_people(manager, worker, today):
    other_team = factories.TeamFactory(agency=manager.agency)
    outsider = factories.UserFactory(team=other_team)
    factories.SupervisionSessionFactory(facilitator=manager, attendees=[worker], held_on=today)
    factories.SupervisionSessionFactory(facilitator=manager, attendees=[outsider], held_on=today)
    mixed = factories.SupervisionSessionFactory(
        facilitator=manager, attendees=[worker, outsider], held_on=today, kind="group",
        case=factories.CaseFactory(team=worker.team),
    )  # fmt: skip
    assert mixed.attendees.count() == 2
    rows = selectors.supervision_held(manager.agency_id, team_id=worker.team_id, months=3)
    assert len(rows) == 3
    assert rows[-1]["sessions"] == 2 and rows[-1]["workers_supervised"] == 1


def test_supervision_held_by_team_is_each_teams_in_two_queries(
    manager, worker, today, django_assert_num_queries
):
    other_team = factories.TeamFactory(agency=manager.agency)
    quiet_team = factories.TeamFactory(agency=manager.agency)
    outsider = factories.UserFactory(team=other_team)
    factories.SupervisionSessionFactory(facilitator=manager, attendees=[worker], held_on=today)
    factories.SupervisionSessionFactory(
        facilitator=manager, attendees=[outsider], held_on=_first_of_month(today, 1)
    )
    factories.SupervisionSessionFactory(
        facilitator=manager, attendees=[worker, outsider], held_on=today, kind="group",
        case=factories.CaseFactory(team=worker.team),
    )  # fmt: skip
    teams = [worker.team_id, other_team.pk, quiet_team.pk]
    with django_assert_num_queries(2):
        by_team = selectors.supervision_held_by_team(manager.agency_id, team_ids=teams, months=3)
    for team_id in teams:
        one = selectors.supervision_held(manager.agency_id, team_id=team_id, months=3)
        assert by_team[team_id] == one
    assert by_team[other_team.pk][-2]["sessions"] == 1
    assert sum(row["sessions"] for row in by_team[quiet_team.pk]) == 0


def test_supervision_held_ignores_sessions_before_the_window(manager, worker, today):
    factories.SupervisionSessionFactory(
        facilitator=manager, attendees=[worker], held_on=_first_of_month(today, 12)
    )
    assert sum(r["sessions"] for r in selectors.supervision_held(manager.agency_id)) == 0


def test_gaps_show_workers_without_supervision_in_the_configured_days(
    manager, worker, colleague, today, settings, django_assert_max_num_queries
):
    factories.SupervisionSessionFactory(
        facilitator=manager, attendees=[worker], held_on=today - datetime.timedelta(days=10)
    )
    factories.SupervisionSessionFactory(
        facilitator=manager, attendees=[colleague], held_on=today - datetime.timedelta(days=40)
    )
    for _ in range(5):
        factories.UserFactory(team=worker.team)
    with django_assert_max_num_queries(3):
        rows = {w.pk: w for w in selectors.supervision_by_worker(manager)}
    assert len(rows) == 7
    assert not rows[worker.pk].in_gap and rows[worker.pk].days_since == 10
    assert rows[colleague.pk].in_gap and rows[colleague.pk].last_individual is not None
    settings.LEARNING_SUPERVISION_GAP_DAYS = 45
    rows = {w.pk: w for w in selectors.supervision_by_worker(manager)}
    assert not rows[colleague.pk].in_gap


def test_a_team_manager_sees_only_their_team(manager, worker):
    factories.UserFactory(team=factories.TeamFactory(agency=manager.agency))
    assert [w.pk for w in selectors.supervision_by_worker(manager)] == [worker.pk]


def test_open_actions_land_in_the_owners_worklist(
    session, manager, worker, colleague, today, django_assert_max_num_queries
):
    for days in (3, -2, 10):
        services.action_add(
            actor=manager, session=session, text=f"In {days} days", owner=worker,
            due_on=today + datetime.timedelta(days=days),
        )  # fmt: skip
    done = services.action_add(
        actor=manager, session=session, text="Done", owner=worker, due_on=today
    )
    services.action_mark_done(actor=worker, action=done, expected_revision=1, done_on=today)
    services.action_add(actor=manager, session=session, text="Hers", owner=colleague, due_on=today)
    with django_assert_max_num_queries(2):
        actions = selectors.open_actions_for(worker)
        assert [a.text for a in actions] == ["In -2 days", "In 3 days", "In 10 days"]
        assert [a.overdue for a in actions] == [True, False, False]
        assert all(a.case_visible for a in actions)


def test_a_restricted_case_does_not_leak_through_a_session(session, manager, colleague, worker):
    case_restrict(actor=manager, case=session.case, reason="Staff member's relative")
    # The manager restricted it and is on its access list; the worker is allocated (listed).
    mine = selectors.session_get_visible(colleague, session_id=session.pk)
    assert mine.case_visible is False
    assert selectors.session_get_visible(manager, session_id=session.pk).case_visible
    assert not selectors.may_start_session_map(colleague, session)


def test_only_people_in_the_session_see_it(session, team, lead):
    assert not selectors.sessions_visible_to(lead).exists()
    assert not selectors.sessions_visible_to(factories.UserFactory(team=team)).exists()
    outsider = factories.UserFactory(role=Role.TEAM_MANAGER)
    assert not selectors.sessions_visible_to(outsider).exists()


def test_the_library_searches_shared_accounts_only(
    inquiry, manager, worker, today, django_assert_max_num_queries
):
    services.inquiry_share(
        actor=manager, inquiry=inquiry, expected_revision=1, confirmed_anonymised=True
    )
    unshared = services.inquiry_record(
        actor=worker, workers=[worker], title="Scaling by text", theme="scaling",
        held_on=today, practice_examined="Texts", what_made_it_work="Weekly",
        what_others_can_take="Agree zero and ten", shared_text="A teenager scaled by text.",
    )  # fmt: skip
    reader = factories.UserFactory(team=None, agency=manager.agency, role=Role.ADMINISTRATOR)
    with django_assert_max_num_queries(1):
        assert [e.pk for e in selectors.library(reader)] == [inquiry.pk]
    assert [e.pk for e in selectors.library(reader, search="park worries")] == [inquiry.pk]
    assert not selectors.library(reader, search="park teenager").exists()
    assert not selectors.library(reader, theme="scaling").exists()
    assert selectors.library(reader, theme="three_houses").count() == 1
    assert unshared.pk not in {e.pk for e in selectors.library(reader, search="teenager")}
    assert not selectors.library(factories.UserFactory()).exists(), "another agency"


def test_private_inquiries_are_for_the_worker_their_manager_and_practice_leads(
    inquiry, worker, manager, lead, colleague
):
    for user in (worker, manager, lead):
        assert selectors.inquiries_visible_to(user).filter(pk=inquiry.pk).exists()
    assert not selectors.inquiries_visible_to(colleague).exists()
    other_lead = factories.UserFactory(role=Role.PRACTICE_LEAD)
    assert not selectors.inquiries_visible_to(other_lead).exists()


def test_the_case_page_panel_shows_sessions_and_open_actions(
    session, manager, worker, lead, today, django_assert_num_queries
):
    services.action_add(
        actor=manager, session=session, text="Talk to school", owner=worker, due_on=today
    )
    with django_assert_num_queries(1):  # whether each may be opened comes with the sessions
        assert [s.may_open for s in selectors.sessions_for_case(worker, session.case)] == [True]
    # A practice lead may read the case but was not in the session: the date, not the record.
    assert [s.may_open for s in selectors.sessions_for_case(lead, session.case)] == [False]
    assert [a.text for a in selectors.actions_for_case(lead, session.case)] == ["Talk to school"]
