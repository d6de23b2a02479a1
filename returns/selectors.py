"""Reads for the statutory returns, always scoped to the user's own agency.

Who: performance analysts and senior leaders (`READERS`) produce and read the agency's returns;
every other role is refused (deny by default). A return is agency-wide by nature, so it reads
every case of the agency, restricted or not, as the DfE requires every child to be returned;
it shows names only on the validation report, which those roles may already see (they open
every case in the agency, docs/architecture.md)."""

from collections import defaultdict

from django.db.models import Exists, Min, OuterRef, Q

from agencies.models import Role
from people.models import Allocation, Case, CaseMember, Person, Relationship
from process.models import (
    Adoption,
    AdoptionDecision,
    Assessment,
    AsylumSeekingStatus,
    CareLeaverContact,
    ChildInNeedPlan,
    ChildProtectionPlan,
    Closure,
    Conference,
    Contact,
    LookedAfterEpisode,
    LookedAfterOutcomes,
    LookedAfterReview,
    MissingEpisode,
    Referral,
    Section47Enquiry,
    StatutoryVisit,
)
from returns.annex_a import AnnexARecords
from returns.cin_census import CensusRecords
from returns.spec import CinSpec, LacSpec
from returns.ssda903 import LacRecords

READERS = frozenset({Role.PERFORMANCE_ANALYST, Role.SENIOR_LEADER})


def may_produce_returns(user) -> bool:
    return bool(user.is_authenticated and getattr(user, "agency_id", None) and user.role in READERS)


def census_records(*, agency, spec: CinSpec) -> CensusRecords:
    """Everything the census for `spec`'s year needs, in eight queries whatever the number of
    children: the children who may have been in need in the year, with every referral of
    theirs received by the census date (earlier ones too, as an episode may still be open, and
    a child's earlier plans count), and the records that hang off them.

    A county has fifteen years of children behind it, most of them long gone from the service,
    so a child is left out when every one of their episodes ended before the year began: the
    referral was decided for no further action or early help before then, or a closure of its
    case on or after the referral came before then (as `build_census` ends episodes)."""
    ref, start = spec.reference_date, spec.start_date
    live = {"agency": agency, "case__deleted_at__isnull": True}
    closed_before = Exists(
        Closure.objects.filter(
            case_id=OuterRef("case_id"),
            approved=True,
            closed_on__gte=OuterRef("received_on"),
            closed_on__lt=start,
        )
    )
    decided_before = Q(
        decision__in=[Referral.Decision.NO_FURTHER_ACTION, Referral.Decision.EARLY_HELP],
        decided_on__lt=start,
    )
    children = (
        Referral.objects.filter(**live, received_on__lte=ref)
        .exclude(Q(received_on__lt=start) & (decided_before | Q(closed_before)))
        .values("child_id")
    )
    theirs = Referral.objects.filter(**live, received_on__lte=ref, child_id__in=children)
    referrals = list(theirs.select_related("child"))
    mine = {**live, "child_id__in": children}
    return CensusRecords(
        referrals=referrals,
        closures=list(
            Closure.objects.filter(**live, approved=True, case_id__in=theirs.values("case_id"))
        ),
        assessments=list(Assessment.objects.filter(**mine, started_on__lte=ref)),
        section47s=list(
            Section47Enquiry.objects.filter(**mine, started_on__lte=ref).select_related(
                "strategy_discussion"
            )
        ),
        initial_conferences=list(Conference.objects.filter(**mine, kind=Conference.Kind.INITIAL)),
        review_conferences=list(
            Conference.objects.filter(**mine, kind=Conference.Kind.REVIEW, held_on__lte=ref)
        ),
        cp_plans=list(ChildProtectionPlan.objects.filter(**mine, started_on__lte=ref)),
        cin_plans=list(ChildInNeedPlan.objects.filter(**mine, started_on__lte=ref)),
    )


