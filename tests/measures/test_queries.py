"""The figures take the same few queries with 3 cases or 30: computed in the database, one
query per unit counted (open cases, children, deadlines, referrals, plans, episodes…) a day."""

import datetime

import pytest
from django.urls import reverse

from agencies.models import Role
from measures import compute, selectors
from measures.catalogue import IMPACT, impact_trend_months, measures
from people.models import Case
from tests import factories
from tests.measures.conftest import child_in, finalised_map
from tests.measures.process_records import cin_plan, cp_plan, episode, referral

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
        referral(case, child, datetime.date(2025, 6, 1))
        referral(case, child, datetime.date(2026, 1, 5))
        cp_plan(case, child, datetime.date(2024, 1, 10), datetime.date(2025, 7, 1))
        cin_plan(case, child, datetime.date(2025, 7, 1), datetime.date(2025, 12, 1), "early_help")
        cp_plan(case, child, datetime.date(2026, 1, 20))
        episode(case, child_in(case, "Mia"), datetime.date(2025, 9, 1), placement="U1")


@pytest.mark.parametrize("count", [3, 30])
def test_a_days_figures_in_one_query_per_unit(make_case, count, django_assert_max_num_queries):
    build(make_case, count)
    for by in compute.GROUPINGS:
        with django_assert_max_num_queries(len(compute.FLAGS)):
            result = compute.figures_on(Case.objects.all(), day=DAY, by=by)
    assert result.total("B02").denominator == count
    assert (result.total("I04").numerator, result.total("I04").denominator) == (count, 2 * count)
    assert (result.total("I06").numerator, result.total("I06").denominator) == (count, count)
    assert result.total("I10").numerator == count and result.total("I13").numerator == count


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
    with django_assert_max_num_queries(20):
        response = client.get(reverse("measures:drilldown"), {"code": "I05", "month": "2026-03"})
    repeat_plan = "Leo Testington: Child protection plan from 20 Jan 2026"
    assert response.content.decode().count(repeat_plan) == count
    months = 12
    impact_units = {m.unit for m in measures() if m.kind == IMPACT}
    per_month = len(set(compute.FLAGS) - impact_units)
    bound = per_month * months + len(impact_units) * impact_trend_months() + 12
    with django_assert_max_num_queries(bound):
        selectors.trends(leader, last=DAY, months=months)
