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
    agency = factory.SelfAttribute("case.agency")
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
    agency = factory.SelfAttribute("map.agency")
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


# Family and network portal.


def make_portal_world(*, actor, case, child) -> dict:
    """A family with something to share: a parent, a finalised map, an agreed Words and
    Pictures for the child, and an agreed safety plan with one rule for Grandma Pat and one
    that is not hers. Every record is made through the services."""
    from practice import services as practice_services
    from safety import services as safety_services
    from voices import services as voices_services

    agreed_on = case.opened_on + datetime.timedelta(days=7)
    parent = PersonFactory(
        agency=case.agency,
        kind=Person.Kind.ADULT,
        given_name="Jade",
        date_of_birth=datetime.date(1994, 5, 1),
    )
    CaseMemberFactory(case=case, person=parent)
    map_ = practice_services.map_start(
        actor=actor, case=case, purpose="mapping", held_on=case.opened_on
    )
    practice_services.map_entry_add(
        actor=actor, map_=map_, category="existing_strength", text="Mum walks Leo to school."
    )
    practice_services.danger_statement_add(
        actor=actor,
        map_=map_,
        statement={
            "who_is_worried": "Sam and the school",
            "worried_about": "Dad shouts and pushes Mum when he drinks.",
            "impact_on_child": "Leo could get hurt or be very scared.",
            "disputed_by": "",
            "dispute": "",
        },
        goal={
            "what_will_be_seen": "Dad stays calm and sober when he looks after Leo.",
            "seen_by": "Grandma Pat and Sam",
            "sustain_for": 6,
            "sustain_unit": "months",
        },
    )
    practice_services.scale_judgement_add(
        actor=actor,
        map_=map_,
        danger_statement=None,
        rater_name="Jade Testington",
        rater_role="parent",
        score=6,
        zero_means="Leo can't live at home.",
        ten_means="Everyone is sure Leo is safe.",
        reason="Things are better.",
    )
    practice_services.map_participant_add(actor=actor, map_=map_, name="Jade", role="parent")
    map_ = practice_services.map_finalise(actor=actor, map_=map_, expected_revision=map_.revision)
    grandma = safety_services.network_member_add(
        actor=actor,
        case=case,
        name="Grandma Pat",
        kind="family",
        relationship="Mum's mum",
        phone="07700 900123",
        email="pat@example.org",
        joined_on=case.opened_on,
    )
    uncle = safety_services.network_member_add(
        actor=actor,
        case=case,
        name="Uncle Ray",
        kind="family",
        relationship="Dad's brother",
        phone="07700 900456",
        joined_on=case.opened_on,
    )
    plan = safety_services.safety_plan_start(actor=actor, case=case)
    her_rule = safety_services.safety_plan_rule_add(
        actor=actor,
        plan=plan,
        members=[grandma],
        text="Grandma Pat picks Leo up from school on Mondays.",
        who="Grandma Pat",
        when="Every Monday",
        how_checked="Grandma Pat texts Sam.",
    )
    other_rule = safety_services.safety_plan_rule_add(
        actor=actor,
        plan=plan,
        members=[uncle],
        text="Uncle Ray takes Dad to his group on Thursdays.",
        who="Uncle Ray",
        when="Every Thursday",
        how_checked="The group leader tells Sam.",
    )
    safety_services.safety_plan_update_details(
        actor=actor,
        plan=plan,
        expected_revision=plan.revision,
        if_broken="Ring Sam straight away. Leo goes to Grandma Pat's.",
        who_to_call="Sam: 01632 960000. Out of hours: 01632 960999.",
        next_review_on=None,
    )
    plan.refresh_from_db()
    plan = safety_services.safety_plan_agree(
        actor=actor,
        plan=plan,
        expected_revision=plan.revision,
        agreed_on=agreed_on,
        agreed_with="Jade (Mum), Sam (social worker)",
        next_review_on=agreed_on + datetime.timedelta(days=60),
        members=[grandma, uncle],
    )
    version = voices_services.wp_start(
        actor=actor,
        case=case,
        child=child,
        sections={
            "who_is_worried": "Sam and your teacher are worried.",
            "worried_about": "Grown-ups at home shouted and pushed.",
            "what_happened": "You stayed with Grandma Pat for a few days.",
            "what_we_are_doing": "Mum and Dad are learning to talk calmly.",
        },
    )
    from django.utils import timezone

    from voices import uploads

    wp_picture = voices_services.wp_picture_add(
        actor=actor,
        version=version,
        section="what_happened",
        picture=uploads.clean_picture(upload(png_bytes())),
        alt_text="Leo's drawing of Grandma Pat's house",
    )
    voices_services.wp_version_agree(
        actor=actor, version=version, agreed_on=timezone.localdate(), person=parent
    )
    return {
        "parent": parent,
        "map": map_,
        "grandma": grandma,
        "uncle": uncle,
        "plan": plan,
        "her_rule": her_rule,
        "other_rule": other_rule,
        "wp_version": version,
        "wp_picture": wp_picture,
    }


