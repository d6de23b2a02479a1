"""Every write to rubrics, samples, audits and moderations. Each function is atomic, checks who
may do it, refuses a save over someone else's change (optimistic revisions) and writes its audit
event (an audit of a case is logged against that case, so it shows in the case's access report).
"""

import calendar
import datetime
import random
import secrets

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from agencies.models import Role, Team
from audits.models import (
    AuditAnswer,
    AuditQuestion,
    AuditRubric,
    AuditSample,
    AuditSampleCase,
    CaseAudit,
    Grade,
    Moderation,
    Scale,
)
from core.audit import audit_record, field_changes
from core.errors import ConflictError, RuleViolation
from people.access import case_visibility_filter
from people.models import Allocation, Case

AUDITORS = {Role.PRACTICE_LEAD, Role.TEAM_MANAGER}
MODERATORS = {Role.PRACTICE_LEAD, Role.SENIOR_LEADER}
RUBRIC_KEEPERS = {Role.PRACTICE_LEAD}


def sample_size() -> int:
    return max(1, int(getattr(settings, "THREEFOLD_AUDITS_SAMPLE_SIZE", 2)))


def exclude_months() -> int:
    return max(0, int(getattr(settings, "THREEFOLD_AUDITS_EXCLUDE_MONTHS", 6)))


def _check_revision(record, expected: int, what: str):
    if record.revision != expected:
        raise ConflictError(
            f"Someone else saved this {what} after you opened it. What they saved is shown; "
            "your entries have been kept in the form so you can compare and save again.",
            current=record,
        )


def _require_role(actor, roles, message: str):
    if not (actor.is_authenticated and actor.agency_id and actor.role in roles):
        raise RuleViolation(message)


# Rubrics ------------------------------------------------------------------------------------


def _rubric_audit(actor, verb, rubric, changes=None):
    audit_record(actor=actor, verb=verb, target=rubric, changes=changes or {})


@transaction.atomic
def rubric_create(*, actor, name: str) -> AuditRubric:
    """A new rubric (version 1). The agency's first rubric is put in use straight away."""
    _require_role(actor, RUBRIC_KEEPERS, "Only practice leads keep the audit rubrics.")
    name = name.strip()
    if AuditRubric.objects.filter(agency_id=actor.agency_id, name__iexact=name).exists():
        raise RuleViolation(f"There is already a rubric called {name}.")
    in_use = AuditRubric.objects.filter(agency_id=actor.agency_id, active=True).exists()
    rubric = AuditRubric.objects.create(
        agency_id=actor.agency_id, name=name, active=not in_use, created_by=actor
    )
    _rubric_audit(actor, "audits.rubric_created", rubric, {"name": name})
    return rubric


@transaction.atomic
def rubric_activate(*, actor, rubric: AuditRubric) -> AuditRubric:
    """Use this rubric version for new audits (audits already started keep theirs)."""
    _require_role(actor, RUBRIC_KEEPERS, "Only practice leads keep the audit rubrics.")
    rubric = AuditRubric.objects.select_for_update().get(pk=rubric.pk, agency_id=actor.agency_id)
    if not rubric.questions.exists():
        raise RuleViolation("Add at least one question before using this rubric.")
    AuditRubric.objects.filter(agency_id=rubric.agency_id, active=True).update(active=False)
    rubric.active = True
    rubric.save(update_fields=["active"])
    _rubric_audit(actor, "audits.rubric_activated", rubric)
    return rubric


def _editable(actor, rubric: AuditRubric, expected_revision: int) -> AuditRubric:
    """The version to change: this one if no audit has used it, else a new version copying its
    questions, which takes its place (in use if it was). `copied` maps each old question's id
    to its copy."""
    _require_role(actor, RUBRIC_KEEPERS, "Only practice leads keep the audit rubrics.")
    rubric = AuditRubric.objects.select_for_update().get(pk=rubric.pk, agency_id=actor.agency_id)
    _check_revision(rubric, expected_revision, "rubric")
    if AuditRubric.objects.filter(previous=rubric).exists():
        raise RuleViolation("A newer version of this rubric exists: change that one instead.")
    if not rubric.audits.exists():
        rubric.copied = {}
        rubric.revision += 1
        rubric.save(update_fields=["revision"])
        return rubric
    was_active = rubric.active
    if was_active:
        rubric.active = False
        rubric.save(update_fields=["active"])
    latest = AuditRubric.objects.filter(agency_id=rubric.agency_id, name=rubric.name).aggregate(
        v=Max("version")
    )["v"]
    successor = AuditRubric.objects.create(
        agency_id=rubric.agency_id,
        name=rubric.name,
        version=latest + 1,
        active=was_active,
        previous=rubric,
        created_by=actor,
    )
    successor.copied = {}
    for question in rubric.questions.all():
        source = question.pk
        question.pk, question.rubric = None, successor
        question.save()
        successor.copied[source] = question
    _rubric_audit(actor, "audits.rubric_versioned", successor, {"from_version": rubric.version})
    return successor


