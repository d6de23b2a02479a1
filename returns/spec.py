"""What changes from one census year to the next, in one object per year.

The builder (`returns.cin_census`) and the rules (`returns.validation`) read every element name,
element order and code set from a `CinSpec`. Next year's specification is a new object in
`SPECS` (copy this one with `dataclasses.replace`, add an element name to an order tuple or a
code to a set), not edits through the builder.

Source: the DfE children in need census 2025 to 2026 specification as summarised in
shared/reference/statutory-data.md §1, and the Social Finance reconstruction of its schema
(`liia_CIN_schema_2026.xsd`; the year in the file name is the census end year).
"""

import datetime
from dataclasses import dataclass

from people.codes import Disability, Ethnicity, Sex
from process.codes import (
    AbuseCategory,
    AssessmentFactor,
    CategoryOfNeed,
    ClosureReason,
    LegalStatus,
    PlacementChangeReason,
    PlacementProvider,
    PlacementType,
    PrimaryNeed,
    ReasonEpisodeCeased,
    ReasonNewEpisode,
    ReferralSource,
    ReviewParticipation,
    SocialWorkerChangeReason,
)


@dataclass(frozen=True)
class CinSpec:
    label: str  # "2025-26"
    end_year: int  # the census year ends on 31 March of this year
    xsd_name: str  # the schema file in THREEFOLD_STATUTORY_DATA / "cin"
    ruleset: str  # the name of the data-to-insight ruleset for the same year
    sex_element: str  # "Sex" from 2024-25; "GenderCurrent" before
    sex_codes: dict  # Person.sex -> the code written
    ethnicity_codes: frozenset
    disability_codes: frozenset
    referral_sources: frozenset
    primary_needs: frozenset
    assessment_factors: frozenset
    abuse_categories: frozenset
    closure_reasons: frozenset
    yes: str = "1"
    no: str = "0"
    # Element order inside each group (the schema's xs:sequence).
    child_identifiers: tuple = ()
    child_characteristics: tuple = ("Ethnicity", "Disabilities")
    cin_details: tuple = ()
    assessment: tuple = (
        "AssessmentActualStartDate",
        "AssessmentInternalReviewDate",
        "AssessmentAuthorisationDate",
        "FactorsIdentifiedAtAssessment",
    )
    cin_plan: tuple = ("CINPlanStartDate", "CINPlanEndDate")
    section47: tuple = (
        "S47ActualStartDate",
        "InitialCPCtarget",
        "DateOfInitialCPC",
        "ICPCnotRequired",
    )
    cp_plan: tuple = (
        "CPPstartDate",
        "CPPendDate",
        "InitialCategoryOfAbuse",
        "LatestCategoryOfAbuse",
        "NumberOfPreviousCPP",
        "Reviews",
    )

    @property
    def reference_date(self) -> datetime.date:
        return datetime.date(self.end_year, 3, 31)

    @property
    def start_date(self) -> datetime.date:
        return datetime.date(self.end_year - 1, 4, 1)


def _codes(choices) -> frozenset:
    return frozenset(choices.values)


CIN_2025_26 = CinSpec(
    label="2025-26",
    end_year=2026,
    xsd_name="liia_CIN_schema_2026.xsd",
    ruleset="cin2025_26",
    sex_element="Sex",
    sex_codes={Sex.MALE: "M", Sex.FEMALE: "F", Sex.UNKNOWN: "U"},
    ethnicity_codes=_codes(Ethnicity),
    disability_codes=_codes(Disability),
    referral_sources=_codes(ReferralSource),
    # N0 "not stated" is in the reconstructed schema only; the DfE code set is N1-N9.
    primary_needs=_codes(PrimaryNeed) - {"N0"},
    # 18A and 19A are legacy codes (queries 8945Q/8950Q): never offered as valid here.
    assessment_factors=_codes(AssessmentFactor) - {"18A", "19A"},
    abuse_categories=_codes(AbuseCategory),
    closure_reasons=_codes(ClosureReason),
    child_identifiers=(
        "LAchildID",
        "UPN",
        "FormerUPN",
        "UPNunknown",
        "PersonBirthDate",
        "ExpectedPersonBirthDate",
        "Sex",
        "PersonDeathDate",
    ),
    cin_details=(
        "CINreferralDate",
        "ReferralSource",
        "PrimaryNeedCode",
        "CINclosureDate",
        "ReasonForClosure",
        "DateOfInitialCPC",
        "Assessments",
        "CINPlanDates",
        "Section47",
        "ReferralNFA",
        "ChildProtectionPlans",
    ),
)

# Census end year -> its specification. 2026-27 (pre-proceedings block) is not added until the
# DfE specification is confirmed (statutory-data.md §1).
SPECS = {spec.end_year: spec for spec in [CIN_2025_26]}


def spec_for(end_year: int) -> CinSpec:
    try:
        return SPECS[end_year]
    except KeyError:
        raise ValueError(
            f"No CIN census specification for the year ending March {end_year}."
        ) from None


