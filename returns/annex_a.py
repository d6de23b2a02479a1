"""Ofsted's inspection of local authority children's services (ILACS) Annex A: the eleven lists
of children an inspection starts from, as one XLSX workbook.

Columns, their order and the coded values follow the Annex A template as reconstructed by
Social Finance's liia-tools (its 2024 sample workbook and data map, MIT licence, saved in
shared/data/statutory/annex_a/): coded cells carry the template's drop-down labels (a letter
and the DfE code, e.g. "a) WBRI", "q) 6: Police", "E1: Placement order"), dates are real dates
shown as dd/mm/yyyy, yes/no answers are "a) Yes"/"b) No"/"c) Unknown".

Periods: lists 1, 3, 4 and 5 hold what happened in the `months` (six, by default) before the
reference date, usually the day Ofsted's notification arrives; lists 6, 7 and 8 the children in
need, on plans and looked after at any time in those months; list 9 the care leavers with a
contact recorded for the year ending 31 March in those months; list 10 the children with an
adoption decision, a match or an adoption in the 12 months. Counts "in the last 12 months" run
to the reference date. Lists 2 (early help assessments) and 11 (adopters) come from the
services that keep those records: Threefold writes their headers so the workbook is complete.

The builder reads only what `returns.selectors.annex_a_records` selected, so the workbook costs
the same fixed number of queries however many children there are.
"""

from __future__ import annotations

import datetime
import io
from collections import defaultdict
from dataclasses import dataclass, field

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from people.codes import Ethnicity
from process.codes import LegalStatus

YES, NO, UNKNOWN = "a) Yes", "b) No", "c) Unknown"
CHILD_COLUMNS = ["Child Unique ID", "Gender", "Ethnicity", "Date of Birth", "Age"]
HOLDER = ["Allocated Team", "Allocated Worker"]

