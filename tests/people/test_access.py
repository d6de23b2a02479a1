"""Who can open, record on and manage which case: every role against every kind of case."""

import pytest

from agencies.models import Role
from people.selectors import case_get_visible, case_list_visible_to, case_user_may
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    agency = factories.AgencyFactory()
    team_a = factories.TeamFactory(agency=agency)
    team_b = factories.TeamFactory(agency=agency)
    worker_a = factories.UserFactory(team=team_a)
    other_worker_a = factories.UserFactory(team=team_a)
    worker_b = factories.UserFactory(team=team_b)
    own = factories.CaseFactory(team=team_a)
    factories.AllocationFactory(case=own, worker=worker_a)
    teammates = factories.CaseFactory(team=team_a)
    factories.AllocationFactory(case=teammates, worker=other_worker_a)
    other_team = factories.CaseFactory(team=team_b)
    factories.AllocationFactory(case=other_team, worker=worker_b)
    foreign = factories.CaseFactory()  # another agency entirely
    users = {
        "worker": worker_a,
        "manager": factories.UserFactory(team=team_a, role=Role.TEAM_MANAGER),
        "other_manager": factories.UserFactory(team=team_b, role=Role.TEAM_MANAGER),
        "chair": factories.UserFactory(team=None, agency=agency, role=Role.CONFERENCE_CHAIR),
        "practice_lead": factories.UserFactory(team=None, agency=agency, role=Role.PRACTICE_LEAD),
        "senior_leader": factories.UserFactory(team=None, agency=agency, role=Role.SENIOR_LEADER),
        "analyst": factories.UserFactory(team=None, agency=agency, role=Role.PERFORMANCE_ANALYST),
        "administrator": factories.UserFactory(team=None, agency=agency, role=Role.ADMINISTRATOR),
    }
    cases = {"own": own, "teammates": teammates, "other_team": other_team, "foreign": foreign}
    return users, cases


# (user, case) -> (may open, may record, may manage)
EXPECTED = {
    "worker": {"own": "rw-", "teammates": "rw-", "other_team": "---", "foreign": "---"},
    "manager": {"own": "rwm", "teammates": "rwm", "other_team": "---", "foreign": "---"},
    "other_manager": {"own": "---", "teammates": "---", "other_team": "rwm", "foreign": "---"},
    "chair": {"own": "rw-", "teammates": "rw-", "other_team": "rw-", "foreign": "---"},
    "practice_lead": {"own": "r--", "teammates": "r--", "other_team": "r--", "foreign": "---"},
    "senior_leader": {"own": "r--", "teammates": "r--", "other_team": "r--", "foreign": "---"},
    "analyst": {"own": "r--", "teammates": "r--", "other_team": "r--", "foreign": "---"},
    "administrator": {"own": "---", "teammates": "---", "other_team": "---", "foreign": "---"},
}


@pytest.mark.parametrize("user_key", EXPECTED)
def test_each_role_reaches_exactly_the_cases_it_should(world, user_key):
    users, cases = world
    user = users[user_key]
    listed = set(case_list_visible_to(user, status=""))
    for case_key, expected in EXPECTED[user_key].items():
        case = cases[case_key]
        actual = (
            ("r" if user.has_perm("people.view_case", case) else "-")
            + ("w" if user.has_perm("people.record_on_case", case) else "-")
            + ("m" if user.has_perm("people.manage_case", case) else "-")
        )
        assert actual == expected, f"{user_key} on {case_key}"
        assert (case in listed) == (expected[0] == "r"), f"{user_key} list vs {case_key}"


@pytest.mark.parametrize("user_key", EXPECTED)
def test_permissions_read_with_the_case_agree_with_the_rules(
    world, user_key, django_assert_num_queries
):
    """The case page reads what the person may do in the query that fetches the case; it must
    answer exactly as the rules do, for every role and every case it can open."""
    users, cases = world
    user = users[user_key]
    for case_key, expected in EXPECTED[user_key].items():
        if expected[0] != "r":
            continue
        with django_assert_num_queries(1):
            case = case_get_visible(user, case_id=cases[case_key].pk)
            read_with_case = case_user_may(user, case)
        asked = case_user_may(user, cases[case_key])
        assert read_with_case == asked, f"{user_key} on {case_key}"
        assert read_with_case["record"] == (expected[1] == "w")
        assert read_with_case["manage"] == (expected[2] == "m")


def test_permissions_read_for_one_person_are_not_reused_for_another(world):
    users, cases = world
    case = case_get_visible(users["manager"], case_id=cases["own"].pk)
    assert case_user_may(users["manager"], case)["manage"]
    assert not case_user_may(users["senior_leader"], case)["manage"]


def test_worker_keeps_a_case_allocated_to_them_in_another_team(world):
    users, cases = world
    other_team = cases["other_team"]
    other_team.allocations.update(ended_on=other_team.opened_on)
    factories.AllocationFactory(
        case=other_team, worker=users["worker"], started_on=other_team.opened_on
    )
    assert users["worker"].has_perm("people.view_case", cases["other_team"])


def test_inactive_and_anonymous_users_see_nothing(world):
    from django.contrib.auth.models import AnonymousUser

    users, cases = world
    users["chair"].is_active = False
    assert not list(case_list_visible_to(users["chair"], status=""))
    assert not list(case_list_visible_to(AnonymousUser(), status=""))


def test_a_role_that_may_not_act_is_answered_without_asking_the_database(
    world, django_assert_num_queries
):
    users, cases = world
    with django_assert_num_queries(0):
        assert not users["senior_leader"].has_perm("people.manage_case", cases["own"])
        assert not users["practice_lead"].has_perm("people.record_on_case", cases["own"])
