import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.audit import audit_record
from people.models import Allocation, BreakGlassAccess, Case, CaseAccessGrant


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


def _grant(*, actor, case: Case, user) -> CaseAccessGrant:
    grant = CaseAccessGrant.objects.filter(case=case, user=user, revoked_at__isnull=True).first()
    return grant or CaseAccessGrant.objects.create(
        agency_id=case.agency_id, case=case, user=user, granted_by=actor
    )


@transaction.atomic
def case_restrict(*, actor, case: Case, reason: str) -> Case:
    """Hide a case from everyone not on its access list. The person restricting it and the
    allocated worker go on the list, so nobody who holds the case loses it."""
    if not reason.strip():
        raise ValidationError({"reason": "Say why the case needs to be restricted."})
    case = Case.objects.select_for_update().get(pk=case.pk)
    case.is_restricted, case.restriction_reason = True, reason.strip()
    case.save(update_fields=["is_restricted", "restriction_reason", "updated_at"])
    _grant(actor=actor, case=case, user=actor)
    current = case.allocations.filter(ended_on__isnull=True).select_related("worker").first()
    if current is not None:
        _grant(actor=actor, case=case, user=current.worker)
    audit_record(
        actor=actor,
        verb="case.restricted",
        target=case,
        case_id=case.pk,
        changes={"reason": case.restriction_reason},
    )
    return case


@transaction.atomic
def case_unrestrict(*, actor, case: Case) -> Case:
    case = Case.objects.select_for_update().get(pk=case.pk)
    case.is_restricted = False
    case.save(update_fields=["is_restricted", "updated_at"])
    audit_record(actor=actor, verb="case.unrestricted", target=case, case_id=case.pk)
    return case


@transaction.atomic
def case_access_grant(*, actor, case: Case, user) -> CaseAccessGrant:
    if user.agency_id != case.agency_id:
        raise ValidationError({"user": "That person is not in this agency."})
    grant = _grant(actor=actor, case=case, user=user)
    audit_record(
        actor=actor,
        verb="case.access_granted",
        target=case,
        case_id=case.pk,
        changes={"user": user.pk},
    )
    return grant


@transaction.atomic
def case_access_revoke(*, actor, grant: CaseAccessGrant) -> None:
    if grant.user_id == actor.pk:
        raise ValidationError({"user": "You can't take yourself off the list."})
    grant.revoked_at = timezone.now()
    grant.save(update_fields=["revoked_at"])
    audit_record(
        actor=actor,
        verb="case.access_revoked",
        target=grant.case,
        case_id=grant.case_id,
        changes={"user": grant.user_id},
    )


@transaction.atomic
def case_break_glass(*, actor, case: Case, reason: str) -> BreakGlassAccess:
    """Open a restricted case in an emergency: time-limited, audited, reported to managers."""
    if len(reason.strip()) < 10:
        raise ValidationError({"reason": "Explain why you need to open this case now."})
    now = timezone.now()
    access = BreakGlassAccess.objects.create(
        agency_id=case.agency_id,
        case=case,
        user=actor,
        reason=reason.strip(),
        started_at=now,
        expires_at=now + datetime.timedelta(hours=settings.BREAK_GLASS_HOURS),
    )
    audit_record(
        actor=actor,
        verb="case.break_glass",
        target=case,
        case_id=case.pk,
        changes={"reason": access.reason, "expires_at": access.expires_at},
    )
    return access


@transaction.atomic
def case_soft_delete(*, actor, case: Case, reason: str) -> Case:
    """Take a case out of use (for example one recorded in error). Nothing is erased."""
    if not reason.strip():
        raise ValidationError({"reason": "Say why the case is being deleted."})
    case = Case.objects.select_for_update().get(pk=case.pk)
    case.deleted_at, case.deleted_by, case.deletion_reason = timezone.now(), actor, reason.strip()
    case.save(update_fields=["deleted_at", "deleted_by", "deletion_reason", "updated_at"])
    audit_record(
        actor=actor,
        verb="case.deleted",
        target=case,
        case_id=case.pk,
        changes={"reason": case.deletion_reason},
    )
    return case


@transaction.atomic
def case_restore(*, actor, case: Case) -> Case:
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.deleted_at is None:
        raise ValidationError("That case is not deleted.")
    case.deleted_at, case.deleted_by = None, None
    case.save(update_fields=["deleted_at", "deleted_by", "updated_at"])
    audit_record(
        actor=actor,
        verb="case.restored",
        target=case,
        case_id=case.pk,
        changes={"deletion_reason": case.deletion_reason},
    )
    return case
