"""The demo's earlier involvement: children referred again, second and long child protection
plans, step-downs and closes to early help, each in an earlier case that closed first."""

import datetime

import pytest

from demo.generator import generate_agency
from measures.impact import date_key
from people.models import Case
from process.models import Approval, ChildInNeedPlan, ChildProtectionPlan, Closure, Referral
from returns import services

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 2)


def key(day: datetime.date) -> int:
    return day.year * 10000 + day.month * 100 + day.day


@pytest.fixture
def agency():
    return generate_agency(seed=2026, families=60, today=TODAY).agency


def test_children_come_back_after_an_earlier_case_closed(agency):
    earlier = Case.objects.filter(agency=agency, reference__startswith="NB-E")
    assert earlier.count() >= 10
    assert not earlier.filter(status=Case.Status.OPEN).exists()
    within, after = 0, 0
    for case in earlier:
        closure = Closure.objects.get(case=case)
        assert (
            closure.closed_on
            == case.closed_on
            >= case.opened_on
            >= TODAY - datetime.timedelta(days=4 * 365)
        )
        assert Approval.objects.get(closure=closure).status == Approval.Status.APPROVED
        for first in Referral.objects.filter(case=case):
            later = (
                Referral.objects.filter(child=first.child, received_on__gt=first.received_on)
                .exclude(case=case)
                .order_by("received_on")
                .first()
            )
            assert later is not None and later.received_on > closure.closed_on
            if key(later.received_on) - key(first.received_on) <= 10000:
                within += 1
            else:
                after += 1
    assert within and after


def test_second_long_and_stepped_down_plans(agency):
    plans = ChildProtectionPlan.objects.filter(agency=agency)
    second = [p for p in plans if plans.filter(child=p.child, started_on__lt=p.started_on).exists()]
    assert len(second) >= 3
    long_plans = plans.filter(ended_on__isnull=False).annotate(
        span=date_key("ended_on") - date_key("started_on")
    )
    assert long_plans.filter(span__gte=20000).exists()
    stepped_down = plans.filter(end_reason=ChildProtectionPlan.EndReason.STEP_DOWN_CIN)
    assert stepped_down.exists()
    for plan in stepped_down:
        follows = ChildInNeedPlan.objects.get(child=plan.child, case=plan.case)
        assert 0 < (follows.started_on - plan.ended_on).days <= 14
        assert follows.end_reason == ChildInNeedPlan.EndReason.EARLY_HELP
    assert (
        ChildInNeedPlan.objects.filter(
            agency=agency, end_reason=ChildInNeedPlan.EndReason.EARLY_HELP
        ).count()
        > stepped_down.count()
    )


def test_earlier_cases_pass_the_census_rules(agency):
    failures = services.cin_census_prepare(agency=agency, year=2026).failures
    earlier = set(
        Case.objects.filter(agency=agency, reference__startswith="NB-E").values_list(
            "memberships__person_id", flat=True
        )
    )
    assert earlier
    assert not [f for f in failures if f.child is None or f.child.person_id in earlier]