# Timescales.


class TimescaleRulesFactory(DjangoModelFactory):
    class Meta:
        model = "timescales.TimescaleRules"
        django_get_or_create = ("agency",)

    agency = factory.SubFactory(AgencyFactory)


class DeadlineFactory(DjangoModelFactory):
    """An open deadline; give due_on (and met_on with status="met") as the test needs."""

    class Meta:
        model = "timescales.Deadline"

    case = factory.SubFactory(CaseFactory)
    agency = factory.SelfAttribute("case.agency")
    kind = "cp_visit"
    started_by_source = factory.Sequence(lambda n: f"visit:{n + 1}")
    started_on = datetime.date(2026, 1, 5)
    counted_from = factory.SelfAttribute("started_on")
    due_on = datetime.date(2026, 1, 19)
    status = "open"


def make_timescales_world(*, case) -> dict:
    """An overdue deadline on the case, and the URL parameter that reaches it."""
    deadline = DeadlineFactory(
        case=case,
        kind="referral_decision",
        started_by_source="referral:1",
        started_on=case.opened_on,
        due_on=case.opened_on + datetime.timedelta(days=1),
    )
    return {"deadline_id": deadline.pk}


# Statutory process.

PROCESS_DAY = datetime.date(2026, 1, 5)


def process_day(days: int) -> datetime.date:
    """A day in the synthetic process history, counted from the test case's opening."""
    return PROCESS_DAY + datetime.timedelta(days=days)


def process_finalise_map(map_, actor):
    """Give a conference or strategy map what finalising needs, then finalise it."""
    from practice import services as practice_services

    if not map_.danger_statements.exists():
        practice_services.danger_statement_add(
            actor=actor,
            map_=map_,
            statement={
                "who_is_worried": "Sam (social worker) and Leo's school",
                "worried_about": "Mum and Dad shout and push each other when Leo is there.",
                "impact_on_child": "Leo could be hurt and frightened at home.",
            },
            goal={
                "what_will_be_seen": "Mum and Dad sort out arguments calmly, away from Leo.",
                "seen_by": "Grandma Pat and the school",
                "sustain_for": 6,
                "sustain_unit": "months",
            },
        )
    for name, role, rater_role, score in [
        ("Jade Testington", "parent", "parent", 6),
        ("Chair Person", "conference_chair", "conference_chair", 3),
    ]:
        if not map_.participants.filter(name=name).exists():
            practice_services.map_participant_add(actor=actor, map_=map_, name=name, role=role)
        practice_services.scale_judgement_add(
            actor=actor,
            map_=map_,
            danger_statement=None,
            rater_name=name,
            rater_role=rater_role,
            score=score,
            zero_means="Leo will be hurt again",
            ten_means="Leo is safe enough to close",
            reason="Synthetic reason.",
        )
    map_.refresh_from_db()
    return practice_services.map_finalise(actor=actor, map_=map_, expected_revision=map_.revision)


PROCESS_STAGES = (
    "referral",
    "referral_decided",
    "assessment",
    "strategy",
    "s47",
    "s47_completed",
    "conference",
    "conference_decided",
    "cp_plan",
    "core_group",
    "assessment_completed",
    "review",
    "plan_ended",
)


