"""Every factory for the test suite, in one place. All data is synthetic; pictures are drawn
in memory."""

import datetime
import io

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from factory.django import DjangoModelFactory
from PIL import Image

from agencies.models import Agency, Role, Service, Team, User
from documents.structure import Column, FamilyDocument, Picture, Section
from people.models import Allocation, Case, CaseMember, Person
from practice.models import (
    DangerStatement,
    Map,
    MapEntry,
    MapParticipant,
    MeetingPurpose,
    ParticipantRole,
    PlainLanguageTerm,
    RaterRole,
    SafetyGoal,
    ScaleJudgement,
)
from safety.models import NetworkMember, TrajectoryStage

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


class PlainLanguageTermFactory(DjangoModelFactory):
    class Meta:
        model = PlainLanguageTerm

    agency = factory.SubFactory(AgencyFactory)
    term = factory.Sequence(lambda n: f"jargon{n}")
    suggestion = "say what you mean"
    active = True


class NetworkMemberFactory(DjangoModelFactory):
    class Meta:
        model = NetworkMember
        skip_postgeneration_save = True

    case = factory.SubFactory(CaseFactory)
    agency = factory.SelfAttribute("case.agency")
    name = factory.Iterator(["Grandma Pat", "Auntie Michelle", "Mr Ahmed", "Kerry Doyle"])
    kind = NetworkMember.Kind.FAMILY
    relationship = "Mum's mum"
    joined_on = datetime.date(2026, 1, 10)
    status_since = factory.SelfAttribute("joined_on")
    created_by = factory.SubFactory(UserFactory, team=factory.SelfAttribute("..case.team"))


class TrajectoryStageFactory(DjangoModelFactory):
    class Meta:
        model = TrajectoryStage

    case = factory.SubFactory(CaseFactory)
    agency = factory.SelfAttribute("case.agency")
    position = factory.Sequence(lambda n: n + 1)
    name = "Child protection plan ends"
    milestone = "The review conference agrees the children are safe enough."
    target_on = datetime.date(2026, 6, 1)


# Pictures and uploads for children's drawings and photos.


def png_bytes(width=120, height=80, colour=(200, 40, 40)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, format="PNG")
    return out.getvalue()


def jpeg_with_exif(width=64, height=48) -> bytes:
    """A photo carrying camera metadata, which uploads must strip."""
    image = Image.new("RGB", (width, height), (30, 120, 200))
    exif = Image.Exif()
    exif[0x010F] = "Synthetic Camera Co"  # Make
    exif[0x0132] = "2026:03:03 10:00:00"  # DateTime
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue()


def upload(content: bytes, name="drawing.png", content_type="image/png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def make_voices_world(*, actor, case, child) -> dict:
    """One of each voices record with a picture, and the URL parameters that reach them: for
    walking every voices URL."""
    from voices import services, uploads

    picture = uploads.clean_picture(upload(png_bytes()))
    record = services.voice_record_add(
        actor=actor,
        case=case,
        child=child,
        kind="three_houses",
        done_on=case.opened_on,
        words={"worries": "When Dad shouts I hide under my bed.", "good_things": "Pancakes"},
        pictures=[(picture, "Leo's drawing of three houses", "")],
    )
    version = services.wp_start(
        actor=actor,
        case=case,
        child=child,
        sections={
            "who_is_worried": "Sam the social worker and Leo's teacher are worried.",
            "worried_about": "Grown-ups at home shouted and pushed each other.",
            "what_happened": "Leo stayed with Grandma Pat for a few days.",
            "what_we_are_doing": "Mum and Dad are learning to sort out arguments calmly.",
        },
    )
    wp_picture = services.wp_picture_add(
        actor=actor, version=version, section="what_happened", picture=picture, alt_text="Gran"
    )
    return {
        "person_id": child.pk,
        "record_id": record.pk,
        "voice_picture_id": record.pictures.get().pk,
        "wp_id": version.words_and_pictures_id,
        "version_id": version.pk,
        "wp_picture_id": wp_picture.pk,
    }


# Family documents, built without the database.


def family_document(**overrides) -> FamilyDocument:
    """A document using every part of the structure."""
    values = {
        "kind": "safety_plan",
        "title": "Our safety plan",
        "agency_name": "Northmoor Borough Council",
        "about": "For the Okafor family",
        "version": "Version 3, agreed 12 March 2026",
        "dated": datetime.date(2026, 3, 12),
        "sections": [
            Section(
                heading="Who is in the safety network",
                paragraphs=["These people help keep Leo safe.", "They meet every month."],
                items=["Grandma Pat", "Auntie Joy"],
                table=[["Name", "What they do"], ["Grandma Pat", "Visits every morning"]],
            ),
            Section(
                heading="Leo's drawing",
                pictures=[Picture(path="missing/leo.png", alt_text="Leo's house with a sun")],
            ),
        ],
    }
    values.update(overrides)
    return FamilyDocument(**values)


def map_columns() -> list[Column]:
    return [
        Column("What are we worried about?", [Section("Harm", items=["Leo had a bruise."])]),
        Column("What's working well?", [Section("Existing strength", items=["Grandma Pat."])]),
        Column("What needs to happen?", [Section("Next step", items=["Sam visits Friday."])]),
    ]
