"""The measures of practice through the API: the dashboard's figures for the acting user's
scope, the same refusals as the pages, and an audit event for each read."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agencies.models import Role
from api.models import Scope
from core.models import AuditEvent
from tests import factories
from tests.api.conftest import caller_for

pytestmark = pytest.mark.django_db
MONTH = "2026-03"


def open_case(team, worker, *, current_map=False):
    case = factories.CaseFactory(team=team, opened_on=datetime.date(2026, 1, 5))
    factories.AllocationFactory(case=case, worker=worker, started_on=case.opened_on)
    if current_map:
        factories.MapFactory(case=case, status="finalised", held_on=datetime.date(2026, 3, 1))
    return case


@pytest.fixture
def county(team, worker):
    """Our team: six open cases, two with a current map; a small team: two cases, one mapped;
    a case in another agency, mapped."""
    small = factories.TeamFactory(agency=team.agency, name="Small team")
    small_worker = factories.UserFactory(team=small)
    for index in range(6):
        open_case(team, worker, current_map=index < 2)
    for index in range(2):
        open_case(small, small_worker, current_map=index == 0)
    elsewhere = factories.TeamFactory()
    open_case(elsewhere, factories.UserFactory(team=elsewhere), current_map=True)
    leader = factories.UserFactory(team=None, agency=team.agency, role=Role.SENIOR_LEADER)
    return {"small": small, "leader": leader, "elsewhere": elsewhere}


def b01(body):
    return next(m for m in body["measures"] if m["code"] == "B01")


def test_a_leaders_system_reads_the_agency_by_team_as_the_dashboard_shows_it(county, team):
    caller = caller_for(county["leader"])
    response = caller.get("/measures", {"month": MONTH, "by": "team"})
    assert response.status_code == 200
    body = response.json()
    assert body["day"] == "2026-03-31" and body["by"] == "team" and body["team_id"] is None
    measure = b01(body)
    assert measure["value_is"] == "percent" and measure["kind"] == "breadth"
    # The other agency's mapped case is never counted.
    assert (measure["all"]["numerator"], measure["all"]["denominator"]) == (3, 8)
    assert measure["all"]["group"] == "all"
    ours, small = (
        next(g for g in measure["groups"] if g["label"] == name)
        for name in (team.name, "Small team")
    )
    assert ours["group"] == str(team.pk)
    assert (ours["numerator"], ours["denominator"], ours["value"]) == (2, 6, 33.3)
    assert small["suppressed"] and small["numerator"] is None and small["value"] is None
    event = AuditEvent.objects.get(verb="api.measures_read")
    assert event.actor == county["leader"]
    asked = {"count": 2, "day": "2026-03-31", "by": "team", "team": "All"}
    assert asked.items() <= event.changes.items()


def test_the_queries_do_not_grow_with_the_teams(county, team):
    caller = caller_for(county["leader"])
    caller.get("/measures")  # the agency's first audit event starts its chain: not counted
    with CaptureQueriesContext(connection) as two_teams:
        caller.get("/measures", {"month": MONTH, "by": "team"})
    for index in range(5):
        more = factories.TeamFactory(agency=team.agency, name=f"Team {index}")
        open_case(more, factories.UserFactory(team=more), current_map=True)
    with CaptureQueriesContext(connection) as seven_teams:
        body = caller.get("/measures", {"month": MONTH, "by": "team"}).json()
    assert len(b01(body)["groups"]) == 7
    assert len(seven_teams) == len(two_teams) <= 20


def test_the_groups_come_a_page_at_a_time_beside_the_figure_for_all(county, team):
    caller = caller_for(county["leader"])
    first = caller.get("/measures", {"month": MONTH, "by": "team", "limit": 1}).json()
    assert (first["count"], first["limit"], first["offset"], first["next_offset"]) == (2, 1, 0, 1)
    alphabetical = sorted([team.name, "Small team"])
    assert [g["label"] for g in b01(first)["groups"]] == alphabetical[:1]
    last = caller.get("/measures", {"month": MONTH, "by": "team", "limit": 1, "offset": 1}).json()
    assert [g["label"] for g in b01(last)["groups"]] == alphabetical[1:]
    assert last["next_offset"] is None
    assert b01(first)["all"] == b01(last)["all"]  # every page, the same figure for all


def test_a_leader_narrows_to_one_team_and_a_worker_sees_their_caseload(county, team, worker):
    body = (
        caller_for(county["leader"])
        .get("/measures", {"month": MONTH, "by": "worker", "team": team.pk})
        .json()
    )
    assert body["team_id"] == team.pk and body["scope"] == team.name
    assert (b01(body)["all"]["numerator"], b01(body)["all"]["denominator"]) == (2, 6)
    assert [g["label"] for g in b01(body)["groups"]] == [worker.get_full_name()]
    own = caller_for(worker).get("/measures", {"month": MONTH}).json()
    assert own["by"] == "worker" and own["scope"] == "Your caseload"
    assert b01(own)["all"]["denominator"] == 6


@pytest.mark.parametrize(
    ("role", "params", "status"),
    [
        (Role.SOCIAL_WORKER, {"by": "team"}, 422),  # a worker sees their own caseload only
        (Role.TEAM_MANAGER, {"team": "small"}, 422),  # a manager's team is their own
        (Role.SENIOR_LEADER, {"team": "elsewhere"}, 422),  # another agency's team
        (Role.SENIOR_LEADER, {"month": "March"}, 422),
        (Role.CONFERENCE_CHAIR, {}, 403),  # no dashboard on the pages either
        (Role.ADMINISTRATOR, {}, 403),
    ],
)
def test_what_the_pages_refuse_the_api_refuses(county, team, role, params, status):
    in_team = role in {Role.SOCIAL_WORKER, Role.TEAM_MANAGER}
    user = factories.UserFactory(team=team if in_team else None, agency=team.agency, role=role)
    params = {k: county[v].pk if v in county else v for k, v in params.items()}
    response = caller_for(user).get("/measures", params)
    assert response.status_code == status, response.content
    assert not AuditEvent.objects.filter(verb="api.measures_read").exists()


def test_a_client_without_the_scope_is_refused(county):
    caller = caller_for(county["leader"], scopes=[Scope.CASES_READ])
    response = caller.get("/measures")
    assert response.status_code == 403
    assert "measures:read" in response.json()["error"]["message"]
