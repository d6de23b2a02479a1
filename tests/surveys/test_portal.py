"""The family survey on the family pages: a parent or young person signed in to the portal sees
the surveys they were sent on their case and answers them there, and nothing else."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEvent
from portal import services as portal_services
from portal.models import Scope
from surveys.models import SurveyInvitation, SurveyResponse
from tests.surveys.conftest import answers_for

pytestmark = pytest.mark.django_db


def _sign_in(client, worker, case, person):
    _invitation, code = portal_services.portal_invitation_create(
        actor=worker,
        case=case,
        kind="parent",
        person=person,
        scopes=[Scope.SAFETY_PLAN],
        expires_on=timezone.localdate() + datetime.timedelta(days=30),
        delivery="print",
    )
    response = client.post(reverse("portal:family_sign_in"), {"code": code})
    assert response.status_code == 302


def test_the_portal_home_lists_the_survey_and_the_family_answers_it(
    client, worker, case, parent, family_link
):
    invitation, _token = family_link
    _sign_in(client, worker, case, parent)
    home = client.get(reverse("portal:family_home")).content.decode()
    url = reverse("portal:family_survey", args=[invitation.pk])
    assert url in home
    form = client.get(url).content.decode()
    assert "I felt listened to" in form
    data = {f"q{pk}": v for pk, v in answers_for(invitation.survey, value=5).items()}
    response = client.post(url, data)
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.answered_through == SurveyInvitation.Channel.PORTAL
    assert SurveyResponse.objects.get().respondent_person is None
    event = AuditEvent.objects.get(verb="surveys.response_submitted")
    assert event.changes["portal_person"] == parent.display_name
    assert AuditEvent.objects.filter(verb="portal.survey_viewed").exists()
    # Answered: it leaves the home page and cannot be answered again.
    assert url not in client.get(reverse("portal:family_home")).content.decode()
    assert client.get(url).status_code == 404


def test_someone_else_s_survey_is_not_found_on_the_portal(
    client, worker, case, parent, child, family_survey
):
    from surveys import services

    theirs, _ = services.survey_family_invite(
        actor=worker, survey=family_survey, case=case, person=child, link_for=str
    )
    _sign_in(client, worker, case, parent)
    assert client.get(reverse("portal:family_survey", args=[theirs.pk])).status_code == 404
