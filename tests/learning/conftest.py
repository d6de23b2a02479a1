import datetime

import pytest
from django.utils import timezone

from agencies.models import Role
from learning import services
from tests import factories


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def colleague(team):
    return factories.UserFactory(team=team, role=Role.SOCIAL_WORKER, first_name="Ruth")


@pytest.fixture
def lead(team):
    return factories.UserFactory(team=None, agency=team.agency, role=Role.PRACTICE_LEAD)


@pytest.fixture
def session(manager, worker, colleague, case, today):
    """A group supervision the manager facilitated, where the worker presented the case."""
    return services.session_record(
        actor=manager,
        kind="group",
        held_on=today,
        attendees=[colleague],
        presenter=worker,
        case=case,
        focus="Is it safe enough to close?",
    )


@pytest.fixture
def inquiry(worker, case, today):
    return services.inquiry_record(
        actor=worker,
        workers=[worker],
        case=case,
        title="Three Houses in the park",
        theme="three_houses",
        held_on=today - datetime.timedelta(days=3),
        practice_examined="Three Houses with a boy who would not talk.",
        what_made_it_work="Going at his pace.",
        what_others_can_take="Let the drawing do the talking.",
        shared_text="A nine-year-old drew his house of worries on the third visit to the park.",
    )
