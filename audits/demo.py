"""Case audit for the synthetic agency: a default rubric, and thirteen months of monthly samples
with their audits, most completed and some moderated, whose grades improve over the year.

Each month two open cases are drawn for each team the way the samples page draws them (from a
recorded seed, leaving out cases audited in the six months before); the practice lead and the
team's manager take turns to audit them with the worker who holds the case. About one in three
completed audits is moderated, by a senior leader or the practice lead (never by its auditor),
and about one in five moderations changes the grade. The current month's audits are still in
progress. Rows are written with bulk inserts, like the rest of the generator: seed data has no
audit trail. Deterministic for a given agency and `today`; it draws from its own random stream,
so the rest of the demo is unchanged."""

from __future__ import annotations

import datetime
import random

from agencies.models import Agency, Role, Team, User
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
from audits.services import current_worker_id, draw, eligible_cases, month_last, months_before

MONTHS = 13
PER_TEAM = 2
EXCLUDE_MONTHS = 6

# The default rubric, in the practice's own words. The areas follow the Signs of Safety practice
# framework (Turnell and Edwards): the map and its analysis, the child's voice, the safety plan
# and the network; the wording of each question is Threefold's own.
DEFAULT_QUESTIONS = [
    (
        "Map and analysis",
        "Do the danger statements say who is worried, about what, and what could happen to "
        "the child, in words the family understands?",
        "Outstanding: every statement is specific and the family helped write it. Inadequate: "
        "no danger statement, or jargon the family could not repeat.",
        Scale.GRADES,
    ),
    (
        "Map and analysis",
        "Does the map separate harm, danger, complicating factors, existing strengths and "
        "existing safety?",
        "Look for past harm described as behaviour, and safety that has been seen over time.",
        Scale.GRADES,
    ),
    (
        "Map and analysis",
        "How well do the scaling judgements show everyone's view, including the family's?",
        "0: no scaling. 10: scaled by the family, the network and professionals, with reasons.",
        Scale.TEN,
    ),
    (
        "Child's voice",
        "Is the child's own view, in their words, in the record and in the plan?",
        "Three Houses, Fairy/Wizard or Safety House work, used in the map and the plan.",
        Scale.GRADES,
    ),
    (
        "Child's voice",
        "Has the child had an explanation they can understand (Words and Pictures)?",
        "Outstanding: written with the parents and shared with the child and the network.",
        Scale.GRADES,
    ),
    (
        "Safety planning",
        "Do the safety goals say what will be seen, by whom, and for how long?",
        "Goals describe behaviour that keeps the child safe, not services attended.",
        Scale.GRADES,
    ),
    (
        "Safety planning",
        "Is there a safety plan the family and network agreed, with rules the child knows?",
        "0: no plan. 10: agreed plan, reviewed on time, rules in the child's words.",
        Scale.TEN,
    ),
    (
        "Network",
        "Is there a safety network who know the worries and have a part in the plan?",
        "Outstanding: several people told the worries, each with a role in the rules.",
        Scale.GRADES,
    ),
]

EVIDENCE = {
    "low": [
        "Not found in the record.",
        "Mentioned in a case note only; not in the map.",
        "Professional language; the family could not say it back.",
    ],
    "mid": [
        "In the latest map, though it could be more specific.",
        "Done once at the start; not updated since.",
        "Partly there: the worker described more in the audit conversation.",
    ],
    "high": [
        "Clear in the map and the plan, in the family's words.",
        "Updated at every review and shared with the network.",
        "The child's drawing is in the plan and the network refers to it.",
    ],
}
LEARNING = {
    "working_well": [
        "Strong relationship with mum; she helped write the danger statement.",
        "The network has grown and grandparents are in the plan.",
        "The child's Three Houses is used in the plan's rules.",
        "Scaling is done at every meeting, with the family first.",
    ],
    "worries": [
        "Dad's voice is missing from the map.",
        "The safety goals describe services, not safety.",
        "No Words and Pictures yet; the child is confused about why we are involved.",
        "The plan has not been reviewed since the conference.",
    ],
    "next_steps": [
        "Meet dad before the review and add his view to the map (worker, in two weeks).",
        "Rewrite the safety goals with the family at the next visit.",
        "Start Words and Pictures with the parents this month.",
        "Book the plan review and invite the network (manager to check).",
    ],
    "worker_reflections": [
        "Talking it through helped me see the gaps in the goals.",
        "I agree about dad; it has been hard to reach him.",
        "Useful to hear what is working well.",
        "",
    ],
}


def _grade(rng: random.Random, progress: float) -> int:
    """Grades improve over the year: good or better in about 35% at first, 75% by the end."""
    good = 0.35 + 0.4 * progress
    roll = rng.random()
    if roll < good * 0.25:
        return Grade.OUTSTANDING
    if roll < good:
        return Grade.GOOD
    if roll < good + (1 - good) * 0.7:
        return Grade.REQUIRES_IMPROVEMENT
    return Grade.INADEQUATE


def _score(rng: random.Random, question: AuditQuestion, grade: int) -> int:
    if question.scale == Scale.TEN:
        return max(0, min(10, round(grade * 2.5 - 1 + rng.uniform(-2, 2))))
    return max(1, min(4, grade + rng.choice([-1, 0, 0, 0, 1])))


