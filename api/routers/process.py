"""The statutory process: its events, referrals, assessments, plans and visits. Writes go
through process.services, so the API keeps every rule the forms keep (order of events, dates,
one referral decision at a time) and refreshes the case's timescales the same way."""

from ninja import Router, Status

from api.models import Scope
from api.routers.common import audit_read, case_for, person_of, read, write
from api.schemas import (
    AssessmentCompleteIn,
    AssessmentIn,
    AssessmentOut,
    ChildProtectionPlanOut,
    Id,
    LookedAfterEpisodeOut,
    ProcessEventOut,
    ReferralDecideIn,
    ReferralIn,
    ReferralOut,
    VisitIn,
    VisitOut,
)
from api.selectors import api_process_records
from core.errors import RuleViolation
from process import services
from process.events import process_events
from process.models import Assessment, ChildProtectionPlan, LookedAfterEpisode, Referral
from process.selectors import record_get

router = Router(tags=["process"])
CASE = "/cases/{case_id}"


def _child(case, child_id: int):
    child = person_of(case, child_id)
    if child.kind != child.Kind.CHILD:
        raise RuleViolation("Only a child in this case can be named.")
    return child


def _list(request, case_id: int, model, *, by: str, verb: str) -> list:
    case = case_for(request, case_id)
    records = api_process_records(case, model, newest_first_by=by)
    audit_read(request, verb, count=len(records), target=case, case_id=case.pk)
    return records


@router.get(
    f"{CASE}/process-events",
    **read(
        Scope.PROCESS_READ, "The case's statutory process as dated events", list[ProcessEventOut]
    ),
)
def process_event_list(request, case_id: Id):
    """Every event in date order: what the case's timescales are worked out from."""
    case = case_for(request, case_id)
    events = process_events(case)
    audit_read(request, "api.process_events_read", count=len(events), target=case, case_id=case.pk)
    return events


@router.get(
    f"{CASE}/referrals",
    **read(Scope.PROCESS_READ, "List a case's referrals, newest first", list[ReferralOut]),
)
def referral_list(request, case_id: Id):
    return _list(request, case_id, Referral, by="received_on", verb="api.referrals_read")


@router.post(
    f"{CASE}/referrals",
    **write(Scope.PROCESS_WRITE, "Record a referral for a child", ReferralOut, status=201),
)
def referral_record(request, case_id: Id, data: ReferralIn):
    case = case_for(request, case_id, recording=True)
    referral = services.referral_record(
        actor=request.user,
        case=case,
        child=_child(case, data.child_id),
        received_on=data.received_on,
        source=data.source.value,
        primary_need=data.primary_need.value,
        summary=data.summary,
    )
    return Status(201, referral)


@router.post(
    f"{CASE}/referrals/{{referral_id}}/decision",
    **write(Scope.PROCESS_WRITE, "Record what was decided about a referral", ReferralOut),
)
def referral_decide(request, case_id: Id, referral_id: Id, data: ReferralDecideIn):
    case = case_for(request, case_id, recording=True)
    return services.referral_decide(
        actor=request.user,
        referral=record_get(Referral, case=case, pk=referral_id),
        expected_revision=data.expected_revision,
        decision=data.decision.value,
        decided_on=data.decided_on,
    )


@router.get(
    f"{CASE}/assessments",
    **read(Scope.PROCESS_READ, "List a case's assessments, newest first", list[AssessmentOut]),
)
def assessment_list(request, case_id: Id):
    return _list(request, case_id, Assessment, by="started_on", verb="api.assessments_read")


@router.post(
    f"{CASE}/assessments",
    **write(Scope.PROCESS_WRITE, "Start a child's assessment", AssessmentOut, status=201),
)
def assessment_start(request, case_id: Id, data: AssessmentIn):
    case = case_for(request, case_id, recording=True)
    referral = None
    if data.referral_id is not None:
        referral = record_get(Referral, case=case, pk=data.referral_id)
    assessment = services.assessment_start(
        actor=request.user,
        case=case,
        child=_child(case, data.child_id),
        started_on=data.started_on,
        referral=referral,
    )
    return Status(201, assessment)


@router.post(
    f"{CASE}/assessments/{{assessment_id}}/complete",
    **write(
        Scope.PROCESS_WRITE,
        "Complete an assessment and send it for the manager's authorisation",
        AssessmentOut,
    ),
)
def assessment_complete(request, case_id: Id, assessment_id: Id, data: AssessmentCompleteIn):
    case = case_for(request, case_id, recording=True)
    return services.assessment_complete(
        actor=request.user,
        assessment=record_get(Assessment, case=case, pk=assessment_id),
        expected_revision=data.expected_revision,
        completed_on=data.completed_on,
        factors=[factor.value for factor in data.factors],
        outcome=data.outcome.value,
        summary=data.summary,
    )


@router.get(
    f"{CASE}/child-protection-plans",
    **read(
        Scope.PROCESS_READ,
        "List a case's child protection plans, newest first",
        list[ChildProtectionPlanOut],
    ),
)
def cp_plan_list(request, case_id: Id):
    return _list(request, case_id, ChildProtectionPlan, by="started_on", verb="api.cp_plans_read")


@router.get(
    f"{CASE}/looked-after-episodes",
    **read(
        Scope.PROCESS_READ,
        "List a case's episodes of being looked after, newest first",
        list[LookedAfterEpisodeOut],
    ),
)
def looked_after_list(request, case_id: Id):
    return _list(
        request, case_id, LookedAfterEpisode, by="started_on", verb="api.looked_after_read"
    )


@router.post(
    f"{CASE}/visits",
    **write(Scope.PROCESS_WRITE, "Record a statutory visit to a child", VisitOut, status=201),
)
def visit_record(request, case_id: Id, data: VisitIn):
    case = case_for(request, case_id, recording=True)
    visit = services.visit_record(
        actor=request.user,
        case=case,
        child=_child(case, data.child_id),
        visited_on=data.visited_on,
        seen_alone=data.seen_alone,
        notes=data.notes,
    )
    return Status(201, visit)