def process_to(stage: str, *, actor, case, child) -> dict:
    """Take a child through the statutory process with the services, up to and including
    `stage`, on fixed past dates. Returns the records by stage name."""
    from process import services

    done = {}
    for step in PROCESS_STAGES[: PROCESS_STAGES.index(stage) + 1]:
        if step == "referral":
            done[step] = services.referral_record(
                actor=actor,
                case=case,
                child=child,
                received_on=process_day(0),
                source="2A",
                primary_need="N1",
            )
        elif step == "referral_decided":
            done[step] = services.referral_decide(
                actor=actor,
                referral=done["referral"],
                expected_revision=1,
                decision="assessment",
                decided_on=process_day(1),
            )
        elif step == "assessment":
            done[step] = services.assessment_start(
                actor=actor, case=case, child=child, started_on=process_day(2)
            )
        elif step == "strategy":
            done[step] = services.strategy_discussion_record(
                actor=actor,
                case=case,
                child=child,
                held_on=process_day(3),
                participants="Police, school, health visitor",
                decisions="Start a section 47 enquiry.",
                starts_s47=True,
            )
            process_finalise_map(done[step].map, actor)
        elif step == "s47":
            done[step] = services.section47_start(
                actor=actor, case=case, child=child, started_on=process_day(3)
            )
        elif step == "s47_completed":
            done[step] = services.section47_complete(
                actor=actor,
                enquiry=done["s47"],
                expected_revision=1,
                completed_on=process_day(10),
                outcome="conference",
            )
        elif step == "conference":
            done[step] = services.conference_start(
                actor=actor, case=case, child=child, kind="initial", held_on=process_day(15)
            )
        elif step == "conference_decided":
            process_finalise_map(done["conference"].map, actor)
            done[step] = services.conference_decide(
                actor=actor,
                conference=done["conference"],
                expected_revision=1,
                plan_decided=True,
                category="EMO",
                decision="Leo to be subject to a child protection plan.",
            )
        elif step == "cp_plan":
            done[step] = services.cp_plan_start(actor=actor, conference=done["conference"])
        elif step == "core_group":
            done[step] = services.core_group_record(
                actor=actor, plan=done["cp_plan"], held_on=process_day(20)
            )
        elif step == "assessment_completed":
            assessment = done["assessment"]
            assessment.refresh_from_db()
            done[step] = services.assessment_complete(
                actor=actor,
                assessment=assessment,
                expected_revision=assessment.revision,
                completed_on=process_day(30),
                factors=["3B", "17A"],
                outcome="child_protection",
            )
        elif step == "review":
            done[step] = services.conference_start(
                actor=actor, case=case, child=child, kind="review", held_on=process_day(100)
            )
            process_finalise_map(done[step].map, actor)
            done[step] = services.conference_decide(
                actor=actor,
                conference=done[step],
                expected_revision=1,
                plan_decided=False,
                decision="The plan can end: step down to a child in need plan.",
            )
        elif step == "plan_ended":
            plan = done["cp_plan"]
            plan.refresh_from_db()
            done[step] = services.cp_plan_end(
                actor=actor,
                plan=plan,
                expected_revision=plan.revision,
                ended_on=process_day(100),
                end_reason="no_longer_needed",
            )
    return done


def make_process_world(*, actor, case, child) -> dict:
    """One of every process record on the case, written directly (the case's draft map stays
    the only draft), for the URL permission matrix."""
    from process.models import (
        Approval,
        Assessment,
        ChildInNeedPlan,
        ChildProtectionPlan,
        Conference,
        LookedAfterEpisode,
        Referral,
        Section47Enquiry,
        StrategyDiscussion,
    )

    base = {"agency_id": case.agency_id, "case": case, "recorded_by": actor}
    sibling = PersonFactory(agency=case.agency, given_name="Mia")
    CaseMemberFactory(case=case, person=sibling)
    referral = Referral.objects.create(
        **base, child=child, received_on=process_day(0), source="6", primary_need="N1"
    )
    assessment = Assessment.objects.create(
        **base, child=child, referral=referral, started_on=process_day(2)
    )
    discussion = StrategyDiscussion.objects.create(
        **base,
        child=child,
        held_on=process_day(3),
        participants="Police",
        decisions="Section 47",
        starts_s47=True,
    )
    enquiry = Section47Enquiry.objects.create(
        **base, child=child, strategy_discussion=discussion, started_on=process_day(3)
    )
    conference = Conference.objects.create(
        **base,
        child=child,
        kind="initial",
        held_on=process_day(15),
        section47=enquiry,
        plan_decided=True,
        category="NEG",
        decided_on=process_day(15),
    )
    cp_plan = ChildProtectionPlan.objects.create(
        **base,
        child=child,
        conference=conference,
        started_on=process_day(15),
        initial_category="NEG",
        latest_category="NEG",
    )
    cin_plan = ChildInNeedPlan.objects.create(**base, child=sibling, started_on=process_day(5))
    episode = LookedAfterEpisode.objects.create(
        **base, child=sibling, started_on=process_day(6), legal_status="V2", placement="U3"
    )
    approval = Approval.objects.create(
        agency_id=case.agency_id,
        case=case,
        kind="cp_plan",
        cp_plan=cp_plan,
        submitted_by=actor,
        submitted_at=datetime.datetime(2026, 1, 20, tzinfo=datetime.UTC),
    )
    return {
        "referral_id": referral.pk,
        "assessment_id": assessment.pk,
        "enquiry_id": enquiry.pk,
        "conference_id": conference.pk,
        "cp_plan_id": cp_plan.pk,
        "cin_plan_id": cin_plan.pk,
        "episode_id": episode.pk,
        "approval_id": approval.pk,
    }


