"""Trends keep each finished month's figures a while: counting two or three years of month-ends
is what makes a county's trends slow, and a finished month changes only when records are added
or corrected for it later."""

import datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from agencies.models import Role
from measures import selectors
from people.services import case_access_grant, case_restrict
from tests import factories
from tests.measures.conftest import finalised_map

pytestmark = pytest.mark.django_db

MARCH = datetime.date(2026, 3, 31)


def b01(user, last=MARCH, team=None) -> dict:
    """Current maps (B01) at each month's end, and when the kept months were counted."""
    trends = selectors.trends(user, last=last, months=12, team=team)
    row = next(r for r in trends["rows"] if r["measure"].code == "B01")
    return {
        "points": {p["day"]: (p["numerator"], p["denominator"]) for p in row["points"]},
        "kept_since": trends["kept_since"],
    }


@pytest.fixture
def leader(team):
    return factories.UserFactory(team=None, agency=team.agency, role=Role.SENIOR_LEADER)


@pytest.fixture
def cases(make_case):
    mapped, unmapped = make_case(), make_case()
    finalised_map(mapped, datetime.date(2026, 3, 1))
    return {"mapped": mapped, "unmapped": unmapped}


def queries(call) -> int:
    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured)


def test_finished_months_are_counted_once_and_kept(leader, cases):
    first = queries(lambda: b01(leader))
    again = b01(leader)
    assert again["points"][MARCH] == (1, 2)
    assert again["kept_since"] is not None
    # Only the restricted cases behind the key are read: no month is counted again.
    assert queries(lambda: b01(leader)) <= 4 < first


def test_a_record_added_for_a_finished_month_counts_when_asked_again(client, leader, cases):
    assert b01(leader)["points"][MARCH] == (1, 2)
    finalised_map(cases["unmapped"], datetime.date(2026, 3, 20))
    assert b01(leader)["points"][MARCH] == (1, 2)  # kept as counted

    client.force_login(leader)
    page = client.get(reverse("measures:trends"), {"month": "2026-03"}).content.decode()
    assert "Count the finished months again now" in page
    response = client.post(f"{reverse('measures:trends')}?month=2026-03&by=team")
    assert response.status_code == 302
    assert response["Location"].endswith("?month=2026-03&by=team")
    assert b01(leader)["points"][MARCH] == (2, 2)


def test_the_current_month_is_always_counted_afresh(leader, make_case):
    today = timezone.localdate()
    case = make_case(opened_on=today - datetime.timedelta(days=400))
    assert b01(leader, last=today)["points"][today] == (0, 1)
    finalised_map(case, today)
    assert b01(leader, last=today)["points"][today] == (1, 1)


def test_kept_figures_follow_who_may_see_a_restricted_case(leader, team, cases, worker):
    other_leader = factories.UserFactory(team=None, agency=team.agency, role=Role.SENIOR_LEADER)
    assert b01(other_leader)["points"][MARCH] == (1, 2)
    case_restrict(actor=worker, case=cases["mapped"], reason="A family member works here")
    case_access_grant(actor=worker, case=cases["mapped"], user=leader)
    # Restricting the case leaves it out of the figures of those not on its access list at
    # once, and those on the list have figures of their own.
    assert b01(other_leader)["points"][MARCH] == (0, 1)
    assert b01(leader)["points"][MARCH] == (1, 2)
    assert b01(other_leader)["points"][MARCH] == (0, 1)


def test_a_team_chosen_keeps_its_own_figures(leader, team, cases, make_case):
    small = factories.TeamFactory(agency=team.agency, name="Small team")
    finalised_map(make_case(team_=small), datetime.date(2026, 3, 1))
    assert b01(leader)["points"][MARCH] == (2, 3)
    assert b01(leader, team=small)["points"][MARCH] == (1, 1)
    assert b01(leader, team=team)["points"][MARCH] == (1, 2)
    assert b01(leader)["points"][MARCH] == (2, 3)


def test_keeping_can_be_turned_off(settings, leader, cases):
    settings.THREEFOLD_MEASURES_TREND_KEPT_HOURS = 0
    b01(leader)
    finalised_map(cases["unmapped"], datetime.date(2026, 3, 20))
    again = b01(leader)
    assert again["points"][MARCH] == (2, 2) and again["kept_since"] is None


def test_only_dashboard_viewers_may_count_again(client, team):
    chair = factories.UserFactory(team=team, role=Role.CONFERENCE_CHAIR)
    client.force_login(chair)
    assert client.post(reverse("measures:trends")).status_code == 403


def test_production_keeps_them_in_the_database_every_server_process_shares(settings, leader, cases):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "threefold_cache",
        }
    }
    call_command("createcachetable", verbosity=0)
    first = b01(leader)
    # Another process has no memory of this one's: only the table it reads is shared.
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM threefold_cache WHERE cache_key LIKE %s", ["%trends%"])
        assert cursor.fetchone()[0] == 1
    again = b01(leader)
    assert again["points"] == first["points"] and again["kept_since"] is not None
