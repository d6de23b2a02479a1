"""Reads of supervision sessions, actions and appreciative inquiries, scoped by who may see
them. Every query is filtered by the user's agency; anything outside a user's reach is 404."""

import datetime
from collections import defaultdict

from django.conf import settings
from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet, Value
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.utils import timezone

from agencies.models import Role, Team, User
from learning.models import AppreciativeInquiry, SupervisionAction, SupervisionSession
from people import access
from people.models import Case

SUPERVISORS = {Role.TEAM_MANAGER, Role.PRACTICE_LEAD}
OVERSIGHT = {Role.TEAM_MANAGER, Role.PRACTICE_LEAD, Role.SENIOR_LEADER}
INQUIRY_RECORDERS = {
    Role.SOCIAL_WORKER,
    Role.TEAM_MANAGER,
    Role.PRACTICE_LEAD,
    Role.CONFERENCE_CHAIR,
}
SHARE_CONFIRMERS = {Role.PRACTICE_LEAD, Role.TEAM_MANAGER}
DEFAULT_GAP_DAYS = 28


def _staff(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.agency_id)


def gap_days() -> int:
    """Days without supervision after which a worker shows as a gap to managers."""
    return int(getattr(settings, "LEARNING_SUPERVISION_GAP_DAYS", DEFAULT_GAP_DAYS))


