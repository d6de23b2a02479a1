"""Each measure on small hand-built cases with known answers."""

import datetime

import pytest

from measures import compute
from measures.catalogue import CASES, DEADLINES, measures
from people.models import Case
from tests import factories
from tests.measures.conftest import DAY, child_in, finalised_map

pytestmark = pytest.mark.django_db


def figures(day=DAY, by="agency", cases=None, **kwargs):
    return compute.figures_on(cases or Case.objects.all(), day=day, by=by, **kwargs)


def cell(result, code):
    total = result.total(code)
    return (total.numerator, total.denominator)


def test_current_map_counts_open_cases_with_a_recent_finalised_map(make_case, settings):
    settings.THREEFOLD_MEASURES_CURRENT_MAP_DAYS = 90
    recent = make_case()
    finalised_map(recent, DAY - datetime.timedelta(days=89))
    old = make_case()
    finalised_map(old, DAY - datetime.timedelta(days=90))
    drafted = make_case()
    factories.MapFactory(case=drafted, held_on=DAY)  # a draft never counts
    make_case()  # no map at all
    future_map = make_case()
    finalised_map(future_map, DAY + datetime.timedelta(days=1))  # after the day
    closed = make_case(closed_on=DAY)  # closed on the day: not open at its end
    finalised_map(closed, DAY)
    make_case(opened_on=DAY + datetime.timedelta(days=1))  # not yet open

    assert cell(figures(), "B01") == (1, 5)


def test_a_case_open_across_the_month_boundary_counts_only_while_open(make_case):
    case = make_case(opened_on=datetime.date(2026, 1, 20), closed_on=datetime.date(2026, 2, 10))
    finalised_map(case, datetime.date(2026, 1, 25))
    january, february = compute.trend(Case.objects.all(), last=datetime.date(2026, 2, 28), months=2)
    assert january.day == datetime.date(2026, 1, 31)
    assert cell(january, "B01") == (1, 1)
    assert cell(february, "B01") == (0, 0)


def test_a_trend_takes_the_months_it_is_given_and_keeps_those_it_counts(make_case):
    case = make_case(opened_on=datetime.date(2026, 1, 20))
    finalised_map(case, datetime.date(2026, 1, 25))
    january, february = datetime.date(2026, 1, 31), datetime.date(2026, 2, 28)
    kept = {(january, CASES): {"B01": compute.Cell(numerator=7, denominator=9)}}
    series = compute.trend(Case.objects.all(), last=february, months=2, units={CASES}, kept=kept)
    assert [cell(figures, "B01") for figures in series] == [(7, 9), (1, 1)]
    assert kept[february, CASES]["B01"] == compute.Cell(numerator=1, denominator=1)


def test_month_ends_stop_at_the_last_day():
    assert compute.month_ends(datetime.date(2026, 3, 15), 3) == [
        datetime.date(2026, 1, 31),
        datetime.date(2026, 2, 28),
        datetime.date(2026, 3, 15),
    ]
    assert compute.month_ends(datetime.date(2026, 1, 31), 2)[0] == datetime.date(2025, 12, 31)


def test_danger_statements_each_paired_with_a_goal_on_the_latest_finalised_map(make_case):
    paired = make_case()
    factories.DangerStatementFactory(map=finalised_map(paired, datetime.date(2026, 2, 1)))
    unpaired = make_case()
    map_ = finalised_map(unpaired, datetime.date(2026, 2, 1))
    factories.DangerStatementFactory(map=map_)
    factories.DangerStatementFactory(map=map_, safety_goal=None)
    superseded = make_case()  # its older map was paired; the latest has no statement
    factories.DangerStatementFactory(map=finalised_map(superseded, datetime.date(2026, 1, 10)))
    finalised_map(superseded, datetime.date(2026, 2, 10))
    make_case()  # no finalised map: not in the denominator

    assert cell(figures(), "B02") == (1, 3)
    # Before the later map the superseded case counted.
    assert cell(figures(day=datetime.date(2026, 2, 5)), "B02") == (2, 3)


