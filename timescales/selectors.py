"""Reads of deadlines and worklists, each starting from the cases the user may open
(people.access), in a fixed number of queries whatever the number of cases or deadlines."""

import datetime

from django.db.models import Exists, OuterRef, Prefetch
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from agencies.models import Role
from people import access
from people.models import Allocation, Case
from timescales.calendar import DEFAULT_REGION, calendar_for, working_days_between
from timescales.models import Deadline, TimescaleRules

DUE_SOON_DAYS = 7
TEAM_HORIZON = datetime.timedelta(days=28)
RECENTLY_MET_DAYS = 14
CASE_PAGE_NEXT_DUE = 5

# Who has a "My work" list: the people cases are allocated to.
OWN_WORK_ROLES = {Role.SOCIAL_WORKER, Role.TEAM_MANAGER}


def deadline_action_url(deadline: Deadline) -> str:
    """Where the work that meets a deadline is recorded: the next step of that kind on the
    case's statutory process page."""
    return reverse("process:case_process", args=[deadline.case_id]) + f"#step-{deadline.kind}"


def may_see_own_work(user) -> bool:
    return bool(user.is_authenticated and user.agency_id and user.role in OWN_WORK_ROLES)


def may_see_team_work(user) -> bool:
    return bool(
        user.is_authenticated and user.agency_id and user.team_id and user.role == Role.TEAM_MANAGER
    )


def _calendar(agency_id):
    region = (
        TimescaleRules.objects.filter(agency_id=agency_id)
        .values_list("calendar_region", flat=True)
        .first()
    )
    return calendar_for(region or DEFAULT_REGION)


def _decorate(deadlines, today: datetime.date, calendar) -> list[Deadline]:
    deadlines = list(deadlines)
    for deadline in deadlines:
        deadline.action_url = deadline_action_url(deadline)
        deadline.overdue = deadline.is_overdue(today)
        if deadline.status == Deadline.Status.OPEN:
            left = working_days_between(today, deadline.due_on, calendar=calendar)
            deadline.working_days_left = max(left, 0)
            deadline.working_days_late = max(-left, 0)
    return deadlines


def _visible_cases(user):
    return Case.objects.filter(access.case_visibility_filter(user), agency_id=user.agency_id)


def my_work(user, *, today: datetime.date | None = None) -> dict:
    """Deadlines on the cases allocated to this user now: overdue, due in the next 7 days, and
    met in the last 14 days."""
    today = today or timezone.localdate()
    # The few cases first, as a list: given them as a subquery, PostgreSQL expected none and
    # scanned every deadline and case of the agency instead (0.1 s at 200,000 children).
    held = Allocation.objects.filter(worker=user, ended_on__isnull=True).values("case_id")
    mine = list(_visible_cases(user).filter(pk__in=held).values_list("pk", flat=True))
    deadlines = Deadline.objects.filter(agency_id=user.agency_id, case_id__in=mine).select_related(
        "case", "child", "overdue_reason_by"
    )
    calendar = _calendar(user.agency_id)
    due = _decorate(
        deadlines.filter(
            status=Deadline.Status.OPEN,
            case__status=Case.Status.OPEN,
            due_on__lte=today + datetime.timedelta(days=DUE_SOON_DAYS),
        ).order_by("due_on", "case__name", "id"),
        today,
        calendar,
    )
    met = _decorate(
        deadlines.filter(
            status=Deadline.Status.MET,
            met_on__gte=today - datetime.timedelta(days=RECENTLY_MET_DAYS),
            met_on__lte=today,
        ).order_by("-met_on", "case__name", "id"),
        today,
        calendar,
    )
    overdue = [d for d in due if d.overdue]
    due_soon = [d for d in due if not d.overdue]
    return {
        "today": today,
        "overdue": overdue,
        "due_soon": due_soon,
        "recently_met": met,
        "counts": {"overdue": len(overdue), "due_soon": len(due_soon), "recently_met": len(met)},
        "due_soon_days": DUE_SOON_DAYS,
        "recently_met_days": RECENTLY_MET_DAYS,
    }


