"""Every factory for the test suite, in one place. All data is synthetic."""

import datetime

import factory
from factory.django import DjangoModelFactory

from agencies.models import Agency, Role, Service, Team, User
from people.models import Allocation, Case, CaseMember, Person
from practice.models import (
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

PASSWORD = "correct-horse-battery-staple"


class AgencyFactory(DjangoModelFactory):
    class Meta:
        model = Agency

    name = factory.Sequence(lambda n: f"Testshire Council {n}")
    code = factory.Sequence(lambda n: f"T{n:03d}")


class TeamFactory(DjangoModelFactory):
    class Meta:
        model = Team

    agency = factory.SubFactory(AgencyFactory)
    name = factory.Sequence(lambda n: f"Assessment team {n}")
    service = Service.CHILD_PROTECTION


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Iterator(["Amara", "Ben", "Chloe", "Dev", "Ewa", "Farid"])
    last_name = factory.Iterator(["Okafor", "Hughes", "Patel", "Nowak", "Reid"])
    team = factory.SubFactory(TeamFactory)
    agency = factory.SelfAttribute("team.agency")
    role = Role.SOCIAL_WORKER
    password = factory.django.Password(PASSWORD)


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person

    agency = factory.SubFactory(AgencyFactory)
    kind = Person.Kind.CHILD
    given_name = factory.Iterator(["Leo", "Mia", "Noah", "Ava", "Zain"])
    family_name = "Testington"
    date_of_birth = datetime.date(2018, 4, 1)
    sex = "F"
    ethnicity = "WBRI"


class CaseFactory(DjangoModelFactory):
    class Meta:
        model = Case

    team = factory.SubFactory(TeamFactory)
    agency = factory.SelfAttribute("team.agency")
    reference = factory.Sequence(lambda n: f"TC-{n:06d}")
    name = "Testington family"
    service = factory.SelfAttribute("team.service")
    opened_on = datetime.date(2026, 1, 5)


class CaseMemberFactory(DjangoModelFactory):
    class Meta:
        model = CaseMember

    case = factory.SubFactory(CaseFactory)
    person = factory.SubFactory(PersonFactory, agency=factory.SelfAttribute("..case.agency"))


class AllocationFactory(DjangoModelFactory):
    class Meta:
        model = Allocation

    case = factory.SubFactory(CaseFactory)
    agency = factory.SelfAttribute("case.agency")
    worker = factory.SubFactory(UserFactory, team=factory.SelfAttribute("..case.team"))
    started_on = datetime.date(2026, 1, 5)


class MapFactory(DjangoModelFactory):
    class Meta:
        model = Map

    case = factory.SubFactory(CaseFactory)
    agency = factory.SelfAttribute("case.agency")
    number = factory.Sequence(lambda n: n + 1)
    service = factory.SelfAttribute("case.service")
    purpose = MeetingPurpose.MAPPING
    held_on = datetime.date(2026, 2, 2)
    created_by = factory.SubFactory(UserFactory, team=factory.SelfAttribute("..case.team"))


class MapEntryFactory(DjangoModelFactory):
    class Meta:
        model = MapEntry

    map = factory.SubFactory(MapFactory)
    agency = factory.SelfAttribute("map.agency")
    category = "existing_strength"
    text = "Grandma Pat collects the children from school every day."


class DangerStatementFactory(DjangoModelFactory):
    class Meta:
        model = DangerStatement
        skip_postgeneration_save = True

    map = factory.SubFactory(MapFactory)
    agency = factory.SelfAttribute("map.agency")
    who_is_worried = "Sam (social worker) and the school"
    worried_about = "When Dad drinks he shouts and has pushed Mum in front of the children."
    impact_on_child = "Leo could be hurt and will keep being frightened at home."
    safety_goal = factory.RelatedFactory(
        "tests.factories.SafetyGoalFactory", factory_related_name="danger_statement"
    )


class SafetyGoalFactory(DjangoModelFactory):
    class Meta:
        model = SafetyGoal

    danger_statement = factory.SubFactory(DangerStatementFactory, safety_goal=None)
    agency = factory.SelfAttribute("danger_statement.agency")
    what_will_be_seen = "Dad stays sober when caring for the children and talks calmly."
    seen_by = "The safety network and the school"
    sustain_for = 6
    sustain_unit = SafetyGoal.SustainUnit.MONTHS


class ScaleJudgementFactory(DjangoModelFactory):
    class Meta:
        model = ScaleJudgement

    map = factory.SubFactory(MapFactory)
    agency = factory.SelfAttribute("map.agency")
    rater_name = "Sam Reid"
    rater_role = RaterRole.WORKER
    score = 4
    zero_means = "The children will be hurt again"
    ten_means = "The children are safe enough to close"
    reason = "Dad has started going to his group."


class MapParticipantFactory(DjangoModelFactory):
    class Meta:
        model = MapParticipant

    map = factory.SubFactory(MapFactory)
    name = "Jade Testington"
    role = ParticipantRole.PARENT
