"""Reads for the implementation pages, and who may see what.

- Senior leaders and practice leads rate, plan, record training and change the settings.
- Team managers see their own team's training and gaps, and the leaders' view (their team's
  figures, beside the agency's ratings and outcomes).
- Performance analysts see the leaders' view.
- Everyone sees their own training record.
Every query is limited to the viewer's agency.
"""

import datetime
from collections import defaultdict
from statistics import mean

from django.apps import apps
from django.db.models import Prefetch
from django.utils import timezone

from agencies.models import Role, Team, User
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

RATERS = {Role.SENIOR_LEADER, Role.PRACTICE_LEAD}
LEADERS_VIEW = RATERS | {Role.TEAM_MANAGER, Role.PERFORMANCE_ANALYST}
LEVELS = list(Course.Level)


def _staff(user) -> bool:
    return bool(user.is_authenticated and user.agency_id)


def may_rate(user) -> bool:
    """Rate, plan, record training and configure: senior leaders and practice leads."""
    return _staff(user) and user.role in RATERS


def may_see_training(user) -> bool:
    return may_rate(user) or (_staff(user) and user.role == Role.TEAM_MANAGER and user.team_id)


def may_see_leaders_view(user) -> bool:
    return (
        _staff(user)
        and user.role in LEADERS_VIEW
        and (user.role != Role.TEAM_MANAGER or bool(user.team_id))
    )


def team_scope(user) -> int | None:
    """The one team a team manager is limited to (None: the whole agency)."""
    return user.team_id if user.role == Role.TEAM_MANAGER else None


def settings_for(agency_id: int) -> ImplementationSettings:
    found = ImplementationSettings.objects.filter(agency_id=agency_id).first()
    return found or ImplementationSettings(agency_id=agency_id)


# Training --------------------------------------------------------------------------------------


def staff_in_scope(user):
    staff = User.objects.filter(agency_id=user.agency_id, is_active=True)
    team_id = team_scope(user)
    return staff.filter(team_id=team_id) if team_id else staff


def worker_get(user, worker_id: int) -> User | None:
    """A worker whose training the viewer may see (their own, their team's, or anyone's)."""
    if worker_id == user.pk:
        return user
    if not may_see_training(user):
        return None
    return staff_in_scope(user).select_related("team").filter(pk=worker_id).first()


def courses(agency_id: int, *, active_only=False):
    found = Course.objects.filter(agency_id=agency_id)
    return found.filter(active=True) if active_only else found


def training_of(worker) -> dict:
    records = TrainingRecord.objects.filter(worker=worker).select_related("course", "recorded_by")
    roles = PracticeLeadRole.objects.filter(worker=worker)
    return {"records": list(records), "lead_roles": list(roles)}


def _holds(records, level: str, day: datetime.date) -> bool:
    return any(
        r["level"] == level
        and r["completed_on"] <= day
        and (r["expires_on"] is None or r["expires_on"] > day)
        for r in records
    )


def _training_data(agency_id: int, team_id: int | None):
    staff = User.objects.filter(agency_id=agency_id, is_active=True)
    if team_id:
        staff = staff.filter(team_id=team_id)
    # The day each joined, worked out once: coverage asks it of everyone at every day.
    people = [
        {"pk": p["pk"], "team_id": p["team_id"], "joined": timezone.localdate(p["date_joined"])}
        for p in staff.values("pk", "team_id", "date_joined")
    ]
    records = defaultdict(list)
    for row in TrainingRecord.objects.filter(
        agency_id=agency_id, worker__in=[p["pk"] for p in people]
    ).values("worker_id", "course__level", "completed_on", "expires_on"):
        records[row["worker_id"]].append(
            {
                "level": row["course__level"],
                "completed_on": row["completed_on"],
                "expires_on": row["expires_on"],
            }
        )
    return people, records


