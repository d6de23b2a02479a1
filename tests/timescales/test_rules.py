"""deadlines_from_events: every rule, on known bank holidays, with no database."""

import datetime

import pytest

from tests.timescales.fake_events import event
from timescales.calendar import calendar_for
from timescales.deadlines import ENGLAND, Timescales, deadlines_from_events, due_date

D = datetime.date
ENG = calendar_for("GB-ENG")
LATER = D(2029, 12, 31)
LEO, MIA = 11, 12


def run(*events, rules=ENGLAND, calendar=ENG, today=LATER):
    return deadlines_from_events(list(events), rules, calendar, today)


def only(specs, kind):
    return [s for s in specs if s.kind == kind]


def one(specs, kind):
    found = only(specs, kind)
    assert len(found) == 1, found
    return found[0]


# Referral decision: within 1 working day ---------------------------------------------------


@pytest.mark.parametrize(
    ("received", "due"),
    [
        ("2026-01-09", D(2026, 1, 12)),  # a Friday: the Monday
        ("2026-01-12", D(2026, 1, 13)),
        ("2026-04-02", D(2026, 4, 7)),  # before Good Friday and Easter Monday
        ("2026-05-01", D(2026, 5, 5)),  # before the early May bank holiday
        ("2025-12-24", D(2025, 12, 29)),  # Christmas Eve 2025
        ("2026-12-24", D(2026, 12, 29)),  # Christmas 2026 with a substitute Boxing Day
        ("2026-01-10", D(2026, 1, 12)),  # received on a Saturday
    ],
)
def test_referral_decision_is_due_within_one_working_day(received, due):
    spec = one(run(event("referral_received", received, "referral:1")), "referral_decision")
    assert spec.due_on == due
    assert spec.started_on == spec.counted_from == D.fromisoformat(received)
    assert spec.started_by_source == "referral:1"
    assert spec.met_on is None


def test_a_referral_decision_is_met_by_the_decision():
    specs = run(
        event("referral_received", "2026-01-09", "referral:1"),
        event("referral_decided", "2026-01-13", "referral:1"),
    )
    spec = one(specs, "referral_decision")
    assert (spec.met_on, spec.met_by_source) == (D(2026, 1, 13), "referral:1")


def test_a_decision_before_the_referral_does_not_meet_it():
    specs = run(
        event("referral_decided", "2026-01-02", "referral:0"),
        event("referral_received", "2026-01-09", "referral:1"),
    )
    assert one(specs, "referral_decision").met_on is None


def test_two_referrals_are_met_by_their_own_decisions():
    specs = run(
        event("referral_received", "2026-01-05", "referral:1"),
        event("referral_received", "2026-01-06", "referral:2"),
        event("referral_decided", "2026-01-06", "referral:2"),
        event("referral_decided", "2026-01-07", "referral:1"),
    )
    met = {s.started_by_source: s.met_on for s in only(specs, "referral_decision")}
    assert met == {"referral:1": D(2026, 1, 7), "referral:2": D(2026, 1, 6)}


# Assessment: within 45 working days of the referral ----------------------------------------


def test_assessment_is_due_45_working_days_from_the_referral():
    specs = run(
        event("referral_received", "2026-03-02", "referral:1"),
        event("assessment_started", "2026-03-04", "assessment:1", child_id=LEO),
    )
    spec = one(specs, "assessment")
    # Nine weeks would be Monday 4 May; Good Friday, Easter Monday and 4 May itself add 3.
    assert spec.due_on == D(2026, 5, 7)
    assert spec.counted_from == D(2026, 3, 2)
    assert spec.started_on == D(2026, 3, 4)
    assert spec.child_id == LEO


def test_assessment_counts_from_the_latest_referral_before_it():
    specs = run(
        event("referral_received", "2025-06-02", "referral:1"),
        event("referral_received", "2026-01-05", "referral:2"),
        event("assessment_started", "2026-01-07", "assessment:1"),
    )
    assert one(specs, "assessment").due_on == D(2026, 3, 9)


def test_assessment_without_a_referral_counts_from_its_start():
    spec = one(run(event("assessment_started", "2026-01-05", "assessment:1")), "assessment")
    assert spec.due_on == D(2026, 3, 9)


def test_assessment_is_met_by_its_completion():
    specs = run(
        event("referral_received", "2026-01-05", "referral:1"),
        event("assessment_started", "2026-01-06", "assessment:1"),
        event("assessment_completed", "2026-03-10", "assessment:1"),
    )
    spec = one(specs, "assessment")
    assert spec.met_on == D(2026, 3, 10)  # met, one working day late
    assert spec.due_on == D(2026, 3, 9)


# Initial conference: within 15 working days of the strategy discussion ---------------------


