"""The SSDA903 children looked after return, built from the process records.

Pure, like the CIN census: `build_return` takes the records already selected
(`returns.selectors.looked_after_records`, a fixed handful of bulk queries) and a year's
`LacSpec`, and returns a `LacReturn` holding one list of rows per CSV file; `csv_files` and
`zip_bytes` write them. Nothing here touches the database.

Who is in the return (DfE guide 2025-26, statutory-data.md §2): every child looked after at any
point in the collection year, 1 April to 31 March, and every care leaver with a care leaver
record (OC3) for the year. Each table holds:

- Episodes: every episode open at some point in the year; an end after 31 March is left out,
  as it had not happened at the end of the year.
- Reviews and Missing: those in the year (a missing period that started earlier but was still
  open on 1 April too); Placed for adoption: decisions open at some point in the year.
- UASC: children recorded as unaccompanied asylum-seeking, with the date the status ceased (or
  their 18th birthday, when it will); their episodes carry no home postcode (rule 406).
- OC2: outcomes recorded for children looked after continuously for 12 months at 31 March.
- AD1: adoptions of children whose episode ended in the year with adoption (E11, E12).
- Previous permanence: for children who started a period of care in the year.
- Social worker episodes: the allocations of the child's looked-after case(s) open at some point
  in the year. SW_ID is "SW" and the worker's number in Threefold (Threefold does not hold Social
  Work England registration numbers); SW_REASON is FCONTA for the case's first allocation, else
  the change reason code at the start of the allocation's reason, else OTHERS. An episode ends
  only when another worker takes over: the last one stays open.

Where an episode recorded before these fields were asked has no reason for new episode or
category of need, they are worked out: S when no episode ended that day with X1, else L, P or U
from what changed; the category of need of the period's first episode, or the child's referral.
"""

from __future__ import annotations

import csv
import datetime
import io
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field

from process.models import reason_for_new_episode
from returns.spec import LacSpec

ADOPTED = frozenset({"E11", "E12"})
PLACED_FOR_ADOPTION = frozenset({"A3", "A4", "A5", "A6"})
SHORT_BREAKS = frozenset({"V3", "V4"})


@dataclass
class LacChild:
    person_id: int
    case_id: int  # the case of the child's latest episode: where its records are corrected
    name: str
    la_child_id: str
    birth_date: datetime.date | None
    sex: str
    school_age: bool
    looked_after_at_year_end: bool = False
    continuously_12_months: bool = False
    rows: dict = field(default_factory=lambda: defaultdict(list))


@dataclass
class LacReturn:
    spec: LacSpec
    children: list[LacChild]

    def rows(self, table: str) -> list[dict]:
        return [row for child in self.children for row in child.rows[table]]

    @property
    def counts(self) -> dict:
        return {table: len(self.rows(table)) for table in self.spec.tables}


@dataclass
class LacRecords:
    """What `returns.selectors.looked_after_records` selected: model instances, read only."""

    episodes: list  # every LookedAfterEpisode of the children, with child
    referrals: list  # the children's referrals, for a missing category of need
    reviews: list
    uasc: list
    missing: list
    adoption_decisions: list
    adoptions: list
    outcomes: list  # LookedAfterOutcomes for the year
    care_leavers: list  # CareLeaverContact for the year, with child
    allocations: list  # people.Allocation of the children's looked-after cases
    first_child_births: dict = field(default_factory=dict)  # mother id -> first child's DOB


def _school_age(birth: datetime.date | None, spec: LacSpec) -> bool:
    # Of school age at 31 March when born on or before 31 August six years earlier.
    return birth is not None and birth <= datetime.date(spec.end_year - 6, 8, 31)


def reason_new_episode(episode, previous) -> str:
    """The recorded reason, else what the record shows changed."""
    return episode.reason_new_episode or reason_for_new_episode(episode, previous)


def _in_year(start, end, spec) -> bool:
    return start <= spec.reference_date and (end is None or end >= spec.start_date)


def eighteenth_birthday(birth: datetime.date) -> datetime.date:
    try:
        return birth.replace(year=birth.year + 18)
    except ValueError:  # 29 February
        return datetime.date(birth.year + 18, 3, 1)


