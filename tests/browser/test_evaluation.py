"""A performance analyst in a real browser: published statistics, an authority against its
neighbours, a design and its report; axe-core on every page, and the comparison without
JavaScript."""

import pytest
from playwright.sync_api import expect

from agencies.models import Role
from evaluation.models import EvaluationDesign
from evaluation.services import statistics_load
from tests import factories
from tests.browser.test_map_journey import assert_accessible
from tests.evaluation.conftest import DATA

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def analyst():
    statistics_load(actor=None, directory=DATA)
    user = factories.UserFactory(
        username="ana",
        first_name="Ana",
        last_name="Lyst",
        team=None,
        agency=factories.AgencyFactory(),
        role=Role.PERFORMANCE_ANALYST,
    )
    EvaluationDesign.objects.create(
        agency=user.agency,
        slug="excerpt",
        name="Leicestershire and Wakefield",
        implementation=[{"code": "384", "start": 2019}, {"code": "855", "start": 2019}],
        comparison="neighbours",
        first_year=2014,
        last_year=2019,
        indicators=["referral_rate"],
    )
    return user


def sign_in(page, live_server):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("ana")
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def test_an_analyst_compares_and_reports(page, live_server, analyst):
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/evaluation/")
    expect(page.get_by_role("heading", level=1, name="Published statistics")).to_be_visible()
    expect(page.get_by_text("c1_referrals_2014_and_2019.csv").first).to_be_visible()
    assert_accessible(page, "statistics overview")

    page.get_by_role("link", name="Compare an authority with its statistical neighbours").click()
    page.get_by_label("Local authority").select_option(label="Wakefield")
    page.get_by_label("Indicator").select_option(label="Re-referrals within 12 months (%)")
    page.get_by_role("button", name="Compare").click()
    heading = page.get_by_role(
        "heading", level=2, name="Re-referrals within 12 months (%): Wakefield"
    )
    expect(heading).to_be_visible()
    expect(
        page.get_by_role("img", name="Re-referrals within 12 months (%): Wakefield")
    ).to_be_visible()
    expect(page.get_by_role("table").first).to_contain_text("2019")
    assert "authority=384" in page.url  # htmx pushed the choice into the address
    assert_accessible(page, "comparison")

    page.goto(f"{live_server.url}/evaluation/designs/")
    page.get_by_role("button", name="Save the design").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert_accessible(page, "design form with errors")

    page.goto(f"{live_server.url}/evaluation/report/?design=excerpt")
    expect(
        page.get_by_role("heading", level=1, name="Leicestershire and Wakefield")
    ).to_be_visible()
    expect(
        page.get_by_role("table", name="Difference-in-differences estimates, with 95% intervals")
    ).to_contain_text("Referrals per 10,000 children")
    assert_accessible(page, "evaluation report")


def test_the_comparison_works_without_javascript(page_without_js, live_server, analyst):
    page = page_without_js
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/evaluation/compare/")
    page.get_by_label("Local authority").select_option(label="Leicestershire")
    page.get_by_role("button", name="Compare").click()
    expect(
        page.get_by_role("heading", level=2, name="Referrals per 10,000 children: Leicestershire")
    ).to_be_visible()
