import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from agencies.models import Role
from core.models import AuditEvent
from surveys import services
from surveys.models import Survey, SurveyInvitation, SurveyResponse
from tests import factories
from tests.surveys.conftest import answers_for

pytestmark = pytest.mark.django_db


def _post_answers(survey, **overrides):
    return {f"q{pk}": value for pk, value in answers_for(survey, **overrides).items()}


def test_a_lead_makes_and_opens_a_staff_survey(client, lead, worker):
    client.force_login(lead)
    response = client.post(
        reverse("surveys:survey_add"),
        {
            "kind": "staff",
            "title": "Spring staff survey",
            "introduction": "",
            "anonymous": "yes",
            "opens_on": timezone.localdate().isoformat(),
            "closes_on": (timezone.localdate() + datetime.timedelta(days=30)).isoformat(),
        },
    )
    survey = Survey.objects.get(title="Spring staff survey")
    assert response.status_code == 302
    page = client.get(reverse("surveys:survey_detail", args=[survey.pk]))
    assert "Mapping with a family" in page.content.decode()
    response = client.post(
        reverse("surveys:survey_open", args=[survey.pk]), {"revision": survey.revision}
    )
    survey.refresh_from_db()
    assert survey.state == "open"
    assert survey.invitations.filter(user=worker).exists()


def test_a_stale_open_is_refused_with_a_message(client, lead):
    survey = factories.make_survey(actor=lead, opened=False)
    client.force_login(lead)
    response = client.post(
        reverse("surveys:survey_open", args=[survey.pk]), {"revision": 99}, follow=True
    )
    assert "Someone else changed this survey" in response.content.decode()
    survey.refresh_from_db()
    assert survey.state == "draft"


def test_a_question_is_added_through_the_form(client, lead):
    survey = factories.make_survey(actor=lead, opened=False)
    client.force_login(lead)
    response = client.post(
        reverse("surveys:question_add", args=[survey.pk]),
        {"text": "I feel safe at work", "kind": "agree"},
    )
    assert response.status_code == 302
    assert survey.questions.filter(text="I feel safe at work").exists()


def test_a_worker_answers_a_staff_survey_once(client, worker, staff_survey):
    client.force_login(worker)
    page = client.get(reverse("surveys:my_surveys"))
    assert staff_survey.title in page.content.decode()
    url = reverse("surveys:staff_answer", args=[staff_survey.pk])
    form = client.get(url).content.decode()
    assert "anonymous" in form
    response = client.post(url, _post_answers(staff_survey))
    assert response.status_code == 302
    assert SurveyResponse.objects.get().respondent_user is None
    again = client.get(url, follow=True)
    assert "already answered" in again.content.decode()


def test_a_missing_answer_is_shown_with_an_error(client, worker, staff_survey):
    client.force_login(worker)
    answers = _post_answers(staff_survey)
    first = staff_survey.questions.order_by("order").first()
    del answers[f"q{first.pk}"]
    response = client.post(reverse("surveys:staff_answer", args=[staff_survey.pk]), answers)
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert not SurveyResponse.objects.exists()


def test_a_family_answers_through_the_link_without_an_account(client, family_link):
    invitation, token = family_link
    url = reverse("surveys:family_answer", args=[token])
    page = client.get(url)
    body = page.content.decode()
    assert page.status_code == 200
    assert "I felt listened to" in body
    assert "<script" not in body
    assert page["Cache-Control"].startswith("max-age=0")
    response = client.post(url, _post_answers(invitation.survey, value=4))
    assert "Thank you" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.answered_through == SurveyInvitation.Channel.LINK
    assert AuditEvent.objects.filter(
        verb="surveys.response_submitted", case_id=invitation.case_id, actor=None
    ).exists()
    again = client.get(url)
    assert "already answered" in again.content.decode()


def test_a_closed_survey_s_link_says_so(client, lead, family_link):
    invitation, token = family_link
    survey = invitation.survey
    services.survey_close(actor=lead, survey=survey, expected_revision=survey.revision)
    body = client.get(reverse("surveys:family_answer", args=[token])).content.decode()
    assert "This survey has closed" in body


def test_staff_cannot_answer_on_a_family_s_behalf(client, worker, family_link):
    _invitation, token = family_link
    client.force_login(worker)
    assert client.get(reverse("surveys:family_answer", args=[token])).status_code == 403


def test_a_worker_sends_the_survey_from_the_case(client, worker, case, parent, family_survey):
    client.force_login(worker)
    page = client.get(reverse("surveys:family_invite", args=[case.pk]))
    assert "Jade" in page.content.decode()
    response = client.post(
        reverse("surveys:family_invite", args=[case.pk]),
        {"survey": family_survey.pk, "person": parent.pk, "email": ""},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "http://testserver/survey/" in body
    assert 'class="qr"' in body
    assert response["Cache-Control"].startswith("no-store")
    listing = client.get(reverse("surveys:case_surveys", args=[case.pk])).content.decode()
    assert "Not yet" in listing


def test_results_hide_small_numbers_and_are_audited(client, lead, staff_survey, worker):
    services.survey_response_submit(
        invitation=staff_survey.invitations.get(user=worker),
        answers=answers_for(staff_survey, text="My caseload is too high"),
        through="staff",
    )
    client.force_login(lead)
    body = client.get(reverse("surveys:results", args=[staff_survey.pk])).content.decode()
    assert "no answers are shown yet" in body
    assert "My caseload is too high" not in body
    assert AuditEvent.objects.filter(verb="surveys.results_viewed").exists()


def test_results_show_the_three_columns_and_download(client, lead, settings, team):
    settings.THREEFOLD_MEASURES_SUPPRESS_BELOW = 2
    staff = [factories.UserFactory(team=team) for _ in range(3)]
    survey = factories.make_survey(actor=lead, kind="staff")
    for user, text in zip(staff, ["Supervision helps", "Too many visits", "Time"], strict=True):
        services.survey_response_submit(
            invitation=survey.invitations.get(user=user),
            answers=answers_for(survey, text=text),
            through="staff",
        )
    client.force_login(lead)
    body = client.get(reverse("surveys:results", args=[survey.pk])).content.decode()
    assert "What&#x27;s working well" in body or "What's working well" in body
    assert "Supervision helps" in body
    assert "<svg" in body
    csv = client.get(reverse("surveys:results_download", args=[survey.pk]), {"table": "words"})
    assert csv["Content-Type"].startswith("text/csv")
    assert "Too many visits" in csv.content.decode()
    xlsx = client.get(
        reverse("surveys:results_download", args=[survey.pk]), {"table": "teams", "fmt": "xlsx"}
    )
    assert xlsx["Content-Type"].endswith("spreadsheetml.sheet")
    assert AuditEvent.objects.filter(verb="surveys.results_downloaded").count() == 2
    compare = client.get(reverse("surveys:compare", args=["staff"]))
    assert compare.status_code == 200


def test_another_agency_s_survey_is_not_found(client, staff_survey):
    outsider = factories.UserFactory(role=Role.PRACTICE_LEAD)
    client.force_login(outsider)
    for name in ["survey_detail", "results", "results_download", "survey_edit"]:
        url = reverse(f"surveys:{name}", args=[staff_survey.pk])
        assert client.get(url).status_code == 404, name
    assert client.get(reverse("surveys:staff_answer", args=[staff_survey.pk])).status_code == 404
    listing = client.get(reverse("surveys:survey_list")).content.decode()
    assert reverse("surveys:survey_detail", args=[staff_survey.pk]) not in listing