def build_return(*, spec: LacSpec, records: LacRecords) -> LacReturn:
    start, end = spec.start_date, spec.reference_date

    def day(value):
        return value.strftime(spec.date_format) if value is not None else ""

    def by_child(items):
        grouped = defaultdict(list)
        for item in items:
            grouped[item.child_id].append(item)
        return grouped

    def yes_no(value):
        return "" if value is None else ("1" if value else "0")

    episodes_of = by_child(sorted(records.episodes, key=lambda e: (e.started_on, e.pk)))
    referrals_of = by_child(sorted(records.referrals, key=lambda r: (r.received_on, r.pk)))
    reviews_of = by_child(sorted(records.reviews, key=lambda r: (r.held_on, r.pk)))
    missing_of = by_child(sorted(records.missing, key=lambda m: (m.started_on, m.pk)))
    decisions_of = by_child(sorted(records.adoption_decisions, key=lambda d: (d.decided_on, d.pk)))
    uasc_of = {status.child_id: status for status in records.uasc}
    adoption_of = {adoption.child_id: adoption for adoption in records.adoptions}
    outcomes_of = {o.child_id: o for o in records.outcomes}
    leaver_of = {c.child_id: c for c in records.care_leavers}
    allocations_of_case = defaultdict(list)
    for allocation in sorted(records.allocations, key=lambda a: (a.started_on, a.pk)):
        allocations_of_case[allocation.case_id].append(allocation)

    people = {e.child_id: e.child for e in records.episodes}
    people.update({c.child_id: c.child for c in records.care_leavers})
    children = []
    for child_id, person in people.items():
        episodes = episodes_of.get(child_id, [])
        in_year = [e for e in episodes if _in_year(e.started_on, e.ended_on, spec)]
        leaver = leaver_of.get(child_id)
        if not in_year and leaver is None:
            continue
        birth = person.date_of_birth
        child = LacChild(
            person_id=person.pk,
            case_id=(in_year or episodes or [leaver])[-1].case_id,
            name=person.display_name,
            la_child_id=str(person.pk),
            birth_date=birth,
            sex=spec.sex_codes.get(person.sex, person.sex),
            school_age=_school_age(birth, spec),
        )
        dob = day(birth)
        rows = child.rows

        # Episodes, with the period of care each belongs to.
        previous, period_start, period_need = None, None, ""
        starts_in_year = []
        for episode in episodes:
            continues = (
                previous is not None
                and previous.reason_ceased == "X1"
                and previous.ended_on == episode.started_on
            )
            rne = reason_new_episode(episode, previous if continues else None)
            if not continues:
                period_start, period_need = episode, ""
            if rne == "S" and start <= episode.started_on <= end:
                starts_in_year.append(episode)
            need = episode.category_of_need or period_need
            if not need:
                referral = [r for r in referrals_of.get(child_id, []) if r.received_on <= end]
                if referral and referral[-1].primary_need in spec.categories_of_need:
                    need = referral[-1].primary_need
            period_need = period_need or need
            previous = episode
            if episode not in in_year:
                continue
            ended = episode.ended_on is not None and episode.ended_on <= end
            rows["episodes"].append(
                {
                    "CHILD": child.la_child_id,
                    "DECOM": day(episode.started_on),
                    "RNE": rne,
                    "LS": episode.legal_status,
                    "CIN": need,
                    "PLACE": episode.placement,
                    "PLACE_PROVIDER": episode.placement_provider,
                    "DEC": day(episode.ended_on) if ended else "",
                    "REC": episode.reason_ceased if ended else "",
                    "REASON_PLACE_CHANGE": episode.reason_placement_change if ended else "",
                    # No home distance for an asylum-seeking child (rule 406).
                    "HOME_POST": "" if child_id in uasc_of else episode.home_postcode.upper(),
                    "PL_POST": episode.placement_postcode.upper(),
                    "URN": episode.urn.upper(),
                }
            )
            if not ended:
                child.looked_after_at_year_end = True
                child.continuously_12_months = period_start.started_on <= start and not any(
                    e.legal_status in SHORT_BREAKS for e in in_year
                )

        mother, first_birth = "", None
        if person.sex == "F" and in_year:
            first_birth = records.first_child_births.get(child_id)
            mother = "1" if first_birth else "0"
        upn = person.upn.strip().upper() or ("" if child.school_age else "UN1")
        rows["header"].append(
            {
                "CHILD": child.la_child_id,
                "SEX": child.sex,
                "DOB": dob,
                "ETHNIC": person.ethnicity,
                "UPN": upn,
                "MOTHER": mother,
                "MC_DOB": day(first_birth),
            }
        )
        for review in reviews_of.get(child_id, []):
            if start <= review.held_on <= end:
                rows["reviews"].append(
                    {
                        "CHILD": child.la_child_id,
                        "DOB": dob,
                        "REVIEW": day(review.held_on),
                        "REVIEW_CODE": review.participation,
                    }
                )
        if (status := uasc_of.get(child_id)) is not None and birth is not None:
            rows["uasc"].append(
                {
                    "CHILD": child.la_child_id,
                    "SEX": child.sex,
                    "DOB": dob,
                    "DUC": day(status.ceased_on or eighteenth_birthday(birth)),
                }
            )
        if child.continuously_12_months and (outcome := outcomes_of.get(child_id)):
            rows["oc2"].append(
                {
                    "CHILD": child.la_child_id,
                    "DOB": dob,
                    "SDQ_SCORE": "" if outcome.sdq_score is None else str(outcome.sdq_score),
                    "SDQ_REASON": outcome.sdq_reason,
                    "CONVICTED": yes_no(outcome.convicted),
                    "HEALTH_CHECK": yes_no(outcome.health_check),
                    "IMMUNISATIONS": yes_no(outcome.immunisations),
                    "TEETH_CHECK": yes_no(outcome.teeth_check),
                    "HEALTH_ASSESSMENT": yes_no(outcome.health_assessment),
                    "SUBSTANCE_MISUSE": yes_no(outcome.substance_misuse),
                    "INTERVENTION_RECEIVED": yes_no(outcome.intervention_received),
                    "INTERVENTION_OFFERED": yes_no(outcome.intervention_offered),
                }
            )
        if leaver is not None:
            rows["oc3"].append(
                {
                    "CHILD": child.la_child_id,
                    "DOB": dob,
                    "IN_TOUCH": leaver.in_touch,
                    "ACTIV": leaver.activity,
                    "ACCOM": leaver.accommodation,
                }
            )
        adopted_in_year = any(
            e.reason_ceased in ADOPTED and e.ended_on and start <= e.ended_on <= end
            for e in in_year
        )
        if adopted_in_year and (adoption := adoption_of.get(child_id)):
            rows["ad1"].append(
                {
                    "CHILD": child.la_child_id,
                    "DOB": dob,
                    "DATE_INT": day(adoption.best_interests_on),
                    "DATE_MATCH": day(adoption.matched_on),
                    "FOSTER_CARE": yes_no(adoption.by_foster_carers),
                    "NB_ADOPTR": str(adoption.adopters),
                    "SEX_ADOPTR": adoption.adopters_sex,
                    "LS_ADOPTR": adoption.adopters_legal_status,
                }
            )
        for decision in decisions_of.get(child_id, []):
            if _in_year(decision.decided_on, decision.reversed_on, spec):
                reversed_in_year = decision.reversed_on is not None and decision.reversed_on <= end
                rows["placed_for_adoption"].append(
                    {
                        "CHILD": child.la_child_id,
                        "DOB": dob,
                        "DATE_PLACED": day(decision.decided_on),
                        "DATE_PLACED_CEASED": day(decision.reversed_on) if reversed_in_year else "",
                        "REASON_PLACED_CEASED": decision.reversal_reason
                        if reversed_in_year
                        else "",
                    }
                )
        if starts_in_year:
            latest = starts_in_year[-1]
            rows["previous_permanence"].append(
                {
                    "CHILD": child.la_child_id,
                    "DOB": dob,
                    "PREV_PERM": latest.previous_permanence,
                    "LA_PERM": latest.previous_permanence_la,
                    "DATE_PERM": day(latest.previous_permanence_on),
                }
            )
        for missing in missing_of.get(child_id, []):
            if _in_year(missing.started_on, missing.ended_on, spec):
                back = missing.ended_on is not None and missing.ended_on <= end
                rows["missing"].append(
                    {
                        "CHILD": child.la_child_id,
                        "DOB": dob,
                        "MISSING": missing.kind,
                        "MIS_START": day(missing.started_on),
                        "MIS_END": day(missing.ended_on) if back else "",
                    }
                )
        rows["sw_episodes"].extend(
            _social_worker_rows(child, dob, episodes, allocations_of_case, spec, day)
        )
        children.append(child)
    children.sort(key=lambda c: int(c.la_child_id))
    return LacReturn(spec=spec, children=children)


