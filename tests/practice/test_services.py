import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from core.errors import ConflictError, RuleViolation
from core.models import AuditEvent
from practice import services
from practice.models import Map
from tests import factories

pytestmark = pytest.mark.django_db

STATEMENT = {
    "who_is_worried": "Sam (social worker) and the school",
    "worried_about": "Dad shouts and has pushed Mum when he has been drinking.",
    "impact_on_child": "Leo could be hurt, and he is scared at home.",
    "disputed_by": "",
    "dispute": "",
}
GOAL = {
    "what_will_be_seen": "Dad is sober when he looks after Leo and sorts out arguments calmly.",
    "seen_by": "Grandma Pat, the school and Sam",
    "sustain_for": 6,
    "sustain_unit": "months",
}


def make_finalisable(map_, worker):
    services.danger_statement_add(actor=worker, map_=map_, statement=STATEMENT, goal=GOAL)
    services.scale_judgement_add(
        actor=worker,
        map_=map_,
        danger_statement=None,
        rater_name="Sam Reid",
        rater_role="worker",
        score=3,
        zero_means="0",
        ten_means="10",
        reason="Still early days.",
    )
    services.map_participant_add(actor=worker, map_=map_, name="Jade", role="parent")


def test_first_map_is_number_one_and_a_draft(draft_map):
    assert draft_map.number == 1
    assert draft_map.is_draft
    assert draft_map.based_on is None


def test_only_one_draft_at_a_time(case, worker, draft_map):
    with pytest.raises(RuleViolation):
        services.map_start(actor=worker, case=case, purpose="mapping", held_on=case.opened_on)


def test_danger_statement_is_added_with_its_safety_goal(draft_map, worker, child):
    danger = services.danger_statement_add(
        actor=worker, map_=draft_map, statement=STATEMENT, goal=GOAL, children=[child]
    )
    assert danger.safety_goal.sustain_period == "6 months"
    assert list(danger.children.all()) == [child]
    assert AuditEvent.objects.filter(
        verb="map.danger_statement_added", case_id=draft_map.case_id
    ).exists()


def test_children_from_another_case_cannot_be_named(draft_map, worker):
    outsider = factories.PersonFactory(agency=draft_map.agency)
    with pytest.raises(RuleViolation):
        services.map_entry_add(
            actor=worker, map_=draft_map, category="harm", text="x", children=[outsider]
        )
    assert not draft_map.entries.exists()


def test_finalising_needs_a_statement_a_scale_and_participants(draft_map, worker):
    with pytest.raises(RuleViolation) as error:
        services.map_finalise(actor=worker, map_=draft_map, expected_revision=draft_map.revision)
    assert "danger statement" in error.value.message
    make_finalisable(draft_map, worker)
    finalised = services.map_finalise(
        actor=worker, map_=draft_map, expected_revision=draft_map.revision
    )
    assert finalised.status == Map.Status.FINALISED
    assert finalised.finalised_by == worker
    assert {p.agency_id for p in finalised.participants.all()} == {finalised.agency_id}


def test_a_finalised_map_is_never_edited_in_place(draft_map, worker):
    make_finalisable(draft_map, worker)
    entry = services.map_entry_add(actor=worker, map_=draft_map, category="harm", text="Bruise")
    services.map_finalise(actor=worker, map_=draft_map, expected_revision=draft_map.revision)
    with pytest.raises(RuleViolation):
        services.map_entry_add(actor=worker, map_=draft_map, category="harm", text="More")
    with pytest.raises(RuleViolation):
        services.map_entry_update(actor=worker, entry=entry, expected_revision=1, text="Changed")
    with pytest.raises(RuleViolation):
        services.map_entry_remove(actor=worker, entry=entry, expected_revision=1)
    entry.refresh_from_db()
    assert entry.text == "Bruise"


