"""The impact measures from the statutory record, on small hand-built histories with known
answers: period boundaries, children with several referrals, plans and episodes, and the
calendar edges of "within 12 months" and "2 years or more"."""

import csv
import datetime
import io

import pytest
from django.urls import reverse

from agencies.models import Role
from evaluation.models import LocalAuthority, PopulationEstimate, PublishedRelease
from measures import compute, impact, selectors
from people.models import Case
from process.models import ChildInNeedPlan, ChildProtectionPlan
from tests import factories
from tests.measures.process_records import (
    child_of,
    cin_plan,
    cp_plan,
    episode,
    referral,
)

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 3, 31)
D = datetime.date


def figures(day=DAY, by="agency", cases=None, **kwargs):
    return compute.figures_on(cases or Case.objects.all(), day=day, by=by, **kwargs)


def cell(result, code):
    total = result.total(code)
    return (total.numerator, total.denominator)


def test_the_rolling_year_runs_from_the_day_after_the_same_date_a_year_before():
    assert impact.year_up_to(D(2026, 3, 31)) == D(2025, 4, 1)
    assert impact.year_up_to(D(2024, 2, 29)) == D(2023, 3, 1)


def test_re_referrals_within_12_months_exactly_and_a_day_over(make_case, settings, team):
    settings.THREEFOLD_MEASURES_CHILD_POPULATION = {team.agency.code: 2000}
    case = make_case(opened_on=D(2025, 1, 1))
    exactly = child_of(case, "Exactly")
    referral(case, exactly, D(2025, 3, 15))  # before the year: not counted itself
    referral(case, exactly, D(2026, 3, 15))  # 12 months to the day: a re-referral
    day_over = child_of(case, "Dayover")
    referral(case, day_over, D(2025, 3, 15))
    referral(case, day_over, D(2026, 3, 16))  # 12 months and a day: not
    twice = child_of(case, "Twice")
    referral(case, twice, D(2025, 6, 1))
    referral(case, twice, D(2025, 9, 1))
    # A child with two episodes (cases): the earlier case's referral counts as previous.
    earlier = make_case(opened_on=D(2025, 5, 1), closed_on=D(2025, 8, 1))
    later = make_case(opened_on=D(2026, 2, 1))
    returning = child_of(earlier, "Returning")
    referral(earlier, returning, D(2025, 5, 1))
    referral(later, returning, D(2026, 2, 1))
    referral(case, child_of(case, "Future"), D(2026, 4, 1))  # after the day
    # Another agency's referral of a child with the same name never counts.
    outsider = factories.CaseFactory(opened_on=D(2025, 1, 1))
    referral(outsider, child_of(outsider, "Exactly"), D(2026, 1, 1))

    result = figures(cases=Case.objects.filter(agency=case.agency))
    assert cell(result, "I04") == (3, 6)
    assert cell(result, "I03") == (6, 2000)
    assert result.total("I03").percent == 30.0  # 6 referrals per 2,000 children = 30 per 10,000
    # A year earlier only the two March 2025 referrals and none before them: no re-referral.
    assert cell(figures(day=D(2025, 3, 31)), "I04") == (0, 2)


def test_repeat_plans_ever_and_within_two_years_of_the_last_ending(make_case):
    case = make_case(opened_on=D(2021, 1, 1))
    quick = child_of(case, "Quick")
    cp_plan(case, quick, D(2022, 1, 10), D(2023, 6, 1))
    cp_plan(case, quick, D(2025, 5, 1))  # 11 months after the last ended
    exactly = child_of(case, "Exactly")
    cp_plan(case, exactly, D(2021, 2, 1), D(2023, 5, 1))
    cp_plan(case, exactly, D(2025, 5, 1))  # 2 years to the day: within
    day_over = child_of(case, "Dayover")
    cp_plan(case, day_over, D(2021, 1, 1), D(2023, 4, 30))
    cp_plan(case, day_over, D(2025, 5, 1))  # 2 years and a day: repeat, not within 2 years
    first = child_of(case, "First")
    cp_plan(case, first, D(2025, 6, 1))
    both = child_of(case, "Both")  # two plans in the same year
    cp_plan(case, both, D(2025, 5, 1), D(2025, 8, 1))
    cp_plan(case, both, D(2025, 10, 1))

    result = figures()
    assert cell(result, "I05") == (4, 6)
    assert cell(result, "I06") == (3, 6)
    assert result.total("I05").percent == 66.7


