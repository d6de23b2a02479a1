"""The one way to write to the audit log."""

from django.db import models

from core.models import AuditEvent


def audit_record(
    *,
    actor,
    verb: str,
    target: models.Model | None = None,
    agency_id: int | None = None,
    case_id: int | None = None,
    changes: dict | None = None,
    ip_address: str | None = None,
) -> AuditEvent:
    if agency_id is None and target is not None:
        agency_id = getattr(target, "agency_id", None)
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        verb=verb,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=target.pk if target is not None else None,
        agency_id=agency_id,
        case_id=case_id,
        changes=changes or {},
        ip_address=ip_address,
    )


def field_changes(instance: models.Model, new_values: dict) -> dict:
    """Old and new value of each field that a write is about to change, for the audit log."""
    changed = {}
    for name, new in new_values.items():
        old = getattr(instance, name)
        if old != new:
            changed[name] = {"old": _plain(old), "new": _plain(new)}
    return changed


def _plain(value):
    if isinstance(value, models.Model):
        return value.pk
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value
