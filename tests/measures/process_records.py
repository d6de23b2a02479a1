"""Statutory process records for the impact measures' tests, written straight to the database
(the process services' checks are theirs to test; these are the dates a measure reads)."""

import datetime

from process.models import (
    ChildInNeedPlan,
    ChildProtectionPlan,
    Conference,
    LookedAfterEpisode,
    Referral,
    Section47Enquiry,
    StrategyDiscussion,
)
from tests import factories


def _base(case, child):
    return {"agency": case.agency, "case": case, "child": child, "recorded_by": _recorder(case)}


def _recorder(case):
    allocation = case.allocations.first()
    return allocation.worker if allocation else factories.UserFactory(team=case.team)


def child_of(case, name="Leo"):
    child = factories.PersonFactory(agency=case.agency, given_name=name)
    factories.CaseMemberFactory(case=case, person=child)
    return child


def referral(case, child, received_on: datetime.date) -> Referral:
    return Referral.objects.create(
        **_base(case, child), received_on=received_on, source="6", primary_need="N1"
    )


def cp_plan(case, child, started_on, ended_on=None, end_reason=None) -> ChildProtectionPlan:
    base = _base(case, child)
    discussion = StrategyDiscussion.objects.create(
        **base, held_on=started_on, participants="Police", decisions="s47", starts_s47=True
    )
    enquiry = Section47Enquiry.objects.create(
        **base, strategy_discussion=discussion, started_on=started_on
    )
    conference = Conference.objects.create(
        **base, kind="initial", held_on=started_on, section47=enquiry
    )
    if ended_on and end_reason is None:
        end_reason = ChildProtectionPlan.EndReason.NO_LONGER_NEEDED
    return ChildProtectionPlan.objects.create(
        **base,
        conference=conference,
        started_on=started_on,
        initial_category="NEG",
        latest_category="NEG",
        ended_on=ended_on,
        end_reason=end_reason or "",
    )


def cin_plan(case, child, started_on, ended_on=None, end_reason=None) -> ChildInNeedPlan:
    if ended_on and end_reason is None:
        end_reason = ChildInNeedPlan.EndReason.NEEDS_MET
    return ChildInNeedPlan.objects.create(
        **_base(case, child), started_on=started_on, ended_on=ended_on, end_reason=end_reason or ""
    )


def episode(
    case, child, started_on, ended_on=None, reason="", placement="U6", legal_status="C2"
) -> LookedAfterEpisode:
    if ended_on and not reason:
        reason = "E13"
    return LookedAfterEpisode.objects.create(
        **_base(case, child),
        started_on=started_on,
        ended_on=ended_on,
        reason_ceased=reason,
        placement=placement,
        legal_status=legal_status,
    )