def test_plans_ended_after_two_years_or_more_and_plans_open_across_the_boundary(
    make_case, settings, team
):
    settings.THREEFOLD_MEASURES_CHILD_POPULATION = {team.agency.code: 1000}
    case = make_case(opened_on=D(2023, 1, 1))
    cp_plan(case, child_of(case, "Two"), D(2023, 5, 1), D(2025, 5, 1))  # exactly 2 years
    cp_plan(case, child_of(case, "Short"), D(2023, 5, 2), D(2025, 5, 1))  # a day short
    cp_plan(case, child_of(case, "Earlier"), D(2022, 1, 1), D(2025, 3, 31))  # ended before
    across = child_of(case, "Across")
    cp_plan(case, across, D(2024, 1, 1), D(2026, 4, 15))  # open at the end of the day
    cp_plan(case, child_of(case, "Endsonday"), D(2025, 6, 1), D(2026, 3, 31))
    cp_plan(case, child_of(case, "Later"), D(2026, 4, 1))

    result = figures()
    assert cell(result, "I07") == (1, 3)
    assert cell(result, "I08") == (1, 1000)
    assert result.total("I08").percent == 10.0
    assert cell(figures(day=D(2025, 12, 31)), "I08") == (2, 1000)


def test_step_downs_to_a_child_in_need_plan_and_to_early_help(make_case, settings):
    settings.THREEFOLD_MEASURES_STEP_DOWN_DAYS = 14
    case = make_case(opened_on=D(2024, 1, 1))
    in_time = child_of(case, "Intime")
    cp_plan(case, in_time, D(2024, 6, 1), D(2025, 9, 1))
    cin_plan(case, in_time, D(2025, 9, 15))  # 14 days after
    too_late = child_of(case, "Toolate")
    cp_plan(case, too_late, D(2024, 6, 1), D(2025, 9, 1))
    cin_plan(case, too_late, D(2025, 9, 16))  # 15 days after
    recorded = child_of(case, "Recorded")
    cp_plan(case, recorded, D(2024, 6, 1), D(2025, 10, 1), "step_down_cin")
    into_care = child_of(case, "Intocare")  # not a plan that could step down
    cp_plan(case, into_care, D(2024, 6, 1), D(2025, 10, 1), "looked_after")
    # Child in need plans: one to early help, one needs met, one stepped up (not counted).
    cin_plan(case, child_of(case, "Eh"), D(2025, 1, 1), D(2025, 12, 1), "early_help")
    cin_plan(case, child_of(case, "Met"), D(2025, 1, 1), D(2025, 12, 1), "needs_met")
    cin_plan(case, child_of(case, "Up"), D(2025, 1, 1), D(2025, 12, 1), "step_up_cp")

    result = figures()
    assert cell(result, "I09") == (2, 3)
    assert cell(result, "I10") == (1, 2)


def test_entries_to_care_children_looked_after_and_kinship_placements(make_case, settings, team):
    settings.THREEFOLD_MEASURES_CHILD_POPULATION = {team.agency.code: 3000}
    case = make_case(opened_on=D(2024, 1, 1))
    moved = child_of(case, "Moved")  # one period of care, two episodes (X1 at the change)
    episode(case, moved, D(2025, 5, 1), D(2025, 9, 1), "X1", legal_status="C1")
    episode(case, moved, D(2025, 9, 1), placement="U3")
    twice = child_of(case, "Twice")  # two periods of care in the year: one start
    episode(case, twice, D(2025, 6, 1), D(2025, 7, 1), "E13")
    episode(case, twice, D(2025, 11, 1))
    long_term = child_of(case, "Longterm")  # looked after across the year's start
    episode(case, long_term, D(2024, 1, 1), placement="P1")
    episode(case, child_of(case, "Breaks"), D(2025, 6, 1), legal_status="V3")
    episode(case, child_of(case, "Home"), D(2025, 8, 1), D(2026, 3, 31), "E4A")

    result = figures()
    assert cell(result, "I12") == (3, 3000)
    assert result.total("I12").percent == 10.0
    assert cell(result, "I11") == (3, 3000)
    assert cell(result, "I13") == (1, 3)  # placed with relatives or friends (U3); P1 is not


