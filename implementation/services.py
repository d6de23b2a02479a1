"""Every write in the implementation app. Each is atomic, checks the agency, refuses to
overwrite someone else's change (revisions), and writes its audit event."""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from core.audit import audit_record, field_changes
from core.errors import ConflictError, RuleViolation
from implementation.defaults import DEFAULT_COURSES, DEFAULT_DOMAINS
from implementation.models import (
    AssessmentRound,
    Course,
    ImplementationAction,
    ImplementationDomain,
    ImplementationSettings,
    PracticeLeadRole,
    Rating,
    RoundNote,
    TrainingRecord,
)


def _audit(actor, verb, target, changes=None):
    audit_record(actor=actor, verb=verb, target=target, changes=changes)


def _check_revision(record, expected: int | None, what: str):
    if expected is not None and record.revision != expected:
        raise ConflictError(
            f"Someone else changed this {what} after you opened it. Their version is shown; "
            "your changes are kept in the form so you can compare and save again.",
            current=record,
        )


def _same_agency(*records, agency_id: int):
    for record in records:
        if record is not None and record.agency_id != agency_id:
            raise RuleViolation("That record belongs to another agency.")


@transaction.atomic
def defaults_ensure(*, actor, agency) -> bool:
    """Give an agency the default domains and courses the first time it needs them."""
    added = False
    if not ImplementationDomain.objects.filter(agency=agency).exists():
        ImplementationDomain.objects.bulk_create(
            ImplementationDomain(agency=agency, name=name, description=text, position=index)
            for index, (name, text) in enumerate(DEFAULT_DOMAINS, start=1)
        )
        added = True
    if not Course.objects.filter(agency=agency).exists():
        Course.objects.bulk_create(
            Course(agency=agency, name=name, level=level, days=days)
            for name, level, days in DEFAULT_COURSES
        )
        added = True
    if added:
        audit_record(
            actor=actor, verb="implementation.defaults_added", agency_id=agency.pk, changes={}
        )
    return added


# Settings, domains and courses -----------------------------------------------------------------


@transaction.atomic
def settings_update(
    *, actor, agency, local_authority_code: str, introduction_within_days: int, revision: int
) -> ImplementationSettings:
    current, _ = ImplementationSettings.objects.get_or_create(agency=agency)
    current = ImplementationSettings.objects.select_for_update().get(pk=current.pk)
    _check_revision(current, revision, "setting")
    values = {
        "local_authority_code": local_authority_code,
        "introduction_within_days": introduction_within_days,
    }
    changes = field_changes(current, values)
    for name, value in values.items():
        setattr(current, name, value)
    current.revision += 1
    current.save()
    _audit(actor, "implementation.settings_changed", current, changes)
    return current


@transaction.atomic
def domain_add(*, actor, agency, name: str, description: str) -> ImplementationDomain:
    if ImplementationDomain.objects.filter(agency=agency, name__iexact=name).exists():
        raise RuleViolation(f"There is already a domain called “{name}”.")
    position = ImplementationDomain.objects.filter(agency=agency).count() + 1
    domain = ImplementationDomain.objects.create(
        agency=agency, name=name, description=description, position=position
    )
    _audit(actor, "implementation.domain_added", domain, {"name": name})
    return domain


@transaction.atomic
def domain_set_active(*, actor, domain: ImplementationDomain, active: bool) -> None:
    domain = ImplementationDomain.objects.select_for_update().get(pk=domain.pk)
    domain.active = active
    domain.save(update_fields=["active", "updated_at"])
    _audit(actor, "implementation.domain_changed", domain, {"active": active})


@transaction.atomic
def course_add(*, actor, agency, name: str, level: str, days: int) -> Course:
    if Course.objects.filter(agency=agency, name__iexact=name).exists():
        raise RuleViolation(f"There is already a course called “{name}”.")
    course = Course.objects.create(agency=agency, name=name, level=level, days=days)
    _audit(actor, "implementation.course_added", course, {"name": name, "level": level})
    return course


@transaction.atomic
def course_set_active(*, actor, course: Course, active: bool) -> None:
    course = Course.objects.select_for_update().get(pk=course.pk)
    course.active = active
    course.save(update_fields=["active", "updated_at"])
    _audit(actor, "implementation.course_changed", course, {"active": active})


# Training and practice-lead roles --------------------------------------------------------------


