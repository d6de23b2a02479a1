"""Reads for the statutory returns, always scoped to the user's own agency.

Who: performance analysts and senior leaders (`READERS`) produce and read the agency's returns;
every other role is refused (deny by default). A return is agency-wide by nature, so it reads
every case of the agency, restricted or not, as the DfE requires every child to be returned;
it shows names only on the validation report, which those roles may already see (they open
every case in the agency, docs/architecture.md)."""

from agencies.models import Role
from process.models import (
    Assessment,
    ChildInNeedPlan,
    ChildProtectionPlan,
    Closure,
    Conference,
    Referral,
    Section47Enquiry,
)
from returns.cin_census import CensusRecords
from returns.spec import CinSpec

READERS = frozenset({Role.PERFORMANCE_ANALYST, Role.SENIOR_LEADER})


def may_produce_returns(user) -> bool:
    return bool(user.is_authenticated and getattr(user, "agency_id", None) and user.role in READERS)


def census_records(*, agency, spec: CinSpec) -> CensusRecords:
    """Everything the census for `spec`'s year needs, in eight queries whatever the number of
    children: every referral received by the census date (earlier ones too, as an episode
    may still be open), with the records that hang off them."""
    ref = spec.reference_date
    live = {"agency": agency, "case__deleted_at__isnull": True}
    referrals = list(Referral.objects.filter(**live, received_on__lte=ref).select_related("child"))
    child_ids = {r.child_id for r in referrals}
    mine = {**live, "child_id__in": child_ids}
    return CensusRecords(
        referrals=referrals,
        closures=list(Closure.objects.filter(**live, approved=True)),
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