def test_rates_use_the_ons_estimate_when_the_agency_is_a_local_authority(make_case, team):
    case = make_case(opened_on=D(2024, 1, 1))
    referral(case, child_of(case), D(2025, 6, 1))
    release = PublishedRelease.objects.create(
        table="population",
        file_name="ons.csv",
        sha256="0" * 64,
        first_year=2024,
        last_year=2025,
        rows=2,
    )
    authority = LocalAuthority.objects.create(code=team.agency.code, level="la", name="Testshire")
    PopulationEstimate.objects.create(
        release=release, authority=authority, mid_year=2024, children=5000
    )
    PopulationEstimate.objects.create(
        release=release, authority=authority, mid_year=2025, children=4000
    )

    assert cell(figures(), "I03") == (1, 4000)  # April 2025 to March 2026 uses mid-2025
    assert cell(figures(day=D(2025, 12, 31)), "I03") == (1, 4000)
    assert cell(figures(day=D(2025, 6, 30)), "I03") == (1, 4000)
    assert cell(figures(day=D(2025, 3, 31)), "I03") == (0, 0)  # nothing counted yet
    assert impact.population_source(team.agency, D(2025, 3, 31))["children"] == 5000


def test_without_a_population_a_rate_shows_the_count_only(make_case, team):
    case = make_case(opened_on=D(2024, 1, 1))
    referral(case, child_of(case), D(2025, 6, 1))
    leader = factories.UserFactory(team=None, agency=team.agency, role=Role.SENIOR_LEADER)
    row = next(
        r
        for r in selectors.dashboard(leader, day=DAY, by="agency")["rows"]
        if r["measure"].code == "I03"
    )
    assert row["total"]["numerator"] == 1 and row["total"]["percent"] is None
    assert row["total"]["no_population"]
    assert impact.population_source(team.agency, DAY) == {"children": None, "source": ""}


def test_small_numbers_are_suppressed_in_team_comparisons(make_case, settings, team):
    settings.THREEFOLD_MEASURES_CHILD_POPULATION = {team.agency.code: 10000}
    small = factories.TeamFactory(agency=team.agency, name="Small team")
    big_case = make_case(opened_on=D(2024, 1, 1))
    for name in ["A", "B", "C", "D", "E", "F"]:
        referral(big_case, child_of(big_case, name), D(2025, 6, 1))
    small_case = make_case(
        opened_on=D(2024, 1, 1), team_=small, worker_=factories.UserFactory(team=small)
    )
    for name in ["G", "H"]:
        child = child_of(small_case, name)
        referral(small_case, child, D(2025, 5, 1))
        referral(small_case, child, D(2025, 7, 1))
    leader = factories.UserFactory(team=None, agency=team.agency, role=Role.SENIOR_LEADER)

    rows = {r["measure"].code: r for r in selectors.dashboard(leader, day=DAY, by="team")["rows"]}
    re_referrals = {c["group_label"]: c for c in rows["I04"]["cells"]}
    assert re_referrals[team.name]["denominator"] == 6
    assert re_referrals[team.name]["rating"] == "good"  # none of 6: lower is better
    assert re_referrals["Small team"]["suppressed"]  # 4 referrals: fewer than 5
    assert (rows["I04"]["total"]["numerator"], rows["I04"]["total"]["denominator"]) == (2, 10)
    assert rows["I04"]["total"]["rating"] == "good"  # 20%: good up to 20% (lower is better)
    rates = {c["group_label"]: c for c in rows["I03"]["cells"]}
    assert rates[team.name]["percent"] == 6.0 and not rates[team.name]["suppressed"]
    assert rates["Small team"]["suppressed"]  # a rate hides a small count, not its population
    assert rows["I03"]["total"]["percent"] == 10.0  # 10 per 10,000: the population not summed


def test_grouped_by_the_worker_allocated_when_it_happened(make_case, worker):
    colleague = factories.UserFactory(team=worker.team)
    case = make_case(opened_on=D(2025, 4, 1))
    allocation = case.allocations.get()
    allocation.ended_on = D(2025, 10, 1)
    allocation.save()
    factories.AllocationFactory(case=case, worker=colleague, started_on=D(2025, 10, 1))
    child = child_of(case)
    referral(case, child, D(2025, 6, 1))
    referral(case, child, D(2025, 11, 1))

    by_worker = figures(by="worker").cells["I04"]
    assert (by_worker[worker.pk].numerator, by_worker[worker.pk].denominator) == (0, 1)
    assert (by_worker[colleague.pk].numerator, by_worker[colleague.pk].denominator) == (1, 1)
    assert cell(figures(worker_id=colleague.pk), "I04") == (1, 1)


