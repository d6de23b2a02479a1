"""Builds a synthetic agency: teams, staff, families, allocations and maps over time.

Deterministic: everything random comes from one `random.Random(seed)` and every date is counted
back from `today`, so the same seed and the same day give the same agency. Sized by `families`,
so the demo and a large benchmark agency come from the same code: a bigger agency gets more
teams and workers, and rows are written with bulk inserts in batches of families (synthetic seed
data has no audit trail and no record history)."""

from __future__ import annotations

import datetime
import math
import random
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import NamedTuple

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from agencies.models import Agency, Role, Service, Team, User
from audits.demo import add_audits
from demo import names, scenarios
from demo.impact_history import add_impact_history
from demo.process_demo import add_looked_after_children, add_process_history
from demo.safety_demo import add_safety_work
from demo.voices_demo import add_voices_work
from implementation.demo import add_implementation
from learning.demo import add_learning
from people.models import Allocation, Case, CaseMember, Person, Relationship
from practice.models import (
    PLAIN_CATEGORIES,
    CategoryLabel,
    DangerStatement,
    Map,
    MapEntry,
    MapParticipant,
    MeetingPurpose,
    ParticipantRole,
    RaterRole,
    SafetyGoal,
    ScaleJudgement,
)
from process.models import Referral
from safety.models import SafetyPlan
from surveys.demo import add_surveys
from timescales.services import deadlines_refresh_agency
from voices.models import VoiceRecord

DEMO_PASSWORD = "threefold-demo-2026"
DEMO_AGENCY_NAME = "Northmoor Borough Council"
DEMO_AGENCY_CODE = "999"

EARLY_HELP_LABELS = {
    "danger_statement": "Worry statement",
    "safety_goal": "Wellbeing goal",
    "harm": "What has happened",
}
FAMILIES_PER_TEAM = 40  # a bigger agency gets another team for every 40 families or so
FLUSH_EVERY = 200  # families held in memory before their rows are written
MAX_MAPS = 5
DISABILITIES = [["NONE"]] * 80 + [[]] * 5 + [
    ["AUT"], ["AUT", "COMM"], ["LD"], ["LD", "COMM"], ["BEH"], ["HEAR"], ["VIS"], ["MOB"],
    ["COMM"], ["DDA"], ["AUT"], ["BEH"], ["LD"], ["PC", "MOB"], ["CON"],
]  # fmt: skip
PURPOSES = {
    Service.CHILD_PROTECTION: (
        [MeetingPurpose.INITIAL_CONFERENCE, MeetingPurpose.MAPPING],
        [
            MeetingPurpose.CORE_GROUP,
            MeetingPurpose.CORE_GROUP,
            MeetingPurpose.REVIEW_CONFERENCE,
            MeetingPurpose.MAPPING,
            MeetingPurpose.FAMILY_NETWORK,
        ],
    ),
    Service.CHILDREN_IN_NEED: (
        [MeetingPurpose.MAPPING],
        [MeetingPurpose.CIN_REVIEW, MeetingPurpose.CIN_REVIEW, MeetingPurpose.FAMILY_NETWORK],
    ),
    Service.EARLY_HELP: (
        [MeetingPurpose.MAPPING],
        [MeetingPurpose.MAPPING, MeetingPurpose.FAMILY_NETWORK, MeetingPurpose.OTHER],
    ),
}
CONFERENCES = {MeetingPurpose.INITIAL_CONFERENCE, MeetingPurpose.REVIEW_CONFERENCE}
# How a family's safety scores move: weights out of 100.
TRAJECTORIES = {"improving": 60, "stalled": 18, "dip": 14, "worsening": 8}


class DemoLogin(NamedTuple):
    username: str
    role: str
    name: str


@dataclass
class GeneratedAgency:
    agency: Agency
    logins: list[DemoLogin] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


def generate_agency(
    *,
    seed: int = 2026,
    families: int = 60,
    today: datetime.date | None = None,
    agency_name: str = DEMO_AGENCY_NAME,
    agency_code: str = DEMO_AGENCY_CODE,
    stdout=None,
) -> GeneratedAgency:
    """Create one synthetic agency with `families` cases and their history up to `today`."""
    if families < 1:
        raise ValueError("An agency needs at least one family.")
    builder = _AgencyBuilder(random.Random(seed), today or datetime.date.today(), stdout)
    with transaction.atomic():
        return builder.build(agency_name, agency_code, families)


def demo_logins(agency: Agency) -> list[DemoLogin]:
    """The logins of an agency already generated, in the order they were created."""
    return [
        DemoLogin(user.username, user.get_role_display(), user.get_full_name())
        for user in User.objects.filter(agency=agency).order_by("pk")
    ]


# Real DfE local authority numbers (London boroughs), so the synthetic UPNs pass the CIN
# census format rules 1510-1550: a check letter, an LA number, then nine digits.
UPN_LA_NUMBERS = ["202", "203", "204", "205", "206", "207", "208", "209", "210", "211", "212"]


def demo_upn(number: int) -> str:
    """A well-formed UPN (check letter per the DfE UPN guide) made from a random number."""
    digits = UPN_LA_NUMBERS[number % len(UPN_LA_NUMBERS)] + f"{number // 100 % 10**9:09d}"
    total = sum(int(digit) * weight for weight, digit in enumerate(digits, start=2))
    return "ABCDEFGHJKLMNPQRTUVWXYZ"[total % 23] + digits


def _days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def _join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


_NUMBER = re.compile(r"\[([^|\]]*)\|([^\]]*)\]")


