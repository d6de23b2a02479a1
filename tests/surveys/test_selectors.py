import datetime

import pytest
from django.http import Http404

from agencies.models import Role
from surveys import selectors, services
from tests import factories
from tests.surveys.conftest import answers_for

pytestmark = pytest.mark.django_db


def _answer_as(survey, users, *, value=None, text="Fine"):
    for user in users:
        invitation = survey.invitations.get(user=user)
        services.survey_response_submit(
            invitation=invitation,
            answers=answers_for(survey, value=value, text=text),
            through="staff",
            actor=user,
        )


@pytest.fixture
def teams(lead, settings):
    """A big team of six and a small team of two, with the threshold at five."""
    settings.THREEFOLD_MEASURES_SUPPRESS_BELOW = 5
    big = factories.TeamFactory(agency=lead.agency, name="North")
    small = factories.TeamFactory(agency=lead.agency, name="South")
    return {
        "big": [factories.UserFactory(team=big) for _ in range(6)],
        "small": [factories.UserFactory(team=small) for _ in range(2)],
    }


def test_only_survey_managers_of_the_agency_see_surveys(lead, worker, staff_survey):
    assert list(selectors.surveys_for(lead)) == [staff_survey]
    assert not selectors.surveys_for(worker).exists()
    outsider = factories.UserFactory(role=Role.PRACTICE_LEAD)
    assert not selectors.surveys_for(outsider).exists()
    with pytest.raises(Http404):
        selectors.survey_get(outsider, survey_id=staff_survey.pk)
    with pytest.raises(Http404):
        selectors.survey_get(worker, survey_id=staff_survey.pk)


def test_response_rates_by_team(lead, teams):
    survey = factories.make_survey(actor=lead, kind="staff")
    _answer_as(survey, teams["big"][:3])
    rates = selectors.response_rates(survey)
    north = next(t for t in rates["teams"] if t["team"] == "North")
    assert (north["invited"], north["answered"], north["percent"]) == (6, 3, 50)
    assert rates["answered"] == 3


def test_a_small_team_is_folded_into_other_teams(lead, teams):
    survey = factories.make_survey(actor=lead, kind="staff")
    _answer_as(survey, teams["big"], value=5)
    _answer_as(survey, teams["small"], value=1)
    data = selectors.results(survey)
    labels = [g.label for g in data["groups"]]
    assert labels == ["North", "Other teams"]
    other = data["groups"][1]
    assert other.responses == 2 and other.suppressed
    row = data["rows"][0]
    north, others = row["groups"]
    assert north.mean == 5 and not north.suppressed
    assert others.mean is None and others.suppressed
    # The whole survey is shown: eight responses in all.
    assert row["all"].n == 8 and not data["suppressed"]


def test_too_few_responses_in_all_shows_nothing(lead, teams):
    survey = factories.make_survey(actor=lead, kind="staff")
    _answer_as(survey, teams["small"], text="My manager never listens")
    data = selectors.results(survey)
    assert data["suppressed"]
    assert data["rows"][0]["all"].mean is None
    assert data["columns"] == []


def test_free_text_is_in_the_three_columns_in_alphabetical_order(lead, teams):
    survey = factories.make_survey(actor=lead, kind="staff")
    for user, text in zip(teams["big"], "FEDCBA", strict=True):
        _answer_as(survey, [user], text=f"{text} answer")
    columns = selectors.results(survey)["columns"]
    assert [c["key"] for c in columns] == ["worries", "working_well", "needs_to_happen"]
    texts = [a["text"] for a in columns[0]["answers"]]
    assert texts == sorted(texts) and len(texts) == 6


def test_results_take_a_fixed_number_of_queries(lead, teams, django_assert_max_num_queries):
    survey = factories.make_survey(actor=lead, kind="staff")
    _answer_as(survey, teams["big"] + teams["small"])
    with django_assert_max_num_queries(8):
        selectors.results(survey)


def test_rounds_compare_each_question_over_time(lead, teams, django_assert_max_num_queries):
    first = factories.make_survey(actor=lead, kind="staff")
    _answer_as(first, teams["big"], value=2)
    services.survey_close(actor=lead, survey=first, expected_revision=first.revision)
    second = services.survey_repeat(
        actor=lead,
        survey=first,
        opens_on=first.opens_on + datetime.timedelta(days=1),
        closes_on=first.closes_on,
    )
    services.survey_open(actor=lead, survey=second, expected_revision=second.revision)
    _answer_as(second, teams["big"], value=4)
    with django_assert_max_num_queries(8):
        data = selectors.rounds(lead, kind="staff")
    assert [s.pk for s in data["surveys"]] == [first.pk, second.pk]
    row = next(r for r in data["rows"] if r["question"].key == "caseload-manageable")
    assert [p["all"].mean for p in row["points"]] == [2, 4]
    assert data["team_names"] == ["North"]


def test_staff_see_only_their_own_open_surveys(lead, worker, staff_survey):
    assert [i.survey for i in selectors.staff_invitations(worker)] == [staff_survey]
    outsider = factories.UserFactory()
    assert selectors.staff_invitations(outsider) == []
    with pytest.raises(Http404):
        selectors.staff_invitation_get(outsider, survey_id=staff_survey.pk)


def test_a_family_sees_only_their_own_unanswered_surveys(case, parent, child, family_link):
    invitation, _token = family_link
    mine = selectors.family_invitations_to_answer(case_id=case.pk, person_id=parent.pk)
    assert mine == [invitation]
    assert selectors.family_invitations_to_answer(case_id=case.pk, person_id=child.pk) == []
    assert selectors.family_invitations_to_answer(case_id=case.pk, person_id=None) == []