# REST API.


API_SCOPES = (
    "cases:read",
    "people:read",
    "maps:read",
    "maps:write",
    "safety:read",
    "safety:write",
    "process:read",
    "process:write",
    "measures:read",
)


class ApiClientFactory(DjangoModelFactory):
    """A client acting as a social worker, with every scope unless told otherwise."""

    class Meta:
        model = "api.ApiClient"

    acting_user = factory.SubFactory(UserFactory)
    agency = factory.SelfAttribute("acting_user.agency")
    name = factory.Sequence(lambda n: f"Case system {n}")
    scopes = factory.LazyFunction(lambda: list(API_SCOPES))


def api_token(client, *, days: int = 30, **overrides) -> str:
    """A working bearer token (its secret) for a client, made without the administrators'
    page. `overrides` set fields of the stored token (expires_at, revoked_at…)."""
    import secrets

    from django.utils import timezone

    from api.models import ApiToken
    from api.services import TOKEN_PREFIX, token_hash

    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    values = {
        "agency_id": client.agency_id,
        "client": client,
        "token_hash": token_hash(secret),
        "prefix": secret[:9],
        "expires_at": timezone.now() + datetime.timedelta(days=days),
        **overrides,
    }
    ApiToken.objects.create(**values)
    return secret


# Measures.


class VoiceRecordFactory(DjangoModelFactory):
    """Three Houses with one child, done on a given day (give case and child)."""

    class Meta:
        model = "voices.VoiceRecord"

    case = factory.SubFactory(CaseFactory)
    agency = factory.SelfAttribute("case.agency")
    child = factory.SubFactory(PersonFactory, agency=factory.SelfAttribute("..case.agency"))
    kind = "three_houses"
    done_on = datetime.date(2026, 2, 2)
    done_by = factory.SubFactory(UserFactory, team=factory.SelfAttribute("..case.team"))
    created_by = factory.SelfAttribute("done_by")


class WordsAndPicturesFactory(DjangoModelFactory):
    class Meta:
        model = "voices.WordsAndPictures"

    case = factory.SubFactory(CaseFactory)
    agency = factory.SelfAttribute("case.agency")
    child = factory.SubFactory(PersonFactory, agency=factory.SelfAttribute("..case.agency"))
    created_by = factory.SubFactory(UserFactory, team=factory.SelfAttribute("..case.team"))


class WPVersionFactory(DjangoModelFactory):
    """A version of Words and Pictures; created_at is set afterwards (auto_now_add) when a test
    needs it on a given day."""

    class Meta:
        model = "voices.WPVersion"

    words_and_pictures = factory.SubFactory(WordsAndPicturesFactory)
    agency = factory.SelfAttribute("words_and_pictures.agency")
    number = factory.Sequence(lambda n: n + 1)
    who_is_worried = "Sam, your social worker, and your teachers"
    worried_about = "Grown-ups shouting at home"
    what_happened = "Mum and Dad talked with Sam"
    what_we_are_doing = "Grandma Pat helps every day"
    created_by = factory.SelfAttribute("words_and_pictures.created_by")
    changed_by = factory.SelfAttribute("created_by")
    changed_at = factory.LazyFunction(
        lambda: datetime.datetime(2026, 2, 2, 12, tzinfo=datetime.UTC)
    )