def _question_values(area, text, guidance, scale, order) -> dict:
    if scale not in Scale.values:
        raise RuleViolation("Choose a scale for the question.")
    return {
        "area": area.strip(),
        "text": text.strip(),
        "guidance": guidance.strip(),
        "scale": scale,
        "order": order,
    }


@transaction.atomic
def rubric_question_add(
    *,
    actor,
    rubric,
    expected_revision: int,
    area,
    text,
    guidance="",
    scale=Scale.GRADES,
    order=None,
) -> AuditQuestion:
    rubric = _editable(actor, rubric, expected_revision)
    if order is None:
        order = (rubric.questions.aggregate(n=Max("order"))["n"] or 0) + 1
    question = AuditQuestion.objects.create(
        agency_id=rubric.agency_id,
        rubric=rubric,
        **_question_values(area, text, guidance, scale, order),
    )
    _rubric_audit(actor, "audits.question_added", rubric, {"text": question.text})
    return question


@transaction.atomic
def rubric_question_change(
    *, actor, question: AuditQuestion, expected_revision: int, area, text, guidance, scale, order
) -> AuditQuestion:
    """Change a question; on a rubric already used this changes it in the new version."""
    rubric = _editable(actor, question.rubric, expected_revision)
    question = rubric.copied.get(question.pk, question)
    values = _question_values(area, text, guidance, scale, order)
    changes = field_changes(question, values)
    for name, value in values.items():
        setattr(question, name, value)
    question.save()
    _rubric_audit(actor, "audits.question_changed", rubric, changes)
    return question


@transaction.atomic
def rubric_question_remove(*, actor, question: AuditQuestion, expected_revision: int):
    rubric = _editable(actor, question.rubric, expected_revision)
    question = rubric.copied.get(question.pk, question)
    text = question.text
    question.delete()
    _rubric_audit(actor, "audits.question_removed", rubric, {"text": text})
    return rubric


# Sampling -----------------------------------------------------------------------------------


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def month_last(day: datetime.date) -> datetime.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def months_before(day: datetime.date, months: int) -> datetime.date:
    """The first of the month `months` before `day`'s month."""
    index = day.year * 12 + day.month - 1 - months
    return datetime.date(index // 12, index % 12 + 1, 1)


def draw(eligible_ids: list[int], *, seed: int, size: int) -> list[int]:
    """The cases drawn: the same eligible cases, seed and size always give the same draw."""
    return random.Random(seed).sample(sorted(eligible_ids), min(size, len(eligible_ids)))


def eligible_cases(*, team: Team, month: datetime.date, months_excluded: int, today):
    """Open cases in the team at the month's end (or today, in this month) that are not
    restricted and not audited in the months before, nor already this month."""
    on = min(month_last(month), today)
    audited = CaseAudit.objects.filter(
        started_on__gte=months_before(month, months_excluded), started_on__lte=on
    ).values("case_id")
    return (
        Case.objects.filter(
            agency_id=team.agency_id,
            team=team,
            deleted_at__isnull=True,
            is_restricted=False,
            opened_on__lte=on,
        )
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gt=on))
        .exclude(pk__in=audited)
        .order_by("pk")
    )


def may_draw_for(actor, team: Team) -> bool:
    if not (actor.is_authenticated and actor.agency_id == team.agency_id):
        return False
    return actor.role == Role.PRACTICE_LEAD or (
        actor.role == Role.TEAM_MANAGER and actor.team_id == team.pk
    )


