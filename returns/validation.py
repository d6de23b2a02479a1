"""Checking a CIN census before it is sent: the schema, then the DfE rules that matter most.

`validate_schema` checks the XML against the published reconstruction of the year's schema
(`THREEFOLD_STATUTORY_DATA / "cin" / spec.xsd_name`; structure and code sets only).
`validate_rules` checks the `Census` built from the record against a set of the DfE validation
rules (numbers and wording from the DfE 2025-26 rules as listed in
shared/data/statutory/cin/d2i_cin_2025_26_rule_info.csv). Rules ending in Q are queries: the
DfE accepts them with an explanation. Each failure names the child, so the report can link to
the child's process page where the record is corrected.

Not every DfE rule is here: the independent validator (`csc-validator-be-cin`) remains the
full check before submission.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings
from lxml import etree

from returns.cin_census import Census, CensusChild, upn_check_letter
from returns.spec import CinSpec
from timescales.calendar import calendar_for, working_days_between

# DfE local authority numbers valid at characters 2-4 of a UPN (rule 1530): post-April 1998 LA
# codes and the recognised pseudo-LA codes.
UPN_LA_CODES = frozenset(
    [f"00{n}" for n in range(1, 6)]
    + [
        str(n)
        for lo, hi in [
            (201, 213), (301, 320), (330, 336), (340, 344), (350, 359), (370, 373),
            (380, 384), (390, 394), (660, 681), (701, 708), (800, 803), (805, 808),
            (810, 813), (820, 823), (835, 839), (850, 852), (855, 857), (865, 896),
            (935, 938), (940, 941),
        ]
        for n in range(lo, hi + 1)
    ]
    + [
        "420", "815", "816", "825", "826", "830", "831", "840", "841", "845", "846", "860",
        "861", "908", "909", "916", "919", "921", "925", "926", "928", "929", "931", "933",
        "942", "943",
    ]
)  # fmt: skip
UPN_LAST_LETTERS = frozenset("ABCDEFGHJKLMNPQRTUVWXYZ")
ASSESSMENT_WORKING_DAYS = 45  # 8670Q
S47_WORKING_DAYS = 15  # 8675Q


@dataclass(frozen=True)
class Failure:
    rule: str  # "8510", "8670Q", or "schema"
    message: str
    child: CensusChild | None = None  # None for a failure of the whole return

    @property
    def is_query(self) -> bool:
        return self.rule.endswith("Q")


def statutory_data_dir() -> Path:
    default = Path(settings.BASE_DIR).parent / "shared" / "data" / "statutory"
    return Path(getattr(settings, "THREEFOLD_STATUTORY_DATA", default))


def schema_path(spec: CinSpec) -> Path:
    return statutory_data_dir() / "cin" / spec.xsd_name


@cache
def _schema(path: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(path))


def validate_schema(xml: bytes, spec: CinSpec, census: Census | None = None) -> list[Failure]:
    """Schema errors, each tied to the child whose <Child> element it falls in. Raises
    FileNotFoundError when the schema is not installed."""
    path = schema_path(spec)
    if not path.exists():
        raise FileNotFoundError(f"The CIN schema {path} is not installed.")
    schema = _schema(str(path))
    root = etree.fromstring(xml)
    if schema.validate(root):
        return []
    by_id = {c.la_child_id: c for c in census.children} if census else {}
    starts = [
        (child.sourceline, child.findtext("ChildIdentifiers/LAchildID"))
        for child in root.iter("Child")
    ]
    failures = []
    for error in schema.error_log:
        la_child_id = None
        for line, child_id in starts:
            if line <= error.line:
                la_child_id = child_id
        failures.append(Failure("schema", error.message, by_id.get(la_child_id)))
    return failures


def validate_rules(census: Census) -> list[Failure]:
    failures: list[Failure] = []
    seen_ids: dict[str, int] = {}
    seen_upns: dict[str, int] = {}
    for child in census.children:
        seen_ids[child.la_child_id] = seen_ids.get(child.la_child_id, 0) + 1
        if child.upn:
            seen_upns[child.upn] = seen_upns.get(child.upn, 0) + 1
    for child in census.children:
        for rule, message in _child_failures(child, census, seen_ids, seen_upns):
            failures.append(Failure(rule, message, child))
    return failures


def _child_failures(child: CensusChild, census: Census, seen_ids, seen_upns):
    spec = census.spec
    ref, start = spec.reference_date, spec.start_date
    calendar = calendar_for()

    # Identifiers.
    if not child.la_child_id:
        yield "8500", "LA child ID missing."
    elif seen_ids[child.la_child_id] > 1:
        yield "8510", "More than one child record with the same LA child ID."
    if len(child.la_child_id) > 20:
        yield "1570", "LA child ID must not be longer than 20 characters."
    if child.la_child_id and not child.la_child_id.isalnum():
        yield "1580", "LA child ID must not contain any non-alphanumeric characters."
    yield from _upn_failures(child, seen_upns)

    # Characteristics.
    if child.sex not in spec.sex_codes.values():
        yield "4180", "Sex must be provided and equal M, F or U."
    if child.expected_birth_date and not child.birth_date and child.sex != "U":
        yield "8750", "Sex must be U (not known) for an unborn child."
    if child.ethnicity not in spec.ethnicity_codes:
        yield "4220", "Ethnicity is missing or invalid."
    further_action = any(not e.nfa for e in child.episodes)
    if set(child.disabilities) - spec.disability_codes or (
        not child.disabilities and child.birth_date and further_action
    ):
        yield "8540", "Disability is missing or invalid: record NONE if the child has none."
    elif "NONE" in child.disabilities and len(child.disabilities) > 1:
        yield "8790", "Disability information includes both NONE and other values."
    if len(set(child.disabilities)) < len(child.disabilities):
        yield "8794", "The child has two or more disabilities with the same code."

    open_episodes = [e for e in child.episodes if e.closed is None and not e.nfa]
    if len(open_episodes) > 1:
        yield "8815", "More than one open CIN episode (no closure date) for this child."
    open_cpps = [p for e in child.episodes for p in e.cp_plans if p.ended is None]
    if len(open_cpps) > 1:
        yield "8935", "More than one open child protection plan (no end date)."
    open_cin_plans = [p for e in child.episodes for p in e.cin_plans if p.ended is None]
    if len(open_cin_plans) > 1:
        yield "4004", "More than one open child in need plan (no end date)."

    for episode in child.episodes:
        when = f"(referral of {episode.referred:%-d %b %Y})"
        if episode.source not in spec.referral_sources:
            yield "8866", f"Source of referral missing or invalid {when}."
        if not episode.nfa and episode.primary_need not in spec.primary_needs:
            yield "8610", f"Primary need code missing or invalid (further action) {when}."
        # Closure coherence.
        if episode.closed and not episode.closure_reason:
            yield "8805", f"A closure date without a reason for closure {when}."
        if episode.closure_reason and not episode.closed:
            yield "8810", f"A reason for closure without a closure date {when}."
        if episode.closure_reason and episode.closure_reason not in spec.closure_reasons:
            yield "8640", f"Reason for closure invalid {when}."
        if episode.closed and episode.closed < episode.referred:
            yield "8630", f"The closure date is before the referral date {when}."
        if episode.closed:
            if any(a.authorised is None for a in episode.assessments):
                yield "8867", f"The episode is closed but an assessment is not authorised {when}."
            if any(s.icpc is None and not s.icpc_not_required for s in episode.section47s):
                yield (
                    "8868",
                    (
                        f"The episode is closed but a section 47 enquiry has neither an initial "
                        f"conference nor 'conference not required' {when}."
                    ),
                )
            activity = (
                [a.started for a in episode.assessments]
                + [a.authorised for a in episode.assessments if a.authorised]
                + [s.started for s in episode.section47s]
                + [s.icpc for s in episode.section47s if s.icpc]
                + [p.started for p in episode.cin_plans]
                + [p.ended for p in episode.cin_plans if p.ended]
                + [p.ended for p in episode.cp_plans if p.ended]
            )
            if any(day > episode.closed for day in activity):
                yield "8565", f"Activity is recorded after the episode was closed {when}."
        if episode.closure_reason in ("RC8", "RC9") and not episode.assessments:
            yield "8825Q", f"Closed as after assessment (RC8/RC9) but no assessment {when}."
        if (
            len(episode.assessments) == 1
            and "21" in episode.assessments[0].factors
            and episode.closure_reason not in ("RC8", "RC9")
        ):
            yield (
                "8873Q",
                (
                    f"The only assessment found no factors (21), but the episode is not closed as "
                    f"after assessment (RC8 or RC9) {when}."
                ),
            )
        if episode.nfa and (episode.assessments or episode.section47s):
            yield "8831", f"Activity is recorded against a referral with no further action {when}."
        if episode.nfa and episode.cp_plans:
            yield "8832", f"Child protection details for a referral with no further action {when}."

        for assessment in episode.assessments:
            started = f"(assessment started {assessment.started:%-d %b %Y})"
            if assessment.started < episode.referred:
                yield "1103", f"The assessment starts before the referral date {started}."
            if "21" in assessment.factors and len(assessment.factors) > 1:
                yield "8869", f"Factor 21 (no factors) is used with other factors {started}."
            if len(set(assessment.factors)) < len(assessment.factors):
                yield "8898", f"The same assessment factor is recorded twice {started}."
            if set(assessment.factors) - spec.assessment_factors:
                bad = ", ".join(sorted(set(assessment.factors) - spec.assessment_factors))
                yield "8898", f"Assessment factors not in the code set: {bad} {started}."
            if assessment.authorised and not assessment.factors:
                yield "8897Q", f"An authorised assessment has no factors {started}."
            if (
                assessment.authorised is None
                and working_days_between(assessment.started, ref, calendar=calendar)
                > ASSESSMENT_WORKING_DAYS
            ):
                yield (
                    "8670Q",
                    (
                        f"The assessment started more than {ASSESSMENT_WORKING_DAYS} working days "
                        f"before the census date and is not authorised {started}."
                    ),
                )

        icpc_dates = [s.icpc for s in episode.section47s if s.icpc]
        for enquiry in episode.section47s:
            started = f"(section 47 enquiry started {enquiry.started:%-d %b %Y})"
            if enquiry.started < episode.referred:
                yield "2889", f"The section 47 enquiry starts before the referral {started}."
            if enquiry.icpc and enquiry.icpc < enquiry.started:
                yield "8615", f"The initial conference is before the enquiry started {started}."
            if enquiry.icpc and enquiry.icpc.weekday() >= 5:
                yield "8875", f"The initial conference date is a weekend {started}."
            if (
                enquiry.icpc is None
                and not enquiry.icpc_not_required
                and working_days_between(enquiry.started, ref, calendar=calendar) > S47_WORKING_DAYS
            ):
                yield (
                    "8675Q",
                    (
                        f"The section 47 enquiry started more than {S47_WORKING_DAYS} working days "
                        f"before the census date and has no initial conference {started}."
                    ),
                )

        for plan in episode.cp_plans:
            started = f"(child protection plan from {plan.started:%-d %b %Y})"
            if plan.started >= start and plan.started not in icpc_dates:
                yield (
                    "2885",
                    (
                        f"The child protection plan does not start on the day of an initial "
                        f"conference {started}."
                    ),
                )
            if plan.started < episode.referred:
                yield "1105", f"The plan starts before the referral date {started}."
            if plan.ended and plan.ended == plan.started:
                yield "8840", f"The plan starts and ends on the same day {started}."
            if plan.ended and plan.ended < plan.started:
                yield "8925", f"The plan ends before it starts {started}."
            if any(day <= plan.started for day in plan.reviews):
                yield "8841", f"A review is on or before the plan's start {started}."
            if plan.initial_category not in spec.abuse_categories:
                yield "8905", f"Initial category of abuse invalid {started}."
            if plan.latest_category not in spec.abuse_categories:
                yield "8910", f"Latest category of abuse invalid {started}."
            for cin_plan in episode.cin_plans:
                if _overlap(plan.started, plan.ended, cin_plan.started, cin_plan.ended):
                    yield (
                        "4001",
                        (
                            f"A child in need plan from {cin_plan.started:%-d %b %Y} runs at the "
                            f"same time as the child protection plan {started}."
                        ),
                    )
        if episode.nfa and episode.cin_plans:
            yield "4000", f"Child in need plan for a referral with no further action {when}."
        for cin_plan in episode.cin_plans:
            if cin_plan.started < episode.referred:
                yield (
                    "4015",
                    (
                        f"The child in need plan from {cin_plan.started:%-d %b %Y} starts before "
                        f"the referral {when}."
                    ),
                )


def _overlap(a_start, a_end, b_start, b_end) -> bool:
    far = datetime.date.max
    # A plan ending on the day the other starts is a step up or down, not an overlap.
    return a_start < (b_end or far) and b_start < (a_end or far)


def _upn_failures(child: CensusChild, seen_upns):
    upn = child.upn
    if not upn:
        if not child.upn_unknown:
            yield (
                "8770Q",
                (
                    "UPN missing for a child of school age: record the UPN, or the reason it is "
                    "not known."
                ),
            )
        return
    if len(upn) != 13:
        yield "1540", "UPN invalid: it must be 13 characters."
        return
    if not upn[4:12].isdigit():
        yield "1540", "UPN invalid (characters 5-12 not all numeric)."
    if upn[1:4] not in UPN_LA_CODES:
        yield "1530", "UPN invalid (characters 2-4 not a recognised LA code)."
    if not (upn[12].isdigit() or upn[12] in UPN_LAST_LETTERS):
        yield "1550", "UPN invalid (character 13 not a recognised value)."
    expected = upn_check_letter(upn)
    if expected is not None and upn[0] != expected:
        yield "1510", "UPN invalid (wrong check letter at character 1)."
    if seen_upns.get(upn, 0) > 1:
        yield "1520", "More than one child record with the same UPN."
