"""Who may open and change which case: decided here and nowhere else.

- Everyone sees only their own agency's cases.
- A social worker opens the cases allocated to them and the cases held by their own team
  (colleagues cover visits and duty for each other); they can record on the same cases.
- A team manager opens and records on every case held by their team, allocates them and
  signs off maps.
- Conference chairs / IROs open and record on every case in the agency (they chair
  conferences and reviews for any team). Practice leads, senior leaders and performance
  analysts open every case in the agency read-only, for quality assurance and oversight.
- Administrators manage users and configuration and open no case records; they restore
  deleted ones.
- A restricted case (for example one involving a member of staff's relative) is reachable only
  by the people on its access list: nobody else can find it, even by searching. Someone whose
  role would otherwise reach it can break the glass with a stated reason, for a limited time;
  that is audited and listed for managers.
- A deleted case is out of everyone's reach until an administrator restores it.
- Who has looked at or changed a case (its access report) is open to the team's manager and
  to senior leaders, who answer for the record and for subject access requests.

Views, selectors and API endpoints all go through these filters, so a list and a single
record can never disagree; a case outside them is answered with 404, never 403, so its
existence is not revealed.
"""

from django.db.models import Q
from django.utils import timezone

from agencies.models import Role

AGENCY_WIDE_READERS = {
    Role.CONFERENCE_CHAIR,
    Role.PRACTICE_LEAD,
    Role.SENIOR_LEADER,
    Role.PERFORMANCE_ANALYST,
}
NOTHING = Q(pk__in=[])


def _staff_in_agency(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.agency_id)


def _need_to_know(user) -> Q:
    """Deleted cases are out of everyone's reach; a restricted case is within reach only of the
    people on its access list and of anyone with live break-glass access."""
    return Q(deleted_at__isnull=True) & (
        Q(is_restricted=False)
        | Q(access_grants__user=user, access_grants__revoked_at__isnull=True)
        | Q(break_glass__user=user, break_glass__expires_at__gt=timezone.now())
    )


def case_visibility_filter(user) -> Q:
    """Cases this user may open."""
    reach = _reach(user)
    return NOTHING if reach is NOTHING else reach & _need_to_know(user)


def case_break_glass_filter(user) -> Q:
    """Restricted cases this user could open, were they not restricted: the only ones where
    they may break the glass."""
    reach = _reach(user)
    return NOTHING if reach is NOTHING else reach & Q(deleted_at__isnull=True, is_restricted=True)


def _reach(user) -> Q:
    """Cases a user's role and team put within reach, before restrictions."""
    if not _staff_in_agency(user):
        return NOTHING
    in_agency = Q(agency_id=user.agency_id)
    if user.role in AGENCY_WIDE_READERS:
        return in_agency
    if user.role == Role.TEAM_MANAGER:
        return in_agency & Q(team_id=user.team_id) if user.team_id else NOTHING
    if user.role == Role.SOCIAL_WORKER:
        mine = Q(allocations__worker=user, allocations__ended_on__isnull=True)
        return in_agency & (mine | Q(team_id=user.team_id)) if user.team_id else in_agency & mine
    return NOTHING


def may_search_people(user) -> bool:
    """Searching for people is for those who open case records; what they find is limited to
    the cases they may open."""
    return _reach(user) is not NOTHING


# What a person may do on a case: the name pages use, the `rules` permission (people/rules.py)
# and the roles that may do it. Nobody may act on a case they may not open, and on the cases
# they may open their role alone decides (a team manager manages their team's cases, a chair
# records on every case in the agency): so a case read for a page carries the answers
# (`people.selectors.case_get_visible`) without asking the database again.
CASE_PERMISSIONS = {
    "record": (
        "people.record_on_case",
        {Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.CONFERENCE_CHAIR},
    ),
    "manage": ("people.manage_case", {Role.TEAM_MANAGER}),
    "access_report": ("people.read_access_report", {Role.TEAM_MANAGER, Role.SENIOR_LEADER}),
}


def may_on_cases_they_open(user) -> dict[str, bool]:
    """What this user may do on any case they may open."""
    staff = _staff_in_agency(user)
    return {name: staff and user.role in roles for name, (_, roles) in CASE_PERMISSIONS.items()}


def _permission_filter(user, name: str) -> Q:
    return case_visibility_filter(user) if may_on_cases_they_open(user)[name] else NOTHING


def case_recording_filter(user) -> Q:
    """Cases this user may record on (maps, scales, participants)."""
    return _permission_filter(user, "record")


def case_management_filter(user) -> Q:
    """Cases this user manages: allocation and sign-off."""
    return _permission_filter(user, "manage")


def case_access_report_filter(user) -> Q:
    """Cases whose access report this user may read."""
    return _permission_filter(user, "access_report")


def note_may_open(user, case) -> None:
    """Keep on the case that this person's right to open it has been checked
    (`people.selectors.case_get_visible`), for the rules to answer from."""
    case.may_open_checked_for = user.pk


def noted_may_open(user, case) -> bool:
    return user.pk is not None and getattr(case, "may_open_checked_for", None) == user.pk
