"""Safety networks, safety plans and trajectories for the synthetic agency.

For every open case with a finalised map: a network of 3 to 8 people (most of them told about
the worries), a safety plan written in the family's words and linked to the latest danger
statements (agreed for most families, sometimes replacing an earlier version, with reviews and
network check-ins, and now and then a rule broken and what was done), and the agency's
trajectory to closure. Deterministic for a given `rng` and `today`. Rows are written with bulk
inserts, like the rest of the generator: seed data has no audit trail and no record history."""

from __future__ import annotations

import datetime
import random
from collections import defaultdict

from agencies.models import Agency, Service
from people.models import Allocation, Case, CaseMember, Person, Relationship
from practice.models import DangerStatement, Map, MapParticipant, ParticipantRole
from safety.models import (
    MonitoringCheckIn,
    NetworkMember,
    NetworkStatusChange,
    SafetyPlan,
    SafetyPlanReview,
    SafetyPlanRule,
    TrajectoryStage,
)

BATCH = 200

FRIENDS = [
    ("Kerry", "friend", "Mum's best friend from school"),
    ("Donna", "friend", "family friend who lives on the same street"),
    ("Pastor Daniel", "community", "the family's church pastor"),
    ("Mrs Begum", "community", "next-door neighbour"),
    ("Coach Ryan", "community", "{child}'s football coach"),
    ("Auntie Sonia", "family", "Mum's cousin"),
    ("Uncle Jamal", "family", "Dad's brother"),
    ("Shannon", "friend", "Mum's friend from the school gate"),
    ("Bev", "community", "runs the breakfast club {child} goes to"),
    ("Nana Rose", "family", "{child}'s great-grandmother"),
]
PROFESSIONALS = [
    ("Ms Clarke", "{child}'s class teacher"),
    ("Priya Shah", "health visitor"),
    ("Dr Okoro", "family GP"),
    ("Tom Bell", "family support worker"),
    ("Helen Ward", "designated safeguarding lead at school"),
]