def default_rubric(*, agency: Agency, created_by: User | None) -> AuditRubric:
    rubric = AuditRubric.objects.create(
        agency=agency, name="Signs of Safety practice audit", active=True, created_by=created_by
    )
    AuditQuestion.objects.bulk_create(
        AuditQuestion(
            agency=agency,
            rubric=rubric,
            order=order,
            area=area,
            text=text,
            guidance=guidance,
            scale=scale,
        )
        for order, (area, text, guidance, scale) in enumerate(DEFAULT_QUESTIONS, start=1)
    )
    return rubric


def add_audits(*, agency: Agency, rng: random.Random, today: datetime.date) -> dict:
    """The rubric, samples and audits; returns counts. `rng` is not drawn from."""
    own = random.Random("audits")
    staff = User.objects.filter(agency=agency)
    lead = staff.filter(role=Role.PRACTICE_LEAD).order_by("pk").first()
    leader = staff.filter(role=Role.SENIOR_LEADER).order_by("pk").first()
    if lead is None or leader is None:
        return {"samples": 0, "audits": 0}
    managers = {u.team_id: u for u in staff.filter(role=Role.TEAM_MANAGER).order_by("pk")}
    rubric = default_rubric(agency=agency, created_by=lead)
    questions = list(rubric.questions.all())
    teams = list(Team.objects.filter(agency=agency).order_by("pk"))
    counts = {"samples": 0, "audits": 0}
    this_month = today.replace(day=1)
    for back in range(MONTHS - 1, -1, -1):
        month = months_before(this_month, back)
        progress = (MONTHS - 1 - back) / (MONTHS - 1)
        for team in teams:
            counts["samples"] += 1
            counts["audits"] += _month_for_team(
                own,
                agency,
                team,
                month,
                today,
                rubric,
                questions,
                progress,
                auditors=[lead, managers.get(team.pk) or lead],
                moderators={lead.pk: leader, None: lead},
            )
    return counts


def _month_for_team(
    rng, agency, team, month, today, rubric, questions, progress, *, auditors, moderators
) -> int:
    eligible = list(
        eligible_cases(
            team=team, month=month, months_excluded=EXCLUDE_MONTHS, today=today
        ).values_list("pk", flat=True)
    )
    seed = rng.getrandbits(48)
    sample = AuditSample.objects.create(
        agency=agency,
        team=team,
        month=month,
        size=PER_TEAM,
        seed=seed,
        exclude_months=EXCLUDE_MONTHS,
        eligible_case_ids=eligible,
        drawn_by=auditors[0],
    )
    made = 0
    last_day = min(month_last(month), today)
    for position, case_id in enumerate(draw(eligible, seed=seed, size=PER_TEAM), start=1):
        auditor = auditors[(position + month.month) % 2]
        on = month + datetime.timedelta(days=rng.randint(2, max(2, (last_day - month).days)))
        on = min(on, last_day)
        worker_id = current_worker_id(case_id, on)
        AuditSampleCase.objects.create(
            agency=agency, sample=sample, case_id=case_id, position=position, worker_id=worker_id
        )
        if worker_id == auditor.pk:
            continue
        _audit(
            rng,
            agency,
            sample,
            case_id,
            worker_id,
            auditor,
            on,
            today,
            rubric,
            questions,
            progress,
            moderators,
        )
        made += 1
    return made


def _audit(
    rng,
    agency,
    sample,
    case_id,
    worker_id,
    auditor,
    on,
    today,
    rubric,
    questions,
    progress,
    moderators,
):
    in_progress = on.year == today.year and on.month == today.month and rng.random() < 0.6
    grade = _grade(rng, progress)
    audit = CaseAudit.objects.create(
        agency=agency,
        case_id=case_id,
        rubric=rubric,
        sample=sample,
        auditor=auditor,
        worker_id=worker_id,
        worker_present=worker_id is not None and rng.random() < 0.85,
        status=CaseAudit.Status.IN_PROGRESS if in_progress else CaseAudit.Status.COMPLETED,
        started_on=on,
        completed_on=None if in_progress else on,
        grade=None if in_progress else grade,
        counted_grade=None if in_progress else grade,
        working_well=rng.choice(LEARNING["working_well"]),
        worries=rng.choice(LEARNING["worries"]),
        next_steps="" if in_progress else rng.choice(LEARNING["next_steps"]),
        worker_reflections="" if in_progress else rng.choice(LEARNING["worker_reflections"]),
    )
    answers = []
    for index, question in enumerate(questions):
        scored = not in_progress or index < len(questions) // 2
        score = _score(rng, question, grade) if scored else None
        band = "low" if grade <= 1 else "mid" if grade == 2 else "high"
        answers.append(
            AuditAnswer(
                agency=agency,
                audit=audit,
                question=question,
                score=score,
                evidence=rng.choice(EVIDENCE[band]) if scored else "",
            )
        )
    AuditAnswer.objects.bulk_create(answers)
    if in_progress or rng.random() > 0.35:
        return
    moderator = moderators.get(auditor.pk) or moderators[None]
    if moderator.pk == worker_id:
        return
    changed = rng.random() < 0.2
    moderated = max(1, min(4, grade + rng.choice([-1, 1]))) if changed else grade
    Moderation.objects.create(
        agency=agency,
        audit=audit,
        moderator=moderator,
        moderated_on=min(on + datetime.timedelta(days=rng.randint(3, 20)), today),
        grade=moderated,
        agreed=moderated == grade,
        reason="" if moderated == grade else "The evidence in the map supports a different grade.",
    )
    audit.status, audit.counted_grade = CaseAudit.Status.MODERATED, moderated
    audit.save(update_fields=["status", "counted_grade"])
