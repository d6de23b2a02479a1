"""The published measures Threefold loads, and the indicators built from them.

A *measure* is one published count (referrals in the year, children in need at 31 March, …),
stored as published. An *indicator* is what is compared and evaluated: a count per 10,000
children (using the ONS mid-year estimate for the year before the reporting year, as DfE does)
or one count as a percentage of another. Every indicator carries its written definition."""

from dataclasses import dataclass

# Table -> {measure: column in the file}. The CLA tables have one row per category instead.
MEASURE_COLUMNS = {
    "b1": {"cin_at31": "At31_episodes"},
    "c1": {"referrals": "referral_count", "rereferrals": "rereferral_count"},
    "c4": {"s47": "Section47", "icpc": "ICPC"},
    "d3": {"cpp_starts": "CPP_start", "cpp_subsequent": "CPP_subsequent"},
    "d5": {"cpp_at31": "CPP_At31", "cpp_2yrs": "2_years_or_more"},
}
CLA_CATEGORIES = {
    "Children looked after at 31 March each year": "cla_at31",
    "Children looked after on 31 March each year": "cla_at31",
    "Children starting to be looked after each year": "cla_starts",
    "Children ceasing to be looked after each year": "cla_ceased",
}
TABLE_MEASURES = {table: list(columns) for table, columns in MEASURE_COLUMNS.items()} | {
    "cla": ["cla_at31", "cla_starts", "cla_ceased"]
}
MEASURE_TABLE = {m: table for table, measures in TABLE_MEASURES.items() for m in measures}
TABLE_TITLES = {
    "b1": "Children in need at 31 March (DfE table B1)",
    "c1": "Referrals and re-referrals (DfE table C1)",
    "c4": "Section 47 enquiries and initial child protection conferences (DfE table C4)",
    "d3": "Child protection plans starting, and second or subsequent plans (DfE table D3)",
    "d5": "Child protection plans at 31 March by length (DfE table D5)",
    "cla": "Children looked after, starting and ceasing (DfE, children looked after in England)",
    "population": "ONS mid-year estimates of children aged 0 to 17",
    "sn2021": "DfE statistical neighbours (April 2021 groupings)",
    "sn2025": "DfE statistical neighbours (2025 model)",
}


@dataclass(frozen=True)
class Indicator:
    key: str
    label: str
    short: str
    numerator: str
    denominator: str  # "population" or a measure
    definition: str

    @property
    def per(self) -> int:
        return 10_000 if self.denominator == "population" else 100

    @property
    def unit(self) -> str:
        return "per 10,000 children" if self.per == 10_000 else "%"

    @property
    def change_unit(self) -> str:
        """The unit of a difference: percentages differ in percentage points."""
        return "per 10,000 children" if self.per == 10_000 else "percentage points"


POPULATION_NOTE = (
    "per 10,000 children aged 0 to 17, using the ONS mid-year estimate for the year before the "
    "reporting year (mid-2018 for the year ending 31 March 2019)"
)
INDICATORS = [
    Indicator(
        "referral_rate",
        "Referrals per 10,000 children",
        "Referrals",
        "referrals",
        "population",
        f"Referrals to children's social care in the year to 31 March, {POPULATION_NOTE}.",
    ),
    Indicator(
        "rereferral_pct",
        "Re-referrals within 12 months (%)",
        "Re-referrals",
        "rereferrals",
        "referrals",
        "Referrals in the year that came within 12 months of a previous referral of the same "
        "child, as a percentage of all referrals in the year.",
    ),
    Indicator(
        "cin_rate",
        "Children in need at 31 March per 10,000",
        "Children in need",
        "cin_at31",
        "population",
        f"Episodes of need open at 31 March, {POPULATION_NOTE}.",
    ),
    Indicator(
        "s47_rate",
        "Section 47 enquiries per 10,000 children",
        "Section 47 enquiries",
        "s47",
        "population",
        f"Section 47 enquiries starting in the year to 31 March, {POPULATION_NOTE}.",
    ),
    Indicator(
        "icpc_rate",
        "Initial child protection conferences per 10,000",
        "Initial conferences",
        "icpc",
        "population",
        f"Initial child protection conferences in the year to 31 March, {POPULATION_NOTE}.",
    ),
    Indicator(
        "cpp_start_rate",
        "Child protection plans starting per 10,000",
        "Plans starting",
        "cpp_starts",
        "population",
        f"Child protection plans starting in the year to 31 March, {POPULATION_NOTE}.",
    ),
    Indicator(
        "repeat_cpp_pct",
        "Second or subsequent child protection plans (%)",
        "Repeat plans",
        "cpp_subsequent",
        "cpp_starts",
        "Plans starting in the year that were a second or subsequent plan for the child (at any "
        "time), as a percentage of all plans starting in the year.",
    ),
    Indicator(
        "cpp_rate",
        "Child protection plans at 31 March per 10,000",
        "Plans at 31 March",
        "cpp_at31",
        "population",
        f"Children subject to a child protection plan at 31 March, {POPULATION_NOTE}.",
    ),
    Indicator(
        "cpp_2yrs_pct",
        "Plans at 31 March lasting 2 years or more (%)",
        "Plans of 2+ years",
        "cpp_2yrs",
        "cpp_at31",
        "Child protection plans open at 31 March that had lasted 2 years or more, as a "
        "percentage of all plans open at 31 March.",
    ),
    Indicator(
        "cla_rate",
        "Children looked after at 31 March per 10,000",
        "Looked after",
        "cla_at31",
        "population",
        f"Children looked after at 31 March, {POPULATION_NOTE}. Loaded from 2019 only.",
    ),
    Indicator(
        "cla_start_rate",
        "Children starting to be looked after per 10,000",
        "Starting care",
        "cla_starts",
        "population",
        f"Children starting to be looked after in the year to 31 March, {POPULATION_NOTE}. "
        "Loaded from 2019 only.",
    ),
]
BY_KEY = {indicator.key: indicator for indicator in INDICATORS}
INDICATOR_CHOICES = [(indicator.key, indicator.label) for indicator in INDICATORS]