def test_scaling_from_two_perspectives_including_the_family(make_case):
    both = make_case()
    map_ = finalised_map(both, datetime.date(2026, 2, 1))
    factories.ScaleJudgementFactory(map=map_, rater_role="worker")
    factories.ScaleJudgementFactory(map=map_, rater_role="parent")
    professionals = make_case()
    map_ = finalised_map(professionals, datetime.date(2026, 2, 1))
    factories.ScaleJudgementFactory(map=map_, rater_role="worker")
    factories.ScaleJudgementFactory(map=map_, rater_role="manager")
    parent_only = make_case()
    map_ = finalised_map(parent_only, datetime.date(2026, 2, 1))
    factories.ScaleJudgementFactory(map=map_, rater_role="parent")
    factories.ScaleJudgementFactory(map=map_, rater_role="parent")

    result = figures()
    assert cell(result, "B03") == (1, 3)
    assert cell(result, "D03") == (2, 3)  # family scaling present


def test_child_voice_and_words_and_pictures_per_child_in_this_episode(make_case):
    earlier = make_case(opened_on=datetime.date(2025, 1, 6), closed_on=datetime.date(2025, 6, 1))
    later = make_case()
    leo = child_in(earlier, "Leo")
    factories.CaseMemberFactory(case=later, person=leo)
    mia = child_in(later, "Mia")
    factories.PersonFactory(agency=later.agency, kind="adult")  # adults never count
    # Leo's Three Houses was in the earlier episode only: it does not count for the later one.
    factories.VoiceRecordFactory(case=earlier, child=leo, done_on=datetime.date(2025, 3, 1))
    factories.VoiceRecordFactory(case=later, child=mia, done_on=datetime.date(2026, 2, 1))
    factories.VoiceRecordFactory(case=later, child=leo, done_on=DAY + datetime.timedelta(days=1))
    version = factories.WPVersionFactory(
        words_and_pictures=factories.WordsAndPicturesFactory(case=later, child=leo)
    )
    type(version).objects.filter(pk=version.pk).update(
        created_at=datetime.datetime(2026, 3, 1, 12, tzinfo=datetime.UTC)
    )

    result = figures()
    assert cell(result, "B04") == (1, 2)
    assert cell(result, "B05") == (1, 2)
    before = figures(day=datetime.date(2026, 2, 15))
    assert cell(before, "B05") == (0, 2)
    in_2025 = figures(day=datetime.date(2025, 4, 30))
    assert cell(in_2025, "B04") == (1, 1)


def test_safety_network_with_enough_informed_members(make_case, settings):
    settings.THREEFOLD_MEASURES_INFORMED_NETWORK = 2
    enough = make_case()
    for _ in range(2):
        factories.NetworkMemberFactory(
            case=enough, informed=True, informed_on=datetime.date(2026, 2, 1)
        )
    one_left = make_case()
    factories.NetworkMemberFactory(
        case=one_left, informed=True, informed_on=datetime.date(2026, 2, 1)
    )
    factories.NetworkMemberFactory(
        case=one_left,
        informed=True,
        informed_on=datetime.date(2026, 2, 1),
        status="no_longer_involved",
        status_since=datetime.date(2026, 3, 1),
    )
    told_later = make_case()
    factories.NetworkMemberFactory(case=told_later, informed=True, informed_on=DAY)
    factories.NetworkMemberFactory(
        case=told_later, informed=True, informed_on=DAY + datetime.timedelta(days=1)
    )

    assert cell(figures(), "B06") == (1, 3)
    # Before the member left, that case had two.
    assert cell(figures(day=datetime.date(2026, 2, 20)), "B06") == (2, 3)


def test_agreed_safety_plan_reviewed_on_time(make_case):
    on_time = make_case()
    factories.SafetyPlanFactory(
        case=on_time,
        status="agreed",
        agreed_on=datetime.date(2026, 2, 1),
        next_review_on=datetime.date(2026, 4, 1),
    )
    overdue = make_case()
    factories.SafetyPlanFactory(
        case=overdue,
        status="agreed",
        agreed_on=datetime.date(2026, 1, 10),
        next_review_on=datetime.date(2026, 3, 1),
    )
    reviewed = make_case()
    plan = factories.SafetyPlanFactory(
        case=reviewed,
        status="reviewed",
        agreed_on=datetime.date(2026, 1, 10),
        next_review_on=datetime.date(2026, 2, 1),
    )
    factories.SafetyPlanReviewFactory(
        plan=plan, reviewed_on=datetime.date(2026, 2, 1), next_review_on=datetime.date(2026, 5, 1)
    )
    replaced = make_case()
    factories.SafetyPlanFactory(
        case=replaced,
        status="superseded",
        agreed_on=datetime.date(2026, 1, 10),
        superseded_on=datetime.date(2026, 3, 1),
    )
    drafted = make_case()
    factories.SafetyPlanFactory(case=drafted)

    assert cell(figures(), "B07") == (2, 5)


