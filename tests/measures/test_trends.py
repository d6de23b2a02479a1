"""Trends keep each finished month's figures a while: counting two or three years of month-ends
is what makes a county's trends slow, and a finished month changes only when records are added
or corrected for it later."""

import datetime
import time

import pytest
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


def test_production_keeps_them_in_the_database_every_server_process_shares(
    shared_cache, leader, cases
):
    first = b01(leader)
    # Another process has no memory of this one's: only the table it reads is shared.
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM threefold_cache WHERE cache_key LIKE %s", ["%trends%"])
        assert cursor.fetchone()[0] == 1
    again = b01(leader)
    assert again["points"] == first["points"] and again["kept_since"] is not None


def _counts_waiting() -> list:
    """The counts asked of the background worker and not yet run: (task, its arguments)."""
    from django_tasks_db.models import DBTaskResult

    return [(r.task_path, r.args_kwargs["args"]) for r in DBTaskResult.objects.order_by("pk")]


def _run_counts_waiting() -> None:
    from django_tasks_db.models import DBTaskResult

    for result in DBTaskResult.objects.all():
        result.task_result.task.call(*result.args_kwargs["args"])
        result.delete()


def _fail(monkeypatch, count) -> None:
    """Run a background count (`count()`) whose counting fails, as the worker would."""
    with monkeypatch.context() as patched:
        patched.setattr(selectors, "trends", lambda *args, **kwargs: 1 / 0)
        with pytest.raises(ZeroDivisionError):
            count()


def test_a_large_scope_with_nothing_kept_is_counted_in_the_background(
    shared_cache, settings, client, leader, cases
):
    settings.THREEFOLD_MEASURES_COUNT_IN_BACKGROUND_FROM = 2  # the leader's two open cases
    client.force_login(leader)
    url = f"{reverse('measures:trends')}?month=2026-03"
    page = client.get(url).content.decode()
    assert "Counting the finished months" in page and "B01 Current map" not in page
    # The page asks for itself again until the figures are there; without JavaScript, a link.
    assert 'hx-trigger="every 5s"' in page and "Check again" in page
    # Readers arriving while the worker counts do not ask again.
    partial = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert partial.lstrip().startswith('<div id="measures-trends"') and "Counting" in partial
    assert _counts_waiting() == [("measures.tasks.trends_count", [leader.pk, None, "2026-03-31"])]

    _run_counts_waiting()
    page = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "Counting the finished months" not in page and "every 5s" not in page
    assert "B01 Current map" in page and "are as they were counted at" in page
    assert b01(leader)["points"][MARCH] == (1, 2)


def test_counting_again_in_the_background_shows_the_kept_figures_meanwhile(
    shared_cache, settings, client, leader, cases
):
    assert b01(leader)["points"][MARCH] == (1, 2)  # counted in the request, a small scope
    settings.THREEFOLD_MEASURES_COUNT_IN_BACKGROUND_FROM = 2
    finalised_map(cases["unmapped"], datetime.date(2026, 3, 20))
    client.force_login(leader)
    url = reverse("measures:trends")
    assert client.post(f"{url}?month=2026-03").status_code == 302
    page = client.get(url, {"month": "2026-03"}).content.decode()
    assert "being counted again in the background" in page
    assert "Count the finished months again now" not in page
    assert b01(leader)["points"][MARCH] == (1, 2)  # the kept figures, until the new ones

    _run_counts_waiting()
    assert b01(leader)["points"][MARCH] == (2, 2)
    page = client.get(url, {"month": "2026-03"}).content.decode()
    assert "Count the finished months again now" in page


def test_counting_again_that_fails_leaves_the_kept_figures_and_says_so(
    shared_cache, settings, monkeypatch, client, leader, cases
):
    assert b01(leader)["points"][MARCH] == (1, 2)
    settings.THREEFOLD_MEASURES_COUNT_IN_BACKGROUND_FROM = 2
    client.force_login(leader)
    url = f"{reverse('measures:trends')}?month=2026-03"
    client.post(url)
    _fail(monkeypatch, _run_counts_waiting)
    page = client.get(url).content.decode()
    assert "Counting them again in the background failed" in page and "B01 Current map" in page
    assert "Count the finished months again now" in page


