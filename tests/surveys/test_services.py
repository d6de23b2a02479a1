import datetime

import pytest
from django.core import mail
from django.utils import timezone

from core.errors import ConflictError, RuleViolation
from core.models import AuditEvent
from surveys import services
from surveys.models import Survey, SurveyAnswer, SurveyInvitation, SurveyResponse
from tests import factories
from tests.surveys.conftest import answers_for, link_for

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def test_a_new_survey_starts_with_the_standard_questions_and_is_audited(lead):
    survey = services.survey_create(
        actor=lead,
        kind="family",
        title="How was it?",
        opens_on=TODAY(),
        closes_on=TODAY() + datetime.timedelta(days=10),
    )
    texts = [q.text for q in survey.questions.all()]
    assert "I felt listened to" in texts
    assert "I knew what needed to happen" in texts
    assert survey.state == Survey.State.DRAFT and survey.anonymous
    assert AuditEvent.objects.filter(verb="surveys.survey_created", target_id=survey.pk).exists()


def test_the_staff_questions_cover_the_tools_conditions_and_climate(lead):
    survey = factories.make_survey(actor=lead, kind="staff", opened=False)
    keys = set(survey.questions.values_list("key", flat=True))
    assert {"confidence-mapping", "confidence-three-houses", "caseload-manageable"} <= keys
    assert "raise-worry-without-blame" in keys
    columns = set(survey.questions.exclude(column="").values_list("column", flat=True))
    assert columns == {"worries", "working_well", "needs_to_happen"}


def test_opening_a_staff_survey_asks_every_active_member_of_staff_once(lead, worker, manager):
    gone = factories.UserFactory(agency=lead.agency, team=None, is_active=False)
    survey = factories.make_survey(actor=lead, kind="staff")
    asked = set(survey.invitations.values_list("user_id", flat=True))
    assert {lead.pk, worker.pk, manager.pk} <= asked
    assert gone.pk not in asked
    assert survey.invitations.get(user=worker).team_id == worker.team_id


def test_questions_change_only_before_the_survey_opens(lead):
    survey = factories.make_survey(actor=lead, kind="staff", opened=False)
    question = services.survey_question_add(
        actor=lead, survey=survey, text="I have the equipment I need", kind="agree"
    )
    assert question.key == "i-have-the-equipment-i-need"
    survey.refresh_from_db()
    services.survey_open(actor=lead, survey=survey, expected_revision=survey.revision)
    with pytest.raises(RuleViolation, match="cannot change once the survey has opened"):
        services.survey_question_add(actor=lead, survey=survey, text="More?", kind="agree")
    with pytest.raises(RuleViolation):
        services.survey_question_remove(actor=lead, question=question)


def test_an_answer_in_their_own_words_needs_a_column(lead):
    survey = factories.make_survey(actor=lead, opened=False)
    with pytest.raises(RuleViolation, match="three columns"):
        services.survey_question_add(actor=lead, survey=survey, text="Anything else?", kind="text")


def test_a_stale_edit_never_overwrites_a_newer_one(lead):
    survey = factories.make_survey(actor=lead, opened=False)
    fields = {
        "title": "First",
        "introduction": "",
        "anonymous": True,
        "opens_on": survey.opens_on,
        "closes_on": survey.closes_on,
    }
    services.survey_update(actor=lead, survey=survey, expected_revision=1, **fields)
    with pytest.raises(ConflictError):
        services.survey_update(
            actor=lead, survey=survey, expected_revision=1, **(fields | {"title": "Second"})
        )
    survey.refresh_from_db()
    assert survey.title == "First"


def test_the_anonymity_promise_cannot_change_once_open(lead, family_survey):
    with pytest.raises(RuleViolation, match="anonymous"):
        services.survey_update(
            actor=lead,
            survey=family_survey,
            expected_revision=family_survey.revision,
            title=family_survey.title,
            introduction="",
            anonymous=False,
            opens_on=family_survey.opens_on,
            closes_on=family_survey.closes_on,
        )


def test_an_anonymous_response_keeps_no_one_s_identity(staff_survey, worker):
    invitation = staff_survey.invitations.get(user=worker)
    response = services.survey_response_submit(
        invitation=invitation, answers=answers_for(staff_survey), through="staff", actor=worker
    )
    response.refresh_from_db()
    assert response.respondent_user_id is None
    assert response.respondent_person_id is None and response.case_id is None
    assert response.team_id == worker.team_id
    # Only the day, and a random id: nothing to line up with the invitation or the audit log.
    assert isinstance(response.submitted_on, datetime.date)
    assert not isinstance(response.submitted_on, datetime.datetime)
    event = AuditEvent.objects.get(verb="surveys.response_submitted")
    assert str(response.pk) not in str(event.changes)
    assert event.target_type == "surveys.surveyinvitation"


