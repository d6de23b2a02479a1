"""Figures worked out by hand from a small agency."""

import datetime

import pytest

from agencies.models import Role
from implementation import figures, selectors, services
from implementation.models import TrainingRecord
from tests import factories
from tests.implementation.conftest import all_scores, joined

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def staff(team, worker, manager, leader, defaults):
    """Team A: worker, manager, a (joined May 2025), b (left); team B: c; leader agency-wide."""
    courses = defaults["courses"]
    other = factories.TeamFactory(agency=team.agency, name="Team B")
    a = factories.UserFactory(team=team, first_name="Ada", last_name="New")
    b = factories.UserFactory(team=team, is_active=False)
    c = factories.UserFactory(team=other)
    for person in (worker, manager, b, c, leader):
        joined(person, D(2024, 1, 1))
    joined(a, D(2025, 5, 1))

    def record(person, level, done, expires=None):
        TrainingRecord.objects.create(
            agency=team.agency,
            worker=person,
            course=courses[level],
            completed_on=done,
            expires_on=expires,
            recorded_by=leader,
        )

    record(worker, "introduction", D(2024, 2, 1))
    record(worker, "advanced", D(2024, 6, 1), D(2025, 6, 1))
    record(manager, "introduction", D(2024, 3, 1))
    record(manager, "advanced", D(2025, 1, 10))
    record(b, "introduction", D(2024, 3, 1))
    record(c, "introduction", D(2024, 4, 1))
    record(leader, "practice_lead", D(2024, 5, 1))
    return {"a": a, "b": b, "c": c, "other": other}


def test_coverage_counts_current_staff_holding_each_level(team, staff):
    march, july = selectors.coverage(team.agency_id, days=[D(2025, 3, 31), D(2025, 7, 31)])
    team_a = march["groups"][team.pk]
    assert (team_a["staff"], team_a["introduction_percent"], team_a["advanced_percent"]) == (
        2,
        100.0,
        100.0,
    )
    # Ada has joined and the worker's advanced accreditation lapsed on 1 June.
    team_a = july["groups"][team.pk]
    assert (team_a["staff"], team_a["introduction_percent"], team_a["advanced_percent"]) == (
        3,
        66.7,
        33.3,
    )
    assert july["groups"][staff["other"].pk]["introduction_percent"] == 100.0
    agency_wide = july["groups"][None]
    assert (agency_wide["staff"], agency_wide["practice_lead_percent"]) == (1, 100.0)
    everyone = july["groups"]["all"]
    assert (everyone["staff"], everyone["introduction"], everyone["introduction_percent"]) == (
        5,
        3,
        60.0,
    )
    assert everyone["advanced_percent"] == 20.0


def test_gaps_are_overdue_or_due_and_a_manager_sees_only_their_team(team, staff, manager, leader):
    newcomer = joined(factories.UserFactory(team=team, first_name="Dee"), D(2025, 7, 1))
    everyone = selectors.gaps(leader, today=D(2025, 7, 31))
    overdue = {row["worker"]: row["days_over"] for row in everyone["overdue"]}
    # Ada joined on 1 May: 90 days ran out on 30 July. The leader never did the introduction.
    assert overdue == {staff["a"]: 1, leader: 487}
    assert [(row["worker"], row["due_by"]) for row in everyone["due"]] == [
        (newcomer, D(2025, 9, 29))
    ]
    mine = selectors.gaps(manager, today=D(2025, 7, 31))
    assert [row["worker"] for row in mine["overdue"]] == [staff["a"]]
    coverage = selectors.coverage_table(manager, day=D(2025, 7, 31))
    assert [row["label"] for row in coverage["rows"]] == [team.name]


def test_another_raters_numbers_are_hidden_until_you_submit(leader, lead, open_round, defaults):
    domains = defaults["domains"]
    services.ratings_save(
        actor=leader, round_=open_round, scores=all_scores(domains, 4), submit=True
    )
    services.ratings_save(
        actor=lead, round_=open_round, scores=all_scores(domains, 7), submit=False
    )
    before = selectors.round_view(lead, open_round)
    assert before["may_see_others"] is False
    assert all(item["ratings"] == [] and item["mean"] is None for item in before["summary"])
    assert before["mine"][domains[0].pk].score == 7
    # The leader has submitted: sees their own submission but not the lead's draft.
    leader_view = selectors.round_view(leader, open_round)
    assert [r.score for r in leader_view["summary"][0]["ratings"]] == [4]
    revisions = {d.pk: 1 for d in domains}
    services.ratings_save(
        actor=lead, round_=open_round, scores=all_scores(domains, 7, revisions), submit=True
    )
    after = selectors.round_view(lead, open_round)
    first = after["summary"][0]
    assert sorted(r.score for r in first["ratings"]) == [4, 7]
    assert (first["mean"], first["low"], first["high"]) == (5.5, 4, 7)


