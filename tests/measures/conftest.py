import datetime

import pytest

from tests import factories

DAY = datetime.date(2026, 3, 31)


def finalised_map(case, held_on, **kwargs):
    return factories.MapFactory(case=case, status="finalised", held_on=held_on, **kwargs)


def child_in(case, name="Leo"):
    child = factories.PersonFactory(agency=case.agency, given_name=name)
    factories.CaseMemberFactory(case=case, person=child)
    return child


@pytest.fixture
def open_case(team, worker):
    """A case open since January 2026, allocated to `worker`."""
    case = factories.CaseFactory(team=team, opened_on=datetime.date(2026, 1, 5))
    factories.AllocationFactory(case=case, worker=worker, started_on=case.opened_on)
    return case


@pytest.fixture
def make_case(team, worker):
    def make(opened_on=datetime.date(2026, 1, 5), closed_on=None, worker_=None, team_=None):
        case = factories.CaseFactory(
            team=team_ or team,
            opened_on=opened_on,
            closed_on=closed_on,
            status="closed" if closed_on else "open",
        )
        factories.AllocationFactory(case=case, worker=worker_ or worker, started_on=opened_on)
        return case

    return make