# (rule, who, when, how it is checked); {net} is the closest network person.
RULES = [
    (
        "{dad} does not drink when he is looking after {children}.",
        "{dad}",
        "Every day",
        "{net} pops in after school and texts {worker} every Friday to say how it went.",
    ),
    (
        "If {mum} and {dad} start to argue, {dad} goes out for a walk and {children} go to "
        "{net}'s.",
        "{mum} and {dad}",
        "Whenever an argument starts",
        "{children} tell {net}, and {mum} tells {worker} at each visit.",
    ),
    (
        "{net} takes {child} to school and picks {child} up.",
        "{net}",
        "Monday to Friday",
        "The school tells {worker} if {child} is late or not collected.",
    ),
    (
        "{mum} rings {net} when she is feeling low, before things get too much.",
        "{mum}",
        "Any time, day or night",
        "{net} writes it in the family's plan book and tells {worker} at the next meeting.",
    ),
    (
        "There is always food in the cupboard and {children} have tea every evening.",
        "{mum}",
        "Every evening",
        "{net} checks the cupboards when visiting on Tuesdays and Saturdays.",
    ),
    (
        "{children} [are|is] in bed by 8 o'clock on school nights.",
        "{mum} and {dad}",
        "School nights",
        "The school tells {worker} if {child} seems very tired.",
    ),
    (
        "Nobody who has been drinking or using drugs comes to the house.",
        "{mum}",
        "Always",
        "{net} visits at different times and tells {worker} if anyone is there.",
    ),
    (
        "{mum} goes to every health appointment for {children}, and {net} goes with her.",
        "{mum} and {net}",
        "At every appointment",
        "The health visitor tells {worker} if an appointment is missed.",
    ),
    (
        "If {child} is worried, {child} can ring {net} or tell a teacher, and nobody is cross.",
        "{child}",
        "Whenever {child} is worried",
        "{worker} asks {child} about it on each visit, on their own.",
    ),
    (
        "The house is kept clean and safe, with medicines locked away.",
        "{mum} and {dad}",
        "Every day",
        "{net} and {worker} look round the house when they visit.",
    ),
]
IF_BROKEN = (
    "Whoever notices tells {net} straight away. {net} takes {children} to her house, and rings "
    "{worker} the same day. We meet again within a week to talk about what went wrong."
)
WHO_TO_CALL = (
    "{worker} (social worker): 01632 960{ext:03d}. Out of hours: 01632 960999. "
    "If anyone is in danger, call 999."
)
SEEN = [
    "Everything was calm when I dropped in after school. {child} showed me a drawing.",
    "{dad} was sober and cooked tea. {children} [were|was] happy and settled.",
    "{mum} rang me on Sunday because she was feeling low, like the plan says. We talked it "
    "through.",
    "The house was tidy and there was food in the cupboards.",
    "{child} was at school on time every day this week.",
]
BREACHES = [
    (
        "{dad} had been drinking on Saturday night while {children} were at home.",
        "{net} took {children} to her house for the night and rang {worker} on Monday. {dad} "
        "agreed to go back to his group.",
    ),
    (
        "{mum} and {dad} had a loud argument and {dad} did not go out.",
        "{net} came round and took {children} out. {worker} visited the next day and the plan "
        "was talked through again.",
    ),
]
REVIEW_NOTES = [
    ("working", "Everyone says the plan is working. {net} has seen the rules kept every week."),
    ("small_changes", "Mostly working. The school run rule needs a back-up when {net} is away."),
    ("working", "{children} say home feels calmer. Keep the plan as it is."),
]
STAGES = {
    Service.CHILD_PROTECTION: [
        ("Safety plan agreed with the family and network", "Everyone has signed up to the plan."),
        ("Network trusted to monitor the plan", "Check-ins show the rules kept for 8 weeks."),
        ("Review conference", "The conference agrees the children are safe enough."),
        ("Child protection plan ends", "Step down to a child in need plan."),
        ("Child in need plan ends", "The network carries on the plan without us."),
        ("Case closed", "The family and network know who to call if they need help."),
    ],
    Service.CHILDREN_IN_NEED: [
        ("Safety plan agreed", "Everyone has signed up to the plan."),
        ("Plan working for 3 months", "Check-ins show the rules kept."),
        ("Child in need review", "The review agrees the plan is working."),
        ("Step down to early help", "Support from the family's own network and school."),
        ("Case closed", "The family and network know who to call if they need help."),
    ],
    Service.EARLY_HELP: [
        ("Family plan agreed", "Everyone has signed up to the plan."),
        ("Plan working for 6 weeks", "Check-ins show the rules kept."),
        ("Family review", "The family say things are better."),
        ("Case closed", "The family and school know who to call."),
    ],
}


def _fill(template: str, words: dict) -> str:
    text = template.format(**words)
    while "[" in text and "|" in text:
        start = text.index("[")
        end = text.index("]", start)
        many, one = text[start + 1 : end].split("|")
        text = text[:start] + (many if words["many"] else one) + text[end + 1 :]
    return text


def _between(rng: random.Random, start: datetime.date, end: datetime.date) -> datetime.date:
    if end <= start:
        return start
    return start + datetime.timedelta(days=rng.randint(0, (end - start).days))


