import datetime
import random

import pytest

from agencies.models import Role
from people.models import Person
from surveys.demo import add_surveys
from surveys.models import Survey, SurveyInvitation, SurveyResponse
from tests import factories

pytestmark = pytest.mark.django_db


def test_the_demo_has_two_rounds_of_each_survey_with_answers(team):
    today = datetime.date(2026, 6, 1)
    factories.UserFactory(agency=team.agency, team=None, role=Role.PRACTICE_LEAD)
    staff = [factories.UserFactory(team=team) for _ in range(12)]
    for _ in range(20):
        case = factories.CaseFactory(team=team, opened_on=datetime.date(2025, 1, 1))
        adult = factories.PersonFactory(agency=team.agency, kind=Person.Kind.ADULT)
        factories.CaseMemberFactory(case=case, person=adult)
    add_surveys(agency=team.agency, rng=random.Random(1), today=today)
    surveys = Survey.objects.filter(agency=team.agency)
    assert surveys.filter(kind="staff").count() == 2
    assert surveys.filter(kind="family").count() == 2
    assert surveys.filter(kind="family", state="open").count() == 1
    assert SurveyInvitation.objects.filter(user__in=staff).count() == 24
    assert SurveyResponse.objects.filter(survey__kind="staff").count() > 8
    assert SurveyResponse.objects.filter(respondent_user__isnull=False).count() == 0
    # Running it again adds nothing.
    add_surveys(agency=team.agency, rng=random.Random(1), today=today)
    assert Survey.objects.filter(agency=team.agency).count() == 4
