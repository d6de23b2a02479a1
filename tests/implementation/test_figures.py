"""Counting month-ends ahead: the trends and the leaders' view of every agency and team reader,
counted by a scheduled command so that the first reader of the day does not wait."""

import datetime

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from agencies.models import Role
from implementation.figures import leaders_page, month_ends_count_ahead
from measures import selectors as measures
from tests import factories
from tests.measures.conftest import finalised_map

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _a_year_of_month_ends(settings):
    settings.THREEFOLD_MEASURES_TREND_MONTHS = 12
    settings.THREEFOLD_MEASURES_IMPACT_TREND_MONTHS = 12


@pytest.fixture
def last_month_end():
    return timezone.localdate().replace(day=1) - datetime.timedelta(days=1)


@pytest.fixture
def mapped(team, worker, last_month_end):
    case = factories.CaseFactory(team=team, opened_on=last_month_end - datetime.timedelta(days=90))
    factories.AllocationFactory(case=case, worker=worker, started_on=case.opened_on)
    finalised_map(case, last_month_end - datetime.timedelta(days=10))
    return case


def current_maps(user, day) -> tuple[tuple, datetime.datetime | None, int]:
    """Current maps (B01) at `day` on the user's trends, when the kept months were counted, and
    the queries the trends took."""
    with CaptureQueriesContext(connection) as captured:
        trends = measures.trends(user, last=timezone.localdate(), months=12)
    row = next(r for r in trends["rows"] if r["measure"].code == "B01")
    point = next(p for p in row["points"] if p["day"] == day)
    return (point["numerator"], point["denominator"]), trends["kept_since"], len(captured)


def test_each_readers_scope_is_counted_once_and_read_kept(
    team, leader, analyst, worker, mapped, last_month_end
):
    manager = factories.UserFactory(team=team, agency=team.agency, role=Role.TEAM_MANAGER)
    factories.UserFactory(team=team, agency=team.agency, role=Role.TEAM_MANAGER, is_active=False)

    agency_only = month_ends_count_ahead(team.agency)
    # The leader and the analyst see the same cases: one agency scope each page, not two.
    assert [(c["page"], c["whose"]) for c in agency_only] == [
        ("trends", "agency"),
        ("leaders", "agency"),
    ]
    counted = list(month_ends_count_ahead(team.agency, teams=True))

    # The social worker's own caseload is left to their first view.
    assert sorted((c["page"], c["whose"]) for c in counted) == [
        ("leaders", "agency"),
        ("leaders", f"team:{team.pk}"),
        ("trends", "agency"),
        ("trends", f"team:{team.pk}"),
    ]
    assert all(c["seconds"] >= 0 for c in counted)
    for reader in (leader, manager):
        figures, kept_since, queries = current_maps(reader, last_month_end)
        assert figures == (1, 1) and kept_since is not None
        assert queries < 25  # this month only, not 24 months of month-ends
        assert leaders_page(reader, last=timezone.localdate(), months=24)["kept_since"]


def test_counting_ahead_replaces_what_was_kept(team, leader, worker, mapped, last_month_end):
    assert current_maps(leader, last_month_end)[0] == (1, 1)
    later = factories.CaseFactory(team=team, opened_on=last_month_end - datetime.timedelta(days=60))
    factories.AllocationFactory(case=later, worker=worker, started_on=later.opened_on)
    finalised_map(later, last_month_end - datetime.timedelta(days=5))
    assert current_maps(leader, last_month_end)[0] == (1, 1)  # kept as first counted

    list(month_ends_count_ahead(team.agency))

    assert current_maps(leader, last_month_end)[0] == (2, 2)


def test_other_agencies_readers_are_not_counted(team, leader, mapped):
    elsewhere = factories.UserFactory(
        team=None, agency=factories.AgencyFactory(), role=Role.SENIOR_LEADER
    )
    assert elsewhere.agency_id != team.agency_id
    counted = month_ends_count_ahead(elsewhere.agency)
    assert [(c["page"], c["whose"]) for c in counted] == [
        ("trends", "agency"),
        ("leaders", "agency"),
    ]
    assert current_maps(leader, timezone.localdate())[1] is None  # nothing kept for this one


def test_the_command_reports_each_scope(team, leader, mapped, capsys):
    call_command("keep_month_ends", "--agency", team.agency.code)
    out = capsys.readouterr().out
    assert f"{team.agency.code}: trends, agency:" in out
    assert f"{team.agency.code}: 2 scopes counted ahead in" in out
    with pytest.raises(CommandError, match="No agency"):
        call_command("keep_month_ends", "--agency", "no-such-code")


def test_the_command_says_when_nothing_is_kept(settings, team):
    settings.THREEFOLD_MEASURES_TREND_KEPT_HOURS = 0
    with pytest.raises(CommandError, match="not kept"):
        call_command("keep_month_ends")
