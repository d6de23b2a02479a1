"""Reads for case audit, each scoped to what the viewer may see (deny by default).

- An audit is seen only by someone who may open its case (people/access.py: so an audit of a
  restricted case is out of reach of everyone off its access list), and then by its auditor, the
  worker audited, the case's team manager, practice leads and senior leaders.
- Samples: practice leads (every team) and team managers (their own team).
- Moderation: practice leads and senior leaders.
- Results: practice leads, senior leaders and performance analysts (the agency) and team managers
  (their team), counting only audits of cases they may open.
"""

import datetime

from django.db.models import (
    Avg,
    Case,
    Count,
    ExpressionWrapper,
    F,
    FloatField,
    Prefetch,
    Q,
    When,
)
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.utils import timezone

from agencies.models import Role, Team
from audits.models import (
    GOOD_OR_BETTER,
    AuditAnswer,
    AuditRubric,
    AuditSample,
    AuditSampleCase,
    CaseAudit,
    Grade,
    Scale,
)
from audits.services import AUDITORS, MODERATORS, current_worker_id, months_before
from people.access import case_visibility_filter, noted_may_open
from people.models import Case as CaseRecord

AUDIT_READERS = {Role.PRACTICE_LEAD, Role.SENIOR_LEADER}
RESULTS_READERS = {
    Role.PRACTICE_LEAD,
    Role.SENIOR_LEADER,
    Role.PERFORMANCE_ANALYST,
    Role.TEAM_MANAGER,
}
DONE = [CaseAudit.Status.COMPLETED, CaseAudit.Status.MODERATED]


def _in_agency(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.agency_id)


def visible_cases(user):
    return CaseRecord.objects.filter(case_visibility_filter(user)).values("pk")


def _audits_of_theirs(user) -> Q:
    """Audits this person takes part in or oversees, of cases in their agency; the case's own
    visibility is checked separately."""
    if not _in_agency(user):
        return Q(pk__in=[])
    who = Q(auditor=user) | Q(worker=user)
    if user.role in AUDIT_READERS:
        who = Q(pk__isnull=False)
    elif user.role == Role.TEAM_MANAGER and user.team_id:
        who |= Q(case__team_id=user.team_id)
    return Q(agency_id=user.agency_id) & who


def audits_visible_to(user):
    return (
        CaseAudit.objects.filter(_audits_of_theirs(user), case__in=visible_cases(user))
        .select_related("case__team", "auditor", "worker", "rubric", "moderation__moderator")
        .order_by("-started_on", "-pk")
    )


def audit_get_visible(user, *, audit_id: int) -> CaseAudit:
    """The audit, if this user may see it; otherwise 404, so a restricted case stays hidden."""
    audit = audits_visible_to(user).filter(pk=audit_id).first()
    if audit is None:
        raise Http404("No audit found.")
    return audit


def audit_answers(audit: CaseAudit) -> list[AuditAnswer]:
    return list(audit.answers.select_related("question").order_by("question__order", "pk"))


def audits_for_case(user, case) -> list[CaseAudit]:
    """The audits of one case the user may see (for the case page). The case's visibility is
    checked for that case alone, not by reading the agency's whole visible caseload, and not
    again for a case the page has already opened for this person."""
    audits = CaseAudit.objects.filter(_audits_of_theirs(user), case=case)
    if not noted_may_open(user, case):
        audits = audits.filter(case__in=visible_cases(user).filter(pk=case.pk))
    return list(audits.select_related("auditor").order_by("-started_on", "-pk"))


def may_start_audit(user, case, case_audits: list[CaseAudit]) -> bool:
    """Whether the case page offers this person an audit of the case: the rules
    `services.audit_start` keeps (an auditor, not the worker holding the case, no audit of it
    already in progress), read from the audits the page has already loaded."""
    return (
        user.role in AUDITORS
        and case.status == CaseRecord.Status.OPEN
        and current_worker_id(case.pk, timezone.localdate()) != user.pk
        and not any(a.status == CaseAudit.Status.IN_PROGRESS for a in case_audits)
    )


def my_audits(user) -> dict:
    audits = audits_visible_to(user)
    return {
        "auditing": list(audits.filter(auditor=user)[:100]),
        "audited": list(audits.filter(worker=user)[:100]),
    }


