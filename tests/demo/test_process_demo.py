"""The demo agency's statutory process history: consistent with each case, and repeatable."""

import datetime
import random

import pytest

from demo.generator import generate_agency
from demo.process_demo import add_process_history
from people.models import Case
from process.events import process_events
from process.models import (
    Approval,
    Assessment,
    ChildInNeedPlan,
    ChildProtectionPlan,
    Closure,
    Conference,
    CoreGroupMeeting,
    Referral,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 2)


def test_demo_process_history_is_consistent_with_each_case():
    agency = generate_agency(
        seed=11, families=30, today=TODAY, agency_name="Demo", agency_code="D9"
    ).agency
    add_process_history(agency=agency, rng=random.Random(5), today=TODAY)
    cases = Case.objects.filter(agency=agency)
    assert Referral.objects.filter(case__agency=agency).exists()
    for case in cases:
        end = case.closed_on or TODAY
        events = process_events(case)
        assert all(case.opened_on <= e.on <= end for e in events), case.reference
        if case.service == "early_help":
            assert not events
            continue
        if case.service == "child_protection":
            for plan in ChildProtectionPlan.objects.filter(case=case):
                assert plan.started_on == plan.conference.held_on
        if case.closed_on is not None:
            closure = Closure.objects.get(case=case)
            assert closure.approved and closure.closed_on == case.closed_on
            assert closure.reason.startswith("RC")
            assert not ChildProtectionPlan.objects.filter(case=case, ended_on__isnull=True)
            assert not ChildInNeedPlan.objects.filter(case=case, ended_on__isnull=True)
            assert events[-1].kind == "case_closed"
    assert Conference.objects.filter(case__agency=agency, kind="review").exists()
    assert CoreGroupMeeting.objects.filter(case__agency=agency).exists()
    assert ChildInNeedPlan.objects.filter(case__agency=agency).exists()
    assert Approval.objects.filter(case__agency=agency, status="approved").exists()
    assert Assessment.objects.filter(case__agency=agency, authorised_on__isnull=False).exists()

    # Running it again adds nothing to cases that already have their history.
    before = Referral.objects.filter(case__agency=agency).count()
    add_process_history(agency=agency, rng=random.Random(9), today=TODAY)
    assert Referral.objects.filter(case__agency=agency).count() == before


def test_demo_process_history_is_repeatable():
    def build(code):
        agency = generate_agency(
            seed=3, families=8, today=TODAY, agency_name=f"Demo {code}", agency_code=code
        ).agency
        add_process_history(agency=agency, rng=random.Random(1), today=TODAY)
        return sorted(
            (r.case.reference, r.received_on, r.source)
            for r in Referral.objects.filter(case__agency=agency).select_related("case")
        )

    assert build("R1") == build("R2")
