"""Request and response shapes. Every field is listed explicitly: nothing internal (restriction
reasons, deletion details, token hashes) is ever serialised by accident."""

import datetime
import enum
from typing import Annotated

from django.utils import timezone
from ninja import Field, Schema
from pydantic import AfterValidator, StringConstraints, field_validator

from agencies.models import Service
from people.models import Case, Person, Relationship
from practice.models import (
    PLAIN_CATEGORIES,
    Map,
    MeetingPurpose,
    ParticipantRole,
    RaterRole,
    SafetyGoal,
)
from process.codes import AssessmentFactor, PrimaryNeed, ReferralSource
from process.models import Assessment, Referral
from safety.models import NetworkMember, SafetyPlan

# Database ids are 64-bit; anything larger could never exist and would overflow SQLite.
MAX_ID = 2**63 - 1
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Revision = Annotated[int, Field(ge=1, le=2**31 - 1, description="The revision you last read.")]


def _storable(value: str) -> str:
    """Refuse text the database cannot store (NUL bytes, lone surrogates)."""
    if "\x00" in value:
        raise ValueError("Text cannot contain NUL characters.")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("Text must be valid Unicode.") from None
    return value


def text(max_length: int = 10_000, *, required: bool = True):
    return Annotated[
        str,
        StringConstraints(
            strip_whitespace=True, min_length=1 if required else 0, max_length=max_length
        ),
        AfterValidator(_storable),
    ]


def _enum(name: str, choices) -> type[enum.Enum]:
    return enum.Enum(name, {c.name: c.value for c in choices}, type=str)


# Every choice list gets its own name in the OpenAPI document: several models have a `Status`
# or a `Kind`, and same-named enums would overwrite each other there.
PlainCategory = _enum("PlainCategory", PLAIN_CATEGORIES)
Purpose = _enum("MeetingPurpose", MeetingPurpose)
ParticipantRoleIn = _enum("ParticipantRole", ParticipantRole)
RaterRoleIn = _enum("RaterRole", RaterRole)
SustainUnit = _enum("SustainUnit", SafetyGoal.SustainUnit)
NetworkKind = _enum("NetworkMemberKind", NetworkMember.Kind)
NetworkStatus = _enum("NetworkMemberStatus", NetworkMember.Status)
CaseStatus = _enum("CaseStatus", Case.Status)
MapStatus = _enum("MapStatus", Map.Status)
PlanStatus = _enum("SafetyPlanStatus", SafetyPlan.Status)
PersonKind = _enum("PersonKind", Person.Kind)
RelationshipKind = _enum("RelationshipKind", Relationship.Kind)
ServiceOut = _enum("Service", Service)


def aware(value: datetime.datetime | None) -> datetime.datetime | None:
    """A timestamp in UTC; a naive one is read as UTC."""
    if value is None:
        return None
    try:
        if timezone.is_naive(value):
            value = value.replace(tzinfo=datetime.UTC)
        return value.astimezone(datetime.UTC)
    except (OverflowError, ValueError):
        raise ValueError("That timestamp is out of range.") from None


# Lists -------------------------------------------------------------------------------------


class ListParams(Schema):
    limit: int = Field(50, ge=1, le=200, description="How many records to return (1–200).")
    offset: int = Field(0, ge=0, le=1_000_000_000, description="How many records to skip.")
    updated_since: datetime.datetime | None = Field(
        None,
        description="Only records changed at or after this moment (ISO 8601; UTC if no offset). "
        "Use the `synced_at` of your previous sync.",
    )

    @field_validator("updated_since")
    @classmethod
    def _aware(cls, value):
        return aware(value)


class CaseListParams(ListParams):
    search: text(200, required=False) = Field(
        "", description="Family name, a person's name, or the exact case reference."
    )
    status: str = Field("open", pattern="^(open|closed|all)$", description="open, closed or all")


def page(name: str, item: type[Schema]) -> type[Schema]:
    return type(
        name,
        (Schema,),
        {
            "__annotations__": {
                "count": int,
                "limit": int,
                "offset": int,
                "next_offset": int | None,
                "synced_at": datetime.datetime,
                "results": list[item],
            },
            "__doc__": f"One page of {name.removesuffix('Page').lower()} records.",
        },
    )


# Staff and cases ---------------------------------------------------------------------------


class StaffOut(Schema):
    id: int
    name: str

    @staticmethod
    def resolve_name(obj) -> str:
        return str(obj)


