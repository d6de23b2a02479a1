import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from core.audit import audit_record
from people.models import Allocation, Case


@transaction.atomic
def case_allocate(
    *, actor, case: Case, worker, started_on: datetime.date, reason: str = ""
) -> Allocation:
    """Hand a case to a worker, ending the current allocation so the history stays whole."""
    if worker.agency_id != case.agency_id:
        raise ValidationError({"worker": "That worker is not in this agency."})
    current = (
        Allocation.objects.select_for_update().filter(case=case, ended_on__isnull=True).first()
    )
    if current is not None:
        if current.worker_id == worker.pk:
            raise ValidationError({"worker": f"The case is already allocated to {worker}."})
        if started_on < current.started_on:
            raise ValidationError(
                {
                    "started_on": f"The date must be on or after {current.started_on:%-d %B %Y}, "
                    "when the current allocation started."
                }
            )
        current.ended_on = started_on
        current.save(update_fields=["ended_on"])
    allocation = Allocation.objects.create(
        agency_id=case.agency_id,
        case=case,
        worker=worker,
        started_on=started_on,
        allocated_by=actor,
        reason=reason,
    )
    audit_record(
        actor=actor,
        verb="case.allocated",
        target=allocation,
        case_id=case.pk,
        changes={
            "worker": {"old": current.worker_id if current else None, "new": worker.pk},
            "started_on": started_on.isoformat(),
        },
    )
    return allocation