def test_a_named_survey_keeps_who_answered(lead, worker):
    survey = factories.make_survey(actor=lead, kind="staff", anonymous=False)
    invitation = survey.invitations.get(user=worker)
    response = services.survey_response_submit(
        invitation=invitation, answers=answers_for(survey), through="staff", actor=worker
    )
    assert response.respondent_user == worker


def test_a_family_link_works_once(family_link, family_survey):
    invitation, token = family_link
    assert invitation.token_hash == services.hash_token(token)
    assert token not in str(SurveyInvitation.objects.values_list().get(pk=invitation.pk))
    found = services.invitation_for_token(token)
    services.survey_response_submit(
        invitation=found, answers=answers_for(family_survey), through="link"
    )
    with pytest.raises(RuleViolation, match="already answered"):
        services.invitation_for_token(token)
    with pytest.raises(RuleViolation, match="already answered"):
        services.survey_response_submit(
            invitation=found, answers=answers_for(family_survey), through="link"
        )
    assert SurveyResponse.objects.count() == 1


def test_a_wrong_link_is_refused(family_link):
    with pytest.raises(RuleViolation, match="does not work"):
        services.invitation_for_token("not-a-real-token")


def test_a_closed_survey_refuses_answers_with_a_clear_message(lead, family_link, family_survey):
    _invitation, token = family_link
    revision = family_survey.revision
    services.survey_close(actor=lead, survey=family_survey, expected_revision=revision)
    with pytest.raises(RuleViolation, match="has closed"):
        services.invitation_for_token(token)


def test_a_survey_past_its_closing_day_refuses_answers(family_link, family_survey):
    invitation, token = family_link
    Survey.objects.filter(pk=family_survey.pk).update(closes_on=TODAY() - datetime.timedelta(1))
    with pytest.raises(RuleViolation, match="has closed"):
        services.invitation_for_token(token)
    with pytest.raises(RuleViolation, match="has closed"):
        services.survey_response_submit(
            invitation=invitation, answers=answers_for(family_survey), through="link"
        )


def test_answers_outside_the_scale_and_missing_required_answers_are_refused(staff_survey, worker):
    invitation = staff_survey.invitations.get(user=worker)
    answers = answers_for(staff_survey)
    scale = staff_survey.questions.filter(kind="scale").first()
    with pytest.raises(RuleViolation, match="Choose one of the answers"):
        services.survey_response_submit(
            invitation=invitation, answers=answers | {scale.pk: 11}, through="staff"
        )
    del answers[scale.pk]
    with pytest.raises(RuleViolation, match="marked as needed"):
        services.survey_response_submit(invitation=invitation, answers=answers, through="staff")
    assert not SurveyAnswer.objects.exists()


def test_sending_again_gives_a_new_link_and_the_old_one_stops(worker, case, parent, family_link):
    invitation, old = family_link
    again, new = services.survey_family_invite(
        actor=worker, survey=invitation.survey, case=case, person=parent, link_for=link_for
    )
    assert again.pk == invitation.pk and new != old
    with pytest.raises(RuleViolation, match="does not work"):
        services.invitation_for_token(old)
    assert services.invitation_for_token(new).pk == invitation.pk


def test_the_link_is_emailed_when_there_is_an_address(worker, case, parent, family_survey):
    _invitation, token = services.survey_family_invite(
        actor=worker,
        survey=family_survey,
        case=case,
        person=parent,
        link_for=link_for,
        email="jade@example.org",
    )
    assert len(mail.outbox) == 1
    assert link_for(token) in mail.outbox[0].body
    assert mail.outbox[0].to == ["jade@example.org"]


def test_only_people_on_the_case_can_be_sent_the_survey(worker, case, family_survey):
    stranger = factories.PersonFactory(agency=case.agency)
    with pytest.raises(RuleViolation, match="recorded in this family's case"):
        services.survey_family_invite(
            actor=worker, survey=family_survey, case=case, person=stranger, link_for=link_for
        )


def test_a_draft_or_staff_survey_cannot_be_sent_to_a_family(lead, worker, case, parent):
    draft = factories.make_survey(actor=lead, opened=False)
    with pytest.raises(RuleViolation, match="not open"):
        services.survey_family_invite(
            actor=worker, survey=draft, case=case, person=parent, link_for=link_for
        )
    staff = factories.make_survey(actor=lead, kind="staff")
    with pytest.raises(RuleViolation, match="Only a family survey"):
        services.survey_family_invite(
            actor=worker, survey=staff, case=case, person=parent, link_for=link_for
        )


def test_repeating_keeps_the_questions_for_comparison(lead, staff_survey):
    new = services.survey_repeat(
        actor=lead,
        survey=staff_survey,
        opens_on=staff_survey.opens_on + datetime.timedelta(days=90),
        closes_on=staff_survey.opens_on + datetime.timedelta(days=120),
    )
    assert new.state == Survey.State.DRAFT
    assert list(new.questions.values_list("key", flat=True)) == list(
        staff_survey.questions.values_list("key", flat=True)
    )
