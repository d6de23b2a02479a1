import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agencies.models import Role
from core.models import AuditEvent
from implementation import services
from implementation.models import AssessmentRound, ImplementationAction, Rating
from tests import factories
from tests.implementation.conftest import all_scores, joined

pytestmark = pytest.mark.django_db
D = datetime.date


def _post_ratings(client, round_, domains, score, action):
    data = {"action": action}
    for domain in domains:
        data |= {
            f"score_{domain.pk}": score,
            f"evidence_{domain.pk}": "Seen in group supervision",
            f"reasons_{domain.pk}": "Consistent in two teams of three",
        }
    return client.post(reverse("implementation:round_detail", args=[round_.pk]), data)


def test_a_rater_rates_through_the_page_without_seeing_the_others_first(
    client, leader, lead, open_round, defaults
):
    domains = defaults["domains"]
    services.ratings_save(
        actor=leader, round_=open_round, scores=all_scores(domains, 9), submit=True
    )
    client.force_login(lead)
    url = reverse("implementation:round_detail", args=[open_round.pk])
    page = client.get(url).content.decode()
    assert "hidden until you submit your own" in page
    assert "Priya Desai" not in page and ">9<" not in page
    response = _post_ratings(client, open_round, domains, 5, "save")
    assert response.status_code == 302
    assert "hidden until you submit your own" in client.get(url).content.decode()
    # The draft carries its revision into the form, so submitting it is not a conflict.
    data = {"action": "submit"}
    for rating in Rating.objects.filter(rater=lead):
        data |= {
            f"score_{rating.domain_id}": 6,
            f"evidence_{rating.domain_id}": "e",
            f"reasons_{rating.domain_id}": "r",
            f"revision_{rating.domain_id}": rating.revision,
        }
    assert client.post(url, data).status_code == 302
    page = client.get(url).content.decode()
    assert "Priya Desai" in page and "mean 7.5 (from 6 to 9)" in page
    assert "Submit my ratings" not in page


def test_a_rating_out_of_range_comes_back_with_the_text_kept(client, lead, open_round, defaults):
    client.force_login(lead)
    response = _post_ratings(client, open_round, defaults["domains"], 11, "submit")
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page and "Consistent in two teams of three" in page
    assert not Rating.objects.exists()


def test_opening_a_round_adding_to_its_map_and_closing_it(client, leader, defaults):
    client.force_login(leader)
    response = client.post(
        reverse("implementation:rounds"),
        {"title": "2026 Q2", "period_start": "2026-04-01", "period_end": "2026-06-30"},
    )
    round_ = AssessmentRound.objects.get()
    assert response.url == reverse("implementation:round_detail", args=[round_.pk])
    client.post(
        reverse("implementation:round_note_add", args=[round_.pk]),
        {"kind": "worry", "text": "Forms still ask for a risk score"},
    )
    _post_ratings(client, round_, defaults["domains"], 4, "submit")
    client.post(
        reverse("implementation:round_close", args=[round_.pk]), {"revision": round_.revision}
    )
    round_.refresh_from_db()
    assert round_.status == "closed"
    page = client.get(reverse("implementation:round_detail", args=[round_.pk])).content.decode()
    assert "Forms still ask for a risk score" in page and "Add to the map" not in page
    verbs = set(AuditEvent.objects.values_list("verb", flat=True))
    assert {
        "implementation.round_opened",
        "implementation.map_note_added",
        "implementation.ratings_submitted",
        "implementation.round_closed",
    } <= verbs


def test_the_plan_and_a_stale_edit(client, leader, lead, defaults):
    client.force_login(leader)
    response = client.post(
        reverse("implementation:plan"),
        {"action": "Rewrite the conference report", "owner": lead.pk, "due_on": "2026-09-30"},
    )
    assert response.status_code == 302
    action = ImplementationAction.objects.get()
    assert (
        "Rewrite the conference report"
        in client.get(reverse("implementation:plan")).content.decode()
    )
    services.action_update(actor=lead, plan_action=action, revision=1, status="in_progress")
    response = client.post(
        reverse("implementation:action_edit", args=[action.pk]),
        {
            "action": "Rewrite the report",
            "owner": lead.pk,
            "due_on": "2026-09-30",
            "status": "done",
            "revision": 1,
        },
    )
    assert response.status_code == 400
    assert "Someone else changed this action" in response.content.decode()
    action.refresh_from_db()
    assert action.status == "in_progress" and action.action == "Rewrite the conference report"