def coverage(agency_id: int, *, days: list[datetime.date], team_id: int | None = None):
    """For each day: staff in post, and the share holding each level, by team and overall.

    Staff counted are the agency's active staff who had joined by the day, in their current
    team (staff who work agency-wide form their own group). Two queries whatever the number of
    days."""
    people, records = _training_data(agency_id, team_id)
    result = []
    for day in days:
        groups: dict = defaultdict(lambda: {"staff": 0, **{level.value: 0 for level in LEVELS}})
        for person in people:
            if person["joined"] > day:
                continue
            held = [lv.value for lv in LEVELS if _holds(records[person["pk"]], lv.value, day)]
            for key in (person["team_id"], "all"):
                groups[key]["staff"] += 1
                for level in held:
                    groups[key][level] += 1
        result.append({"day": day, "groups": {k: _percentages(v) for k, v in groups.items()}})
    return result


def _percentages(counts: dict) -> dict:
    staff = counts["staff"]
    return counts | {
        f"{level.value}_percent": round(100 * counts[level.value] / staff, 1) if staff else None
        for level in LEVELS
    }


def coverage_table(user, *, day: datetime.date) -> dict:
    """Today's coverage by team (the viewer's team only, for a team manager)."""
    team_id = team_scope(user)
    figures = coverage(user.agency_id, days=[day], team_id=team_id)[0]["groups"]
    teams = Team.objects.filter(agency_id=user.agency_id)
    if team_id:
        teams = teams.filter(pk=team_id)
    rows = [
        {"label": team.name, "team_id": team.pk, **figures[team.pk]}
        for team in teams
        if team.pk in figures
    ]
    if None in figures and not team_id:
        rows.append({"label": "Works agency-wide", "team_id": None, **figures[None]})
    total = figures.get("all") or _percentages({"staff": 0, **{level.value: 0 for level in LEVELS}})
    return {"rows": rows, "total": total, "levels": LEVELS}


def gaps(user, *, today: datetime.date) -> dict:
    """Who has not done the introductory course: overdue (joined more than the agency's
    allowance ago) and due (still within it)."""
    allowance = settings_for(user.agency_id).introduction_within_days
    trained = TrainingRecord.objects.filter(
        agency_id=user.agency_id, course__level=Course.Level.INTRODUCTION
    ).values("worker_id")
    untrained = (
        staff_in_scope(user)
        .exclude(pk__in=trained)
        .select_related("team")
        .order_by("date_joined", "last_name")
    )
    overdue, due = [], []
    for person in untrained:
        joined = timezone.localdate(person.date_joined)
        deadline = joined + datetime.timedelta(days=allowance)
        row = {"worker": person, "joined": joined, "due_by": deadline}
        (overdue if deadline < today else due).append(row | {"days_over": (today - deadline).days})
    return {"overdue": overdue, "due": due, "allowance": allowance}


# Rounds and ratings ----------------------------------------------------------------------------


def domains(agency_id: int, *, active_only=True):
    found = ImplementationDomain.objects.filter(agency_id=agency_id)
    return found.filter(active=True) if active_only else found


def rounds(user):
    return AssessmentRound.objects.filter(agency_id=user.agency_id).select_related(
        "opened_by", "closed_by"
    )


def round_get(user, round_id: int) -> AssessmentRound | None:
    if not may_rate(user):
        return None
    return rounds(user).filter(pk=round_id).first()


def has_submitted(user, round_: AssessmentRound) -> bool:
    return Rating.objects.filter(round=round_, rater=user, submitted_at__isnull=False).exists()


