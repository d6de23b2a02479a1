"""Every write to the statutory process.

Each function is atomic, refuses an impossible sequence with a plain-English RuleViolation (the
database constraints hold the same rules underneath), refuses a save based on a stale revision
(ConflictError), writes its audit event, and tells the timescales that the case changed
(`hooks.process_changed`), all in one transaction."""

import datetime

from django.db import transaction
from django.utils import timezone

from core.audit import audit_record, field_changes
from core.errors import ConflictError, RuleViolation
from people.models import Case, Person
from practice import services as practice_services
from practice.models import Map, MeetingPurpose
from process.codes import AbuseCategory, AssessmentFactor, CategoryOfNeed, ClosureReason
from process.hooks import process_changed
from process.models import (
    Adoption,
    AdoptionDecision,
    Approval,
    Assessment,
    AsylumSeekingStatus,
    CareLeaverContact,
    ChildInNeedPlan,
    ChildInNeedReview,
    ChildProtectionPlan,
    Closure,
    Conference,
    Contact,
    CoreGroupMeeting,
    LookedAfterEpisode,
    LookedAfterOutcomes,
    LookedAfterReview,
    MissingEpisode,
    Referral,
    Section47Enquiry,
    StatutoryVisit,
    StrategyDiscussion,
    reason_for_new_episode,
)

# Nothing in the process can be dated in the future (CIN census rules 8600s–8900s, SSDA903):
# the record says what has happened.


def _day(value: datetime.date) -> str:
    return f"{value:%-d %B %Y}"


def _not_future(day: datetime.date | None, what: str) -> None:
    if day is not None and day > timezone.localdate():
        raise RuleViolation(f"The date of the {what} can't be in the future.")


def _not_before(day, earlier, what: str, earlier_what: str) -> None:
    if day is not None and earlier is not None and day < earlier:
        raise RuleViolation(f"The {what} can't be before the {earlier_what} ({_day(earlier)}).")


