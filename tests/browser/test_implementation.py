"""A senior leader rates the implementation and reads the leaders' view, with axe checks."""

import datetime

import pytest
from playwright.sync_api import expect

from agencies.models import Role
from implementation import services
from tests import factories
from tests.browser.test_map_journey import assert_accessible, download
from tests.browser.test_measures import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def agency():
    team = factories.TeamFactory(name="Riverside team")
    factories.UserFactory(first_name="Sam", last_name="Reid", team=team)
    priya = factories.UserFactory(
        username="priya",
        first_name="Priya",
        last_name="Desai",
        team=None,
        agency=team.agency,
        role=Role.SENIOR_LEADER,
    )
    olu = factories.UserFactory(
        first_name="Olu",
        last_name="Adebayo",
        team=None,
        agency=team.agency,
        role=Role.PRACTICE_LEAD,
    )
    services.defaults_ensure(actor=priya, agency=team.agency)
    round_ = services.round_open(
        actor=olu,
        agency=team.agency,
        title="2026 Q1",
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 3, 31),
    )
    from implementation.models import ImplementationDomain

    domains = ImplementationDomain.objects.filter(agency=team.agency)
    services.ratings_save(
        actor=olu,
        round_=round_,
        scores={d.pk: (6, "Audits", "Two teams of three", None) for d in domains},
        submit=True,
    )
    return team


def test_a_senior_leader_rates_and_sees_the_leaders_view(page, live_server, agency):
    sign_in(page, live_server, "priya")
    page.goto(f"{live_server.url}/implementation/rounds/")
    page.get_by_role("rowheader").get_by_role("link", name="2026 Q1").click()
    expect(page.get_by_text("hidden until you submit your own")).to_be_visible()
    expect(page.get_by_text("Olu Adebayo")).to_have_count(0)
    assert_accessible(page, "a round before rating")
    for index, label in enumerate(page.get_by_label("Rating for").all()):
        label.fill(str(3 + index % 3))
    page.get_by_label("Evidence: what have you seen?").first.fill("Seen in the leadership meeting")
    page.get_by_role("button", name="Submit my ratings").click()
    expect(page.get_by_text("Submitted your ratings")).to_be_visible()
    expect(page.get_by_role("rowheader", name="Olu Adebayo").first).to_be_visible()
    expect(page.get_by_text("Leadership: mean 4.5 (from 3 to 6)")).to_be_visible()
    assert_accessible(page, "a round after rating")
    page.get_by_label("Which column?").select_option("worry")
    page.get_by_label("What you want to say").fill("Police colleagues are not at mapping meetings")
    page.get_by_role("button", name="Add to the map").click()
    expect(page.get_by_text("Police colleagues are not at mapping meetings")).to_be_visible()
    page.get_by_role("button", name="Close the round").click()
    expect(page.get_by_text("Closed the round")).to_be_visible()

    page.get_by_role("link", name="Leaders' view").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Implementation over time")
    ratings = page.get_by_role("table", name="Mean rating (lowest–highest) by domain and round")
    # Leadership: Priya 3, Olu 6.
    expect(ratings.get_by_role("row", name="Leadership")).to_contain_text("4.5")
    expect(page.get_by_role("table", name="Riverside team")).to_be_visible()
    assert_accessible(page, "leaders' view")
    csv_text = download(page, "CSV (ratings)").decode()
    assert "2026 Q1" in csv_text and "Leadership" in csv_text
