"""Every write to supervision sessions, their actions and appreciative inquiries.

Each function is atomic, checks who may make the change (deny by default), refuses a save
based on a stale revision (ConflictError), and writes its audit event in the same transaction.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from core.audit import audit_record, field_changes
from core.errors import ConflictError, RuleViolation
from learning import anonymity, selectors
from learning.models import AppreciativeInquiry, SupervisionAction, SupervisionSession
from people.models import Case
from practice import services as practice_services
from practice.models import MeetingPurpose


def _check_revision(record, expected: int, what: str):
    if record.revision != expected:
        raise ConflictError(
            f"Someone else changed this {what} after you opened it. Their version is shown; "
            "your text has been kept in the form so you can compare and save again.",
            current=record,
        )


def _audit(actor, verb, target, *, case_id=None, changes=None):
    audit_record(
        actor=actor,
        verb=verb,
        target=target,
        agency_id=target.agency_id,
        case_id=case_id,
        changes=changes,
    )


def _staff_of_agency(actor, people, what: str) -> list:
    people = [person for person in people if person is not None]
    if any(person.agency_id != actor.agency_id or not person.is_active for person in people):
        raise RuleViolation(f"Only current staff of your agency can be {what}.")
    return people


def _case_in_reach(actor, case: Case | None) -> Case | None:
    if case is None:
        return None
    if case.agency_id != actor.agency_id or not selectors.may_see_case(actor, case.pk):
        raise RuleViolation("You can only bring a case you can open.")
    return case


def _require(condition: bool, message: str):
    if not condition:
        raise RuleViolation(message)


# Supervision sessions.


def _clean_session(actor, *, kind, case, presenter, attendees):
    _require(kind in SupervisionSession.Kind.values, "Choose the kind of session.")
    attendees = _staff_of_agency(actor, attendees, "supervised")
    presenter = (_staff_of_agency(actor, [presenter], "the presenting worker") or [None])[0]
    if presenter is not None and presenter not in attendees:
        attendees.append(presenter)
    _require(bool(attendees), "Add at least one person supervised in the session.")
    _require(actor not in attendees, "The facilitator is not one of the people supervised.")
    if kind != SupervisionSession.Kind.INDIVIDUAL:
        _require(case is not None, "Group supervision and case consultation start from a case.")
    return attendees, presenter


@transaction.atomic
def session_record(
    *,
    actor,
    kind: str,
    held_on: datetime.date,
    attendees,
    presenter=None,
    case: Case | None = None,
    focus: str = "",
) -> SupervisionSession:
    """A supervisor records a session they facilitated."""
    _require(selectors.may_record_sessions(actor), "Only supervisors record supervision.")
    case = _case_in_reach(actor, case)
    attendees, presenter = _clean_session(
        actor, kind=kind, case=case, presenter=presenter, attendees=attendees
    )
    session = SupervisionSession.objects.create(
        agency_id=actor.agency_id,
        kind=kind,
        held_on=held_on,
        facilitator=actor,
        presenter=presenter,
        case=case,
        focus=focus.strip(),
        created_by=actor,
    )
    session.attendees.set(attendees)
    _audit(
        actor,
        "learning.session_recorded",
        session,
        case_id=session.case_id,
        changes={"kind": kind, "held_on": held_on, "attendees": [a.pk for a in attendees]},
    )
    return session


@transaction.atomic
def session_update(
    *,
    actor,
    session: SupervisionSession,
    expected_revision: int,
    held_on: datetime.date,
    attendees,
    presenter=None,
    focus: str = "",
    questions: str = "",
    reflections: str = "",
) -> SupervisionSession:
    session = SupervisionSession.objects.select_for_update().get(pk=session.pk)
    _require(selectors.may_edit_session(actor, session), "Only the facilitator can change this.")
    _check_revision(session, expected_revision, "session")
    attendees, presenter = _clean_session(
        actor, kind=session.kind, case=session.case, presenter=presenter, attendees=attendees
    )
    values = {
        "held_on": held_on,
        "presenter": presenter,
        "focus": focus.strip(),
        "questions": questions.strip(),
        "reflections": reflections.strip(),
    }
    changes = field_changes(session, values)
    before = set(session.attendees.values_list("pk", flat=True))
    after = {a.pk for a in attendees}
    if before != after:
        changes["attendees"] = {"old": sorted(before), "new": sorted(after)}
        session.attendees.set(attendees)
    for name, value in values.items():
        setattr(session, name, value)
    session.revision += 1
    session.save()
    _audit(actor, "learning.session_changed", session, case_id=session.case_id, changes=changes)
    return session


@transaction.atomic
def session_complete(
    *, actor, session: SupervisionSession, expected_revision: int
) -> SupervisionSession:
    session = SupervisionSession.objects.select_for_update().get(pk=session.pk)
    _require(selectors.may_edit_session(actor, session), "Only the facilitator can complete it.")
    _check_revision(session, expected_revision, "session")
    session.state = SupervisionSession.State.COMPLETED
    session.revision += 1
    session.save(update_fields=["state", "revision", "updated_at"])
    _audit(actor, "learning.session_completed", session, case_id=session.case_id)
    return session


@transaction.atomic
def session_map_start(*, actor, session: SupervisionSession):
    """Start the map made in the session: a new draft map on the case, for supervision, which
    everyone then edits in the ordinary map editor."""
    session = SupervisionSession.objects.select_for_update().get(pk=session.pk)
    _require(session.case_id is not None, "This session has no case to map.")
    _require(session.map_id is None, "This session already has its map.")
    _require(
        selectors.may_start_session_map(actor, session),
        "The map is started by someone in the session who records on this case.",
    )
    map_ = practice_services.map_start(
        actor=actor, case=session.case, purpose=MeetingPurpose.SUPERVISION, held_on=session.held_on
    )
    session.map = map_
    session.revision += 1
    session.save(update_fields=["map", "revision", "updated_at"])
    _audit(
        actor,
        "learning.session_map_started",
        session,
        case_id=session.case_id,
        changes={"map": map_.pk},
    )
    return map_


# Actions.


def _clean_owner(session: SupervisionSession, owner):
    people = {session.facilitator_id, *session.attendees.values_list("pk", flat=True)}
    _require(
        owner is not None and owner.pk in people and owner.is_active,
        "An action belongs to someone who was in the session.",
    )
    return owner


@transaction.atomic
def action_add(
    *, actor, session: SupervisionSession, text: str, owner, due_on: datetime.date
) -> SupervisionAction:
    _require(selectors.may_edit_session(actor, session), "Only the facilitator adds actions.")
    text = text.strip()
    _require(bool(text), "Say what will be done.")
    action = SupervisionAction.objects.create(
        agency_id=session.agency_id,
        session=session,
        case_id=session.case_id,
        text=text,
        owner=_clean_owner(session, owner),
        due_on=due_on,
        created_by=actor,
    )
    _audit(
        actor,
        "learning.action_added",
        action,
        case_id=action.case_id,
        changes={"owner": owner.pk, "due_on": due_on},
    )
    return action


@transaction.atomic
def action_update(
    *,
    actor,
    action: SupervisionAction,
    expected_revision: int,
    text: str,
    owner,
    due_on: datetime.date,
    done_on: datetime.date | None,
) -> SupervisionAction:
    action = (
        SupervisionAction.objects.select_for_update().select_related("session").get(pk=action.pk)
    )
    _require(
        selectors.may_edit_action(actor, action),
        "Only the person the action belongs to and the facilitator can change it.",
    )
    _check_revision(action, expected_revision, "action")
    text = text.strip()
    _require(bool(text), "Say what will be done.")
    _require(
        done_on is None or done_on <= timezone.localdate(), "The date done can't be in the future."
    )
    values = {
        "text": text,
        "owner": _clean_owner(action.session, owner),
        "due_on": due_on,
        "done_on": done_on,
    }
    changes = field_changes(action, values)
    for name, value in values.items():
        setattr(action, name, value)
    action.revision += 1
    action.save()
    _audit(actor, "learning.action_changed", action, case_id=action.case_id, changes=changes)
    return action


@transaction.atomic
def action_mark_done(
    *, actor, action: SupervisionAction, expected_revision: int, done_on: datetime.date
) -> SupervisionAction:
    action = (
        SupervisionAction.objects.select_for_update().select_related("session").get(pk=action.pk)
    )
    _require(
        selectors.may_edit_action(actor, action),
        "Only the person the action belongs to and the facilitator can change it.",
    )
    _check_revision(action, expected_revision, "action")
    _require(done_on <= timezone.localdate(), "The date done can't be in the future.")
    action.done_on = done_on
    action.revision += 1
    action.save(update_fields=["done_on", "revision", "updated_at"])
    _audit(
        actor, "learning.action_done", action, case_id=action.case_id, changes={"done_on": done_on}
    )
    return action


# Appreciative inquiry.

INQUIRY_FIELDS = (
    "title",
    "theme",
    "held_on",
    "practice_examined",
    "what_made_it_work",
    "what_others_can_take",
    "shared_text",
)


def _clean_inquiry(actor, values: dict, workers) -> tuple[dict, list]:
    values = {name: values.get(name) for name in INQUIRY_FIELDS}
    for name in INQUIRY_FIELDS:
        if isinstance(values[name], str):
            values[name] = values[name].strip()
    _require(bool(values["title"]), "Give the inquiry a title.")
    workers = _staff_of_agency(actor, workers, "named as the workers")
    _require(bool(workers), "Name the practitioner whose work is looked at.")
    return values, workers


@transaction.atomic
def inquiry_record(*, actor, workers, case: Case | None = None, **values) -> AppreciativeInquiry:
    _require(selectors.may_record_inquiries(actor), "Your role does not record inquiries.")
    values, workers = _clean_inquiry(actor, values, workers)
    inquiry = AppreciativeInquiry.objects.create(
        agency_id=actor.agency_id,
        facilitator=actor,
        case=_case_in_reach(actor, case),
        created_by=actor,
        **values,
    )
    inquiry.workers.set(workers)
    _audit(
        actor,
        "learning.inquiry_recorded",
        inquiry,
        case_id=inquiry.case_id,
        changes={"title": inquiry.title, "theme": inquiry.theme},
    )
    return inquiry


@transaction.atomic
def inquiry_update(
    *,
    actor,
    inquiry: AppreciativeInquiry,
    expected_revision: int,
    workers,
    case: Case | None = None,
    **values,
) -> AppreciativeInquiry:
    """Change the record. Changing a shared inquiry's library text or title takes it out of
    the library until it is confirmed as anonymised again."""
    inquiry = AppreciativeInquiry.objects.select_for_update().get(pk=inquiry.pk)
    _require(selectors.may_edit_inquiry(actor, inquiry), "You can't change this inquiry.")
    _check_revision(inquiry, expected_revision, "inquiry")
    values, workers = _clean_inquiry(actor, values, workers)
    changes = field_changes(inquiry, values)
    before = set(inquiry.workers.values_list("pk", flat=True))
    if before != {w.pk for w in workers}:
        changes["workers"] = {"old": sorted(before), "new": sorted(w.pk for w in workers)}
        inquiry.workers.set(workers)
    if case != inquiry.case:
        changes["case"] = {"old": inquiry.case_id, "new": _case_in_reach(actor, case) and case.pk}
        inquiry.case = case
    if inquiry.is_shared and ({"shared_text", "title", "workers", "case"} & changes.keys()):
        inquiry.state, inquiry.shared_at, inquiry.shared_by = (
            AppreciativeInquiry.State.PRIVATE,
            None,
            None,
        )
        changes["state"] = {"old": "shared", "new": "private"}
    for name, value in values.items():
        setattr(inquiry, name, value)
    inquiry.revision += 1
    inquiry.save()
    _audit(actor, "learning.inquiry_changed", inquiry, case_id=inquiry.case_id, changes=changes)
    return inquiry


def inquiry_anonymity_problems(inquiry: AppreciativeInquiry) -> list[str]:
    """Names of the case's people, its network or the workers found in the library text."""
    names = anonymity.names_to_avoid(case=inquiry.case, workers=list(inquiry.workers.all()))
    return anonymity.names_found(f"{inquiry.title}\n{inquiry.shared_text}", names)