def test_a_count_that_fails_is_shown_until_someone_asks_again(
    shared_cache, settings, monkeypatch, client, leader, cases
):
    from measures.tasks import trends_count

    settings.THREEFOLD_MEASURES_COUNT_IN_BACKGROUND_FROM = 2
    assert selectors.trends(leader, last=MARCH, months=12, background=True)["rows"] is None
    _fail(monkeypatch, lambda: trends_count.call(leader.pk, None, MARCH.isoformat()))
    # Readers are told, and the page stops asking for itself; nobody's view asks the worker
    # again by itself (a count failing every time would otherwise be asked for every 5 s).
    client.force_login(leader)
    url = f"{reverse('measures:trends')}?month=2026-03"
    page = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "could not be counted" in page and "every 5s" not in page
    assert "Try counting them again" in page and len(_counts_waiting()) == 1
    # Asked to try again, the worker counts them.
    assert client.post(url).status_code == 302
    page = client.get(url).content.decode()
    assert "Counting the finished months" in page and "could not be counted" not in page
    assert len(_counts_waiting()) == 2
    _run_counts_waiting()
    assert "B01 Current map" in client.get(url).content.decode()


def test_a_count_that_failed_long_ago_is_asked_for_again(
    shared_cache, settings, monkeypatch, leader, cases
):
    from measures import kept
    from measures.tasks import trends_count

    settings.THREEFOLD_MEASURES_COUNT_IN_BACKGROUND_FROM = 2
    selectors.trends(leader, last=MARCH, months=12, background=True)
    monkeypatch.setattr(kept, "COUNTING_FOR", 1)  # the second the failure is shown, not 20 min
    _fail(monkeypatch, lambda: trends_count.call(leader.pk, None, MARCH.isoformat()))
    monkeypatch.undo()
    time.sleep(1.1)  # the database cache's expiry is to the second
    trends = selectors.trends(leader, last=MARCH, months=12, background=True)
    assert trends["failed_at"] is None and trends["counting_since"] is not None
    assert len(_counts_waiting()) == 2


def test_counting_in_the_background_can_be_turned_off(shared_cache, settings, leader, cases):
    settings.THREEFOLD_MEASURES_COUNT_IN_BACKGROUND_FROM = 0
    trends = selectors.trends(leader, last=MARCH, months=12, background=True)
    assert trends["rows"] is not None and _counts_waiting() == []


def test_without_a_worker_the_count_runs_in_the_request(
    shared_cache, settings, client, leader, cases
):
    settings.THREEFOLD_MEASURES_COUNT_IN_BACKGROUND_FROM = 2
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    client.force_login(leader)
    page = client.get(reverse("measures:trends"), {"month": "2026-03"}).content.decode()
    assert "Counting the finished months" not in page and "B01 Current map" in page
    assert b01(leader)["points"][MARCH] == (1, 2)


def test_with_each_process_keeping_its_own_the_count_runs_in_the_request(settings, leader, cases):
    # The worker, another process, would keep the months where no server process reads them.
    settings.THREEFOLD_MEASURES_COUNT_IN_BACKGROUND_FROM = 2
    trends = selectors.trends(leader, last=MARCH, months=12, background=True)
    assert trends["rows"] is not None and _counts_waiting() == []


def test_a_worker_that_cannot_be_asked_leaves_the_count_to_the_request(
    shared_cache, settings, monkeypatch, client, leader, cases
):
    from django_tasks_db import DatabaseBackend

    def unreachable(*args, **kwargs):
        raise ConnectionError("the task queue is not there")

    settings.THREEFOLD_MEASURES_COUNT_IN_BACKGROUND_FROM = 2
    monkeypatch.setattr(DatabaseBackend, "enqueue", unreachable)
    client.force_login(leader)
    page = client.get(reverse("measures:trends"), {"month": "2026-03"}).content.decode()
    assert "Counting the finished months" not in page and "B01 Current map" in page
    # Counting again falls back to the next view, as for a small scope.
    finalised_map(cases["unmapped"], datetime.date(2026, 3, 20))
    assert client.post(f"{reverse('measures:trends')}?month=2026-03").status_code == 302
    assert b01(leader)["points"][MARCH] == (2, 2)