def test_the_children_behind_a_figure(make_case, team):
    case = make_case(opened_on=D(2025, 1, 1))
    child = child_of(case, "Rory")
    referral(case, child, D(2025, 5, 1))
    referral(case, child, D(2025, 8, 1))
    leader = factories.UserFactory(team=None, agency=team.agency, role=Role.SENIOR_LEADER)
    rows = selectors.drilldown(
        leader, code="I04", day=DAY, by="team", group="all", part="numerator"
    )
    assert len(rows) == 1
    assert rows[0]["case_id"] == case.pk
    assert rows[0]["detail"] == "Rory Testington: Referral received 1 Aug 2025"
    not_met = selectors.drilldown(
        leader, code="I04", day=DAY, by="team", group="all", part="not_met"
    )
    assert [r["detail"] for r in not_met] == ["Rory Testington: Referral received 1 May 2025"]


def test_impact_trends_run_over_the_longer_impact_months(make_case, settings, worker):
    settings.THREEFOLD_MEASURES_IMPACT_TREND_MONTHS = 48
    settings.THREEFOLD_MEASURES_TREND_MONTHS = 12
    case = make_case(opened_on=D(2023, 1, 1))
    child = child_of(case)
    referral(case, child, D(2023, 2, 1))
    referral(case, child, D(2023, 12, 1))
    rows = {r["measure"].code: r for r in selectors.trends(worker, last=DAY, months=12)["rows"]}
    assert len(rows["B01"]["points"]) == 12
    points = rows["I04"]["points"]
    assert len(points) == 48 and points[0]["day"] == D(2022, 4, 30)
    by_month = {p["day"]: (p["numerator"], p["denominator"]) for p in points}
    assert by_month[D(2023, 12, 31)] == (1, 2)
    assert by_month[D(2024, 11, 30)] == (1, 1)  # the December 2023 one, still in the year
    assert by_month[D(2024, 12, 31)] == (0, 0)


def test_the_pages_show_rates_direction_and_the_records_behind(client, make_case, settings, team):
    settings.THREEFOLD_MEASURES_CHILD_POPULATION = {team.agency.code: 2000}
    case = make_case(opened_on=D(2025, 1, 1))
    child = child_of(case, "Rory")
    referral(case, child, D(2025, 5, 1))
    referral(case, child, D(2025, 8, 1))
    leader = factories.UserFactory(team=None, agency=team.agency, role=Role.SENIOR_LEADER)
    client.force_login(leader)

    html = client.get(reverse("measures:dashboard"), {"month": "2026-03"}).content.decode()
    assert "10.0 per 10,000" in html and "2 referrals" in html
    assert "Lower is better" in html and "2000 children" in html
    assert "50.0%" in html and '<span class="tag tag--warning">High</span>' in html
    definition = client.get(reverse("measures:definition", args=["I04"])).content.decode()
    assert "good up to 20%, fair up to 25%" in definition
    rate = client.get(reverse("measures:definition", args=["I03"])).content.decode()
    assert "None: not rated" in rate and "2000 children aged 0 to 17" in rate
    page = client.get(
        reverse("measures:drilldown"), {"code": "I03", "month": "2026-03", "part": "not_met"}
    ).content.decode()
    assert page.count("Rory Testington: Referral received") == 2
    assert "in the denominator" not in page  # a rate's denominator is a population
    download = client.get(
        reverse("measures:download"), {"table": "dashboard", "fmt": "csv", "month": "2026-03"}
    ).content.decode()
    rows = list(csv.reader(io.StringIO(download)))
    assert [
        "I03",
        "Referrals per 10,000 children",
        "All",
        "2",
        "2000",
        "10.0",
        "per 10,000 children",
    ] in rows
    assert ["I04", "Re-referrals within 12 months", "All", "1", "2", "50.0", "percent"] in rows