def looked_after_records(*, agency, spec: LacSpec) -> LacRecords:
    """Everything the SSDA903 return for `spec`'s year needs, in thirteen queries whatever the
    number of children: every child with a looked-after episode started by 31 March or a care
    leaver record for the year, with all their episodes (to find each period of care's start)
    and the records that hang off them."""
    live = {"agency": agency, "case__deleted_at__isnull": True}
    episodes = list(
        LookedAfterEpisode.objects.filter(
            **live, started_on__lte=spec.reference_date
        ).select_related("child")
    )
    care_leavers = list(
        CareLeaverContact.objects.filter(**live, year=spec.end_year).select_related("child")
    )
    child_ids = {e.child_id for e in episodes} | {c.child_id for c in care_leavers}
    mine = {**live, "child_id__in": child_ids}
    case_ids = {e.case_id for e in episodes}
    births = (
        Relationship.objects.filter(
            person_id__in=child_ids,
            kind=Relationship.Kind.MOTHER,
            relative__date_of_birth__lte=spec.reference_date,
        )
        .values("person_id")
        .annotate(first=Min("relative__date_of_birth"))
    )
    return LacRecords(
        episodes=episodes,
        referrals=list(Referral.objects.filter(**mine)),
        reviews=list(LookedAfterReview.objects.filter(**mine)),
        uasc=list(AsylumSeekingStatus.objects.filter(**mine)),
        missing=list(MissingEpisode.objects.filter(**mine)),
        adoption_decisions=list(AdoptionDecision.objects.filter(**mine)),
        adoptions=list(Adoption.objects.filter(**mine)),
        outcomes=list(LookedAfterOutcomes.objects.filter(**mine, year=spec.end_year)),
        care_leavers=care_leavers,
        allocations=list(Allocation.objects.filter(agency=agency, case_id__in=case_ids)),
        first_child_births={row["person_id"]: row["first"] for row in births},
    )


def annex_a_records(*, agency, period) -> AnnexARecords:
    """Everything Ofsted's Annex A needs for the period, in a fixed number of queries: the
    records of every child with a referral, contact or looked-after episode by the reference
    date (earlier ones too: a plan or a period of care may have started long before)."""
    ref = period.reference_date
    live = {"agency": agency, "case__deleted_at__isnull": True}
    contacts = list(
        Contact.objects.filter(**live, contact_on__gte=period.start, contact_on__lte=ref)
    )
    referrals = list(Referral.objects.filter(**live, received_on__lte=ref))
    episodes = list(LookedAfterEpisode.objects.filter(**live, started_on__lte=ref))
    care_leavers = list(CareLeaverContact.objects.filter(**live))
    case_children = defaultdict(list)
    contact_cases = {c.case_id for c in contacts if c.child_id is None}
    for membership in CaseMember.objects.filter(
        case_id__in=contact_cases, person__kind=Person.Kind.CHILD
    ).order_by("person_id"):
        case_children[membership.case_id].append(membership.person_id)
    child_ids = (
        {r.child_id for r in referrals}
        | {e.child_id for e in episodes}
        | {c.child_id for c in contacts if c.child_id}
        | {c.child_id for c in care_leavers}
        | {child for children in case_children.values() for child in children}
    )
    mine = {**live, "child_id__in": child_ids}
    cases = Case.objects.filter(agency=agency, deleted_at__isnull=True)
    return AnnexARecords(
        people=Person.objects.in_bulk(child_ids),
        team_names=dict(cases.values_list("pk", "team__name")),
        allocations=list(Allocation.objects.filter(agency=agency).select_related("worker")),
        contacts=contacts,
        referrals=referrals,
        assessments=list(Assessment.objects.filter(**mine, started_on__lte=ref)),
        visits=list(StatutoryVisit.objects.filter(**mine, visited_on__lte=ref)),
        section47s=list(Section47Enquiry.objects.filter(**mine, started_on__lte=ref)),
        conferences=list(Conference.objects.filter(**mine, held_on__lte=ref)),
        cp_plans=list(ChildProtectionPlan.objects.filter(**mine, started_on__lte=ref)),
        cin_plans=list(ChildInNeedPlan.objects.filter(**mine, started_on__lte=ref)),
        closures=list(Closure.objects.filter(**live, approved=True, closed_on__lte=ref)),
        episodes=episodes,
        reviews=list(LookedAfterReview.objects.filter(**mine, held_on__lte=ref)),
        uasc=list(AsylumSeekingStatus.objects.filter(**mine)),
        missing=list(MissingEpisode.objects.filter(**mine, started_on__lte=ref)),
        adoption_decisions=list(AdoptionDecision.objects.filter(**mine, decided_on__lte=ref)),
        adoptions=list(Adoption.objects.filter(**mine)),
        care_leavers=care_leavers,
        case_children=dict(case_children),
    )