class TeamOut(Schema):
    id: int
    name: str
    service: ServiceOut


class CaseOut(Schema):
    id: int
    reference: str
    name: str
    service: ServiceOut
    status: CaseStatus
    opened_on: datetime.date
    closed_on: datetime.date | None
    team: TeamOut
    allocated_worker: StaffOut | None
    is_restricted: bool
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_allocated_worker(obj):
        current = getattr(obj, "current_allocations", None)
        if current is None:
            current = list(obj.allocations.filter(ended_on__isnull=True).select_related("worker"))
        return current[0].worker if current else None


class AllocationOut(Schema):
    id: int
    worker: StaffOut
    started_on: datetime.date
    ended_on: datetime.date | None
    reason: str
    allocated_by: StaffOut | None


class PersonOut(Schema):
    id: int
    kind: PersonKind
    given_name: str
    family_name: str
    known_as: str
    date_of_birth: datetime.date | None
    expected_date_of_birth: datetime.date | None
    sex: str
    ethnicity: str
    disabilities: list[str]
    upn: str
    nhs_number: str
    updated_at: datetime.datetime


class RelationshipOut(Schema):
    person_id: int
    relative_id: int
    kind: RelationshipKind
    parental_responsibility: bool


class CasePeopleOut(Schema):
    children: list[PersonOut]
    adults: list[PersonOut]
    relationships: list[RelationshipOut]


# Maps --------------------------------------------------------------------------------------


class MapOut(Schema):
    id: int
    case_id: int
    number: int
    status: MapStatus
    service: ServiceOut
    purpose: Purpose
    held_on: datetime.date
    based_on_id: int | None
    created_by: StaffOut
    finalised_at: datetime.datetime | None
    finalised_by: StaffOut | None
    signed_off_at: datetime.datetime | None
    signed_off_by: StaffOut | None
    revision: int
    created_at: datetime.datetime
    updated_at: datetime.datetime


def _ids(related) -> list[int]:
    return [item.pk for item in related.all()]


class ParticipantOut(Schema):
    id: int
    name: str
    role: ParticipantRoleIn
    organisation: str
    person_id: int | None


class EntryOut(Schema):
    id: int
    category: str
    text: str
    children: list[int] = Field(description="Ids of the children the entry is about.")
    carried_from_id: int | None
    revision: int
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_children(obj) -> list[int]:
        return _ids(obj.children)


class SafetyGoalOut(Schema):
    id: int
    what_will_be_seen: str
    seen_by: str
    sustain_for: int
    sustain_unit: SustainUnit


class DangerStatementOut(Schema):
    id: int
    who_is_worried: str
    worried_about: str
    impact_on_child: str
    disputed_by: str
    dispute: str
    children: list[int]
    carried_from_id: int | None
    revision: int
    safety_goal: SafetyGoalOut
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_children(obj) -> list[int]:
        return _ids(obj.children)


class ScaleJudgementOut(Schema):
    id: int
    danger_statement_id: int | None = Field(description="Empty for the overall safety scale.")
    rater_name: str
    rater_role: RaterRoleIn
    score: int
    zero_means: str
    ten_means: str
    reason: str
    created_at: datetime.datetime


class MapDetailOut(MapOut):
    labels: dict[str, str] = Field(description="The agency's wording for each category.")
    participants: list[ParticipantOut]
    entries: list[EntryOut]
    danger_statements: list[DangerStatementOut]
    scale_judgements: list[ScaleJudgementOut]


class MapStartIn(Schema):
    purpose: Purpose
    held_on: datetime.date


class MapFinaliseIn(Schema):
    expected_revision: Revision


class EntryIn(Schema):
    category: PlainCategory
    text: text()
    children: list[Id] = Field([], max_length=50)


class EntryUpdateIn(Schema):
    expected_revision: Revision
    text: text()
    children: list[Id] = Field([], max_length=50)


class StatementIn(Schema):
    who_is_worried: text(300)
    worried_about: text()
    impact_on_child: text()
    disputed_by: text(300, required=False) = ""
    dispute: text(required=False) = ""


class GoalIn(Schema):
    what_will_be_seen: text()
    seen_by: text(300)
    sustain_for: int = Field(ge=1, le=520)
    sustain_unit: SustainUnit


class DangerStatementIn(Schema):
    statement: StatementIn
    goal: GoalIn
    children: list[Id] = Field([], max_length=50)


