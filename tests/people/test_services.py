import datetime

import pytest
from django.core.exceptions import ValidationError

from core.models import AuditEvent
from people.selectors import allocation_current, allocation_history
from people.services import case_allocate
from tests import factories

pytestmark = pytest.mark.django_db


def test_reallocating_ends_the_current_allocation_and_keeps_the_history(case, worker, manager):
    newcomer = factories.UserFactory(team=case.team)
    case_allocate(
        actor=manager,
        case=case,
        worker=newcomer,
        started_on=datetime.date(2026, 3, 1),
        reason="Caseload balancing",
    )
    assert allocation_current(case).worker == newcomer
    history = list(allocation_history(case))
    # The case page reads the history once and finds the current allocation in it.
    assert allocation_current(case, history=history) == allocation_current(case)
    assert [a.worker for a in history] == [newcomer, worker]
    assert history[1].ended_on == datetime.date(2026, 3, 1)
    event = AuditEvent.objects.get(verb="case.allocated")
    assert event.actor == manager and event.case_id == case.pk


def test_allocation_cannot_start_before_the_current_one(case, manager):
    newcomer = factories.UserFactory(team=case.team)
    with pytest.raises(ValidationError) as error:
        case_allocate(
            actor=manager, case=case, worker=newcomer, started_on=datetime.date(2025, 1, 1)
        )
    assert "started_on" in error.value.message_dict


def test_allocating_to_the_same_worker_again_is_refused(case, worker, manager):
    with pytest.raises(ValidationError):
        case_allocate(actor=manager, case=case, worker=worker, started_on=datetime.date(2026, 3, 1))


def test_a_worker_from_another_agency_cannot_be_allocated(case, manager):
    stranger = factories.UserFactory()
    with pytest.raises(ValidationError):
        case_allocate(
            actor=manager, case=case, worker=stranger, started_on=datetime.date(2026, 3, 1)
        )
    assert case.allocations.count() == 1
