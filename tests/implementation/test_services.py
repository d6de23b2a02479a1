import datetime

import pytest

from core.errors import ConflictError, RuleViolation
from core.models import AuditEvent
from implementation import services
from implementation.models import AssessmentRound, Rating, TrainingRecord
from tests import factories
from tests.implementation.conftest import all_scores

pytestmark = pytest.mark.django_db


def test_defaults_are_added_once_with_the_issue_domains(leader):
    assert services.defaults_ensure(actor=leader, agency=leader.agency) is True
    assert services.defaults_ensure(actor=leader, agency=leader.agency) is False
    from implementation.models import Course, ImplementationDomain

    names = list(
        ImplementationDomain.objects.filter(agency=leader.agency).values_list("name", flat=True)
    )
    assert names[0] == "Leadership" and "Partnership with other agencies" in names
    assert set(Course.objects.filter(agency=leader.agency).values_list("level", flat=True)) == {
        "introduction",
        "advanced",
        "practice_lead",
        "trainer",
    }
    assert AuditEvent.objects.filter(verb="implementation.defaults_added").count() == 1


def test_a_training_record_is_kept_and_audited(leader, worker, defaults):
    record = services.training_record_add(
        actor=leader,
        worker=worker,
        course=defaults["courses"]["introduction"],
        completed_on=datetime.date(2025, 3, 4),
    )
    assert record.agency_id == leader.agency_id and record.recorded_by == leader
    event = AuditEvent.objects.get(verb="implementation.training_recorded")
    assert event.changes["worker"] == worker.pk and event.agency_id == leader.agency_id


def test_training_is_refused_for_another_agencys_worker_or_a_wrong_expiry(leader, defaults):
    outsider = factories.UserFactory()
    course = defaults["courses"]["advanced"]
    with pytest.raises(RuleViolation):
        services.training_record_add(
            actor=leader, worker=outsider, course=course, completed_on=datetime.date(2025, 1, 1)
        )
    with pytest.raises(RuleViolation):
        services.training_record_add(
            actor=leader,
            worker=leader,
            course=course,
            completed_on=datetime.date(2025, 1, 1),
            expires_on=datetime.date(2024, 1, 1),
        )
    assert not TrainingRecord.objects.exists()


def test_only_one_round_is_open_at_a_time(leader, open_round):
    with pytest.raises(RuleViolation, match="Close the open round"):
        services.round_open(
            actor=leader,
            agency=leader.agency,
            title="2026 Q2",
            period_start=datetime.date(2026, 4, 1),
            period_end=datetime.date(2026, 6, 30),
        )


def test_a_draft_can_change_but_a_submission_is_fixed(leader, open_round, defaults):
    domains = defaults["domains"]
    services.ratings_save(
        actor=leader, round_=open_round, scores=all_scores(domains, 3), submit=False
    )
    revisions = dict(Rating.objects.filter(rater=leader).values_list("domain_id", "revision"))
    services.ratings_save(
        actor=leader, round_=open_round, scores=all_scores(domains, 4, revisions), submit=True
    )
    assert set(Rating.objects.filter(rater=leader).values_list("score", flat=True)) == {4}
    assert not Rating.objects.filter(rater=leader, submitted_at__isnull=True).exists()
    with pytest.raises(RuleViolation, match="already submitted"):
        services.ratings_save(
            actor=leader, round_=open_round, scores=all_scores(domains, 9), submit=False
        )
    verbs = list(
        AuditEvent.objects.filter(verb__startswith="implementation.ratings").values_list(
            "verb", flat=True
        )
    )
    assert sorted(verbs) == ["implementation.ratings_saved", "implementation.ratings_submitted"]


def test_submitting_needs_every_domain_and_a_stale_draft_is_refused(leader, open_round, defaults):
    domains = defaults["domains"]
    with pytest.raises(RuleViolation, match="every domain"):
        services.ratings_save(
            actor=leader, round_=open_round, scores=all_scores(domains[:2], 5), submit=True
        )
    services.ratings_save(
        actor=leader, round_=open_round, scores=all_scores(domains, 3), submit=False
    )
    # The same rater's other window still has the form from before the first save.
    with pytest.raises(ConflictError):
        services.ratings_save(
            actor=leader, round_=open_round, scores=all_scores(domains, 6), submit=False
        )
    assert set(Rating.objects.values_list("score", flat=True)) == {3}


def test_closing_needs_a_submission_and_drops_unsubmitted_drafts(
    leader, lead, open_round, defaults
):
    domains = defaults["domains"]
    with pytest.raises(RuleViolation, match="Nobody has submitted"):
        services.round_close(actor=leader, round_=open_round, revision=open_round.revision)
    services.ratings_save(
        actor=leader, round_=open_round, scores=all_scores(domains, 5), submit=True
    )
    services.ratings_save(
        actor=lead, round_=open_round, scores=all_scores(domains, 7), submit=False
    )
    with pytest.raises(ConflictError):
        services.round_close(actor=leader, round_=open_round, revision=open_round.revision + 1)
    services.round_close(actor=leader, round_=open_round, revision=open_round.revision)
    open_round.refresh_from_db()
    assert open_round.status == AssessmentRound.Status.CLOSED
    assert not Rating.objects.filter(rater=lead).exists()
    with pytest.raises(RuleViolation, match="closed"):
        services.round_note_add(actor=lead, round_=open_round, kind="worry", text="Too late")


def test_an_action_edit_from_a_stale_form_does_not_overwrite(leader, lead, defaults, open_round):
    action = services.action_add(
        actor=leader,
        agency=leader.agency,
        action="Align the assessment form",
        owner=lead,
        due_on=datetime.date(2026, 6, 30),
        domain=defaults["domains"][1],
    )
    services.action_update(actor=lead, plan_action=action, revision=1, status="in_progress")
    with pytest.raises(ConflictError):
        services.action_update(actor=leader, plan_action=action, revision=1, status="dropped")
    with pytest.raises(RuleViolation, match="what the review found"):
        services.action_update(
            actor=leader, plan_action=action, revision=2, reviewed_in=open_round, review_note=" "
        )
    action.refresh_from_db()
    assert action.status == "in_progress" and action.revision == 2
    event = AuditEvent.objects.get(verb="implementation.action_changed")
    assert event.changes == {"status": {"old": "planned", "new": "in_progress"}}


def test_an_action_owner_must_be_in_the_agency(leader):
    with pytest.raises(RuleViolation):
        services.action_add(
            actor=leader,
            agency=leader.agency,
            action="x",
            owner=factories.UserFactory(),
            due_on=datetime.date(2026, 1, 1),
        )


def test_settings_changes_are_guarded_and_audited(leader):
    services.settings_update(
        actor=leader,
        agency=leader.agency,
        local_authority_code="855",
        introduction_within_days=60,
        revision=1,
    )
    with pytest.raises(ConflictError):
        services.settings_update(
            actor=leader,
            agency=leader.agency,
            local_authority_code="",
            introduction_within_days=30,
            revision=1,
        )
    event = AuditEvent.objects.get(verb="implementation.settings_changed")
    assert event.changes["introduction_within_days"] == {"old": 90, "new": 60}