def test_another_agencys_leader_reaches_nothing(client, leader, worker, defaults, open_round):
    action = services.action_add(
        actor=leader, agency=leader.agency, action="x", owner=leader, due_on=D(2026, 1, 1)
    )
    outsider = factories.UserFactory(
        team=None, agency=factories.AgencyFactory(), role=Role.SENIOR_LEADER
    )
    client.force_login(outsider)
    for name, arg in [
        ("implementation:round_detail", open_round.pk),
        ("implementation:action_edit", action.pk),
        ("implementation:worker_training", worker.pk),
    ]:
        assert client.get(reverse(name, args=[arg])).status_code == 404
    rounds_page = client.get(reverse("implementation:rounds")).content.decode()
    assert "2026 Q1" not in rounds_page
    assert (
        client.post(reverse("implementation:round_close", args=[open_round.pk])).status_code == 404
    )


def test_a_team_manager_sees_only_their_team(client, team, manager, worker, leader, defaults):
    other_team = factories.TeamFactory(agency=team.agency, name="Hillside team")
    stranger = factories.UserFactory(team=other_team, first_name="Zed", last_name="Other")
    client.force_login(manager)
    page = client.get(reverse("implementation:training")).content.decode()
    assert str(worker) in page and "Zed Other" not in page and "Hillside team" not in page
    assert (
        client.get(reverse("implementation:worker_training", args=[stranger.pk])).status_code == 404
    )
    page = client.get(reverse("implementation:worker_training", args=[worker.pk])).content
    assert b"Record the course" not in page  # managers see, leaders record
    leaders = client.get(reverse("implementation:leaders")).content.decode()
    assert "Hillside team" not in leaders and team.name in leaders


def test_a_social_worker_sees_their_own_training(client, worker, leader, defaults):
    services.training_record_add(
        actor=leader,
        worker=worker,
        course=defaults["courses"]["introduction"],
        completed_on=D(2025, 3, 4),
    )
    client.force_login(worker)
    page = client.get(reverse("implementation:my_training")).content.decode()
    assert "Two-day introduction" in page and "4 Mar 2025" in page
    assert client.get(reverse("implementation:training")).status_code == 403


def test_recording_a_course_through_the_page(client, leader, worker, defaults):
    client.force_login(leader)
    url = reverse("implementation:worker_training", args=[worker.pk])
    response = client.post(
        url,
        {
            "course": defaults["courses"]["advanced"].pk,
            "completed_on": "2025-05-01",
            "expires_on": "2025-04-01",
        },
    )
    assert response.status_code == 400
    assert "must expire after completion" in response.content.decode()
    client.post(url, {"course": defaults["courses"]["advanced"].pk, "completed_on": "2025-05-01"})
    assert "Five-day advanced training" in client.get(url).content.decode()


@pytest.fixture
def history(team, worker, manager, leader, lead, defaults):
    """A closed round (mean 5.5) and the worker trained, so the leaders' view has figures."""
    for person in (worker, manager, leader, lead):
        joined(person, D(2024, 1, 1))
    services.training_record_add(
        actor=leader,
        worker=worker,
        course=defaults["courses"]["introduction"],
        completed_on=D(2024, 2, 1),
    )
    round_ = services.round_open(
        actor=leader,
        agency=leader.agency,
        title="2025 Q1",
        period_start=D(2025, 1, 1),
        period_end=D(2025, 3, 31),
    )
    domains = defaults["domains"]
    services.ratings_save(actor=leader, round_=round_, scores=all_scores(domains, 4), submit=True)
    services.ratings_save(actor=lead, round_=round_, scores=all_scores(domains, 7), submit=True)
    services.round_close(actor=leader, round_=round_, revision=1)
    return round_


