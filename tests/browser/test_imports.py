"""An analyst brings people in from a legacy system in a real browser: a file with a bad row is
refused with its report (nothing written), the corrected file is checked and then imported,
and the upload and report pages pass axe-core."""

import pytest
from playwright.sync_api import expect

from agencies.models import Role
from people.models import Person
from tests import factories
from tests.browser.test_map_journey import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADER = "LAchildID,PersonType,GivenName,FamilyName,PersonBirthDate\n"


@pytest.fixture
def analyst(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    team = factories.TeamFactory()
    return factories.UserFactory(
        username="ana", agency=team.agency, team=None, role=Role.PERFORMANCE_ANALYST
    )


def _upload(page, live_server, path):
    page.goto(f"{live_server.url}/imports/")
    page.get_by_label("People (children and adults)").check()
    page.get_by_label("Legacy system").fill("LCS")
    page.get_by_label("File", exact=True).set_input_files(str(path))
    page.get_by_role("button", name="Check the file").click()


def test_an_analyst_checks_then_imports_a_legacy_file(page, live_server, analyst, tmp_path):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("ana")
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)

    page.goto(f"{live_server.url}/imports/")
    expect(
        page.get_by_role("heading", level=1, name="Imports from a legacy system")
    ).to_be_visible()
    assert_accessible(page, "imports page")

    bad = tmp_path / "people.csv"
    bad.write_text(HEADER + "C1,child,Leo,Okafor,2016-05-01\nC2,kid,Mia,Okafor,2019-13-01\n")
    _upload(page, live_server, bad)
    expect(page.get_by_role("heading", name="Refused: nothing was written")).to_be_visible()
    report = page.get_by_role("table", name="Each problem, with its row, column, value and reason")
    expect(report).to_contain_text("PersonType")
    expect(report).to_contain_text("2019-13-01")
    assert_accessible(page, "import report")
    assert not Person.objects.exists()

    good = tmp_path / "people-corrected.csv"
    good.write_text(HEADER + "C1,child,Leo,Okafor,2016-05-01\nC2,child,Mia,Okafor,2019-12-01\n")
    _upload(page, live_server, good)
    expect(page.get_by_role("heading", name="Checked: ready to import")).to_be_visible()
    page.get_by_role("button", name="Import 2 rows").click()
    expect(page.get_by_role("heading", name="Imported", exact=True)).to_be_visible()
    assert Person.objects.count() == 2

    page.get_by_role("link", name="Back to imports").click()
    history = page.get_by_role("table", name="Every check and import of the agency")
    expect(history).to_contain_text("people-corrected.csv")