@transaction.atomic
def training_record_add(
    *,
    actor,
    worker,
    course: Course,
    completed_on: datetime.date,
    expires_on: datetime.date | None = None,
) -> TrainingRecord:
    _same_agency(course, agency_id=actor.agency_id)
    if worker.agency_id != actor.agency_id:
        raise RuleViolation("That person works for another agency.")
    if expires_on is not None and expires_on <= completed_on:
        raise RuleViolation("The accreditation must expire after the course was completed.")
    if completed_on > timezone.localdate():
        raise RuleViolation("A course can only be recorded once it has been completed.")
    record = TrainingRecord.objects.create(
        agency_id=actor.agency_id,
        worker=worker,
        course=course,
        completed_on=completed_on,
        expires_on=expires_on,
        recorded_by=actor,
    )
    _audit(
        actor,
        "implementation.training_recorded",
        record,
        {"worker": worker.pk, "course": course.pk, "completed_on": completed_on},
    )
    return record


@transaction.atomic
def training_record_remove(*, actor, record: TrainingRecord) -> None:
    _same_agency(record, agency_id=actor.agency_id)
    changes = {"worker": record.worker_id, "course": record.course_id}
    _audit(actor, "implementation.training_removed", record, changes)
    record.delete()


@transaction.atomic
def practice_lead_role_add(
    *, actor, worker, started_on: datetime.date, ended_on: datetime.date | None = None
) -> PracticeLeadRole:
    if worker.agency_id != actor.agency_id:
        raise RuleViolation("That person works for another agency.")
    if ended_on is not None and ended_on < started_on:
        raise RuleViolation("The role cannot end before it starts.")
    role = PracticeLeadRole.objects.create(
        agency_id=actor.agency_id,
        worker=worker,
        started_on=started_on,
        ended_on=ended_on,
        recorded_by=actor,
    )
    _audit(
        actor,
        "implementation.practice_lead_role_added",
        role,
        {"worker": worker.pk, "started_on": started_on, "ended_on": ended_on},
    )
    return role


@transaction.atomic
def practice_lead_role_end(*, actor, role: PracticeLeadRole, ended_on: datetime.date) -> None:
    _same_agency(role, agency_id=actor.agency_id)
    role = PracticeLeadRole.objects.select_for_update().get(pk=role.pk)
    if role.ended_on is not None:
        raise RuleViolation("This role has already ended.")
    if ended_on < role.started_on:
        raise RuleViolation("The role cannot end before it starts.")
    role.ended_on = ended_on
    role.save(update_fields=["ended_on", "updated_at"])
    _audit(actor, "implementation.practice_lead_role_ended", role, {"ended_on": ended_on})


# Self-assessment rounds ------------------------------------------------------------------------


@transaction.atomic
def round_open(
    *, actor, agency, title: str, period_start: datetime.date, period_end: datetime.date
) -> AssessmentRound:
    if period_end < period_start:
        raise RuleViolation("The period must end on or after the day it starts.")
    if AssessmentRound.objects.filter(agency=agency, status=AssessmentRound.Status.OPEN).exists():
        raise RuleViolation("Close the open round before opening another.")
    defaults_ensure(actor=actor, agency=agency)
    try:
        with transaction.atomic():
            round_ = AssessmentRound.objects.create(
                agency=agency,
                title=title,
                period_start=period_start,
                period_end=period_end,
                opened_by=actor,
            )
    except IntegrityError as error:
        raise RuleViolation("There is already a round for a period starting that day.") from error
    _audit(
        actor,
        "implementation.round_opened",
        round_,
        {"title": title, "period_start": period_start, "period_end": period_end},
    )
    return round_


def _lock_open(round_: AssessmentRound) -> AssessmentRound:
    round_ = AssessmentRound.objects.select_for_update().get(pk=round_.pk)
    if not round_.is_open:
        raise RuleViolation("This round is closed, so its ratings and map can no longer change.")
    return round_


@transaction.atomic
def round_close(*, actor, round_: AssessmentRound, revision: int) -> AssessmentRound:
    round_ = _lock_open(round_)
    _check_revision(round_, revision, "round")
    if not round_.ratings.filter(submitted_at__isnull=False).exists():
        raise RuleViolation("Nobody has submitted ratings yet: a round needs at least one rater.")
    drafts = round_.ratings.filter(submitted_at__isnull=True)
    dropped = drafts.count()
    drafts.delete()  # unsubmitted drafts were never shared; the round is decided without them
    round_.status = AssessmentRound.Status.CLOSED
    round_.closed_by, round_.closed_at = actor, timezone.now()
    round_.revision += 1
    round_.save()
    _audit(actor, "implementation.round_closed", round_, {"unsubmitted_drafts_dropped": dropped})
    return round_


