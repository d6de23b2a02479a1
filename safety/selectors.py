"""Reads of the safety network, safety plans and trajectory. Callers pass a case they have
already fetched through people.selectors.case_get_visible, so every read here is scoped by the
same access rules as its case."""

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from people.models import Case, Person
from practice.models import DangerStatement, Map
from safety.models import (
    MonitoringCheckIn,
    NetworkMember,
    NetworkStatusChange,
    SafetyPlan,
    SafetyPlanReview,
    SafetyPlanRule,
    TrajectoryStage,
)


def network_members(case: Case) -> list[NetworkMember]:
    """The whole network, active people first, with their children and status history."""
    children = Prefetch("children", queryset=Person.objects.order_by("date_of_birth"))
    changes = Prefetch(
        "status_changes",
        queryset=NetworkStatusChange.objects.select_related("recorded_by").order_by(
            "changed_on", "id"
        ),
    )
    members = list(
        case.network_members.select_related("person").prefetch_related(children, changes)
    )
    order = {status: i for i, status in enumerate(NetworkMember.Status.values)}
    return sorted(members, key=lambda m: (order[m.status], m.name.lower(), m.pk))


def network_member_get(*, case: Case, member_id: int) -> NetworkMember:
    member = (
        case.network_members.filter(pk=member_id)
        .select_related("person")
        .prefetch_related("children")
        .first()
    )
    if member is None:
        raise Http404("No network member found.")
    return member


def network_counts(case: Case) -> dict[str, int]:
    """How many people are in the network now, and how many of them know about the worries."""
    active = Q(status=NetworkMember.Status.ACTIVE)
    return case.network_members.aggregate(
        size=Count("pk", filter=active),
        informed=Count("pk", filter=active & Q(informed=True)),
        seen_words_and_pictures=Count("pk", filter=active & Q(seen_words_and_pictures=True)),
        stepped_back=Count("pk", filter=~active),
    )


def safety_plan_list(case: Case) -> QuerySet[SafetyPlan]:
    return case.safety_plans.select_related("created_by", "agreed_recorded_by").order_by("-number")


def safety_plan_get(*, case: Case, plan_id: int) -> SafetyPlan:
    plan = (
        case.safety_plans.filter(pk=plan_id)
        .select_related("created_by", "agreed_recorded_by", "based_on")
        .first()
    )
    if plan is None:
        raise Http404("No safety plan found.")
    return plan


def safety_plan_in_force(case: Case) -> SafetyPlan | None:
    return case.safety_plans.filter(status__in=SafetyPlan.IN_FORCE).first()


def safety_plan_draft(case: Case) -> SafetyPlan | None:
    return case.safety_plans.filter(status=SafetyPlan.Status.DRAFT).first()


def safety_plan_rules(plan: SafetyPlan) -> list[SafetyPlanRule]:
    statements = Prefetch(
        "danger_statements",
        queryset=DangerStatement.objects.select_related("safety_goal", "map").order_by("id"),
    )
    members = Prefetch("members", queryset=NetworkMember.objects.order_by("name"))
    return list(plan.rules.prefetch_related(statements, members).order_by("id"))


def safety_plan_rule_get(*, plan: SafetyPlan, rule_id: int) -> SafetyPlanRule:
    rule = plan.rules.filter(pk=rule_id).prefetch_related("danger_statements", "members").first()
    if rule is None:
        raise Http404("No rule found.")
    return rule


def safety_plan_reviews(plan: SafetyPlan) -> list[SafetyPlanReview]:
    return list(plan.reviews.select_related("recorded_by").order_by("-reviewed_on", "-id"))


def safety_plan_check_ins(plan: SafetyPlan) -> list[MonitoringCheckIn]:
    return list(
        plan.check_ins.select_related("member", "recorded_by")
        .prefetch_related(Prefetch("rules", queryset=SafetyPlanRule.objects.order_by("id")))
        .order_by("-checked_on", "-id")
    )


def danger_statements_for_plan(plan: SafetyPlan) -> list[DangerStatement]:
    """What a rule can address: the danger statements of the latest map (finalised, or the
    draft while there is none), plus any already linked to this plan's rules."""
    case_maps = Map.objects.filter(case_id=plan.case_id)
    latest = (
        case_maps.filter(status=Map.Status.FINALISED).order_by("-number").first()
        or case_maps.order_by("-number").first()
    )
    linked = Q(safety_plan_rules__plan=plan)
    scope = linked | Q(map=latest) if latest is not None else linked
    return list(
        DangerStatement.objects.filter(scope, map__case_id=plan.case_id)
        .select_related("safety_goal", "map")
        .distinct()
        .order_by("-map__number", "id")
    )


def active_network(case: Case) -> QuerySet[NetworkMember]:
    return case.network_members.filter(status=NetworkMember.Status.ACTIVE).order_by("name")


def trajectory_stages(case: Case) -> list[TrajectoryStage]:
    return list(case.trajectory_stages.order_by("position", "id"))


def trajectory_stage_get(*, case: Case, stage_id: int) -> TrajectoryStage:
    stage = case.trajectory_stages.filter(pk=stage_id).first()
    if stage is None:
        raise Http404("No stage found.")
    return stage


def case_safety_summary(case: Case, *, user, may_record: bool | None = None) -> dict:
    """What the case page shows of the network, the plan and the trajectory, in a fixed number
    of queries whatever the size of the network or the number of plan versions."""
    if may_record is None:  # the case page passes the answer it already has
        may_record = user.has_perm("people.record_on_case", case)
    counts = network_counts(case)
    plans = list(
        case.safety_plans.filter(
            Q(status=SafetyPlan.Status.DRAFT) | Q(status__in=SafetyPlan.IN_FORCE)
        ).order_by("-number")
    )
    current = next((p for p in plans if p.is_in_force), None)
    draft = next((p for p in plans if p.is_draft), None)
    today = timezone.localdate()
    stages = trajectory_stages(case)
    next_stage = next((s for s in stages if s.achieved_on is None), None)
    return {
        "network_size": counts["size"],
        "network_informed": counts["informed"],
        "network_not_informed": counts["size"] - counts["informed"],
        "current_plan": current,
        "draft_plan": draft,
        "review_overdue": bool(
            current and current.next_review_on and current.next_review_on < today
        ),
        "stages": stages,
        "next_stage": next_stage,
        "stages_achieved": sum(1 for s in stages if s.achieved_on),
        "may_record": may_record,
        "today": today,
    }