GENDER = {"M": "a) Male", "F": "b) Female", "U": "c) Not stated/recorded"}
# The template letters the CIN census ethnicity codes in the census's own order, a) to s),
# with REFU and NOBT sharing s).
ETHNICITY = {
    code: f"{letter}) {code}"
    for letter, code in zip(
        "abcdefghijklmnopqrs", [e.value for e in Ethnicity if e != Ethnicity.NOBT], strict=True
    )
} | {"NOBT": "s) NOBT"}
SOURCE = {
    "1A": "a) 1A: Individual",
    "1B": "b) 1B: Individual",
    "1C": "c) 1C: Individual",
    "1D": "d) 1D: Individual",
    "2A": "e) 2A: Schools",
    "2B": "f) 2B: Education services",
    "3A": "g) 3A: Health services",
    "3B": "h) 3B: Health services",
    "3C": "i) 3C: Health services",
    "3D": "j) 3D: Health services",
    "3E": "k) 3E: Health services",
    "3F": "l) 3F: Health services",
    "4": "m) 4: Housing",
    "5A": "n) 5A: LA services",
    "5B": "o) 5B: LA services",
    "5C": "p) 5C: LA services",
    "6": "q) 6: Police",
    "7": "r) 7: Other legal agency",
    "8": "s) 8: Other",
    "9": "t) 9: Anonymous",
    "10": "u) 10: Unknown",
}
NEED = {
    "N1": "N1 - Abuse or neglect",
    "N2": "N2 - Child's disability",
    "N3": "N3 - Parental disability or illness",
    "N4": "N4 - Family in acute stress",
    "N5": "N5 - Family dysfunction",
    "N6": "N6 - Socially unacceptable behaviour",
    "N7": "N7 - Low income",
    "N8": "N8 - Absent parenting",
    "N9": "N9 - Cases other than children in need",
    "N0": "N0 - Not stated",
}
CLOSURE = {
    "RC1": "RC1 - Adopted",
    "RC2": "RC2 - Died",
    "RC3": "RC3 - Child arrangements order",
    "RC4": "RC4 - Special guardianship order",
    "RC5": "RC5 - Transferred to services of another local authority",
    "RC6": "RC6 - Transferred to adult social care services",
    "RC7": "RC7 - Services ceased for any other reason, including child no longer in need",
    "RC8": "RC8 - Case closed after assessment, no further action",
    # RC9 (referred to early help after assessment) is newer than the template's list.
    "RC9": "RC9 - Case closed after assessment, referred to early help",
}
ABUSE = {
    "NEG": "a) Neglect",
    "PHY": "b) Physical abuse",
    "SAB": "c) Sexual abuse",
    "EMO": "d) Emotional abuse",
    "MUL": "e) Multiple/not recommended",
}
LEGAL_STATUS = {
    "E1": "E1: Placement order",
    "C1": "C1: ICO",
    "C2": "C2: FCO",
    "D1": "D1: Freeing order",
    "V2": "V2: Single period under S20",
    "L1": "L1: Police protection LA accommodation",
    "L2": "L2: EPO",
    "L3": "L3: Child assessment order LA accommodation",
    "J1": "J1: Remanded to LA or youth detention",
    "J2": "J2: LA accommodation under PACE",
    "J3": "J3: Youth rehabilitation order",
    "V3": "V3: Short term breaks, episodes recorded",
    "V4": "V4: Short term breaks, agreements recorded",
}
REASON_CEASED = {
    "E11": "a) E11: Adopted - application unopposed",
    "E12": "b) E12: Adopted - consent dispensed",
    "E2": "c) E2: Died",
    "E3": "d) E3: Care taken by another LA",
    "E4A": "e) E4A: Returned home to live with parents or relatives - part of planning",
    "E4B": "f) E4B: Returned home to live with parents or relatives - not part of planning",
    "E13": "g) E13: Parents, relatives or other with no parental responsibility",
    "E41": "h) E41: Residence order granted",
    "E45": "i) E45: Special Guardianship Orders - former carer relative/friend",
    "E46": "j) E46: Special Guardianship Orders - former carer other",
    "E47": "k) E47: Special Guardianship Orders - relative/friend",
    "E48": "l) E48: Special Guardianship Orders - other",
    "E5": "m) E5: Moved into independent living - supported",
    "E6": "n) E6: Moved into independent living - no support",
    "E7": "o) E7: Transferred to residential care funded by adult social services",
    "E9": "p) E9: Sentenced to custody",
    "E14": "q) E14: Accommodation on remand ended",
    "E15": "r) E15: Age assessment determined child was 18 or over",
    "E16": "s) E16: Child moved abroad",
    "E8": "t) E8: Care ceased for any other reason",
    "E17": "v) E17: Aged 18+ and remained with current carers",
}
PLACEMENT = {
    "U1": "a) U1: Foster placement - relatives - long term",
    "U2": "b) U2: Foster placement - relative - FFA",
    "U3": "c) U3: Foster placement - relative - not FFA",
    "U4": "d) U4: Foster placement - long term",
    "U5": "e) U5: Foster placement - FFA",
    "U6": "f) U6: Foster placement - not FFA",
    "A3": "g) A3: Placed for adoption - consent - current foster",
    "A4": "h) A4: Placed for adoption - consent - not foster",
    "A5": "i) A5: Placed for adoption - order - foster",
    "A6": "j) A6: Placed for adoption - order - not foster",
    "P1": "k) P1: Placed with parents",
    "P3": "m) P3: Residential employment",
    "K1": "o) K1: Secure Children's Homes",
    "K2": "p) K2: Children's Homes",
    "R1": "q) R1: Residential Care Home",
    "R2": "r) R2: NHS/Health Trust",
    "R3": "s) R3: Family Centre or Mother and Baby Unit",
    "R5": "t) R5: Young Offender Institution",
    "Z1": "v) Z1: Other placements",
    "T0": "w) T0: Temporary placement",
    "T1": "x) T1: Temporary placement - hospital",
    "T2": "y) T2: Temporary placement - holiday",
    "T3": "z) T3: Temporary placement - carer holiday",
    "T4": "zz) T4: Temporary placement - seven days or less",
}
PROVIDER = {
    "PR0": "a) PR0: Parents/Parental responsibility",
    "PR1": "b) PR1: Own provision",
    "PR2": "c) PR2: Other LA provision",
    "PR3": "d) PR3: Other public provision",
    "PR4": "e) PR4: Private provision",
    "PR5": "f) PR5: Voluntary/third sector",
}
IN_TOUCH = {
    "YES": "a) Yes",
    "NO": "b) No",
    "DIED": "c) Died",
    "REFU": "d) Refu",
    "NREQ": "e) NREQ",
    "RHOM": "f) Rhom",
}
ACCOMMODATION = {
    "B": "B: Parents/relatives",
    "C": "C: Community home/residential care",
    "D": "D: Semi-independent, transitional accommodation and self-contained accommodation",
    "E": "E: Supported lodgings",
    "G": "G: Abroad",
    "H": "H: Deported",
    "K": "K: Ordinary lodgings, without formal support",
    "R": "R: Residence not known",
    "S": "S: No fixed adobe/homeless",
    "T": "T: Foyers and similar supported accommodation",
    "U": "U: Independent living",
    "V": "V: Emergency accommodation",
    "W": "W: Bed and breakfast",
    "X": "X: In custody",
    "Y": "Y: Other accommodation",
    "Z": "Z: With former foster carers",
}
ACTIVITY = {
    "F1": "F1: Full time in higher education",
    "P1": "P1: Part time in higher education",
    "F2": "F2: Full time in education other than higher",
    "P2": "P2: Part time in education other than higher",
    "F4": "F4: Young person engaged full time in an apprenticeship",
    "P4": "P4: Young person engaged part time in an apprenticeship",
    "F5": "F5: Young person engaged full time in training or employment (not apprenticeship)",
    "P5": "P5: Young person engaged part time in training or employment (not apprenticeship)",
    "G4": "G4: Not in education, employment or training - illness or disability",
    "G5": "G5: Not in education, employment or training - other",
    "G6": "G6: Not in education, employment or training - pregnancy or parenting",
}
NO_LONGER_PLACED = {
    "RD1": "RD1 - The child’s needs changed subsequent to the decision",
    "RD2": "RD2 - The Court did not make a placement order",
    "RD3": "RD3 - Prospective adopters could not be found",
    "RD4": "RD4 - Any other reason",
}
CARE_STATUSES = {
    "looked_after": "a) Looked after child",
    "cp_plan": "b) Child Protection plan",
    "cin_plan": "c) Child in need plan",
    "assessment": "d) Open assessment",
    "closed": "e) Closed episode",
}
EPO_STATUSES = {LegalStatus.POLICE_PROTECTION, LegalStatus.EPO}
PLACEMENT_ORDER = LegalStatus.PLACEMENT_ORDER
FOSTERING_FOR_ADOPTION = {"U2", "U5"}
PLACED_FOR_ADOPTION = {"A3", "A4", "A5", "A6"}
ADOPTED = {"E11", "E12"}