def test_initial_conference_is_due_15_working_days_after_the_strategy_discussion():
    specs = run(
        event("strategy_discussion", "2026-03-23", "strategy:1", starts_s47=True),
        event("s47_started", "2026-03-23", "s47:1"),
    )
    spec = one(specs, "initial_conference")
    assert spec.due_on == D(2026, 4, 15)  # three weeks plus Good Friday and Easter Monday
    assert spec.started_by_source == "strategy:1"


def test_a_strategy_discussion_that_starts_no_enquiry_starts_no_clock():
    specs = run(event("strategy_discussion", "2026-03-23", "strategy:1", starts_s47=False))
    assert only(specs, "initial_conference") == []


def test_a_section_47_without_a_strategy_discussion_counts_from_its_own_start():
    spec = one(run(event("s47_started", "2026-01-05", "s47:1")), "initial_conference")
    assert (spec.due_on, spec.started_by_source) == (D(2026, 1, 26), "s47:1")


def test_a_later_section_47_is_not_covered_by_an_earlier_discussion():
    specs = run(
        event("strategy_discussion", "2026-01-05", "strategy:1", starts_s47=True),
        event("s47_started", "2026-01-05", "s47:1"),
        event("conference_held", "2026-01-20", "conference:1", conference="initial"),
        event("s47_started", "2026-06-01", "s47:2"),
    )
    sources = {s.started_by_source: s.met_on for s in only(specs, "initial_conference")}
    assert sources == {"strategy:1": D(2026, 1, 20), "s47:2": None}


def test_initial_conference_is_met_by_an_initial_conference_only():
    specs = run(
        event("strategy_discussion", "2026-03-23", "strategy:1", starts_s47=True),
        event("conference_held", "2026-03-30", "conference:0", conference="review"),
        event("conference_held", "2026-04-16", "conference:1", conference="initial"),
    )
    assert one(specs, "initial_conference").met_on == D(2026, 4, 16)


def test_no_conference_is_due_when_the_enquiry_ends_without_one():
    specs = run(
        event("strategy_discussion", "2026-03-23", "strategy:1", starts_s47=True),
        event("s47_completed", "2026-04-01", "s47:1", conference_needed=False),
    )
    assert only(specs, "initial_conference") == []


# First core group: within 10 working days of the initial conference ------------------------


def test_first_core_group_is_due_10_working_days_after_the_conference_over_christmas():
    specs = run(
        event(
            "conference_held", "2026-12-17", "conference:1", conference="initial", plan_decided=True
        ),
    )
    # 25, 26 (Saturday), 28 (substitute) December and 1 January are not working days.
    assert one(specs, "first_core_group").due_on == D(2027, 1, 5)


def test_first_core_group_is_met_by_a_core_group():
    specs = run(
        event(
            "conference_held", "2026-01-05", "conference:1", conference="initial", plan_decided=True
        ),
        event("core_group_held", "2026-01-12", "core-group:1"),
        event("core_group_held", "2026-02-12", "core-group:2"),
    )
    spec = one(specs, "first_core_group")
    assert (spec.due_on, spec.met_on, spec.met_by_source) == (
        D(2026, 1, 19),
        D(2026, 1, 12),
        "core-group:1",
    )


def test_no_core_group_or_review_without_a_plan():
    specs = run(
        event(
            "conference_held",
            "2026-01-05",
            "conference:1",
            conference="initial",
            plan_decided=False,
        ),
    )
    assert only(specs, "first_core_group") == only(specs, "review_conference") == []


# Review conferences: first within 3 months, then at most every 6 months --------------------


def icpc(on, source="conference:1", **kwargs):
    return event("conference_held", on, source, conference="initial", plan_decided=True, **kwargs)


def review(on, source, *, plan_decided=True, **kwargs):
    return event(
        "conference_held", on, source, conference="review", plan_decided=plan_decided, **kwargs
    )


def test_first_review_is_due_3_months_after_the_initial_conference():
    spec = one(run(icpc("2026-01-15")), "review_conference")
    assert (spec.due_on, spec.first, spec.met_on) == (D(2026, 4, 15), True, None)


@pytest.mark.parametrize(
    ("held", "due"),
    [
        ("2026-11-30", D(2027, 2, 28)),  # clamped to the end of February
        ("2027-11-30", D(2028, 2, 29)),  # a leap year
        ("2026-10-31", D(2027, 1, 31)),
    ],
)
def test_first_review_clamps_to_the_end_of_a_shorter_month(held, due):
    assert one(run(icpc(held)), "review_conference").due_on == due