@transaction.atomic
def sample_draw(
    *,
    actor,
    team: Team,
    month: datetime.date,
    size: int | None = None,
    months_excluded: int | None = None,
    seed: int | None = None,
    today: datetime.date | None = None,
) -> AuditSample:
    """Draw this month's random sample of cases for the team, once."""
    if not may_draw_for(actor, team):
        raise RuleViolation("Only practice leads and the team's manager draw its sample.")
    today = today or timezone.localdate()
    month = month_start(month)
    if month > today:
        raise RuleViolation("A sample can only be drawn for this month or an earlier one.")
    Team.objects.select_for_update().get(pk=team.pk)
    if AuditSample.objects.filter(team=team, month=month).exists():
        raise RuleViolation(f"{team.name}'s sample for {month:%B %Y} has already been drawn.")
    size = sample_size() if size is None else size
    months_excluded = exclude_months() if months_excluded is None else months_excluded
    seed = secrets.randbits(48) if seed is None else seed
    eligible = list(
        eligible_cases(
            team=team, month=month, months_excluded=months_excluded, today=today
        ).values_list("pk", flat=True)
    )
    sample = AuditSample.objects.create(
        agency_id=team.agency_id,
        team=team,
        month=month,
        size=size,
        seed=seed,
        exclude_months=months_excluded,
        eligible_case_ids=eligible,
        drawn_by=actor,
    )
    chosen = draw(eligible, seed=seed, size=size)
    on = min(month_last(month), today)
    workers = dict(
        Allocation.objects.filter(case_id__in=chosen, started_on__lte=on)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=on))
        .order_by("started_on", "pk")
        .values_list("case_id", "worker_id")
    )
    AuditSampleCase.objects.bulk_create(
        AuditSampleCase(
            agency_id=team.agency_id,
            sample=sample,
            case_id=case_id,
            position=position,
            worker_id=workers.get(case_id),
        )
        for position, case_id in enumerate(chosen, start=1)
    )
    audit_record(
        actor=actor,
        verb="audits.sample_drawn",
        target=sample,
        changes={
            "team": team.name,
            "month": f"{month:%Y-%m}",
            "seed": seed,
            "eligible": len(eligible),
            "drawn": len(chosen),
        },
    )
    return sample


def sample_verify(sample: AuditSample) -> bool:
    """Whether the recorded seed repeats the recorded draw exactly."""
    recorded = list(sample.drawn.order_by("position").values_list("case_id", flat=True))
    return draw(sample.eligible_case_ids, seed=sample.seed, size=sample.size) == recorded


# Audits -------------------------------------------------------------------------------------


def _case_audit(actor, verb, audit: CaseAudit, changes=None):
    audit_record(
        actor=actor,
        verb=verb,
        target=audit,
        agency_id=audit.agency_id,
        case_id=audit.case_id,
        changes=changes or {},
    )


def current_worker_id(case_id: int, on: datetime.date):
    """The worker allocated to the case at the end of `on`, if any."""
    return (
        Allocation.objects.filter(case_id=case_id, started_on__lte=on)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=on))
        .order_by("-started_on", "-pk")
        .values_list("worker_id", flat=True)
        .first()
    )


@transaction.atomic
def audit_start(
    *, actor, case: Case, sample: AuditSample | None = None, on: datetime.date | None = None
) -> CaseAudit:
    """Start an audit of the case with the rubric in use, with the worker who holds it."""
    _require_role(actor, AUDITORS, "Only practice leads and team managers audit cases.")
    on = on or timezone.localdate()
    case = (
        Case.objects.select_for_update(of=("self",))
        .filter(case_visibility_filter(actor), pk=case.pk)
        .first()
    )
    if case is None:
        raise RuleViolation("You cannot open this case, so you cannot audit it.")
    worker_id = current_worker_id(case.pk, on)
    if worker_id == actor.pk:
        raise RuleViolation("You hold this case: someone else must audit it.")
    if case.audits.filter(status=CaseAudit.Status.IN_PROGRESS).exists():
        raise RuleViolation("This case already has an audit in progress: continue that one.")
    rubric = AuditRubric.objects.filter(agency_id=case.agency_id, active=True).first()
    if rubric is None or not rubric.questions.exists():
        raise RuleViolation("There is no rubric in use yet: a practice lead sets one up first.")
    if sample is not None and not sample.drawn.filter(case=case).exists():
        raise RuleViolation("This case was not drawn in that sample.")
    audit = CaseAudit.objects.create(
        agency_id=case.agency_id,
        case=case,
        rubric=rubric,
        sample=sample,
        auditor=actor,
        worker_id=worker_id,
        started_on=on,
    )
    AuditAnswer.objects.bulk_create(
        AuditAnswer(agency_id=case.agency_id, audit=audit, question=q)
        for q in rubric.questions.all()
    )
    _case_audit(actor, "audits.audit_started", audit, {"rubric": str(rubric)})
    return audit


def _lock(audit: CaseAudit) -> CaseAudit:
    return CaseAudit.objects.select_for_update().get(pk=audit.pk)


def _valid_score(answer: AuditAnswer, score):
    if score is None:
        return None
    if not answer.question.low <= score <= answer.question.high:
        raise RuleViolation(
            f"A score for “{answer.question.text}” must be from {answer.question.low} to "
            f"{answer.question.high}."
        )
    return score


