"""Every write to the safety network, the safety plans and the trajectory.

Each function is atomic, writes its audit event in the same transaction, refuses a save based
on a stale revision (ConflictError), and refuses to change an agreed plan (RuleViolation)."""

import datetime

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from core.audit import audit_record, field_changes
from core.errors import ConflictError, RuleViolation
from people.models import Case, Person
from practice.models import DangerStatement
from safety.models import (
    MonitoringCheckIn,
    NetworkMember,
    NetworkStatusChange,
    SafetyPlan,
    SafetyPlanReview,
    SafetyPlanRule,
    TrajectoryStage,
)

MEMBER_FIELDS = (
    "name",
    "kind",
    "relationship",
    "person",
    "informed",
    "informed_on",
    "informed_by",
    "seen_words_and_pictures",
    "words_and_pictures_seen_on",
    "plan_roles",
    "phone",
    "email",
    "address",
)
RULE_FIELDS = ("text", "who", "when", "how_checked")
PLAN_DETAIL_FIELDS = ("if_broken", "who_to_call", "next_review_on")
STAGE_FIELDS = ("name", "milestone", "target_on", "achieved_on")


def _check_revision(record, expected: int, what: str):
    if record.revision != expected:
        raise ConflictError(
            f"Someone else changed this {what} after you opened it. Their version is shown; "
            "your text has been kept in the form so you can compare and save again.",
            current=record,
        )


def _audit(actor, verb, target, case_id, changes=None):
    audit_record(actor=actor, verb=verb, target=target, case_id=case_id, changes=changes)


def _children_of_case(case: Case, children) -> list[Person]:
    children = list(children or [])
    allowed = set(
        case.memberships.filter(person__kind=Person.Kind.CHILD).values_list("person_id", flat=True)
    )
    if any(child.pk not in allowed for child in children):
        raise RuleViolation("Only children in this case can be named.")
    return children


def _clean_member_values(case: Case, values: dict) -> dict:
    values = {name: values.get(name) for name in MEMBER_FIELDS}
    for name in ("name", "relationship", "informed_by", "plan_roles", "phone", "email", "address"):
        values[name] = (values[name] or "").strip()
    values["kind"] = values["kind"] or NetworkMember.Kind.FAMILY
    values["informed"] = bool(values["informed"])
    values["seen_words_and_pictures"] = bool(values["seen_words_and_pictures"])
    if not values["informed"]:
        values["informed_on"], values["informed_by"] = None, ""
    if not values["seen_words_and_pictures"]:
        values["words_and_pictures_seen_on"] = None
    if not values["name"]:
        raise RuleViolation("Give the name of the person in the network.")
    person = values["person"]
    if person is not None and not case.memberships.filter(person=person).exists():
        raise RuleViolation("Only people in this case can be linked to a network member.")
    return values


# The safety network ------------------------------------------------------------------------


@transaction.atomic
def network_member_add(
    *, actor, case: Case, joined_on: datetime.date | None = None, children=(), **values
) -> NetworkMember:
    values = _clean_member_values(case, values)
    joined_on = joined_on or timezone.localdate()
    member = NetworkMember.objects.create(
        agency_id=case.agency_id,
        case=case,
        joined_on=joined_on,
        status_since=joined_on,
        created_by=actor,
        **values,
    )
    member.children.set(_children_of_case(case, children))
    NetworkStatusChange.objects.create(
        agency_id=case.agency_id,
        member=member,
        from_status="",
        to_status=member.status,
        changed_on=joined_on,
        reason="Joined the safety network.",
        recorded_by=actor,
    )
    _audit(
        actor,
        "safety.network_member_added",
        member,
        case.pk,
        {"name": member.name, "kind": member.kind, "informed": member.informed},
    )
    return member