def _fill(template: str, words: dict) -> str:
    """Fill a scenario text: `[plural|singular]` by the number of children, then the names."""
    plural = words["_plural"]
    return _NUMBER.sub(lambda m: m[1] if plural else m[2], template).format(**words)


def _band(table, score: int):
    """The texts for the highest band whose lower bound is at or below the score."""
    return [texts for lowest, texts in table if score >= lowest][-1]


def _about(template: str, focus: Person, children: list[Person]) -> list[Person]:
    """The children an entry is about, read from the placeholders its text uses."""
    if "{children}" in template:
        return children
    if "{child}" in template or "{his}" in template or "{him}" in template:
        return [focus]
    return []


@dataclass
class _Family:
    case: Case
    scenario: dict
    team: Team
    mum: Person
    partner: Person | None
    children: list[Person]  # born children, the focus child first
    unborn: Person | None
    focus: Person
    words: dict[str, str]
    network: tuple[str, Person | None]  # participant name and person, if they are on the case
    professionals: list[tuple[str, str]]  # (name, organisation)


@dataclass
class _Item:
    """One entry on the map, as it moves from version to version."""

    category: str
    key: int  # index in the scenario's list for the category
    version: int
    text: str
    children: list[Person]
    source: _Item | None = None  # the entry in the last version this one was carried from
    row: MapEntry | None = None


@dataclass
class _Worry:
    """One danger statement and its goal, as it moves from version to version."""

    key: int
    offset: int  # how this worry's score sits against the overall score
    fields: dict[str, str]
    goal: dict
    children: list[Person]
    later_applied: bool = False
    last_score: int | None = None  # the worker's score for it on this version
    row: DangerStatement | None = None


class _Rows:
    """Rows waiting to be written; maps and their content are written version by version, so
    every row a later version points to (based_on, carried_from) already has its key."""

    def __init__(self):
        self.cases: list[Case] = []
        self.people: list[Person] = []
        self.members: list[CaseMember] = []
        self.relationships: list[Relationship] = []
        self.allocations: list[Allocation] = []
        self.layers: dict[int, dict[str, list]] = defaultdict(lambda: defaultdict(list))

    def write(self, counts: dict[str, int]) -> None:
        for model, rows in [
            (Case, self.cases),
            (Person, self.people),
            (CaseMember, self.members),
            (Relationship, self.relationships),
            (Allocation, self.allocations),
        ]:
            model.objects.bulk_create(rows, batch_size=500)
            counts[model._meta.verbose_name_plural] += len(rows)
        entry_children = MapEntry.children.through
        statement_children = DangerStatement.children.through
        for number in sorted(self.layers):
            layer = self.layers[number]
            for model, key in [
                (Map, "maps"),
                (MapParticipant, "participants"),
                (MapEntry, "entries"),
                (DangerStatement, "statements"),
                (SafetyGoal, "goals"),
                (ScaleJudgement, "scales"),
            ]:
                model.objects.bulk_create(layer[key], batch_size=500)
                counts[model._meta.verbose_name_plural] += len(layer[key])
            entry_children.objects.bulk_create(
                [
                    entry_children(mapentry_id=entry.pk, person_id=child.pk)
                    for entry, about in layer["entry_children"]
                    for child in about
                ],
                batch_size=500,
            )
            statement_children.objects.bulk_create(
                [
                    statement_children(dangerstatement_id=statement.pk, person_id=child.pk)
                    for statement, about in layer["statement_children"]
                    for child in about
                ],
                batch_size=500,
            )
        self.__init__()