def team_work(user, *, today: datetime.date | None = None) -> dict:
    """A team manager's view: every open deadline on the team's open cases by due date (with
    who holds each case), the cases breaching a timescale, and the open cases nobody holds."""
    today = today or timezone.localdate()
    if not may_see_team_work(user):
        raise Http404("No team.")
    team_cases = _visible_cases(user).filter(team_id=user.team_id)
    current = Allocation.objects.filter(ended_on__isnull=True).select_related("worker")
    deadlines = _decorate(
        Deadline.objects.filter(
            agency_id=user.agency_id,
            case_id__in=team_cases.values("pk"),
            status=Deadline.Status.OPEN,
            case__status=Case.Status.OPEN,
        )
        .select_related("case", "child", "overdue_reason_by")
        .prefetch_related(
            Prefetch("case__allocations", queryset=current, to_attr="current_allocations")
        )
        .order_by("due_on", "case__name", "id"),
        today,
        _calendar(user.agency_id),
    )
    breaching: dict[int, dict] = {}
    for deadline in deadlines:
        if deadline.overdue:
            entry = breaching.setdefault(deadline.case_id, {"case": deadline.case, "deadlines": []})
            entry["deadlines"].append(deadline)
    unallocated = list(
        Case.objects.filter(pk__in=team_cases.values("pk"), status=Case.Status.OPEN)
        .exclude(Exists(Allocation.objects.filter(case=OuterRef("pk"), ended_on__isnull=True)))
        .order_by("opened_on", "name", "pk")
    )
    soon = today + datetime.timedelta(days=DUE_SOON_DAYS)
    counts = {
        "open": len(deadlines),
        "overdue": sum(1 for d in deadlines if d.overdue),
        "due_soon": sum(1 for d in deadlines if not d.overdue and d.due_on <= soon),
        "breaching_cases": len(breaching),
        "unallocated": len(unallocated),
    }
    return {
        "today": today,
        "team": user.team,
        "deadlines": deadlines,
        # A manager plans the next few weeks; the rest waits behind a disclosure.
        "upcoming": [d for d in deadlines if d.due_on <= today + TEAM_HORIZON],
        "later": [d for d in deadlines if d.due_on > today + TEAM_HORIZON],
        "horizon_days": TEAM_HORIZON.days,
        "breaching": list(breaching.values()),
        "unallocated": unallocated,
        "counts": counts,
        "due_soon_days": DUE_SOON_DAYS,
    }


def case_deadlines_summary(
    case: Case, *, user, today: datetime.date | None = None, may_record: bool | None = None
) -> dict:
    """What the case page shows: the next things due, and everything overdue with its reason.
    The caller has fetched the case through people.selectors.case_get_visible."""
    if may_record is None:  # the case page passes the answer it already has
        may_record = user.has_perm("people.record_on_case", case)
    today = today or timezone.localdate()
    open_deadlines = _decorate(
        case.deadlines.filter(status=Deadline.Status.OPEN)
        .select_related("child", "overdue_reason_by")
        .order_by("due_on", "id"),
        today,
        _calendar(case.agency_id),
    )
    overdue = [d for d in open_deadlines if d.overdue]
    upcoming = [d for d in open_deadlines if not d.overdue]
    return {
        "today": today,
        "overdue": overdue,
        "next_due": upcoming[:CASE_PAGE_NEXT_DUE],
        "more_due": max(len(upcoming) - CASE_PAGE_NEXT_DUE, 0),
        "may_record": may_record,
    }


def deadline_decorate(deadline: Deadline, *, today: datetime.date | None = None) -> Deadline:
    """One deadline with what a worklist shows of it: its link, whether it is overdue, and how
    many working days are left."""
    today = today or timezone.localdate()
    return _decorate([deadline], today, _calendar(deadline.agency_id))[0]


def deadline_get(*, case: Case, deadline_id: int) -> Deadline:
    """One deadline of a case the user has already opened through case_get_visible."""
    deadline = (
        case.deadlines.filter(pk=deadline_id)
        .exclude(status=Deadline.Status.WITHDRAWN)
        .select_related("case", "child", "overdue_reason_by")
        .first()
    )
    if deadline is None:
        raise Http404("No deadline found.")
    return deadline
