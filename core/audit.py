"""The one way to write to the audit log, and the check that it has not been tampered with."""

import datetime
import hashlib
import json
from dataclasses import dataclass

from django.db import models, transaction
from django.utils import timezone

from core.models import AuditChainHead, AuditEvent

GENESIS = "0" * 64

# What each verb means, in the words of an access report.
VERB_LABELS = {
    "case.viewed": "Opened the case",
    "user.two_factor_reset": "Reset someone's authenticator app",
    "user.unlocked": "Lifted a sign-in lockout",
    "case.allocated": "Allocated the case",
    "case.access_report_viewed": "Looked at this access report",
    "case.access_report_exported": "Downloaded this access report",
    "person.subject_access_export": "Produced a subject access export",
    "case.restricted": "Restricted the case",
    "case.unrestricted": "Lifted the case's restriction",
    "case.access_granted": "Added someone to the access list",
    "case.access_revoked": "Took someone off the access list",
    "case.break_glass": "Opened the restricted case in an emergency",
    "case.deleted": "Deleted the case",
    "case.restored": "Restored the case",
    "map.viewed": "Opened a map",
    "map.printed": "Opened a map's print view",
    "map.compared": "Compared two versions of the map",
    "map.history_viewed": "Looked at a map's change history",
    "map.started": "Started a map",
    "map.details_changed": "Changed a map's meeting or date",
    "map.entry_added": "Added to a map",
    "map.entry_changed": "Changed a map entry",
    "map.entry_removed": "Removed a map entry",
    "map.danger_statement_added": "Added a danger statement and its goal",
    "map.danger_statement_changed": "Changed a danger statement or its goal",
    "map.danger_statement_removed": "Removed a danger statement",
    "map.scaled": "Added a scale judgement",
    "map.scale_removed": "Removed a scale judgement",
    "map.participant_added": "Added a participant",
    "map.participant_removed": "Removed a participant",
    "map.finalised": "Finalised a map",
    "map.signed_off": "Signed off a map",
    "document.generated": "Downloaded a family document",
    "safety.network_viewed": "Opened the safety network",
    "safety.network_member_added": "Added someone to the safety network",
    "safety.network_member_changed": "Changed a safety network member's details",
    "safety.network_member_status_changed": "Changed whether someone is in the safety network",
    "safety.plans_viewed": "Looked at the list of safety plans",
    "safety.plan_viewed": "Opened a safety plan",
    "safety.plan_started": "Started a safety plan",
    "safety.plan_details_changed": "Changed a safety plan's details",
    "safety.plan_rule_added": "Added a rule to a safety plan",
    "safety.plan_rule_changed": "Changed a safety plan rule",
    "safety.plan_rule_removed": "Removed a safety plan rule",
    "safety.plan_agreed": "Recorded that the family agreed a safety plan",
    "safety.plan_superseded": "Replaced a safety plan with a newer version",
    "safety.plan_reviewed": "Reviewed a safety plan",
    "safety.check_in_recorded": "Recorded a safety network check-in",
    "safety.trajectory_viewed": "Opened the trajectory to closure",
    "safety.trajectory_stage_added": "Added a stage to the trajectory",
    "safety.trajectory_stage_changed": "Changed a stage of the trajectory",
    "safety.trajectory_stage_removed": "Removed a stage of the trajectory",
    "voices.child_viewed": "Opened a child's page",
    "voices.record_viewed": "Opened a child's Three Houses, Fairy or Wizard, or Safety House",
    "voices.record_added": "Recorded a child's words",
    "voices.record_changed": "Changed a child's words",
    "voices.shared_with_parents": "Recorded that a child's words were shared with the parents",
    "voices.picture_added": "Added a drawing or photo",
    "voices.picture_removed": "Removed a drawing or photo",
    "voices.picture_viewed": "Looked at a drawing or photo",
    "voices.brought_into_map": "Brought a child's words into the map",
    "voices.wp_viewed": "Opened a Words and Pictures",
    "voices.wp_started": "Started a Words and Pictures",
    "voices.wp_changed": "Changed a Words and Pictures",
    "voices.wp_revised": "Made a new version of a Words and Pictures",
    "voices.wp_agreed": "Recorded a parent's agreement to a Words and Pictures",
    "voices.wp_shared": "Recorded that a Words and Pictures was shared with the child",
    "voices.document_downloaded": "Downloaded a child's document",
    # Agency-wide events, not tied to one family.
    "user.signed_out_everywhere": "Signed out on every device",
    "user.two_factor_set_up": "Set up an authenticator app",
    "user.two_factor_verified": "Confirmed a code from an authenticator app",
    "practice.plain_language_term_added": "Added a word to the plain-language list",
    "practice.plain_language_term_changed": "Changed a word on the plain-language list",
    "practice.plain_language_term_deactivated": "Stopped flagging a word",
    "practice.plain_language_term_reactivated": "Started flagging a word again",
}


