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
    # Family and network portal.
    "portal.invitations_viewed": "Looked at who can use the family portal",
    "portal.invitation_created": "Invited someone to the family portal",
    "portal.code_issued": "Made a new family portal sign-in code",
    "portal.link_sent": "Sent a family portal sign-in link",
    "portal.invitation_withdrawn": "Withdrew someone's family portal access",
    "portal.alert_acknowledged": "Acknowledged a check-in alert from the family portal",
    "portal.signed_in": "Signed in to the family portal",
    "portal.signed_out": "Signed out of the family portal",
    "portal.home_viewed": "Opened the family portal's home page",
    "portal.words_and_pictures_viewed": "Read Words and Pictures in the family portal",
    "portal.plan_viewed": "Read the safety plan in the family portal",
    "portal.map_viewed": "Read the map summary in the family portal",
    "portal.rules_viewed": "Read their part in the safety plan in the family portal",
    "portal.check_in_form_viewed": "Opened the check-in form in the family portal",
    "portal.check_in_recorded": "Recorded a check-in through the family portal",
    "portal.document_downloaded": "Downloaded a document from the family portal",
    "portal.picture_viewed": "Looked at a drawing or photo in the family portal",
    # Timescales and worklists.
    "timescales.overdue_reason_recorded": "Recorded why a statutory timescale was missed",
    "timescales.rules_changed": "Changed the agency's statutory timescales",
    # Statutory process.
    "process.viewed": "Opened the statutory process record",
    "process.approvals_viewed": "Saw an item in the list waiting for approval",
    "process.approval_viewed": "Opened an assessment, plan or closure for approval",
    "process.contact_recorded": "Recorded a contact",
    "process.referral_recorded": "Recorded a referral",
    "process.referral_decided": "Recorded the decision on a referral",
    "process.assessment_started": "Started an assessment",
    "process.assessment_completed": "Completed an assessment",
    "process.strategy_discussion_recorded": "Recorded a strategy discussion",
    "process.s47_started": "Started a section 47 enquiry",
    "process.s47_completed": "Recorded the outcome of a section 47 enquiry",
    "process.conference_started": "Started a child protection conference",
    "process.conference_decided": "Recorded a child protection conference's decision",
    "process.cp_plan_started": "Started a child protection plan",
    "process.cp_plan_ended": "Ended a child protection plan",
    "process.core_group_recorded": "Recorded a core group meeting",
    "process.cin_plan_started": "Started a child in need plan",
    "process.cin_plan_ended": "Ended a child in need plan",
    "process.cin_review_recorded": "Recorded a child in need review",
    "process.looked_after_started": "Recorded that a child started to be looked after",
    "process.looked_after_ended": "Ended a looked-after episode",
    "process.looked_after_review_recorded": "Recorded a looked-after child's review",
    "process.missing_recorded": "Recorded that a looked-after child was missing or away",
    "process.missing_ended": "Recorded that a missing looked-after child came back",
    "process.looked_after_outcomes_recorded": "Recorded a looked-after child's yearly outcomes",
    "process.uasc_recorded": "Recorded a child's unaccompanied asylum-seeking status",
    "process.adoption_decision_recorded": "Recorded the decision to place a child for adoption",
    "process.adoption_recorded": "Recorded a child's adoption",
    "process.care_leaver_recorded": "Recorded a care leaver's situation",
    "process.visit_recorded": "Recorded a statutory visit",
    "process.closure_recorded": "Asked for the case to close",
    "process.approval_submitted": "Sent an assessment, plan or closure for approval",
    "process.approval_approved": "Approved an assessment, plan or closure",
    "process.approval_returned": "Returned an assessment, plan or closure with comments",
    "case.closed": "Closed the case",
    # REST API.
    "api.cases_listed": "Listed cases through the API",
    "api.case_read": "Read the case through the API",
    "api.allocations_read": "Read the case's allocations through the API",
    "api.people_read": "Read the family's children and adults through the API",
    "api.people_listed": "Listed people through the API",
    "api.maps_listed": "Listed the case's maps through the API",
    "api.map_read": "Read a map through the API",
    "api.network_read": "Read the safety network through the API",
    "api.safety_plans_listed": "Listed the safety plans through the API",
    "api.safety_plan_read": "Read a safety plan through the API",
    "api.measures_read": "Read the measures of practice through the API",
    "api.process_events_read": "Read a case's statutory process events through the API",
    "api.referrals_read": "Read a case's referrals through the API",
    "api.assessments_read": "Read a case's assessments through the API",
    "api.cp_plans_read": "Read a case's child protection plans through the API",
    "api.looked_after_read": "Read a case's looked-after episodes through the API",
    "api.client_created": "Added an API client",
    "api.client_revoked": "Switched off an API client and its tokens",
    "api.token_issued": "Issued an API token",
    "api.token_revoked": "Revoked an API token",
    # Evaluation.
    "evaluation.statistics_loaded": "Loaded published statistics",
    "evaluation.statistics_load_failed": "Tried to load published statistics (nothing loaded)",
    "evaluation.design_created": "Saved an evaluation design",
    "evaluation.report_written": "Wrote an evaluation report",
    # Statutory returns.
    "returns.cin_census_exported": "Downloaded the children in need census return",
    "returns.ssda903_exported": "Downloaded the children looked after (SSDA903) return",
    "returns.annex_a_exported": "Downloaded Ofsted's Annex A lists",
    # Measures.
    "measures.drilldown_viewed": "Listed the cases behind a measure of practice",
    "measures.table_downloaded": "Downloaded a table of measures of practice",
    # Case audit.
    "audits.rubric_created": "Created an audit rubric",
    "audits.rubric_activated": "Put an audit rubric in use",
    "audits.rubric_versioned": "Started a new version of an audit rubric",
    "audits.question_added": "Added a question to an audit rubric",
    "audits.question_changed": "Changed a question in an audit rubric",
    "audits.question_removed": "Removed a question from an audit rubric",
    "audits.sample_drawn": "Drew the monthly sample of cases for audit",
    "audits.audit_started": "Started an audit of the case",
    "audits.audit_viewed": "Opened an audit of the case",
    "audits.audit_saved": "Saved an audit of the case",
    "audits.audit_completed": "Completed an audit of the case",
    "audits.audit_moderated": "Moderated an audit of the case",
    "audits.results_viewed": "Looked at the case audit results",
    "audits.results_downloaded": "Downloaded case audit results",
    # Learning in practice.
    "learning.session_recorded": "Recorded a supervision session",
    "learning.session_viewed": "Opened a supervision session",
    "learning.session_changed": "Changed a supervision session's record",
    "learning.session_completed": "Completed a supervision session's record",
    "learning.session_map_started": "Started the map made in a supervision session",
    "learning.action_added": "Added an action from supervision",
    "learning.action_changed": "Changed an action from supervision",
    "learning.action_done": "Marked an action from supervision done",
    "learning.inquiry_recorded": "Recorded an appreciative inquiry",
    "learning.inquiry_viewed": "Opened an appreciative inquiry",
    "learning.inquiry_changed": "Changed an appreciative inquiry",
    "learning.inquiry_shared": "Shared an appreciative inquiry in the library",
    "learning.inquiry_withdrawn": "Took an appreciative inquiry out of the library",
    # People search.
    "people.searched": "Searched for people",
    # Implementation.
    "implementation.defaults_added": "Added the default implementation domains and courses",
    "implementation.settings_changed": "Changed the implementation settings",
    "implementation.domain_added": "Added an implementation domain",
    "implementation.domain_changed": "Started or stopped rating an implementation domain",
    "implementation.course_added": "Added a training course",
    "implementation.course_changed": "Retired or re-offered a training course",
    "implementation.training_recorded": "Recorded a completed training course",
    "implementation.training_removed": "Removed a training record",
    "implementation.practice_lead_role_added": "Recorded a practice-lead role",
    "implementation.practice_lead_role_ended": "Ended a practice-lead role",
    "implementation.round_opened": "Opened a self-assessment round",
    "implementation.round_closed": "Closed a self-assessment round",
    "implementation.ratings_saved": "Saved implementation ratings as a draft",
    "implementation.ratings_submitted": "Submitted implementation ratings",
    "implementation.map_note_added": "Added to a round's implementation map",
    "implementation.action_added": "Added an action to the implementation plan",
    "implementation.action_changed": "Changed an action in the implementation plan",
    "implementation.table_downloaded": "Downloaded an implementation table",
    # Staff and family surveys.
    "surveys.survey_created": "Made a staff or family survey",
    "surveys.survey_changed": "Changed a survey's title, introduction or dates",
    "surveys.survey_opened": "Opened a survey for answers",
    "surveys.survey_closed": "Closed a survey",
    "surveys.question_added": "Added a question to a survey",
    "surveys.question_changed": "Changed a survey question",
    "surveys.question_removed": "Removed a survey question",
    "surveys.family_invited": "Sent the family survey to someone on the case",
    "surveys.family_link_renewed": "Gave someone a new family survey link",
    "surveys.case_invitations_viewed": "Looked at who on the case was sent the family survey",
    "surveys.response_submitted": "Answered a survey",
    "surveys.results_viewed": "Looked at a survey's results",
    "surveys.results_downloaded": "Downloaded a survey's results",
    "portal.survey_viewed": "Opened the family survey in the family portal",
    # Imports from legacy systems.
    "imports.file_checked": "Checked a legacy system file (nothing written)",
    "imports.file_imported": "Imported a file from a legacy system",
    "imports.file_refused": "Tried to import a legacy system file (refused)",
    # Agency-wide events, not tied to one family.
    "user.signed_out_everywhere": "Signed out on every device",
    "user.two_factor_set_up": "Set up an authenticator app",
    "user.two_factor_verified": "Confirmed a code from an authenticator app",
    "practice.plain_language_term_added": "Added a word to the plain-language list",
    "practice.plain_language_term_changed": "Changed a word on the plain-language list",
    "practice.plain_language_term_deactivated": "Stopped flagging a word",
    "practice.plain_language_term_reactivated": "Started flagging a word again",
}


def actor_label(event: AuditEvent) -> str:
    """Who did it, for an access report: the member of staff (and the system they acted
    through, for the API), the family member who used the portal (portal events have no staff
    actor), or the system."""
    if event.actor_id:
        client = (event.changes or {}).get("client")
        return f"{event.actor} (through {client})" if client else str(event.actor)
    person = (event.changes or {}).get("portal_person")
    return f"{person} (family portal)" if person else "System"


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
    # A system calling the API acts as a member of staff; the event names the system too, so
    # a change made through it is never mistaken for one the person made themselves.
    if client := getattr(actor, "api_client_name", None):
        changes = {**(changes or {}), "client": client}
    chain = agency_id or 0
    with transaction.atomic():
        heads = AuditChainHead.objects.select_for_update()
        try:
            head = heads.get(chain=chain)
        except AuditChainHead.DoesNotExist:
            # The chain's first event. A head this transaction inserts is its own until commit
            # (another writer's insert waits on the unique chain); if another writer inserted
            # it first, get_or_create finds theirs, and the lock is taken as always.
            head, created = AuditChainHead.objects.get_or_create(chain=chain)
            if not created:
                head = heads.get(chain=chain)
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
