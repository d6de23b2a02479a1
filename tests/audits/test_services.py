import datetime

import pytest

from agencies.models import Role
from audits import services
from audits.models import AuditRubric, AuditSample, CaseAudit, Scale
from core.errors import ConflictError, RuleViolation
from core.models import AuditEvent
from people.services import case_restrict
from tests import factories
from tests.audits.conftest import DAY, fill

pytestmark = pytest.mark.django_db


# Sampling -------------------------------------------------------------------------------------


def open_cases(team, count):
    cases = []
    for _ in range(count):
        case = factories.CaseFactory(team=team, opened_on=datetime.date(2025, 6, 1))
        factories.AllocationFactory(case=case, started_on=case.opened_on)
        cases.append(case)
    return cases


def test_the_draw_repeats_exactly_from_its_seed():
    ids = list(range(1, 41))
    first = services.draw(ids, seed=1234, size=5)
    assert first == services.draw(list(reversed(ids)), seed=1234, size=5)
    assert len(set(first)) == 5 and set(first) <= set(ids)
    assert services.draw(ids, seed=99, size=5) != first
    assert services.draw(ids[:3], seed=1234, size=5) == services.draw(ids[:3], seed=1234, size=3)


def test_a_sample_records_its_seed_and_can_be_checked(team, lead):
    cases = open_cases(team, 12)
    sample = services.sample_draw(
        actor=lead, team=team, month=DAY, size=4, months_excluded=6, seed=2026, today=DAY
    )
    drawn = list(sample.drawn.values_list("case_id", flat=True))
    assert len(drawn) == 4 and sample.month == datetime.date(2026, 3, 1)
    assert sample.eligible_case_ids == sorted(c.pk for c in cases)
    assert drawn == services.draw([c.pk for c in cases], seed=2026, size=4)
    assert services.sample_verify(sample)
    assert all(item.worker_id for item in sample.drawn.all())
    event = AuditEvent.objects.get(verb="audits.sample_drawn")
    assert event.changes["seed"] == 2026 and event.changes["eligible"] == 12


def test_the_sample_leaves_out_recent_audits_restricted_closed_and_other_teams(team, lead, manager):
    audited_recently, audited_long_ago, restricted, closed, eligible = open_cases(team, 5)
    factories.CaseAuditFactory(case=audited_recently, completed_on=datetime.date(2025, 11, 20))
    factories.CaseAuditFactory(case=audited_long_ago, completed_on=datetime.date(2025, 8, 20))
    case_restrict(actor=manager, case=restricted, reason="A relative of a member of staff")
    closed.closed_on, closed.status = datetime.date(2026, 2, 1), "closed"
    closed.save()
    open_cases(factories.TeamFactory(agency=team.agency), 2)
    sample = services.sample_draw(
        actor=lead, team=team, month=DAY, size=10, months_excluded=6, today=DAY
    )
    assert set(sample.eligible_case_ids) == {audited_long_ago.pk, eligible.pk}
    assert set(sample.drawn.values_list("case_id", flat=True)) == {audited_long_ago.pk, eligible.pk}


def test_one_sample_per_team_per_month_and_only_for_its_manager_or_a_lead(team, lead, worker):
    open_cases(team, 3)
    services.sample_draw(actor=lead, team=team, month=DAY, today=DAY)
    with pytest.raises(RuleViolation, match="already been drawn"):
        services.sample_draw(actor=lead, team=team, month=DAY, today=DAY)
    other_manager = factories.UserFactory(
        team=factories.TeamFactory(agency=team.agency), role=Role.TEAM_MANAGER
    )
    for actor in [worker, other_manager]:
        with pytest.raises(RuleViolation):
            services.sample_draw(actor=actor, team=team, month=datetime.date(2026, 2, 1))
    with pytest.raises(RuleViolation, match="this month or an earlier"):
        services.sample_draw(actor=lead, team=team, month=datetime.date(2026, 5, 1), today=DAY)
    assert AuditSample.objects.count() == 1


def test_the_default_size_comes_from_settings(team, lead, settings):
    settings.THREEFOLD_AUDITS_SAMPLE_SIZE = 3
    open_cases(team, 8)
    sample = services.sample_draw(actor=lead, team=team, month=DAY, today=DAY)
    assert sample.size == 3 and sample.drawn.count() == 3


# Rubrics --------------------------------------------------------------------------------------


