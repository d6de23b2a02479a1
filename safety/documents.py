"""The safety plan as the family and network keep it: plain headings, their own words, no
internal codes."""

from django.utils import timezone
from django.utils.text import capfirst

from documents.structure import FamilyDocument, Section
from safety.models import NetworkMember, SafetyPlan


def _date(value) -> str:
    return f"{value:%-d %B %Y}" if value else ""


def _version(plan: SafetyPlan) -> str:
    if plan.is_draft:
        return f"Version {plan.number}, draft: not agreed yet"
    text = f"Version {plan.number}, agreed {_date(plan.agreed_on)}"
    if plan.status == SafetyPlan.Status.SUPERSEDED:
        text += f" (replaced on {_date(plan.superseded_on)})"
    return text


def _about(case_name: str) -> str:
    name = case_name.strip()
    if name.lower().startswith("the "):
        name = name[4:]
    return f"For the {name}"


def safety_plan_document(plan: SafetyPlan) -> FamilyDocument:
    case = plan.case
    members = list(case.network_members.filter(status=NetworkMember.Status.ACTIVE).order_by("name"))
    rules = list(plan.rules.prefetch_related("members").order_by("id"))
    sections = []

    network = Section(heading="Who is in our safety network")
    if members:
        network.table = [["Name", "Who they are", "What they do in the plan"]]
        for member in members:
            network.table.append(
                [member.name, capfirst(member.relationship), member.plan_roles or ""]
            )
    else:
        network.paragraphs.append("We have not written down our safety network yet.")
    sections.append(network)

    rule_section = Section(heading="Our rules")
    if rules:
        rule_section.paragraphs.append(
            "These are the rules we have agreed, so that everyone knows the children are safe."
        )
    else:
        rule_section.paragraphs.append("No rules have been written yet.")
    sections.append(rule_section)
    for number, rule in enumerate(rules, start=1):
        sections.append(
            Section(
                heading=f"Rule {number}",
                paragraphs=[rule.text],
                items=[
                    f"Who: {rule.who}",
                    f"When: {rule.when}",
                    f"How we will know it is happening: {rule.how_checked}",
                ],
            )
        )

    broken = Section(heading="If a rule is broken")
    broken.paragraphs.append(plan.if_broken or "We have not agreed this yet.")
    sections.append(broken)

    call = Section(heading="Who to call if anyone is worried")
    call.paragraphs.append(plan.who_to_call or "Call the social worker.")
    contacts = [m for m in members if m.phone]
    call.items = [f"{m.name} ({m.relationship}): {m.phone}" for m in contacts]
    sections.append(call)

    agreed = Section(heading="Who agreed this plan")
    if plan.is_draft:
        agreed.paragraphs.append("This plan is a draft. It has not been agreed yet.")
    else:
        agreed.paragraphs.append(f"We agreed this plan on {_date(plan.agreed_on)}.")
        if plan.agreed_with:
            agreed.paragraphs.append(plan.agreed_with)
        agreed.items = [f"{m.name} ({m.relationship})" for m in plan.agreed_by_members.all()]
    sections.append(agreed)

    review = Section(heading="When we will look at the plan again")
    review.paragraphs.append(
        f"We will look at this plan again on {_date(plan.next_review_on)}."
        if plan.next_review_on
        else "We will agree a date to look at this plan again."
    )
    sections.append(review)

    return FamilyDocument(
        kind="safety_plan",
        title="Our safety plan",
        agency_name=case.agency.name,
        about=_about(case.name),
        version=_version(plan),
        dated=plan.agreed_on or timezone.localdate(),
        sections=sections,
    )
