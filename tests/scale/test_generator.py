"""The large synthetic agency: sized as asked, deterministic, spread over the years, and valid
enough for the busiest pages and the CIN census export to work on it."""

import datetime

import pytest
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agencies.models import Role, User
from people.models import Allocation, Case, Person
from practice.models import Map
from process.models import Referral
from process.selectors import case_process_records
from returns.services import cin_census_export
from scale.generator import generate_large_agency
from timescales.models import Deadline

TODAY = datetime.date(2026, 11, 30)


def _agency(code="901", seed=7, children=300):
    return generate_large_agency(
        children=children,
        seed=seed,
        today=TODAY,
        agency_code=code,
        agency_name=f"Agency {code}",
        progress=False,
    ).agency


def _fingerprint(agency):
    cases = Case.objects.filter(agency=agency).order_by("reference")
    return [
        (c.reference, c.name, c.service, c.status, c.opened_on, c.closed_on, c.maps.count())
        for c in cases
    ]


@pytest.mark.django_db
def test_sized_by_children_spread_over_the_years_and_mostly_closed():
    agency = _agency()
    children = Person.objects.filter(agency=agency, kind=Person.Kind.CHILD).count()
    assert 300 <= children < 305  # the last family may bring up to three more
    cases = Case.objects.filter(agency=agency)
    first_opened = min(cases.values_list("opened_on", flat=True))
    assert first_opened < TODAY - datetime.timedelta(days=10 * 365)
    open_share = cases.filter(status=Case.Status.OPEN).count() / cases.count()
    assert 0.02 < open_share < 0.2
    # Old cases came over with their statutory history; maps only since Signs of Safety.
    old = cases.filter(opened_on__lt=TODAY - datetime.timedelta(days=6 * 365))
    assert old.exists() and not Map.objects.filter(case__in=old).exists()
    assert Referral.objects.filter(case__in=old).exists()
    # Every open case has its worker, and the open ones have timescale deadlines.
    open_cases = cases.filter(status=Case.Status.OPEN)
    allocated = Allocation.objects.filter(case__in=open_cases, ended_on__isnull=True)
    assert allocated.values("case").distinct().count() == open_cases.count()
    assert Deadline.objects.filter(case__in=open_cases).exists()


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_agency_and_another_seed_another():
    first, again, other = _agency("902", 5, 120), _agency("903", 5, 120), _agency("904", 6, 120)
    assert _fingerprint(first) == _fingerprint(again)
    assert _fingerprint(first) != _fingerprint(other)


@pytest.mark.django_db
def test_the_busiest_pages_and_the_census_work_on_it(client):
    agency = _agency(children=400)
    case = (
        Case.objects.filter(agency=agency, status=Case.Status.OPEN)
        .annotate(n=Count("maps"))
        .order_by("-n", "pk")
        .first()
    )
    worker = Allocation.objects.get(case=case, ended_on__isnull=True).worker
    manager = User.objects.get(team=worker.team, role=Role.TEAM_MANAGER)
    leader = User.objects.filter(agency=agency, role=Role.SENIOR_LEADER).first()
    for user, url in [
        (worker, reverse("casefile:case_detail", args=[case.pk])),
        (worker, reverse("casefile:caseload")),
        (worker, reverse("timescales:my_work")),
        (manager, reverse("timescales:team_work")),
        (manager, reverse("people:search") + f"?q={case.reference}"),
        (leader, reverse("measures:dashboard")),
    ]:
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200, url
    assert case.name in client.get(reverse("casefile:caseload") + "?show=all").content.decode()
    census = cin_census_export(actor=None, agency=agency, year=2026)
    assert census.census.counts and census.xml.startswith(b"<?xml")


@pytest.mark.django_db
def test_the_case_page_does_not_grow_in_queries_with_the_history(client):
    """No N+1: the case with the longest history takes no more queries than a short one."""
    agency = _agency(children=400)
    cases = (
        Case.objects.filter(agency=agency, status=Case.Status.OPEN)
        .annotate(n=Count("maps"))
        .filter(n__gte=1)
        .order_by("n", "pk")
    )
    short, long = cases.first(), cases.last()
    assert long.n >= short.n + 2

    def queries(case):
        """The page's queries, less one for each kind of process record the case has (the
        process panel reads each kind it has: at most thirteen, however long the history)."""
        worker = Allocation.objects.get(case=case, ended_on__isnull=True).worker
        client.force_login(worker)
        kinds = sum(1 for records in case_process_records(case).values() if records)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("casefile:case_detail", args=[case.pk])).status_code == 200
        return len(captured) - kinds

    # The agency's first audit event starts its chain, once: not a cost of the history.
    queries(short)
    assert queries(long) <= queries(short) + 3