def nav(user) -> dict:
    return {
        "sample": may_sample(user),
        "moderate": may_moderate_any(user),
        "results": may_see_results(user),
        "rubrics": may_keep_rubrics(user),
    }


# Rubrics ------------------------------------------------------------------------------------


def may_keep_rubrics(user) -> bool:
    return _in_agency(user) and user.role == Role.PRACTICE_LEAD


def rubrics(user) -> list[AuditRubric]:
    return list(
        AuditRubric.objects.filter(agency_id=user.agency_id)
        .annotate(n_questions=Count("questions", distinct=True), n_audits=Count("audits"))
        .order_by("name", "-version")
    )


def rubric_get(user, *, rubric_id: int) -> AuditRubric:
    rubric = (
        AuditRubric.objects.filter(agency_id=user.agency_id, pk=rubric_id)
        .select_related("previous")
        .prefetch_related("questions")
        .first()
    )
    if rubric is None:
        raise Http404("No rubric found.")
    return rubric


# Samples ------------------------------------------------------------------------------------


def may_sample(user) -> bool:
    if not _in_agency(user):
        return False
    return user.role == Role.PRACTICE_LEAD or (user.role == Role.TEAM_MANAGER and user.team_id)


def sample_teams(user):
    teams = Team.objects.filter(agency_id=user.agency_id).order_by("name")
    if user.role == Role.TEAM_MANAGER:
        teams = teams.filter(pk=user.team_id)
    return teams


def samples_for_month(user, month: datetime.date) -> list[dict]:
    """Each team's sample for the month with its progress; cases the viewer may not open are
    counted but not named."""
    teams = list(sample_teams(user))
    visible = set(
        CaseRecord.objects.filter(case_visibility_filter(user)).values_list("pk", flat=True)
    )
    drawn = AuditSampleCase.objects.select_related("case", "worker").order_by("position")
    audits = CaseAudit.objects.select_related("auditor").order_by("-pk")
    samples = {
        s.team_id: s
        for s in AuditSample.objects.filter(agency_id=user.agency_id, month=month, team__in=teams)
        .select_related("drawn_by")
        .prefetch_related(Prefetch("drawn", queryset=drawn), Prefetch("audits", queryset=audits))
    }
    result = []
    for team in teams:
        sample = samples.get(team.pk)
        rows, done = [], 0
        if sample is not None:
            by_case = {}
            for audit in sample.audits.all():
                by_case.setdefault(audit.case_id, audit)
            for item in sample.drawn.all():
                audit = by_case.get(item.case_id)
                done += bool(audit and audit.status in DONE)
                rows.append(
                    {
                        "item": item,
                        "visible": item.case_id in visible,
                        "audit": audit,
                        "may_start": audit is None
                        and item.case_id in visible
                        and user.role in AUDITORS
                        and item.worker_id != user.pk,
                    }
                )
        result.append({"team": team, "sample": sample, "rows": rows, "done": done})
    return result


# Moderation ---------------------------------------------------------------------------------


def may_moderate_any(user) -> bool:
    return _in_agency(user) and user.role in MODERATORS


def moderation_queue(user) -> dict:
    audits = audits_visible_to(user)
    return {
        "waiting": list(
            audits.filter(status=CaseAudit.Status.COMPLETED)
            .exclude(auditor=user)
            .exclude(worker=user)
            .order_by("completed_on", "pk")[:200]
        ),
        "recent": list(
            audits.filter(status=CaseAudit.Status.MODERATED).order_by(
                "-moderation__moderated_on", "-pk"
            )[:20]
        ),
    }


# Results ------------------------------------------------------------------------------------


def may_see_results(user) -> bool:
    if not _in_agency(user):
        return False
    return user.role in RESULTS_READERS and (user.role != Role.TEAM_MANAGER or user.team_id)


def results_scope(user, team_id=None):
    """Completed audits of cases the user may open (a team manager's: their team's)."""
    audits = CaseAudit.objects.filter(
        agency_id=user.agency_id, status__in=DONE, case__in=visible_cases(user)
    )
    if user.role == Role.TEAM_MANAGER:
        audits = audits.filter(case__team_id=user.team_id)
    if team_id:
        audits = audits.filter(case__team_id=team_id)
    return audits


