"""A team manager and a senior leader read the measures in a real browser, with axe checks."""

import datetime

import pytest
from playwright.sync_api import expect

from agencies.models import Role
from tests import factories
from tests.browser.test_map_journey import assert_accessible, download

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
MONTH = "2026-03"


def sign_in(page, live_server, username):
    page.goto(f"{live_server.url}/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign in")).to_have_count(0)


@pytest.fixture
def agency():
    team = factories.TeamFactory(name="Riverside team")
    factories.UserFactory(
        username="kate", first_name="Kate", last_name="Moss", team=team, role=Role.TEAM_MANAGER
    )
    worker = factories.UserFactory(first_name="Sam", last_name="Reid", team=team)
    factories.UserFactory(username="priya", team=None, agency=team.agency, role=Role.SENIOR_LEADER)
    for index in range(6):
        case = factories.CaseFactory(team=team, name=f"Family {index}")
        factories.AllocationFactory(case=case, worker=worker, started_on=case.opened_on)
        if index < 4:
            factories.MapFactory(case=case, status="finalised", held_on=datetime.date(2026, 3, 2))
    return team


def test_a_manager_reads_drills_down_and_downloads(page, live_server, agency):
    sign_in(page, live_server, "kate")
    page.goto(f"{live_server.url}/measures/?month={MONTH}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Riverside team")
    assert_accessible(page, "measures dashboard")
    page.get_by_role("link", name="Current map, Riverside team: cases behind the figure").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("B01 Current map")
    expect(page.get_by_role("link", name="Family 0")).to_be_visible()
    assert_accessible(page, "cases behind a figure")
    csv_text = download(page, "CSV").decode()
    assert "Family 0" in csv_text
    page.get_by_role("link", name="Definition of Current map").click()
    expect(page.get_by_text("Which direction is good")).to_be_visible()
    assert_accessible(page, "definition")


def test_a_senior_leader_reads_trends_without_javascript(page_without_js, live_server, agency):
    page = page_without_js
    sign_in(page, live_server, "priya")
    page.goto(f"{live_server.url}/measures/")
    page.get_by_label("Month").fill(MONTH)
    page.get_by_label("Show by").select_option("team")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("columnheader", name="Riverside team")).to_be_visible()
    # The leader looks at one team's workers, and the team stays chosen on the trends.
    page.get_by_label("Team", exact=True).select_option(label="Riverside team")
    page.get_by_label("Show by").select_option("worker")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Measures of practice: Riverside team"
    )
    expect(page.get_by_role("columnheader", name="Sam Reid")).to_be_visible()
    page.get_by_role("link", name="Trends").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Measures over time: Riverside team")
    expect(page.get_by_label("Team", exact=True)).to_have_value(str(agency.pk))
    expect(page.get_by_role("heading", name="B01 Current map")).to_be_visible()
    expect(page.get_by_role("table", name="B01 by month")).to_be_visible()
    # Seen again, the finished months are those kept; the leader has them counted again.
    page.reload()
    expect(page.get_by_text("are as they were counted at")).to_be_visible()
    page.get_by_role("button", name="Count the finished months again now").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Measures over time: Riverside team")
    expect(page.get_by_text("are as they were counted at")).to_have_count(0)


def test_trends_and_catalogue_are_accessible(page, live_server, agency):
    sign_in(page, live_server, "priya")
    page.goto(f"{live_server.url}/measures/trends/?month={MONTH}")
    expect(page.get_by_role("heading", name="B01 Current map")).to_be_visible()
    page.reload()  # with the finished months kept, and the button to count them again
    expect(page.get_by_role("button", name="Count the finished months again now")).to_be_visible()
    assert_accessible(page, "trends")
    page.get_by_role("link", name="What each measure means").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("What each measure means")
    assert_accessible(page, "catalogue")


def test_a_leaders_trends_counted_in_the_background_appear_by_themselves(
    shared_cache, settings, page, live_server, agency
):
    from django_tasks_db.models import DBTaskResult

    settings.THREEFOLD_MEASURES_COUNT_IN_BACKGROUND_FROM = 6  # the agency's six open cases
    sign_in(page, live_server, "priya")
    page.goto(f"{live_server.url}/measures/trends/?month={MONTH}")
    expect(page.get_by_role("heading", name="Counting the finished months")).to_be_visible()
    assert_accessible(page, "trends being counted")
    # The background worker counts them; the page, asking every few seconds, shows them.
    waiting = DBTaskResult.objects.get()
    waiting.task_result.task.call(*waiting.args_kwargs["args"])
    expect(page.get_by_role("heading", name="B01 Current map")).to_be_visible(timeout=15_000)
    expect(page.get_by_role("heading", name="Counting the finished months")).to_have_count(0)


def test_a_background_count_that_fails_says_so_and_can_be_tried_again(
    shared_cache, settings, monkeypatch, page, live_server, agency
):
    from django_tasks_db.models import DBTaskResult

    from measures import selectors

    settings.THREEFOLD_MEASURES_COUNT_IN_BACKGROUND_FROM = 6
    sign_in(page, live_server, "priya")
    page.goto(f"{live_server.url}/measures/trends/?month={MONTH}")
    expect(page.get_by_role("heading", name="Counting the finished months")).to_be_visible()
    waiting = DBTaskResult.objects.get()
    with monkeypatch.context() as patched:
        patched.setattr(selectors, "trends", lambda *args, **kwargs: 1 / 0)
        with pytest.raises(ZeroDivisionError):
            waiting.task_result.task.call(*waiting.args_kwargs["args"])
    waiting.delete()
    # The page, asking every few seconds, says so by itself, and stops asking.
    failed = page.get_by_role("heading", name="The finished months could not be counted")
    expect(failed).to_be_visible(timeout=15_000)
    assert_accessible(page, "trends whose count failed")
    page.get_by_role("button", name="Try counting them again").click()
    expect(page.get_by_role("heading", name="Counting the finished months")).to_be_visible()
    assert DBTaskResult.objects.count() == 1


def test_a_senior_leader_pages_through_a_county_of_teams(page, live_server, agency):
    for index in range(11):
        team = factories.TeamFactory(agency=agency.agency, name=f"Team {index:02d}")
        factories.CaseFactory(team=team, name=f"Family of team {index}")
    sign_in(page, live_server, "priya")
    page.goto(f"{live_server.url}/measures/?month={MONTH}&by=team")
    expect(page.get_by_text("Showing teams 1 to 10 of 12")).to_be_visible()
    expect(page.get_by_role("columnheader", name="Riverside team")).to_be_visible()
    expect(page.get_by_role("columnheader", name="Team 10")).to_have_count(0)
    assert_accessible(page, "measures dashboard, a page of teams")
    page.get_by_role("navigation", name="Pages of teams").get_by_role("link", name="Next").click()
    expect(page.get_by_text("Showing teams 11 to 12 of 12")).to_be_visible()
    expect(page.get_by_role("columnheader", name="Team 10")).to_be_visible()
    expect(page.get_by_role("columnheader", name="Riverside team")).to_have_count(0)
    expect(page.get_by_role("columnheader", name="All")).to_be_visible()
