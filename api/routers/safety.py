"""The safety network and safety plans, written only through safety.services."""

from ninja import Query, Router, Status

from api import selectors
from api.models import Scope
from api.pagination import paginate
from api.routers.common import (
    audit_read,
    case_for,
    children_of,
    person_of,
    read,
    records_of,
    write,
)
from api.schemas import (
    AgreeIn,
    Id,
    ListParams,
    NetworkMemberIn,
    NetworkMemberOut,
    PlanDetailsIn,
    RuleIn,
    RuleOut,
    SafetyPlanDetailOut,
    SafetyPlanOut,
    SafetyPlanPage,
)
from practice.models import DangerStatement
from safety import services
from safety.models import NetworkMember, SafetyPlan
from safety.selectors import network_members, safety_plan_get, safety_plan_rules

router = Router(tags=["safety"])
PLAN = "/cases/{case_id}/safety-plans/{plan_id}"


class SafetyPlanDetail(SafetyPlanDetailOut):
    @staticmethod
    def resolve_rules(obj):
        return obj.rules_list


def _plan(request, case_id: int, plan_id: int, *, recording: bool = False) -> SafetyPlan:
    case = case_for(request, case_id, recording=recording)
    return safety_plan_get(case=case, plan_id=plan_id)


def _members(case, ids) -> list[NetworkMember]:
    return records_of(
        case.network_members.all(), ids, "Only people in this family's safety network can be named."
    )


@router.get(
    "/cases/{case_id}/network",
    **read(Scope.SAFETY_READ, "The safety network, active people first", list[NetworkMemberOut]),
)
def network_list(request, case_id: Id):
    case = case_for(request, case_id)
    members = network_members(case)
    audit_read(request, "api.network_read", count=len(members), target=case, case_id=case.pk)
    return members


@router.post(
    "/cases/{case_id}/network",
    **write(Scope.SAFETY_WRITE, "Add someone to the safety network", NetworkMemberOut, status=201),
)
def network_member_add(request, case_id: Id, data: NetworkMemberIn):
    case = case_for(request, case_id, recording=True)
    values = data.model_dump(exclude={"person_id", "children", "joined_on"})
    values["kind"] = data.kind.value
    member = services.network_member_add(
        actor=request.user,
        case=case,
        joined_on=data.joined_on,
        children=children_of(case, data.children),
        person=person_of(case, data.person_id),
        **values,
    )
    return Status(201, member)


@router.get(
    "/cases/{case_id}/safety-plans",
    **read(Scope.SAFETY_READ, "List a case's safety plans, newest first", SafetyPlanPage),
)
def safety_plan_list(request, case_id: Id, params: Query[ListParams]):
    case = case_for(request, case_id)
    plans = selectors.api_safety_plan_list(case, updated_since=params.updated_since)
    result = paginate(plans, params)
    audit_read(
        request,
        "api.safety_plans_listed",
        count=len(result["results"]),
        target=case,
        case_id=case.pk,
        ids=[p.pk for p in result["results"]],
    )
    return result


@router.get(PLAN, **read(Scope.SAFETY_READ, "Read a safety plan with its rules", SafetyPlanDetail))
def safety_plan_detail(request, case_id: Id, plan_id: Id):
    plan = _plan(request, case_id, plan_id)
    plan.rules_list = safety_plan_rules(plan)
    audit_read(
        request,
        "api.safety_plan_read",
        count=len(plan.rules_list),
        target=plan,
        case_id=plan.case_id,
    )
    return plan


@router.post(
    "/cases/{case_id}/safety-plans",
    **write(Scope.SAFETY_WRITE, "Start a draft safety plan", SafetyPlanOut, status=201),
)
def safety_plan_start(request, case_id: Id):
    """If a plan is in force, its rules are copied into the new draft."""
    case = case_for(request, case_id, recording=True)
    plan = services.safety_plan_start(actor=request.user, case=case)
    return Status(201, safety_plan_get(case=case, plan_id=plan.pk))


@router.patch(PLAN, **write(Scope.SAFETY_WRITE, "Change a draft plan's details", SafetyPlanOut))
def safety_plan_update_details(request, case_id: Id, plan_id: Id, data: PlanDetailsIn):
    plan = _plan(request, case_id, plan_id, recording=True)
    services.safety_plan_update_details(
        actor=request.user,
        plan=plan,
        expected_revision=data.expected_revision,
        if_broken=data.if_broken,
        who_to_call=data.who_to_call,
        next_review_on=data.next_review_on,
    )
    return safety_plan_get(case=plan.case, plan_id=plan.pk)


@router.post(
    f"{PLAN}/rules", **write(Scope.SAFETY_WRITE, "Add a rule to a draft plan", RuleOut, status=201)
)
def safety_plan_rule_add(request, case_id: Id, plan_id: Id, data: RuleIn):
    plan = _plan(request, case_id, plan_id, recording=True)
    statements = records_of(
        DangerStatement.objects.filter(map__case=plan.case),
        data.danger_statements,
        "Only danger statements from this family's maps can be linked.",
    )
    rule = services.safety_plan_rule_add(
        actor=request.user,
        plan=plan,
        danger_statements=statements,
        members=_members(plan.case, data.members),
        text=data.text,
        who=data.who,
        when=data.when,
        how_checked=data.how_checked,
    )
    return Status(201, rule)


@router.post(
    f"{PLAN}/agree",
    **write(Scope.SAFETY_WRITE, "Record that the family agreed the plan", SafetyPlanOut),
)
def safety_plan_agree(request, case_id: Id, plan_id: Id, data: AgreeIn):
    """The plan in force until now is superseded from `agreed_on`."""
    plan = _plan(request, case_id, plan_id, recording=True)
    services.safety_plan_agree(
        actor=request.user,
        plan=plan,
        expected_revision=data.expected_revision,
        agreed_on=data.agreed_on,
        agreed_with=data.agreed_with,
        next_review_on=data.next_review_on,
        members=_members(plan.case, data.members),
    )
    return safety_plan_get(case=plan.case, plan_id=plan.pk)