def _months(last: datetime.date, count: int) -> list[datetime.date]:
    return [months_before(last, n) for n in range(count - 1, -1, -1)]


def _percent(part, whole):
    return round(100 * part / whole, 1) if whole else None


SCORE_PERCENT = ExpressionWrapper(
    Case(
        When(question__scale=Scale.TEN, then=F("score") * 10.0),
        default=(F("score") - 1) * 100.0 / 3,
    ),
    output_field=FloatField(),
)


def results(user, *, last: datetime.date, months: int, team_id=None) -> dict:
    """Audits completed in each month up to `last`: grades, scores, teams and question areas.
    Five queries whatever the number of audits."""
    month_list = _months(last.replace(day=1), months)
    first = month_list[0]
    audits = results_scope(user, team_id).filter(completed_on__gte=first, completed_on__lte=last)
    good = Q(counted_grade__gte=GOOD_OR_BETTER)
    grade_counts = {f"g{g.value}": Count("pk", filter=Q(counted_grade=g.value)) for g in Grade}
    per_month = {
        row["month"]: row
        for row in audits.annotate(month=TruncMonth("completed_on"))
        .order_by()
        .values("month")
        .annotate(
            done=Count("pk"),
            good=Count("pk", filter=good),
            moderated=Count("pk", filter=Q(status=CaseAudit.Status.MODERATED)),
            agreed=Count("pk", filter=Q(moderation__agreed=True)),
            mean_grade=Avg("counted_grade"),
            **grade_counts,
        )
    }
    answers = AuditAnswer.objects.filter(audit__in=audits.values("pk"), score__isnull=False)
    scores = {
        row["month"]: row["mean"]
        for row in answers.annotate(month=TruncMonth("audit__completed_on"))
        .order_by()
        .values("month")
        .annotate(mean=Avg(SCORE_PERCENT))
    }
    rows = []
    for month in month_list:
        row = per_month.get(month, {})
        done = row.get("done", 0)
        mean_score = scores.get(month)
        rows.append(
            {
                "month": month,
                "day": month,
                "done": done,
                "good": row.get("good", 0),
                "percent": _percent(row.get("good", 0), done),
                "moderated": row.get("moderated", 0),
                "agreed": row.get("agreed", 0),
                "mean_grade": round(row["mean_grade"], 2) if done else None,
                "grades": [row.get(f"g{g.value}", 0) for g in Grade],
                "mean_score": round(mean_score, 1) if mean_score is not None else None,
            }
        )
    return {
        "months": rows,
        "teams": _by_team(audits, month_list, good),
        "areas": _by_area(answers),
        "grades": list(Grade),
        "total": {
            "done": sum(r["done"] for r in rows),
            "good": sum(r["good"] for r in rows),
            "percent": _percent(sum(r["good"] for r in rows), sum(r["done"] for r in rows)),
        },
    }


def _by_team(audits, month_list, good) -> list[dict]:
    cells = {}
    names = {}
    for row in (
        audits.annotate(month=TruncMonth("completed_on"))
        .order_by()
        .values("case__team_id", "case__team__name", "month")
        .annotate(done=Count("pk"), good=Count("pk", filter=good))
    ):
        cells[(row["case__team_id"], row["month"])] = row
        names[row["case__team_id"]] = row["case__team__name"]
    teams = []
    for team_id, name in sorted(names.items(), key=lambda item: item[1]):
        team_cells, done, good_total = [], 0, 0
        for month in month_list:
            cell = cells.get((team_id, month), {})
            done += cell.get("done", 0)
            good_total += cell.get("good", 0)
            team_cells.append(
                {
                    "month": month,
                    "done": cell.get("done", 0),
                    "good": cell.get("good", 0),
                    "percent": _percent(cell.get("good", 0), cell.get("done", 0)),
                }
            )
        teams.append(
            {
                "team_id": team_id,
                "name": name,
                "cells": team_cells,
                "done": done,
                "good": good_total,
                "percent": _percent(good_total, done),
            }
        )
    return teams


def _by_area(answers) -> list[dict]:
    rows = (
        answers.order_by()
        .values("question__area")
        .annotate(n=Count("pk"), mean=Avg(SCORE_PERCENT))
        .order_by("question__area")
    )
    return [
        {"area": r["question__area"], "answers": r["n"], "mean": round(r["mean"], 1)} for r in rows
    ]