@transaction.atomic
def network_member_update(
    *, actor, member: NetworkMember, expected_revision: int, children=(), **values
) -> NetworkMember:
    member = NetworkMember.objects.select_for_update(of=("self",)).get(pk=member.pk)
    _check_revision(member, expected_revision, "network member")
    case = member.case
    values = _clean_member_values(case, values)
    changes = field_changes(member, values)
    for name, value in values.items():
        setattr(member, name, value)
    member.revision += 1
    member.save()
    member.children.set(_children_of_case(case, children))
    _audit(actor, "safety.network_member_changed", member, case.pk, changes)
    return member


@transaction.atomic
def network_member_change_status(
    *,
    actor,
    member: NetworkMember,
    expected_revision: int,
    status: str,
    changed_on: datetime.date,
    reason: str = "",
) -> NetworkMember:
    """Someone steps back, comes back or is no longer involved: dated, with the history kept."""
    member = NetworkMember.objects.select_for_update().get(pk=member.pk)
    _check_revision(member, expected_revision, "network member")
    if status not in NetworkMember.Status.values:
        raise RuleViolation("Choose whether they are active, stepped back or no longer involved.")
    if status == member.status:
        raise RuleViolation(f"{member.name} is already marked {member.get_status_display()}.")
    if changed_on < member.status_since:
        raise RuleViolation(
            f"The date must be on or after {member.status_since:%-d %B %Y}, "
            "when their current status began."
        )
    NetworkStatusChange.objects.create(
        agency_id=member.agency_id,
        member=member,
        from_status=member.status,
        to_status=status,
        changed_on=changed_on,
        reason=reason.strip(),
        recorded_by=actor,
    )
    changes = field_changes(member, {"status": status, "status_since": changed_on})
    member.status, member.status_since = status, changed_on
    member.revision += 1
    member.save()
    _audit(
        actor,
        "safety.network_member_status_changed",
        member,
        member.case_id,
        {**changes, "reason": reason.strip()},
    )
    return member


# Safety plans -------------------------------------------------------------------------------


def _lock_draft(plan_id: int) -> SafetyPlan:
    plan = SafetyPlan.objects.select_for_update(of=("self",)).get(pk=plan_id)
    if not plan.is_draft:
        raise RuleViolation(
            f"Safety plan {plan.number} was agreed on {plan.agreed_on:%-d %B %Y}, so it can no "
            "longer be changed. Your text has been kept below: start a new version of the plan "
            "to change it."
        )
    return plan


def _lock_in_force(plan_id: int) -> SafetyPlan:
    plan = SafetyPlan.objects.select_for_update(of=("self",)).get(pk=plan_id)
    if not plan.is_in_force:
        if plan.is_draft:
            raise RuleViolation("This plan has not been agreed yet.")
        raise RuleViolation(
            f"Safety plan {plan.number} has been replaced by a newer version: record this "
            "against the current plan."
        )
    return plan


def plan_in_force(case: Case) -> SafetyPlan | None:
    return case.safety_plans.filter(status__in=SafetyPlan.IN_FORCE).first()


def _latest_statements(case: Case) -> dict[int, int]:
    """Each danger statement of the case mapped to its newest copy in a later map version."""
    links = dict(
        DangerStatement.objects.filter(map__case=case, carried_from__isnull=False).values_list(
            "carried_from_id", "pk"
        )
    )
    latest = {}
    for start in links:
        current, seen = start, set()
        while current in links and current not in seen:
            seen.add(current)
            current = links[current]
        latest[start] = current
    return latest


def _statements_of_case(case: Case, danger_statements) -> list[DangerStatement]:
    statements = list(danger_statements or [])
    ids = {s.pk for s in statements}
    if ids and DangerStatement.objects.filter(pk__in=ids, map__case=case).count() != len(ids):
        raise RuleViolation("Only danger statements from this family's maps can be linked.")
    return statements


def _members_of_case(case: Case, members) -> list[NetworkMember]:
    members = list(members or [])
    if any(m.case_id != case.pk for m in members):
        raise RuleViolation("Only people in this family's safety network can be named.")
    return members


