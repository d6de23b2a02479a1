import datetime
import random

import pytest

from demo.generator import generate_agency
from demo.safety_demo import add_safety_work
from people.models import Case
from practice.models import Map
from safety.models import MonitoringCheckIn, NetworkMember, SafetyPlan, TrajectoryStage

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 2)


def test_demo_safety_work_is_believable_and_repeatable():
    generated = generate_agency(
        seed=7, families=12, today=TODAY, agency_name="Demo", agency_code="D1"
    )
    agency = generated.agency  # the generator adds the safety work
    cases = Case.objects.filter(
        agency=agency, status="open", maps__status=Map.Status.FINALISED
    ).distinct()
    assert cases.exists()
    for case in cases:
        size = case.network_members.count()
        assert 3 <= size <= 8, size
        informed = case.network_members.filter(informed=True).count()
        assert informed >= 1
        assert 4 <= case.trajectory_stages.count() <= 6
        plans = list(case.safety_plans.order_by("number"))
        assert plans
        latest = plans[-1]
        assert 4 <= latest.rules.count() <= 8
        assert all(rule.danger_statements.exists() for rule in latest.rules.all())
        if len(plans) == 2:
            assert plans[0].status == SafetyPlan.Status.SUPERSEDED
            assert all(rule.carried_from_id for rule in latest.rules.all())
    assert SafetyPlan.objects.filter(case__agency=agency, status__in=SafetyPlan.IN_FORCE).exists()
    assert MonitoringCheckIn.objects.filter(plan__case__agency=agency).exists()
    informed = NetworkMember.objects.filter(case__agency=agency, informed=True).count()
    assert informed > NetworkMember.objects.filter(case__agency=agency).count() / 2
    first = sorted(
        NetworkMember.objects.filter(case__agency=agency).values_list("pk", "name", "status")
    )

    # Running it again adds nothing to cases that already have their safety work.
    add_safety_work(agency=agency, rng=random.Random(3), today=TODAY)
    assert (
        sorted(
            NetworkMember.objects.filter(case__agency=agency).values_list("pk", "name", "status")
        )
        == first
    )
    assert TrajectoryStage.objects.filter(case__agency=agency).count() == sum(
        c.trajectory_stages.count() for c in cases
    )


def test_demo_safety_pages_render(client):
    from django.urls import reverse

    from people.models import Allocation

    agency = generate_agency(seed=11, families=8, today=TODAY, agency_name="D", agency_code="D2")
    for plan in SafetyPlan.objects.filter(case__agency=agency.agency).select_related("case"):
        allocation = Allocation.objects.filter(case=plan.case, ended_on__isnull=True).first()
        client.force_login(allocation.worker)
        for url in [
            reverse("safety:network", args=[plan.case_id]),
            reverse("safety:plan_list", args=[plan.case_id]),
            reverse("safety:plan_detail", args=[plan.case_id, plan.pk]),
            reverse("safety:trajectory", args=[plan.case_id]),
        ]:
            assert client.get(url).status_code == 200, url