@transaction.atomic
def inquiry_share(
    *, actor, inquiry: AppreciativeInquiry, expected_revision: int, confirmed_anonymised: bool
) -> AppreciativeInquiry:
    """A practice lead or team manager confirms the library text is anonymised and shares it."""
    inquiry = AppreciativeInquiry.objects.select_for_update().get(pk=inquiry.pk)
    _require(
        selectors.may_confirm_sharing(actor, inquiry),
        "A practice lead or team manager confirms an inquiry is anonymised before it is shared.",
    )
    _check_revision(inquiry, expected_revision, "inquiry")
    _require(not inquiry.is_shared, "This inquiry is already in the library.")
    _require(bool(inquiry.shared_text), "Write the anonymised account for the library first.")
    found = inquiry_anonymity_problems(inquiry)
    _require(
        not found,
        "The library text still names someone: " + ", ".join(found) + ". Change it and try again.",
    )
    _require(confirmed_anonymised, "Confirm that you have read the text and it is anonymised.")
    inquiry.state = AppreciativeInquiry.State.SHARED
    inquiry.shared_at, inquiry.shared_by = timezone.now(), actor
    inquiry.revision += 1
    inquiry.save()
    _audit(actor, "learning.inquiry_shared", inquiry, case_id=inquiry.case_id)
    return inquiry


@transaction.atomic
def inquiry_withdraw(
    *, actor, inquiry: AppreciativeInquiry, expected_revision: int
) -> AppreciativeInquiry:
    inquiry = AppreciativeInquiry.objects.select_for_update().get(pk=inquiry.pk)
    _require(
        selectors.may_confirm_sharing(actor, inquiry) or inquiry.created_by_id == actor.pk,
        "You can't take this inquiry out of the library.",
    )
    _check_revision(inquiry, expected_revision, "inquiry")
    _require(inquiry.is_shared, "This inquiry is not in the library.")
    inquiry.state, inquiry.shared_at, inquiry.shared_by = (
        AppreciativeInquiry.State.PRIVATE,
        None,
        None,
    )
    inquiry.revision += 1
    inquiry.save()
    _audit(actor, "learning.inquiry_withdrawn", inquiry, case_id=inquiry.case_id)
    return inquiry