class _AgencyBuilder:
    def __init__(self, rng: random.Random, today: datetime.date, stdout):
        self.rng = rng
        self.today = today
        self.stdout = stdout
        self.rows = _Rows()
        self.counts: dict[str, int] = defaultdict(int)

    def build(self, name: str, code: str, families: int) -> GeneratedAgency:
        self.agency = Agency.objects.create(name=name, code=code)
        # Usernames are unique across the platform: another synthetic agency gets a suffix.
        self.suffix = "" if code == DEMO_AGENCY_CODE else f".{code.lower()}"
        self._teams(families)
        self._staff()
        CategoryLabel.objects.bulk_create(
            CategoryLabel(agency=self.agency, service=Service.EARLY_HELP, category=c, label=label)
            for c, label in EARLY_HELP_LABELS.items()
        )
        self.unborn_left = max(1, families // 30)
        self.by_service = {
            service: [s for s in scenarios.SCENARIOS if service in s["services"]]
            for service in Service.values
        }
        self.next_worker = defaultdict(int)
        for number in range(families):
            self._family(number)
            if (number + 1) % FLUSH_EVERY == 0:
                self.rows.write(self.counts)
                if self.stdout is not None and families > FLUSH_EVERY:
                    self.stdout.write(f"  {number + 1} of {families} families written")
        self.rows.write(self.counts)
        add_safety_work(agency=self.agency, rng=self.rng, today=self.today)
        add_voices_work(agency=self.agency, rng=self.rng, today=self.today)
        add_process_history(agency=self.agency, rng=self.rng, today=self.today)
        add_looked_after_children(agency=self.agency, today=self.today)
        add_impact_history(agency=self.agency, rng=self.rng, today=self.today)
        self._disabilities_recorded_once_assessed()
        add_implementation(agency=self.agency, rng=self.rng, today=self.today)
        deadlines_refresh_agency(agency_id=self.agency.pk, today=self.today)
        add_learning(agency=self.agency, rng=self.rng, today=self.today)
        add_surveys(agency=self.agency, rng=self.rng, today=self.today)
        add_audits(agency=self.agency, rng=self.rng, today=self.today)
        self.counts["safety plans"] = SafetyPlan.objects.filter(agency=self.agency).count()
        self.counts["voice records"] = VoiceRecord.objects.filter(agency=self.agency).count()
        if self.stdout is not None:
            self.stdout.write(
                f"Generated {self.counts['cases']} families, {self.counts['maps']} maps, "
                f"{self.counts['scale judgements']} scale judgements, "
                f"{self.counts['safety plans']} safety plans and "
                f"{self.counts['voice records']} records of children's voices for {name}."
            )
        return GeneratedAgency(
            agency=self.agency, logins=demo_logins(self.agency), counts=dict(self.counts)
        )

    def _disabilities_recorded_once_assessed(self) -> None:
        """A few children have no disability recorded yet; once a referral goes on to an
        assessment, the worker records it (NONE here), as CIN census rule 8540 expects."""
        assessed = Referral.objects.filter(
            agency=self.agency, decision=Referral.Decision.ASSESSMENT
        ).values("child_id")
        Person.objects.filter(
            agency=self.agency, kind=Person.Kind.CHILD, disabilities=[], pk__in=assessed
        ).exclude(date_of_birth=None).update(disabilities=["NONE"])

    # Teams and staff -----------------------------------------------------------------------

    def _teams(self, families: int) -> None:
        specs = list(names.TEAMS)
        services = [Service.CHILD_PROTECTION, Service.CHILDREN_IN_NEED, Service.EARLY_HELP]
        for extra in range(max(0, math.ceil(families / FAMILIES_PER_TEAM) - len(specs))):
            area = names.TEAM_AREAS[extra % len(names.TEAM_AREAS)]
            if extra >= len(names.TEAM_AREAS):
                area = f"{area} {extra // len(names.TEAM_AREAS) + 1}"
            service = services[extra % len(services)]
            specs.append((f"{area} {Service(service).label.lower()} team", service))
        self.teams = Team.objects.bulk_create(
            Team(agency=self.agency, name=team_name, service=service)
            for team_name, service in specs
        )

    def _staff(self) -> None:
        staff = list(names.STAFF)
        taken = {spec[0] for spec in staff}
        for index in range(len(names.TEAMS), len(self.teams)):
            for role, count in [(Role.TEAM_MANAGER, 1), (Role.SOCIAL_WORKER, 5)]:
                for _ in range(count):
                    first = self.rng.choice(names.STAFF_FIRST)
                    last = self.rng.choice(names.STAFF_LAST)
                    prefix = "tm" if role == Role.TEAM_MANAGER else "sw"
                    username, n = f"{prefix}.{first.lower()}", 1
                    while username in taken:
                        n += 1
                        username = f"{prefix}.{first.lower()}{n}"
                    taken.add(username)
                    title = "Team manager" if role == Role.TEAM_MANAGER else "Social worker"
                    staff.append((username, first, last, role, title, index))
        password = make_password(DEMO_PASSWORD)
        self.users = User.objects.bulk_create(
            User(
                username=username + self.suffix,
                first_name=first,
                last_name=last,
                role=role,
                job_title=title,
                agency=self.agency,
                team=self.teams[team] if team is not None else None,
                password=password,
                is_staff=role == Role.ADMINISTRATOR,
                is_superuser=role == Role.ADMINISTRATOR,
            )
            for username, first, last, role, title, team in staff
        )
        self.workers = defaultdict(list)
        self.managers = {}
        for user in self.users:
            if user.role == Role.SOCIAL_WORKER:
                self.workers[user.team_id].append(user)
            elif user.role == Role.TEAM_MANAGER:
                self.managers[user.team_id] = user
        self.chair = next(u for u in self.users if u.role == Role.CONFERENCE_CHAIR)

    # A family ------------------------------------------------------------------------------

    def _family(self, number: int) -> None:
        rng = self.rng
        team = self.teams[number % len(self.teams)]
        scenario = rng.choice(self.by_service[team.service])
        closed = rng.random() < 0.15
        if closed:
            opened_on = self.today - _days(rng.randint(240, 730))
            closed_on = min(
                opened_on + _days(rng.randint(150, 420)), self.today - _days(rng.randint(7, 40))
            )
        else:
            opened_on = self.today - _days(rng.randint(21, 730))
            closed_on = None
        case = Case(
            agency=self.agency,
            reference=f"NB-{number + 1:06d}",
            team=team,
            service=team.service,
            status=Case.Status.CLOSED if closed else Case.Status.OPEN,
            opened_on=opened_on,
            closed_on=closed_on,
        )
        self.rows.cases.append(case)
        family = self._household(case, scenario, team)
        case.name = f"{family.focus.family_name} family"
        allocations = self._allocations(case, team)
        self._maps(family, allocations)

    def _name(self, group: str, kind: str, taken: list[str] | None = None) -> str:
        """A name from the pool; with `taken`, one nobody else in the family has."""
        pool = names.NAMES[group][kind]
        name = self.rng.choice(pool)
        if taken is not None:
            for _ in range(10):
                if name not in taken:
                    break
                name = self.rng.choice(pool + names.NAMES["british"][kind])
            taken.append(name)
        return name

    def _ethnicity(self) -> str:
        codes = list(names.ETHNICITY_WEIGHTS)
        return self.rng.choices(codes, weights=list(names.ETHNICITY_WEIGHTS.values()))[0]

    def _born(self, age_from: int, age_to: int, case: Case) -> datetime.date:
        """A birthday giving an age in years on the day the case opened; under 18 today."""
        youngest = max(30, age_from * 365)
        oldest = min(age_to * 365 + 364, 17 * 365 + 300 - (self.today - case.opened_on).days)
        return case.opened_on - _days(self.rng.randint(youngest, max(youngest, oldest)))

    def _person(self, kind: str, given: str, family_name: str, sex: str, ethnicity: str, **extra):
        person = Person(
            agency=self.agency,
            kind=kind,
            given_name=given,
            family_name=family_name,
            sex=sex,
            ethnicity=ethnicity,
            **extra,
        )
        self.rows.people.append(person)
        return person

    def _household(self, case: Case, scenario: dict, team: Team) -> _Family:
        rng = self.rng
        mum_ethnicity = self._ethnicity()
        mum_group = names.NAME_GROUP[mum_ethnicity]
        mum_surname = self._name(mum_group, "surnames")
        has_partner = scenario["needs_partner"] or rng.random() < 0.55
        partner_kind = None
        father_ethnicity = None
        if has_partner:
            partner_kind = (
                Relationship.Kind.FATHER if rng.random() < 0.7 else Relationship.Kind.STEP_PARENT
            )
        elif rng.random() < 0.35:
            partner_kind = "absent_father"
        if partner_kind is not None:
            father_ethnicity = mum_ethnicity if rng.random() < 0.75 else self._ethnicity()
        father_group = names.NAME_GROUP[father_ethnicity] if father_ethnicity else mum_group
        father_surname = self._name(father_group, "surnames")
        shares_father = partner_kind in (Relationship.Kind.FATHER, "absent_father")
        surname = father_surname if shares_father and rng.random() < 0.55 else mum_surname

        # Children: the focus child fits the story; brothers and sisters around them.
        child_ethnicity = mum_ethnicity
        if shares_father and father_ethnicity != mum_ethnicity:
            pair = frozenset({mum_group, father_group})
            child_ethnicity = names.MIXED.get(pair, "MOTH" if len(pair) > 1 else mum_ethnicity)
        child_group = names.NAME_GROUP[child_ethnicity]
        if child_group == "other" or rng.random() < 0.3:
            child_group = rng.choice([mum_group, father_group])
        count = rng.choices([1, 2, 3, 4], weights=[35, 35, 20, 10])[0]
        low, high = scenario["focus_age"]
        births = [self._born(low, high, case)]
        for _ in range(count - 1):
            births.append(self._born(0, 15, case))
        children, taken = [], []
        for born in births:
            sex = rng.choice("FM")
            age_today = (self.today - born).days // 365
            child = self._person(
                Person.Kind.CHILD,
                self._name(child_group, "girls" if sex == "F" else "boys", taken),
                surname,
                sex,
                child_ethnicity,
                date_of_birth=born,
                disabilities=list(rng.choice(DISABILITIES)),
            )
            # Every child of school age has a UPN, as schools issue one (CIN rule 8770Q).
            if (age_today >= 4 and rng.random() < 0.75) or age_today >= 5:
                child.upn = demo_upn(rng.randrange(10**12))
            if rng.random() < 0.7:
                child.nhs_number = f"999{rng.randrange(10**7):07d}"  # 999: never issued
            children.append(child)
        focus = children[0]

        oldest = min(births)
        mum_born = oldest - _days(rng.randint(17 * 365, 34 * 365))
        mum = self._person(
            Person.Kind.ADULT,
            self._name(mum_group, "women", taken),
            surname if rng.random() < 0.7 else mum_surname,
            "F",
            mum_ethnicity,
            date_of_birth=mum_born,
            nhs_number=f"999{rng.randrange(10**7):07d}" if rng.random() < 0.3 else "",
        )
        partner = None
        if partner_kind is not None:
            partner = self._person(
                Person.Kind.ADULT,
                self._name(father_group, "men", taken),
                father_surname,
                "M",
                father_ethnicity,
                date_of_birth=mum_born - _days(rng.randint(-3 * 365, 9 * 365)),
            )
        grandparent = None
        if rng.random() < 0.3:
            grandparent = self._person(
                Person.Kind.ADULT,
                self._name(mum_group, "elders_women", taken),
                mum_surname,
                "F",
                mum_ethnicity,
                date_of_birth=mum_born - _days(rng.randint(18 * 365, 30 * 365)),
            )
        unborn = None
        mum_age = (self.today - mum_born).days // 365
        if self.unborn_left and mum_age <= 40 and rng.random() < 0.06:
            self.unborn_left -= 1
            unborn = self._person(
                Person.Kind.CHILD,
                "Unborn baby",
                surname,
                "U",
                "NOBT",
                expected_date_of_birth=self.today + _days(rng.randint(14, 160)),
                disabilities=[],
            )

        everyone = [mum, partner, grandparent, *children, unborn]
        household = {
            id(mum): True,
            id(partner): partner_kind != "absent_father",
            id(grandparent): rng.random() < 0.2,
        }
        self.rows.members.extend(
            CaseMember(
                agency=self.agency,
                case=case,
                person=p,
                lives_in_household=household.get(id(p), True),
            )
            for p in everyone
            if p is not None
        )
        self._relationships(mum, partner, partner_kind, grandparent, children, unborn)

        # The network person the family leans on, and the professionals who know them.
        if grandparent is not None:
            net = rng.choice(["Nan", "Grandma", "Gran"])
            network = (grandparent.display_name, grandparent)
        else:
            is_woman = rng.random() < 0.7
            first = self._name(mum_group, "women" if is_woman else "men", taken)
            relation = rng.choice(["aunt", "aunt", "friend"])
            if relation == "aunt":
                net = f"{'Auntie' if is_woman else 'Uncle'} {first}"
                network = (f"{first} {mum_surname}", None)
            else:
                net = first
                network = (f"{first} {self._name(mum_group, 'surnames')}", None)
        focus_age = focus.age_on(case.opened_on)
        if focus_age < 4:
            school = rng.choice(names.NURSERIES)
        elif focus_age < 11:
            school = rng.choice(names.PRIMARY_SCHOOLS)
        else:
            school = rng.choice(names.SECONDARY_SCHOOLS)
        pronouns = {"F": ("she", "her", "her"), "M": ("he", "him", "his")}[focus.sex]
        born_names = [c.given_name for c in children]
        words = {
            "child": focus.given_name,
            "children": _join(born_names),
            "mum": mum.given_name,
            "dad": partner.given_name if partner and partner_kind != "absent_father" else "",
            "_plural": len(children) > 1,
            "he": pronouns[0],
            "him": pronouns[1],
            "his": pronouns[2],
            "net": net,
            "school": school,
            "month": (case.opened_on - _days(rng.randint(10, 60))).strftime("%B"),
            "worker_role": "family worker"
            if case.service == Service.EARLY_HELP
            else "social worker",
        }
        words["worry"] = _fill(scenario["worry"], words)
        professionals = []
        titles = list(scenario["professionals"])
        if any(c.age_on(case.opened_on) < 4 for c in children):
            titles.append(("health visitor", "Northmoor health visiting team"))
        for title, organisation in titles:
            group = rng.choice(list(names.NAMES))
            given = self._name(group, rng.choice(["women", "women", "men"]))
            professionals.append(
                (
                    f"{given} {self._name(group, 'surnames')}",
                    f"{_fill(organisation, words)} ({title})",
                )
            )
        return _Family(
            case=case,
            scenario=scenario,
            team=team,
            mum=mum,
            partner=partner if partner_kind != "absent_father" else None,
            children=children,
            unborn=unborn,
            focus=focus,
            words=words,
            network=network,
            professionals=professionals,
        )

    def _relationships(self, mum, partner, partner_kind, grandparent, children, unborn):
        rng = self.rng
        agency = self.agency
        all_children = [*children, unborn] if unborn is not None else list(children)
        # With a step-parent, the youngest child is sometimes theirs.
        own_child = None
        if partner_kind == Relationship.Kind.STEP_PARENT and len(all_children) > 1:
            own_child = all_children[-1] if rng.random() < 0.5 else None
        rows = []
        for child in all_children:
            rows.append(
                Relationship(
                    agency=agency,
                    person=mum,
                    relative=child,
                    kind=Relationship.Kind.MOTHER,
                    parental_responsibility=True,
                )
            )
            if partner is not None:
                fathers = partner_kind != Relationship.Kind.STEP_PARENT or child is own_child
                rows.append(
                    Relationship(
                        agency=agency,
                        person=partner,
                        relative=child,
                        kind=Relationship.Kind.FATHER if fathers else Relationship.Kind.STEP_PARENT,
                        parental_responsibility=fathers and rng.random() < 0.9,
                    )
                )
            if grandparent is not None:
                rows.append(
                    Relationship(
                        agency=agency,
                        person=grandparent,
                        relative=child,
                        kind=Relationship.Kind.GRANDPARENT,
                    )
                )
            for other in all_children:
                if other is not child:
                    half = own_child is not None and (child is own_child or other is own_child)
                    rows.append(
                        Relationship(
                            agency=agency,
                            person=other,
                            relative=child,
                            kind=Relationship.Kind.HALF_SIBLING
                            if half
                            else Relationship.Kind.SIBLING,
                        )
                    )
        self.rows.relationships.extend(rows)

    def _allocations(self, case: Case, team: Team) -> list[tuple[datetime.date, User]]:
        """One to three workers in turn; the current one taken in rotation so caseloads even out."""
        rng = self.rng
        pool = self.workers[team.pk]
        end = case.closed_on or self.today
        span = (end - case.opened_on).days
        changes = rng.choices([0, 1, 2], weights=[50, 35, 15])[0]
        changes = min(changes, len(pool) - 1, max(0, (span - 60) // 45))
        current = pool[self.next_worker[team.pk] % len(pool)]
        self.next_worker[team.pk] += 1
        earlier = rng.sample([w for w in pool if w is not current], k=changes)
        starts = [case.opened_on]
        if changes:
            starts += [
                case.opened_on + _days(d) for d in sorted(rng.sample(range(30, span - 14), changes))
            ]
        workers = [*earlier, current]
        manager = self.managers[team.pk]
        reasons = ["Caseload balancing", "Previous worker left the team", "Worker on leave"]
        for index, (start, worker) in enumerate(zip(starts, workers, strict=True)):
            last = index + 1 == len(starts)
            self.rows.allocations.append(
                Allocation(
                    agency=self.agency,
                    case=case,
                    worker=worker,
                    started_on=start,
                    ended_on=case.closed_on if last else starts[index + 1],
                    allocated_by=manager,
                    reason="New case" if index == 0 else rng.choice(reasons),
                )
            )
        return list(zip(starts, workers, strict=True))

    # Maps over time ------------------------------------------------------------------------

    def _trajectory(self, count: int, closed: bool) -> list[int]:
        """The worker's overall score at each finalised map."""
        rng = self.rng
        kind = "improving"
        if not closed:
            kind = rng.choices(list(TRAJECTORIES), weights=list(TRAJECTORIES.values()))[0]
        start = rng.randint(3, 5) if kind == "worsening" else rng.randint(1, 3)
        dip_at = rng.randint(1, max(1, count - 1))
        score, scores = start, []
        for index in range(count):
            if index:
                if kind == "improving":
                    score = min(9, score + rng.choice([0, 1, 1, 2, 2, 3]))
                elif kind == "stalled":
                    score = max(start, min(start + 2, score + rng.choice([-1, 0, 0, 1])))
                elif kind == "dip":
                    step = -rng.randint(2, 3) if index == dip_at else rng.choice([1, 1, 2])
                    score = max(0, min(9, score + step))
                else:
                    score = max(0, score + rng.choice([-1, -1, 0, 1]))
            scores.append(score)
        if closed:
            scores[-1] = max(scores[-1], rng.randint(7, 10))
        return scores

    def _maps(self, family: _Family, allocations) -> None:
        rng = self.rng
        case = family.case
        dates = self._map_dates(case)
        draft = case.closed_on is None and len(dates) > 1 and rng.random() < 0.2
        if draft:  # a draft is work in progress: the latest meeting, in the last fortnight
            recent = self.today - _days(rng.randint(0, 14))
            dates[-1] = min(self.today, max(dates[-2] + _days(28), recent))
        finalised = len(dates) - 1 if draft else len(dates)
        scores = self._trajectory(finalised, case.closed_on is not None)
        state = {"items": [], "worries": [], "used": defaultdict(set), "setback": False}
        previous_map, previous_score = None, None
        for number, held_on in enumerate(dates, start=1):
            worker = [w for start, w in allocations if start <= held_on][-1]
            is_draft = draft and number == len(dates)
            score = None if is_draft else scores[number - 1]
            words = dict(family.words)
            words["worker"] = worker.first_name
            soon = held_on + _days(rng.randint(5, 14))
            words["soon"] = f"{soon:%A} {soon.day} {soon:%B}"
            map_ = self._map(case, number, previous_map, held_on, worker, is_draft)
            layer = self.rows.layers[number]
            layer["maps"].append(map_)
            layer["participants"].extend(self._participants(family, map_, worker))
            trend = 0 if previous_score is None or score is None else score - previous_score
            self._content(family, state, map_, words, number, trend, layer)
            if score is not None:
                layer["scales"].extend(
                    self._scales(family, state["worries"], map_, worker, words, score)
                )
                previous_score = score
            previous_map = map_

    def _map_dates(self, case: Case) -> list[datetime.date]:
        """The first meeting soon after the case opens, the latest a few weeks before it closes
        or before today, and up to five in all, at least four weeks apart."""
        rng = self.rng
        end = case.closed_on or self.today
        first = min(case.opened_on + _days(rng.randint(3, 18)), end)
        last = end - _days(rng.randint(0, 28))
        room = (last - first).days
        count = min(MAX_MAPS, 1 + room // rng.randint(42, 70), 1 + max(0, room) // 28)
        if count <= 1:
            return [first]
        step = room / (count - 1)
        jitter = min(7, int(step) - 28)
        return [
            first
            + _days(round(step * i) + (rng.randint(-jitter, jitter) if 0 < i < count - 1 else 0))
            for i in range(count)
        ]

    def _map(self, case, number, previous, held_on, worker, is_draft) -> Map:
        rng = self.rng
        first, later = PURPOSES[case.service]
        finalised_at = signed_off_at = None
        manager = self.managers[case.team_id]
        if not is_draft:
            day = min(held_on + _days(rng.choice([0, 0, 1, 2, 3])), self.today)
            finalised_at = self._moment(day, rng.randint(14 * 60, 18 * 60))
            if rng.random() < 0.55:
                day = min(day + _days(rng.randint(1, 7)), self.today)
                signed_off_at = self._moment(day, rng.randint(9 * 60, 17 * 60))
        return Map(
            agency=self.agency,
            case=case,
            number=number,
            based_on=previous,
            status=Map.Status.DRAFT if is_draft else Map.Status.FINALISED,
            service=case.service,
            purpose=rng.choice(first if number == 1 else later),
            held_on=held_on,
            created_by=worker,
            finalised_at=finalised_at,
            finalised_by=None if is_draft else worker,
            signed_off_at=signed_off_at,
            signed_off_by=manager if signed_off_at else None,
        )

    def _moment(self, day: datetime.date, minutes: int) -> datetime.datetime:
        naive = datetime.datetime.combine(day, datetime.time(minutes // 60, minutes % 60))
        return timezone.make_aware(naive)

    def _participants(self, family: _Family, map_: Map, worker: User) -> list[MapParticipant]:
        rng = self.rng
        rows = [
            MapParticipant(
                agency=self.agency,
                map=map_,
                name=worker.get_full_name(),
                role=ParticipantRole.SOCIAL_WORKER,
                organisation=self.agency.name,
            ),
            MapParticipant(
                agency=self.agency,
                map=map_,
                name=family.mum.display_name,
                role=ParticipantRole.PARENT,
                person=family.mum,
            ),
        ]
        if family.partner is not None and rng.random() < 0.7:
            rows.append(
                MapParticipant(
                    agency=self.agency,
                    map=map_,
                    name=family.partner.display_name,
                    role=ParticipantRole.PARENT,
                    person=family.partner,
                )
            )
        if rng.random() < 0.45 or map_.purpose == MeetingPurpose.FAMILY_NETWORK:
            name, person = family.network
            rows.append(
                MapParticipant(
                    agency=self.agency,
                    map=map_,
                    name=name,
                    role=ParticipantRole.NETWORK_MEMBER,
                    person=person,
                )
            )
        if family.professionals and (rng.random() < 0.5 or map_.purpose in CONFERENCES):
            name, organisation = rng.choice(family.professionals)
            rows.append(
                MapParticipant(
                    agency=self.agency,
                    map=map_,
                    name=name,
                    role=ParticipantRole.PROFESSIONAL,
                    organisation=organisation,
                )
            )
        older = [c for c in family.children if c.age_on(map_.held_on) >= 11]
        if older and rng.random() < 0.4:
            rows.append(
                MapParticipant(
                    agency=self.agency,
                    map=map_,
                    name=older[0].display_name,
                    role=ParticipantRole.CHILD,
                    person=older[0],
                )
            )
        if map_.purpose in CONFERENCES:
            rows.append(
                MapParticipant(
                    agency=self.agency,
                    map=map_,
                    name=self.chair.get_full_name(),
                    role=ParticipantRole.CONFERENCE_CHAIR,
                    organisation=self.agency.name,
                )
            )
        return rows

    # Map content ---------------------------------------------------------------------------

    def _pick(self, state, category: str, pool: list, count: int, in_order: bool = False):
        """Up to `count` items of the pool not yet used in this case, as (key, template).
        Next steps come round again once all have been used: they are things done regularly."""
        used = state["used"][category]
        if category == "next_step" and len(pool) - len(used) < count:
            used.intersection_update(i.key for i in state["items"] if i.category == category)
        fresh = [k for k in range(len(pool)) if k not in used]
        if not in_order:
            fresh = sorted(self.rng.sample(fresh, k=min(count, len(fresh))))
        chosen = fresh[:count]
        state["used"][category].update(chosen)
        return [(k, pool[k]) for k in chosen]

    def _content(self, family, state, map_, words, number, trend, layer) -> None:
        """Entries and danger statements: carried forward from the last version with changes."""
        rng = self.rng
        scenario = family.scenario
        pools = {c.value: list(scenario[c.value]) for c in PLAIN_CATEGORIES}
        pools["next_step"] += scenarios.GENERAL_NEXT_STEPS
        pools["harm"].append(scenario["setback"])
        setback_key = len(pools["harm"]) - 1
        state["used"]["harm"].add(setback_key)  # only ever added after a dip

        def fresh_item(category: str, key: int, template) -> _Item:
            versions = template if isinstance(template, tuple) else (template,)
            about = _about(versions[0], family.focus, family.children)
            return _Item(category, key, 0, _fill(versions[0], words), about)

        items: list[_Item] = []
        if number == 1:
            plan = {
                "harm": rng.randint(1, 2),
                "complicating_factor": rng.randint(1, 2),
                "existing_strength": rng.randint(2, 3),
                "existing_safety": 1,
                "next_step": rng.randint(2, 3),
                "grey_area": rng.randint(1, 2),
            }
            for category, count in plan.items():
                in_order = category in ("harm", "existing_safety")
                for key, template in self._pick(state, category, pools[category], count, in_order):
                    items.append(fresh_item(category, key, template))
        else:
            done_steps = [i for i in state["items"] if i.category == "next_step"]
            keep_step = rng.choice(done_steps) if done_steps and rng.random() < 0.25 else None
            for old in state["items"]:
                if old.category == "next_step" and old is not keep_step:
                    continue  # done since the last meeting
                if old.category in ("grey_area", "complicating_factor") and rng.random() < 0.2:
                    continue  # found out, or no longer getting in the way
                template = pools[old.category][old.key]
                version, text = old.version, old.text
                more = isinstance(template, tuple) and version + 1 < len(template)
                if more and rng.random() < 0.4:
                    version += 1
                    text = _fill(template[version], words)
                items.append(_Item(old.category, old.key, version, text, old.children, old))
            additions = {"next_step": rng.randint(1, 3)}
            if trend > 0:
                additions["existing_safety"] = 1
            if rng.random() < 0.3:
                additions["existing_strength"] = 1
            if rng.random() < 0.2:
                additions["grey_area"] = 1
            if rng.random() < 0.15:
                additions["complicating_factor"] = 1
            for category, count in additions.items():
                in_order = category == "existing_safety"
                for key, template in self._pick(state, category, pools[category], count, in_order):
                    items.append(fresh_item(category, key, template))
            if trend < -1 and not state["setback"]:
                state["setback"] = True
                items.append(fresh_item("harm", setback_key, scenario["setback"]))
        order = [c.value for c in PLAIN_CATEGORIES]
        items.sort(key=lambda i: order.index(i.category))
        for item in items:
            item.row = MapEntry(
                agency=self.agency,
                map=map_,
                category=item.category,
                text=item.text,
                carried_from=item.source.row if item.source is not None else None,
            )
        state["items"] = items
        layer["entries"].extend(item.row for item in items)
        layer["entry_children"].extend((item.row, item.children) for item in items if item.children)
        self._worries(family, state, map_, words, number, trend, layer)

    def _worries(self, family, state, map_, words, number, trend, layer) -> None:
        rng = self.rng
        dangers = family.scenario["dangers"]
        everyone = family.children + ([family.unborn] if family.unborn else [])

        def new_worry(key: int) -> _Worry:
            danger = dangers[key]
            fields = {
                "who_is_worried": _fill(danger["who"], words),
                "worried_about": _fill(danger["about"], words),
                "impact_on_child": _fill(danger["impact"], words),
                "disputed_by": "",
                "dispute": "",
            }
            if danger["dispute"] and rng.random() < 0.6:
                fields["disputed_by"], fields["dispute"] = (
                    _fill(part, words) for part in danger["dispute"]
                )
            sustain_for, unit = danger["sustain"]
            goal = {
                "what_will_be_seen": _fill(danger["goal"], words),
                "seen_by": _fill(danger["seen_by"], words),
                "sustain_for": sustain_for,
                "sustain_unit": unit,
            }
            about = everyone if "{children}" in danger["about"] else [family.focus]
            return _Worry(key, rng.choice([-1, 0, 0, 1]), fields, goal, about)

        worries: list[tuple[_Worry, DangerStatement | None]] = []
        if number == 1:
            count = 1 if rng.random() < 0.45 else 2
            worries = [(new_worry(k), None) for k in range(min(count, len(dangers)))]
        else:
            for old in state["worries"]:
                reached = old.last_score is not None and old.last_score >= 8
                if reached and len(state["worries"]) > 1 and rng.random() < 0.5:
                    continue  # the goal has been met for long enough
                worry = _Worry(
                    old.key,
                    old.offset,
                    dict(old.fields),
                    dict(old.goal),
                    old.children,
                    old.later_applied,
                )
                later = dangers[old.key].get("later")
                if later and not worry.later_applied and rng.random() < 0.4:
                    worry.later_applied = True
                    for name, template in later.items():
                        target = worry.fields if name == "who" else worry.goal
                        target[_FIELD[name]] = _fill(template, words)
                if worry.fields["dispute"] and trend > 0 and rng.random() < 0.4:
                    worry.fields["disputed_by"] = worry.fields["dispute"] = ""  # now accepted
                worries.append((worry, old.row))
            unused = [k for k in range(len(dangers)) if k not in state["used"]["dangers"]]
            if unused and len(worries) < 3 and rng.random() < 0.25:
                worries.append((new_worry(unused[0]), None))
        state["used"]["dangers"].update(worry.key for worry, _ in worries)
        state["worries"] = []
        for worry, source in worries:
            worry.row = DangerStatement(
                agency=self.agency, map=map_, carried_from=source, **worry.fields
            )
            state["worries"].append(worry)
            layer["statements"].append(worry.row)
            layer["goals"].append(
                SafetyGoal(agency=self.agency, danger_statement=worry.row, **worry.goal)
            )
            layer["statement_children"].append((worry.row, worry.children))

    def _scales(self, family, worries, map_, worker, words, score) -> list[ScaleJudgement]:
        rng = self.rng
        zero, ten = scenarios.OVERALL_ANCHORS.get(
            map_.service, scenarios.OVERALL_ANCHORS["default"]
        )
        rows = []

        def judge(role, name, value, reason, statement=None, anchors=(zero, ten)):
            rows.append(
                ScaleJudgement(
                    agency=self.agency,
                    map=map_,
                    danger_statement=statement,
                    rater_name=name,
                    rater_role=role,
                    score=max(0, min(10, value)),
                    zero_means=anchors[0],
                    ten_means=anchors[1],
                    reason=_fill(reason, words),
                )
            )

        worker_name = worker.get_full_name()
        judge(
            RaterRole.WORKER, worker_name, score, rng.choice(_band(scenarios.WORKER_REASONS, score))
        )
        parent = family.mum
        if family.partner is not None and rng.random() < 0.25:
            parent = family.partner
        gap = rng.choices([-1, 0, 1, 2, 3, 4], weights=[8, 12, 25, 25, 18, 12])[0]
        parent_score = min(10, score + gap)
        if gap >= 2:
            higher = scenarios.PARENT_HIGHER_FIRST if map_.number == 1 else scenarios.PARENT_HIGHER
            parent_reason = rng.choice(higher)
        elif gap < 0:
            parent_reason = rng.choice(scenarios.PARENT_LOWER)
        else:
            parent_reason = rng.choice(_band(scenarios.PARENT_REASONS, parent_score))
        judge(RaterRole.PARENT, parent.display_name, parent_score, parent_reason)
        if rng.random() < 0.3:
            manager = self.managers[family.team.pk]
            lower = score > 0 and rng.random() < 0.35
            judge(
                RaterRole.MANAGER,
                manager.get_full_name(),
                score - 1 if lower else score,
                rng.choice(scenarios.MANAGER_LOWER if lower else scenarios.MANAGER_AGREES),
            )
        if rng.random() < 0.3:
            value = min(10, score + rng.choice([0, 1, 2]))
            judge(
                RaterRole.NETWORK_MEMBER,
                family.network[0],
                value,
                rng.choice(_band(scenarios.NETWORK_REASONS, value)),
            )
        older = [c for c in family.children if c.age_on(map_.held_on) >= 8]
        if older and rng.random() < 0.35:
            value = max(0, min(10, score + rng.choice([-1, 0, 1, 2])))
            judge(
                RaterRole.CHILD,
                older[0].display_name,
                value,
                rng.choice(_band(scenarios.CHILD_REASONS, value)),
                anchors=scenarios.CHILD_ANCHORS,
            )
        if map_.purpose in CONFERENCES and rng.random() < 0.6:
            value = max(0, score - rng.choice([0, 1]))
            judge(
                RaterRole.CONFERENCE_CHAIR,
                self.chair.get_full_name(),
                value,
                rng.choice(_band(scenarios.CHAIR_REASONS, value)),
            )
        for worry in worries:
            value = max(0, min(10, score + worry.offset + rng.choice([-1, 0, 0, 1])))
            worry.last_score = value
            judge(
                RaterRole.WORKER,
                worker_name,
                value,
                rng.choice(_band(scenarios.STATEMENT_WORKER_REASONS, value)),
                statement=worry.row,
                anchors=scenarios.STATEMENT_ANCHORS,
            )
            their = min(10, value + rng.choice([0, 1, 1, 2]))
            judge(
                RaterRole.PARENT,
                parent.display_name,
                their,
                rng.choice(_band(scenarios.STATEMENT_PARENT_REASONS, their)),
                statement=worry.row,
                anchors=scenarios.STATEMENT_ANCHORS,
            )
        return rows


_FIELD = {"who": "who_is_worried", "goal": "what_will_be_seen", "seen_by": "seen_by"}