class SafetyPlanFactory(DjangoModelFactory):
    """A safety plan; agreed when agreed_on is given."""

    class Meta:
        model = "safety.SafetyPlan"

    case = factory.SubFactory(CaseFactory)
    agency = factory.SelfAttribute("case.agency")
    number = factory.Sequence(lambda n: n + 1)
    status = "draft"
    created_by = factory.SubFactory(UserFactory, team=factory.SelfAttribute("..case.team"))


class SafetyPlanReviewFactory(DjangoModelFactory):
    class Meta:
        model = "safety.SafetyPlanReview"

    plan = factory.SubFactory(SafetyPlanFactory)
    agency = factory.SelfAttribute("plan.agency")
    reviewed_on = datetime.date(2026, 3, 2)
    outcome = "working"
    recorded_by = factory.SelfAttribute("plan.created_by")


# Statutory returns.


def census_world(*, code: str = "999"):
    """An agency with a DfE-style three-digit code, a team, a worker, a family case and a
    child, ready for CIN census records (written directly with `census_*`)."""
    agency = AgencyFactory(code=code)
    team = TeamFactory(agency=agency)
    worker = UserFactory(agency=agency, team=team, role="social_worker")
    case = CaseFactory(agency=agency, team=team, opened_on=datetime.date(2025, 4, 1))
    child = census_child(case=case, given_name="Leo", upn="")
    return {"agency": agency, "team": team, "worker": worker, "case": case, "child": child}


def census_child(*, case, **person):
    values = {
        "agency": case.agency,
        "date_of_birth": datetime.date(2022, 5, 14),
        "sex": "M",
        "ethnicity": "WBRI",
        "disabilities": ["NONE"],
        **person,
    }
    child = PersonFactory(**values)
    CaseMemberFactory(case=case, person=child)
    return child


def census_episode(*, world, child=None, received_on, stage="cp_plan", **referral):
    """One child's CIN episode from `received_on`, written directly, up to `stage`: referral,
    assessment (authorised), cin_plan, s47 (open), icpc (conference held), cp_plan."""
    from process.models import (
        Assessment,
        ChildInNeedPlan,
        ChildProtectionPlan,
        Conference,
        Referral,
        Section47Enquiry,
        StrategyDiscussion,
    )

    child = child or world["child"]
    base = {"agency": world["agency"], "case": world["case"], "recorded_by": world["worker"]}
    day = lambda n: received_on + datetime.timedelta(days=n)  # noqa: E731
    done = {
        "referral": Referral.objects.create(
            **base,
            child=child,
            received_on=received_on,
            source="2A",
            primary_need="N1",
            decision=referral.pop("decision", "assessment"),
            decided_on=received_on,
            **referral,
        )
    }
    if stage == "referral":
        return done
    done["assessment"] = Assessment.objects.create(
        **base,
        child=child,
        referral=done["referral"],
        started_on=day(1),
        completed_on=day(20),
        authorised_on=day(22),
        factors=["3B", "17A"],
        outcome="child_protection" if stage != "cin_plan" else "cin_plan",
    )
    if stage == "assessment":
        return done
    if stage == "cin_plan":
        done["cin_plan"] = ChildInNeedPlan.objects.create(**base, child=child, started_on=day(25))
        return done
    discussion = StrategyDiscussion.objects.create(
        **base, child=child, held_on=day(2), participants="Police", decisions="S47", starts_s47=True
    )
    done["s47"] = Section47Enquiry.objects.create(
        **base, child=child, strategy_discussion=discussion, started_on=day(2)
    )
    if stage == "s47":
        return done
    done["s47"].completed_on, done["s47"].conference_needed = day(9), True
    done["s47"].outcome = "conference"
    done["s47"].save()
    # Held on a weekday (rule 8875): the first Monday to Friday from day 14.
    held = day(14)
    while held.weekday() >= 5:
        held += datetime.timedelta(days=1)
    done["icpc"] = Conference.objects.create(
        **base,
        child=child,
        kind="initial",
        held_on=held,
        section47=done["s47"],
        plan_decided=True,
        category="EMO",
        decided_on=held,
    )
    if stage == "icpc":
        return done
    done["cp_plan"] = ChildProtectionPlan.objects.create(
        **base,
        child=child,
        conference=done["icpc"],
        started_on=held,
        initial_category="EMO",
        latest_category="EMO",
    )
    return done


# Learning in practice: supervision and appreciative inquiry.


