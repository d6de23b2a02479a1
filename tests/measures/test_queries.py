"""The figures take the same few queries with 3 cases or 30: computed in the database."""

import datetime

import pytest
from django.urls import reverse

from agencies.models import Role
from measures import compute, selectors
from people.models import Case
from tests import factories
from tests.measures.conftest import child_in, finalised_map

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 3, 31)


def build(make_case, count):
    for index in range(count):
        case = make_case()
        map_ = finalised_map(case, datetime.date(2026, 3, 1))
        factories.DangerStatementFactory(map=map_)
        factories.ScaleJudgementFactory(map=map_, rater_role="parent")
        child = child_in(case)
        factories.VoiceRecordFactory(case=case, child=child)
        factories.NetworkMemberFactory(case=case, informed=True, informed_on=DAY)
        factories.DeadlineFactory(case=case, kind="assessment", due_on=datetime.date(2026, 3, 9))
        if index % 2:
            factories.SafetyPlanFactory(case=case, agreed_on=datetime.date(2026, 3, 1))


@pytest.mark.parametrize("count", [3, 30])
def test_a_days_figures_in_three_queries(make_case, count, django_assert_max_num_queries):
    build(make_case, count)
    for by in compute.GROUPINGS:
        with django_assert_max_num_queries(3):
            result = compute.figures_on(Case.objects.all(), day=DAY, by=by)
    assert result.total("B02").denominator == count


@pytest.mark.parametrize("count", [3, 30])
def test_pages_in_a_bounded_number_of_queries(
    client, make_case, team, count, django_assert_max_num_queries
):
    build(make_case, count)
    leader = factories.UserFactory(team=None, agency=team.agency, role=Role.SENIOR_LEADER)
    client.force_login(leader)
    with django_assert_max_num_queries(20):
        assert client.get(reverse("measures:dashboard"), {"by": "worker"}).status_code == 200
    with django_assert_max_num_queries(20):
        response = client.get(reverse("measures:drilldown"), {"code": "B04", "part": "denominator"})
    assert response.status_code == 200
    months = 12
    with django_assert_max_num_queries(3 * months + 12):
        selectors.trends(leader, last=DAY, months=months)
