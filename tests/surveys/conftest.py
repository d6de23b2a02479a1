import pytest

from agencies.models import Role
from people.models import Person
from surveys import services
from tests import factories

LINK = "http://testserver/survey/"


def link_for(token):
    return f"{LINK}{token}/"


@pytest.fixture
def lead(team):
    return factories.UserFactory(agency=team.agency, team=None, role=Role.PRACTICE_LEAD)


@pytest.fixture
def parent(case):
    person = factories.PersonFactory(agency=case.agency, kind=Person.Kind.ADULT, given_name="Jade")
    factories.CaseMemberFactory(case=case, person=person)
    return person


@pytest.fixture
def staff_survey(lead, worker, manager):
    return factories.make_survey(actor=lead, kind="staff")


@pytest.fixture
def family_survey(lead):
    return factories.make_survey(actor=lead, kind="family")


@pytest.fixture
def family_link(worker, case, parent, family_survey):
    """The parent's invitation and the link's token."""
    return services.survey_family_invite(
        actor=worker, survey=family_survey, case=case, person=parent, link_for=link_for
    )


def answers_for(survey, *, value=None, text="Fine"):
    """An answer to every question: the middle of each scale, or `value`."""
    answers = {}
    for question in survey.questions.all():
        if question.is_text:
            answers[question.pk] = text
        else:
            answers[question.pk] = value if value is not None else question.values[2]
    return answers