def test_reviews_follow_every_6_months_from_the_last_review():
    specs = only(
        run(
            icpc("2027-05-31"),
            review("2027-08-31", "conference:2"),
            review("2028-01-20", "conference:3"),
        ),
        "review_conference",
    )
    assert [(s.started_by_source, s.due_on, s.met_on, s.first) for s in specs] == [
        ("conference:1", D(2027, 8, 31), D(2027, 8, 31), True),
        ("conference:2", D(2028, 2, 29), D(2028, 1, 20), False),  # 31 August + 6 months, leap
        ("conference:3", D(2028, 7, 20), None, False),
    ]


def test_a_review_that_ends_the_plan_is_the_last():
    specs = only(
        run(icpc("2026-01-15"), review("2026-04-10", "conference:2", plan_decided=False)),
        "review_conference",
    )
    assert [(s.due_on, s.met_on) for s in specs] == [(D(2026, 4, 15), D(2026, 4, 10))]


def test_no_review_is_due_after_the_plan_ends():
    specs = run(
        icpc("2026-01-15", child_id=LEO),
        event("cp_plan_started", "2026-01-15", "cp-plan:1", child_id=LEO),
        event("cp_plan_ended", "2026-03-01", "cp-plan:1", child_id=LEO),
    )
    assert only(specs, "review_conference") == []


def test_a_family_conference_stays_due_while_any_child_is_on_a_plan():
    events = [
        icpc("2026-01-15"),
        event("cp_plan_started", "2026-01-15", "cp-plan:1", child_id=LEO),
        event("cp_plan_started", "2026-01-15", "cp-plan:2", child_id=MIA),
        event("cp_plan_ended", "2026-03-01", "cp-plan:1", child_id=LEO),
    ]
    assert one(run(*events), "review_conference").due_on == D(2026, 4, 15)
    events.append(event("cp_plan_ended", "2026-03-02", "cp-plan:2", child_id=MIA))
    assert only(run(*events), "review_conference") == []


# Visits to children on child protection plans ----------------------------------------------


def plan(on, child_id=LEO, source="cp-plan:1"):
    return event("cp_plan_started", on, source, child_id=child_id)


def visit(on, source, child_id=LEO):
    return event("visit", on, source, child_id=child_id)


def test_first_visit_is_due_10_working_days_from_the_plan_start_over_easter():
    spec = one(run(plan("2026-03-23")), "cp_visit")
    assert (spec.due_on, spec.child_id, spec.started_by_source) == (
        D(2026, 4, 8),
        LEO,
        "cp-plan:1",
    )


def test_each_visit_meets_the_open_deadline_and_starts_the_next():
    specs = only(
        run(plan("2026-03-23"), visit("2026-04-01", "visit:1"), visit("2026-04-16", "visit:2")),
        "cp_visit",
    )
    assert [(s.started_by_source, s.due_on, s.met_on) for s in specs] == [
        ("cp-plan:1", D(2026, 4, 8), D(2026, 4, 1)),
        ("visit:1", D(2026, 4, 17), D(2026, 4, 16)),  # skips Easter
        ("visit:2", D(2026, 4, 30), None),
    ]
    assert sum(1 for s in specs if s.met_on is None) == 1


def test_a_second_visit_on_the_same_day_counts_once():
    specs = only(
        run(plan("2026-01-05"), visit("2026-01-07", "visit:1"), visit("2026-01-07", "visit:2")),
        "cp_visit",
    )
    assert [(s.started_by_source, s.met_by_source) for s in specs] == [
        ("cp-plan:1", "visit:1"),
        ("visit:1", ""),
    ]


def test_a_visit_to_another_child_does_not_count_but_a_family_visit_does():
    specs = only(
        run(
            plan("2026-01-05"),
            visit("2026-01-07", "visit:1", child_id=MIA),
            visit("2026-01-09", "visit:2", child_id=None),
        ),
        "cp_visit",
    )
    assert specs[0].met_by_source == "visit:2"


def test_each_child_on_a_plan_has_their_own_visits():
    specs = only(
        run(plan("2026-01-05"), plan("2026-01-05", MIA, "cp-plan:2"), visit("2026-01-07", "v:1")),
        "cp_visit",
    )
    by_child = {(s.child_id, s.started_by_source, s.met_on) for s in specs}
    assert by_child == {
        (LEO, "cp-plan:1", D(2026, 1, 7)),
        (LEO, "v:1", None),
        (MIA, "cp-plan:2", None),
    }


def test_no_visit_is_due_once_the_plan_ends():
    specs = only(
        run(
            plan("2026-01-05"),
            visit("2026-01-07", "visit:1"),
            event("cp_plan_ended", "2026-01-12", "cp-plan:1", child_id=LEO),
            visit("2026-01-20", "visit:2"),
        ),
        "cp_visit",
    )
    assert [(s.started_by_source, s.met_on) for s in specs] == [("cp-plan:1", D(2026, 1, 7))]


