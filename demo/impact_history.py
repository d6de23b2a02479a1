"""Earlier involvement for some of the demo's families, so the impact measures have something
true to show.

The process history (`demo.process_demo`) gives each child one referral, when their current case
opened. Real families come back: here some of the children in child protection and child in
need cases were known before, in an earlier case of the same family that closed before the
current referral. Each earlier case has its whole process, written by the same steps as the
rest of the demo (referral, assessment, section 47, conference, plans, reviews, approvals, an
approved closure), and one of these stories:

- a child in need plan that closed (mostly to early help), the child referred again within 12
  months of the earlier referral ("within 12 months") or after more than 12 months;
- a child protection plan that ended, the child referred again within 12 months;
- a child protection plan that stepped down to a child in need plan (which started within two
  weeks and closed to early help), the child coming back within a few years;
- a child protection plan that lasted two years or more;
- a child protection plan that ended more than two years before the current one started.

A current child protection plan after any of the earlier plans is a second plan. Every earlier
case closes before the current referral, and starts no more than four years ago. Drawn from its
own generator, so the rest of the demo stays as it was."""

from __future__ import annotations

import datetime
import random

from agencies.models import Agency, Service
from demo.process_demo import _History
from people.models import Allocation, Case, CaseMember, Person
from process.models import (
    Approval,
    ChildInNeedPlan,
    ChildInNeedReview,
    ChildProtectionPlan,
    Referral,
)

# Each story: the service of the earlier case, and how many days before the current referral
# the earlier case opened (its referral) and closed.
STORIES = {
    "in_need_within_year": Service.CHILDREN_IN_NEED,
    "in_need_long_ago": Service.CHILDREN_IN_NEED,
    "step_down": Service.CHILD_PROTECTION,
    "plan_within_year": Service.CHILD_PROTECTION,
    "long_plan": Service.CHILD_PROTECTION,
    "plan_long_ago": Service.CHILD_PROTECTION,
}
# The stories told in turn for a family now in each service (the earlier case was held by the
# same team, so in the same service): children in need come back after a child in need plan,
# children on a plan now are on a second one.
TURNS = {
    Service.CHILD_PROTECTION: ["step_down", "plan_within_year", "long_plan", "plan_long_ago"],
    Service.CHILDREN_IN_NEED: ["in_need_within_year", "in_need_long_ago"],
}
FOUR_YEARS = 4 * 365
# Days left between the earlier closure and the current referral, at least.
GAP = 25


def _days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def _dates(story: str, rng: random.Random, referred: datetime.date):
    """The earlier case's opening, the day its child protection plan should end (if it has
    one) and its closure."""
    plan_end = None
    if story in ("in_need_within_year", "plan_within_year"):
        opened = referred - _days(rng.randint(220, 340))
        closed = referred - _days(rng.randint(GAP, 80))
    elif story == "in_need_long_ago":
        opened = referred - _days(rng.randint(480, 800))
        closed = opened + _days(rng.randint(150, 300))
    elif story == "step_down":
        opened = referred - _days(rng.randint(500, 900))
        plan_end = opened + _days(rng.randint(200, 400))
        closed = plan_end + _days(rng.randint(90, 180))
    elif story == "long_plan":
        opened = referred - _days(rng.randint(950, 1200))
        plan_end = opened + _days(rng.randint(800, 860))  # two years after the conference
        closed = plan_end + _days(rng.randint(14, 40))
    else:  # plan_long_ago
        opened = referred - _days(rng.randint(1100, 1250))
        plan_end = opened + _days(rng.randint(180, 300))
        closed = plan_end + _days(rng.randint(14, 40))
    return opened, plan_end, min(closed, referred - _days(GAP))