@transaction.atomic
def ratings_save(*, actor, round_: AssessmentRound, scores: dict, submit: bool) -> list[Rating]:
    """The rater's scores for the round: {domain: (score, evidence, reasons, revision)}.

    A revision of None means the rater had no rating for the domain when they opened the form.
    Once submitted, the rater's ratings are fixed (others may now have seen them)."""
    round_ = _lock_open(round_)
    mine = {
        r.domain_id: r for r in Rating.objects.select_for_update().filter(round=round_, rater=actor)
    }
    if any(r.submitted_at for r in mine.values()):
        raise RuleViolation("You have already submitted your ratings for this round.")
    domains = list(ImplementationDomain.objects.filter(agency=round_.agency_id, active=True))
    if submit and set(scores) != {d.pk for d in domains}:
        raise RuleViolation("Rate every domain before submitting.")
    saved, now = [], timezone.now() if submit else None
    for domain_id, (score, evidence, reasons, revision) in scores.items():
        if domain_id not in {d.pk for d in domains}:
            raise RuleViolation("That domain is not being rated.")
        if not 0 <= score <= 10:
            raise RuleViolation("Ratings are from 0 to 10.")
        rating = mine.get(domain_id)
        if rating is None:
            if revision is not None:
                raise ConflictError("Your rating was removed in another window.", current=None)
            rating = Rating(
                agency_id=round_.agency_id, round=round_, domain_id=domain_id, rater=actor
            )
        else:
            if revision is None or rating.revision != revision:
                raise ConflictError(
                    "You changed these ratings in another window after opening this one. The "
                    "saved version is shown; your numbers are kept in the form.",
                    current=rating,
                )
            rating.revision += 1
        rating.score, rating.evidence, rating.reasons = score, evidence, reasons
        rating.submitted_at = now
        rating.save()
        saved.append(rating)
    if submit:
        # A domain dropped since the rater started it is not part of what they submit.
        Rating.objects.filter(round=round_, rater=actor, submitted_at__isnull=True).delete()
    _audit(
        actor,
        "implementation.ratings_submitted" if submit else "implementation.ratings_saved",
        round_,
        {"scores": {str(k): v[0] for k, v in scores.items()}},
    )
    return saved


@transaction.atomic
def round_note_add(
    *, actor, round_: AssessmentRound, kind: str, text: str, domain=None
) -> RoundNote:
    round_ = _lock_open(round_)
    _same_agency(domain, agency_id=round_.agency_id)
    note = RoundNote.objects.create(
        agency_id=round_.agency_id, round=round_, kind=kind, text=text, domain=domain, author=actor
    )
    _audit(actor, "implementation.map_note_added", note, {"kind": kind, "round": round_.pk})
    return note


# The implementation plan -----------------------------------------------------------------------


@transaction.atomic
def action_add(
    *, actor, agency, action: str, owner, due_on: datetime.date, domain=None, raised_in=None
) -> ImplementationAction:
    _same_agency(domain, raised_in, agency_id=agency.pk)
    if owner.agency_id != agency.pk:
        raise RuleViolation("The owner must work for this agency.")
    record = ImplementationAction.objects.create(
        agency=agency,
        action=action,
        owner=owner,
        due_on=due_on,
        domain=domain,
        raised_in=raised_in,
        created_by=actor,
    )
    _audit(
        actor,
        "implementation.action_added",
        record,
        {"owner": owner.pk, "due_on": due_on, "domain": getattr(domain, "pk", None)},
    )
    return record


@transaction.atomic
def action_update(
    *, actor, plan_action: ImplementationAction, revision: int, **values
) -> ImplementationAction:
    """Change an action: text, owner, due date, status, domain, or its review against a round."""
    action = ImplementationAction.objects.select_for_update().get(pk=plan_action.pk)
    _check_revision(action, revision, "action")
    _same_agency(values.get("domain"), values.get("reviewed_in"), agency_id=action.agency_id)
    owner = values.get("owner")
    if owner is not None and owner.agency_id != action.agency_id:
        raise RuleViolation("The owner must work for this agency.")
    if values.get("reviewed_in") is not None and not values.get("review_note", "").strip():
        raise RuleViolation("Say what the review found.")
    changes = field_changes(action, values)
    for name, value in values.items():
        setattr(action, name, value)
    action.revision += 1
    action.save()
    _audit(actor, "implementation.action_changed", action, changes)
    return action