@transaction.atomic
def safety_plan_start(*, actor, case: Case) -> SafetyPlan:
    """Start a new draft plan. If a plan is in force, its rules are copied into the draft."""
    Case.objects.select_for_update().get(pk=case.pk)
    if case.safety_plans.filter(status=SafetyPlan.Status.DRAFT).exists():
        raise RuleViolation(
            "This family already has a draft safety plan. Carry on with that one first."
        )
    previous = plan_in_force(case)
    number = (case.safety_plans.aggregate(n=Max("number"))["n"] or 0) + 1
    plan = SafetyPlan.objects.create(
        agency_id=case.agency_id,
        case=case,
        number=number,
        based_on=previous,
        created_by=actor,
        if_broken=previous.if_broken if previous else "",
        who_to_call=previous.who_to_call if previous else "",
    )
    if previous is not None:
        latest = _latest_statements(case)
        rules = previous.rules.prefetch_related("danger_statements", "members").order_by("id")
        for rule in rules:
            copy = SafetyPlanRule.objects.create(
                agency_id=case.agency_id,
                plan=plan,
                text=rule.text,
                who=rule.who,
                when=rule.when,
                how_checked=rule.how_checked,
                carried_from=rule,
            )
            copy.danger_statements.set(
                [latest.get(s.pk, s.pk) for s in rule.danger_statements.all()]
            )
            copy.members.set(rule.members.all())
    _audit(
        actor,
        "safety.plan_started",
        plan,
        case.pk,
        {"number": number, "based_on": getattr(previous, "pk", None)},
    )
    return plan


@transaction.atomic
def safety_plan_update_details(
    *, actor, plan: SafetyPlan, expected_revision: int, **values
) -> SafetyPlan:
    plan = _lock_draft(plan.pk)
    _check_revision(plan, expected_revision, "plan")
    values = {name: values.get(name) for name in PLAN_DETAIL_FIELDS}
    values["if_broken"] = (values["if_broken"] or "").strip()
    values["who_to_call"] = (values["who_to_call"] or "").strip()
    changes = field_changes(plan, values)
    for name, value in values.items():
        setattr(plan, name, value)
    plan.revision += 1
    plan.save()
    _audit(actor, "safety.plan_details_changed", plan, plan.case_id, changes)
    return plan


def _rule_values(values: dict) -> dict:
    values = {name: (values.get(name) or "").strip() for name in RULE_FIELDS}
    if not values["text"]:
        raise RuleViolation("Write the rule in the family's own words.")
    return values


@transaction.atomic
def safety_plan_rule_add(
    *, actor, plan: SafetyPlan, danger_statements=(), members=(), **values
) -> SafetyPlanRule:
    plan = _lock_draft(plan.pk)
    values = _rule_values(values)
    rule = SafetyPlanRule.objects.create(agency_id=plan.agency_id, plan=plan, **values)
    rule.danger_statements.set(_statements_of_case(plan.case, danger_statements))
    rule.members.set(_members_of_case(plan.case, members))
    _audit(actor, "safety.plan_rule_added", rule, plan.case_id, values)
    return rule


@transaction.atomic
def safety_plan_rule_update(
    *,
    actor,
    rule: SafetyPlanRule,
    expected_revision: int,
    danger_statements=(),
    members=(),
    **values,
) -> SafetyPlanRule:
    plan = _lock_draft(rule.plan_id)
    rule = SafetyPlanRule.objects.select_for_update().get(pk=rule.pk)
    _check_revision(rule, expected_revision, "rule")
    values = _rule_values(values)
    changes = field_changes(rule, values)
    for name, value in values.items():
        setattr(rule, name, value)
    rule.revision += 1
    rule.save()
    rule.danger_statements.set(_statements_of_case(plan.case, danger_statements))
    rule.members.set(_members_of_case(plan.case, members))
    _audit(actor, "safety.plan_rule_changed", rule, plan.case_id, changes)
    return rule


