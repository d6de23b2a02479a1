"""A practice lead draws the month's sample and completes an audit, and a senior leader reads
the results and moderates it, in a real browser with axe checks on each page. Every form is a
plain post (no htmx), so this is also the journey without JavaScript."""

import datetime

import pytest
from playwright.sync_api import expect

from agencies.models import Role
from tests import factories
from tests.browser.test_map_journey import assert_accessible
from tests.browser.test_measures import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def agency():
    team = factories.TeamFactory(name="Riverside team")
    worker = factories.UserFactory(
        username="sam", first_name="Sam", last_name="Reid", team=team, role=Role.SOCIAL_WORKER
    )
    factories.UserFactory(
        username="olu", first_name="Olu", team=None, agency=team.agency, role=Role.PRACTICE_LEAD
    )
    factories.UserFactory(username="priya", team=None, agency=team.agency, role=Role.SENIOR_LEADER)
    rubric = factories.AuditRubricFactory(agency=team.agency, name="Practice audit")
    factories.AuditQuestionFactory(
        rubric=rubric,
        order=1,
        area="Map and analysis",
        text="Are the danger statements clear?",
        guidance="Who is worried, about what, and what could happen.",
    )
    factories.AuditQuestionFactory(
        rubric=rubric, order=2, area="Child's voice", text="Is the child heard?", scale="ten"
    )
    case = factories.CaseFactory(
        team=team, name="Testington family", opened_on=datetime.date(2025, 6, 1)
    )
    factories.AllocationFactory(case=case, worker=worker, started_on=case.opened_on)
    return team


def test_a_lead_draws_the_sample_and_completes_an_audit(page, live_server, agency):
    # The live server's first answer can be slow on a busy machine: wait for it once.
    page.goto(f"{live_server.url}/accounts/login/", timeout=60_000)
    sign_in(page, live_server, "olu")
    page.goto(f"{live_server.url}/audits/samples/")
    assert_accessible(page, "monthly samples")
    page.locator("summary", has_text="Draw a sample").click()
    page.get_by_role("button", name="Draw the sample").click()
    expect(
        page.get_by_text("Repeating the draw from the seed gives the same cases")
    ).to_be_visible()
    page.get_by_role("button", name="Start the audit of Testington family").click()
    expect(page.get_by_role("heading", level=1, name="Case audit")).to_be_visible()
    assert_accessible(page, "audit form")

    first = page.locator("fieldset", has_text="Are the danger statements clear?")
    first.get_by_label("3 Good").check()
    first.get_by_label("Evidence from the record").fill("Clear in the latest map.")
    second = page.locator("fieldset", has_text="Is the child heard?")
    second.get_by_label("8", exact=True).check()
    page.get_by_label("What needs to happen").fill("Meet dad before the review.")
    page.locator("fieldset", has_text="Overall grade").get_by_label("Good").check()
    page.get_by_label("The worker took part in the audit").check()
    page.get_by_role("button", name="Save the audit").click()
    expect(page.get_by_text("The audit is saved.")).to_be_visible()
    page.get_by_role("button", name="Complete the audit").click()
    expect(page.get_by_text("The audit is completed.")).to_be_visible()
    assert_accessible(page, "completed audit")

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, live_server, "priya")
    page.goto(f"{live_server.url}/audits/results/")
    expect(page.get_by_text("1 of 1")).to_be_visible()
    assert_accessible(page, "audit results")
    page.goto(f"{live_server.url}/audits/moderation/")
    page.get_by_role("link", name="Testington family").click()
    page.get_by_role("link", name="Moderate this audit").click()
    assert_accessible(page, "moderation")
    page.get_by_label("Outstanding").check()
    page.get_by_label("Reason (needed if you change the grade)").fill("Exceptional analysis.")
    page.get_by_role("button", name="Record the moderation").click()
    expect(page.get_by_text("The moderation is recorded.")).to_be_visible()