def _join(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def add_safety_work(*, agency: Agency, rng: random.Random, today: datetime.date) -> None:
    cases = list(
        Case.objects.filter(
            agency=agency,
            status=Case.Status.OPEN,
            deleted_at__isnull=True,
            maps__status=Map.Status.FINALISED,
        )
        .exclude(safety_plans__isnull=False)
        .distinct()
        .order_by("pk")
    )
    for start in range(0, len(cases), BATCH):
        _Batch(agency, rng, today, cases[start : start + BATCH]).write()


class _Batch:
    def __init__(self, agency, rng, today, cases):
        self.agency, self.rng, self.today, self.cases = agency, rng, today, cases
        ids = [case.pk for case in cases]
        self.people = defaultdict(list)
        for member in CaseMember.objects.filter(case_id__in=ids).select_related("person"):
            self.people[member.case_id].append(member.person)
        self.relations = {
            (r.person_id, r.relative_id): r.kind
            for r in Relationship.objects.filter(person__memberships__case_id__in=ids)
        }
        self.latest_map = {}
        for map_ in Map.objects.filter(case_id__in=ids, status=Map.Status.FINALISED).order_by(
            "case_id", "number"
        ):
            self.latest_map[map_.case_id] = map_
        self.statements = defaultdict(list)
        latest_ids = [m.pk for m in self.latest_map.values()]
        for statement in DangerStatement.objects.filter(map_id__in=latest_ids).order_by("id"):
            self.statements[statement.map_id].append(statement)
        self.participants = defaultdict(list)
        for case_id, name, role, organisation, person_id in (
            MapParticipant.objects.filter(
                map__case_id__in=ids,
                role__in=[ParticipantRole.NETWORK_MEMBER, ParticipantRole.PROFESSIONAL],
            )
            .order_by("map__number", "id")
            .values_list("map__case_id", "name", "role", "organisation", "person_id")
        ):
            self.participants[case_id].append((name, role, organisation, person_id))
        self.workers = {
            a.case_id: a.worker
            for a in Allocation.objects.filter(
                case_id__in=ids, ended_on__isnull=True
            ).select_related("worker")
        }
        self.members, self.member_children, self.status_changes = [], [], []
        self.plans, self.rules, self.rule_links = [], [], []
        self.reviews, self.check_ins, self.stages = [], [], []

    # Building -------------------------------------------------------------------------------

    def write(self) -> None:
        plans_for_case = {}
        for case in self.cases:
            worker = self.workers.get(case.pk)
            map_ = self.latest_map.get(case.pk)
            if worker is None or map_ is None:
                continue
            words = self._words(case, worker)
            network = self._network(case, worker, map_, words)
            plans_for_case[case.pk] = (case, worker, map_, words, network)

        NetworkMember.objects.bulk_create([m for m, _ in self.members])
        through = NetworkMember.children.through
        through.objects.bulk_create(
            [
                through(networkmember_id=member.pk, person_id=child.pk)
                for member, children in self.members
                for child in children
            ]
        )
        NetworkStatusChange.objects.bulk_create(
            [make(member) for member, make in self.status_changes]
        )
        for case, worker, map_, words, network in plans_for_case.values():
            first_agreed_on = self._plans(case, worker, map_, words, network)
            self._trajectory(case, map_, first_agreed_on)
        TrajectoryStage.objects.bulk_create(self.stages)
        self._write_plans()

    def _words(self, case: Case, worker) -> dict:
        people = self.people[case.pk]
        children = [p for p in people if p.kind == Person.Kind.CHILD and not p.is_unborn]
        children = children or [p for p in people if p.kind == Person.Kind.CHILD]
        adults = [p for p in people if p.kind == Person.Kind.ADULT]
        mum = next((p for p in adults if p.sex == "F"), adults[0] if adults else None)
        dad = next((p for p in adults if p is not mum and p.sex == "M"), None)
        names = [c.known_as or c.given_name for c in children] or ["the baby"]
        return {
            "children": _join(names),
            "child": names[0],
            "many": len(names) > 1,
            "mum": mum.given_name if mum else "Mum",
            "dad": dad.given_name if dad else "Mum's partner",
            "worker": worker.first_name,
            "net": "Nan",
            "people": people,
            "children_people": [p for p in people if p.kind == Person.Kind.CHILD],
            "adults": adults,
            "mum_person": mum,
            "dad_person": dad,
        }

    def _network(self, case, worker, map_, words) -> list[NetworkMember]:
        rng = self.rng
        chosen: list[tuple] = []  # (name, kind, relationship, person)
        seen_names = set()
        for name, role, organisation, person_id in self.participants[case.pk]:
            if name in seen_names:
                continue
            seen_names.add(name)
            if role == ParticipantRole.PROFESSIONAL:
                chosen.append((name, "professional", organisation or "professional", None))
            else:
                chosen.append((name, "family", "family, close to {child}", person_id))
        for adult in words["adults"]:
            if adult in (words["mum_person"], words["dad_person"]):
                continue
            if adult.display_name not in seen_names:
                seen_names.add(adult.display_name)
                chosen.append((adult.display_name, "family", "lives with the family", adult.pk))
        size = rng.randint(3, 8)
        pool = FRIENDS[:]
        rng.shuffle(pool)
        for name, kind, relationship in pool:
            if len(chosen) >= size - 1:
                break
            if name not in seen_names:
                seen_names.add(name)
                chosen.append((name, kind, relationship, None))
        if not any(kind == "professional" for _, kind, _, _ in chosen) or len(chosen) < size:
            name, relationship = rng.choice(PROFESSIONALS)
            if name not in seen_names:
                chosen.append((name, "professional", relationship, None))
        chosen = chosen[:8]
        family_first = [c for c in chosen if c[1] == "family"] or chosen
        words["net"] = family_first[0][0]

        members = []
        for index, (name, kind, relationship, person_id) in enumerate(chosen):
            # The network grows over the life of the case, up to the map the plan is built on.
            joined = _between(rng, case.opened_on, map_.held_on)
            informed = index == 0 or rng.random() < 0.8
            informed_on = _between(rng, joined, min(self.today, joined + datetime.timedelta(21)))
            seen_wp = informed and rng.random() < 0.55
            stepped_back = index > 0 and rng.random() < 0.12
            member = NetworkMember(
                agency_id=case.agency_id,
                case=case,
                person_id=person_id,
                name=name,
                kind=kind,
                relationship=_fill(relationship, words),
                informed=informed,
                informed_on=informed_on if informed else None,
                informed_by=f"{words['mum']}, with {words['worker']}" if informed else "",
                seen_words_and_pictures=seen_wp,
                words_and_pictures_seen_on=(
                    _between(
                        rng, informed_on, min(self.today, informed_on + datetime.timedelta(28))
                    )
                    if seen_wp
                    else None
                ),
                phone=f"07700 900{rng.randint(0, 999):03d}" if kind != "professional" else "",
                joined_on=joined,
                status_since=joined,
                created_by=worker,
            )
            children = [c for c in words["children_people"] if rng.random() < 0.85] or words[
                "children_people"
            ][:1]
            self.members.append((member, children))
            self._status(member, "", NetworkMember.Status.ACTIVE, joined, worker, "Joined.")
            if stepped_back:
                when = _between(rng, joined, self.today)
                status = rng.choice(
                    [NetworkMember.Status.STEPPED_BACK, NetworkMember.Status.NO_LONGER_INVOLVED]
                )
                member.status, member.status_since = status, when
                reason = rng.choice(
                    ["Moved away for work.", "Poorly for a while.", "Fell out with Mum."]
                )
                self._status(member, NetworkMember.Status.ACTIVE, status, when, worker, reason)
            members.append(member)
        return members

    def _status(self, member, old, new, when, worker, reason):
        def make(saved):
            return NetworkStatusChange(
                agency_id=saved.agency_id,
                member_id=saved.pk,
                from_status=old,
                to_status=new,
                changed_on=when,
                reason=reason,
                recorded_by=worker,
            )

        self.status_changes.append((member, make))

    def _trajectory(self, case, map_, plan_agreed_on):
        """Stages from the map the plan was built on; the first (the plan agreed) is reached
        the day the family agreed the plan, and each later one only after the one before."""
        rng = self.rng
        template = STAGES.get(case.service, STAGES[Service.CHILDREN_IN_NEED])
        count = min(len(template), rng.randint(4, 6))
        chosen = template[: count - 1] + [template[-1]]
        target = map_.held_on + datetime.timedelta(days=14)
        previous_reached = plan_agreed_on
        for position, (name, milestone) in enumerate(chosen, start=1):
            if position == 1:
                reached = plan_agreed_on
            else:
                target = target + datetime.timedelta(days=rng.randint(35, 90))
                reached = None
                if previous_reached and target <= self.today and rng.random() < 0.85:
                    earliest = max(previous_reached, target - datetime.timedelta(14))
                    reached = _between(rng, earliest, self.today)
                previous_reached = reached
            self.stages.append(
                TrajectoryStage(
                    agency_id=case.agency_id,
                    case=case,
                    position=position,
                    name=name,
                    milestone=milestone,
                    target_on=target,
                    achieved_on=reached,
                )
            )

    def _plans(self, case, worker, map_, words, network):
        rng = self.rng
        statements = self.statements[map_.pk]
        active = [m for m in network if m.status == NetworkMember.Status.ACTIVE]
        agreed = rng.random() < 0.8
        start = min(map_.held_on + datetime.timedelta(days=rng.randint(3, 14)), self.today)
        templates = rng.sample(RULES, rng.randint(4, 8))
        versions = 1
        if agreed and (self.today - start).days > 90 and rng.random() < 0.35:
            versions = 2
        previous_rules = None
        previous_plan = None
        for number in range(1, versions + 1):
            last = number == versions
            is_agreed = agreed or not last
            agreed_on = (
                start if number == 1 else _between(rng, start + datetime.timedelta(42), self.today)
            )
            plan = SafetyPlan(
                agency_id=case.agency_id,
                case=case,
                number=number,
                based_on=previous_plan,
                status=SafetyPlan.Status.AGREED if is_agreed else SafetyPlan.Status.DRAFT,
                if_broken=_fill(IF_BROKEN, words),
                who_to_call=WHO_TO_CALL.format(worker=words["worker"], ext=worker.pk % 1000),
                agreed_on=agreed_on if is_agreed else None,
                agreed_with=(
                    f"{words['mum']} (Mum), {words['net']}, {words['worker']} (social worker)"
                    if is_agreed
                    else ""
                ),
                agreed_recorded_by=worker if is_agreed else None,
                next_review_on=agreed_on + datetime.timedelta(days=42) if is_agreed else None,
                created_by=worker,
            )
            if previous_plan is not None:
                previous_plan.status = SafetyPlan.Status.SUPERSEDED
                previous_plan.superseded_on = agreed_on
            rules, agreed_by = [], {}
            for index, (text, who, when, how) in enumerate(templates):
                rule = SafetyPlanRule(
                    agency_id=case.agency_id,
                    text=_fill(text, words),
                    who=_fill(who, words),
                    when=_fill(when, words),
                    how_checked=_fill(how, words),
                )
                if previous_rules is not None:
                    rule.carried_from = previous_rules[index]
                rules.append(rule)
                statement = statements[index % len(statements)] if statements else None
                helpers = [m for m in active if m.name in rule.text + rule.how_checked]
                self.rule_links.append((rule, statement, helpers))
                if is_agreed:
                    agreed_by.update({id(m): m for m in helpers})
            self.plans.append((plan, rules, list(agreed_by.values())))
            if is_agreed:
                self._monitoring(plan, rules, active, worker, words, last)
            previous_plan, previous_rules = plan, rules
        for member in active:
            numbers = [
                str(n)
                for n, r in enumerate(previous_rules, start=1)
                if member.name in r.text + r.how_checked
            ]
            if numbers:
                rules = f"rule {numbers[0]}" if len(numbers) == 1 else f"rules {_join(numbers)}"
                member.plan_roles = f"Helps with {rules} of the plan."
        return start if agreed else None

    def _monitoring(self, plan, rules, active, worker, words, in_force):
        rng = self.rng
        end = self.today if in_force else None
        horizon = end or plan.agreed_on + datetime.timedelta(days=42)
        if in_force and (horizon - plan.agreed_on).days > 42:
            review_day = plan.agreed_on + datetime.timedelta(days=42)
            for _ in range(rng.randint(1, 2)):
                if review_day > self.today:
                    break
                outcome, notes = rng.choice(REVIEW_NOTES)
                next_review = review_day + datetime.timedelta(days=42)
                self.reviews.append(
                    SafetyPlanReview(
                        agency_id=plan.agency_id,
                        plan=plan,
                        reviewed_on=review_day,
                        outcome=outcome,
                        notes=_fill(notes, words),
                        who_took_part=plan.agreed_with,
                        next_review_on=next_review,
                        recorded_by=worker,
                    )
                )
                plan.status = SafetyPlan.Status.REVIEWED
                plan.next_review_on = next_review
                review_day = next_review
        watchers = [m for m in active if m.kind != "professional"] or active
        if not watchers:
            return
        for _ in range(rng.randint(2, 5)):
            member = rng.choice(watchers)
            day = _between(rng, plan.agreed_on, horizon)
            breach = rng.random() < 0.12
            details, action = rng.choice(BREACHES) if breach else ("", "")
            check_in = MonitoringCheckIn(
                agency_id=plan.agency_id,
                plan=plan,
                member=member,
                checked_on=day,
                what_they_saw=_fill(rng.choice(SEEN), words),
                breach=breach,
                breach_details=_fill(details, words),
                action_taken=_fill(action, words),
                recorded_by=worker,
            )
            self.check_ins.append((check_in, rng.sample(rules, min(2, len(rules)))))

    # Writing ----------------------------------------------------------------------------------

    def _write_plans(self) -> None:
        members = [m for m, _ in self.members if m.plan_roles]
        NetworkMember.objects.bulk_update(members, ["plan_roles"])
        # Version 1 before version 2, so `based_on` and `carried_from` point at saved rows.
        for number in (1, 2):
            batch = [(plan, rules) for plan, rules, _ in self.plans if plan.number == number]
            for plan, _ in batch:
                if plan.based_on is not None:
                    plan.based_on_id = plan.based_on.pk
            SafetyPlan.objects.bulk_create([plan for plan, _ in batch])
            rows = []
            for plan, rules in batch:
                for rule in rules:
                    rule.plan = plan
                    if rule.carried_from is not None:
                        rule.carried_from_id = rule.carried_from.pk
                    rows.append(rule)
            SafetyPlanRule.objects.bulk_create(rows)
        statements = SafetyPlanRule.danger_statements.through
        statements.objects.bulk_create(
            [
                statements(safetyplanrule_id=rule.pk, dangerstatement_id=statement.pk)
                for rule, statement, _ in self.rule_links
                if statement is not None
            ]
        )
        helpers = SafetyPlanRule.members.through
        helpers.objects.bulk_create(
            [
                helpers(safetyplanrule_id=rule.pk, networkmember_id=member.pk)
                for rule, _, members_ in self.rule_links
                for member in members_
            ]
        )
        agreed_by = SafetyPlan.agreed_by_members.through
        agreed_by.objects.bulk_create(
            [
                agreed_by(safetyplan_id=plan.pk, networkmember_id=member.pk)
                for plan, _, members_ in self.plans
                for member in members_
            ]
        )
        for review in self.reviews:
            review.plan_id = review.plan.pk
        SafetyPlanReview.objects.bulk_create(self.reviews)
        for check_in, _ in self.check_ins:
            check_in.plan_id, check_in.member_id = check_in.plan.pk, check_in.member.pk
        MonitoringCheckIn.objects.bulk_create([c for c, _ in self.check_ins])
        checked = MonitoringCheckIn.rules.through
        checked.objects.bulk_create(
            [
                checked(monitoringcheckin_id=check_in.pk, safetyplanrule_id=rule.pk)
                for check_in, rules in self.check_ins
                for rule in rules
            ]
        )