def audit_view(request, *, verb: str, target: models.Model, case_id: int) -> AuditEvent:
    """Record that someone looked at part of a child's record."""
    return audit_record(
        actor=request.user,
        verb=verb,
        target=target,
        case_id=case_id,
        ip_address=request.META.get("REMOTE_ADDR"),
    )


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
    chain = agency_id or 0
    with transaction.atomic():
        AuditChainHead.objects.get_or_create(chain=chain)
        head = AuditChainHead.objects.select_for_update().get(chain=chain)
        now = timezone.now()
        event = AuditEvent(
            # Milliseconds, as Django's JSON serialiser keeps them: a backup and restore must
            # leave every hash as it was.
            occurred_at=now.replace(microsecond=now.microsecond // 1000 * 1000),
            actor=actor if actor is not None and actor.is_authenticated else None,
            verb=verb,
            target_type=target._meta.label_lower if target is not None else "",
            target_id=target.pk if target is not None else None,
            agency_id=agency_id,
            case_id=case_id,
            # Stored exactly as hashed: plain JSON types only.
            changes=json.loads(json.dumps(changes or {}, default=str)),
            ip_address=ip_address,
            chain=chain,
            sequence=head.sequence + 1,
            previous_hash=head.last_hash,
        )
        event.entry_hash = event_hash(event)
        event.save()
        head.sequence, head.last_hash = event.sequence, event.entry_hash
        head.save(update_fields=["sequence", "last_hash"])
    return event


def audit_events_for_case(case_id: int):
    """Everything done to one case, newest first. Callers check who may read it."""
    return (
        AuditEvent.objects.filter(case_id=case_id)
        .select_related("actor")
        .order_by("-occurred_at", "-id")
    )


def event_hash(event: AuditEvent) -> str:
    content = {
        "chain": event.chain,
        "sequence": event.sequence,
        "previous_hash": event.previous_hash,
        "occurred_at": event.occurred_at.astimezone(datetime.UTC).isoformat(),
        "actor_id": event.actor_id,
        "agency_id": event.agency_id,
        "case_id": event.case_id,
        "verb": event.verb,
        "target_type": event.target_type,
        "target_id": event.target_id,
        "changes": event.changes,
        "ip_address": event.ip_address,
    }
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass
class ChainProblem:
    chain: int
    sequence: int
    problem: str


def audit_chain_verify(*, batch_size: int = 5000) -> tuple[int, list[ChainProblem]]:
    """Recompute every chain. Returns how many events were checked and each problem found."""
    checked, problems = 0, []
    for head in AuditChainHead.objects.order_by("chain"):
        expected_previous, expected_sequence = GENESIS, 1
        events = AuditEvent.objects.filter(chain=head.chain).order_by("sequence")
        for event in events.iterator(chunk_size=batch_size):
            checked += 1
            if event.sequence != expected_sequence:
                problems.append(
                    ChainProblem(
                        head.chain,
                        expected_sequence,
                        f"events {expected_sequence} to {event.sequence - 1} are missing",
                    )
                )
            if event.previous_hash != expected_previous:
                problems.append(
                    ChainProblem(head.chain, event.sequence, "does not follow the event before it")
                )
            if event_hash(event) != event.entry_hash:
                problems.append(
                    ChainProblem(
                        head.chain, event.sequence, "has been changed since it was written"
                    )
                )
            expected_previous, expected_sequence = event.entry_hash, event.sequence + 1
        if expected_sequence - 1 != head.sequence or expected_previous != head.last_hash:
            problems.append(
                ChainProblem(
                    head.chain, head.sequence, "the newest events are missing from the end"
                )
            )
    return checked, problems


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