def round_view(user, round_: AssessmentRound) -> dict:
    """The rater's own ratings, and everyone else's once the rater has submitted (or the round
    has closed): nobody anchors on another rater's number."""
    mine = {r.domain_id: r for r in Rating.objects.filter(round=round_, rater=user).order_by()}
    submitted = any(r.submitted_at for r in mine.values())
    may_see_others = submitted or not round_.is_open
    others = []
    if may_see_others:
        others = list(
            Rating.objects.filter(round=round_, submitted_at__isnull=False)
            .select_related("rater", "domain")
            .order_by("domain__position", "domain__name", "rater__first_name", "rater_id")
        )
    domain_list = (
        list(domains(user.agency_id))
        if round_.is_open
        else list(
            ImplementationDomain.objects.filter(pk__in={r.domain_id for r in others}).order_by(
                "position", "name"
            )
        )
    )
    by_domain = defaultdict(list)
    for rating in others:
        by_domain[rating.domain_id].append(rating)
    summary = [
        {
            "domain": domain,
            "mine": mine.get(domain.pk),
            "ratings": by_domain.get(domain.pk, []),
            **score_summary([r.score for r in by_domain.get(domain.pk, [])]),
        }
        for domain in domain_list
    ]
    raters = (
        Rating.objects.filter(round=round_, submitted_at__isnull=False)
        .values("rater_id")
        .distinct()
        .count()
    )
    notes = defaultdict(list)
    for note in RoundNote.objects.filter(round=round_).select_related("author", "domain"):
        notes[note.kind].append(note)
    return {
        "mine": mine,
        "submitted": submitted,
        "may_see_others": may_see_others,
        "summary": summary,
        "raters_submitted": raters,
        "notes": [
            {"kind": kind, "label": label, "items": notes.get(kind, [])}
            for kind, label in RoundNote.Kind.choices
        ],
    }


def score_summary(scores: list[int]) -> dict:
    if not scores:
        return {"mean": None, "low": None, "high": None, "count": 0}
    return {
        "mean": round(mean(scores), 1),
        "low": min(scores),
        "high": max(scores),
        "count": len(scores),
    }


def closed_round_figures(agency_id: int) -> list[dict]:
    """Each closed round, oldest first: mean and range per domain, and overall. Two queries."""
    closed = list(
        AssessmentRound.objects.filter(
            agency_id=agency_id, status=AssessmentRound.Status.CLOSED
        ).order_by("period_end", "id")
    )
    scores = defaultdict(lambda: defaultdict(list))
    raters = defaultdict(set)
    for row in Rating.objects.filter(round__in=closed, submitted_at__isnull=False).values(
        "round_id", "domain_id", "rater_id", "score"
    ):
        scores[row["round_id"]][row["domain_id"]].append(row["score"])
        raters[row["round_id"]].add(row["rater_id"])
    return [
        {
            "round": round_,
            "domains": {d: score_summary(s) for d, s in scores[round_.pk].items()},
            "overall": score_summary([x for s in scores[round_.pk].values() for x in s]),
            "raters": len(raters[round_.pk]),
        }
        for round_ in closed
    ]


# The plan --------------------------------------------------------------------------------------


def actions(user):
    return (
        ImplementationAction.objects.filter(agency_id=user.agency_id)
        .select_related("owner", "domain", "raised_in", "reviewed_in")
        .order_by("status", "due_on", "id")
    )


def action_get(user, action_id: int) -> ImplementationAction | None:
    if not may_rate(user):
        return None
    return actions(user).filter(pk=action_id).first()


def people_for_choice(user):
    return User.objects.filter(agency_id=user.agency_id, is_active=True).order_by(
        "first_name", "last_name"
    )


def lead_roles(user):
    return PracticeLeadRole.objects.filter(agency_id=user.agency_id).select_related("worker")


def teams_with_members(user):
    return Team.objects.filter(agency_id=user.agency_id).prefetch_related(
        Prefetch("members", queryset=User.objects.filter(is_active=True))
    )


# Supervision (from the learning app, when it is installed) -------------------------------------


def _learning_selectors():
    """The learning app's selectors, or None where it is not installed, so the page says "not
    recorded" instead of showing zero."""
    if not apps.is_installed("learning"):
        return None
    try:
        from learning import selectors as learning
    except ImportError:
        return None
    return learning


def supervision_held(agency_id: int, *, team_id: int | None, months: int) -> list[dict] | None:
    """Group supervision held each month, from the learning app (None: not recorded)."""
    learning = _learning_selectors()
    return learning and learning.supervision_held(agency_id, team_id=team_id, months=months)


def supervision_held_by_team(agency_id: int, *, team_ids, months: int) -> dict | None:
    """`supervision_held` of each team, {team id: rows}, in two queries (None: not recorded)."""
    learning = _learning_selectors()
    return learning and learning.supervision_held_by_team(
        agency_id, team_ids=team_ids, months=months
    )
