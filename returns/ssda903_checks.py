"""Checking an SSDA903 return before it is sent: the DfE rules that a worker can fix in the
record, each failure naming the child so the report links to where it is corrected.

Rule numbers and wording from the DfE 2025-26 SSDA903 validation rules as listed in
shared/data/statutory/ssda903/d2i_903_2025_26_rule_info.csv (csc-validator-be-903, ruleset
lac2025_26). Not every DfE rule is here: the rules that need last year's return, Ofsted's
provider lists or postcode look-ups are left to the independent validator, which remains the
full check before submission (docs/returns.md).
"""

from __future__ import annotations

import datetime

from returns.ssda903 import ADOPTED, PLACED_FOR_ADOPTION, SHORT_BREAKS, LacReturn
from returns.validation import Failure

# Placements a provider code may not go with (rules 527-531 and 550).
PROVIDER_EXCLUDES = {
    "PR1": {"P1", "R2", "R5"},
    "PR2": {"P1", "R2", "R5"},
    "PR3": {"P1", "A3", "A4", "A5", "A6", "K1", "K2", "U1", "U2", "U3", "U4", "U5", "U6"},
    "PR4": {"P1"},
    "PR5": {"P1"},
}
PROVIDER_RULES = {"PR1": "527", "PR2": "528", "PR3": "529", "PR4": "530", "PR5": "531"}
TEMPORARY = frozenset({"T0", "T1", "T2", "T3", "T4"})


def _date(text: str) -> datetime.date | None:
    if not text:
        return None
    day, month, year = (int(part) for part in text.split("/"))
    return datetime.date(year, month, day)


def _birthday(birth: datetime.date, age: int) -> datetime.date:
    try:
        return birth.replace(year=birth.year + age)
    except ValueError:  # 29 February
        return datetime.date(birth.year + age, 3, 1)


def validate_return(result: LacReturn) -> list[Failure]:
    spec = result.spec
    failures = []
    for child in result.children:

        def fail(rule, message, child=child):
            failures.append(Failure(rule, message, child))

        header = child.rows["header"][0]
        if header["SEX"] not in {"M", "F", "U"}:
            fail("101", "Record the child's sex.")
        elif header["SEX"] == "U":
            fail("232", "The child's sex is recorded as unknown: check it.")
        if child.birth_date is None:
            fail("102", "Record the child's date of birth.")
        if header["ETHNIC"] not in spec.ethnicity_codes:
            fail("103", "Record the child's ethnicity.")
        if not header["UPN"]:
            fail("442", "A child of school age needs a unique pupil number (UPN).")

        episodes = child.rows["episodes"]
        for number, row in enumerate(episodes):
            following = episodes[number + 1] if number + 1 < len(episodes) else None
            where = f"Episode from {row['DECOM']}:"
            if row["RNE"] not in spec.reasons_new_episode:
                fail("143", f"{where} the reason for the new episode is missing or not valid.")
            if row["LS"] not in spec.legal_statuses:
                fail("144", f"{where} the legal status is not valid.")
            if row["CIN"] not in spec.categories_of_need:
                fail("145", f"{where} record the category of need (N1 to N8).")
            if row["PLACE"] not in spec.placements:
                fail("146", f"{where} the placement type is not valid for {spec.label}.")
            if row["REC"] and row["REC"] not in spec.reasons_ceased:
                fail("149", f"{where} the reason the episode ceased is not valid.")
            provider = row["PLACE_PROVIDER"]
            if not provider:
                fail("526", f"{where} record the placement provider.")
            elif row["PLACE"] in PROVIDER_EXCLUDES.get(provider, set()):
                fail(
                    PROVIDER_RULES[provider],
                    f"{where} placement provider {provider} can't provide a {row['PLACE']} "
                    "placement.",
                )
            elif provider == "PR0" and row["PLACE"] != "P1":
                fail("550", f"{where} PR0 (parents) goes only with placement P1.")
            if row["LS"] not in SHORT_BREAKS and not row["PL_POST"]:
                fail("169", f"{where} record the placement's postcode.")
            if row["PLACE"] in spec.no_urn_placements:
                if row["URN"] and row["URN"] != "XXXXXXX":
                    fail("222", f"{where} a {row['PLACE']} placement has no Ofsted URN.")
            elif not row["URN"]:
                fail("218", f"{where} record the placement's Ofsted URN.")
            if (
                following is not None
                and row["REC"] == "X1"
                and following["RNE"] in {"P", "B", "T", "U"}
                and not row["REASON_PLACE_CHANGE"]
                and row["PLACE"] not in TEMPORARY
                and following["PLACE"] not in TEMPORARY
            ):
                fail("225", f"{where} record the reason the placement changed.")
            if number == 0 and row["RNE"] != "S" and _date(row["DECOM"]) >= spec.start_date:
                fail("357", f"{where} the child's first episode starts a period of care (S).")
            if row["REC"] in ADOPTED and not child.rows["ad1"]:
                fail("601", "The child was adopted in the year: record the adoption details.")
            if row["PLACE"] in PLACED_FOR_ADOPTION and not child.rows["placed_for_adoption"]:
                fail(
                    "551",
                    f"{where} placed for adoption: record the decision that the child should "
                    "be placed for adoption.",
                )
        for row in child.rows["previous_permanence"]:
            if not row["PREV_PERM"]:
                fail("630", "Record the child's previous permanence option (or Z1 for none).")

        for row in child.rows["reviews"]:
            if row["REVIEW_CODE"] not in spec.review_codes:
                fail("167", f"Review on {row['REVIEW']}: record how the child took part.")
            elif child.birth_date is not None:
                under_four = _date(row["REVIEW"]) < _birthday(child.birth_date, 4)
                if under_four != (row["REVIEW_CODE"] == "PN0"):
                    fail(
                        "440" if row["REVIEW_CODE"] == "PN0" else "441",
                        f"Review on {row['REVIEW']}: PN0 is the code for, and only for, a child "
                        "under 4 at the review.",
                    )
        if child.continuously_12_months and not child.rows["oc2"]:
            fail(
                "191",
                "Looked after for 12 months at 31 March: record the child's outcomes (OC2) "
                f"for {spec.label}.",
            )
        if child.looked_after_at_year_end:
            open_worker = any(not r["SW_DEC"] for r in child.rows["sw_episodes"])
            if not open_worker:
                fail("SW17STG2", "No social worker is allocated to the child at 31 March.")
    return failures
