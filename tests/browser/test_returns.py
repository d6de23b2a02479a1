"""A performance analyst produces the CIN census in a real browser: the report with its link
to the child's record, the download (audited), and an axe-core check of the page."""

import datetime

import pytest
from lxml import etree
from playwright.sync_api import expect

from agencies.models import Role
from core.models import AuditEvent
from tests import factories
from tests.browser.test_map_journey import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def analyst():
    world = factories.census_world()
    factories.census_episode(world=world, received_on=datetime.date(2025, 6, 2))
    mia = factories.census_child(case=world["case"], given_name="Mia", disabilities=[])
    factories.census_episode(
        world=world, child=mia, received_on=datetime.date(2025, 7, 1), stage="cin_plan"
    )
    factories.UserFactory(
        username="ana",
        agency=world["agency"],
        team=None,
        role=Role.PERFORMANCE_ANALYST,
    )
    return world


def test_an_analyst_checks_and_downloads_the_census(page, live_server, analyst):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("ana")
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)

    page.goto(f"{live_server.url}/returns/cin-census/")
    expect(page.get_by_role("heading", level=1, name="Children in need census")).to_be_visible()
    page.get_by_label("Census year").select_option("2026")
    page.get_by_role("button", name="Show the census").click()
    expect(page.get_by_role("heading", name="Census 2025-26")).to_be_visible()
    report = page.get_by_role("table", name="Each failure, with the child and where to correct it")
    expect(report).to_contain_text("8540")
    assert_accessible(page, "CIN census page")

    with page.expect_download() as saved:
        page.get_by_role("link", name="Download the census XML (2025-26)").click()
    root = etree.parse(saved.value.path()).getroot()
    assert len(root.findall("Children/Child")) == 2
    assert AuditEvent.objects.get(verb="returns.cin_census_exported").changes["children"] == 2

    page.get_by_role("link", name="Mia Testington").click()
    expect(page).to_have_url(f"{live_server.url}/cases/{analyst['case'].pk}/process/")
