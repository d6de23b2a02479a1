"""A team manager records a group supervision in a real browser: the worker presents a case,
the group's map is started from the session, and an action lands in the worker's worklist;
with axe-core checks on each page."""

import datetime

import pytest
from playwright.sync_api import expect

from agencies.models import Role
from tests import factories
from tests.browser.test_map_journey import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, live_server, username):
    page.goto(f"{live_server.url}/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("link", name="My work")).to_be_visible()


@pytest.fixture
def team_and_case():
    team = factories.TeamFactory(name="Riverside assessment team")
    worker = factories.UserFactory(
        username="sam", first_name="Sam", last_name="Reid", team=team, role=Role.SOCIAL_WORKER
    )
    factories.UserFactory(
        username="ruth", first_name="Ruth", last_name="Ode", team=team, role=Role.SOCIAL_WORKER
    )
    factories.UserFactory(
        username="kate", first_name="Kate", last_name="Brennan", team=team,
        role=Role.TEAM_MANAGER,
    )  # fmt: skip
    case = factories.CaseFactory(team=team, name="Testington family")
    factories.AllocationFactory(case=case, worker=worker)
    return worker, case


def test_a_supervisor_records_a_group_supervision_with_a_map_and_an_action(
    page, live_server, team_and_case
):
    # A generous wait: this journey makes many round trips on a shared, busy test machine.
    page.set_default_timeout(60_000)
    sign_in(page, live_server, "kate")
    page.goto(f"{live_server.url}/supervision/")
    expect(page.get_by_role("heading", level=1, name="Supervision")).to_be_visible()
    assert_accessible(page, "supervision list")
    page.get_by_role("link", name="Record a session").click()
    assert_accessible(page, "record a session")
    page.get_by_label("Group supervision").check()
    page.get_by_label("Date held").fill(datetime.date.today().isoformat())
    _, case = team_and_case
    page.get_by_label("The case presented").select_option(label=f"{case.name} ({case.reference})")
    page.get_by_label("The presenting worker").select_option(label="Sam Reid (Social worker)")
    page.get_by_label("Ruth Ode (Social worker, Riverside assessment team)").check()
    page.get_by_label("What the worker wants from the session").fill("Is it safe enough to close?")
    page.get_by_role("button", name="Record the session").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Group supervision on")
    expect(page.get_by_role("link", name="Testington family")).to_be_visible()
    assert_accessible(page, "the session")
    session_url = page.url

    # The group maps the case: the session's map is one of the case's maps.
    page.get_by_role("button", name="Start the session's map").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Map 1")
    page.goto(session_url)
    expect(page.get_by_role("link", name="Map 1 for Testington family")).to_be_visible()

    # Questions, reflections and an action for the presenting worker.
    page.get_by_role("link", name="Record questions and reflections").click()
    page.get_by_label("Questions the group asked").fill("What would Leo say?\nWho else knows?")
    page.get_by_label("Reflections and learning").fill("The group scaled higher than Sam.")
    page.get_by_role("button", name="Save the session").click()
    expect(page.get_by_text("What would Leo say?")).to_be_visible()
    actions = page.locator("#actions")
    actions.get_by_label("What will be done").fill("Ask Nan to the next network meeting")
    actions.get_by_label("Who will do it").select_option(label="Sam Reid (Social worker)")
    due = datetime.date.today() + datetime.timedelta(days=7)
    actions.get_by_label("By when").fill(due.isoformat())
    actions.get_by_role("button", name="Add the action").click()
    expect(
        page.get_by_role("cell", name="Ask Nan to the next network meeting", exact=True)
    ).to_be_visible()
    assert_accessible(page, "the session with its map and action")

    # The action is in Sam's worklist.
    page.context.clear_cookies()
    sign_in(page, live_server, "sam")
    page.goto(f"{live_server.url}/my-work/")
    section = page.locator("#supervision-actions")
    expect(section.get_by_text("Ask Nan to the next network meeting", exact=True)).to_be_visible()
    assert_accessible(page, "my work with an action from supervision")
    section.get_by_role("button", name="Mark done").click()
    expect(page.locator("#supervision-actions")).to_have_count(0)