def _social_worker_rows(child, dob, episodes, allocations_of_case, spec, day) -> list[dict]:
    """The allocations of the child's looked-after cases open in the year. A social worker
    episode ends when another worker takes over (SW_DEC, and the next one's reason): the last
    stays open even when the case closed (rules SW11bSTG2 and SW17STG2)."""
    rows = []
    for case_id in dict.fromkeys(e.case_id for e in episodes):
        allocations = [
            a for a in allocations_of_case.get(case_id, []) if a.started_on <= spec.reference_date
        ]
        for number, allocation in enumerate(allocations):
            if not _in_year(allocation.started_on, allocation.ended_on, spec):
                continue
            handed_over = number + 1 < len(allocations) and allocation.ended_on is not None
            code = (allocation.reason or "").strip()[:6].upper()
            reason = "FCONTA" if number == 0 else (code if code in spec.sw_reasons else "OTHERS")
            rows.append(
                {
                    "CHILD": child.la_child_id,
                    "DOB": dob,
                    "SW_ID": f"SW{allocation.worker_id:06d}",
                    "SW_DECOM": day(allocation.started_on),
                    "SW_DEC": day(allocation.ended_on) if handed_over else "",
                    "SW_REASON": reason,
                }
            )
    return rows


# Writing the files ---------------------------------------------------------------------------


def csv_files(result: LacReturn) -> dict[str, bytes]:
    """Each table as its CSV file, headers in the DfE order, even when it has no rows."""
    files = {}
    for table, (name, columns) in result.spec.tables.items():
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(result.rows(table))
        files[name] = out.getvalue().encode("utf-8")
    return files


def zip_bytes(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()