def test_editing_a_rubric_in_use_makes_a_new_version_and_old_audits_keep_theirs(rubric, case, lead):
    audit = services.audit_start(actor=lead, case=case, on=DAY)
    first = rubric.questions.get(order=1)
    changed = services.rubric_question_change(
        actor=lead,
        question=first,
        expected_revision=rubric.revision,
        area="Map and analysis",
        text="Are the dangers and the safety goals clear?",
        guidance="",
        scale=Scale.GRADES,
        order=1,
    )
    successor = changed.rubric
    assert successor.version == 2 and successor.previous == rubric and successor.active
    rubric.refresh_from_db()
    assert not rubric.active
    assert rubric.questions.get(order=1).text == "Are the dangers clear?"
    assert [q.text for q in successor.questions.all()] == [
        "Are the dangers and the safety goals clear?",
        "Is the child heard?",
    ]
    assert list(audit.answers.values_list("question__rubric", flat=True)) == [rubric.pk] * 2
    with pytest.raises(RuleViolation, match="newer version"):
        services.rubric_question_remove(
            actor=lead, question=first, expected_revision=rubric.revision
        )


def test_a_rubric_not_yet_used_is_changed_in_place_and_stale_edits_are_refused(rubric, lead):
    question = services.rubric_question_add(
        actor=lead, rubric=rubric, expected_revision=1, area="Network", text="Is there a network?"
    )
    assert question.rubric == rubric and question.order == 3
    with pytest.raises(ConflictError):
        services.rubric_question_add(
            actor=lead, rubric=rubric, expected_revision=1, area="Network", text="Told?"
        )
    assert AuditRubric.objects.count() == 1


def test_only_practice_leads_keep_rubrics_and_one_is_in_use(team, lead, manager):
    with pytest.raises(RuleViolation):
        services.rubric_create(actor=manager, name="Mine")
    first = services.rubric_create(actor=lead, name="Practice audit")
    second = services.rubric_create(actor=lead, name="Thematic audit")
    assert first.active and not second.active
    with pytest.raises(RuleViolation, match="at least one question"):
        services.rubric_activate(actor=lead, rubric=second)
    factories.AuditQuestionFactory(rubric=second)
    services.rubric_activate(actor=lead, rubric=second)
    assert list(AuditRubric.objects.filter(active=True)) == [second]


# Audits ---------------------------------------------------------------------------------------


def test_an_audit_starts_with_the_rubric_in_use_and_the_worker_who_holds_the_case(
    rubric, case, lead, worker
):
    audit = services.audit_start(actor=lead, case=case, on=DAY)
    assert audit.rubric == rubric and audit.worker == worker and audit.auditor == lead
    assert audit.answers.count() == 2
    with pytest.raises(RuleViolation, match="already has an audit in progress"):
        services.audit_start(actor=lead, case=case, on=DAY)
    event = AuditEvent.objects.get(verb="audits.audit_started")
    assert event.case_id == case.pk


def test_who_may_not_start_an_audit(rubric, case, worker, manager, senior, team):
    case.allocations.update(ended_on=DAY)
    factories.AllocationFactory(case=case, worker=manager, started_on=DAY)
    with pytest.raises(RuleViolation, match="You hold this case"):
        services.audit_start(actor=manager, case=case, on=DAY)
    for actor in [worker, senior]:
        with pytest.raises(RuleViolation, match="Only practice leads and team managers"):
            services.audit_start(actor=actor, case=case, on=DAY)
    outside_lead = factories.UserFactory(
        team=None, agency=factories.AgencyFactory(), role=Role.PRACTICE_LEAD
    )
    with pytest.raises(RuleViolation, match="cannot open"):
        services.audit_start(actor=outside_lead, case=case, on=DAY)


def test_auditor_and_worker_each_write_their_own_parts(rubric, case, lead, worker):
    audit = services.audit_start(actor=lead, case=case, on=DAY)
    first, second = audit.answers.order_by("question__order")
    audit = services.audit_save(
        actor=worker,
        audit=audit,
        expected_revision=1,
        answers={first.pk: {"worker_comment": "We mapped it together.", "score": 4}},
        summary={"worker_reflections": "Useful.", "grade": 4, "worries": "Dad's voice."},
    )
    first.refresh_from_db()
    assert first.worker_comment == "We mapped it together." and first.score is None
    assert audit.grade is None and audit.worries == "Dad's voice."
    assert audit.worker_reflections == "Useful." and audit.revision == 2
    with pytest.raises(RuleViolation, match="from 0 to 10"):
        services.audit_save(
            actor=lead,
            audit=audit,
            expected_revision=2,
            answers={second.pk: {"score": 11}},
            summary={},
        )


