import csv
import importlib
import io

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from agencies.models import Role
from core.models import AuditEvent
from evaluation import pilots
from evaluation.models import EvaluationDesign
from evaluation.pilots import pilot_design_ensure
from evaluation.report import build_report, design_groups
from tests import factories

pytestmark = pytest.mark.django_db

READERS = {Role.SENIOR_LEADER, Role.PRACTICE_LEAD, Role.PERFORMANCE_ANALYST}


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def small_design(analyst, loaded):
    """Leicestershire and Wakefield (whose neighbours the excerpt holds) from 2019, with 2014
    before: the excerpt's two years."""
    return EvaluationDesign.objects.create(
        agency=analyst.agency,
        slug="excerpt",
        name="Excerpt design",
        implementation=[{"code": "384", "start": 2019}, {"code": "855", "start": 2019}],
        comparison="neighbours",
        first_year=2014,
        last_year=2019,
        indicators=["referral_rate", "rereferral_pct"],
    )


def test_the_pilot_design_ships_with_threefold(db):
    from evaluation.pilots import pilot_values

    pilot_design_ensure()  # made by migration 0002, unless a transactional test flushed it
    design = EvaluationDesign.objects.get(slug="signs-of-safety-pilots", agency=None)
    migration = importlib.import_module("evaluation.migrations.0002_signs_of_safety_pilots")
    assert migration.EIP1 == pilots.EIP1 and migration.INDICATORS == pilots.INDICATORS
    assert migration.DESCRIPTION == pilots.DESCRIPTION
    assert design.implementation == pilot_values()["implementation"]
    starts = {item["code"]: item["start"] for item in design.implementation}
    assert len(starts) == 11
    assert starts["211"] == 2015 and starts["303"] == 2018  # Tower Hamlets; Bexley
    assert design.comparison == "neighbours" and (design.first_year, design.last_year) == (
        2013,
        2019,
    )


@pytest.mark.parametrize("role", [r for r in Role.values])
def test_who_may_open_the_overview(client, role):
    user = factories.UserFactory(team=None, agency=factories.AgencyFactory(), role=role)
    client.force_login(user)
    response = client.get(reverse("evaluation:overview"))
    allowed = role in READERS or role == Role.ADMINISTRATOR
    assert response.status_code == (200 if allowed else 403)
    response = client.get(reverse("evaluation:compare"))
    assert response.status_code == (200 if role in READERS else 403)


def test_the_overview_shows_what_is_loaded_and_the_problems(client, analyst, loaded, tmp_path):
    from evaluation.services import LoadFailed, statistics_load
    from tests.evaluation.conftest import C1_HEADER, c1_row, write_csv

    write_csv(tmp_path, "c1.csv", C1_HEADER, [c1_row(2020, "855", "Leicestershire", "many")])
    with pytest.raises(LoadFailed):
        statistics_load(actor=None, directory=tmp_path)
    client.force_login(analyst)
    page = client.get(reverse("evaluation:overview")).content.decode()
    assert "c1_referrals_2014_and_2019.csv" in page
    assert "Problems in the latest load" in page
    assert "&#x27;many&#x27; is neither a number" in page
    assert "Suppressed (small number) (c)" in page


def test_compare_shows_the_authority_its_neighbours_and_england(
    client, analyst, loaded, django_assert_max_num_queries
):
    client.force_login(analyst)
    url = reverse("evaluation:compare") + "?authority=855&indicator=referral_rate&model=2021"
    with django_assert_max_num_queries(15):
        response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Referrals per 10,000 children: Leicestershire" in page
    assert "<svg" in page and "<table" in page
    assert "Statistical neighbours: " in page


def test_compare_htmx_answers_with_the_section_only(client, analyst, loaded):
    client.force_login(analyst)
    url = reverse("evaluation:compare") + "?authority=384&indicator=rereferral_pct"
    response = client.get(url, headers={"HX-Request": "true"})
    page = response.content.decode()
    assert page.lstrip().startswith('<section id="comparison"')
    assert "<html" not in page


def test_compare_csv_is_spreadsheet_safe(client, analyst, loaded):
    client.force_login(analyst)
    url = reverse("evaluation:compare_csv") + "?authority=855&indicator=referral_rate"
    response = client.get(url)
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:2] == ["Year ending 31 March", "Leicestershire"]
    years = {row[0]: row for row in rows[1:]}
    assert set(years) == {"2014", "2019"}
    assert years["2019"][1]  # Leicestershire has a rate in 2019 (mid-2018 population)
    assert years["2014"][4]  # England in 2014 (mid-2013 population)