@dataclass(frozen=True)
class AnnexList:
    number: int
    title: str
    columns: list[str]
    recorded_elsewhere: str = ""  # why Threefold leaves the list to another system


LISTS = [
    AnnexList(1, "Contacts", [*CHILD_COLUMNS, "Date of Contact", "Contact Source"]),
    AnnexList(
        2,
        "Early help",
        [
            *CHILD_COLUMNS,
            "Assessment start date",
            "Assessment completion date",
            "Organisation completing assessment",
        ],
        recorded_elsewhere="Early help assessments are recorded by the early help service.",
    ),
    AnnexList(
        3,
        "Referrals",
        [
            *CHILD_COLUMNS,
            "Date of Referral",
            "Referral Source",
            "Referral NFA?",
            "Number of Referrals in Last 12 Months",
            *HOLDER,
        ],
    ),
    AnnexList(
        4,
        "Assessments",
        [
            *CHILD_COLUMNS,
            "Does the Child have a Disability",
            "Continuous Assessment Start Date",
            "Child Seen During Continuous Assessment",
            "Continuous Assessment Date of Authorisation",
            "Was the child assessed as requiring LA children's social care support?",
            *HOLDER,
        ],
    ),
    AnnexList(
        5,
        "Section 47 enquiries and ICPCs",
        [
            *CHILD_COLUMNS,
            "Does the Child have a Disability",
            "Strategy discussion initiating Section 47 Enquiry Start Date",
            "Was an Initial Child Protection Conference deemed unnecessary?",
            "Date of Initial Child Protection Conference",
            "Did the Initial Child Protection Conference Result in a Child Protection Plan",
            "Number of Section 47 Enquiries in the last 12 months",
            "Number of ICPCs in the last 12 months",
            *HOLDER,
        ],
    ),
    AnnexList(
        6,
        "Children in need",
        [
            *CHILD_COLUMNS,
            "Does the Child have a Disability",
            "CIN Start Date",
            "Primary Need Code",
            "Date Child Was Last Seen",
            "CIN Closure Date",
            "Reason for Closure",
            "Case Status",
            *HOLDER,
        ],
    ),
    AnnexList(
        7,
        "Child protection",
        [
            *CHILD_COLUMNS,
            "Does the Child have a Disability",
            "Child Protection Plan Start Date",
            "Initial Category of Abuse",
            "Latest Category of Abuse",
            "Date of the Last Statutory Visit",
            "Was the Child Seen Alone?",
            "Date of latest review conference",
            "Child Protection Plan End Date",
            "Subject to Emergency Protection Order or Protected Under Police Powers in Last Six "
            "Months (Y/N)",
            "Number of Previous Child Protection Plans",
            *HOLDER,
        ],
    ),
    AnnexList(
        8,
        "Children in care",
        [
            *CHILD_COLUMNS,
            "Unaccompanied Asylum Seeking Child (UASC) within the Last 12 Months (Y/N)",
            "Does the Child have a Disability",
            "Date Started to be Looked After",
            "Child's Category of Need",
            "Is this a second or subsequent period of being a Looked After Child within the last "
            "12 months (Y/N)",
            "Start date of current legal status",
            "Child's Legal Status",
            "Date of Latest Statutory Review",
            "Date of Last Social Work Visit",
            "What is the permanence plan for this child?",
            "Date of Last IRO Visit / Contact to the Child",
            "Date of Last Health Assessment",
            "Date of Last Dental Check",
            "Number of Placements in the Last 12 months",
            "Date Ceased to be Looked After",
            "Reason Ceased to be Looked After",
            "Start Date of Most Recent Placement",
            "Placement Type",
            "Placement Provider",
            "Placement postcode",
            "URN of Placement",
            "Placement Location",
            "LA of Placement",
            "Number of Episodes the Child has been ‘Missing’ from their Placement in the last 12 "
            "months",
            "Number of Episodes the Child has been ‘Absent’ from their Placement in the last 12 "
            "months",
            "Was the child offered a Return Interview after their last missing episode (Y/N)?",
            "Did the child accept a Return Interview after their last missing episode (Y/N)?",
            *HOLDER,
        ],
    ),
    AnnexList(
        9,
        "Care leavers",
        [
            *CHILD_COLUMNS,
            "Unaccompanied Asylum Seeking Child (UASC), or formerly UASC if 18 or over (Y/N)",
            "Does the Child have a Disability",
            *HOLDER,
            "Allocated Personal Advisor",
            "Eligibility Category",
            "Latest Pathway Plan Review Date",
            "LA in Touch",
            "Latest Date of Contact",
            "Type of Accommodation",
            "Suitability of Accommodation",
            "Activity Status",
        ],
    ),
    AnnexList(
        10,
        "Adoption",
        [
            "Child Unique ID",
            "Family identifier",
            "Gender",
            "Ethnicity",
            "Date of Birth",
            "Age of Child (Years)",
            "Does the Child have a Disability",
            "Date the Child Entered Care",
            "Date of Decision that Child Should be Placed for Adoption",
            "Date of Placement Order",
            "Date of Matching Child and Prospective Adopters",
            "Date Placed for Adoption",
            "Date of Adoption Order",
            "Date of Decision that Child Should No Longer be Placed for Adoption",
            "Reason Why Child No Longer Placed for Adoption",
            "Date the child was placed for fostering in FFA or concurrent planning placement",
        ],
    ),
    AnnexList(
        11,
        "Adopters",
        [
            "Individual adopter identifier",
            "Family identifier",
            "Gender",
            "Ethnicity",
            "Disability",
            "Is the (prospective) adopter fostering for adoption?",
            "Date enquiry received",
            "Date Stage 1 started",
            "Date Stage 1 ended",
            "Date Stage 2 started",
            "Date Stage 2 ended",
            "Date application submitted",
            "Date application approved",
            "Date adopter matched with child(ren)",
            "Date child/children placed with adopter(s)",
            "No. of children placed",
            "Date of Adoption Order",
            "Date of leaving adoption process",
            "Reason for leaving adoption process",
        ],
        recorded_elsewhere="Adopters are recruited and assessed by the regional adoption agency.",
    ),
]


