import re

from django.db.models import Case as DbCase
from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet, Value, When
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
from people.names import name_key
from people.search import PersonSearch, parse_person_search


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
    """The case, if this user may open it; otherwise 404, so its existence stays hidden.
    The case keeps note that this person may open it; on such a case their role decides what
    else they may do (`access.CASE_PERMISSIONS`), so the permission checks on it (`has_perm`,
    `case_user_may`) answer without another query."""
    case = (
        Case.objects.filter(access.case_visibility_filter(user), pk=case_id)
        .select_related("team", "agency")
        .first()  # the filter's joins may repeat the case; the first row is enough
    )
    if case is None:
        raise Http404("No case found.")
    access.note_may_open(user, case)
    return case


def case_user_may(user, case: Case) -> dict[str, bool]:
    """What this user may do on an open case, for the page to offer the right actions."""
    return {
        name: user.has_perm(permission, case)
        for name, (permission, _) in access.CASE_PERMISSIONS.items()
    }


# How every page and form lists a case's children: eldest first, twins by name.
ELDEST_FIRST = ("date_of_birth", "given_name", "pk")


def case_people(case: Case) -> dict:
    memberships = list(
        case.memberships.select_related("person").order_by(
            "-person__kind", *(f"person__{field}" for field in ELDEST_FIRST)
        )
    )
    people = {m.person_id: m.person for m in memberships}
    relationships = list(
        Relationship.objects.filter(person_id__in=list(people), relative_id__in=list(people))
    )
    for relationship in relationships:  # both ends are people already read
        relationship.person = people[relationship.person_id]
        relationship.relative = people[relationship.relative_id]
    return {
        "children": [m.person for m in memberships if m.person.kind == Person.Kind.CHILD],
        "adults": [m.person for m in memberships if m.person.kind == Person.Kind.ADULT],
        "relationships": relationships,
    }


def case_children(case: Case) -> QuerySet[Person]:
    """The case's children as every page lists them, and the choices of every form that asks
    which child."""
    return Person.objects.filter(memberships__case=case, kind=Person.Kind.CHILD).order_by(
        *ELDEST_FIRST
    )


def case_family(case: Case) -> QuerySet[Person]:
    """Everyone on the case, the children first, each group eldest first."""
    return Person.objects.filter(memberships__case=case).order_by("-kind", *ELDEST_FIRST)


def allocation_history(case: Case) -> QuerySet[Allocation]:
    return case.allocations.select_related("worker", "allocated_by").order_by("-started_on", "-id")


def allocation_current(case: Case, *, history: list[Allocation] | None = None) -> Allocation | None:
    """The open allocation; taken from the case's `allocation_history` when the caller has it."""
    if history is not None:
        return next((a for a in history if a.ended_on is None), None)
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


PERSON_SEARCH_LIMIT = 50


def person_search(user, *, query: str) -> PersonSearch:
    """The people on cases this user may open who match a search by name (also names that
    sound alike), date of birth, unique pupil number, NHS number or case reference; the
    closest matches first, at most PERSON_SEARCH_LIMIT of them. Two queries, and two more for
    each identifier."""
    terms = parse_person_search(query)
    if terms.is_empty:
        return PersonSearch(terms=terms, people=[], more=False)
    visible_cases = Case.objects.filter(access.case_visibility_filter(user)).values("pk")
    people = Person.objects.filter(agency_id=user.agency_id).filter(
        Exists(CaseMember.objects.filter(person_id=OuterRef("pk"), case__in=visible_cases))
    )
    scores = []
    for number, word in enumerate(terms.words):
        how = _name_matches(word)
        people = people.filter(how["exact"] | how["prefix"] | how["sounds"] | how["within"])
        score = f"s_score_{number}"
        people = people.annotate(
            **{
                score: DbCase(
                    When(how["exact"], then=Value(4)),
                    When(how["prefix"], then=Value(3)),
                    When(how["sounds"], then=Value(2)),
                    default=Value(1),
                )
            }
        )
        scores.append(score)
    if terms.born_on:
        people = people.filter(
            Q(date_of_birth=terms.born_on) | Q(expected_date_of_birth=terms.born_on)
        )
    for identifier in terms.identifiers:
        # Who holds the identifier is found first, by lookups on it: the cases with it as their
        # reference, then (one query) their members and the people with it as UPN or NHS
        # number. Tested person by person instead, it took seconds on SQLite at county size.
        digits = re.sub(r"\D", "", identifier)
        referenced = list(
            Case.objects.filter(access.case_visibility_filter(user), reference__iexact=identifier)
            .values_list("pk", flat=True)
            .distinct()
        )
        by_number = Person.objects.filter(agency_id=user.agency_id).filter(
            Q(upn__iexact=identifier)
            | (Q(nhs_number=digits) if len(digits) == 10 else access.NOTHING)
        )
        holders = (
            CaseMember.objects.filter(case_id__in=referenced)
            .order_by()
            .values_list("person_id", flat=True)
            .union(by_number.order_by().values_list("pk", flat=True))
        )
        people = people.filter(pk__in=list(holders))
    ordering = [F(score).desc() for score in scores] + ["family_name", "given_name", "pk"]
    memberships = CaseMember.objects.filter(case__in=visible_cases).select_related("case__team")
    found = list(
        people.order_by(*ordering).prefetch_related(
            Prefetch(
                "memberships",
                queryset=memberships.order_by("case__status", "-case__opened_on"),
                to_attr="visible_memberships",
            )
        )[: PERSON_SEARCH_LIMIT + 1]
    )
    for person in found:
        # A name found only because it sounds like the search, or holds it within, is shown
        # as a similar name so nobody mistakes it for the person asked about.
        person.similar_name = any(getattr(person, score) < 3 for score in scores)
    return PersonSearch(
        terms=terms, people=found[:PERSON_SEARCH_LIMIT], more=len(found) > PERSON_SEARCH_LIMIT
    )


def _name_matches(word: str) -> dict[str, Q]:
    fields = ("given_name", "family_name", "known_as")
    key = name_key(word)

    def any_field(lookup, value, field_suffix=""):
        found = access.NOTHING
        for name in fields:
            found |= Q(**{f"{name}{field_suffix}__{lookup}": value})
        return found

    return {
        "exact": any_field("iexact", word),
        "prefix": any_field("istartswith", word),
        # A key of one letter (as for "Amy" or "Ian") would match half the agency.
        "sounds": any_field("exact", key, "_key") if len(key) >= 2 else access.NOTHING,
        # Part of a double-barrelled family name, such as "Jones" in "Smith-Jones".
        "within": Q(family_name__icontains=word) if len(word) >= 3 else access.NOTHING,
    }