def test_depth_signals_on_the_current_map(make_case):
    good = make_case()
    map_ = finalised_map(good, datetime.date(2026, 2, 1))
    factories.DangerStatementFactory(map=map_)
    incomplete = make_case()
    map_ = finalised_map(incomplete, datetime.date(2026, 2, 1))
    factories.DangerStatementFactory(map=map_, impact_on_child="")
    goal = factories.DangerStatementFactory(map=map_).safety_goal
    goal.seen_by = ""
    goal.save()
    jargon = make_case()
    map_ = finalised_map(jargon, datetime.date(2026, 2, 1))
    factories.DangerStatementFactory(map=map_, worried_about="Ongoing DV between the parents.")
    factories.PlainLanguageTermFactory(agency=good.agency, term="dv")
    factories.PlainLanguageTermFactory(agency=good.agency, term="engagement", active=False)
    no_statement = make_case()
    finalised_map(no_statement, datetime.date(2026, 2, 1))

    result = figures()
    assert cell(result, "D01") == (2, 4)  # incomplete and no statement fail
    assert cell(result, "D02") == (2, 4)  # a goal without who will see it; no goal at all
    assert cell(result, "D04") == (2, 3)  # jargon fails; no statement is not counted


def test_another_agencys_words_to_avoid_do_not_count(make_case):
    case = make_case()
    map_ = finalised_map(case, datetime.date(2026, 2, 1))
    factories.DangerStatementFactory(map=map_, worried_about="Ongoing DV between the parents.")
    factories.PlainLanguageTermFactory(term="dv")  # another agency's list
    assert cell(figures(), "D04") == (1, 1)


def test_timeliness_of_assessments_and_initial_conferences(make_case):
    case = make_case()
    factories.DeadlineFactory(
        case=case,
        kind="assessment",
        due_on=datetime.date(2026, 3, 10),
        met_on=datetime.date(2026, 3, 9),
        status="met",
    )
    factories.DeadlineFactory(
        case=case,
        kind="assessment",
        due_on=datetime.date(2026, 3, 12),
        met_on=datetime.date(2026, 3, 20),
        status="met",
    )
    factories.DeadlineFactory(case=case, kind="assessment", due_on=datetime.date(2026, 3, 30))
    factories.DeadlineFactory(
        case=case, kind="assessment", due_on=datetime.date(2026, 3, 5), status="withdrawn"
    )
    factories.DeadlineFactory(case=case, kind="assessment", due_on=datetime.date(2026, 2, 5))
    factories.DeadlineFactory(
        case=case,
        kind="initial_conference",
        due_on=datetime.date(2026, 3, 3),
        met_on=datetime.date(2026, 3, 3),
        status="met",
    )
    result = figures()
    assert cell(result, "I01") == (1, 3)
    assert cell(result, "I02") == (1, 1)


def test_a_trend_counts_deadlines_by_month_as_each_month_end_would_alone(
    make_case, worker, django_assert_num_queries
):
    """A trend counts the deadlines of all its month-ends in one query (and the month so far
    alone); each month-end must give what counting it alone gives."""
    case = make_case(opened_on=datetime.date(2025, 1, 1))
    for due_on, met_on, status in [
        (datetime.date(2025, 11, 1), datetime.date(2025, 10, 31), "met"),  # a month's first day
        (datetime.date(2025, 11, 30), datetime.date(2025, 12, 1), "met"),  # met a day late
        (datetime.date(2025, 12, 31), None, "open"),  # a month's last day
        (datetime.date(2026, 1, 15), None, "withdrawn"),
        (datetime.date(2026, 2, 28), datetime.date(2026, 2, 28), "met"),
        (datetime.date(2026, 3, 10), datetime.date(2026, 3, 1), "met"),  # the month so far
        (datetime.date(2026, 3, 20), None, "open"),  # due after the day
    ]:
        for kind in ("assessment", "initial_conference"):
            factories.DeadlineFactory(
                case=case,
                kind=kind,
                started_on=due_on - datetime.timedelta(days=10),
                due_on=due_on,
                met_on=met_on,
                status=status,
            )
    cases, units = Case.objects.all(), {DEADLINES}
    # One query for the month-ends and one for the month so far; by worker, one a month (the
    # worker is the one allocated on each day).
    for worker_id, queries in [(None, 2), (worker.pk, 6)]:
        with django_assert_num_queries(queries):
            series = compute.trend(
                cases, last=datetime.date(2026, 3, 15), months=6, worker_id=worker_id, units=units
            )
        for month in series:
            alone = figures(day=month.day, worker_id=worker_id, units=units)
            for code in ("I01", "I02"):
                assert month.total(code) == alone.total(code), (worker_id, month.day, code)
    assert [cell(month, "I01") for month in series] == [
        (0, 0), (1, 2), (0, 1), (0, 0), (1, 1), (1, 1),
    ]  # fmt: skip