def test_two_people_saving_the_same_version_never_overwrite_each_other(rubric, case, lead, worker):
    audit = services.audit_start(actor=lead, case=case, on=DAY)
    services.audit_save(
        actor=lead, audit=audit, expected_revision=1, answers={}, summary={"worries": "Lead's"}
    )
    with pytest.raises(ConflictError) as caught:
        services.audit_save(
            actor=worker, audit=audit, expected_revision=1, answers={}, summary={"worries": "Mine"}
        )
    assert caught.value.current.worries == "Lead's"
    audit.refresh_from_db()
    assert audit.worries == "Lead's" and audit.revision == 2


def test_completing_needs_every_score_the_grade_and_next_steps(rubric, case, lead, worker):
    audit = services.audit_start(actor=lead, case=case, on=DAY)
    with pytest.raises(RuleViolation, match="2 not scored yet"):
        services.audit_complete(actor=lead, audit=audit, expected_revision=1)
    audit = fill(audit, actor=lead)
    with pytest.raises(RuleViolation, match="Only the auditor"):
        services.audit_complete(actor=worker, audit=audit, expected_revision=audit.revision)
    audit = services.audit_complete(
        actor=lead, audit=audit, expected_revision=audit.revision, on=DAY
    )
    assert audit.status == CaseAudit.Status.COMPLETED and audit.counted_grade == 3
    assert audit.completed_on == DAY
    with pytest.raises(RuleViolation, match="completed"):
        fill(audit, actor=lead, grade=4)
    # The worker can still add their reflections after completion.
    audit = services.audit_save(
        actor=worker,
        audit=audit,
        expected_revision=audit.revision,
        answers={},
        summary={"worker_reflections": "Agreed.", "next_steps": "Changed"},
    )
    assert audit.worker_reflections == "Agreed." and audit.next_steps == "Update the safety plan."


# Moderation -----------------------------------------------------------------------------------


@pytest.fixture
def completed(rubric, case, lead):
    audit = fill(services.audit_start(actor=lead, case=case, on=DAY), actor=lead, grade=2)
    return services.audit_complete(actor=lead, audit=audit, expected_revision=audit.revision)


def test_nobody_moderates_their_own_audit_or_their_own_work(completed, lead, worker, team):
    other_lead = factories.UserFactory(team=None, agency=team.agency, role=Role.PRACTICE_LEAD)
    assert services.may_moderate(other_lead, completed)
    assert not services.may_moderate(lead, completed)
    completed.worker.role = Role.PRACTICE_LEAD
    assert not services.may_moderate(completed.worker, completed)
    for actor in [lead, worker, factories.UserFactory(team=team, role=Role.TEAM_MANAGER)]:
        with pytest.raises(RuleViolation):
            services.moderation_record(actor=actor, audit=completed, grade=3, reason="x")


def test_a_changed_grade_needs_a_reason_and_then_counts(completed, senior):
    with pytest.raises(RuleViolation, match="Say why"):
        services.moderation_record(actor=senior, audit=completed, grade=3)
    moderation = services.moderation_record(
        actor=senior, audit=completed, grade=3, reason="The plan is strong.", on=DAY
    )
    completed.refresh_from_db()
    assert not moderation.agreed and completed.grade == 2 and completed.counted_grade == 3
    assert completed.status == CaseAudit.Status.MODERATED
    with pytest.raises(RuleViolation, match="not been moderated"):
        services.moderation_record(actor=senior, audit=completed, grade=3, reason="again")


def test_agreeing_the_grade_needs_no_reason(completed, senior):
    moderation = services.moderation_record(actor=senior, audit=completed, grade=2)
    assert moderation.agreed


def test_an_audit_in_progress_cannot_be_moderated(rubric, case, lead, senior):
    audit = services.audit_start(actor=lead, case=case, on=DAY)
    with pytest.raises(RuleViolation, match="Only a completed audit"):
        services.moderation_record(actor=senior, audit=audit, grade=3, reason="x")
