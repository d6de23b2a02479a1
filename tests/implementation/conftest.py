import datetime

import pytest
from django.utils import timezone

from agencies.models import Role
from evaluation.models import IndicatorValue, LocalAuthority, PopulationEstimate, PublishedRelease
from evaluation.selectors import NATIONAL_CODE
from implementation import services
from implementation.models import Course, ImplementationDomain
from tests import factories


def joined(user, day: datetime.date):
    """Set when someone joined the agency (coverage counts staff from that day)."""
    user.date_joined = timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
    user.save(update_fields=["date_joined"])
    return user


@pytest.fixture
def agency(team):
    return team.agency


@pytest.fixture
def leader(agency):
    return factories.UserFactory(
        team=None, agency=agency, role=Role.SENIOR_LEADER, first_name="Priya", last_name="Desai"
    )


@pytest.fixture
def lead(agency):
    return factories.UserFactory(
        team=None, agency=agency, role=Role.PRACTICE_LEAD, first_name="Olu", last_name="Adebayo"
    )


@pytest.fixture
def analyst(agency):
    return factories.UserFactory(team=None, agency=agency, role=Role.PERFORMANCE_ANALYST)


@pytest.fixture
def defaults(leader):
    services.defaults_ensure(actor=leader, agency=leader.agency)
    return {
        "domains": list(ImplementationDomain.objects.filter(agency=leader.agency)),
        "courses": {c.level: c for c in Course.objects.filter(agency=leader.agency)},
    }


@pytest.fixture
def open_round(leader, defaults):
    return services.round_open(
        actor=leader,
        agency=leader.agency,
        title="2026 Q1",
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 3, 31),
    )


@pytest.fixture
def panel(db):
    """Published referrals for Leicestershire (855) and England, and Leicestershire's children."""
    release = PublishedRelease.objects.create(
        table="c1", file_name="c1.csv", sha256="x", first_year=2023, last_year=2024, rows=6
    )
    la = LocalAuthority.objects.create(code="855", level="la", name="Leicestershire")
    england = LocalAuthority.objects.create(code=NATIONAL_CODE, level="national", name="England")
    for authority, year, measure, value in [
        (la, 2023, "referrals", 800),
        (la, 2023, "rereferrals", 200),
        (la, 2024, "referrals", 1000),
        (la, 2024, "rereferrals", 200),
        (england, 2024, "referrals", 10000),
        (england, 2024, "rereferrals", 2200),
    ]:
        IndicatorValue.objects.create(
            release=release, authority=authority, year=year, measure=measure, value=value
        )
    PopulationEstimate.objects.create(release=release, authority=la, mid_year=2023, children=100000)
    return la


def all_scores(domains, score, revisions=None):
    revisions = revisions or {}
    return {d.pk: (score, "Seen in audits", "Why not lower", revisions.get(d.pk)) for d in domains}
