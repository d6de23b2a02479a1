"""Builds a synthetic agency: teams, staff, families, allocations and maps over time.

Deterministic: the same seed and the same `today` give the same agency. Sized by `families`,
so the demo and, later, the large benchmark agency come from the same code. Rows are written
with bulk inserts per family (synthetic seed data has no audit trail or record history)."""

import datetime
import random
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from agencies.models import Agency, Role, Service, Team, User
from demo.scenarios import EXTRA_DANGER, OVERALL_REASONS, SCENARIOS
from people.models import Allocation, Case, CaseMember, Person, Relationship
from practice.models import (
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

DEMO_PASSWORD = "threefold-demo-2026"
DEMO_AGENCY_CODE = "999"
ZERO = "Everyone knows the children will be hurt again if nothing changes"
TEN = "Everyone knows the children are safe enough for us to close the case"

SURNAMES = [
    "Okafor",
    "Hughes",
    "Patel",
    "Nowak",
    "Reid",
    "Begum",
    "Walsh",
    "Campbell",
    "Hussain",
    "Price",
    "Kowalski",
    "Mensah",
    "Murphy",
    "Ahmed",
    "Turner",
    "Evans",
    "Khan",
    "Fraser",
    "Baker",
    "Osei",
    "Doherty",
    "Ali",
    "Jones",
    "Lewis",
    "Popescu",
    "Clarke",
    "Thompson",
    "Mahmood",
    "Booth",
    "Adeyemi",
]
GIRLS = [
    "Amelia",
    "Ava",
    "Isla",
    "Maryam",
    "Freya",
    "Zara",
    "Lily",
    "Ruby",
    "Aisha",
    "Sofia",
    "Grace",
    "Hannah",
    "Chloe",
    "Mia",
    "Poppy",
    "Amira",
]
BOYS = [
    "Leo",
    "Noah",
    "Oliver",
    "Muhammad",
    "Harry",
    "Jack",
    "Kai",
    "Theo",
    "Ibrahim",
    "Oscar",
    "Jayden",
    "Alfie",
    "Reuben",
    "Tyler",
    "Yusuf",
    "Dylan",
]
WOMEN = [
    "Jade",
    "Sarah",
    "Kelly",
    "Fatima",
    "Emma",
    "Laura",
    "Shanice",
    "Agnieszka",
    "Nadia",
    "Claire",
    "Gemma",
    "Ayesha",
    "Rachel",
    "Chantelle",
]
MEN = [
    "Dean",
    "Mark",
    "Imran",
    "Lee",
    "Tomasz",
    "Daniel",
    "Kwame",
    "Craig",
    "Ryan",
    "Adam",
    "Shane",
    "Jamal",
    "Paul",
    "Darren",
]
ETHNICITIES = ["WBRI"] * 14 + [
    "WOTH",
    "WIRI",
    "MWBC",
    "MWBA",
    "MWAS",
    "APKN",
    "ABAN",
    "AIND",
    "BAFR",
    "BCRB",
    "WROM",
    "CHNE",
    "OOTH",
    "NOBT",
]
DISABILITIES = [["NONE"]] * 12 + [["AUT"], ["LD"], ["COMM"], ["BEH"], ["HEAR"], ["AUT", "COMM"]]

TEAMS = [
    ("Riverside child protection team", Service.CHILD_PROTECTION),
    ("Northgate children in need team", Service.CHILDREN_IN_NEED),
    ("Family help early help team", Service.EARLY_HELP),
]
STAFF = [
    # username, first, last, role, team index (None: agency-wide)
    ("sw.amara", "Amara", "Okonjo", Role.SOCIAL_WORKER, 0),
    ("sw.ben", "Ben", "Hartley", Role.SOCIAL_WORKER, 0),
    ("sw.chloe", "Chloe", "Ward", Role.SOCIAL_WORKER, 0),
    ("sw.dev", "Dev", "Sharma", Role.SOCIAL_WORKER, 1),
    ("sw.ewa", "Ewa", "Zielinska", Role.SOCIAL_WORKER, 1),
    ("sw.farid", "Farid", "Rahman", Role.SOCIAL_WORKER, 1),
    ("sw.grace", "Grace", "Mensah", Role.SOCIAL_WORKER, 2),
    ("sw.harry", "Harry", "Lloyd", Role.SOCIAL_WORKER, 2),
    ("sw.imogen", "Imogen", "Shaw", Role.SOCIAL_WORKER, 2),
    ("tm.kate", "Kate", "Brennan", Role.TEAM_MANAGER, 0),
    ("tm.louis", "Louis", "Achebe", Role.TEAM_MANAGER, 1),
    ("tm.megan", "Megan", "Price", Role.TEAM_MANAGER, 2),
    ("chair.nina", "Nina", "Kaur", Role.CONFERENCE_CHAIR, None),
    ("lead.olu", "Olu", "Adebayo", Role.PRACTICE_LEAD, None),
    ("leader.priya", "Priya", "Desai", Role.SENIOR_LEADER, None),
    ("analyst.quinn", "Quinn", "Morgan", Role.PERFORMANCE_ANALYST, None),
    ("admin.rosa", "Rosa", "Fernandes", Role.ADMINISTRATOR, None),
]
# The meetings where a later version of the map is made, by service.
LATER_MEETINGS = {
    Service.CHILD_PROTECTION: [
        MeetingPurpose.CORE_GROUP,
        MeetingPurpose.REVIEW_CONFERENCE,
        MeetingPurpose.FAMILY_NETWORK,
        MeetingPurpose.SUPERVISION,
    ],
    Service.CHILDREN_IN_NEED: [
        MeetingPurpose.CIN_REVIEW,
        MeetingPurpose.FAMILY_NETWORK,
        MeetingPurpose.MAPPING,
        MeetingPurpose.SUPERVISION,
    ],
    Service.EARLY_HELP: [MeetingPurpose.MAPPING, MeetingPurpose.FAMILY_NETWORK],
    Service.CHILDREN_LOOKED_AFTER: [MeetingPurpose.MAPPING, MeetingPurpose.OTHER],
}
EARLY_HELP_LABELS = {
    "danger_statement": "Worry statement",
    "safety_goal": "Wellbeing goal",
    "harm": "What has happened",
}


@dataclass
class DemoLogin:
    username: str
    role: str
    name: str


@dataclass
class GeneratedAgency:
    agency: Agency
    logins: list[DemoLogin] = field(default_factory=list)


def generate_agency(
    *,
    seed: int = 2026,
    families: int = 60,
    today: datetime.date | None = None,
    agency_name: str = "Northmoor Borough Council",
    agency_code: str = DEMO_AGENCY_CODE,
) -> GeneratedAgency:
    today = today or timezone.localdate()
    with transaction.atomic():
        builder = _AgencyBuilder(random.Random(seed), today)
        return builder.build(agency_name, agency_code, families)


class _AgencyBuilder:
    def __init__(self, rng: random.Random, today: datetime.date):
        self.rng = rng
        self.today = today

    def build(self, name: str, code: str, families: int) -> GeneratedAgency:
        self.agency = Agency.objects.create(name=name, code=code)
        # Usernames are global: a second synthetic agency gets its code appended to them.
        self.username_suffix = "" if code == DEMO_AGENCY_CODE else f".{code.lower()}"
        self.teams = [Team.objects.create(agency=self.agency, name=n, service=s) for n, s in TEAMS]
        self._staff()
        CategoryLabel.objects.bulk_create(
            CategoryLabel(agency=self.agency, service=Service.EARLY_HELP, category=c, label=label)
            for c, label in EARLY_HELP_LABELS.items()
        )
        for number in range(families):
            self._family(number)
        logins = [
            DemoLogin(u.username, u.get_role_display(), u.get_full_name()) for u in self.users
        ]
        return GeneratedAgency(agency=self.agency, logins=logins)

    # Staff -----------------------------------------------------------------------------

    def _staff(self) -> None:
        password = make_password(DEMO_PASSWORD)
        self.users = []
        for username, first, last, role, team_index in STAFF:
            user = User(
                username=username + self.username_suffix,
                first_name=first,
                last_name=last,
                role=role,
                agency=self.agency,
                password=password,
                team=self.teams[team_index] if team_index is not None else None,
                is_staff=role == Role.ADMINISTRATOR,
                is_superuser=role == Role.ADMINISTRATOR,
            )
            self.users.append(user)
        User.objects.bulk_create(self.users)
        self.workers = {
            team.pk: [
                u for u in self.users if u.team_id == team.pk and u.role == Role.SOCIAL_WORKER
            ]
            for team in self.teams
        }
        self.managers = {u.team_id: u for u in self.users if u.role == Role.TEAM_MANAGER}

    # A family ----------------------------------------------------------------------------

    def _family(self, number: int) -> None:
        rng = self.rng
        team = self.teams[number % len(self.teams)]
        surname = SURNAMES[number % len(SURNAMES)]
        if number >= len(SURNAMES):
            surname = f"{surname}-{SURNAMES[(number * 7 + 3) % len(SURNAMES)]}"
        opened_on = self.today - datetime.timedelta(days=rng.randint(70, 730))
        closed = rng.random() < 0.15
        closed_on = None
        if closed:
            closed_on = min(
                opened_on + datetime.timedelta(days=rng.randint(120, 400)),
                self.today - datetime.timedelta(days=7),
            )
        case = Case.objects.create(
            agency=self.agency,
            reference=f"NB-{100000 + number * 37:06d}",
            name=f"{surname} family",
            team=team,
            service=team.service,
            status=Case.Status.CLOSED if closed else Case.Status.OPEN,
            opened_on=opened_on,
            closed_on=closed_on,
        )
        children, adults = self._people(case, surname)
        workers = self._allocations(case, team, closed_on)
        self._maps(case, children, adults, workers, SCENARIOS[number % len(SCENARIOS)], closed_on)

    def _people(self, case: Case, surname: str):
        rng = self.rng
        ethnicity = rng.choice(ETHNICITIES)
        mum = Person(
            agency=self.agency,
            kind=Person.Kind.ADULT,
            given_name=rng.choice(WOMEN),
            family_name=surname,
            sex="F",
            ethnicity=ethnicity,
            date_of_birth=self.today - datetime.timedelta(days=rng.randint(20, 42) * 365),
        )
        adults = [mum]
        if rng.random() < 0.75:
            adults.append(
                Person(
                    agency=self.agency,
                    kind=Person.Kind.ADULT,
                    given_name=rng.choice(MEN),
                    family_name=surname if rng.random() < 0.7 else rng.choice(SURNAMES),
                    sex="M",
                    ethnicity=rng.choice(ETHNICITIES),
                    date_of_birth=self.today - datetime.timedelta(days=rng.randint(22, 48) * 365),
                )
            )
        if rng.random() < 0.3:
            adults.append(
                Person(
                    agency=self.agency,
                    kind=Person.Kind.ADULT,
                    given_name=rng.choice(WOMEN),
                    family_name=surname,
                    sex="F",
                    ethnicity=ethnicity,
                    date_of_birth=self.today - datetime.timedelta(days=rng.randint(50, 70) * 365),
                )
            )
        children = []
        for index in range(rng.choice([1, 1, 2, 2, 2, 3, 3, 4])):
            sex = rng.choice(["F", "M"])
            child = Person(
                agency=self.agency,
                kind=Person.Kind.CHILD,
                family_name=surname,
                sex=sex,
                given_name=rng.choice(GIRLS if sex == "F" else BOYS),
                ethnicity=ethnicity,
                disabilities=rng.choice(DISABILITIES),
            )
            if index == 0 and rng.random() < 0.05:
                child.sex, child.given_name = "U", "Unborn baby"
                child.expected_date_of_birth = self.today + datetime.timedelta(
                    days=rng.randint(20, 150)
                )
                child.disabilities = []
            else:
                child.date_of_birth = self.today - datetime.timedelta(
                    days=rng.randint(60, 17 * 365)
                )
                if child.age_on(self.today) >= 5 and rng.random() < 0.6:
                    child.upn = f"A{rng.randrange(10**11, 10**12):012d}"
                if rng.random() < 0.5:
                    child.nhs_number = f"9{rng.randrange(10**8, 10**9):09d}"
            children.append(child)
        Person.objects.bulk_create(adults + children)
        CaseMember.objects.bulk_create(
            CaseMember(
                case=case, person=p, lives_in_household=p is not adults[-1] or len(adults) < 3
            )
            for p in adults + children
        )
        relationships = []
        for child in children:
            relationships.append(
                Relationship(
                    agency=self.agency,
                    person=adults[0],
                    relative=child,
                    kind=Relationship.Kind.MOTHER,
                    parental_responsibility=True,
                )
            )
            if len(adults) > 1:
                relationships.append(
                    Relationship(
                        agency=self.agency,
                        person=adults[1],
                        relative=child,
                        kind=Relationship.Kind.FATHER
                        if rng.random() < 0.7
                        else Relationship.Kind.STEP_PARENT,
                        parental_responsibility=rng.random() < 0.8,
                    )
                )
            if len(adults) > 2:
                relationships.append(
                    Relationship(
                        agency=self.agency,
                        person=adults[2],
                        relative=child,
                        kind=Relationship.Kind.GRANDPARENT,
                    )
                )
            for sibling in children:
                if sibling is not child:
                    relationships.append(
                        Relationship(
                            agency=self.agency,
                            person=child,
                            relative=sibling,
                            kind=Relationship.Kind.SIBLING,
                        )
                    )
        Relationship.objects.bulk_create(relationships)
        return children, adults

    def _allocations(self, case: Case, team: Team, closed_on):
        rng = self.rng
        pool = self.workers[team.pk]
        count = rng.choice([1, 1, 2, 2, 3])
        end = closed_on or self.today
        span = (end - case.opened_on).days
        starts = sorted(
            {case.opened_on}
            | {
                case.opened_on + datetime.timedelta(days=rng.randint(30, max(span - 1, 31)))
                for _ in range(count - 1)
            }
        )
        workers = rng.sample(pool, k=min(len(starts), len(pool)))
        starts = starts[: len(workers)]
        allocations = []
        for index, (start, worker) in enumerate(zip(starts, workers, strict=True)):
            ended = starts[index + 1] if index + 1 < len(starts) else closed_on
            allocations.append(
                Allocation(
                    agency=self.agency,
                    case=case,
                    worker=worker,
                    started_on=start,
                    ended_on=ended,
                    allocated_by=self.managers[team.pk],
                    reason=""
                    if index == 0
                    else rng.choice(
                        [
                            "Caseload balancing",
                            "Previous worker left the team",
                            "Worker on long-term leave",
                        ]
                    ),
                )
            )
        Allocation.objects.bulk_create(allocations)
        return [(a.started_on, a.worker) for a in allocations]

    # Maps --------------------------------------------------------------------------------

    def _maps(self, case, children, adults, workers, scenario, closed_on):
        rng = self.rng
        end = closed_on or self.today
        dates, day = [], case.opened_on + datetime.timedelta(days=rng.randint(3, 20))
        while day < end and len(dates) < 6:
            dates.append(day)
            day += datetime.timedelta(days=rng.randint(28, 84))
        draft_last = closed_on is None and rng.random() < 0.25 and len(dates) > 1
        worker_score = rng.randint(1, 4)
        manager = self.managers[case.team_id]
        words = self._words(children, adults, workers[0][1])
        previous, previous_entries, previous_dangers = None, {}, []
        extra_from = rng.randint(1, 4) if rng.random() < 0.4 else None
        for number, held_on in enumerate(dates, start=1):
            worker = (
                next(w for start, w in reversed(workers) if start <= held_on)
                if any(start <= held_on for start, _ in workers)
                else workers[0][1]
            )
            words["worker"] = worker.first_name
            is_draft = draft_last and number == len(dates)
            finalised_at = timezone.make_aware(
                datetime.datetime.combine(held_on, datetime.time(16, 30))
            )
            signed = not is_draft and rng.random() < 0.6
            map_ = Map.objects.create(
                agency=self.agency,
                case=case,
                number=number,
                based_on=previous,
                status=Map.Status.DRAFT if is_draft else Map.Status.FINALISED,
                service=case.service,
                held_on=held_on,
                created_by=worker,
                purpose=MeetingPurpose.MAPPING
                if number == 1
                else rng.choice(LATER_MEETINGS[case.service]),
                finalised_at=None if is_draft else finalised_at,
                finalised_by=None if is_draft else worker,
                signed_off_at=finalised_at if signed else None,
                signed_off_by=manager if signed else None,
            )
            self._participants(map_, worker, children, adults)
            previous_entries = self._entries(
                map_, scenario, words, children, previous_entries, number
            )
            dangers = list(scenario["dangers"])
            if extra_from is not None and number >= extra_from:
                dangers.append(EXTRA_DANGER)
            previous_dangers = self._dangers(map_, dangers, words, children, previous_dangers)
            if not is_draft:
                worker_score = max(0, min(10, worker_score + rng.choice([-1, 0, 1, 1, 2, 2])))
                self._scales(map_, worker, adults, children, previous_dangers, worker_score)
            previous = map_

    def _words(self, children, adults, worker):
        first = children[0].given_name if children[0].date_of_birth else "the baby"
        names = [c.given_name if c.date_of_birth else "the baby" for c in children]
        together = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        return {
            "child": first,
            "children": together,
            "mum": adults[0].given_name,
            "dad": adults[1].given_name if len(adults) > 1 else "her partner",
            "worker": worker.first_name,
        }

    def _participants(self, map_, worker, children, adults):
        rng = self.rng
        rows = [
            MapParticipant(
                map=map_, name=worker.get_full_name(), role=ParticipantRole.SOCIAL_WORKER
            )
        ]
        for adult in adults[: rng.choice([1, 2, 2])]:
            rows.append(
                MapParticipant(
                    map=map_, name=adult.display_name, role=ParticipantRole.PARENT, person=adult
                )
            )
        if rng.random() < 0.5:
            rows.append(
                MapParticipant(
                    map=map_,
                    name=rng.choice(["Helen Ford", "Sunita Rao", "Tom Ellis"]),
                    role=ParticipantRole.PROFESSIONAL,
                    organisation=rng.choice(
                        ["Health visiting", "St Mary's Primary School", "Oakfield Academy"]
                    ),
                )
            )
        older = [c for c in children if c.date_of_birth and c.age_on(map_.held_on) >= 11]
        if older and rng.random() < 0.5:
            rows.append(
                MapParticipant(
                    map=map_,
                    name=older[0].display_name,
                    role=ParticipantRole.CHILD,
                    person=older[0],
                )
            )
        MapParticipant.objects.bulk_create(rows)

    def _about(self, children):
        rng = self.rng
        if len(children) == 1 or rng.random() < 0.4:
            return list(children)
        return [children[0]]

    def _entries(self, map_, scenario, words, children, previous, number):
        """Carry last version's entries forward (mostly unchanged), sometimes add or drop one."""
        rng = self.rng
        rows, links = [], []
        for category in [
            "harm",
            "complicating_factor",
            "existing_strength",
            "existing_safety",
            "next_step",
            "grey_area",
        ]:
            texts = [t.format(**words) for t in scenario[category]]
            carried = previous.get(category, [])
            keep = [e for e in carried if not (category == "next_step" and rng.random() < 0.5)]
            for entry in keep:
                rows.append(
                    MapEntry(
                        agency=self.agency,
                        map=map_,
                        category=category,
                        text=entry.text,
                        carried_from=entry,
                    )
                )
            have = {e.text for e in keep}
            fresh = [t for t in texts if t not in have]
            wanted = 1 if number == 1 else rng.choice([0, 0, 1])
            if category == "next_step":
                wanted = max(wanted, 1)
            for text in fresh[:wanted]:
                rows.append(MapEntry(agency=self.agency, map=map_, category=category, text=text))
        MapEntry.objects.bulk_create(rows)
        for entry in rows:
            for child in self._about(children):
                links.append(MapEntry.children.through(mapentry_id=entry.pk, person_id=child.pk))
        MapEntry.children.through.objects.bulk_create(links)
        grouped: dict[str, list[MapEntry]] = {}
        for entry in rows:
            grouped.setdefault(entry.category, []).append(entry)
        return grouped

    def _dangers(self, map_, dangers, words, children, previous):
        rows, goals, links = [], [], []
        for index, danger in enumerate(dangers):
            source = previous[index] if index < len(previous) else None
            disputed_by, dispute = "", ""
            if danger["dispute"] and self.rng.random() < 0.6:
                disputed_by, dispute = (part.format(**words) for part in danger["dispute"])
            rows.append(
                DangerStatement(
                    agency=self.agency,
                    map=map_,
                    carried_from=source,
                    who_is_worried=danger["who"].format(**words),
                    worried_about=danger["about"].format(**words),
                    impact_on_child=danger["impact"].format(**words),
                    disputed_by=source.disputed_by if source else disputed_by,
                    dispute=source.dispute if source else dispute,
                )
            )
        DangerStatement.objects.bulk_create(rows)
        for danger, statement in zip(dangers, rows, strict=True):
            goals.append(
                SafetyGoal(
                    agency=self.agency,
                    danger_statement=statement,
                    what_will_be_seen=danger["goal"].format(**words),
                    seen_by=danger["seen_by"].format(**words),
                    sustain_for=6
                    if "month" in danger["goal"]
                    else self.rng.choice([3, 6, 6, 9, 12]),
                    sustain_unit=SafetyGoal.SustainUnit.MONTHS,
                )
            )
            for child in children:
                links.append(
                    DangerStatement.children.through(
                        dangerstatement_id=statement.pk, person_id=child.pk
                    )
                )
        SafetyGoal.objects.bulk_create(goals)
        DangerStatement.children.through.objects.bulk_create(links)
        return rows

    def _scales(self, map_, worker, adults, children, dangers, worker_score):
        rng = self.rng
        parent = adults[0]
        parent_score = min(10, worker_score + rng.choice([0, 1, 1, 2, 3]))
        reason = OVERALL_REASONS[min(worker_score // 2, len(OVERALL_REASONS) - 1)]
        rows = [
            ScaleJudgement(
                agency=self.agency,
                map=map_,
                rater_name=worker.get_full_name(),
                rater_role=RaterRole.WORKER,
                score=worker_score,
                zero_means=ZERO,
                ten_means=TEN,
                reason=reason,
            ),
            ScaleJudgement(
                agency=self.agency,
                map=map_,
                rater_name=parent.display_name,
                rater_role=RaterRole.PARENT,
                score=parent_score,
                zero_means=ZERO,
                ten_means=TEN,
                reason=rng.choice(
                    [
                        "We've done everything you asked and the children are fine.",
                        "Things are better at home, but I know there's more to do.",
                        "Grandma is helping and we're getting on better.",
                    ]
                ),
            ),
        ]
        if rng.random() < 0.3:
            rows.append(
                ScaleJudgement(
                    agency=self.agency,
                    map=map_,
                    rater_name=self.managers[map_.case.team_id].get_full_name(),
                    rater_role=RaterRole.MANAGER,
                    score=max(0, worker_score - rng.choice([0, 1])),
                    zero_means=ZERO,
                    ten_means=TEN,
                    reason="I agree with the worker; the plan needs longer.",
                )
            )
        older = [c for c in children if c.date_of_birth and c.age_on(map_.held_on) >= 8]
        if older and rng.random() < 0.4:
            rows.append(
                ScaleJudgement(
                    agency=self.agency,
                    map=map_,
                    rater_name=older[0].display_name,
                    rater_role=RaterRole.CHILD,
                    score=max(0, min(10, worker_score + rng.choice([-1, 0, 1, 2]))),
                    zero_means="Home feels scary all the time",
                    ten_means="Home feels safe all the time",
                    reason="It's calmer at home now and I can talk to Grandma.",
                )
            )
        for danger in dangers:
            score = max(0, min(10, worker_score + rng.choice([-1, 0, 0, 1])))
            rows.append(
                ScaleJudgement(
                    agency=self.agency,
                    map=map_,
                    danger_statement=danger,
                    rater_name=worker.get_full_name(),
                    rater_role=RaterRole.WORKER,
                    score=score,
                    zero_means="This worry will certainly happen again",
                    ten_means="The safety goal has been reached and kept up",
                    reason=reason,
                )
            )
            rows.append(
                ScaleJudgement(
                    agency=self.agency,
                    map=map_,
                    danger_statement=danger,
                    rater_name=parent.display_name,
                    rater_role=RaterRole.PARENT,
                    score=min(10, score + rng.choice([0, 1, 2])),
                    zero_means="This worry will certainly happen again",
                    ten_means="The safety goal has been reached and kept up",
                    reason="We're working on it together.",
                )
            )
        ScaleJudgement.objects.bulk_create(rows)