def test_an_invalid_choice_is_explained(client, analyst, loaded):
    client.force_login(analyst)
    response = client.get(reverse("evaluation:compare") + "?authority=999&indicator=nope")
    assert response.status_code == 400
    assert "There is a problem" in response.content.decode()


def test_saving_a_design(client, analyst, loaded):
    client.force_login(analyst)
    response = client.post(
        reverse("evaluation:designs"),
        {
            "name": "Our neighbours",
            "implementation": "Leicestershire, 2019\n384, 2019",
            "comparison": "all_others",
            "first_year": "2014",
            "last_year": "2019",
            "indicators": ["referral_rate"],
        },
    )
    assert response.status_code == 302
    design = EvaluationDesign.objects.get(slug="our-neighbours")
    assert design.agency == analyst.agency
    assert design.implementation == [{"code": "384", "start": 2019}, {"code": "855", "start": 2019}]
    event = AuditEvent.objects.get(verb="evaluation.design_created")
    assert event.actor == analyst and event.agency_id == analyst.agency_id
    # Another agency does not see it; everyone sees the shared pilot design.
    other = factories.UserFactory(
        team=None, agency=factories.AgencyFactory(), role=Role.SENIOR_LEADER
    )
    client = Client()
    client.force_login(other)
    page = client.get(reverse("evaluation:designs")).content.decode()
    assert "Our neighbours" not in page and "Signs of Safety innovation programme" in page
    assert client.get(reverse("evaluation:report") + "?design=our-neighbours").status_code == 404


def test_a_design_with_mistakes_comes_back_with_each_one(client, analyst, loaded):
    client.force_login(analyst)
    response = client.post(
        reverse("evaluation:designs"),
        {
            "name": "",
            "implementation": "Atlantis, 2016\nBrent 2016",
            "comparison": "neighbours",
            "first_year": "2019",
            "last_year": "2014",
            "indicators": [],
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    assert "no local authority is called “Atlantis”" in page
    assert "Line 2: write the authority, a comma, then a year." in page
    assert not EvaluationDesign.objects.exclude(agency=None).exists()


def test_the_report_page_and_pdf(client, analyst, small_design, django_assert_max_num_queries):
    client.force_login(analyst)
    url = reverse("evaluation:report") + "?design=excerpt"
    with django_assert_max_num_queries(30):
        response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Difference-in-differences estimates, with 95% intervals" in page
    assert "Implementation against outcomes" in page  # the marked place for part 4
    assert "What this can and cannot say" in page
    pdf = client.get(reverse("evaluation:report_pdf") + "?design=excerpt")
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert b"/StructTreeRoot" in pdf.content and b"/MarkInfo" in pdf.content


def test_the_report_without_statistics_says_so(client, analyst):
    client.force_login(analyst)
    page = client.get(reverse("evaluation:report")).content.decode()
    assert "No published statistics have been loaded yet" in page


def test_the_excerpt_design_estimates_and_groups(small_design):
    starts, comparison = design_groups(small_design)
    assert starts == {"384": 2019, "855": 2019}
    assert len(comparison) == 20 and not set(comparison) & set(starts)
    report = build_report(small_design, permutations=99)
    referral = report.results[0]
    assert referral.did.estimate is not None
    assert referral.did.pre_years == [2014]
    assert any("Only 1 year(s) before" in s for s in referral.caveats.statements)


def test_the_report_command_is_reproducible(small_design, tmp_path, capsys):
    first, second = tmp_path / "one", tmp_path / "two"
    call_command(
        "evaluation_report",
        "--design",
        "excerpt",
        "--agency",
        small_design.agency.code,
        "--out",
        str(first),
    )
    call_command(
        "evaluation_report",
        "--design",
        "excerpt",
        "--agency",
        small_design.agency.code,
        "--out",
        str(second),
    )
    assert (first / "report.html").read_bytes() == (second / "report.html").read_bytes()
    assert (first / "report.pdf").read_bytes() == (second / "report.pdf").read_bytes()
    metadata = PdfReader(first / "report.pdf").metadata
    assert metadata["/CreationDate"] == metadata["/ModDate"] == "D:20200101000000Z"
    out = capsys.readouterr().out
    assert "Referrals per 10,000 children:" in out
    assert AuditEvent.objects.filter(verb="evaluation.report_written").count() == 2


def test_the_report_command_refuses_an_unknown_design(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No design"):
        call_command("evaluation_report", "--design", "nope", "--out", "/tmp/nowhere")