def test_grouped_by_worker_team_and_service(make_case, team, worker):
    other_team = factories.TeamFactory(agency=team.agency, service="early_help")
    colleague = factories.UserFactory(team=team)
    mine = make_case()
    finalised_map(mine, DAY)
    theirs = make_case(worker_=colleague)
    elsewhere = make_case(team_=other_team, worker_=factories.UserFactory(team=other_team))
    finalised_map(elsewhere, DAY)
    unallocated = factories.CaseFactory(team=team)

    by_worker = figures(by="worker")
    assert by_worker.cells["B01"][worker.pk].denominator == 1
    assert by_worker.cells["B01"][colleague.pk].numerator == 0
    assert by_worker.cells["B01"][None].denominator == 1  # nobody holds it
    by_team = figures(by="team")
    assert (by_team.cells["B01"][team.pk].numerator, by_team.cells["B01"][team.pk].denominator) == (
        1,
        3,
    )
    by_service = figures(by="service")
    assert by_service.cells["B01"]["early_help"].numerator == 1
    assert figures(worker_id=worker.pk).total("B01").denominator == 1
    assert theirs and unallocated


def test_worker_on_the_day_follows_the_allocation_history(make_case, worker):
    colleague = factories.UserFactory(team=worker.team)
    case = make_case()
    allocation = case.allocations.get()
    allocation.ended_on = datetime.date(2026, 3, 15)
    allocation.save()
    factories.AllocationFactory(case=case, worker=colleague, started_on=datetime.date(2026, 3, 15))
    assert figures(day=datetime.date(2026, 3, 1), worker_id=worker.pk).total("B01").denominator == 1
    assert figures(worker_id=worker.pk).total("B01").denominator == 0
    assert figures(worker_id=colleague.pk).total("B01").denominator == 1


def test_units_behind_a_figure(make_case):
    with_map = make_case()
    finalised_map(with_map, DAY)
    without = make_case()
    cases = Case.objects.all()
    kwargs = {"day": DAY, "by": "agency", "group": "all"}
    assert list(compute.units_behind("B01", cases, part="numerator", **kwargs)) == [with_map]
    assert list(compute.units_behind("B01", cases, part="not_met", **kwargs)) == [without]
    assert compute.units_behind("B01", cases, part="denominator", **kwargs).count() == 2


@pytest.mark.parametrize("by", ["team", "worker"])
def test_every_figure_counts_the_records_its_drilldown_lists(by):
    """The dashboard combines each rule's conditions itself; the drill-down filters on the rule
    in the database. On a generated agency, every figure of every group agrees with its list."""
    from demo.generator import generate_agency

    today = datetime.date(2026, 11, 30)
    generate_agency(seed=5, families=12, today=today)
    cases = Case.objects.all()
    figures = compute.figures_on(cases, day=today, by=by)
    counted = set()
    for measure in measures():
        for group, cell in figures.cells[measure.code].items():
            behind = {
                part: compute.units_behind(
                    measure.code, cases, day=today, by=by, group=group, part=part
                ).count()
                for part in ("numerator", "denominator")
            }
            assert cell.numerator == behind["numerator"], (measure.code, group)
            if not measure.is_rate:
                assert cell.denominator == behind["denominator"], (measure.code, group)
            if cell.numerator or cell.denominator:
                counted.add(measure.code)
    assert len(counted) > 0.8 * len(measures())  # most measures had something to count