@pytest.mark.parametrize("population", ["none", "set", "ons"])
def test_a_trend_counts_impact_units_by_month_as_each_month_end_would_alone(
    make_case, team, worker, settings, population, django_assert_num_queries
):
    """Referrals, plans started, ended or open, starts of care and children looked after are
    counted once for every month-end of a trend; each month-end must still give what counting
    it alone gives, for the agency and for one worker, with the rates over each reporting
    year's population."""
    if population == "set":
        settings.THREEFOLD_MEASURES_CHILD_POPULATION = {team.agency.code: 2000}
    elif population == "ons":
        release = PublishedRelease.objects.create(
            table="population", file_name="ons.csv", sha256="0" * 64, first_year=2022,
            last_year=2024, rows=2,
        )  # fmt: skip
        authority = LocalAuthority.objects.create(code=team.agency.code, level="la", name="Shire")
        for mid_year, children in [(2022, 5000), (2024, 4000)]:  # none published for 2023
            PopulationEstimate.objects.create(
                release=release, authority=authority, mid_year=mid_year, children=children
            )
    case = make_case(opened_on=D(2021, 6, 1))
    colleague = factories.UserFactory(team=team)
    other = make_case(opened_on=D(2022, 1, 1), worker_=colleague)
    ada, ben, cal = child_of(case, "Ada"), child_of(case, "Ben"), child_of(other, "Cal")
    cp_plan(case, ada, D(2022, 2, 28), D(2024, 2, 29))  # two years to the day, a leap day
    cp_plan(case, ada, D(2024, 12, 1))  # a repeat within two years of the last ending
    cp_plan(case, ben, D(2023, 1, 31), D(2023, 3, 1), ChildProtectionPlan.EndReason.STEP_DOWN_CIN)
    cin_plan(case, ben, D(2023, 3, 1), D(2025, 1, 31), ChildInNeedPlan.EndReason.EARLY_HELP)
    cp_plan(other, cal, D(2023, 12, 31), D(2024, 1, 1), ChildProtectionPlan.EndReason.TRANSFERRED)
    cin_plan(other, cal, D(2024, 1, 1), D(2024, 12, 31), ChildInNeedPlan.EndReason.TRANSFERRED)
    for child, received in [(ada, D(2022, 1, 5)), (ada, D(2022, 12, 1)), (cal, D(2024, 4, 1))]:
        referral(case if child == ada else other, child, received)
    # Care: a period of two episodes changing on the last day of a month (X1), a second period
    # within a year and one more than a year after, short breaks, and an episode still open.
    dee = child_of(other, "Dee")
    episode(other, dee, D(2022, 3, 15), D(2022, 6, 30), "X1", legal_status="C1")
    episode(other, dee, D(2022, 6, 30), D(2023, 1, 31), "E13", placement="U1")
    episode(other, dee, D(2023, 2, 1), D(2023, 5, 1), "E4A")
    episode(other, dee, D(2024, 5, 31), placement="U3")
    episode(case, ben, D(2023, 7, 1), D(2023, 8, 1), "E4A", legal_status="V3")
    episode(case, ada, D(2024, 2, 29), D(2024, 3, 1), "E4A")
    cases, units = Case.objects.all(), set(impact.SERIES)
    stocks = set(impact.STOCKS)
    for worker_id in (None, worker.pk, colleague.pk):
        # One query a unit for the month-ends, whatever their number, and one for each day
        # counted alone: the month so far, and for a year's flows 28 February 2025, whose year
        # starts on 29 February 2024. A stock by worker is counted a day at a time: its worker
        # is the one allocated on the day.
        expected = 3 * len(units - stocks) + (48 if worker_id else 2) * len(stocks)
        with django_assert_num_queries(expected):
            series = compute.trend(
                cases, last=D(2025, 6, 15), months=48, worker_id=worker_id, units=units
            )
        for figures in series:
            alone = compute.figures_on(cases, day=figures.day, worker_id=worker_id, units=units)
            for code in alone.cells:
                assert figures.total(code) == alone.total(code), (worker_id, figures.day, code)
    may, june = compute.trend(cases, last=D(2025, 6, 30), months=2, units=units)
    # Ben's plan ended with early help; Cal's, transferred to another area, is left out.
    assert cell(may, "I10") == (1, 1)
    # Ada's second plan, a repeat, started within the year; the first ended more than a year ago.
    assert cell(june, "I05") == (1, 1) and cell(june, "I07") == (0, 0)
    # A year earlier, two plans had ended: Ada's after two years to the day, and Cal's.
    march = compute.trend(cases, last=D(2024, 3, 31), months=2, units=units)[-1]
    assert cell(march, "I07") == (1, 2)
