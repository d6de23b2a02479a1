"""The pages: who sees what, scoping per role and agency, suppression, drill-down and downloads."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from agencies.models import Role
from core.models import AuditEvent
from measures import selectors
from tests import factories
from tests.measures.conftest import finalised_map

pytestmark = pytest.mark.django_db
MONTH = "2026-03"


@pytest.fixture
def agency_world(team, worker, manager, make_case):
    """Two teams: ours with 6 open cases (3 of them `worker`'s, 2 with a current map) and a
    small one with 2 cases; and a case in another agency."""
    small = factories.TeamFactory(agency=team.agency, name="Small team", service="early_help")
    small_worker = factories.UserFactory(team=small)
    colleague = factories.UserFactory(team=team, first_name="Cara", last_name="Colleague")
    ours = [make_case() for _ in range(3)] + [make_case(worker_=colleague) for _ in range(3)]
    finalised_map(ours[0], datetime.date(2026, 3, 1))
    finalised_map(ours[3], datetime.date(2026, 3, 1))
    theirs = [make_case(team_=small, worker_=small_worker) for _ in range(2)]
    finalised_map(theirs[0], datetime.date(2026, 3, 1))
    outsider = factories.CaseFactory(name="Outsider family")
    finalised_map(outsider, datetime.date(2026, 3, 1))
    leader = factories.UserFactory(team=None, agency=team.agency, role=Role.SENIOR_LEADER)
    return {
        "ours": ours,
        "theirs": theirs,
        "leader": leader,
        "small": small,
        "colleague": colleague,
        "outsider": outsider,
    }


def test_a_social_worker_sees_their_own_caseload(client, worker, agency_world):
    day = datetime.date(2026, 3, 31)
    result = selectors.dashboard(worker, day=day, by="worker")
    b01 = next(r for r in result["rows"] if r["measure"].code == "B01")
    assert (b01["total"]["numerator"], b01["total"]["denominator"]) == (1, 3)
    assert [g["key"] for g in result["groups"]] == [worker.pk]


def test_a_team_manager_sees_their_team_by_worker(manager, worker, agency_world):
    result = selectors.dashboard(manager, day=datetime.date(2026, 3, 31), by="worker")
    b01 = next(r for r in result["rows"] if r["measure"].code == "B01")
    assert (b01["total"]["numerator"], b01["total"]["denominator"]) == (2, 6)
    assert {g["key"] for g in result["groups"]} == {worker.pk, agency_world["colleague"].pk}
    assert not result["suppress"]  # a team's own workers are not a comparison across teams


def test_a_senior_leader_sees_the_agency_with_small_teams_suppressed(agency_world, team):
    leader = agency_world["leader"]
    result = selectors.dashboard(leader, day=datetime.date(2026, 3, 31), by="team")
    b01 = next(r for r in result["rows"] if r["measure"].code == "B01")
    # The other agency's case is never counted.
    assert (b01["total"]["numerator"], b01["total"]["denominator"]) == (3, 8)
    cells = {c["group_label"]: c for c in b01["cells"]}
    assert cells[team.name]["denominator"] == 6
    small = cells["Small team"]
    assert small["suppressed"] and small["suppressed_label"] == "fewer than 5"
    assert small["numerator"] is None and small["percent"] is None


def test_suppression_can_be_switched_off(agency_world, settings):
    settings.THREEFOLD_MEASURES_SUPPRESS_BELOW = 0
    result = selectors.dashboard(agency_world["leader"], day=datetime.date(2026, 3, 31), by="team")
    b01 = next(r for r in result["rows"] if r["measure"].code == "B01")
    assert not any(c["suppressed"] for c in b01["cells"])


def test_dashboard_page_links_each_figure_to_its_cases_and_definition(client, agency_world):
    client.force_login(agency_world["leader"])
    response = client.get(reverse("measures:dashboard"), {"month": MONTH, "by": "team"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "fewer than 5" in html
    assert reverse("measures:definition", args=["B01"]) in html
    assert reverse("measures:drilldown") + "?code=B01&amp;month=2026-03&amp;by=team" in html
    assert "Outsider family" not in html


def test_a_county_of_teams_is_shown_a_page_of_teams_at_a_time_and_downloaded_whole(
    client, agency_world, team, make_case, monkeypatch
):
    monkeypatch.setattr(selectors, "GROUPS_PER_PAGE", 2)
    third = factories.TeamFactory(agency=team.agency, name="Third team")
    make_case(team_=third, worker_=factories.UserFactory(team=third))
    client.force_login(agency_world["leader"])
    url = reverse("measures:dashboard")

    def columns(page):
        html = client.get(url, {"month": MONTH, "by": "team", "page": page}).content.decode()
        head = html[html.index("<thead>") : html.index("</thead>")]
        return html, head.count('<th scope="col">') - 2  # less "Measure" and "All"

    first, shown = columns(1)
    assert shown == 2 and "Showing teams 1 to 2 of 3" in first
    assert f"{team.name}</th>" in first and "Third team</th>" not in first
    assert '?month=2026-03&amp;by=team&amp;page=2" rel="next"' in first
    last, shown = columns(2)
    assert shown == 1 and "Third team</th>" in last
    assert '?month=2026-03&amp;by=team&amp;page=1" rel="prev"' in last
    # A figure chosen on the second page leads back to the second page.
    drilldown = reverse("measures:drilldown")
    # (The third team's own figures are hidden as too small; the figure for all links.)
    assert f"{drilldown}?code=B01&amp;month=2026-03&amp;by=team&amp;group=all" in last
    assert "&amp;group=all&amp;part=numerator&amp;page=2" in last
    cases = client.get(
        drilldown,
        {"code": "B01", "month": MONTH, "by": "team", "group": "all", "page": 2},
    ).content.decode()
    assert f'{url}?month=2026-03&amp;by=team&amp;page=2">Back to the dashboard' in cases
    # The figure for all teams is the same on every page.
    all_b01 = "3 of 9"
    assert all_b01 in first and all_b01 in last
    download = client.get(
        reverse("measures:download"),
        {"table": "dashboard", "fmt": "csv", "month": MONTH, "by": "team"},
    ).content.decode()
    b01_groups = {row[2] for row in csv.reader(io.StringIO(download)) if row[0] == "B01"}
    assert b01_groups == {team.name, "Small team", "Third team", "All"}


def test_a_leader_narrows_every_figure_to_one_team_and_keeps_it_throughout(
    client, agency_world, team, worker
):
    leader = agency_world["leader"]
    client.force_login(leader)
    url = reverse("measures:dashboard")
    response = client.get(url, {"month": MONTH, "by": "worker", "team": team.pk})
    html = response.content.decode()
    assert f"Measures of practice: {team.name}" in html
    head = html[html.index("<thead>") : html.index("</thead>")]
    # The team's two workers, not the small team's.
    assert head.count('<th scope="col">') == 4
    assert "Cara Colleague</th>" in head and worker.get_full_name() in head
    assert "2 of 6" in html  # the team's current maps, not the agency's 3 of 8
    scope = f"month=2026-03&amp;by=worker&amp;team={team.pk}"
    assert f"{reverse('measures:trends')}?{scope}" in html
    assert f"?table=dashboard&amp;fmt=csv&amp;{scope}" in html
    assert f"{reverse('measures:drilldown')}?code=B01&amp;{scope}&amp;group=all" in html

    cases = client.get(
        reverse("measures:drilldown"),
        {"code": "B01", "month": MONTH, "by": "worker", "team": team.pk, "part": "denominator"},
    ).content.decode()
    for case in agency_world["ours"]:
        assert reverse("casefile:case_detail", args=[case.pk]) in cases
    for case in agency_world["theirs"]:
        assert reverse("casefile:case_detail", args=[case.pk]) not in cases
    assert f'{url}?{scope}">Back to the dashboard' in cases
    event = AuditEvent.objects.get(verb="measures.drilldown_viewed")
    assert event.changes["team"] == team.name and event.changes["rows"] == 6

    download = client.get(
        reverse("measures:download"),
        {"table": "dashboard", "fmt": "csv", "month": MONTH, "by": "worker", "team": team.pk},
    )
    assert (
        f"measures-worker-{team.name.lower().replace(' ', '-')}-"
        in (download["Content-Disposition"])
    )
    rows = list(csv.reader(io.StringIO(download.content.decode())))
    assert {r[2] for r in rows if r[0] == "B01"} == {
        "Cara Colleague",
        worker.get_full_name(),
        "All",
    }
    assert ["B01", "Current map", "All", "2", "6", "33.3", "percent"] in rows
    trends = client.get(
        reverse("measures:download"),
        {"table": "trends", "fmt": "csv", "month": MONTH, "team": team.pk},
    ).content.decode()
    assert "B01,Current map,2026-03-31,2,6,33.3,percent" in trends.replace("\r", "")


def test_a_team_of_another_agency_is_refused_and_narrows_nothing(client, agency_world):
    elsewhere = agency_world["outsider"].team
    client.force_login(agency_world["leader"])
    response = client.get(
        reverse("measures:dashboard"), {"month": MONTH, "by": "team", "team": elsewhere.pk}
    )
    html = response.content.decode()
    assert "Select a valid choice" in html
    assert "3 of 8" in html  # the agency's own figures, the month still March
    assert "Outsider family" not in html and f">{elsewhere.name}</th>" not in html


def test_only_agency_viewers_choose_a_team(client, manager, agency_world):
    client.force_login(manager)
    small = agency_world["small"]
    response = client.get(
        reverse("measures:dashboard"), {"month": MONTH, "by": "worker", "team": small.pk}
    )
    html = response.content.decode()
    assert 'name="team"' not in html
    assert "2 of 6" in html  # still the manager's own team
    assert selectors.teams_to_choose(manager) == []
    assert [t.name for t in selectors.teams_to_choose(agency_world["leader"])] == sorted(
        [small.name, manager.team.name]
    )


def test_dashboard_serves_a_partial_to_htmx(client, agency_world):
    client.force_login(agency_world["leader"])
    response = client.get(
        reverse("measures:dashboard"), {"month": MONTH}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert 'id="measures-figures"' in html and "<html" not in html


def test_without_a_month_the_form_shows_the_month_the_figures_are_for(client, agency_world):
    client.force_login(agency_world["leader"])
    html = client.get(reverse("measures:dashboard")).content.decode()
    this_month = f"{timezone.localdate():%Y-%m}"
    assert f'name="month" value="{this_month}"' in html
    assert f"?month={this_month}&amp;by=team" in html  # and every link carries it
    assert "error-message" not in html


def test_a_bad_month_is_refused_politely(client, agency_world):
    client.force_login(agency_world["leader"])
    response = client.get(reverse("measures:dashboard"), {"month": "March"})
    assert response.status_code == 200
    assert "Give the month as YYYY-MM" in response.content.decode()


def test_drilldown_lists_the_cases_and_is_audited(client, agency_world):
    leader = agency_world["leader"]
    client.force_login(leader)
    response = client.get(
        reverse("measures:drilldown"),
        {
            "code": "B01",
            "month": MONTH,
            "by": "team",
            "group": agency_world["small"].pk,
            "part": "not_met",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    missing = agency_world["theirs"][1]
    assert reverse("casefile:case_detail", args=[missing.pk]) in html
    assert reverse("casefile:case_detail", args=[agency_world["theirs"][0].pk]) not in html
    event = AuditEvent.objects.get(verb="measures.drilldown_viewed")
    assert event.actor == leader and event.changes["rows"] == 1


def test_drilldown_never_reaches_another_agency_or_another_team(client, manager, agency_world):
    client.force_login(manager)
    response = client.get(
        reverse("measures:drilldown"), {"code": "B01", "month": MONTH, "part": "denominator"}
    )
    html = response.content.decode()
    assert "Outsider family" not in html
    for case in agency_world["theirs"]:
        assert reverse("casefile:case_detail", args=[case.pk]) not in html
    assert (
        len(
            selectors.drilldown(
                manager,
                code="B01",
                day=datetime.date(2026, 3, 31),
                by="worker",
                group="all",
                part="denominator",
            )
        )
        == 6
    )


def test_an_outsider_sees_none_of_the_agency(agency_world):
    outsider_leader = factories.UserFactory(
        team=None, agency=agency_world["outsider"].agency, role=Role.SENIOR_LEADER
    )
    result = selectors.dashboard(outsider_leader, day=datetime.date(2026, 3, 31), by="team")
    b01 = next(r for r in result["rows"] if r["measure"].code == "B01")
    assert (b01["total"]["numerator"], b01["total"]["denominator"]) == (1, 1)


def test_a_restricted_case_is_left_out_for_those_off_its_list(agency_world, manager):
    case = agency_world["theirs"][0]
    case.is_restricted = True
    case.save()
    result = selectors.dashboard(agency_world["leader"], day=datetime.date(2026, 3, 31), by="team")
    b01 = next(r for r in result["rows"] if r["measure"].code == "B01")
    assert b01["total"]["denominator"] == 7


@pytest.mark.parametrize("role", [Role.CONFERENCE_CHAIR, Role.ADMINISTRATOR])
def test_others_are_refused_the_figures_but_read_the_catalogue(client, team, role):
    client.force_login(factories.UserFactory(team=None, agency=team.agency, role=role))
    assert client.get(reverse("measures:dashboard")).status_code == 403
    assert client.get(reverse("measures:catalogue")).status_code == 200
    assert client.get(reverse("measures:definition", args=["B03"])).status_code == 200


def test_definition_page_shows_every_part_of_the_definition(client, worker):
    client.force_login(worker)
    html = client.get(reverse("measures:definition", args=["b06"])).content.decode()
    for part in ["Numerator", "Denominator", "Period", "Exclusions", "Higher is better"]:
        assert part in html
    assert client.get(reverse("measures:definition", args=["Z99"])).status_code == 404


def test_csv_download_is_audited_and_safe(client, agency_world):
    team = agency_world["small"]
    team.name = "=HYPERLINK(1)"
    team.save()
    client.force_login(agency_world["leader"])
    response = client.get(
        reverse("measures:download"),
        {"table": "dashboard", "fmt": "csv", "month": MONTH, "by": "team"},
    )
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == [
        "Code",
        "Measure",
        "Group",
        "Numerator",
        "Denominator",
        "Value",
        "Value is",
    ]
    b01_small = next(r for r in rows if r[0] == "B01" and "HYPERLINK" in r[2])
    assert b01_small[2].startswith("'=")
    assert b01_small[3] == "fewer than 5"
    assert ["B01", "Current map", "All", "3", "8", "37.5", "percent"] in rows
    assert AuditEvent.objects.filter(verb="measures.table_downloaded").count() == 1


def test_xlsx_download_of_the_cases_behind_a_figure(client, agency_world):
    client.force_login(agency_world["leader"])
    response = client.get(
        reverse("measures:download"),
        {"table": "drilldown", "fmt": "xlsx", "code": "B01", "month": MONTH, "part": "numerator"},
    )
    assert response["Content-Disposition"].endswith('.xlsx"')
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.values)
    assert values[0][0] == "Family" and len(values) == 4
    event = AuditEvent.objects.get(verb="measures.table_downloaded")
    assert event.changes["measure"] == "B01" and event.changes["rows"] == 3


def test_trends_page_and_download(client, worker, agency_world):
    client.force_login(worker)
    response = client.get(reverse("measures:trends"), {"month": MONTH})
    html = response.content.decode()
    assert response.status_code == 200 and "<svg" in html and "B01 by month" in html
    download = client.get(
        reverse("measures:download"), {"table": "trends", "fmt": "csv", "month": MONTH}
    )
    rows = list(csv.reader(io.StringIO(download.content.decode())))
    assert ["B01", "Current map", "2026-03-31", "1", "3", "33.3", "percent"] in rows