@transaction.atomic
def audit_save(
    *,
    actor,
    audit: CaseAudit,
    expected_revision: int,
    answers: dict,
    summary: dict,
) -> CaseAudit:
    """Save what this person may write: the auditor the scores, evidence, grade and whether the
    worker was there; the worker their comment on each answer and their reflections; either of
    them the learning agreed together. answers: {answer id: {field: value}}."""
    audit = _lock(audit)
    _check_revision(audit, expected_revision, "audit")
    is_auditor, is_worker = actor.pk == audit.auditor_id, actor.pk == audit.worker_id
    if audit.status == CaseAudit.Status.MODERATED or not (is_auditor or is_worker):
        raise RuleViolation("You cannot change this audit.")
    if is_auditor and not audit.is_open:
        raise RuleViolation("This audit is completed: only the worker's reflections can be added.")
    fields = set()
    if is_auditor:
        fields |= {"score", "evidence"}
    if is_worker:
        fields |= {"worker_comment"}
    changed = {}
    for answer in audit.answers.select_related("question"):
        values = {k: v for k, v in answers.get(answer.pk, {}).items() if k in fields}
        if "score" in values:
            values["score"] = _valid_score(answer, values["score"])
        diff = field_changes(answer, values)
        if diff:
            for name, value in values.items():
                setattr(answer, name, value)
            answer.save(update_fields=list(values))
            changed[f"answer {answer.question.order}"] = diff
    allowed = set()
    if audit.is_open:
        allowed |= {"working_well", "worries", "next_steps"}
        if is_auditor:
            allowed |= {"grade", "worker_present"}
    if is_worker:
        allowed |= {"worker_reflections"}
    values = {k: v for k, v in summary.items() if k in allowed}
    changed |= field_changes(audit, values)
    for name, value in values.items():
        setattr(audit, name, value)
    audit.revision += 1
    audit.save()
    _case_audit(actor, "audits.audit_saved", audit, changed)
    return audit


@transaction.atomic
def audit_complete(
    *, actor, audit: CaseAudit, expected_revision: int, on: datetime.date | None = None
) -> CaseAudit:
    audit = _lock(audit)
    _check_revision(audit, expected_revision, "audit")
    if actor.pk != audit.auditor_id:
        raise RuleViolation("Only the auditor completes the audit.")
    if not audit.is_open:
        raise RuleViolation("This audit is already completed.")
    missing = [a.question.text for a in audit.answers.select_related("question") if a.score is None]
    problems = []
    if missing:
        problems.append(f"Score every question ({len(missing)} not scored yet).")
    if audit.grade is None:
        problems.append("Give the overall grade.")
    if not audit.next_steps.strip():
        problems.append("Write what needs to happen, agreed with the worker.")
    if problems:
        raise RuleViolation(" ".join(problems))
    audit.status = CaseAudit.Status.COMPLETED
    audit.completed_on = on or timezone.localdate()
    audit.counted_grade = audit.grade
    audit.revision += 1
    audit.save()
    _case_audit(actor, "audits.audit_completed", audit, {"grade": Grade(audit.grade).label})
    return audit


def may_moderate(actor, audit: CaseAudit) -> bool:
    """A practice lead or senior leader who neither did the audit nor is audited in it."""
    return bool(
        actor.is_authenticated
        and actor.agency_id == audit.agency_id
        and actor.role in MODERATORS
        and actor.pk not in {audit.auditor_id, audit.worker_id}
    )


@transaction.atomic
def moderation_record(
    *, actor, audit: CaseAudit, grade: int, reason: str = "", on: datetime.date | None = None
) -> Moderation:
    """A second auditor agrees the grade or changes it (with a reason): theirs then counts."""
    audit = _lock(audit)
    if not may_moderate(actor, audit):
        raise RuleViolation("You cannot moderate an audit you did or that is of your own work.")
    if audit.status != CaseAudit.Status.COMPLETED:
        raise RuleViolation("Only a completed audit that has not been moderated can be moderated.")
    if grade not in Grade.values:
        raise RuleViolation("Choose the grade.")
    agreed = grade == audit.grade
    if not agreed and not reason.strip():
        raise RuleViolation("Say why the grade is changed.")
    moderation = Moderation.objects.create(
        agency_id=audit.agency_id,
        audit=audit,
        moderator=actor,
        moderated_on=on or timezone.localdate(),
        grade=grade,
        agreed=agreed,
        reason=reason.strip(),
    )
    audit.status = CaseAudit.Status.MODERATED
    audit.counted_grade = grade
    audit.revision += 1
    audit.save()
    _case_audit(
        actor,
        "audits.audit_moderated",
        audit,
        {"agreed": agreed, "from": Grade(audit.grade).label, "to": Grade(grade).label},
    )
    return moderation