def _lock_open_case(case: Case) -> Case:
    """Lock the case row, so two writes can't both pass a sequence check, and refuse a closed
    case: a new episode on a closed case starts with a new referral on a reopened case."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.status == Case.Status.CLOSED:
        raise RuleViolation(f"This case was closed on {_day(case.closed_on)}.")
    return case


def _child_of_case(case: Case, child: Person | None, *, required=True) -> Person | None:
    if child is None:
        if required:
            raise RuleViolation("Choose which child this is about.")
        return None
    is_child = case.memberships.filter(person=child, person__kind=Person.Kind.CHILD).exists()
    if not is_child:
        raise RuleViolation("Only children in this case can be named.")
    return child


def _check_revision(record, expected: int, what: str) -> None:
    if record.revision != expected:
        raise ConflictError(
            f"Someone else changed this {what} after you opened it. Their version is shown; "
            "your answers have been kept in the form so you can compare and save again.",
            current=record,
        )


def _lock(model, record):
    return model.objects.select_for_update().get(pk=record.pk)


def _done(actor, verb: str, record, changes: dict | None = None) -> None:
    audit_record(
        actor=actor, verb=verb, target=record, case_id=record.case_id, changes=changes or {}
    )
    process_changed(record.case)


def _base(actor, case: Case) -> dict:
    return {"agency_id": case.agency_id, "case": case, "recorded_by": actor}


def _submit(actor, kind: str, record, note: str = "") -> Approval:
    approval = Approval.objects.create(
        agency_id=record.agency_id,
        case_id=record.case_id,
        kind=kind,
        submitted_by=actor,
        submitted_at=timezone.now(),
        note=note.strip(),
        **{kind: record},
    )
    audit_record(
        actor=actor,
        verb="process.approval_submitted",
        target=approval,
        case_id=record.case_id,
        changes={"kind": kind, "record": record.pk},
    )
    return approval


# Contact and referral -----------------------------------------------------------------------


@transaction.atomic
def contact_record(
    *, actor, case: Case, contact_on: datetime.date, source: str, summary: str = "", child=None
) -> Contact:
    case = _lock_open_case(case)
    child = _child_of_case(case, child, required=False)
    _not_future(contact_on, "contact")
    contact = Contact.objects.create(
        **_base(actor, case), child=child, contact_on=contact_on, source=source, summary=summary
    )
    _done(actor, "process.contact_recorded", contact, {"contact_on": contact_on, "source": source})
    return contact


@transaction.atomic
def referral_record(
    *,
    actor,
    case: Case,
    child: Person,
    received_on: datetime.date,
    source: str,
    primary_need: str,
    summary: str = "",
    contact: Contact | None = None,
) -> Referral:
    case = _lock_open_case(case)
    child = _child_of_case(case, child)
    _not_future(received_on, "referral")
    if contact is not None:
        if contact.case_id != case.pk:
            raise RuleViolation("That contact belongs to another case.")
        _not_before(received_on, contact.contact_on, "referral", "contact")
    undecided = Referral.objects.filter(child=child, decision="").first()
    if undecided is not None:
        raise RuleViolation(
            f"{child.display_name}'s referral of {_day(undecided.received_on)} is still waiting "
            "for its decision. Record that decision before another referral."
        )
    referral = Referral.objects.create(
        **_base(actor, case),
        child=child,
        contact=contact,
        received_on=received_on,
        source=source,
        primary_need=primary_need,
        summary=summary,
    )
    _done(
        actor,
        "process.referral_recorded",
        referral,
        {"received_on": received_on, "source": source, "primary_need": primary_need},
    )
    return referral


@transaction.atomic
def referral_decide(
    *, actor, referral: Referral, expected_revision: int, decision: str, decided_on
) -> Referral:
    _lock_open_case(referral.case)
    referral = _lock(Referral, referral)
    _check_revision(referral, expected_revision, "referral")
    if decision not in Referral.Decision.values:
        raise RuleViolation("Choose what was decided about the referral.")
    _not_future(decided_on, "referral decision")
    _not_before(decided_on, referral.received_on, "referral decision", "referral")
    if decision != Referral.Decision.ASSESSMENT and referral.assessments.exists():
        raise RuleViolation("An assessment has already started from this referral.")
    changes = field_changes(referral, {"decision": decision, "decided_on": decided_on})
    referral.decision, referral.decided_on = decision, decided_on
    referral.revision += 1
    referral.save()
    _done(actor, "process.referral_decided", referral, changes)
    return referral


# Assessment ---------------------------------------------------------------------------------


@transaction.atomic
def assessment_start(
    *, actor, case: Case, child: Person, started_on: datetime.date, referral=None
) -> Assessment:
    case = _lock_open_case(case)
    child = _child_of_case(case, child)
    _not_future(started_on, "assessment")
    if referral is None:
        referral = (
            Referral.objects.filter(child=child, decision=Referral.Decision.ASSESSMENT)
            .order_by("-received_on", "-pk")
            .first()
        )
    if referral is None or referral.child_id != child.pk:
        raise RuleViolation(
            f"An assessment follows a referral decided for assessment. Record "
            f"{child.display_name}'s referral and its decision first."
        )
    if referral.decision != Referral.Decision.ASSESSMENT:
        raise RuleViolation("That referral was not decided for assessment.")
    _not_before(started_on, referral.received_on, "assessment", "referral")
    if Assessment.objects.filter(child=child, completed_on__isnull=True).exists():
        raise RuleViolation(f"{child.display_name} already has an assessment in progress.")
    assessment = Assessment.objects.create(
        **_base(actor, case), child=child, referral=referral, started_on=started_on
    )
    _done(actor, "process.assessment_started", assessment, {"started_on": started_on})
    return assessment


def _clean_factors(factors) -> list[str]:
    factors = sorted(set(factors or []))
    if any(code not in AssessmentFactor.values for code in factors):
        raise RuleViolation("Choose the factors from the DfE list.")
    if not factors:
        raise RuleViolation(
            "Choose the factors identified at the assessment, or 'No factors identified'."
        )
    # CIN census rule 8869.
    if AssessmentFactor.NO_FACTORS in factors and len(factors) > 1:
        raise RuleViolation("'No factors identified' can't be chosen together with other factors.")
    return factors


@transaction.atomic
def assessment_complete(
    *,
    actor,
    assessment: Assessment,
    expected_revision: int,
    completed_on: datetime.date,
    factors,
    outcome: str,
    summary: str = "",
    note: str = "",
) -> Assessment:
    """The worker completes the assessment and sends it to their manager for authorisation."""
    _lock_open_case(assessment.case)
    assessment = _lock(Assessment, assessment)
    _check_revision(assessment, expected_revision, "assessment")
    if assessment.completed_on is not None:
        raise RuleViolation(f"This assessment was completed on {_day(assessment.completed_on)}.")
    _not_future(completed_on, "assessment's completion")
    _not_before(
        completed_on, assessment.started_on, "assessment's completion", "assessment's start"
    )
    if outcome not in Assessment.Outcome.values:
        raise RuleViolation("Choose the outcome of the assessment.")
    values = {
        "completed_on": completed_on,
        "factors": _clean_factors(factors),
        "outcome": outcome,
        "summary": summary.strip(),
    }
    changes = field_changes(assessment, values)
    for name, value in values.items():
        setattr(assessment, name, value)
    assessment.revision += 1
    assessment.save()
    _submit(actor, Approval.Kind.ASSESSMENT, assessment, note)
    _done(actor, "process.assessment_completed", assessment, changes)
    return assessment


# Strategy discussion and section 47 ---------------------------------------------------------


@transaction.atomic
def strategy_discussion_record(
    *,
    actor,
    case: Case,
    child: Person,
    held_on: datetime.date,
    participants: str,
    decisions: str,
    starts_s47: bool,
) -> StrategyDiscussion:
    """Record the discussion and start its map, where the draft danger statements, safety goals
    and scaling are written (pre-filled from the case's latest finalised map)."""
    case = _lock_open_case(case)
    child = _child_of_case(case, child)
    _not_future(held_on, "strategy discussion")
    referral = Referral.objects.filter(child=child).order_by("received_on").first()
    if referral is None:
        raise RuleViolation(
            f"A strategy discussion follows a referral. Record {child.display_name}'s referral "
            "first."
        )
    _not_before(held_on, referral.received_on, "strategy discussion", "referral")
    if not participants.strip() or not decisions.strip():
        raise RuleViolation("Record who took part and what was decided.")
    map_, _ = _meeting_map(
        actor, case, MeetingPurpose.STRATEGY_DISCUSSION, held_on, "strategy_discussions"
    )
    discussion = StrategyDiscussion.objects.create(
        **_base(actor, case),
        child=child,
        held_on=held_on,
        participants=participants.strip(),
        decisions=decisions.strip(),
        starts_s47=starts_s47,
        map=map_,
    )
    _done(
        actor,
        "process.strategy_discussion_recorded",
        discussion,
        {"held_on": held_on, "starts_s47": starts_s47},
    )
    return discussion


@transaction.atomic
def section47_start(
    *,
    actor,
    case: Case,
    child: Person,
    started_on: datetime.date,
    strategy_discussion: StrategyDiscussion | None = None,
) -> Section47Enquiry:
    case = _lock_open_case(case)
    child = _child_of_case(case, child)
    _not_future(started_on, "section 47 enquiry")
    if strategy_discussion is None:
        strategy_discussion = (
            StrategyDiscussion.objects.filter(child=child, starts_s47=True)
            .order_by("-held_on", "-pk")
            .first()
        )
    if strategy_discussion is None or strategy_discussion.child_id != child.pk:
        raise RuleViolation(
            "A section 47 enquiry starts from a strategy discussion that decided on one. "
            f"Record {child.display_name}'s strategy discussion first."
        )
    if not strategy_discussion.starts_s47:
        raise RuleViolation("That strategy discussion did not decide to start a section 47.")
    _not_before(
        started_on, strategy_discussion.held_on, "section 47 enquiry", "strategy discussion"
    )
    if Section47Enquiry.objects.filter(child=child, completed_on__isnull=True).exists():
        raise RuleViolation(f"{child.display_name} already has a section 47 enquiry open.")
    enquiry = Section47Enquiry.objects.create(
        **_base(actor, case),
        child=child,
        strategy_discussion=strategy_discussion,
        started_on=started_on,
    )
    _done(actor, "process.s47_started", enquiry, {"started_on": started_on})
    return enquiry


@transaction.atomic
def section47_complete(
    *,
    actor,
    enquiry: Section47Enquiry,
    expected_revision: int,
    completed_on: datetime.date,
    outcome: str,
) -> Section47Enquiry:
    _lock_open_case(enquiry.case)
    enquiry = _lock(Section47Enquiry, enquiry)
    _check_revision(enquiry, expected_revision, "section 47 enquiry")
    if enquiry.completed_on is not None:
        raise RuleViolation(f"This enquiry was completed on {_day(enquiry.completed_on)}.")
    if outcome not in Section47Enquiry.Outcome.values:
        raise RuleViolation("Choose the outcome of the enquiry.")
    _not_future(completed_on, "section 47 outcome")
    _not_before(completed_on, enquiry.started_on, "section 47 outcome", "enquiry's start")
    values = {
        "completed_on": completed_on,
        "outcome": outcome,
        "conference_needed": outcome == Section47Enquiry.Outcome.CONFERENCE,
    }
    changes = field_changes(enquiry, values)
    for name, value in values.items():
        setattr(enquiry, name, value)
    enquiry.revision += 1
    enquiry.save()
    _done(actor, "process.s47_completed", enquiry, changes)
    return enquiry


# Conferences --------------------------------------------------------------------------------


@transaction.atomic
def conference_start(
    *,
    actor,
    case: Case,
    child: Person,
    kind: str,
    held_on: datetime.date,
    section47: Section47Enquiry | None = None,
) -> Conference:
    """Start a conference: its record and its map, pre-filled from the latest finalised map.
    The attendees and each one's scaling are then recorded on the map."""
    case = _lock_open_case(case)
    child = _child_of_case(case, child)
    _not_future(held_on, "conference")
    open_plan = ChildProtectionPlan.objects.filter(child=child, ended_on__isnull=True).first()
    values = {"kind": kind}
    if kind == Conference.Kind.INITIAL:
        if open_plan is not None:
            raise RuleViolation(
                f"{child.display_name} is already on a child protection plan (from "
                f"{_day(open_plan.started_on)}): hold a review conference instead."
            )
        if section47 is None:
            section47 = (
                Section47Enquiry.objects.filter(child=child).order_by("-started_on", "-pk").first()
            )
        if section47 is None or section47.child_id != child.pk:
            raise RuleViolation(
                "An initial child protection conference follows a section 47 enquiry. Start "
                f"{child.display_name}'s section 47 enquiry first."
            )
        if held_on < section47.started_on:
            raise RuleViolation(
                "The conference can't be before its section 47 enquiry started "
                f"({_day(section47.started_on)})."
            )
        if section47.completed_on is not None and not section47.conference_needed:
            raise RuleViolation(
                "The section 47 enquiry concluded that no conference was needed "
                f"({section47.get_outcome_display()})."
            )
        if Conference.objects.filter(section47=section47).exists():
            raise RuleViolation("An initial conference has already been held for this enquiry.")
        values["section47"] = section47
        purpose = MeetingPurpose.INITIAL_CONFERENCE
    elif kind == Conference.Kind.REVIEW:
        if open_plan is None:
            raise RuleViolation(
                "A review conference reviews a child protection plan, and "
                f"{child.display_name} has none open."
            )
        if held_on <= open_plan.started_on:
            raise RuleViolation(
                "A review conference must be after the plan started "
                f"({_day(open_plan.started_on)})."
            )
        values["reviewed_plan"] = open_plan
        purpose = MeetingPurpose.REVIEW_CONFERENCE
    else:
        raise RuleViolation("Choose an initial or a review conference.")
    undecided = Conference.objects.filter(child=child, plan_decided__isnull=True).first()
    if undecided is not None:
        raise RuleViolation(
            f"The conference of {_day(undecided.held_on)} is still waiting for its decision."
        )
    map_, started = _meeting_map(actor, case, purpose, held_on, "conferences")
    if started:
        _invite_last_meetings_attendees(actor, map_)
    conference = Conference.objects.create(
        **_base(actor, case), child=child, held_on=held_on, map=map_, **values
    )
    _done(
        actor,
        "process.conference_started",
        conference,
        {"kind": kind, "held_on": held_on, "map": map_.pk},
    )
    return conference


def _meeting_map(actor, case: Case, purpose: str, held_on, shared_by: str) -> tuple[Map, bool]:
    """The meeting's map, and whether it was started now. A meeting about brothers and sisters
    is one map: the second child's record joins the draft the first child's record started
    for the same meeting and day, so nobody maps or scales the same meeting twice."""
    shared = (
        Map.objects.filter(case=case, status=Map.Status.DRAFT, purpose=purpose, held_on=held_on)
        .filter(**{f"{shared_by}__isnull": False})
        .first()
    )
    if shared is not None:
        return shared, False
    return practice_services.map_start(
        actor=actor, case=case, purpose=purpose, held_on=held_on
    ), True


def _invite_last_meetings_attendees(actor, map_: Map) -> None:
    """The people at the last meeting are listed again, so nobody re-keys the network; the
    chair removes anyone who did not come. Their scaling is not copied: each meeting scales
    afresh."""
    if map_.based_on_id is None:
        return
    for participant in map_.based_on.participants.all():
        practice_services.map_participant_add(
            actor=actor,
            map_=map_,
            name=participant.name,
            role=participant.role,
            organisation=participant.organisation,
            person=participant.person,
        )


@transaction.atomic
def conference_decide(
    *,
    actor,
    conference: Conference,
    expected_revision: int,
    plan_decided: bool,
    category: str = "",
    decision: str = "",
) -> Conference:
    """Record the conference's decision. The map must be finalised first: the attendees and
    their scaling are the record of the conference."""
    _lock_open_case(conference.case)
    conference = _lock(Conference, conference)
    _check_revision(conference, expected_revision, "conference")
    if conference.plan_decided is not None:
        raise RuleViolation(
            f"This conference's decision was recorded on {_day(conference.decided_on)}."
        )
    if conference.map_id and Map.objects.get(pk=conference.map_id).is_draft:
        raise RuleViolation(
            "Finalise the conference map first: the attendees, the danger statements and each "
            "attendee's scaling are the record of the conference."
        )
    if plan_decided and category not in AbuseCategory.values:
        raise RuleViolation("Choose the category of abuse for the child protection plan.")
    if not plan_decided:
        category = ""
    values = {
        "plan_decided": plan_decided,
        "category": category,
        "decision": decision.strip(),
        "decided_on": conference.held_on,
    }
    changes = field_changes(conference, values)
    for name, value in values.items():
        setattr(conference, name, value)
    conference.revision += 1
    conference.save()
    if conference.kind == Conference.Kind.REVIEW and plan_decided:
        # The review may change the category: the plan's latest category follows it.
        plan = conference.reviewed_plan
        if plan.latest_category != category:
            plan.latest_category = category
            plan.revision += 1
            plan.save()
    _done(actor, "process.conference_decided", conference, changes)
    return conference


# Child protection plans and core groups ----------------------------------------------------


@transaction.atomic
def cp_plan_start(
    *,
    actor,
    conference: Conference,
    started_on: datetime.date | None = None,
    category: str | None = None,
    note: str = "",
) -> ChildProtectionPlan:
    """Start the plan the initial conference decided: its start is the conference date (CIN
    census rule 2885) and its category the conference's, unless the worker corrects it."""
    case = _lock_open_case(conference.case)
    conference = _lock(Conference, conference)
    child = conference.child
    if conference.kind != Conference.Kind.INITIAL:
        raise RuleViolation("A child protection plan starts from an initial conference.")
    if conference.plan_decided is not True:
        raise RuleViolation("That conference did not decide on a child protection plan.")
    if conference.plans_started.exists():
        raise RuleViolation("The plan from this conference has already been started.")
    started_on = started_on or conference.held_on
    _not_future(started_on, "plan's start")
    if started_on != conference.held_on:
        raise RuleViolation(
            "A child protection plan starts on the day of the conference that decided it "
            f"({_day(conference.held_on)})."
        )
    category = category or conference.category
    if category not in AbuseCategory.values:
        raise RuleViolation("Choose the category of abuse.")
    if ChildProtectionPlan.objects.filter(child=child, ended_on__isnull=True).exists():
        raise RuleViolation(f"{child.display_name} is already on a child protection plan.")
    # A child is on a child protection plan or a child in need plan, never both (CIN rule
    # 4000s): an open CIN plan ends as the CP plan starts.
    for cin_plan in ChildInNeedPlan.objects.select_for_update().filter(
        child=child, ended_on__isnull=True
    ):
        if cin_plan.started_on > started_on:
            raise RuleViolation(
                f"{child.display_name}'s child in need plan started after this conference."
            )
        cin_plan.ended_on, cin_plan.end_reason = started_on, ChildInNeedPlan.EndReason.STEP_UP_CP
        cin_plan.revision += 1
        cin_plan.save()
        audit_record(
            actor=actor,
            verb="process.cin_plan_ended",
            target=cin_plan,
            case_id=case.pk,
            changes={"ended_on": started_on, "end_reason": cin_plan.end_reason},
        )
    plan = ChildProtectionPlan.objects.create(
        **_base(actor, case),
        child=child,
        conference=conference,
        started_on=started_on,
        initial_category=category,
        latest_category=category,
    )
    _submit(actor, Approval.Kind.CP_PLAN, plan, note)
    _done(actor, "process.cp_plan_started", plan, {"started_on": started_on, "category": category})
    return plan


def _plan_end(actor, model, plan, expected_revision, ended_on, end_reason, what, verb):
    """End a child protection or child in need plan: once, for a listed reason, not in the
    future and not before it started."""
    _lock_open_case(plan.case)
    plan = _lock(model, plan)
    _check_revision(plan, expected_revision, what)
    if plan.ended_on is not None:
        raise RuleViolation(f"This plan ended on {_day(plan.ended_on)}.")
    if end_reason not in model.EndReason.values:
        raise RuleViolation("Choose why the plan ended.")
    _not_future(ended_on, "plan's end")
    if ended_on < plan.started_on:
        raise RuleViolation(
            f"A plan can't end before it starts: this one started on {_day(plan.started_on)}."
        )
    changes = field_changes(plan, {"ended_on": ended_on, "end_reason": end_reason})
    plan.ended_on, plan.end_reason = ended_on, end_reason
    plan.revision += 1
    plan.save()
    _done(actor, verb, plan, changes)
    return plan


@transaction.atomic
def cp_plan_end(
    *,
    actor,
    plan: ChildProtectionPlan,
    expected_revision: int,
    ended_on: datetime.date,
    end_reason: str,
) -> ChildProtectionPlan:
    return _plan_end(
        actor, ChildProtectionPlan, plan, expected_revision, ended_on, end_reason,
        "child protection plan", "process.cp_plan_ended",
    )  # fmt: skip


@transaction.atomic
def core_group_record(
    *, actor, plan: ChildProtectionPlan, held_on: datetime.date, notes: str = ""
) -> CoreGroupMeeting:
    case = _lock_open_case(plan.case)
    plan = _lock(ChildProtectionPlan, plan)
    if plan.ended_on is not None:
        raise RuleViolation(f"This plan ended on {_day(plan.ended_on)}: core groups have stopped.")
    _not_future(held_on, "core group")
    _not_before(held_on, plan.started_on, "core group", "plan's start")
    meeting = CoreGroupMeeting.objects.create(
        **_base(actor, case), child_id=plan.child_id, plan=plan, held_on=held_on, notes=notes
    )
    _done(actor, "process.core_group_recorded", meeting, {"held_on": held_on})
    return meeting


# Child in need plans and reviews ----------------------------------------------------------


@transaction.atomic
def cin_plan_start(
    *, actor, case: Case, child: Person, started_on: datetime.date, note: str = ""
) -> ChildInNeedPlan:
    case = _lock_open_case(case)
    child = _child_of_case(case, child)
    _not_future(started_on, "child in need plan's start")
    first = Referral.objects.filter(child=child).order_by("received_on").first()
    if first is None:
        raise RuleViolation(
            f"A child in need plan follows a referral. Record {child.display_name}'s referral "
            "first."
        )
    _not_before(started_on, first.received_on, "child in need plan", "referral")
    if ChildProtectionPlan.objects.filter(child=child, ended_on__isnull=True).exists():
        raise RuleViolation(
            f"{child.display_name} is on a child protection plan. End it (stepping down to a "
            "child in need plan) before starting the child in need plan."
        )
    if ChildInNeedPlan.objects.filter(child=child, ended_on__isnull=True).exists():
        raise RuleViolation(f"{child.display_name} already has a child in need plan open.")
    plan = ChildInNeedPlan.objects.create(**_base(actor, case), child=child, started_on=started_on)
    _submit(actor, Approval.Kind.CIN_PLAN, plan, note)
    _done(actor, "process.cin_plan_started", plan, {"started_on": started_on})
    return plan


@transaction.atomic
def cin_plan_end(
    *,
    actor,
    plan: ChildInNeedPlan,
    expected_revision: int,
    ended_on: datetime.date,
    end_reason: str,
) -> ChildInNeedPlan:
    return _plan_end(
        actor, ChildInNeedPlan, plan, expected_revision, ended_on, end_reason,
        "child in need plan", "process.cin_plan_ended",
    )  # fmt: skip


@transaction.atomic
def cin_review_record(
    *, actor, plan: ChildInNeedPlan, held_on: datetime.date, notes: str = ""
) -> ChildInNeedReview:
    case = _lock_open_case(plan.case)
    plan = _lock(ChildInNeedPlan, plan)
    if plan.ended_on is not None:
        raise RuleViolation(f"This plan ended on {_day(plan.ended_on)}.")
    _not_future(held_on, "review")
    if held_on <= plan.started_on:
        raise RuleViolation(f"A review must be after the plan started ({_day(plan.started_on)}).")
    review = ChildInNeedReview.objects.create(
        **_base(actor, case), child_id=plan.child_id, plan=plan, held_on=held_on, notes=notes
    )
    _done(actor, "process.cin_review_recorded", review, {"held_on": held_on})
    return review


# Children looked after -------------------------------------------------------------------


EPISODE_DETAILS = (
    "reason_new_episode",
    "category_of_need",
    "placement_provider",
    "home_postcode",
    "placement_postcode",
    "urn",
    "previous_permanence",
    "previous_permanence_la",
    "previous_permanence_on",
)


@transaction.atomic
def looked_after_start(
    *,
    actor,
    case: Case,
    child: Person,
    started_on: datetime.date,
    legal_status: str,
    placement: str,
    **details,
) -> LookedAfterEpisode:
    """A new episode. `details` are the SSDA903 fields (`EPISODE_DETAILS`); left out, the reason
    for the new episode and the category of need are worked out from the record."""
    case = _lock_open_case(case)
    child = _child_of_case(case, child)
    _not_future(started_on, "episode's start")
    if unknown := set(details) - set(EPISODE_DETAILS):
        raise TypeError(f"Unknown episode details: {', '.join(sorted(unknown))}")
    if LookedAfterEpisode.objects.filter(child=child, ended_on__isnull=True).exists():
        raise RuleViolation(
            f"{child.display_name} already has an episode open: end it (reason X1 if they stay "
            "looked after) before the next one starts."
        )
    last = LookedAfterEpisode.objects.filter(child=child).order_by("-ended_on").first()
    if last is not None:
        _not_before(started_on, last.ended_on, "episode", "end of the last one")
    details = {
        key: (value.strip().upper() if isinstance(value, str) else value)
        for key, value in details.items()
        if value not in ("", None)
    }
    episode = LookedAfterEpisode(
        **_base(actor, case),
        child=child,
        started_on=started_on,
        legal_status=legal_status,
        placement=placement,
        **details,
    )
    continues = (
        last if last and last.reason_ceased == "X1" and last.ended_on == started_on else None
    )
    if not episode.reason_new_episode:
        episode.reason_new_episode = reason_for_new_episode(episode, continues)
    if not episode.category_of_need:
        episode.category_of_need = _category_of_need(child, continues)
    if episode.reason_new_episode != "S" and continues is None:
        raise RuleViolation(
            "A period of care starts with reason S: this episode does not follow one that "
            "ended with X1 on the same day."
        )
    episode.save()
    _done(
        actor,
        "process.looked_after_started",
        episode,
        {
            "started_on": started_on,
            "legal_status": legal_status,
            "placement": placement,
            "reason_new_episode": episode.reason_new_episode,
        },
    )
    return episode


def _category_of_need(child: Person, continues: LookedAfterEpisode | None) -> str:
    """The period's category of need, else the child's latest referral's primary need."""
    if continues is not None and continues.category_of_need:
        return continues.category_of_need
    referral = Referral.objects.filter(child=child).order_by("-received_on", "-pk").first()
    if referral is not None and referral.primary_need in CategoryOfNeed.values:
        return referral.primary_need
    return ""


@transaction.atomic
def looked_after_end(
    *,
    actor,
    episode: LookedAfterEpisode,
    expected_revision: int,
    ended_on: datetime.date,
    reason_ceased: str,
    reason_placement_change: str = "",
) -> LookedAfterEpisode:
    _lock_open_case(episode.case)
    episode = _lock(LookedAfterEpisode, episode)
    _check_revision(episode, expected_revision, "looked-after episode")
    if episode.ended_on is not None:
        raise RuleViolation(f"This episode ended on {_day(episode.ended_on)}.")
    if not reason_ceased:
        raise RuleViolation("Choose the reason the episode ceased.")
    _not_future(ended_on, "episode's end")
    if ended_on < episode.started_on:
        raise RuleViolation(
            "An episode can't end before it starts: this one started on "
            f"{_day(episode.started_on)}."
        )
    if reason_placement_change and reason_ceased != "X1":
        raise RuleViolation(
            "A reason for the placement change is only for an episode that ends with X1 (the "
            "child stays looked after)."
        )
    values = {
        "ended_on": ended_on,
        "reason_ceased": reason_ceased,
        "reason_placement_change": reason_placement_change,
    }
    changes = field_changes(episode, values)
    for name, value in values.items():
        setattr(episode, name, value)
    episode.revision += 1
    episode.save()
    _done(actor, "process.looked_after_ended", episode, changes)
    return episode


def _looked_after_child(case: Case, child: Person) -> Person:
    child = _child_of_case(case, child)
    if not LookedAfterEpisode.objects.filter(child=child).exists():
        raise RuleViolation(f"{child.display_name} has no looked-after episode recorded.")
    return child


@transaction.atomic
def looked_after_review_record(
    *, actor, case: Case, child: Person, held_on: datetime.date, participation: str
) -> LookedAfterReview:
    case = _lock_open_case(case)
    child = _looked_after_child(case, child)
    _not_future(held_on, "review")
    first = LookedAfterEpisode.objects.filter(child=child).order_by("started_on").first()
    _not_before(held_on, first.started_on, "review", "start of the child's first episode")
    if participation == "PN0" and child.date_of_birth and child.age_on(held_on) >= 4:
        raise RuleViolation("PN0 is for a child under 4 at the review.")
    review = LookedAfterReview.objects.create(
        **_base(actor, case), child=child, held_on=held_on, participation=participation
    )
    _done(
        actor,
        "process.looked_after_review_recorded",
        review,
        {"held_on": held_on, "participation": participation},
    )
    return review


@transaction.atomic
def missing_episode_record(
    *,
    actor,
    case: Case,
    child: Person,
    kind: str,
    started_on: datetime.date,
    ended_on: datetime.date | None = None,
) -> MissingEpisode:
    case = _lock_open_case(case)
    child = _looked_after_child(case, child)
    _not_future(started_on, "start of the missing episode")
    _not_future(ended_on, "return")
    _not_before(ended_on, started_on, "return", "start of the missing episode")
    if MissingEpisode.objects.filter(child=child, ended_on__isnull=True).exists():
        raise RuleViolation(
            f"{child.display_name} is already recorded as missing or away: record their return "
            "first."
        )
    missing = MissingEpisode.objects.create(
        **_base(actor, case), child=child, kind=kind, started_on=started_on, ended_on=ended_on
    )
    _done(
        actor,
        "process.missing_recorded",
        missing,
        {"kind": kind, "started_on": started_on, "ended_on": ended_on},
    )
    return missing


@transaction.atomic
def missing_episode_end(
    *, actor, missing: MissingEpisode, expected_revision: int, ended_on: datetime.date
) -> MissingEpisode:
    _lock_open_case(missing.case)
    missing = _lock(MissingEpisode, missing)
    _check_revision(missing, expected_revision, "missing episode")
    if missing.ended_on is not None:
        raise RuleViolation(f"The child came back on {_day(missing.ended_on)}.")
    _not_future(ended_on, "return")
    _not_before(ended_on, missing.started_on, "return", "start of the missing episode")
    changes = field_changes(missing, {"ended_on": ended_on})
    missing.ended_on = ended_on
    missing.revision += 1
    missing.save()
    _done(actor, "process.missing_ended", missing, changes)
    return missing


OUTCOME_ANSWERS = (
    "sdq_score",
    "sdq_reason",
    "convicted",
    "health_check",
    "immunisations",
    "teeth_check",
    "health_assessment",
    "substance_misuse",
    "intervention_received",
    "intervention_offered",
)


@transaction.atomic
def looked_after_outcomes_record(
    *, actor, case: Case, child: Person, year: int, **answers
) -> LookedAfterOutcomes:
    """The child's outcomes (OC2) for the year ending 31 March `year`; answers that don't apply
    to the child's age are left blank (DfE rules 542-547, 186-189)."""
    case = _lock_open_case(case)
    child = _looked_after_child(case, child)
    if unknown := set(answers) - set(OUTCOME_ANSWERS):
        raise TypeError(f"Unknown outcome answers: {', '.join(sorted(unknown))}")
    if LookedAfterOutcomes.objects.filter(child=child, year=year).exists():
        raise RuleViolation(f"{child.display_name}'s outcomes for {year} are already recorded.")
    if answers.get("sdq_score") is not None and answers.get("sdq_reason"):
        raise RuleViolation("Give an SDQ score or the reason there is none, not both.")
    if answers.get("substance_misuse") is False and (
        answers.get("intervention_received") is not None
        or answers.get("intervention_offered") is not None
    ):
        raise RuleViolation("Interventions are only recorded for a substance misuse problem.")
    outcomes = LookedAfterOutcomes.objects.create(
        **_base(actor, case), child=child, year=year, **answers
    )
    _done(actor, "process.looked_after_outcomes_recorded", outcomes, {"year": year})
    return outcomes


@transaction.atomic
def asylum_status_record(
    *, actor, case: Case, child: Person, ceased_on: datetime.date | None = None
) -> AsylumSeekingStatus:
    case = _lock_open_case(case)
    child = _child_of_case(case, child)
    if AsylumSeekingStatus.objects.filter(child=child).exists():
        raise RuleViolation(f"{child.display_name}'s status is already recorded.")
    status = AsylumSeekingStatus.objects.create(
        **_base(actor, case), child=child, ceased_on=ceased_on
    )
    _done(actor, "process.uasc_recorded", status, {"ceased_on": ceased_on})
    return status


@transaction.atomic
def adoption_decision_record(
    *, actor, case: Case, child: Person, decided_on: datetime.date
) -> AdoptionDecision:
    case = _lock_open_case(case)
    child = _looked_after_child(case, child)
    _not_future(decided_on, "decision")
    if AdoptionDecision.objects.filter(child=child, reversed_on__isnull=True).exists():
        raise RuleViolation(
            f"A decision that {child.display_name} should be placed for adoption is already open."
        )
    decision = AdoptionDecision.objects.create(
        **_base(actor, case), child=child, decided_on=decided_on
    )
    _done(actor, "process.adoption_decision_recorded", decision, {"decided_on": decided_on})
    return decision


@transaction.atomic
def adoption_record(
    *,
    actor,
    case: Case,
    child: Person,
    best_interests_on: datetime.date,
    matched_on: datetime.date,
    by_foster_carers: bool,
    adopters: int,
    adopters_sex: str,
    adopters_legal_status: str,
) -> Adoption:
    case = _lock_open_case(case)
    child = _looked_after_child(case, child)
    _not_future(matched_on, "match")
    _not_before(matched_on, best_interests_on, "match", "best-interests decision")
    single = adopters_sex in ("M1", "F1")
    if (adopters == 1) != single or (adopters_legal_status == "L0") != single:
        raise RuleViolation(
            "The number of adopters, their sex and their legal status don't agree (DfE rules "
            "511 and 514)."
        )
    adoption = Adoption.objects.create(
        **_base(actor, case),
        child=child,
        best_interests_on=best_interests_on,
        matched_on=matched_on,
        by_foster_carers=by_foster_carers,
        adopters=adopters,
        adopters_sex=adopters_sex,
        adopters_legal_status=adopters_legal_status,
    )
    _done(actor, "process.adoption_recorded", adoption, {"matched_on": matched_on})
    return adoption


@transaction.atomic
def care_leaver_contact_record(
    *,
    actor,
    case: Case,
    child: Person,
    year: int,
    in_touch: str,
    activity: str,
    accommodation: str,
) -> CareLeaverContact:
    case = _lock_open_case(case)
    child = _looked_after_child(case, child)
    if CareLeaverContact.objects.filter(child=child, year=year).exists():
        raise RuleViolation(f"{child.display_name}'s care leaver record for {year} exists.")
    if in_touch == "YES" and "0" in (activity, accommodation):
        raise RuleViolation("In touch: record their activity and accommodation (rule 345).")
    contact = CareLeaverContact.objects.create(
        **_base(actor, case),
        child=child,
        year=year,
        in_touch=in_touch,
        activity=activity,
        accommodation=accommodation,
    )
    _done(actor, "process.care_leaver_recorded", contact, {"year": year, "in_touch": in_touch})
    return contact


# Statutory visits ------------------------------------------------------------------------


@transaction.atomic
def visit_record(
    *,
    actor,
    case: Case,
    child: Person,
    visited_on: datetime.date,
    seen_alone: bool,
    notes: str = "",
) -> StatutoryVisit:
    case = _lock_open_case(case)
    child = _child_of_case(case, child)
    _not_future(visited_on, "visit")
    visit = StatutoryVisit.objects.create(
        **_base(actor, case),
        child=child,
        visited_on=visited_on,
        seen_alone=seen_alone,
        notes=notes,
    )
    _done(
        actor, "process.visit_recorded", visit, {"visited_on": visited_on, "seen_alone": seen_alone}
    )
    return visit


# Closure ---------------------------------------------------------------------------------


def closure_problems(case: Case) -> list[str]:
    """What stops the case closing, in words a worker can act on."""
    problems = []
    names = {}

    def name(child_id):
        if child_id not in names:
            names[child_id] = Person.objects.get(pk=child_id).display_name
        return names[child_id]

    for plan in ChildProtectionPlan.objects.filter(case=case, ended_on__isnull=True):
        problems.append(f"End {name(plan.child_id)}'s child protection plan.")
    for plan in ChildInNeedPlan.objects.filter(case=case, ended_on__isnull=True):
        problems.append(f"End {name(plan.child_id)}'s child in need plan.")
    for episode in LookedAfterEpisode.objects.filter(case=case, ended_on__isnull=True):
        problems.append(f"End {name(episode.child_id)}'s looked-after episode.")
    for assessment in Assessment.objects.filter(case=case, completed_on__isnull=True):
        problems.append(f"Complete {name(assessment.child_id)}'s assessment.")
    for enquiry in Section47Enquiry.objects.filter(case=case, completed_on__isnull=True):
        problems.append(f"Record the outcome of {name(enquiry.child_id)}'s section 47 enquiry.")
    for referral in Referral.objects.filter(case=case, decision=""):
        problems.append(f"Record the decision on {name(referral.child_id)}'s referral.")
    for conference in Conference.objects.filter(case=case, plan_decided__isnull=True):
        problems.append(f"Record the decision of {name(conference.child_id)}'s conference.")
    if Approval.objects.filter(
        case=case, kind=Approval.Kind.CLOSURE, status=Approval.Status.SUBMITTED
    ).exists():
        problems.append("A closure is already waiting for the manager's approval.")
    return problems


def _latest_process_date(case: Case) -> datetime.date | None:
    dates = []
    for model, fields in [
        (Referral, ("received_on", "decided_on")),
        (Assessment, ("started_on", "completed_on")),
        (StrategyDiscussion, ("held_on",)),
        (Section47Enquiry, ("started_on", "completed_on")),
        (Conference, ("held_on",)),
        (ChildProtectionPlan, ("started_on", "ended_on")),
        (ChildInNeedPlan, ("started_on", "ended_on")),
        (LookedAfterEpisode, ("started_on", "ended_on")),
    ]:
        for row in model.objects.filter(case=case).values_list(*fields):
            dates.extend(day for day in row if day is not None)
    return max(dates, default=None)


@transaction.atomic
def closure_record(
    *,
    actor,
    case: Case,
    closed_on: datetime.date,
    reason: str,
    summary: str = "",
    note: str = "",
) -> Closure:
    """Ask to close the case. It closes when the team manager approves the closure."""
    case = _lock_open_case(case)
    if reason not in ClosureReason.values:
        raise RuleViolation("Choose the reason for closure.")
    _not_future(closed_on, "closure")
    if problems := closure_problems(case):
        raise RuleViolation("The case can't close yet. " + " ".join(problems))
    latest = _latest_process_date(case)
    _not_before(closed_on, latest, "closure", "latest event in the case's process")
    _not_before(closed_on, case.opened_on, "closure", "case opening")
    after_assessment = {
        ClosureReason.NFA_AFTER_ASSESSMENT,
        ClosureReason.EARLY_HELP_AFTER_ASSESSMENT,
    }
    if (
        reason in after_assessment
        and not Assessment.objects.filter(case=case, completed_on__isnull=False).exists()
    ):
        raise RuleViolation("RC8 and RC9 are for cases closed after a completed assessment.")
    closure = Closure.objects.create(
        **_base(actor, case), closed_on=closed_on, reason=reason, summary=summary.strip()
    )
    _submit(actor, Approval.Kind.CLOSURE, closure, note)
    _done(actor, "process.closure_recorded", closure, {"closed_on": closed_on, "reason": reason})
    return closure


# Manager approval ------------------------------------------------------------------------


def _lock_submitted(approval: Approval) -> Approval:
    approval = Approval.objects.select_for_update().get(pk=approval.pk)
    if approval.status != Approval.Status.SUBMITTED:
        raise RuleViolation(
            f"This {approval.get_kind_display().lower()} has already been "
            f"{approval.get_status_display().lower()}."
        )
    return approval


@transaction.atomic
def approval_approve(*, actor, approval: Approval, comments: str = "") -> Approval:
    approval = _lock_submitted(approval)
    case = Case.objects.select_for_update().get(pk=approval.case_id)
    today = timezone.localdate()
    if approval.kind == Approval.Kind.ASSESSMENT:
        assessment = _lock(Assessment, approval.assessment)
        # The authorisation date is the day the manager authorises it (CIN census).
        assessment.authorised_on = max(today, assessment.completed_on)
        assessment.revision += 1
        assessment.save()
    elif approval.kind == Approval.Kind.CLOSURE:
        closure = _lock(Closure, approval.closure)
        if problems := closure_problems_excluding_pending(case):
            raise RuleViolation("The case can't close yet. " + " ".join(problems))
        closure.approved = True
        closure.revision += 1
        closure.save()
        changes = field_changes(
            case, {"status": Case.Status.CLOSED, "closed_on": closure.closed_on}
        )
        case.status, case.closed_on = Case.Status.CLOSED, closure.closed_on
        case.save()
        audit_record(actor=actor, verb="case.closed", target=case, case_id=case.pk, changes=changes)
    approval.status = Approval.Status.APPROVED
    approval.decided_by, approval.decided_at = actor, timezone.now()
    approval.comments = comments.strip()
    approval.save()
    audit_record(
        actor=actor,
        verb="process.approval_approved",
        target=approval,
        case_id=case.pk,
        changes={"kind": approval.kind, "comments": approval.comments},
    )
    process_changed(case)
    return approval


def closure_problems_excluding_pending(case: Case) -> list[str]:
    """The closure being approved is itself pending: every other problem still counts."""
    pending = "A closure is already waiting for the manager's approval."
    return [problem for problem in closure_problems(case) if problem != pending]


@transaction.atomic
def approval_return(*, actor, approval: Approval, comments: str) -> Approval:
    approval = _lock_submitted(approval)
    if not comments.strip():
        raise RuleViolation("Say what needs to change before it can be approved.")
    approval.status = Approval.Status.RETURNED
    approval.decided_by, approval.decided_at = actor, timezone.now()
    approval.comments = comments.strip()
    approval.save()
    audit_record(
        actor=actor,
        verb="process.approval_returned",
        target=approval,
        case_id=approval.case_id,
        changes={"kind": approval.kind, "comments": approval.comments},
    )
    process_changed(approval.case)
    return approval


@transaction.atomic
def approval_resubmit(*, actor, approval: Approval, note: str = "") -> Approval:
    """Send a returned item back to the manager; the returned request and its comments stay."""
    approval = Approval.objects.select_for_update().get(pk=approval.pk)
    if approval.status != Approval.Status.RETURNED:
        raise RuleViolation("Only something returned with comments can be sent back.")
    record = approval.record
    if Approval.objects.filter(
        **{approval.kind: record}, status=Approval.Status.SUBMITTED
    ).exists():
        raise RuleViolation("This is already waiting for the manager's approval.")
    if approval.kind == Approval.Kind.CLOSURE:
        case = _lock_open_case(approval.case)
        if problems := closure_problems(case):
            raise RuleViolation("The case can't close yet. " + " ".join(problems))
    resubmitted = _submit(actor, approval.kind, record, note)
    process_changed(approval.case)
    return resubmitted
