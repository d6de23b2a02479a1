"""The columns of each import file: name, whether it is required, its format and its code list.

The names follow the DfE children in need census (CIN census 2025-26 specification: LAchildID,
CINreferralDate, ReferralSource, PrimaryNeedCode, AssessmentActualStartDate, S47ActualStartDate,
CPPstartDate, InitialCategoryOfAbuse, CINPlanStartDate, …) and, for looked-after episodes, the
SSDA903 return (DECOM, LS, PL, DEC, REC), because those are the columns an agency's current
system already extracts for its returns. The code lists are the DfE's (`process.codes`,
`people.codes`). These definitions drive the checks, the downloadable templates and the guide
page, so the three can never disagree."""

import datetime
from dataclasses import dataclass

from agencies.models import Service
from imports.models import ImportKind
from people.codes import Disability, Ethnicity, Sex
from people.models import Case, Person
from process.codes import (
    AbuseCategory,
    AssessmentFactor,
    LegalStatus,
    PlacementType,
    PrimaryNeed,
    ReasonEpisodeCeased,
    ReferralSource,
)
from process.models import (
    Assessment,
    ChildInNeedPlan,
    ChildProtectionPlan,
    Referral,
    Section47Enquiry,
)

ID = "id"
TEXT = "text"
DATE = "date"
CODE = "code"
CODES = "codes"
YES_NO = "yes_no"
REF = "ref"

FORMATS = {
    ID: "The legacy system's ID, up to 64 characters",
    TEXT: "Text",
    DATE: "A date: YYYY-MM-DD or DD/MM/YYYY (a date cell in XLSX)",
    CODE: "One code from the list",
    CODES: "Codes from the list, separated by spaces, commas or semicolons",
    YES_NO: "Y or N",
    REF: "The legacy ID of a record imported before",
}


@dataclass(frozen=True)
class Column:
    name: str
    help: str
    kind: str = TEXT
    required: bool = False
    max_length: int = 0
    codes: tuple[tuple[str, str], ...] = ()
    ref: str = ""  # the ImportKind a REF column points at
    future_ok: bool = False

    @property
    def format(self) -> str:
        if self.kind == TEXT and self.max_length:
            return f"Text, up to {self.max_length} characters"
        if self.kind == REF:
            return f"The legacy ID of a row in the '{ImportKind(self.ref).label}' file"
        return FORMATS[self.kind]

    @property
    def example(self) -> str:
        if self.kind in {ID, REF}:
            return "LEG-1001"
        if self.kind == DATE:
            return (datetime.date(2025, 4, 1)).isoformat()
        if self.kind in {CODE, CODES}:
            return self.codes[0][0]
        if self.kind == YES_NO:
            return "Y"
        return ""


def choices(text_choices) -> tuple[tuple[str, str], ...]:
    return tuple((value, str(label)) for value, label in text_choices.choices)


def _id(name, what):
    return Column(name, f"The legacy system's ID of the {what}.", ID, required=True, max_length=64)


def _child_columns():
    return [
        Column("CaseID", "The legacy ID of the case (from the cases file).", REF, True,
               ref=ImportKind.CASES),
        Column("LAchildID", "The legacy ID of the child (from the people file); the child must "
               "be in the case.", REF, True, ref=ImportKind.PEOPLE),
    ]  # fmt: skip


