"""The DfE rules checked in the app: each with a child that passes and one that fails."""

import copy
import datetime

import pytest

from returns.cin_census import (
    Census,
    CensusAssessment,
    CensusChild,
    CensusCinPlan,
    CensusCpPlan,
    CensusEpisode,
    CensusSection47,
    upn_check_letter,
)
from returns.spec import CIN_2025_26
from returns.validation import validate_rules

D = datetime.date


def valid_upn(body="202123456789"):
    return upn_check_letter("X" + body) + body


def good_child(**overrides) -> CensusChild:
    """A child on a child protection plan, correct in every rule checked here."""
    episode = CensusEpisode(
        referral_id=1,
        referred=D(2025, 9, 1),
        source="6",
        primary_need="N1",
        nfa=False,
        assessments=[CensusAssessment(D(2025, 9, 1), D(2025, 10, 6), ["3A"])],
        section47s=[CensusSection47(D(2025, 9, 2), D(2025, 9, 23), D(2025, 9, 15), False)],
        cp_plans=[CensusCpPlan(D(2025, 9, 15), "EMO", "EMO", 0, reviews=[D(2025, 12, 8)])],
    )
    values = {
        "person_id": 1,
        "case_id": 1,
        "name": "Leo Testington",
        "la_child_id": "1",
        "upn": valid_upn(),
        "upn_unknown": "",
        "birth_date": D(2015, 5, 14),
        "expected_birth_date": None,
        "sex": "M",
        "ethnicity": "WBRI",
        "disabilities": ["NONE"],
        "episodes": [episode],
    }
    return CensusChild(**(values | overrides))


def rules(*children):
    census = Census(spec=CIN_2025_26, lea="999", children=list(children))
    return [f.rule for f in validate_rules(census)]


def test_the_good_child_passes_every_rule():
    assert rules(good_child()) == []


def episode(child):
    return child.episodes[0]


def unborn(c):
    c.birth_date, c.expected_birth_date, c.upn, c.upn_unknown = None, D(2026, 5, 1), "", "UN1"
    c.disabilities = []


def cpp_not_on_icpc(c):
    episode(c).cp_plans[0].started = D(2025, 9, 16)
    episode(c).cp_plans[0].reviews = [D(2025, 12, 8)]


def closed_without_reason(c):
    episode(c).closed = D(2026, 1, 5)


def reason_without_closure(c):
    episode(c).closure_reason = "RC7"


def closed_with_open_assessment(c):
    e = episode(c)
    e.closed, e.closure_reason = D(2026, 1, 5), "RC7"
    e.cp_plans[0].ended = D(2026, 1, 5)
    e.assessments[0].authorised, e.assessments[0].factors = None, []


def closed_with_open_s47(c):
    e = episode(c)
    e.closed, e.closure_reason = D(2026, 1, 5), "RC7"
    e.cp_plans = []
    e.section47s[0].icpc = None


def activity_after_closure(c):
    e = episode(c)
    e.closed, e.closure_reason = D(2025, 11, 1), "RC7"
    e.cp_plans[0].ended = D(2025, 12, 1)
    e.cp_plans[0].reviews = []


def rc8_without_assessment(c):
    e = episode(c)
    e.closed, e.closure_reason = D(2025, 9, 2), "RC8"
    e.assessments, e.section47s, e.cp_plans = [], [], []


def factor_21_alone_not_closed_rc8(c):
    episode(c).assessments[0].factors = ["21"]


def open_assessment_too_long(c):
    episode(c).assessments.append(CensusAssessment(D(2026, 1, 5)))


def open_s47_too_long(c):
    episode(c).section47s.append(CensusSection47(D(2026, 1, 5), D(2026, 1, 26)))


def same_day_plan(c):
    episode(c).cp_plans[0].ended, episode(c).cp_plans[0].reviews = D(2025, 9, 15), []


def cin_plan_during_cpp(c):
    episode(c).cin_plans = [CensusCinPlan(D(2025, 10, 1))]


