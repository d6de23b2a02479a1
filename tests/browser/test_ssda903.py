"""A performance analyst checks and downloads the SSDA903 return in a real browser: the files,
the check by child and rule linked to the child's record, the zip (audited), and axe-core."""

import datetime
import zipfile

import pytest
from playwright.sync_api import expect

from agencies.models import Role
from core.models import AuditEvent
from process.models import LookedAfterEpisode
from tests import factories
from tests.browser.test_map_journey import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def analyst():
    world = factories.census_world()
    factories.lac_record(
        LookedAfterEpisode,
        world=world,
        started_on=datetime.date(2025, 6, 1),
        reason_new_episode="S",
        placement_provider="",
    )
    factories.UserFactory(
        username="ana", agency=world["agency"], team=None, role=Role.PERFORMANCE_ANALYST
    )
    return world


def test_an_analyst_checks_and_downloads_the_ssda903_return(page, live_server, analyst):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("ana")
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)

    page.goto(f"{live_server.url}/returns/ssda903/")
    expect(
        page.get_by_role("heading", level=1, name="Children looked after return (SSDA903)")
    ).to_be_visible()
    page.get_by_label("Collection year").select_option("2026")
    page.get_by_role("button", name="Show the return").click()
    expect(page.get_by_role("heading", name="SSDA903 2025-26")).to_be_visible()
    files = page.get_by_role("table", name="The files in the download and their rows")
    expect(files).to_contain_text("episodes.csv")
    report = page.get_by_role("table", name="Each problem, with the child and where to correct it")
    expect(report).to_contain_text("526")
    assert_accessible(page, "SSDA903 page")

    with page.expect_download() as saved:
        page.get_by_role("link", name="Download the SSDA903 files (2025-26, zip)").click()
    assert len(zipfile.ZipFile(saved.value.path()).namelist()) == 11
    assert AuditEvent.objects.get(verb="returns.ssda903_exported").changes["children"] == 1

    page.get_by_role("link", name=analyst["child"].display_name).first.click()
    expect(page).to_have_url(f"{live_server.url}/cases/{analyst['case'].pk}/process/")