@transaction.atomic
def safety_plan_rule_remove(*, actor, rule: SafetyPlanRule, expected_revision: int) -> None:
    plan = _lock_draft(rule.plan_id)
    rule = SafetyPlanRule.objects.select_for_update().get(pk=rule.pk)
    _check_revision(rule, expected_revision, "rule")
    _audit(actor, "safety.plan_rule_removed", rule, plan.case_id, {"text": rule.text})
    rule.delete()


def safety_plan_agree_problems(plan: SafetyPlan) -> list[str]:
    """What stops a plan being agreed, in words a worker can act on."""
    problems = []
    if not plan.rules.exists():
        problems.append("Write at least one rule.")
    if not plan.if_broken.strip():
        problems.append("Say what everyone will do if a rule is broken.")
    return problems


@transaction.atomic
def safety_plan_agree(
    *,
    actor,
    plan: SafetyPlan,
    expected_revision: int,
    agreed_on: datetime.date,
    agreed_with: str,
    next_review_on: datetime.date,
    members=(),
) -> SafetyPlan:
    """Record that the family and network agreed the plan. The plan in force until now is
    superseded from the same day."""
    plan = _lock_draft(plan.pk)
    _check_revision(plan, expected_revision, "plan")
    if problems := safety_plan_agree_problems(plan):
        raise RuleViolation("This plan can't be agreed yet. " + " ".join(problems))
    if not agreed_with.strip() and not members:
        raise RuleViolation("Say who agreed the plan.")
    if next_review_on <= agreed_on:
        raise RuleViolation("The review date must be after the day the plan was agreed.")
    members = _members_of_case(plan.case, members)
    previous = (
        SafetyPlan.objects.select_for_update()
        .filter(case_id=plan.case_id, status__in=SafetyPlan.IN_FORCE)
        .first()
    )
    if previous is not None:
        if agreed_on < previous.agreed_on:
            raise RuleViolation(
                f"The plan in force was agreed on {previous.agreed_on:%-d %B %Y}; "
                "a new version must be agreed on or after that day."
            )
        previous.status = SafetyPlan.Status.SUPERSEDED
        previous.superseded_on = agreed_on
        previous.save()
        _audit(
            actor,
            "safety.plan_superseded",
            previous,
            plan.case_id,
            {"by": plan.pk, "superseded_on": agreed_on},
        )
    plan.status = SafetyPlan.Status.AGREED
    plan.agreed_on = agreed_on
    plan.agreed_with = agreed_with.strip()
    plan.next_review_on = next_review_on
    plan.agreed_recorded_by = actor
    plan.revision += 1
    plan.save()
    plan.agreed_by_members.set(members)
    _audit(
        actor,
        "safety.plan_agreed",
        plan,
        plan.case_id,
        {
            "agreed_on": agreed_on,
            "agreed_with": plan.agreed_with,
            "members": [m.pk for m in members],
            "next_review_on": next_review_on,
        },
    )
    return plan


@transaction.atomic
def safety_plan_review_add(
    *,
    actor,
    plan: SafetyPlan,
    reviewed_on: datetime.date,
    outcome: str,
    notes: str = "",
    who_took_part: str = "",
    next_review_on: datetime.date | None = None,
) -> SafetyPlanReview:
    plan = _lock_in_force(plan.pk)
    if reviewed_on < plan.agreed_on:
        raise RuleViolation("A review can't be dated before the plan was agreed.")
    if next_review_on is not None and next_review_on <= reviewed_on:
        raise RuleViolation("The next review must be after this one.")
    if outcome not in SafetyPlanReview.Outcome.values:
        raise RuleViolation("Choose how the plan is working.")
    review = SafetyPlanReview.objects.create(
        agency_id=plan.agency_id,
        plan=plan,
        reviewed_on=reviewed_on,
        outcome=outcome,
        notes=notes.strip(),
        who_took_part=who_took_part.strip(),
        next_review_on=next_review_on,
        recorded_by=actor,
    )
    plan.status = SafetyPlan.Status.REVIEWED
    plan.next_review_on = next_review_on
    plan.save()
    _audit(
        actor,
        "safety.plan_reviewed",
        review,
        plan.case_id,
        {"plan": plan.pk, "outcome": outcome, "next_review_on": next_review_on},
    )
    return review