def test_the_leaders_view_shows_ratings_beside_training_and_practice(
    client, analyst, history, team
):
    client.force_login(analyst)
    response = client.get(reverse("implementation:leaders"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Implementation ratings by round" in page and "2025 Q1" in page
    assert '5.5 <span class="hint">(4–7, 10 ratings' not in page  # per domain: 2 raters
    assert '5.5 <span class="hint">(4–7, 2 raters)</span>' in page
    # Staff at this month's end: worker, manager, leader, lead, analyst (joined today): 1 of 5.
    assert "20.0%" in page
    assert team.name in page
    assert "No local authority is linked to this agency" in page
    assert "Implementation measure by quarter" in page


def test_downloads_are_audited(client, analyst, history):
    client.force_login(analyst)
    response = client.get(reverse("implementation:download") + "?table=ratings&fmt=csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:4] == ["Round", "Period start", "Period end", "Domain"]
    assert (
        rows[1][0] == "2025 Q1" and rows[1][3] == "Leadership" and rows[1][5:] == ["5.5", "4", "7"]
    )
    event = AuditEvent.objects.get(verb="implementation.table_downloaded")
    assert event.changes["table"] == "ratings" and event.actor == analyst
    xlsx = client.get(reverse("implementation:download") + "?table=measure&fmt=xlsx")
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert client.get(reverse("implementation:download") + "?table=nope").status_code == 404


def test_a_team_manager_cannot_download_the_agency_measure(client, manager, history):
    client.force_login(manager)
    url = reverse("implementation:download") + "?table=measure"
    assert client.get(url).status_code == 403


def _queries_for_one_day(team):
    """What `measures.compute.figures_on` costs for one day (a few queries, set by measures)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from measures import compute
    from people.models import Case

    with CaptureQueriesContext(connection) as captured:
        compute.figures_on(Case.objects.filter(agency=team.agency), day=D(2026, 1, 31), by="team")
    return len(captured.captured_queries)


def test_page_queries_do_not_grow_with_the_data(
    client, leader, history, team, defaults, django_assert_max_num_queries, settings
):
    settings.THREEFOLD_MEASURES_TREND_KEPT_HOURS = 0  # count every month each time
    client.force_login(leader)
    url = reverse("implementation:leaders")
    # Twelve month ends, and the four quarter ends of the measure's first year not among them.
    bound = 16 * _queries_for_one_day(team) + 30
    with django_assert_max_num_queries(bound) as first:
        client.get(url)
    for index in range(6):
        other = factories.TeamFactory(agency=team.agency, name=f"Extra team {index}")
        person = factories.UserFactory(team=other)
        services.training_record_add(
            actor=leader,
            worker=person,
            course=defaults["courses"]["introduction"],
            completed_on=D(2025, 1, 1),
        )
        factories.CaseFactory(team=other)
    with django_assert_max_num_queries(bound) as second:
        client.get(url)
    # Nothing grows with the teams: supervision is asked for all of them at once.
    assert len(second.captured_queries) <= len(first.captured_queries)
    with django_assert_max_num_queries(12):
        client.get(reverse("implementation:training"))


def test_finished_months_are_kept_until_counted_again(client, leader, history, team):
    client.force_login(leader)
    url = reverse("implementation:leaders")
    with CaptureQueriesContext(connection) as first:
        assert "Count the finished months again now" not in client.get(url).content.decode()
    with CaptureQueriesContext(connection) as second:
        page = client.get(url).content.decode()
    # Only this month is counted again: the twelve month-ends and quarter ends before it are kept.
    assert len(second) < len(first) - 10 * _queries_for_one_day(team)
    assert "are as they were counted at" in page
    response = client.post(f"{url}?months=24")
    assert response.status_code == 302 and response["Location"] == f"{url}?months=24"
    with CaptureQueriesContext(connection) as third:
        client.get(url)
    assert len(third) > len(second) + 10 * _queries_for_one_day(team)


@pytest.fixture
def large(shared_cache, settings, team):
    """An agency (and team) large enough that the background worker counts its months."""
    settings.THREEFOLD_MEASURES_COUNT_IN_BACKGROUND_FROM = 1
    factories.CaseFactory(team=team)


def test_a_large_agency_with_nothing_kept_is_counted_in_the_background(
    large, client, leader, manager, history, team
):
    from django_tasks_db.models import DBTaskResult

    client.force_login(leader)
    url = reverse("implementation:leaders")
    page = client.get(url, {"months": 24}).content.decode()
    assert "Counting the finished months" in page and "Side by side" not in page
    assert f'hx-get="{url}?months=24" hx-trigger="every 5s"' in page
    waiting = DBTaskResult.objects.get()
    assert waiting.task_path == "implementation.tasks.leaders_count"

    waiting.task_result.task.call(*waiting.args_kwargs["args"])
    page = client.get(url, {"months": 24}, headers={"HX-Request": "true"}).content.decode()
    assert "Side by side" in page and "are as they were counted at" in page
    assert "every 5s" not in page
    # A team manager's own team, as large, is counted for them alike, under the team's name.
    client.force_login(manager)
    page = client.get(url).content.decode()
    assert "Counting the finished months" in page
    assert f"Implementation over time: {team.name}" in page


def test_a_background_count_that_fails_is_shown_with_a_way_to_try_again(
    large, monkeypatch, client, leader, history
):
    from django_tasks_db.models import DBTaskResult

    from implementation import tasks

    client.force_login(leader)
    url = reverse("implementation:leaders")
    client.get(url, {"months": 24})
    waiting = DBTaskResult.objects.get()
    monkeypatch.setattr(tasks, "leaders_page", lambda *args, **kwargs: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        waiting.task_result.task.call(*waiting.args_kwargs["args"])
    monkeypatch.undo()
    waiting.delete()
    page = client.get(url, {"months": 24}, headers={"HX-Request": "true"}).content.decode()
    assert "could not be counted" in page and "every 5s" not in page
    assert not DBTaskResult.objects.exists()  # nobody's view asks again by itself
    assert client.post(f"{url}?months=24").status_code == 302
    assert DBTaskResult.objects.get().task_path == "implementation.tasks.leaders_count"
    assert "Counting the finished months" in client.get(url, {"months": 24}).content.decode()


def test_a_leader_links_the_local_authority_and_sees_its_outcomes(client, leader, defaults, panel):
    client.force_login(leader)
    response = client.post(
        reverse("implementation:settings"),
        {"local_authority_code": "855", "introduction_within_days": 60, "revision": 1},
    )
    assert response.status_code == 302
    page = client.get(reverse("implementation:leaders")).content.decode()
    assert "Published statistics for Leicestershire and England" in page
    assert "Re-referrals within 12 months (%)" in page
    assert '20.0 <span class="hint">(22.0)</span>' in page
    assert "by reporting year (ending 31 March)" in page  # the chart's caption
    stale = client.post(
        reverse("implementation:settings"),
        {"local_authority_code": "", "introduction_within_days": 30, "revision": 1},
    )
    assert (
        stale.status_code == 400 and "Someone else changed this setting" in stale.content.decode()
    )


def test_teams_are_shown_ten_at_a_time_and_downloaded_whole(client, leader, team):
    for index in range(11):
        factories.TeamFactory(agency=team.agency, name=f"Area {index:02d}")
    client.force_login(leader)
    url = reverse("implementation:leaders")
    first = client.get(url, {"months": 24}).content.decode()
    assert "Showing teams 1 to 10 of 12, in alphabetical order" in first
    assert first.count('<caption id="team-caption-') == 10
    assert "Area 00" in first and "Area 09" in first and "Area 10" not in first
    assert 'href="?months=24&amp;page=2" rel="next"' in first
    second = client.get(url, {"months": 24, "page": 2}).content.decode()
    assert second.count('<caption id="team-caption-') == 2
    assert "Area 10" in second and team.name in second
    download = client.get(reverse("implementation:download"), {"table": "teams"}).content
    assert all(f"Area {index:02d}".encode() in download for index in range(11))
