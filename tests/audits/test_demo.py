import datetime

import pytest
from django.db.models import F

from agencies.models import Role, User
from audits.models import AuditRubric, AuditSample, CaseAudit
from audits.selectors import results
from audits.services import sample_verify
from demo.generator import generate_agency

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 3, 20)


def test_the_demo_agency_has_a_year_of_audits_that_improve():
    agency = generate_agency(seed=5, families=40, today=TODAY).agency
    rubric = AuditRubric.objects.get(agency=agency, active=True)
    assert rubric.questions.count() == 8
    samples = AuditSample.objects.filter(agency=agency)
    assert samples.values("month").distinct().count() == 13
    assert all(sample_verify(s) for s in samples)
    audits = CaseAudit.objects.filter(agency=agency)
    assert audits.filter(status="moderated").exists()
    assert not audits.filter(status="in_progress", completed_on__lt=TODAY.replace(day=1)).exists()
    # Nobody audits their own case or moderates their own audit.
    assert not audits.filter(auditor=F("worker")).exists()
    assert not audits.filter(moderation__moderator=F("auditor")).exists()
    leader = User.objects.get(agency=agency, role=Role.SENIOR_LEADER)
    data = results(leader, last=TODAY, months=13)
    assert data["total"]["done"] >= 20
    first_half = [m for m in data["months"][:6] if m["done"]]
    second_half = [m for m in data["months"][6:] if m["done"]]
    assert good_rate(second_half) > good_rate(first_half)


def good_rate(months):
    return sum(m["good"] for m in months) / sum(m["done"] for m in months)