class SupervisionSessionFactory(DjangoModelFactory):
    class Meta:
        model = "learning.SupervisionSession"
        skip_postgeneration_save = True

    facilitator = factory.SubFactory(UserFactory, role=Role.TEAM_MANAGER)
    agency = factory.SelfAttribute("facilitator.agency")
    created_by = factory.SelfAttribute("facilitator")
    kind = "individual"
    held_on = factory.LazyFunction(datetime.date.today)

    @factory.post_generation
    def attendees(self, create, extracted, **kwargs):
        if create and extracted:
            self.attendees.set(extracted)


class SupervisionActionFactory(DjangoModelFactory):
    class Meta:
        model = "learning.SupervisionAction"

    session = factory.SubFactory(SupervisionSessionFactory)
    agency = factory.SelfAttribute("session.agency")
    case = factory.SelfAttribute("session.case")
    owner = factory.SelfAttribute("session.facilitator")
    created_by = factory.SelfAttribute("session.facilitator")
    text = "Ask the grandparents to the next network meeting."
    due_on = factory.LazyFunction(lambda: datetime.date.today() + datetime.timedelta(days=7))


def make_learning_world(*, facilitator, attendee, case) -> dict:
    """A group supervision on the case with one action for the attendee, and an appreciative
    inquiry about the attendee's work, shared in the library by the facilitator."""
    from learning import services as learning_services

    session = learning_services.session_record(
        actor=facilitator,
        kind="group",
        held_on=case.opened_on,
        attendees=[attendee],
        presenter=attendee,
        case=case,
    )
    action = learning_services.action_add(
        actor=facilitator,
        session=session,
        text="Talk to the school about the bruise.",
        owner=attendee,
        due_on=case.opened_on + datetime.timedelta(days=7),
    )
    inquiry = learning_services.inquiry_record(
        actor=attendee,
        workers=[attendee],
        case=case,
        title="Helping a father hear the worry",
        theme="partnership",
        held_on=case.opened_on,
        practice_examined="The worker wrote the danger statement with the father.",
        what_made_it_work="Plain words and patience.",
        what_others_can_take="Write it with the parent, not for them.",
        shared_text="A worker wrote the danger statement with a father in his own words.",
    )
    learning_services.inquiry_share(
        actor=facilitator, inquiry=inquiry, expected_revision=1, confirmed_anonymised=True
    )
    return {"session_id": session.pk, "action_id": action.pk, "inquiry_id": inquiry.pk}


# Case audit ----------------------------------------------------------------------------------


class AuditRubricFactory(DjangoModelFactory):
    class Meta:
        model = "audits.AuditRubric"

    agency = factory.SubFactory(AgencyFactory)
    name = factory.Sequence(lambda n: f"Practice audit {n}")
    active = True


class AuditQuestionFactory(DjangoModelFactory):
    class Meta:
        model = "audits.AuditQuestion"

    rubric = factory.SubFactory(AuditRubricFactory)
    agency = factory.SelfAttribute("rubric.agency")
    order = factory.Sequence(lambda n: n + 1)
    area = "Map and analysis"
    text = factory.Sequence(lambda n: f"Is the analysis clear? ({n})")
    scale = "grades"


class CaseAuditFactory(DjangoModelFactory):
    """A completed audit with its grade, built directly (no answers): for counting tests."""

    class Meta:
        model = "audits.CaseAudit"

    case = factory.SubFactory(CaseFactory)
    agency = factory.SelfAttribute("case.agency")
    rubric = factory.SubFactory(
        AuditRubricFactory, agency=factory.SelfAttribute("..agency"), active=False
    )
    auditor = factory.SubFactory(
        UserFactory, team=None, agency=factory.SelfAttribute("..agency"), role=Role.PRACTICE_LEAD
    )
    status = "completed"
    started_on = factory.SelfAttribute("completed_on")
    completed_on = datetime.date(2026, 3, 10)
    grade = 3
    counted_grade = factory.SelfAttribute("grade")


def make_audits_world(*, case, auditor) -> dict:
    """A rubric in use with one question and an audit of `case` in progress by `auditor`."""
    from audits import services as audit_services

    question = AuditQuestionFactory(
        rubric=AuditRubricFactory(agency=case.agency), text="Is the worry clear?"
    )
    audit = audit_services.audit_start(actor=auditor, case=case, on=case.opened_on)
    return {
        "audit_id": audit.pk,
        "rubric_id": question.rubric_id,
        "question_id": question.pk,
    }