class ScaleJudgementIn(Schema):
    danger_statement_id: Id | None = Field(None, description="Leave out for the overall scale.")
    rater_name: text(200)
    rater_role: RaterRoleIn
    score: int = Field(ge=0, le=10)
    zero_means: text(300)
    ten_means: text(300)
    reason: text()


class ParticipantIn(Schema):
    name: text(200)
    role: ParticipantRoleIn
    organisation: text(200, required=False) = ""
    person_id: Id | None = None


# Safety network and plans ------------------------------------------------------------------


class NetworkMemberOut(Schema):
    id: int
    name: str
    kind: NetworkKind
    relationship: str
    person_id: int | None
    children: list[int]
    informed: bool
    informed_on: datetime.date | None
    informed_by: str
    seen_words_and_pictures: bool
    words_and_pictures_seen_on: datetime.date | None
    plan_roles: str
    phone: str
    email: str
    address: str
    status: NetworkStatus
    status_since: datetime.date
    joined_on: datetime.date
    revision: int
    updated_at: datetime.datetime

    @staticmethod
    def resolve_children(obj) -> list[int]:
        return _ids(obj.children)


class NetworkMemberIn(Schema):
    name: text(200)
    kind: NetworkKind = NetworkKind("family")
    relationship: text(200, required=False) = ""
    person_id: Id | None = None
    children: list[Id] = Field([], max_length=50)
    informed: bool = False
    informed_on: datetime.date | None = None
    informed_by: text(200, required=False) = ""
    seen_words_and_pictures: bool = False
    words_and_pictures_seen_on: datetime.date | None = None
    plan_roles: text(required=False) = ""
    phone: text(40, required=False) = ""
    email: Annotated[
        str,
        StringConstraints(strip_whitespace=True, max_length=254, pattern=r"^$|^[^@\s]+@[^@\s]+$"),
    ] = ""
    address: text(2000, required=False) = ""
    joined_on: datetime.date | None = None


class RuleOut(Schema):
    id: int
    text: str
    who: str
    when: str
    how_checked: str
    danger_statements: list[int]
    members: list[int]
    carried_from_id: int | None
    revision: int
    updated_at: datetime.datetime

    @staticmethod
    def resolve_danger_statements(obj) -> list[int]:
        return _ids(obj.danger_statements)

    @staticmethod
    def resolve_members(obj) -> list[int]:
        return _ids(obj.members)


class SafetyPlanOut(Schema):
    id: int
    case_id: int
    number: int
    status: PlanStatus
    based_on_id: int | None
    if_broken: str
    who_to_call: str
    next_review_on: datetime.date | None
    agreed_on: datetime.date | None
    agreed_with: str
    superseded_on: datetime.date | None
    created_by: StaffOut
    revision: int
    created_at: datetime.datetime
    updated_at: datetime.datetime


class SafetyPlanDetailOut(SafetyPlanOut):
    rules: list[RuleOut]


class PlanDetailsIn(Schema):
    expected_revision: Revision
    if_broken: text(required=False) = ""
    who_to_call: text(required=False) = ""
    next_review_on: datetime.date | None = None


class RuleIn(Schema):
    text: text()
    who: text(300, required=False) = ""
    when: text(300, required=False) = ""
    how_checked: text(required=False) = ""
    danger_statements: list[Id] = Field([], max_length=50)
    members: list[Id] = Field([], max_length=50)


class AgreeIn(Schema):
    expected_revision: Revision
    agreed_on: datetime.date
    agreed_with: text(required=False) = ""
    next_review_on: datetime.date
    members: list[Id] = Field([], max_length=50)


CasePage = page("CasePage", CaseOut)
PersonPage = page("PersonPage", PersonOut)
MapPage = page("MapPage", MapOut)
SafetyPlanPage = page("SafetyPlanPage", SafetyPlanOut)


# Statutory process ---------------------------------------------------------------------------

ReferralSourceIn = _enum("ReferralSource", ReferralSource)
PrimaryNeedIn = _enum("PrimaryNeed", PrimaryNeed)
ReferralDecisionIn = _enum("ReferralDecision", Referral.Decision)
AssessmentOutcomeIn = _enum("AssessmentOutcome", Assessment.Outcome)
AssessmentFactorIn = _enum("AssessmentFactor", AssessmentFactor)


class ProcessEventOut(Schema):
    kind: str = Field(description="What happened, e.g. referral_received, cp_plan_started.")
    on: datetime.date
    child_id: int | None
    source: str = Field(description="The record it came from, e.g. referral:12.")
    detail: dict