COLUMNS: dict[str, list[Column]] = {
    ImportKind.PEOPLE: [
        _id("LAchildID", "child or adult"),
        Column("PersonType", "A child or an adult.", CODE, True, codes=choices(Person.Kind)),
        Column("GivenName", "Given name.", TEXT, True, 100),
        Column("FamilyName", "Family name.", TEXT, True, 100),
        Column("KnownAs", "The name the person goes by, if different.", TEXT, False, 100),
        Column("PersonBirthDate", "Date of birth. Leave empty for an unborn child.", DATE),
        Column(
            "ExpectedPersonBirthDate",
            "Expected date of birth of an unborn child (not with a date of birth).",
            DATE,
            future_ok=True,
        ),
        Column("Sex", "Sex (CIN census codes). Empty means U.", CODE, codes=choices(Sex)),
        Column(
            "Ethnicity",
            "Ethnicity (CIN census codes). Empty means NOBT.",
            CODE,
            codes=choices(Ethnicity),
        ),
        Column(
            "Disabilities",
            "Disabilities (CIN census codes); NONE on its own.",
            CODES,
            codes=choices(Disability),
        ),
        Column("UPN", "Unique pupil number: 13 letters and digits.", TEXT, False, 13),
        Column("NHSNumber", "NHS number: 10 digits with a valid check digit.", TEXT, False, 10),
    ],
    ImportKind.CASES: [
        _id("CaseID", "case (repeat it on one row per person in the case)"),
        Column(
            "CaseReference",
            "The case reference shown to staff; unique in the agency.",
            TEXT,
            True,
            32,
        ),
        Column("CaseName", "How the family is known, e.g. 'Okafor family'.", TEXT, True, 200),
        Column(
            "Team",
            "The name of the team holding the case, exactly as in Threefold.",
            TEXT,
            True,
            200,
        ),
        Column(
            "Service", "The service working with the family.", CODE, True, codes=choices(Service)
        ),
        Column("CaseStatus", "Open or closed. Empty means open.", CODE, codes=choices(Case.Status)),
        Column("CaseOpenedDate", "When the case opened.", DATE, True),
        Column(
            "CaseClosedDate",
            "When the case closed: required for a closed case, empty for an open one.",
            DATE,
        ),
        Column(
            "LAchildID",
            "The legacy ID of a person in the case (from the people file).",
            REF,
            True,
            ref=ImportKind.PEOPLE,
        ),
        Column(
            "LivesInHousehold", "Whether the person lives in the household. Empty means Y.", YES_NO
        ),
    ],
    ImportKind.REFERRALS: [
        _id("ReferralID", "referral"),
        *_child_columns(),
        Column("CINreferralDate", "When the referral was received.", DATE, True),
        Column(
            "ReferralSource",
            "Who made the referral (CIN census codes).",
            CODE,
            True,
            codes=choices(ReferralSource),
        ),
        Column(
            "PrimaryNeedCode",
            "Primary need (CIN census codes).",
            CODE,
            True,
            codes=choices(PrimaryNeed),
        ),
        Column(
            "ReferralDecision",
            "What was decided; empty if not decided yet.",
            CODE,
            codes=choices(Referral.Decision),
        ),
        Column("ReferralDecisionDate", "When it was decided: with a decision only.", DATE),
        Column("Summary", "A short summary of the referral.", TEXT),
    ],
    ImportKind.ASSESSMENTS: [
        _id("AssessmentID", "assessment"),
        Column(
            "ReferralID",
            "The legacy ID of the referral it follows (decided for "
            "assessment); its case and child are the assessment's.",
            REF,
            True,
            ref=ImportKind.REFERRALS,
        ),
        Column("AssessmentActualStartDate", "When the assessment started.", DATE, True),
        Column("AssessmentCompletedDate", "When it was completed; empty if in progress.", DATE),
        Column(
            "AssessmentAuthorisationDate",
            "When the manager authorised it (on or after completion).",
            DATE,
        ),
        Column(
            "FactorsIdentifiedAtAssessment",
            "Factors identified (CIN census codes): "
            "required once completed; 21 on its own for none.",
            CODES,
            codes=choices(AssessmentFactor),
        ),
        Column(
            "AssessmentOutcome",
            "The outcome: required once completed.",
            CODE,
            codes=choices(Assessment.Outcome),
        ),
        Column("Summary", "A short summary of the assessment.", TEXT),
    ],
    ImportKind.SECTION47S: [
        _id("Section47ID", "section 47 enquiry"),
        *_child_columns(),
        Column(
            "StrategyDiscussionInitiatingSection47Date",
            "When the strategy discussion that started the enquiry was held.",
            DATE,
            True,
        ),
        Column("S47ActualStartDate", "When the enquiry started.", DATE, True),
        Column("S47CompletedDate", "When it was completed; empty if still open.", DATE),
        Column(
            "S47Outcome",
            "The outcome: required once completed.",
            CODE,
            codes=choices(Section47Enquiry.Outcome),
        ),
    ],
    ImportKind.CP_PLANS: [
        _id("CPPlanID", "child protection plan"),
        Column(
            "Section47ID",
            "The legacy ID of the section 47 enquiry whose initial conference "
            "decided the plan; its case and child are the plan's.",
            REF,
            True,
            ref=ImportKind.SECTION47S,
        ),
        Column(
            "CPPstartDate", "When the plan started: the date of the initial conference.", DATE, True
        ),
        Column(
            "InitialCategoryOfAbuse",
            "Category of abuse at the start (CIN census codes).",
            CODE,
            True,
            codes=choices(AbuseCategory),
        ),
        Column(
            "LatestCategoryOfAbuse",
            "The latest category. Empty means the initial one.",
            CODE,
            codes=choices(AbuseCategory),
        ),
        Column("CPPendDate", "When the plan ended; empty if open.", DATE),
        Column(
            "CPPendReason",
            "Why it ended: with an end date only.",
            CODE,
            codes=choices(ChildProtectionPlan.EndReason),
        ),
    ],
    ImportKind.CIN_PLANS: [
        _id("CINPlanID", "child in need plan"),
        *_child_columns(),
        Column(
            "CINPlanStartDate",
            "When the plan started (on or after the child's first referral).",
            DATE,
            True,
        ),
        Column("CINPlanEndDate", "When the plan ended; empty if open.", DATE),
        Column(
            "CINPlanEndReason",
            "Why it ended: with an end date only.",
            CODE,
            codes=choices(ChildInNeedPlan.EndReason),
        ),
    ],
    ImportKind.LOOKED_AFTER: [
        _id("EpisodeID", "looked-after episode"),
        *_child_columns(),
        Column("DECOM", "When the episode started (SSDA903 DECOM).", DATE, True),
        Column("LS", "Legal status (SSDA903 codes).", CODE, True, codes=choices(LegalStatus)),
        Column("PL", "Placement type (SSDA903 codes).", CODE, True, codes=choices(PlacementType)),
        Column("DEC", "When the episode ended; empty if open (SSDA903 DEC).", DATE),
        Column(
            "REC",
            "Reason the episode ceased: with an end date only (SSDA903 REC).",
            CODE,
            codes=choices(ReasonEpisodeCeased),
        ),
    ],
}
