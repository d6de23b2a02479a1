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
    ClosureReason,
    PrimaryNeed,
    ReferralSource,
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