def test_a_new_plan_starts_visits_again():
    specs = only(
        run(
            plan("2026-01-05"),
            event("cp_plan_ended", "2026-01-12", "cp-plan:1", child_id=LEO),
            plan("2026-06-01", source="cp-plan:2"),
        ),
        "cp_visit",
    )
    assert [(s.started_by_source, s.due_on) for s in specs] == [("cp-plan:2", D(2026, 6, 15))]


def test_visit_frequency_is_the_agencys():
    rules = Timescales(cp_visit_days=20)
    assert one(run(plan("2026-01-05"), rules=rules), "cp_visit").due_on == D(2026, 2, 2)


# Child in need reviews ----------------------------------------------------------------------


def test_cin_reviews_every_3_months_by_default():
    specs = only(
        run(
            event("cin_plan_started", "2026-01-31", "cin-plan:1", child_id=LEO),
            event("cin_review_held", "2026-04-20", "cin-review:1", child_id=LEO),
        ),
        "cin_review",
    )
    assert [(s.due_on, s.met_on) for s in specs] == [
        (D(2026, 4, 30), D(2026, 4, 20)),  # 31 January + 3 months, clamped
        (D(2026, 7, 20), None),
    ]


def test_cin_reviews_in_weeks():
    rules = Timescales(cin_review_every=6, cin_review_unit="weeks")
    spec = one(
        run(event("cin_plan_started", "2026-01-05", "cin-plan:1"), rules=rules), "cin_review"
    )
    assert spec.due_on == D(2026, 2, 16)


def test_no_cin_review_after_the_plan_ends():
    specs = run(
        event("cin_plan_started", "2026-01-05", "cin-plan:1"),
        event("cin_plan_ended", "2026-02-01", "cin-plan:1"),
    )
    assert only(specs, "cin_review") == []


# The case closing, today, and configuration -----------------------------------------------


def test_nothing_is_due_after_the_case_closes():
    specs = run(
        event("referral_received", "2026-01-05", "referral:1"),
        event("referral_decided", "2026-01-06", "referral:1"),
        event("assessment_started", "2026-01-06", "assessment:1"),
        plan("2026-01-05"),
        visit("2026-01-07", "visit:1"),
        event("case_closed", "2026-01-09", "case:1"),
    )
    assert [(s.kind, s.met_on) for s in specs] == [
        ("referral_decision", D(2026, 1, 6)),
        ("cp_visit", D(2026, 1, 7)),
    ]


def test_a_referral_after_closing_is_due_again():
    specs = run(
        event("referral_received", "2026-01-05", "referral:1"),
        event("case_closed", "2026-01-05", "case:1"),
        event("referral_received", "2026-05-01", "referral:2"),
    )
    assert [(s.started_by_source, s.due_on) for s in specs] == [("referral:2", D(2026, 5, 5))]


def test_events_after_today_are_not_yet_facts():
    events = [
        event("referral_received", "2026-01-05", "referral:1"),
        event("referral_decided", "2026-01-06", "referral:1"),
        event("referral_received", "2026-01-08", "referral:2"),
    ]
    specs = run(*events, today=D(2026, 1, 5))
    assert [(s.started_by_source, s.met_on) for s in specs] == [("referral:1", None)]


def test_rules_and_calendar_are_configuration():
    rules = Timescales(referral_decision_days=2, assessment_days=35)
    specs = run(
        event("referral_received", "2025-12-31", "referral:1"),
        event("assessment_started", "2025-12-31", "assessment:1"),
        rules=rules,
        calendar=calendar_for("GB-SCT"),
    )
    # Scotland: 1 and 2 January are bank holidays.
    assert one(specs, "referral_decision").due_on == D(2026, 1, 6)
    assert one(specs, "assessment").due_on == D(2026, 2, 20)


def test_specs_are_soonest_first_and_unique():
    specs = run(
        event("cin_plan_started", "2026-01-05", "cin-plan:1"),
        event("referral_received", "2026-01-05", "referral:1"),
        event("referral_received", "2026-01-05", "referral:1"),  # reported twice
    )
    assert [s.kind for s in specs] == ["referral_decision", "cin_review"]


def test_due_date_matches_the_series():
    assert due_date(
        "review_conference", D(2026, 1, 15), first=False, rules=ENGLAND, calendar=ENG
    ) == D(2026, 7, 15)
    with pytest.raises(ValueError, match="Unknown"):
        due_date("tea", D(2026, 1, 15), first=True, rules=ENGLAND, calendar=ENG)


def test_a_decision_of_another_referral_does_not_meet_this_one():
    specs = run(
        event("referral_received", "2026-01-05", "referral:1"),
        event("referral_received", "2026-01-06", "referral:2"),
        event("referral_decided", "2026-01-06", "referral:2"),
    )
    met = {s.started_by_source: s.met_on for s in only(specs, "referral_decision")}
    assert met == {"referral:1": None, "referral:2": D(2026, 1, 6)}