# Implementation: training, self-assessment rounds and the plan.


def make_implementation_world(*, leader, worker) -> dict:
    """A course, a training record, a practice-lead role, a domain, a round and an action in
    the leader's agency, for the authorisation matrix."""
    from implementation import services as implementation_services

    agency = leader.agency
    implementation_services.defaults_ensure(actor=leader, agency=agency)
    from implementation.models import Course, ImplementationDomain

    course = Course.objects.filter(agency=agency).first()
    domain = ImplementationDomain.objects.filter(agency=agency).first()
    record = implementation_services.training_record_add(
        actor=leader, worker=worker, course=course, completed_on=datetime.date(2024, 5, 1)
    )
    role = implementation_services.practice_lead_role_add(
        actor=leader, worker=worker, started_on=datetime.date(2024, 6, 1)
    )
    round_ = implementation_services.round_open(
        actor=leader,
        agency=agency,
        title="2024 Q2",
        period_start=datetime.date(2024, 4, 1),
        period_end=datetime.date(2024, 6, 30),
    )
    action = implementation_services.action_add(
        actor=leader,
        agency=agency,
        action="Align the assessment form",
        owner=leader,
        due_on=datetime.date(2024, 9, 30),
        domain=domain,
    )
    return {
        "staff_id": worker.pk,
        "training_record_id": record.pk,
        "lead_role_id": role.pk,
        "implementation_domain_id": domain.pk,
        "training_course_id": course.pk,
        "assessment_round_id": round_.pk,
        "plan_action_id": action.pk,
    }


# Staff and family surveys.


def make_survey(*, actor, kind="family", anonymous=True, opened=True, **fields):
    """A survey with the standard questions, open today unless opened=False."""
    from django.utils import timezone

    from surveys import services as survey_services

    today = timezone.localdate()
    survey = survey_services.survey_create(
        actor=actor,
        kind=kind,
        title=fields.pop("title", f"{kind.title()} survey"),
        anonymous=anonymous,
        opens_on=fields.pop("opens_on", today - datetime.timedelta(days=3)),
        closes_on=fields.pop("closes_on", today + datetime.timedelta(days=25)),
    )
    if opened:
        survey = survey_services.survey_open(
            actor=actor, survey=survey, expected_revision=survey.revision
        )
    return survey


def make_surveys_world(*, lead, actor, case, child) -> dict:
    """An open staff survey (every member of staff of the agency asked) and an open family
    survey sent to the case's child, for the authorisation matrix."""
    from surveys import services as survey_services

    staff = make_survey(actor=lead, kind="staff")
    family = make_survey(actor=lead, kind="family")
    invitation, token = survey_services.survey_family_invite(
        actor=actor, survey=family, case=case, person=child, link_for=lambda t: t
    )
    return {
        "survey_id": staff.pk,
        "survey_question_id": staff.questions.first().pk,
        "survey_kind": "staff",
        "survey_token": token,
        "survey_invitation_id": invitation.pk,
    }


# Imports from legacy systems.


class ImportRunFactory(DjangoModelFactory):
    class Meta:
        model = "imports.ImportRun"

    agency = factory.SubFactory(AgencyFactory)
    kind = "people"
    source_system = "LCS"
    file_name = "people.csv"
    stored_path = "/nonexistent/people.csv"
    state = "checked"


def make_imports_world(*, case) -> dict:
    """A finished check of a file in the case's agency, for the URL permission matrix."""
    run = ImportRunFactory(agency=case.agency)
    return {"run_id": run.pk, "kind": "people", "fmt": "csv"}


def lac_record(model, *, world, child=None, **values):
    """A children looked after (SSDA903) record of `model` for the census world's child,
    written directly: episodes default to a foster placement with its return details."""
    from process.models import LookedAfterEpisode

    if model is LookedAfterEpisode:
        values = {
            "legal_status": "C2",
            "placement": "U4",
            "placement_provider": "PR1",
            "category_of_need": "N1",
            "home_postcode": "TW2 7HQ",
            "placement_postcode": "TW1 2NN",
            "urn": "SC999001",
            **values,
        }
    return model.objects.create(
        agency=world["agency"],
        case=world["case"],
        recorded_by=world["worker"],
        child=child or world["child"],
        **values,
    )