CASES = [
    ("8500", lambda c: setattr(c, "la_child_id", "")),
    ("1570", lambda c: setattr(c, "la_child_id", "1" * 21)),
    ("1580", lambda c: setattr(c, "la_child_id", "ID-1")),
    ("1510", lambda c: setattr(c, "upn", "Z" + c.upn[1:] if c.upn[0] != "Z" else "A" + c.upn[1:])),
    ("1530", lambda c: setattr(c, "upn", valid_upn("999123456789"))),
    ("1540", lambda c: setattr(c, "upn", c.upn[:6] + "AB" + c.upn[8:])),
    ("1550", lambda c: setattr(c, "upn", c.upn[:12] + "I")),
    ("8770Q", lambda c: setattr(c, "upn", "")),
    ("4180", lambda c: setattr(c, "sex", "1")),
    ("8750", lambda c: (unborn(c), setattr(c, "sex", "F"))),
    ("4220", lambda c: setattr(c, "ethnicity", "XXXX")),
    ("8540", lambda c: setattr(c, "disabilities", [])),
    ("8790", lambda c: setattr(c, "disabilities", ["NONE", "AUT"])),
    ("8794", lambda c: setattr(c, "disabilities", ["AUT", "AUT"])),
    ("8866", lambda c: setattr(episode(c), "source", "99")),
    ("8610", lambda c: setattr(episode(c), "primary_need", "")),
    ("2885", cpp_not_on_icpc),
    ("8869", lambda c: setattr(episode(c).assessments[0], "factors", ["21", "3A"])),
    ("8898", lambda c: setattr(episode(c).assessments[0], "factors", ["3A", "3A"])),
    ("8805", closed_without_reason),
    ("8810", reason_without_closure),
    ("8867", closed_with_open_assessment),
    ("8868", closed_with_open_s47),
    ("8565", activity_after_closure),
    ("8825Q", rc8_without_assessment),
    ("8873Q", factor_21_alone_not_closed_rc8),
    ("8670Q", open_assessment_too_long),
    ("8675Q", open_s47_too_long),
    ("8840", same_day_plan),
    ("8841", lambda c: setattr(episode(c).cp_plans[0], "reviews", [D(2025, 9, 15)])),
    ("8875", lambda c: setattr(episode(c).section47s[0], "icpc", D(2025, 9, 13))),
    ("4001", cin_plan_during_cpp),
]


@pytest.mark.parametrize(("rule", "break_it"), CASES, ids=[rule for rule, _ in CASES])
def test_each_rule_fails_a_broken_child(rule, break_it):
    child = copy.deepcopy(good_child())
    break_it(child)
    assert rule in rules(child)
    assert rule not in rules(good_child(person_id=2, la_child_id="2"))


def test_duplicates_across_children():
    first, second = good_child(), good_child(person_id=2)
    assert rules(first, second).count("8510") == 2
    assert rules(first, second).count("1520") == 2
    assert "8510" not in rules(first, good_child(person_id=2, la_child_id="2", upn=""))


def test_unborn_child_with_sex_u_passes():
    child = good_child()
    unborn(child)
    child.sex = "U"
    assert {"8750", "8540", "8770Q"}.isdisjoint(rules(child))


def test_working_days_use_the_bank_holidays():
    # 45 working days before 31 March 2026 falls before 23 January because of Good Friday
    # (3 April is after the census date, so no holiday inside): counted on the England calendar.
    child = good_child()
    episode(child).assessments.append(CensusAssessment(D(2026, 1, 27)))  # 45 working days
    assert "8670Q" not in rules(child)
    episode(child).assessments[-1].started = D(2026, 1, 26)  # 46
    assert "8670Q" in rules(child)


def test_failures_name_the_child():
    child = good_child(ethnicity="XXXX")
    census = Census(spec=CIN_2025_26, lea="999", children=[child])
    [failure] = validate_rules(census)
    assert failure.child is child and not failure.is_query and "Ethnicity" in failure.message
