"""D05, audited cases graded good or better, in the measures of practice."""

import datetime

import pytest
from django.urls import reverse

from agencies.models import Role
from measures import compute
from measures.catalogue import AUDITS, measure_get
from people.models import Case
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def audits(team, worker, case):
    """Completed audits either side of the end of February 2026."""
    other_team = factories.TeamFactory(agency=team.agency)
    other_case = factories.CaseFactory(team=other_team)
    factories.AllocationFactory(case=other_case)

    def audit(on, grade, counted=None, case_=case, status="completed"):
        return factories.CaseAuditFactory(
            case=case_, completed_on=on, grade=grade, counted_grade=counted or grade, status=status
        )

    made = {
        "jan_good": audit(datetime.date(2026, 1, 31), 4),
        "feb_first": audit(datetime.date(2026, 2, 1), 3),
        "feb_raised": audit(datetime.date(2026, 2, 27), 2, counted=3, status="moderated"),
        "feb_lowered": audit(datetime.date(2026, 2, 28), 3, counted=2, status="moderated"),
        "mar_first": audit(datetime.date(2026, 3, 1), 4),
        "mar_other_team": audit(datetime.date(2026, 3, 5), 1, case_=other_case),
        "mar_later": audit(datetime.date(2026, 3, 20), 4),
    }
    factories.CaseAuditFactory(
        case=case,
        status="in_progress",
        started_on=datetime.date(2026, 2, 10),
        completed_on=None,
        grade=None,
        counted_grade=None,
    )
    return made


def figure(day, by="agency", **kwargs):
    return compute.figures_on(Case.objects.all(), day=day, by=by, **kwargs)


def test_d05_counts_the_month_up_to_the_day_with_the_moderated_grade(audits):
    assert measure_get("D05").unit == "audits"
    february = figure(datetime.date(2026, 2, 28)).total("D05")
    # 1 Feb good, 27 Feb raised to good by moderation, 28 Feb lowered below good.
    assert (february.numerator, february.denominator) == (2, 3)
    early_march = figure(datetime.date(2026, 3, 4)).total("D05")
    assert (early_march.numerator, early_march.denominator) == (1, 1)
    march = figure(datetime.date(2026, 3, 31)).total("D05")
    assert (march.numerator, march.denominator, march.percent) == (2, 3, 66.7)
    january = figure(datetime.date(2026, 1, 30)).total("D05")
    assert (january.numerator, january.denominator) == (0, 0)


def test_d05_by_team_and_for_a_workers_caseload(audits, team, worker):
    by_team = figure(datetime.date(2026, 3, 31), by="team").cells["D05"]
    assert (by_team[team.pk].numerator, by_team[team.pk].denominator) == (2, 2)
    mine = figure(datetime.date(2026, 3, 31), worker_id=worker.pk).total("D05")
    assert (mine.numerator, mine.denominator) == (2, 2)


def test_the_audits_behind_a_d05_figure(audits):
    kwargs = {"day": datetime.date(2026, 2, 28), "by": "agency", "group": "all"}
    behind = compute.units_behind("D05", Case.objects.all(), part="not_met", **kwargs)
    assert list(behind) == [audits["feb_lowered"]]
    met = compute.units_behind("D05", Case.objects.all(), part="numerator", **kwargs)
    assert set(met) == {audits["feb_first"], audits["feb_raised"]}


def test_d05_trend_takes_the_figure_at_each_months_end(audits, django_assert_num_queries):
    # One query for every month-end, as counting each alone would give.
    with django_assert_num_queries(1):
        series = compute.trend(
            Case.objects.all(), last=datetime.date(2026, 3, 31), months=3, units={AUDITS}
        )
    assert [(f.total("D05").numerator, f.total("D05").denominator) for f in series] == [
        (1, 1),
        (2, 3),
        (2, 3),
    ]
    for month in series:
        assert month.total("D05") == figure(month.day, units={AUDITS}).total("D05")


def test_the_measures_pages_show_d05(client, audits, team):
    leader = factories.UserFactory(team=None, agency=team.agency, role=Role.SENIOR_LEADER)
    client.force_login(leader)
    dashboard = client.get(reverse("measures:dashboard"), {"month": "2026-02", "by": "team"})
    assert "D05 Audited cases graded good or better" in dashboard.content.decode()
    trends = client.get(reverse("measures:trends"), {"month": "2026-03"})
    assert "D05 Audited cases graded good or better" in trends.content.decode()
    drill = client.get(
        reverse("measures:drilldown"),
        {"code": "D05", "part": "not_met", "month": "2026-02", "by": "agency"},
    )
    page = drill.content.decode()
    assert drill.status_code == 200 and "Completed 28 Feb 2026; requires improvement" in page
    assert "(moderated)" in page
    download = client.get(
        reverse("measures:download"),
        {"table": "drilldown", "code": "D05", "part": "denominator", "month": "2026-02"},
    )
    assert download.status_code == 200 and download.content.decode().count("Completed") == 3
    definition = client.get(reverse("measures:definition", args=["D05"]))
    assert "completed case audits" in definition.content.decode()