def add_impact_history(*, agency: Agency, rng: random.Random, today: datetime.date) -> None:
    """Earlier cases for about half the child protection and child in need families."""
    own = random.Random("impact-history")
    first_referral = {}
    for case_id, child_id, received in (
        Referral.objects.filter(
            agency=agency,
            case__deleted_at__isnull=True,
            case__service__in=[Service.CHILD_PROTECTION, Service.CHILDREN_IN_NEED],
        )
        .order_by("case_id", "received_on", "pk")
        .values_list("case_id", "child_id", "received_on")
    ):
        first_referral.setdefault(case_id, {}).setdefault(child_id, received)
    current = list(Case.objects.filter(pk__in=first_referral).order_by("pk"))
    turns = {service: 0 for service in TURNS}
    cases, members, allocations, plans = [], [], [], {}
    for case in current:
        if own.random() < 0.5:
            continue
        referred = min(first_referral[case.pk].values())
        story = TURNS[case.service][turns[case.service] % len(TURNS[case.service])]
        turns[case.service] += 1
        opened, plan_end, closed = _dates(story, own, referred)
        if opened < today - _days(FOUR_YEARS) or (closed - opened).days < 120:
            continue
        children = list(
            Person.objects.filter(
                pk__in=first_referral[case.pk],
                date_of_birth__lte=opened - _days(30),
                expected_date_of_birth__isnull=True,
            ).order_by("pk")
        )
        if not children:
            continue
        earlier = Case(
            agency=agency,
            reference=f"NB-E{len(cases) + 1:05d}",
            name=case.name,
            team=case.team,
            service=STORIES[story],
            status=Case.Status.CLOSED,
            opened_on=opened,
            closed_on=closed,
        )
        cases.append(earlier)
        plans[earlier.reference] = (story, plan_end)
        adults = Person.objects.filter(memberships__case=case, kind=Person.Kind.ADULT)
        for person in [*children, *adults.order_by("pk")]:
            members.append(CaseMember(agency=agency, case=earlier, person=person))
        # The worker who took the family on later held the earlier case too, allocated by the
        # same team manager.
        first = Allocation.objects.filter(case=case).order_by("started_on", "pk").first()
        allocations.append(
            Allocation(
                agency=agency,
                case=earlier,
                worker=first.worker,
                allocated_by=first.allocated_by,
                started_on=opened,
                ended_on=closed,
                reason="New case",
            )
        )
    Case.objects.bulk_create(cases)
    for row in [*members, *allocations]:
        row.case_id = row.case.pk
    CaseMember.objects.bulk_create(members)
    Allocation.objects.bulk_create(allocations)
    _EarlierInvolvement(agency, own, today, cases, plans).write()


class _EarlierInvolvement(_History):
    """The process steps of `demo.process_demo`, with the earlier case's own ending: a plan that
    ends on the story's day, a step-down to a child in need plan, a close to early help."""

    def __init__(self, agency, rng, today, cases, plans):
        super().__init__(agency, rng, today, cases)
        self.plans = plans

    def _closure_reason(self, case) -> str:
        return "RC7"  # received a service and no longer in need (CIN census closure reasons)

    def _protection(self, case, child, received, end) -> datetime.date:
        story, plan_end = self.plans[case.reference]
        # The plan ends a few weeks before the case closes: the story's plan end is given as a
        # closure date to the shared steps, which end the plan 14 to 40 days before it.
        closed_on = case.closed_on
        if story == "step_down":
            case.closed_on = plan_end + _days(self.rng.randint(14, 40))
        try:
            ended = super()._protection(case, child, received, end)
        finally:
            case.closed_on = closed_on
        plan = self.rows[ChildProtectionPlan][-1]
        if story != "step_down" or plan.child_id != child.pk or plan.ended_on is None:
            return ended
        plan.end_reason = ChildProtectionPlan.EndReason.STEP_DOWN_CIN
        start = plan.ended_on + _days(self.rng.randint(1, 10))
        return max(ended, self._in_need_plan(case, child, start))

    def _in_need(self, case, child, completed, end) -> datetime.date:
        ended = super()._in_need(case, child, completed, end)
        plan = self.rows[ChildInNeedPlan][-1]
        if plan.child_id == child.pk and plan.ended_on is not None and self.rng.random() < 0.7:
            plan.end_reason = ChildInNeedPlan.EndReason.EARLY_HELP
        return ended

    def _in_need_plan(self, case, child, start) -> datetime.date:
        """A child in need plan from `start` to shortly before closure, closing to early
        help, with its reviews and the manager's approval."""
        rng = self.rng
        plan = self._row(ChildInNeedPlan, case, start, child=child, started_on=start)
        self._approve(case, Approval.Kind.CIN_PLAN, plan, start, start + _days(rng.randint(0, 3)))
        ended = max(start, case.closed_on - _days(rng.randint(0, 7)))
        review = start + _days(rng.randint(80, 95))
        while review < ended:
            self._row(
                ChildInNeedReview,
                case,
                review,
                child=child,
                plan=plan,
                held_on=review,
                notes="Reviewed the plan with the family.",
            )
            review += _days(rng.randint(80, 95))
        plan.ended_on = ended
        plan.end_reason = ChildInNeedPlan.EndReason.EARLY_HELP
        return ended