def test_closed_rounds_give_mean_and_range_per_domain(leader, lead, open_round, defaults):
    domains = defaults["domains"]
    scores = all_scores(domains, 4) | {domains[0].pk: (2, "", "", None)}
    services.ratings_save(actor=leader, round_=open_round, scores=scores, submit=True)
    services.ratings_save(actor=lead, round_=open_round, scores=all_scores(domains, 7), submit=True)
    assert selectors.closed_round_figures(leader.agency_id) == []  # open rounds are not shown
    services.round_close(actor=leader, round_=open_round, revision=1)
    (result,) = selectors.closed_round_figures(leader.agency_id)
    assert result["domains"][domains[0].pk] == {"mean": 4.5, "low": 2, "high": 7, "count": 2}
    assert result["domains"][domains[1].pk] == {"mean": 5.5, "low": 4, "high": 7, "count": 2}
    # Ten ratings: 2 + 4×4 + 7×5 = 53.
    assert result["overall"] == {"mean": 5.3, "low": 2, "high": 7, "count": 10}
    assert result["raters"] == 2


def test_the_implementation_measure_by_quarter(leader, lead, open_round, defaults, worker):
    domains = defaults["domains"]
    joined(worker, D(2025, 1, 1))
    joined(leader, D(2025, 1, 1))
    joined(lead, D(2026, 4, 10))
    services.training_record_add(
        actor=leader,
        worker=worker,
        course=defaults["courses"]["introduction"],
        completed_on=D(2026, 2, 1),
    )
    services.ratings_save(
        actor=leader, round_=open_round, scores=all_scores(domains, 4), submit=True
    )
    services.ratings_save(actor=lead, round_=open_round, scores=all_scores(domains, 7), submit=True)
    services.round_close(actor=leader, round_=open_round, revision=1)
    q1, q2 = figures.implementation_measure(leader.agency_id, last=D(2026, 4, 15), quarters=2)
    assert (q1["quarter"], q1["start"], q1["end"]) == ("2026 Q1", D(2026, 1, 1), D(2026, 3, 31))
    assert (q1["rating"], q1["raters"]) == (5.5, 2)
    # Worker and leader in post at 31 March; the worker has the introduction.
    assert (q1["staff"], q1["introduction"]) == (2, 50.0)
    assert (q2["quarter"], q2["end"], q2["rating"], q2["staff"]) == (
        "2026 Q2",
        D(2026, 4, 15),
        None,
        3,
    )
    assert q2["introduction"] == 33.3


def test_outcome_indicators_for_the_linked_authority(leader, panel):
    assert figures.linked_authority(leader.agency) is None
    services.settings_update(
        actor=leader,
        agency=leader.agency,
        local_authority_code="855",
        introduction_within_days=90,
        revision=1,
    )
    outcomes = figures.outcome_indicators(figures.linked_authority(leader.agency))
    assert outcomes["authority"] == panel and outcomes["years"] == [2023, 2024]
    found = {item["indicator"].key: item["rows"] for item in outcomes["indicators"]}
    assert found["rereferral_pct"] == [
        {"year": 2023, "authority": 25.0, "england": None},
        {"year": 2024, "authority": 20.0, "england": 22.0},
    ]
    # 1,000 referrals per 100,000 children (mid-2023 for the year to March 2024).
    assert found["referral_rate"][1]["authority"] == 100.0
    assert "cpp_rate" not in found  # nothing published for it


def test_an_agency_whose_code_is_a_local_authority_code_is_linked_without_settings(panel):
    agency = factories.AgencyFactory(code="855")
    assert figures.linked_authority(agency) == panel


def test_quarter_ends():
    assert figures.quarter_ends(D(2026, 5, 10), 3) == [
        D(2025, 12, 31),
        D(2026, 3, 31),
        D(2026, 5, 10),
    ]


def test_supervision_comes_from_the_learning_app_by_month(leader, monkeypatch):
    from implementation import figures as module

    calls = []

    def held(agency_id, *, team_id, months):
        calls.append((agency_id, team_id, months))
        return [{"month": D(2026, 3, 1), "sessions": 4, "workers_supervised": 6}]

    monkeypatch.setattr(selectors, "supervision_held", held)
    rows = module._supervision(
        leader.agency_id, team_id=None, days=[D(2026, 2, 28), D(2026, 3, 31)]
    )
    assert rows == [
        {"sessions": 0, "workers_supervised": 0},
        {"month": D(2026, 3, 1), "sessions": 4, "workers_supervised": 6},
    ]
    assert calls == [(leader.agency_id, None, 2)]


def test_roles(leader, lead, analyst, manager, worker):
    assert selectors.may_rate(leader) and selectors.may_rate(lead)
    assert not selectors.may_rate(manager) and not selectors.may_rate(analyst)
    assert selectors.may_see_leaders_view(analyst) and selectors.may_see_leaders_view(manager)
    assert not selectors.may_see_leaders_view(worker)
    assert selectors.may_see_training(manager) and not selectors.may_see_training(analyst)
    chair = factories.UserFactory(team=None, agency=leader.agency, role=Role.CONFERENCE_CHAIR)
    assert not selectors.may_see_training(chair)