class ReferralOut(Schema):
    id: int
    case_id: int
    child_id: int
    received_on: datetime.date
    source: str
    primary_need: str
    summary: str
    decision: str
    decided_on: datetime.date | None
    revision: int
    updated_at: datetime.datetime


class ReferralIn(Schema):
    child_id: Id
    received_on: datetime.date
    source: ReferralSourceIn
    primary_need: PrimaryNeedIn
    summary: text(required=False) = ""


class ReferralDecideIn(Schema):
    expected_revision: Revision
    decision: ReferralDecisionIn
    decided_on: datetime.date


class AssessmentOut(Schema):
    id: int
    case_id: int
    child_id: int
    referral_id: int
    started_on: datetime.date
    completed_on: datetime.date | None
    authorised_on: datetime.date | None
    outcome: str
    factors: list[str]
    revision: int
    updated_at: datetime.datetime


class AssessmentIn(Schema):
    child_id: Id
    started_on: datetime.date
    referral_id: Id | None = Field(
        None, description="The referral decided for assessment; the child's latest if left out."
    )


class AssessmentCompleteIn(Schema):
    expected_revision: Revision
    completed_on: datetime.date
    factors: list[AssessmentFactorIn] = Field(..., min_length=1, max_length=60)
    outcome: AssessmentOutcomeIn
    summary: text(required=False) = ""


class ChildProtectionPlanOut(Schema):
    id: int
    case_id: int
    child_id: int
    started_on: datetime.date
    initial_category: str
    latest_category: str
    ended_on: datetime.date | None
    end_reason: str
    updated_at: datetime.datetime


class LookedAfterEpisodeOut(Schema):
    id: int
    case_id: int
    child_id: int
    started_on: datetime.date
    legal_status: str
    placement: str
    ended_on: datetime.date | None
    reason_ceased: str
    updated_at: datetime.datetime


class VisitIn(Schema):
    child_id: Id
    visited_on: datetime.date
    seen_alone: bool
    notes: text(required=False) = ""


class VisitOut(Schema):
    id: int
    case_id: int
    child_id: int
    visited_on: datetime.date
    seen_alone: bool
    notes: str


# Measures of practice ----------------------------------------------------------------------


class MeasuresParams(Schema):
    month: str = Field(
        "",
        pattern=r"^(\d{4}-(0[1-9]|1[0-2]))?$",
        description="YYYY-MM: the figures at that month's last day (today for this month). "
        "This month if left out.",
    )
    by: str = Field(
        "",
        pattern="^(|worker|team|service|agency)$",
        description="worker, team, service or agency, as the acting user's dashboard offers "
        "(a social worker: worker; a team manager: worker or team; leaders and analysts: all "
        "four). The first of those if left out.",
    )
    team: Id | None = Field(
        None,
        description="One team of the agency (practice leads, senior leaders and performance "
        "analysts only): every figure is then that team's.",
    )
    limit: int = Field(50, ge=1, le=200, description="How many groups to return (1–200).")
    offset: int = Field(0, ge=0, le=1_000_000, description="How many groups to skip.")


class MeasureFigureOut(Schema):
    group: str = Field(
        description="The group's key: a worker's or team's id, a service code, `none` for "
        "cases nobody was allocated, or `all` for the whole scope."
    )
    label: str
    numerator: int | None = Field(description="Null where the figure is suppressed.")
    denominator: int | None = Field(description="Null where the figure is suppressed.")
    value: float | None = Field(description="As `value_is` says; null without a denominator.")
    rating: str = Field(description="good, fair or low against the thresholds; empty if none.")
    suppressed: bool = Field(description="Too few counted to show in a comparison.")


class MeasureOut(Schema):
    code: str
    name: str
    kind: str = Field(description="breadth, depth or impact")
    unit: str = Field(description="What is counted: cases, children, deadlines, …")
    value_is: str = Field(description="percent, or per 10,000 children")
    higher_is_better: bool | None
    all: MeasureFigureOut
    groups: list[MeasureFigureOut]


class MeasuresOut(Schema):
    day: datetime.date
    by: str
    team_id: int | None
    scope: str = Field(description="Whose figures: the caseload, the team or the agency.")
    count: int = Field(description="How many groups there are in all.")
    limit: int
    offset: int
    next_offset: int | None = Field(description="The offset of the next groups; null at the end.")
    measures: list[MeasureOut]