def months_before(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` earlier (the month's last day where that day does not exist)."""
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    for last in (31, 30, 29, 28):
        try:
            return datetime.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


@dataclass(frozen=True)
class AnnexPeriod:
    reference_date: datetime.date
    months: int = 6

    @property
    def start(self) -> datetime.date:
        return months_before(self.reference_date, self.months) + datetime.timedelta(days=1)

    @property
    def year_start(self) -> datetime.date:
        return months_before(self.reference_date, 12) + datetime.timedelta(days=1)

    def within(self, day) -> bool:
        return day is not None and self.start <= day <= self.reference_date

    def in_year(self, day) -> bool:
        return day is not None and self.year_start <= day <= self.reference_date

    def overlaps(self, start, end) -> bool:
        return start <= self.reference_date and (end is None or end >= self.start)


@dataclass
class AnnexARecords:
    """What `returns.selectors.annex_a_records` selected: model instances, read only."""

    people: dict  # id -> Person
    team_names: dict  # case id -> team name
    allocations: list  # Allocation with worker
    contacts: list
    referrals: list
    assessments: list
    visits: list
    section47s: list
    conferences: list
    cp_plans: list
    cin_plans: list
    closures: list  # approved
    episodes: list
    reviews: list
    uasc: list
    missing: list
    adoption_decisions: list
    adoptions: list
    care_leavers: list
    case_children: dict = field(default_factory=dict)  # case id -> [child ids], for contacts


@dataclass
class AnnexA:
    period: AnnexPeriod
    rows: dict  # list number -> list of rows

    @property
    def counts(self) -> dict[int, int]:
        return {number: len(rows) for number, rows in self.rows.items()}


def _yes_no(value: bool | None) -> str:
    return UNKNOWN if value is None else (YES if value else NO)


def _disability(person) -> str:
    codes = list(person.disabilities or [])
    if not codes:
        return UNKNOWN
    return NO if codes == ["NONE"] else YES


def _age(person, day) -> int | None:
    return person.age_on(day)


class _Builder:
    def __init__(self, records: AnnexARecords, period: AnnexPeriod):
        self.r, self.p = records, period
        self.ref = period.reference_date
        self.allocations = defaultdict(list)
        for allocation in records.allocations:
            self.allocations[allocation.case_id].append(allocation)
        self.visits = defaultdict(list)
        for visit in sorted(records.visits, key=lambda v: (v.visited_on, v.pk)):
            self.visits[visit.child_id].append(visit)
        self.episodes = defaultdict(list)
        for episode in sorted(records.episodes, key=lambda e: (e.started_on, e.pk)):
            self.episodes[episode.child_id].append(episode)

    def child(self, person) -> list:
        return [
            str(person.pk),
            GENDER.get(person.sex, GENDER["U"]),
            ETHNICITY.get(person.ethnicity, ETHNICITY["NOBT"]),
            person.date_of_birth,
            _age(person, self.ref),
        ]

    def holder(self, case_id: int, day: datetime.date) -> list:
        """The case's team and the worker allocated on `day` (or, failing that, the latest)."""
        allocations = sorted(self.allocations[case_id], key=lambda a: (a.started_on, a.pk))
        current = [
            a
            for a in allocations
            if a.started_on <= day and (a.ended_on is None or a.ended_on >= day)
        ]
        worker = (current or allocations or [None])[-1]
        return [self.r.team_names.get(case_id, ""), str(worker.worker) if worker else ""]

    def last_visit(self, child_id: int, day: datetime.date):
        seen = [v for v in self.visits[child_id] if v.visited_on <= day]
        return seen[-1] if seen else None

    # Lists --------------------------------------------------------------------------------

    def contacts(self) -> list:
        rows = []
        for contact in sorted(self.r.contacts, key=lambda c: (c.contact_on, c.pk)):
            if not self.p.within(contact.contact_on):
                continue
            children = (
                [contact.child_id]
                if contact.child_id
                else self.r.case_children.get(contact.case_id, [])
            )
            for child_id in children:
                person = self.r.people[child_id]
                rows.append(
                    [*self.child(person), contact.contact_on, SOURCE.get(contact.source, "")]
                )
        return rows

    def referrals(self) -> list:
        in_year = defaultdict(int)
        for referral in self.r.referrals:
            if self.p.in_year(referral.received_on):
                in_year[referral.child_id] += 1
        rows = []
        for referral in sorted(self.r.referrals, key=lambda r: (r.received_on, r.pk)):
            if not self.p.within(referral.received_on):
                continue
            nfa = None if not referral.decision else referral.decision != "assessment"
            rows.append(
                [
                    *self.child(self.r.people[referral.child_id]),
                    referral.received_on,
                    SOURCE.get(referral.source, ""),
                    _yes_no(nfa),
                    in_year[referral.child_id],
                    *self.holder(referral.case_id, referral.received_on),
                ]
            )
        return rows

    def assessments(self) -> list:
        rows = []
        for assessment in sorted(self.r.assessments, key=lambda a: (a.started_on, a.pk)):
            if not self.p.overlaps(assessment.started_on, assessment.authorised_on):
                continue
            end = assessment.completed_on or self.ref
            seen = any(
                assessment.started_on <= v.visited_on <= end
                for v in self.visits[assessment.child_id]
            )
            authorised = (
                assessment.authorised_on if self.p.within(assessment.authorised_on) else None
            )
            support = None
            if authorised and assessment.outcome:
                support = assessment.outcome in ("child_protection", "cin_plan", "looked_after")
            person = self.r.people[assessment.child_id]
            rows.append(
                [
                    *self.child(person),
                    _disability(person),
                    assessment.started_on,
                    YES if seen else NO,
                    authorised,
                    "" if support is None else _yes_no(support),
                    *self.holder(assessment.case_id, assessment.started_on),
                ]
            )
        return rows

    def section47s(self) -> list:
        initial = {c.section47_id: c for c in self.r.conferences if c.kind == "initial"}
        plan_conferences = {p.conference_id for p in self.r.cp_plans}
        s47s_in_year, icpcs_in_year = defaultdict(int), defaultdict(int)
        for enquiry in self.r.section47s:
            if self.p.in_year(enquiry.started_on):
                s47s_in_year[enquiry.child_id] += 1
        for conference in initial.values():
            if self.p.in_year(conference.held_on):
                icpcs_in_year[conference.child_id] += 1
        rows = []
        for enquiry in sorted(self.r.section47s, key=lambda s: (s.started_on, s.pk)):
            if not self.p.within(enquiry.started_on):
                continue
            conference = initial.get(enquiry.pk)
            held = conference.held_on if conference and conference.held_on <= self.ref else None
            unnecessary = ""
            if enquiry.completed_on is not None and enquiry.completed_on <= self.ref:
                unnecessary = _yes_no(enquiry.conference_needed is False)
            person = self.r.people[enquiry.child_id]
            rows.append(
                [
                    *self.child(person),
                    _disability(person),
                    enquiry.started_on,
                    unnecessary,
                    held,
                    _yes_no(conference.pk in plan_conferences) if held else "",
                    s47s_in_year[enquiry.child_id],
                    icpcs_in_year[enquiry.child_id],
                    *self.holder(enquiry.case_id, enquiry.started_on),
                ]
            )
        return rows

    def children_in_need(self) -> list:
        closures = defaultdict(list)
        for closure in sorted(self.r.closures, key=lambda c: (c.closed_on, c.pk)):
            closures[closure.case_id].append(closure)
        rows = []
        for referral in sorted(self.r.referrals, key=lambda r: (r.received_on, r.pk)):
            if referral.decision != "assessment":
                continue  # a referral with no further action is no episode of need
            closure = next(
                (
                    c
                    for c in closures[referral.case_id]
                    if c.closed_on >= referral.received_on and c.closed_on <= self.ref
                ),
                None,
            )
            closed = closure.closed_on if closure else None
            if not self.p.overlaps(referral.received_on, closed):
                continue
            person = self.r.people[referral.child_id]
            visit = self.last_visit(referral.child_id, closed or self.ref)
            rows.append(
                [
                    *self.child(person),
                    _disability(person),
                    referral.received_on,
                    NEED.get(referral.primary_need, NEED["N0"]),
                    visit.visited_on if visit else None,
                    closed,
                    CLOSURE.get(closure.reason, "") if closure else "",
                    CARE_STATUSES[self.status_of(referral.child_id, closed)],
                    *self.holder(referral.case_id, closed or self.ref),
                ]
            )
        return rows

    def status_of(self, child_id: int, closed) -> str:
        if closed is not None:
            return "closed"

        def open_on_ref(records, start, end):
            return any(
                getattr(x, start) <= self.ref
                and (getattr(x, end) is None or getattr(x, end) > self.ref)
                for x in records
                if x.child_id == child_id
            )

        if open_on_ref(self.episodes[child_id], "started_on", "ended_on"):
            return "looked_after"
        if open_on_ref(self.r.cp_plans, "started_on", "ended_on"):
            return "cp_plan"
        if open_on_ref(self.r.cin_plans, "started_on", "ended_on"):
            return "cin_plan"
        if open_on_ref(self.r.assessments, "started_on", "authorised_on"):
            return "assessment"
        return "closed"

    def protection(self) -> list:
        reviews = defaultdict(list)
        for conference in self.r.conferences:
            if conference.kind == "review" and conference.held_on <= self.ref:
                reviews[conference.reviewed_plan_id].append(conference.held_on)
        plans_by_child = defaultdict(list)
        for plan in sorted(self.r.cp_plans, key=lambda p: (p.started_on, p.pk)):
            plans_by_child[plan.child_id].append(plan)
        six_months_ago = months_before(self.ref, 6)
        rows = []
        for child_id, plans in plans_by_child.items():
            protected = any(
                e.legal_status in EPO_STATUSES
                and e.started_on <= self.ref
                and (e.ended_on is None or e.ended_on > six_months_ago)
                for e in self.episodes[child_id]
            )
            for previous, plan in enumerate(plans):
                ended = plan.ended_on if plan.ended_on and plan.ended_on <= self.ref else None
                if not self.p.overlaps(plan.started_on, ended):
                    continue
                person = self.r.people[child_id]
                visit = self.last_visit(child_id, ended or self.ref)
                rows.append(
                    [
                        *self.child(person),
                        _disability(person),
                        plan.started_on,
                        ABUSE.get(plan.initial_category, ""),
                        ABUSE.get(plan.latest_category, ""),
                        visit.visited_on if visit else None,
                        _yes_no(visit.seen_alone) if visit else "",
                        max(reviews[plan.pk], default=None),
                        ended,
                        _yes_no(protected),
                        previous,
                        *self.holder(plan.case_id, ended or self.ref),
                    ]
                )
        return rows

    def periods_of_care(self, child_id: int) -> list[list]:
        """The child's episodes grouped into periods of care: an episode that starts the day
        the previous one ends continues the same period (the SSDA903 convention)."""
        periods = []
        for episode in self.episodes[child_id]:
            if periods and periods[-1][-1].ended_on == episode.started_on:
                periods[-1].append(episode)
            else:
                periods.append([episode])
        return periods

    def in_care(self) -> list:
        reviews, missing = defaultdict(list), defaultdict(list)
        for review in self.r.reviews:
            if review.held_on <= self.ref:
                reviews[review.child_id].append(review.held_on)
        for episode in self.r.missing:
            if self.p.in_year(episode.started_on):
                missing[(episode.child_id, episode.kind)].append(episode)
        uasc = {status.child_id: status for status in self.r.uasc}
        rows = []
        for child_id in sorted(self.episodes):
            periods = self.periods_of_care(child_id)
            for number, period in enumerate(periods):
                episodes = [e for e in period if e.started_on <= self.ref]
                last = episodes[-1] if episodes else None
                ended = (
                    last.ended_on if last and last.ended_on and last.ended_on <= self.ref else None
                )
                if last is None or not self.p.overlaps(period[0].started_on, ended):
                    continue
                earlier_end = periods[number - 1][-1].ended_on if number else None
                status = last.legal_status
                status_start = last.started_on
                for episode in reversed(episodes[:-1]):
                    if episode.legal_status != status:
                        break
                    status_start = episode.started_on
                # A placement runs on across episodes that only change the legal status.
                runs = []
                for episode in episodes:
                    if (
                        runs
                        and runs[-1][0] == episode.placement
                        and runs[-1][2] == episode.started_on
                    ):
                        runs[-1][2] = episode.ended_on
                    else:
                        runs.append([episode.placement, episode.started_on, episode.ended_on])
                placement_start = runs[-1][1]
                placements = sum(
                    1 for _, start, end in runs if end is None or end >= self.p.year_start
                )
                status_uasc = uasc.get(child_id)
                person = self.r.people[child_id]
                visit = self.last_visit(child_id, ended or self.ref)
                rows.append(
                    [
                        *self.child(person),
                        _yes_no(
                            status_uasc is not None
                            and (
                                status_uasc.ceased_on is None
                                or self.p.in_year(status_uasc.ceased_on)
                            )
                        ),
                        _disability(person),
                        period[0].started_on,
                        NEED.get(period[0].category_of_need, ""),
                        _yes_no(earlier_end is not None and self.p.in_year(earlier_end)),
                        status_start,
                        LEGAL_STATUS.get(status, status),
                        max(reviews[child_id], default=None),
                        visit.visited_on if visit else None,
                        "",  # the permanence plan is in the care plan, not a coded field here
                        None,  # IRO contacts, health assessments and dental checks are kept by
                        None,  # the IRO service and health partners
                        None,
                        placements,
                        ended,
                        REASON_CEASED.get(last.reason_ceased, "") if ended else "",
                        placement_start,
                        PLACEMENT.get(last.placement, last.placement),
                        PROVIDER.get(last.placement_provider, ""),
                        last.placement_postcode,
                        last.urn,
                        "",
                        "",
                        len(missing[(child_id, "M")]),
                        len(missing[(child_id, "A")]),
                        "",
                        "",
                        *self.holder(last.case_id, ended or self.ref),
                    ]
                )
        return rows

    def care_leavers(self) -> list:
        year = self.ref.year if self.ref.month > 3 else self.ref.year - 1
        uasc = {status.child_id for status in self.r.uasc}
        rows = []
        for contact in sorted(self.r.care_leavers, key=lambda c: (c.child_id, c.year)):
            if contact.year not in (year, year + 1):
                continue
            person = self.r.people[contact.child_id]
            accommodation = contact.accommodation or ""
            suitability = {"1": "a) Suitable", "2": "b) Unsuitable"}.get(accommodation[1:], "")
            rows.append(
                [
                    *self.child(person),
                    _yes_no(contact.child_id in uasc),
                    _disability(person),
                    *self.holder(contact.case_id, self.ref),
                    "",
                    "",
                    None,
                    IN_TOUCH.get(contact.in_touch, ""),
                    None,
                    ACCOMMODATION.get(accommodation[:1], ""),
                    suitability,
                    ACTIVITY.get(contact.activity, ""),
                ]
            )
        return rows

    def adoption(self) -> list:
        decisions = defaultdict(list)
        for decision in sorted(self.r.adoption_decisions, key=lambda d: (d.decided_on, d.pk)):
            decisions[decision.child_id].append(decision)
        adoptions = {adoption.child_id: adoption for adoption in self.r.adoptions}
        rows = []
        for child_id in sorted(set(decisions) | set(adoptions)):
            episodes = [e for e in self.episodes[child_id] if e.started_on <= self.ref]

            decision = decisions[child_id][-1] if decisions[child_id] else None
            adoption = adoptions.get(child_id)
            adopted = self.first(episodes, lambda e: e.reason_ceased in ADOPTED, end=True)
            reversed_on = decision.reversed_on if decision else None
            dates = [
                decision.decided_on if decision else None,
                adoption.matched_on if adoption else None,
                adopted,
                reversed_on,
            ]
            if not any(self.p.in_year(day) for day in dates):
                continue
            person = self.r.people[child_id]
            rows.append(
                [
                    str(person.pk),
                    str(episodes[-1].case_id) if episodes else "",
                    GENDER.get(person.sex, GENDER["U"]),
                    ETHNICITY.get(person.ethnicity, ETHNICITY["NOBT"]),
                    person.date_of_birth,
                    _age(person, self.ref),
                    _disability(person),
                    self.care_started(child_id),
                    decision.decided_on if decision else None,
                    self.first(episodes, lambda e: e.legal_status == PLACEMENT_ORDER),
                    adoption.matched_on if adoption else None,
                    self.first(episodes, lambda e: e.placement in PLACED_FOR_ADOPTION),
                    adopted,
                    reversed_on if reversed_on and reversed_on <= self.ref else None,
                    NO_LONGER_PLACED.get(decision.reversal_reason, "") if reversed_on else "",
                    self.first(episodes, lambda e: e.placement in FOSTERING_FOR_ADOPTION),
                ]
            )
        return rows

    def first(self, episodes, test, *, end=False):
        """The earliest start (or end) by the reference date of the episodes passing `test`."""
        found = [(e.ended_on if end else e.started_on) for e in episodes if test(e)]
        return min((day for day in found if day is not None and day <= self.ref), default=None)

    def care_started(self, child_id: int):
        periods = [p for p in self.periods_of_care(child_id) if p[0].started_on <= self.ref]
        return periods[-1][0].started_on if periods else None


def build_annex_a(*, records: AnnexARecords, period: AnnexPeriod) -> AnnexA:
    builder = _Builder(records, period)
    rows = {
        1: builder.contacts(),
        2: [],
        3: builder.referrals(),
        4: builder.assessments(),
        5: builder.section47s(),
        6: builder.children_in_need(),
        7: builder.protection(),
        8: builder.in_care(),
        9: builder.care_leavers(),
        10: builder.adoption(),
        11: [],
    }
    return AnnexA(period=period, rows=rows)


def annex_a_workbook(annex: AnnexA, *, agency_name: str) -> bytes:
    """The workbook: an About sheet, then "List 1" to "List 11" with the template's headers."""
    workbook = Workbook()
    about = workbook.active
    about.title = "About"
    about.append(["Ofsted ILACS Annex A"])
    about.append(["Agency", agency_name])
    about.append(["Reference date", annex.period.reference_date])
    about.append(["Period from", annex.period.start])
    about.append([])
    about.append(["List", "Contents", "Rows", "Note"])
    for annex_list in LISTS:
        about.append(
            [
                f"List {annex_list.number}",
                annex_list.title,
                len(annex.rows[annex_list.number]),
                annex_list.recorded_elsewhere,
            ]
        )
    about["A1"].font = Font(bold=True, size=14)
    for cell in about[6]:
        cell.font = Font(bold=True)
    for row in about.iter_rows():
        for cell in row:
            if isinstance(cell.value, datetime.date):
                cell.number_format = "DD/MM/YYYY"
    about.column_dimensions["B"].width = 34
    about.column_dimensions["D"].width = 70
    for annex_list in LISTS:
        sheet = workbook.create_sheet(f"List {annex_list.number}")
        sheet.append(annex_list.columns)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in annex.rows[annex_list.number]:
            sheet.append(row)
        for column, header in enumerate(annex_list.columns, start=1):
            letter = get_column_letter(column)
            sheet.column_dimensions[letter].width = min(max(len(header), 12), 40)
            if "Date" in header or "date" in header:
                for (cell,) in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
                    cell.number_format = "DD/MM/YYYY"
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
