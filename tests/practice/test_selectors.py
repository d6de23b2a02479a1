import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from practice import selectors, services
from tests import factories
from tests.practice.test_services import GOAL, STATEMENT, make_finalisable

pytestmark = pytest.mark.django_db


def _finalise(map_, worker):
    make_finalisable(map_, worker)
    return services.map_finalise(actor=worker, map_=map_, expected_revision=map_.revision)


def test_map_content_lays_out_three_columns_and_grey_areas(draft_map, worker):
    services.map_entry_add(actor=worker, map_=draft_map, category="harm", text="Leo had a bruise.")
    services.map_entry_add(
        actor=worker,
        map_=draft_map,
        category="existing_safety",
        text="Mum took the children to Grandma's that night.",
    )
    services.map_entry_add(
        actor=worker,
        map_=draft_map,
        category="grey_area",
        text="We don't know who else lives there.",
    )
    services.danger_statement_add(actor=worker, map_=draft_map, statement=STATEMENT, goal=GOAL)
    content = selectors.map_content(draft_map)
    headings = [c["heading"] for c in content.columns]
    assert headings == [
        "What are we worried about?",
        "What's working well?",
        "What needs to happen?",
    ]
    worried = {s["category"] for s in content.columns[0]["sections"]}
    assert worried == {"harm", "danger_statement", "complicating_factor"}
    assert content.section("existing_safety")["entries"][0].text.startswith("Mum took")
    assert [e.text for e in content.grey_section["entries"]] == [
        "We don't know who else lives there."
    ]


def test_map_content_query_count_does_not_grow_with_the_map(
    draft_map, worker, child, django_assert_max_num_queries
):
    for n in range(15):
        entry = services.map_entry_add(
            actor=worker, map_=draft_map, category="harm", text=f"H{n}", children=[child]
        )
        danger = services.danger_statement_add(
            actor=worker, map_=draft_map, statement=STATEMENT, goal=GOAL, children=[child]
        )
        services.scale_judgement_add(
            actor=worker,
            map_=draft_map,
            danger_statement=danger,
            rater_name="A",
            rater_role="worker",
            score=n % 11,
            zero_means="0",
            ten_means="10",
            reason="r",
        )
    assert entry
    # Two of these find which entries hold a child's words (voices, through the AppConfig).
    with django_assert_max_num_queries(8):
        content = selectors.map_content(draft_map)
        for statement in content.danger_statements:
            list(statement.children.all())
            list(statement.judgements)
            assert statement.safety_goal
        for entry in content.entries_by_category["harm"]:
            list(entry.children.all())


def test_map_content_takes_the_judgements_the_caller_has_already_read(case, draft_map, worker):
    danger = services.danger_statement_add(
        actor=worker, map_=draft_map, statement=STATEMENT, goal=GOAL
    )
    for score, statement in [(6, None), (3, danger), (4, danger), (7, None)]:
        factories.ScaleJudgementFactory(map=draft_map, danger_statement=statement, score=score)
    _finalise(draft_map, worker)
    read = selectors.map_content(draft_map)
    history = selectors.scale_history(case)
    with CaptureQueriesContext(connection) as queries:
        given = selectors.map_content(draft_map, judgements=list(reversed(history)))
    assert not any("practice_scalejudgement" in q["sql"] for q in queries)
    assert [j.pk for j in given.overall_scales] == [j.pk for j in read.overall_scales]
    assert [j.score for j in given.overall_scales][:2] == [6, 7]  # oldest first
    assert [j.pk for j in given.danger_statements[0].judgements] == [
        j.pk for j in read.danger_statements[0].judgements
    ]
    assert [j.score for j in given.danger_statements[0].judgements][:2] == [3, 4]


def test_current_map_is_the_latest_finalised(case, draft_map, worker):
    assert selectors.map_current(case) is None
    _finalise(draft_map, worker)
    second = services.map_start(
        actor=worker, case=case, purpose="mapping", held_on=datetime.date(2026, 4, 1)
    )
    assert selectors.map_current(case) == draft_map
    assert selectors.case_maps(case).draft == second


def test_scale_history_holds_only_finalised_maps(case, draft_map, worker):
    _finalise(draft_map, worker)
    second = services.map_start(
        actor=worker, case=case, purpose="mapping", held_on=datetime.date(2026, 4, 1)
    )
    services.scale_judgement_add(
        actor=worker,
        map_=second,
        danger_statement=None,
        rater_name="B",
        rater_role="parent",
        score=9,
        zero_means="0",
        ten_means="10",
        reason="r",
    )
    assert [j.score for j in selectors.scale_history(case)] == [3]


def test_compare_marks_added_removed_changed_and_unchanged_across_versions(case, draft_map, worker):
    kept = services.map_entry_add(
        actor=worker,
        map_=draft_map,
        category="existing_strength",
        text="Mum walks the children to school.",
    )
    services.map_entry_add(
        actor=worker, map_=draft_map, category="existing_strength", text="Dad reads to Leo."
    )
    services.map_entry_add(actor=worker, map_=draft_map, category="harm", text="Old harm")
    first = _finalise(draft_map, worker)
    second = services.map_start(
        actor=worker, case=case, purpose="mapping", held_on=datetime.date(2026, 4, 1)
    )
    _finalise(second, worker)  # adds a second danger statement
    third = services.map_start(
        actor=worker, case=case, purpose="mapping", held_on=datetime.date(2026, 5, 1)
    )
    reads = third.entries.get(text="Dad reads to Leo.")
    services.map_entry_update(
        actor=worker, entry=reads, expected_revision=1, text="Dad reads to Leo every night."
    )
    services.map_entry_remove(
        actor=worker, entry=third.entries.get(text="Old harm"), expected_revision=1
    )
    services.map_entry_add(actor=worker, map_=third, category="harm", text="New harm")

    compared = selectors.map_compare(first, third)
    changes = {
        section["category"]: sorted(row.change for row in section["rows"])
        for section in compared["sections"]
    }
    assert changes["existing_strength"] == ["changed", "unchanged"]
    assert changes["harm"] == ["added", "removed"]
    assert changes["danger_statement"] == ["added", "unchanged"]
    unchanged = next(
        r
        for s in compared["sections"]
        if s["category"] == "existing_strength"
        for r in s["rows"]
        if r.change == "unchanged"
    )
    assert unchanged.before == kept


def test_map_get_refuses_a_map_of_another_case(draft_map):
    from django.http import Http404

    other_case = factories.CaseFactory(team=draft_map.case.team)
    with pytest.raises(Http404):
        selectors.map_get(case=other_case, map_id=draft_map.pk)