# SSDA903 (children looked after) -----------------------------------------------------------
#
# Source: the DfE "Children looked after return 2025 to 2026" guide and its validation rules,
# as reconstructed by Social Finance (liia-tools SSDA903 schema, base 2017 plus yearly diffs to
# 2026) and the data-to-insight csc-validator-be-903 ruleset lac2025_26 (statutory-data.md §2).
# The DfE reads each CSV by its exact set of column headers; the file names are ours.


@dataclass(frozen=True)
class LacSpec:
    label: str  # "2025-26"
    end_year: int  # the collection year ends on 31 March of this year
    ruleset: str  # the data-to-insight ruleset for the same year
    sex_codes: dict  # Person.sex -> the code written
    ethnicity_codes: frozenset
    reasons_new_episode: frozenset
    legal_statuses: frozenset
    categories_of_need: frozenset
    placements: frozenset
    providers: frozenset
    reasons_ceased: frozenset
    placement_change_reasons: frozenset
    review_codes: frozenset
    sw_reasons: frozenset
    # Table -> (file name, column headers in order).
    tables: dict
    # Placements that never have an Ofsted URN (rules 218 and 222).
    no_urn_placements: frozenset
    date_format: str = "%d/%m/%Y"

    @property
    def reference_date(self) -> datetime.date:
        return datetime.date(self.end_year, 3, 31)

    @property
    def start_date(self) -> datetime.date:
        return datetime.date(self.end_year - 1, 4, 1)


LAC_2025_26 = LacSpec(
    label="2025-26",
    end_year=2026,
    ruleset="lac2025_26",
    sex_codes={Sex.MALE: "M", Sex.FEMALE: "F", Sex.UNKNOWN: "U"},
    ethnicity_codes=_codes(Ethnicity),
    reasons_new_episode=_codes(ReasonNewEpisode),
    legal_statuses=_codes(LegalStatus),
    categories_of_need=_codes(CategoryOfNeed),
    # K3 came in 2024-25, Z11-Z14 in 2025-26 (H5 and P2 went in 2024-25).
    placements=_codes(PlacementType),
    providers=_codes(PlacementProvider),
    reasons_ceased=_codes(ReasonEpisodeCeased),
    placement_change_reasons=_codes(PlacementChangeReason),
    review_codes=_codes(ReviewParticipation),
    sw_reasons=_codes(SocialWorkerChangeReason),
    no_urn_placements=frozenset(
        ["P1", "P3", "R1", "R2", "R5", "T0", "T1", "T2", "T3", "T4", "Z1"]
    ),
    tables={
        "header": ("header.csv", ("CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB")),
        "episodes": (
            "episodes.csv",
            (
                "CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "DEC", "REC",
                "REASON_PLACE_CHANGE", "HOME_POST", "PL_POST", "URN",
            ),
        ),
        "reviews": ("reviews.csv", ("CHILD", "DOB", "REVIEW", "REVIEW_CODE")),
        "uasc": ("uasc.csv", ("CHILD", "SEX", "DOB", "DUC")),
        "oc2": (
            "oc2.csv",
            (
                "CHILD", "DOB", "SDQ_SCORE", "SDQ_REASON", "CONVICTED", "HEALTH_CHECK",
                "IMMUNISATIONS", "TEETH_CHECK", "HEALTH_ASSESSMENT", "SUBSTANCE_MISUSE",
                "INTERVENTION_RECEIVED", "INTERVENTION_OFFERED",
            ),
        ),
        "oc3": ("oc3.csv", ("CHILD", "DOB", "IN_TOUCH", "ACTIV", "ACCOM")),
        "ad1": (
            "ad1.csv",
            (
                "CHILD", "DOB", "DATE_INT", "DATE_MATCH", "FOSTER_CARE", "NB_ADOPTR",
                "SEX_ADOPTR", "LS_ADOPTR",
            ),
        ),
        "placed_for_adoption": (
            "placed_for_adoption.csv",
            ("CHILD", "DOB", "DATE_PLACED", "DATE_PLACED_CEASED", "REASON_PLACED_CEASED"),
        ),
        "previous_permanence": (
            "previous_permanence.csv",
            ("CHILD", "DOB", "PREV_PERM", "LA_PERM", "DATE_PERM"),
        ),
        "missing": ("missing.csv", ("CHILD", "DOB", "MISSING", "MIS_START", "MIS_END")),
        "sw_episodes": (
            "sw_episodes.csv",
            ("CHILD", "DOB", "SW_ID", "SW_DECOM", "SW_DEC", "SW_REASON"),
        ),
    },
)  # fmt: skip

# Collection end year -> its specification. 2026-27 adds a DoLo table (deprivation of liberty
# orders, rules 700-710): a new object made with dataclasses.replace adding "dolo" to `tables`.
LAC_SPECS = {spec.end_year: spec for spec in [LAC_2025_26]}


def lac_spec_for(end_year: int) -> LacSpec:
    try:
        return LAC_SPECS[end_year]
    except KeyError:
        raise ValueError(
            f"No SSDA903 specification for the year ending March {end_year}."
        ) from None