def test_a_new_version_carries_the_map_forward_and_leaves_the_old_one_alone(
    case, draft_map, worker
):
    make_finalisable(draft_map, worker)
    strength = services.map_entry_add(
        actor=worker, map_=draft_map, category="existing_strength", text="Grandma Pat helps daily."
    )
    services.map_finalise(actor=worker, map_=draft_map, expected_revision=draft_map.revision)
    second = services.map_start(
        actor=worker, case=case, purpose="core_group", held_on=datetime.date(2026, 3, 2)
    )
    assert second.number == 2 and second.based_on == draft_map
    carried = second.entries.get()
    assert carried.text == strength.text and carried.carried_from == strength
    danger = second.danger_statements.get()
    assert danger.safety_goal.what_will_be_seen == GOAL["what_will_be_seen"]
    assert not second.scale_judgements.exists(), "scales are judged afresh at each mapping"
    services.map_entry_update(
        actor=worker, entry=carried, expected_revision=1, text="Grandma Pat helps."
    )
    strength.refresh_from_db()
    assert strength.text == "Grandma Pat helps daily."


def test_a_stale_save_is_refused_not_silently_applied(draft_map, worker, manager):
    entry = services.map_entry_add(actor=worker, map_=draft_map, category="harm", text="First")
    services.map_entry_update(actor=manager, entry=entry, expected_revision=1, text="Manager's")
    with pytest.raises(ConflictError) as error:
        services.map_entry_update(actor=worker, entry=entry, expected_revision=1, text="Worker's")
    assert error.value.current.text == "Manager's"
    entry.refresh_from_db()
    assert entry.text == "Manager's" and entry.revision == 2


def test_a_stale_remove_is_refused(draft_map, worker, manager):
    entry = services.map_entry_add(actor=worker, map_=draft_map, category="harm", text="First")
    services.map_entry_update(actor=manager, entry=entry, expected_revision=1, text="Changed")
    with pytest.raises(ConflictError):
        services.map_entry_remove(actor=worker, entry=entry, expected_revision=1)
    assert draft_map.entries.count() == 1


def test_danger_statement_edit_conflicts_are_caught(draft_map, worker, manager):
    danger = services.danger_statement_add(
        actor=worker, map_=draft_map, statement=STATEMENT, goal=GOAL
    )
    services.danger_statement_update(
        actor=manager,
        danger=danger,
        expected_revision=1,
        statement={**STATEMENT, "who_is_worried": "Everyone"},
        goal=GOAL,
    )
    with pytest.raises(ConflictError):
        services.danger_statement_update(
            actor=worker,
            danger=danger,
            expected_revision=1,
            statement=STATEMENT,
            goal={**GOAL, "sustain_for": 3},
        )
    danger.refresh_from_db()
    assert danger.who_is_worried == "Everyone" and danger.safety_goal.sustain_for == 6


def test_sign_off_only_after_finalising(draft_map, worker, manager):
    with pytest.raises(RuleViolation):
        services.map_sign_off(actor=manager, map_=draft_map)
    make_finalisable(draft_map, worker)
    services.map_finalise(actor=worker, map_=draft_map, expected_revision=draft_map.revision)
    signed = services.map_sign_off(actor=manager, map_=draft_map)
    assert signed.signed_off_by == manager
    with pytest.raises(RuleViolation):
        services.map_sign_off(actor=manager, map_=draft_map)


def test_scale_judgement_for_a_statement_on_another_map_is_refused(draft_map, worker):
    elsewhere = factories.DangerStatementFactory()
    with pytest.raises(RuleViolation):
        services.scale_judgement_add(
            actor=worker,
            map_=draft_map,
            danger_statement=elsewhere,
            rater_name="A",
            rater_role="worker",
            score=5,
            zero_means="0",
            ten_means="10",
            reason="r",
        )


class ScaleRangeTests(HypothesisTestCase):
    @given(score=st.integers(min_value=-50, max_value=60))
    def test_only_whole_numbers_from_0_to_10_are_kept(self, score):
        map_ = factories.MapFactory()
        worker = factories.UserFactory(team=map_.case.team)
        arguments = dict(
            actor=worker,
            map_=map_,
            danger_statement=None,
            rater_name="A",
            rater_role="parent",
            score=score,
            zero_means="0",
            ten_means="10",
            reason="Because",
        )
        if 0 <= score <= 10:
            assert services.scale_judgement_add(**arguments).score == score
        else:
            with pytest.raises(RuleViolation):
                services.scale_judgement_add(**arguments)
            assert not map_.scale_judgements.exists()