@transaction.atomic
def monitoring_check_in_add(
    *,
    actor,
    plan: SafetyPlan,
    member: NetworkMember,
    checked_on: datetime.date,
    what_they_saw: str,
    breach: bool = False,
    breach_details: str = "",
    action_taken: str = "",
    rules=(),
    through_portal: bool = False,
) -> MonitoringCheckIn:
    """A network member's check-in on the plan in force; a rule broken needs what was done.
    Written by staff (`actor`), or by the member themselves in the family portal
    (`through_portal`, with no staff actor)."""
    if (actor is None) != through_portal:
        raise ValueError("A check-in is recorded by staff or through the portal, not both.")
    plan = _lock_in_force(plan.pk)
    if member.case_id != plan.case_id:
        raise RuleViolation("Only people in this family's safety network can check in.")
    if not what_they_saw.strip():
        raise RuleViolation("Say what they saw.")
    if checked_on > timezone.localdate():
        raise RuleViolation("A check-in can't be dated in the future.")
    if breach and not (breach_details.strip() and action_taken.strip()):
        raise RuleViolation("When a rule was broken, say what happened and what was done about it.")
    rules = list(rules or [])
    if any(rule.plan_id != plan.pk for rule in rules):
        raise RuleViolation("Only rules of this plan can be named.")
    check_in = MonitoringCheckIn.objects.create(
        agency_id=plan.agency_id,
        plan=plan,
        member=member,
        checked_on=checked_on,
        what_they_saw=what_they_saw.strip(),
        breach=breach,
        breach_details=breach_details.strip() if breach else "",
        action_taken=action_taken.strip() if breach else "",
        recorded_by=actor,
        through_portal=through_portal,
    )
    check_in.rules.set(rules)
    changes = {"member": member.pk, "checked_on": checked_on, "breach": breach}
    if through_portal:
        changes["portal_person"] = member.name
    _audit(actor, "safety.check_in_recorded", check_in, plan.case_id, changes)
    return check_in


# The trajectory -----------------------------------------------------------------------------


def _stage_values(values: dict) -> dict:
    values = {name: values.get(name) for name in STAGE_FIELDS}
    values["name"] = (values["name"] or "").strip()
    values["milestone"] = (values["milestone"] or "").strip()
    if not values["name"] or values["target_on"] is None:
        raise RuleViolation("Give the stage a name and a target date.")
    return values


@transaction.atomic
def trajectory_stage_add(*, actor, case: Case, **values) -> TrajectoryStage:
    Case.objects.select_for_update().get(pk=case.pk)
    values = _stage_values(values)
    position = (case.trajectory_stages.aggregate(n=Max("position"))["n"] or 0) + 1
    stage = TrajectoryStage.objects.create(
        agency_id=case.agency_id, case=case, position=position, **values
    )
    _audit(actor, "safety.trajectory_stage_added", stage, case.pk, values)
    return stage


@transaction.atomic
def trajectory_stage_update(
    *, actor, stage: TrajectoryStage, expected_revision: int, **values
) -> TrajectoryStage:
    stage = TrajectoryStage.objects.select_for_update().get(pk=stage.pk)
    _check_revision(stage, expected_revision, "stage")
    values = _stage_values(values)
    changes = field_changes(stage, values)
    for name, value in values.items():
        setattr(stage, name, value)
    stage.revision += 1
    stage.save()
    _audit(actor, "safety.trajectory_stage_changed", stage, stage.case_id, changes)
    return stage


@transaction.atomic
def trajectory_stage_remove(*, actor, stage: TrajectoryStage, expected_revision: int) -> None:
    stage = TrajectoryStage.objects.select_for_update().get(pk=stage.pk)
    _check_revision(stage, expected_revision, "stage")
    _audit(actor, "safety.trajectory_stage_removed", stage, stage.case_id, {"name": stage.name})
    stage.delete()
