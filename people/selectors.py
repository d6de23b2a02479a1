from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from agencies.models import Role, User
from people import access
from people.models import (
    Allocation,
    BreakGlassAccess,
    Case,
    CaseMember,
    Person,
    Relationship,
)


def case_list_visible_to(
    user, *, search: str = "", status: str = Case.Status.OPEN, mine_only: bool = False
) -> QuerySet[Case]:
    cases = Case.objects.filter(access.case_visibility_filter(user))
    if status:
        cases = cases.filter(status=status)
    if mine_only:
        cases = cases.filter(allocations__worker=user, allocations__ended_on__isnull=True)
    if search := search.strip():
        cases = cases.filter(
            Q(name__icontains=search)
            | Q(reference__iexact=search)
            | Q(members__given_name__icontains=search)
            | Q(members__family_name__icontains=search)
            | Q(members__known_as__icontains=search)
        )
    current = Allocation.objects.filter(ended_on__isnull=True).select_related("worker")
    children = CaseMember.objects.filter(person__kind=Person.Kind.CHILD).select_related("person")
    return (
        cases.distinct()
        .select_related("team")
        .prefetch_related(
            Prefetch("allocations", queryset=current, to_attr="current_allocations"),
            Prefetch("memberships", queryset=children, to_attr="child_memberships"),
        )
        .order_by("name", "pk")
    )


def case_get_visible(user, *, case_id: int) -> Case:
    """The case, if this user may open it; otherwise 404, so its existence stays hidden."""
    case = (
        Case.objects.filter(access.case_visibility_filter(user), pk=case_id)
        .select_related("team", "agency")
        .distinct()
        .first()
    )
    if case is None:
        raise Http404("No case found.")
    return case


def case_user_may(user, case: Case) -> dict[str, bool]:
    """What this user may do on an open case, for the page to offer the right actions."""
    return {
        "record": user.has_perm("people.record_on_case", case),
        "manage": user.has_perm("people.manage_case", case),
        "access_report": user.has_perm("people.read_access_report", case),
    }


def case_people(case: Case) -> dict:
    memberships = list(
        case.memberships.select_related("person").order_by("-person__kind", "person__date_of_birth")
    )
    person_ids = [m.person_id for m in memberships]
    relationships = Relationship.objects.filter(
        person_id__in=person_ids, relative_id__in=person_ids
    ).select_related("person", "relative")
    return {
        "children": [m.person for m in memberships if m.person.kind == Person.Kind.CHILD],
        "adults": [m.person for m in memberships if m.person.kind == Person.Kind.ADULT],
        "relationships": list(relationships),
    }


def case_children(case: Case) -> list[Person]:
    return list(
        Person.objects.filter(memberships__case=case, kind=Person.Kind.CHILD).order_by(
            "date_of_birth", "given_name"
        )
    )


def allocation_history(case: Case) -> QuerySet[Allocation]:
    return case.allocations.select_related("worker", "allocated_by").order_by("-started_on", "-id")


def allocation_current(case: Case) -> Allocation | None:
    return case.allocations.filter(ended_on__isnull=True).select_related("worker").first()


def workers_allocatable_for(case: Case) -> QuerySet[User]:
    return User.objects.filter(
        agency_id=case.agency_id,
        team_id=case.team_id,
        role__in=[Role.SOCIAL_WORKER, Role.TEAM_MANAGER],
        is_active=True,
    ).order_by("first_name", "last_name")


def case_find_for_break_glass(user, *, reference: str) -> Case | None:
    """A restricted case the user's role would reach, found only by its exact reference."""
    return (
        Case.objects.filter(
            access.case_break_glass_filter(user), reference__iexact=reference.strip()
        )
        .distinct()
        .first()
    )


def break_glass_report(user) -> QuerySet:
    """Break-glass openings of the cases this user answers for: a team's manager sees their
    team's, a senior leader the whole agency's."""
    if user.role == Role.SENIOR_LEADER and user.agency_id:
        scope = Q(agency_id=user.agency_id)
    elif user.role == Role.TEAM_MANAGER and user.team_id:
        scope = Q(agency_id=user.agency_id, case__team_id=user.team_id)
    else:
        return BreakGlassAccess.objects.none()
    return BreakGlassAccess.objects.filter(scope).select_related("case", "user")


def case_access_list(case: Case) -> QuerySet:
    return case.access_grants.filter(revoked_at__isnull=True).select_related("user", "granted_by")


def cases_deleted_for_restore(user) -> QuerySet[Case]:
    if user.role != Role.ADMINISTRATOR or not user.agency_id:
        return Case.objects.none()
    return Case.objects.filter(agency_id=user.agency_id, deleted_at__isnull=False).select_related(
        "deleted_by", "team"
    )


def agency_staff(case: Case) -> QuerySet[User]:
    return User.objects.filter(agency_id=case.agency_id, is_active=True).order_by(
        "first_name", "last_name"
    )