def _first_of_month(day: datetime.date, back: int = 0) -> datetime.date:
    index = day.year * 12 + day.month - 1 - back
    return datetime.date(index // 12, index % 12 + 1, 1)


def supervision_held(agency_id: int, *, team_id: int | None = None, months: int = 12) -> list:
    """Per calendar month, oldest first, ending with this month: how many supervision sessions
    of any kind were held and how many different workers were supervised in them.

    With a team, only sessions attended by someone in that team count, and only that team's
    members count as workers supervised. Returns
    ``[{"month": date(first of month), "sessions": int, "workers_supervised": int}, ...]``.
    """
    today = timezone.localdate()
    start = _first_of_month(today, months - 1)
    sessions = SupervisionSession.objects.filter(
        agency_id=agency_id, held_on__gte=start, held_on__lte=today
    )
    attendance = SupervisionSession.attendees.through.objects.filter(
        supervisionsession__in=sessions
    )
    if team_id is not None:
        sessions = sessions.filter(attendees__team_id=team_id)
        attendance = attendance.filter(user__team_id=team_id)
    held = dict(
        sessions.annotate(month=TruncMonth("held_on"))
        .values("month")
        .annotate(n=Count("pk", distinct=True))
        .values_list("month", "n")
    )
    supervised = dict(
        attendance.annotate(month=TruncMonth("supervisionsession__held_on"))
        .values("month")
        .annotate(n=Count("user_id", distinct=True))
        .values_list("month", "n")
    )
    held = {_as_date(k): v for k, v in held.items()}
    supervised = {_as_date(k): v for k, v in supervised.items()}
    return _monthly(today, months, held, supervised)


def supervision_held_by_team(agency_id: int, *, team_ids, months: int = 12) -> dict[int, list]:
    """`supervision_held` for each of the teams at once, in two queries however many teams:
    {team id: rows}."""
    today = timezone.localdate()
    sessions = SupervisionSession.objects.filter(
        agency_id=agency_id, held_on__gte=_first_of_month(today, months - 1), held_on__lte=today
    )
    attendance = SupervisionSession.attendees.through.objects.filter(
        supervisionsession__in=sessions
    )
    held = _by_team_and_month(sessions, day="held_on", team="attendees__team_id", counted="pk")
    supervised = _by_team_and_month(
        attendance, day="supervisionsession__held_on", team="user__team_id", counted="user_id"
    )
    return {
        team_id: _monthly(today, months, held[team_id], supervised[team_id]) for team_id in team_ids
    }


def _by_team_and_month(records, *, day: str, team: str, counted: str) -> dict:
    """{team id: {first of month: how many different `counted`}} of the records."""
    found = defaultdict(dict)
    for team_id, month, n in (
        records.annotate(month=TruncMonth(day))
        .values(team, "month")
        .annotate(n=Count(counted, distinct=True))
        .values_list(team, "month", "n")
    ):
        found[team_id][_as_date(month)] = n
    return found


def _monthly(today: datetime.date, months: int, held: dict, supervised: dict) -> list:
    """Per calendar month, oldest first, ending with this month's."""
    rows = []
    for back in range(months - 1, -1, -1):
        month = _first_of_month(today, back)
        rows.append(
            {
                "month": month,
                "sessions": held.get(month, 0),
                "workers_supervised": supervised.get(month, 0),
            }
        )
    return rows


def _as_date(value) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value


# Who may do what.


def may_see_case(user, case_id: int | None) -> bool:
    if case_id is None or not _staff(user):
        return False
    return Case.objects.filter(access.case_visibility_filter(user), pk=case_id).exists()


def visible_case_ids(user, case_ids) -> set[int]:
    """Of these cases, the ones this user may open: one query for a whole list."""
    case_ids = {pk for pk in case_ids if pk}
    if not case_ids or not _staff(user):
        return set()
    return set(
        Case.objects.filter(access.case_visibility_filter(user), pk__in=case_ids).values_list(
            "pk", flat=True
        )
    )


def may_record_sessions(user) -> bool:
    return _staff(user) and user.role in SUPERVISORS


def may_edit_session(user, session: SupervisionSession) -> bool:
    return _staff(user) and session.facilitator_id == user.pk and session.is_open


def may_start_session_map(user, session: SupervisionSession) -> bool:
    """The session's map is one of the case's maps, so whoever starts it must be in the session
    and able to record on the case (a practice lead facilitating reads cases but does not
    record on them: the presenting worker or their manager starts it)."""
    if not _staff(user) or session.case_id is None or session.map_id is not None:
        return False
    in_session = session.facilitator_id == user.pk or session.attendees.filter(pk=user.pk).exists()
    return (
        in_session
        and Case.objects.filter(access.case_recording_filter(user), pk=session.case_id).exists()
    )


def may_edit_action(user, action: SupervisionAction) -> bool:
    return _staff(user) and user.pk in {action.owner_id, action.session.facilitator_id}


def may_see_frequency(user) -> bool:
    return _staff(user) and user.role in OVERSIGHT


def may_record_inquiries(user) -> bool:
    return _staff(user) and user.role in INQUIRY_RECORDERS


def may_edit_inquiry(user, inquiry: AppreciativeInquiry) -> bool:
    if not _staff(user) or inquiry.agency_id != user.agency_id:
        return False
    return user.pk in {inquiry.created_by_id, inquiry.facilitator_id} or (
        user.role == Role.PRACTICE_LEAD
    )


def may_confirm_sharing(user, inquiry: AppreciativeInquiry) -> bool:
    if not _staff(user) or user.role not in SHARE_CONFIRMERS:
        return False
    return inquiries_visible_to(user).filter(pk=inquiry.pk).exists()


# Supervision sessions.


def sessions_visible_to(user) -> QuerySet[SupervisionSession]:
    """Sessions this user facilitated, was supervised in, or holds an action from."""
    if not _staff(user):
        return SupervisionSession.objects.none()
    ids = SupervisionSession.objects.filter(_theirs(user), agency_id=user.agency_id).values("pk")
    return SupervisionSession.objects.filter(pk__in=ids)


def _theirs(user) -> Q:
    return Q(facilitator=user) | Q(attendees=user) | Q(created_by=user) | Q(actions__owner=user)


def session_list(user) -> list[SupervisionSession]:
    sessions = list(
        sessions_visible_to(user)
        .select_related("facilitator", "presenter", "case")
        .prefetch_related("attendees")
        .annotate(
            open_actions=Count("actions", filter=Q(actions__done_on__isnull=True), distinct=True)
        )
    )
    _mark_case_visibility(user, sessions)
    return sessions


def _mark_case_visibility(user, records):
    """Each record learns whether this user may see its case: a restricted or out-of-reach
    case is shown only as "a case you cannot open"."""
    visible = visible_case_ids(user, {r.case_id for r in records})
    for record in records:
        record.case_visible = record.case_id in visible
    return records


def session_get_visible(user, *, session_id: int) -> SupervisionSession:
    session = (
        sessions_visible_to(user)
        .filter(pk=session_id)
        .select_related("facilitator", "presenter", "case", "map", "agency")
        .prefetch_related("attendees")
        .first()
    )
    if session is None:
        raise Http404("No supervision session found.")
    _mark_case_visibility(user, [session])
    return session


def session_actions(session: SupervisionSession) -> list[SupervisionAction]:
    return list(session.actions.select_related("owner").order_by("done_on", "due_on", "id"))


def open_actions_for(user) -> list[SupervisionAction]:
    """The actions from supervision this user owns and has not done, soonest due first, for
    their worklist."""
    if not _staff(user):
        return []
    actions = list(
        SupervisionAction.objects.filter(agency_id=user.agency_id, owner=user, done_on__isnull=True)
        .select_related("session", "case")
        .order_by("due_on", "id")
    )
    _mark_case_visibility(user, actions)
    today = timezone.localdate()
    for action in actions:
        action.overdue = action.due_on < today
    return actions


def actions_for_case(user, case: Case) -> list[SupervisionAction]:
    """Open actions from supervision on a case the user has already opened (the case page)."""
    return list(
        SupervisionAction.objects.filter(agency_id=user.agency_id, case=case, done_on__isnull=True)
        .select_related("owner", "session")
        .order_by("due_on", "id")
    )


def action_get_editable(user, *, action_id: int) -> SupervisionAction:
    action = (
        SupervisionAction.objects.filter(pk=action_id, agency_id=getattr(user, "agency_id", None))
        .select_related("session", "owner", "case")
        .first()
    )
    if action is None or not may_edit_action(user, action):
        raise Http404("No action found.")
    _mark_case_visibility(user, [action])
    return action


def session_people(session: SupervisionSession) -> QuerySet[User]:
    """Who an action can belong to: the facilitator and everyone supervised."""
    ids = [session.facilitator_id, *session.attendees.values_list("pk", flat=True)]
    return User.objects.filter(pk__in=ids).order_by("first_name", "last_name")


def supervisable_staff(user) -> QuerySet[User]:
    return User.objects.filter(
        agency_id=user.agency_id,
        is_active=True,
        role__in=[Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.CONFERENCE_CHAIR],
    ).exclude(pk=user.pk)


def presentable_cases(user, *, open_only: bool = True) -> QuerySet[Case]:
    """Cases this user may open, to choose the one presented or the one an inquiry is about
    (an inquiry may look back at a closed case)."""
    cases = Case.objects.filter(access.case_visibility_filter(user))
    if open_only:
        cases = cases.filter(status=Case.Status.OPEN)
    return cases.distinct().order_by("name", "pk")


# Supervision frequency, for managers.


def frequency_teams(user) -> QuerySet[Team]:
    if not may_see_frequency(user):
        return Team.objects.none()
    teams = Team.objects.filter(agency_id=user.agency_id)
    if user.role == Role.TEAM_MANAGER:
        teams = teams.filter(pk=user.team_id)
    return teams.order_by("name")


def supervision_by_worker(user, *, team_id: int | None = None) -> list[User]:
    """Each social worker in the teams this manager oversees, with their last individual
    supervision, their last group supervision or case consultation, and whether they are in a
    gap (no supervision of any kind within the configured number of days)."""
    teams = frequency_teams(user)
    if team_id is not None:
        teams = teams.filter(pk=team_id)
    today = timezone.localdate()
    held = Q(supervision_sessions__held_on__lte=today)
    individual = Q(supervision_sessions__kind=SupervisionSession.Kind.INDIVIDUAL)
    workers = list(
        User.objects.filter(
            team__in=teams, role=Role.SOCIAL_WORKER, is_active=True, agency_id=user.agency_id
        )
        .select_related("team")
        .annotate(
            last_individual=Max("supervision_sessions__held_on", filter=held & individual),
            last_group=Max("supervision_sessions__held_on", filter=held & ~individual),
        )
        .order_by("team__name", "first_name", "last_name")
    )
    limit = gap_days()
    for worker in workers:
        dates = [d for d in (worker.last_individual, worker.last_group) if d]
        worker.last_supervised = max(dates) if dates else None
        worker.days_since = (today - worker.last_supervised).days if dates else None
        worker.in_gap = worker.days_since is None or worker.days_since > limit
    return workers


# Appreciative inquiry and the library.


def inquiries_visible_to(user) -> QuerySet[AppreciativeInquiry]:
    """Full inquiry records (not just the library text): the people who recorded it or whose
    work it is about, practice leads, and the managers of the workers' teams."""
    if not _staff(user):
        return AppreciativeInquiry.objects.none()
    reach = Q(created_by=user) | Q(facilitator=user) | Q(workers=user)
    if user.role == Role.PRACTICE_LEAD:
        reach = Q()
    elif user.role == Role.TEAM_MANAGER and user.team_id:
        reach |= Q(workers__team_id=user.team_id)
    ids = AppreciativeInquiry.objects.filter(reach, agency_id=user.agency_id).values("pk")
    return AppreciativeInquiry.objects.filter(pk__in=ids)


def inquiry_list(user) -> list[AppreciativeInquiry]:
    inquiries = list(
        inquiries_visible_to(user)
        .select_related("facilitator", "case", "shared_by")
        .prefetch_related("workers")
    )
    return _mark_case_visibility(user, inquiries)


def inquiry_get_visible(user, *, inquiry_id: int) -> AppreciativeInquiry:
    inquiry = (
        inquiries_visible_to(user)
        .filter(pk=inquiry_id)
        .select_related("facilitator", "case", "shared_by", "created_by")
        .prefetch_related("workers")
        .first()
    )
    if inquiry is None:
        raise Http404("No appreciative inquiry found.")
    _mark_case_visibility(user, [inquiry])
    return inquiry


def library(user, *, search: str = "", theme: str = "") -> QuerySet[AppreciativeInquiry]:
    """The agency's shared good practice: only the anonymised title and text, for all staff.
    Every word of the search must appear in the title or the shared text."""
    if not _staff(user):
        return AppreciativeInquiry.objects.none()
    entries = AppreciativeInquiry.objects.filter(
        agency_id=user.agency_id, state=AppreciativeInquiry.State.SHARED
    )
    if theme:
        entries = entries.filter(theme=theme)
    for word in search.split():
        entries = entries.filter(Q(title__icontains=word) | Q(shared_text__icontains=word))
    return entries.only("pk", "title", "theme", "shared_text", "held_on", "shared_at").order_by(
        "-shared_at", "-pk"
    )


def library_entry(user, *, inquiry_id: int) -> AppreciativeInquiry:
    entry = library(user).filter(pk=inquiry_id).first()
    if entry is None:
        raise Http404("No shared practice found.")
    return entry


def inquiries_waiting_for(user) -> QuerySet[AppreciativeInquiry]:
    """Inquiries with library text written but not yet confirmed, for those who confirm."""
    if not _staff(user) or user.role not in SHARE_CONFIRMERS:
        return AppreciativeInquiry.objects.none()
    return (
        inquiries_visible_to(user)
        .filter(state=AppreciativeInquiry.State.PRIVATE)
        .exclude(shared_text="")
    )


def sessions_for_case(user, case: Case) -> list[SupervisionSession]:
    """Sessions where the case (already opened by this user) was presented: when, what kind,
    and who facilitated, for the case page. Only people in a session may open its record."""
    # Whether each may be opened is asked in the same query rather than a second one (the
    # session is in the user's agency already, as `sessions_visible_to` requires).
    theirs = SupervisionSession.objects.filter(_theirs(user), pk=OuterRef("pk"))
    return list(
        SupervisionSession.objects.filter(agency_id=user.agency_id, case=case)
        .annotate(may_open=Exists(theirs) if _staff(user) else Value(False))
        .select_related("facilitator", "map")
        .order_by("-held_on", "-pk")
    )
