"""A parent answers the family survey on a phone (a page with no script); a practice lead reads
the results on a desktop. Both with axe-core checks."""

import pytest
from playwright.sync_api import expect

from agencies.models import Role
from people.models import Person
from surveys import services
from tests import factories
from tests.browser.test_map_journey import assert_accessible
from tests.browser.test_measures import sign_in
from tests.surveys.conftest import answers_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 375, "height": 740}


@pytest.fixture
def world(settings):
    settings.THREEFOLD_MEASURES_SUPPRESS_BELOW = 2
    team = factories.TeamFactory(name="Riverside team")
    lead = factories.UserFactory(
        username="olu", first_name="Olu", team=None, agency=team.agency, role=Role.PRACTICE_LEAD
    )
    worker = factories.UserFactory(first_name="Sam", last_name="Reid", team=team)
    case = factories.CaseFactory(team=team, name="Testington family")
    parent = factories.PersonFactory(agency=team.agency, kind=Person.Kind.ADULT, given_name="Jade")
    factories.CaseMemberFactory(case=case, person=parent)
    family = factories.make_survey(actor=lead, kind="family", title="How was it for you?")
    _invitation, token = services.survey_family_invite(
        actor=worker, survey=family, case=case, person=parent, link_for=str
    )
    staff = factories.make_survey(actor=lead, kind="staff", title="Staff survey")
    for user, text in [(worker, "Supervision helps"), (lead, "Caseloads are high")]:
        services.survey_response_submit(
            invitation=staff.invitations.get(user=user),
            answers=answers_for(staff, text=text),
            through="staff",
        )
    return {"token": token, "staff": staff}


def test_a_parent_answers_on_a_phone(browser, live_server, world):
    # Scripts stay on so axe can run; the page itself has none (tests/surveys/test_views.py).
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(f"{live_server.url}/survey/{world['token']}/")
    expect(page.get_by_role("heading", level=1, name="How was it for you?")).to_be_visible()
    assert_accessible(page, "family survey on a phone")
    listened = page.get_by_role("group", name="I felt listened to")
    listened.get_by_label("Mostly").check()
    page.get_by_role("group", name="How much better are things now?").get_by_label("7").check()
    page.get_by_label("What has been good?").fill("She listened to me.")
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_role("heading", level=1, name="Thank you")).to_be_visible()
    assert_accessible(page, "thank-you page on a phone")
    page.goto(f"{live_server.url}/survey/{world['token']}/")
    expect(page.get_by_text("You have already answered this survey")).to_be_visible()
    context.close()


def test_a_practice_lead_reads_the_results_on_a_desktop(page, live_server, world):
    page.set_default_timeout(60_000)  # The shared test machine can be slow to serve.
    sign_in(page, live_server, "olu")
    page.goto(f"{live_server.url}/surveys/")
    assert_accessible(page, "survey list")
    page.get_by_role("link", name="Results of Staff survey").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Results: Staff survey")
    working_well = page.locator(".map-column--working_well")
    expect(working_well.get_by_text("Supervision helps", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="What needs to happen", exact=True)).to_be_visible()
    assert_accessible(page, "survey results")
    page.get_by_role("link", name="Staff survey over time").click()
    expect(page.get_by_role("heading", level=1, name="Staff survey over time")).to_be_visible()
    assert_accessible(page, "staff survey over time")
    page.goto(f"{live_server.url}/surveys/{world['staff'].pk}/")
    assert_accessible(page, "survey set-up page")
