"""The children in need (CIN) census return, built from the process records.

Pure: `build_census` takes the records already selected (`returns.selectors.census_records`,
a fixed handful of bulk queries) and a year's `CinSpec`, and returns a `Census` of plain
dataclasses; `census_xml` writes it with lxml in the specification's element order. Nothing
here touches the database.

Who is in the return (DfE guidance, statutory-data.md §1): every child with a CIN episode open
at any point in the census year, 1 April to 31 March. An episode is one referral of one child:
it starts on the referral date and ends when a referral is decided with no further action or
early help (ReferralNFA = 1, closed on the decision date with RC7), or at the case's first
approved closure on or after the referral (its RC code). An episode is in the return when it
started on or before 31 March and had not ended before 1 April; episodes of the same child
outside the year are left out. Inside an episode, a module (assessment, CIN plan, section 47
enquiry, child protection plan) is returned when it was open at some point in the year, and a
date after 31 March is left out, as it had not happened at the census date. Section 47
enquiries, CIN plans and child protection plans, which are recorded per child rather than per
referral, belong to the episode open on their start date.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from lxml import etree

from returns.spec import CinSpec
from timescales.calendar import add_working_days, calendar_for

SOFTWARE_CODE = "Threefold"
ICPC_TARGET_WORKING_DAYS = 15  # from the strategy discussion that started the enquiry


@dataclass
class CensusAssessment:
    started: datetime.date
    authorised: datetime.date | None = None
    factors: list[str] = field(default_factory=list)


@dataclass
class CensusCinPlan:
    started: datetime.date
    ended: datetime.date | None = None


@dataclass
class CensusSection47:
    started: datetime.date
    icpc_target: datetime.date | None = None
    icpc: datetime.date | None = None
    icpc_not_required: bool = False


@dataclass
class CensusCpPlan:
    started: datetime.date
    initial_category: str
    latest_category: str
    previous_plans: int
    ended: datetime.date | None = None
    reviews: list[datetime.date] = field(default_factory=list)


@dataclass
class CensusEpisode:
    referral_id: int
    referred: datetime.date
    source: str
    primary_need: str
    nfa: bool
    closed: datetime.date | None = None
    closure_reason: str = ""
    assessments: list[CensusAssessment] = field(default_factory=list)
    cin_plans: list[CensusCinPlan] = field(default_factory=list)
    section47s: list[CensusSection47] = field(default_factory=list)
    cp_plans: list[CensusCpPlan] = field(default_factory=list)


@dataclass
class CensusChild:
    person_id: int
    case_id: int  # the case of the child's latest episode: where its records are corrected
    name: str
    la_child_id: str
    upn: str
    upn_unknown: str
    birth_date: datetime.date | None
    expected_birth_date: datetime.date | None
    sex: str
    ethnicity: str
    disabilities: list[str]
    episodes: list[CensusEpisode] = field(default_factory=list)


@dataclass
class Census:
    spec: CinSpec
    lea: str
    children: list[CensusChild]

    @property
    def counts(self) -> dict:
        episodes = [e for c in self.children for e in c.episodes]
        return {
            "children": len(self.children),
            "episodes": len(episodes),
            "referrals_in_year": sum(e.referred >= self.spec.start_date for e in episodes),
            "assessments": sum(len(e.assessments) for e in episodes),
            "section47s": sum(len(e.section47s) for e in episodes),
            "cin_plans": sum(len(e.cin_plans) for e in episodes),
            "cp_plans": sum(len(e.cp_plans) for e in episodes),
            "open_at_census_date": sum(e.closed is None for e in episodes),
        }


@dataclass
class CensusRecords:
    """What `returns.selectors.census_records` selected: model instances, read only."""

    referrals: list  # Referral with child
    closures: list  # approved Closure
    assessments: list
    section47s: list  # Section47Enquiry with strategy_discussion
    initial_conferences: list
    review_conferences: list
    cp_plans: list  # every plan of the children, for NumberOfPreviousCPP
    cin_plans: list


def upn_check_letter(upn: str) -> str | None:
    """The DfE check letter for characters 2-13 of a UPN, or None when they are not digits
    (a temporary UPN has a letter at 13: the check is then not computed here)."""
    rest = upn[1:13]
    if len(rest) != 12 or not rest.isdigit():
        return None
    total = sum(int(digit) * weight for weight, digit in enumerate(rest, start=2))
    return "ABCDEFGHJKLMNPQRTUVWXYZ"[total % 23]


def _within(day, spec):
    return day if day is not None and day <= spec.reference_date else None


def _open_in_year(start, end, spec) -> bool:
    return start <= spec.reference_date and (end is None or end >= spec.start_date)


def _school_age(birth: datetime.date | None, spec: CinSpec) -> bool:
    # DfE: of school age at the census date when born on or before 31 August five years and a
    # bit earlier (the 8770Q cut-off: reference date + 4 months 31 days, minus 6 years).
    if birth is None:
        return False
    cut_off = datetime.date(spec.end_year - 6, 8, 31)
    return birth <= cut_off


def build_census(*, spec: CinSpec, lea: str, records: CensusRecords) -> Census:
    calendar = calendar_for()
    ref, start = spec.reference_date, spec.start_date

    closures_by_case = defaultdict(list)
    for closure in sorted(records.closures, key=lambda c: (c.closed_on, c.pk)):
        closures_by_case[closure.case_id].append(closure)
    referrals_by_child = defaultdict(list)
    for referral in sorted(records.referrals, key=lambda r: (r.received_on, r.pk)):
        referrals_by_child[referral.child_id].append(referral)

    # Every episode of every child, with its end, before choosing those in the year.
    episodes_by_child = {}
    for child_id, referrals in referrals_by_child.items():
        episodes = []
        for referral in referrals:
            nfa = referral.decision in ("no_further_action", "early_help")
            episode = CensusEpisode(
                referral_id=referral.pk,
                referred=referral.received_on,
                source=referral.source,
                primary_need=referral.primary_need,
                nfa=nfa,
            )
            if nfa:
                episode.closed, episode.closure_reason = referral.decided_on, "RC7"
            else:
                closure = next(
                    (
                        c
                        for c in closures_by_case[referral.case_id]
                        if c.closed_on >= referral.received_on
                    ),
                    None,
                )
                if closure is not None:
                    episode.closed, episode.closure_reason = closure.closed_on, closure.reason
            episodes.append((referral, episode))
        episodes_by_child[child_id] = episodes

    def episode_on(child_id, day):
        for _referral, episode in episodes_by_child.get(child_id, []):
            if episode.referred <= day and (episode.closed is None or day <= episode.closed):
                return episode
        return None

    for assessment in records.assessments:
        episode = next(
            (
                e
                for r, e in episodes_by_child.get(assessment.child_id, [])
                if r.pk == assessment.referral_id
            ),
            None,
        )
        end = assessment.authorised_on
        if episode is None or not _open_in_year(assessment.started_on, end, spec):
            continue
        authorised = _within(end, spec)
        episode.assessments.append(
            CensusAssessment(
                started=assessment.started_on,
                authorised=authorised,
                factors=list(assessment.factors) if authorised else [],
            )
        )

    icpc_by_s47 = {c.section47_id: c for c in records.initial_conferences}
    for enquiry in records.section47s:
        conference = icpc_by_s47.get(enquiry.pk)
        icpc = conference.held_on if conference is not None else None
        not_required = enquiry.completed_on is not None and enquiry.conference_needed is False
        end = icpc or (enquiry.completed_on if not_required else None)
        episode = episode_on(enquiry.child_id, enquiry.started_on)
        if episode is None or not _open_in_year(enquiry.started_on, end, spec):
            continue
        episode.section47s.append(
            CensusSection47(
                started=enquiry.started_on,
                icpc_target=add_working_days(
                    enquiry.strategy_discussion.held_on, ICPC_TARGET_WORKING_DAYS, calendar=calendar
                ),
                icpc=_within(icpc, spec),
                icpc_not_required=not_required and enquiry.completed_on <= ref,
            )
        )

    for plan in records.cin_plans:
        episode = episode_on(plan.child_id, plan.started_on)
        if episode is None or not _open_in_year(plan.started_on, plan.ended_on, spec):
            continue
        episode.cin_plans.append(CensusCinPlan(plan.started_on, _within(plan.ended_on, spec)))

    reviews_by_plan = defaultdict(list)
    for conference in records.review_conferences:
        reviews_by_plan[conference.reviewed_plan_id].append(conference.held_on)
    plans_by_child = defaultdict(list)
    for plan in sorted(records.cp_plans, key=lambda p: (p.started_on, p.pk)):
        plans_by_child[plan.child_id].append(plan)
    for child_id, plans in plans_by_child.items():
        for previous, plan in enumerate(plans):
            episode = episode_on(child_id, plan.started_on)
            if episode is None or not _open_in_year(plan.started_on, plan.ended_on, spec):
                continue
            ended = _within(plan.ended_on, spec)
            reviews = sorted(
                day
                for day in reviews_by_plan[plan.pk]
                if start <= day <= (ended or ref) and day > plan.started_on
            )
            episode.cp_plans.append(
                CensusCpPlan(
                    started=plan.started_on,
                    ended=ended,
                    initial_category=plan.initial_category,
                    latest_category=plan.latest_category,
                    previous_plans=previous,
                    reviews=reviews,
                )
            )

    children = []
    for episodes in episodes_by_child.values():
        in_year = [e for _r, e in episodes if _open_in_year(e.referred, e.closed, spec)]
        if not in_year:
            continue
        for episode in in_year:
            if episode.closed is not None and episode.closed > ref:
                episode.closed, episode.closure_reason = None, ""
            for group in (episode.assessments, episode.cin_plans, episode.section47s):
                group.sort(key=lambda m: m.started)
            episode.cp_plans.sort(key=lambda m: m.started)
        person = episodes[0][0].child
        returned = {e.referral_id for e in in_year}
        latest_referral = [r for r, _e in episodes if r.pk in returned][-1]
        upn = person.upn.strip().upper()
        if upn:
            upn_unknown = ""
        elif person.is_unborn or not _school_age(person.date_of_birth, spec):
            upn_unknown = "UN1"  # not yet of school age (or not yet born)
        elif all(e.nfa for e in in_year):
            upn_unknown = "UN7"  # referral with no further action
        else:
            upn_unknown = ""  # a school-age child needs a UPN: rule 8770Q
        children.append(
            CensusChild(
                person_id=person.pk,
                case_id=latest_referral.case_id,
                name=person.display_name,
                la_child_id=str(person.pk),
                upn=upn,
                upn_unknown=upn_unknown,
                birth_date=person.date_of_birth,
                expected_birth_date=person.expected_date_of_birth,
                sex=spec.sex_codes.get(person.sex, person.sex),
                ethnicity=person.ethnicity,
                disabilities=list(person.disabilities or []),
                episodes=in_year,
            )
        )
    children.sort(key=lambda c: int(c.la_child_id))
    return Census(spec=spec, lea=lea, children=children)


# Writing the XML ----------------------------------------------------------------------------


def _date(day: datetime.date | None) -> str | None:
    return day.isoformat() if day is not None else None


def _group(parent, name: str, order: tuple, values: dict):
    element = etree.SubElement(parent, name)
    _fill(element, order, values)
    return element


def _repeated(child_name: str, items: list[str]):
    def fill(element):
        for item in items:
            etree.SubElement(element, child_name).text = item

    return fill if items else None


def census_xml(census: Census, *, created_at: datetime.datetime) -> bytes:
    spec = census.spec
    yes_no = {True: spec.yes, False: spec.no}
    message = etree.Element("Message")
    header = etree.SubElement(message, "Header")
    details = etree.SubElement(header, "CollectionDetails")
    for key, value in [
        ("Collection", "CIN"),
        ("Year", str(spec.end_year)),
        ("ReferenceDate", spec.reference_date.isoformat()),
    ]:
        etree.SubElement(details, key).text = value
    source = etree.SubElement(header, "Source")
    for key, value in [
        ("SourceLevel", "L"),
        ("LEA", census.lea),
        ("SoftwareCode", SOFTWARE_CODE),
        ("Release", spec.label),
        ("SerialNo", "001"),
        ("DateTime", created_at.replace(microsecond=0, tzinfo=None).isoformat()),
    ]:
        etree.SubElement(source, key).text = value
    children = etree.SubElement(message, "Children")
    for child in census.children:
        element = etree.SubElement(children, "Child")
        _group(
            element,
            "ChildIdentifiers",
            spec.child_identifiers,
            {
                "LAchildID": child.la_child_id,
                "UPN": child.upn,
                "UPNunknown": child.upn_unknown,
                "PersonBirthDate": _date(child.birth_date),
                "ExpectedPersonBirthDate": _date(child.expected_birth_date),
                spec.sex_element: child.sex,
            },
        )
        _group(
            element,
            "ChildCharacteristics",
            spec.child_characteristics,
            {
                "Ethnicity": child.ethnicity,
                "Disabilities": _repeated("Disability", child.disabilities),
            },
        )
        for episode in child.episodes:
            _group(element, "CINdetails", spec.cin_details, _episode_values(episode, spec, yes_no))
    return etree.tostring(message, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _episode_values(episode: CensusEpisode, spec: CinSpec, yes_no: dict) -> dict:
    def sub(name, order, values):
        return lambda element: _fill(element, order, values)

    return {
        "CINreferralDate": _date(episode.referred),
        "ReferralSource": episode.source,
        "PrimaryNeedCode": episode.primary_need,
        "CINclosureDate": _date(episode.closed),
        "ReasonForClosure": episode.closure_reason if episode.closed else "",
        "Assessments": [
            sub(
                "Assessments",
                spec.assessment,
                {
                    "AssessmentActualStartDate": _date(a.started),
                    "AssessmentAuthorisationDate": _date(a.authorised),
                    "FactorsIdentifiedAtAssessment": _repeated("AssessmentFactors", a.factors),
                },
            )
            for a in episode.assessments
        ],
        "CINPlanDates": [
            sub(
                "CINPlanDates",
                spec.cin_plan,
                {"CINPlanStartDate": _date(p.started), "CINPlanEndDate": _date(p.ended)},
            )
            for p in episode.cin_plans
        ],
        "Section47": [
            sub(
                "Section47",
                spec.section47,
                {
                    "S47ActualStartDate": _date(s.started),
                    "InitialCPCtarget": _date(s.icpc_target),
                    "DateOfInitialCPC": _date(s.icpc),
                    "ICPCnotRequired": yes_no[s.icpc_not_required],
                },
            )
            for s in episode.section47s
        ],
        "ReferralNFA": yes_no[episode.nfa],
        "ChildProtectionPlans": [
            sub(
                "ChildProtectionPlans",
                spec.cp_plan,
                {
                    "CPPstartDate": _date(p.started),
                    "CPPendDate": _date(p.ended),
                    "InitialCategoryOfAbuse": p.initial_category,
                    "LatestCategoryOfAbuse": p.latest_category,
                    "NumberOfPreviousCPP": str(p.previous_plans),
                    "Reviews": _repeated("CPPreviewDate", [d.isoformat() for d in p.reviews]),
                },
            )
            for p in episode.cp_plans
        ],
    }


def _fill(element, order: tuple, values: dict) -> None:
    """Append the children of `element` in `order`. A value is text, a callable that fills a
    sub-element, or a list of either (a repeated element); None or "" is left out. A name not
    in the specification's order is a programming error, never silently dropped."""
    unknown = set(values) - set(order)
    if unknown:
        raise ValueError(f"{element.tag}: {sorted(unknown)} are not in the specification.")
    for key in order:
        value = values.get(key)
        for item in value if isinstance(value, list) else [value]:
            if item is None or item == "":
                continue
            if callable(item):
                item(etree.SubElement(element, key))
            else:
                etree.SubElement(element, key).text = str(item)
