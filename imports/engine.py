"""Check and write one import file, a chunk of rows at a time.

Every row is checked field by field (required, length, date, code list), then against the
records it names (the legacy IDs of people, cases, referrals and enquiries imported before, from
the same source system and agency only), then against the rules the process services keep
(`process.services`): dates not in the future and in order, a child named on a case must be a
child in it, one open plan or episode per child, an assessment follows a referral decided for
assessment, a plan follows a section 47 enquiry that called for a conference. Each problem is
kept as (row, field, value, reason).

Memory stays flat: rows are read one at a time and handled in chunks; what must be remembered
across the whole file (which legacy IDs were seen on which row, which child has an open plan,
which cases changed) goes to a scratch SQLite file on disk, not into Python objects.

Writing uses bulk inserts (COPY on PostgreSQL, `core.bulk`) and updates per chunk, with the
records' history rows; the caller holds one transaction around the whole file."""

import contextlib
import datetime
import hashlib
import sqlite3
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection
from django.db.models import Min
from django.utils import timezone

from core.bulk import insert_objects, insert_rows
from imports import columns as c
from imports.models import ImportedRecord, ImportKind
from people.models import Case, CaseMember, Person
from process.codes import AssessmentFactor
from process.models import (
    Assessment,
    ChildInNeedPlan,
    ChildProtectionPlan,
    Conference,
    LookedAfterEpisode,
    Referral,
    Section47Enquiry,
    StrategyDiscussion,
)

CHUNK_SIZE = 2000

RECORD_NAMES = {
    ImportKind.PEOPLE: "person",
    ImportKind.CASES: "case",
    ImportKind.REFERRALS: "referral",
    ImportKind.SECTION47S: "section 47 enquiry",
}


@dataclass(frozen=True)
class Problem:
    row: int
    field: str
    value: str
    reason: str

    def as_dict(self) -> dict:
        return {"row": self.row, "field": self.field, "value": self.value, "reason": self.reason}


@dataclass
class Row:
    number: int
    cells: dict[str, str]
    values: dict = field(default_factory=dict)
    refs: dict = field(default_factory=dict)  # column name -> primary key it resolved to
    external_id: str = ""
    fingerprint: str = ""
    existing: tuple | None = None  # (object_id, fingerprint, run_id) from an earlier import
    problems: list[Problem] = field(default_factory=list)

    def problem(self, column: str, reason: str) -> None:
        self.problems.append(Problem(self.number, column, self.cells.get(column, ""), reason))


def _day(day: datetime.date) -> str:
    return f"{day:%-d %B %Y}"


def parse_date(text: str) -> datetime.date:
    if len(text) > 10 and text[10] in "T ":
        text = text[:10]
    if len(text) == 10 and text[2] == "/" and text[5] == "/":
        return datetime.date(int(text[6:]), int(text[3:5]), int(text[:2]))
    if len(text) == 10 and text[4] == "-":
        return datetime.date.fromisoformat(text)
    raise ValueError(text)


def nhs_number_valid(number: str) -> bool:
    """The NHS number's modulus 11 check digit (NHS Data Dictionary, 'NHS number')."""
    if len(number) != 10 or not number.isdigit():
        return False
    total = sum(
        int(digit) * weight for digit, weight in zip(number[:9], range(10, 1, -1), strict=True)
    )
    check = 11 - total % 11
    return check != 10 and (check % 11) == int(number[9])


class Scratch:
    """What the whole file must remember, on disk: claims of a key (a legacy ID, a child's open
    plan, a case reference) by an owner, and the cases a write touched."""

    def __init__(self):
        self._dir = tempfile.TemporaryDirectory(prefix="threefold-import-")
        self.db = sqlite3.connect(Path(self._dir.name) / "scratch.sqlite3")
        self.db.execute("PRAGMA journal_mode=OFF")
        self.db.execute("PRAGMA synchronous=OFF")
        self.db.execute(
            "CREATE TABLE claims (ns TEXT, key TEXT, row INTEGER, owner TEXT, "
            "PRIMARY KEY (ns, key)) WITHOUT ROWID"
        )
        self.db.execute("CREATE TABLE cases (id INTEGER PRIMARY KEY)")

    def claim(self, ns: str, items: list[tuple[str, int, str]]) -> dict[int, int]:
        """Claim each (key, row, owner) in order. Returns, for each item whose key an earlier
        row claimed for another owner, item index -> that earlier row."""
        if not items:
            return {}
        keys = list({key for key, _, _ in items})
        earlier = {}
        for start in range(0, len(keys), 900):
            part = keys[start : start + 900]
            marks = ",".join("?" * len(part))
            earlier.update(
                (key, (row, owner))
                for key, row, owner in self.db.execute(
                    f"SELECT key, row, owner FROM claims WHERE ns = ? AND key IN ({marks})",  # noqa: S608
                    [ns, *part],
                )
            )
        conflicts, new = {}, []
        for index, (key, row, owner) in enumerate(items):
            if key in earlier:
                if earlier[key][1] != owner:
                    conflicts[index] = earlier[key][0]
                continue
            earlier[key] = (row, owner)
            new.append((ns, key, row, owner))
        self.db.executemany("INSERT INTO claims VALUES (?, ?, ?, ?)", new)
        return conflicts

    def touch_cases(self, case_ids) -> None:
        self.db.executemany(
            "INSERT OR IGNORE INTO cases VALUES (?)", [(case_id,) for case_id in case_ids]
        )

    def touched_cases(self):
        cursor = self.db.execute("SELECT id FROM cases ORDER BY id")
        while batch := cursor.fetchmany(500):
            yield [case_id for (case_id,) in batch]

    def close(self) -> None:
        self.db.close()
        self._dir.cleanup()


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


class Layout:
    """One kind of file: its columns, its checks and how its rows become records."""

    kind: str = ""
    model = None
    repeatable = False  # whether one legacy ID may stand on several rows (cases: one per member)
    fingerprint_columns: tuple[str, ...] = ()
    is_process = True

    def __init__(self, importer: "Importer"):
        self.importer = importer
        self.columns = c.COLUMNS[self.kind]
        self.id_column = self.columns[0].name

    # Checks ------------------------------------------------------------------------------

    def load(self, rows: list[Row]) -> None:
        """Read, in a fixed number of queries, what the rules below need for this chunk."""

    def rules(self, row: Row) -> None:
        """Add the row's problems that need more than one field or the database."""

    def claims(self, rows: list[Row]) -> None:
        """Claims across the whole file, such as one open plan per child."""

    # Writes ------------------------------------------------------------------------------

    def fields(self, row: Row) -> dict:
        raise NotImplementedError

    def create(self, rows: list[Row]) -> list[int]:
        """Insert a record for each row (no model instances: a file may hold a million);
        returns their primary keys in order."""
        return self.importer.insert(self.model, [self.fields(row) for row in rows])

    def update(self, rows: list[Row]) -> None:
        by_pk = self.model.objects.in_bulk([row.existing[0] for row in rows])
        objects = []
        for row in rows:
            obj = by_pk[row.existing[0]]
            for name, value in self.fields(row).items():
                setattr(obj, name, value)
            objects.append(obj)
        self.importer.bulk_update(self.model, objects, list(self.fields(rows[0])))

    # Helpers shared by the process kinds -------------------------------------------------

    def _child_in_case(self, rows: list[Row]) -> None:
        pairs = {(row.refs.get("CaseID"), row.refs.get("LAchildID")) for row in rows}
        pairs.discard((None, None))
        self.members = set(
            CaseMember.objects.filter(
                case_id__any_of={case for case, _ in pairs},
                person_id__any_of={person for _, person in pairs},
                person__kind=Person.Kind.CHILD,
            ).values_list("case_id", "person_id")
        )

    def _check_child_in_case(self, row: Row) -> None:
        case_id, child_id = row.refs.get("CaseID"), row.refs.get("LAchildID")
        if case_id and child_id and (case_id, child_id) not in self.members:
            row.problem("LAchildID", "is not a child in that case (see the cases file)")

    def _ended_with_reason(self, row, start, end, reason) -> None:
        values = row.values
        if values[end] is None and values[reason]:
            row.problem(reason, f"needs {end} too: a reason is given only when it ended")
        if values[end] is not None and not values[reason]:
            row.problem(reason, f"is required when {end} is given")
        if values[end] is not None and values[start] and values[end] < values[start]:
            row.problem(end, f"is before {start} ({_day(values[start])})")

    def _one_open_per_child(self, rows, model, end, what) -> None:
        """One open plan or episode per child (the database's unique constraint), across the
        database and the file."""
        mine = {row.existing[0] for row in rows if row.existing}
        child_ids = {row.values["child_id"] for row in rows if not row.problems}
        open_elsewhere = dict(
            model.objects.filter(child_id__any_of=child_ids, ended_on__isnull=True)
            .exclude(pk__any_of=mine)
            .values_list("child_id", "pk")
        )
        open_rows = [row for row in rows if not row.problems and row.values[end] is None]
        for row in open_rows:
            if row.values["child_id"] in open_elsewhere:
                row.problem(self.id_column, f"the child already has an open {what} in Threefold")
        items = [(str(row.values["child_id"]), row.number, row.external_id) for row in open_rows]
        for index, earlier in self.importer.scratch.claim(f"open:{self.kind}", items).items():
            open_rows[index].problem(
                self.id_column, f"the child already has an open {what} on row {earlier}"
            )


class PeopleLayout(Layout):
    kind = ImportKind.PEOPLE
    model = Person
    is_process = False

    def rules(self, row):
        v = row.values
        if v["PersonBirthDate"] and v["ExpectedPersonBirthDate"]:
            row.problem("ExpectedPersonBirthDate", "give a date of birth or an expected one")
        if v["Disabilities"] and "NONE" in v["Disabilities"] and len(v["Disabilities"]) > 1:
            row.problem("Disabilities", "NONE can't be given with other codes")
        upn = v["UPN"]
        if upn and (len(upn) != 13 or not upn.isalnum()):
            row.problem("UPN", "is not 13 letters and digits")
        if v["NHSNumber"] and not nhs_number_valid(v["NHSNumber"]):
            row.problem("NHSNumber", "is not a valid NHS number (10 digits, check digit)")

    def fields(self, row):
        v = row.values
        return {
            "agency_id": self.importer.agency.pk,
            "kind": v["PersonType"],
            "given_name": v["GivenName"],
            "family_name": v["FamilyName"],
            "known_as": v["KnownAs"],
            "date_of_birth": v["PersonBirthDate"],
            "expected_date_of_birth": v["ExpectedPersonBirthDate"],
            "sex": v["Sex"] or "U",
            "ethnicity": v["Ethnicity"] or "NOBT",
            "disabilities": v["Disabilities"] or [],
            "upn": (v["UPN"] or "").upper(),
            "nhs_number": v["NHSNumber"],
        }


class CasesLayout(Layout):
    kind = ImportKind.CASES
    model = Case
    repeatable = True
    is_process = False
    fingerprint_columns = (
        "CaseID", "CaseReference", "CaseName", "Team", "Service", "CaseStatus",
        "CaseOpenedDate", "CaseClosedDate",
    )  # fmt: skip

    def load(self, rows):
        if not hasattr(self, "teams"):
            self.teams = dict(
                self.importer.agency.teams.values_list("name", "pk")
            )  # the agency's teams are few: read once per file
        self.references = dict(
            Case.objects.filter(
                agency=self.importer.agency,
                reference__any_of={row.values.get("CaseReference") for row in rows},
            ).values_list("reference", "pk")
        )

    def rules(self, row):
        v = row.values
        if v["Team"] not in self.teams:
            row.problem("Team", "is not the name of a team in this agency")
        closed = (v["CaseStatus"] or "open") == Case.Status.CLOSED
        if closed and v["CaseClosedDate"] is None:
            row.problem("CaseClosedDate", "is required for a closed case")
        if not closed and v["CaseClosedDate"] is not None:
            row.problem("CaseClosedDate", "must be empty for an open case")
        if v["CaseClosedDate"] and v["CaseClosedDate"] < v["CaseOpenedDate"]:
            row.problem("CaseClosedDate", f"is before CaseOpenedDate ({_day(v['CaseOpenedDate'])})")
        holder = self.references.get(v["CaseReference"])
        if holder is not None and (row.existing is None or row.existing[0] != holder):
            row.problem("CaseReference", "is already the reference of another case in Threefold")

    def claims(self, rows):
        rows = [row for row in rows if not row.problems]
        items = [(row.values["CaseReference"], row.number, row.external_id) for row in rows]
        for index, earlier in self.importer.scratch.claim("reference", items).items():
            rows[index].problem(
                "CaseReference", f"is the reference of another case on row {earlier}"
            )
        items = [(f"{row.external_id}|{row.refs['LAchildID']}", row.number, str(row.number))
                 for row in rows]  # fmt: skip
        for index, earlier in self.importer.scratch.claim("member", items).items():
            rows[index].problem("LAchildID", f"is already in this case on row {earlier}")

    def fields(self, row):
        v = row.values
        return {
            "agency_id": self.importer.agency.pk,
            "reference": v["CaseReference"],
            "name": v["CaseName"],
            "team_id": self.teams[v["Team"]],
            "service": v["Service"],
            "status": v["CaseStatus"] or Case.Status.OPEN,
            "opened_on": v["CaseOpenedDate"],
            "closed_on": v["CaseClosedDate"],
        }


class ReferralsLayout(Layout):
    kind = ImportKind.REFERRALS
    model = Referral

    def load(self, rows):
        self._child_in_case(rows)

    def rules(self, row):
        v = row.values
        self._check_child_in_case(row)
        if v["ReferralDecision"] and v["ReferralDecisionDate"] is None:
            row.problem("ReferralDecisionDate", "is required when ReferralDecision is given")
        if not v["ReferralDecision"] and v["ReferralDecisionDate"] is not None:
            row.problem("ReferralDecision", "is required when ReferralDecisionDate is given")
        decided, received = v["ReferralDecisionDate"], v["CINreferralDate"]
        if decided and received and decided < received:
            row.problem("ReferralDecisionDate", f"is before CINreferralDate ({_day(received)})")

    def fields(self, row):
        v = row.values
        return {
            **self.importer.process_base(row.refs["CaseID"]),
            "child_id": row.refs["LAchildID"],
            "received_on": v["CINreferralDate"],
            "source": v["ReferralSource"],
            "primary_need": v["PrimaryNeedCode"],
            "decision": v["ReferralDecision"],
            "decided_on": v["ReferralDecisionDate"],
            "summary": v["Summary"],
        }


class AssessmentsLayout(Layout):
    kind = ImportKind.ASSESSMENTS
    model = Assessment

    def load(self, rows):
        self.referrals = {
            r["pk"]: r
            for r in Referral.objects.filter(
                pk__any_of={row.refs.get("ReferralID") for row in rows}
            ).values("pk", "case_id", "child_id", "decision", "received_on")
        }

    def rules(self, row):
        v = row.values
        referral = self.referrals.get(row.refs.get("ReferralID"))
        if referral is not None:
            v["case_id"], v["child_id"] = referral["case_id"], referral["child_id"]
            if referral["decision"] != Referral.Decision.ASSESSMENT:
                row.problem("ReferralID", "that referral was not decided for assessment")
            if v["AssessmentActualStartDate"] < referral["received_on"]:
                row.problem(
                    "AssessmentActualStartDate",
                    f"is before the referral was received ({_day(referral['received_on'])})",
                )
        start, done = v["AssessmentActualStartDate"], v["AssessmentCompletedDate"]
        authorised = v["AssessmentAuthorisationDate"]
        if done and done < start:
            row.problem("AssessmentCompletedDate", f"is before the start ({_day(start)})")
        if authorised and not done:
            row.problem("AssessmentAuthorisationDate", "needs AssessmentCompletedDate too")
        if authorised and done and authorised < done:
            row.problem("AssessmentAuthorisationDate", f"is before completion ({_day(done)})")
        factors = v["FactorsIdentifiedAtAssessment"] or []
        if done and not v["AssessmentOutcome"]:
            row.problem("AssessmentOutcome", "is required once the assessment is completed")
        if done and not factors:
            row.problem(
                "FactorsIdentifiedAtAssessment",
                "is required once the assessment is completed (21 for none)",
            )
        # CIN census rule 8869.
        if AssessmentFactor.NO_FACTORS in factors and len(factors) > 1:
            row.problem(
                "FactorsIdentifiedAtAssessment", "21 (no factors) can't be given with others"
            )
        if not done and v["AssessmentOutcome"]:
            row.problem("AssessmentOutcome", "needs AssessmentCompletedDate too")

    def fields(self, row):
        v = row.values
        return {
            **self.importer.process_base(v["case_id"]),
            "child_id": v["child_id"],
            "referral_id": row.refs["ReferralID"],
            "started_on": v["AssessmentActualStartDate"],
            "completed_on": v["AssessmentCompletedDate"],
            "authorised_on": v["AssessmentAuthorisationDate"],
            "factors": sorted(v["FactorsIdentifiedAtAssessment"] or []),
            "outcome": v["AssessmentOutcome"],
            "summary": v["Summary"],
        }


class Section47sLayout(Layout):
    kind = ImportKind.SECTION47S
    model = Section47Enquiry

    def load(self, rows):
        self._child_in_case(rows)

    def rules(self, row):
        v = row.values
        self._check_child_in_case(row)
        held, start = v["StrategyDiscussionInitiatingSection47Date"], v["S47ActualStartDate"]
        done = v["S47CompletedDate"]
        if held and start and start < held:
            row.problem("S47ActualStartDate", f"is before the strategy discussion ({_day(held)})")
        if done and start and done < start:
            row.problem("S47CompletedDate", f"is before the start ({_day(start)})")
        if done and not v["S47Outcome"]:
            row.problem("S47Outcome", "is required once the enquiry is completed")
        if not done and v["S47Outcome"]:
            row.problem("S47Outcome", "needs S47CompletedDate too")

    def fields(self, row):
        v = row.values
        return {
            **self.importer.process_base(row.refs["CaseID"]),
            "child_id": row.refs["LAchildID"],
            "started_on": v["S47ActualStartDate"],
            "completed_on": v["S47CompletedDate"],
            "outcome": v["S47Outcome"],
            "conference_needed": (
                v["S47Outcome"] == Section47Enquiry.Outcome.CONFERENCE if v["S47Outcome"] else None
            ),
        }

    def _discussion(self, row) -> dict:
        return {
            **self.importer.process_base(row.refs["CaseID"]),
            "child_id": row.refs["LAchildID"],
            "held_on": row.values["StrategyDiscussionInitiatingSection47Date"],
            "participants": f"Not recorded: imported from {self.importer.source_system}.",
            "decisions": "Start a section 47 enquiry.",
            "starts_s47": True,
        }

    def create(self, rows):
        # Every enquiry starts from a strategy discussion that decided on it.
        discussions = self.importer.insert(
            StrategyDiscussion, [self._discussion(row) for row in rows]
        )
        return self.importer.insert(
            Section47Enquiry,
            [
                {**self.fields(row), "strategy_discussion_id": discussion}
                for row, discussion in zip(rows, discussions, strict=True)
            ],
        )

    def update(self, rows):
        super().update(rows)
        enquiries = Section47Enquiry.objects.in_bulk([row.existing[0] for row in rows])
        by_pk = StrategyDiscussion.objects.in_bulk(
            [e.strategy_discussion_id for e in enquiries.values()]
        )
        discussions = []
        for row in rows:
            discussion = by_pk[enquiries[row.existing[0]].strategy_discussion_id]
            for name in ["case_id", "child_id", "held_on"]:
                setattr(discussion, name, self._discussion(row)[name])
            discussions.append(discussion)
        self.importer.bulk_update(
            StrategyDiscussion, discussions, ["case_id", "child_id", "held_on"]
        )


class CpPlansLayout(Layout):
    kind = ImportKind.CP_PLANS
    model = ChildProtectionPlan

    def load(self, rows):
        s47_ids = {row.refs.get("Section47ID") for row in rows}
        self.enquiries = {
            e["pk"]: e
            for e in Section47Enquiry.objects.filter(pk__any_of=s47_ids).values(
                "pk", "case_id", "child_id", "started_on", "outcome"
            )
        }
        mine = ChildProtectionPlan.objects.filter(
            pk__any_of=[row.existing[0] for row in rows if row.existing]
        ).values_list("conference_id", flat=True)
        self.conferences = set(
            Conference.objects.filter(section47_id__any_of=s47_ids)
            .exclude(pk__any_of=list(mine))
            .values_list("section47_id", flat=True)
        )

    def rules(self, row):
        v = row.values
        enquiry = self.enquiries.get(row.refs.get("Section47ID"))
        if enquiry is not None:
            v["case_id"], v["child_id"] = enquiry["case_id"], enquiry["child_id"]
            if v["CPPstartDate"] < enquiry["started_on"]:
                row.problem(
                    "CPPstartDate", f"is before the enquiry started ({_day(enquiry['started_on'])})"
                )
            if enquiry["outcome"] not in ("", Section47Enquiry.Outcome.CONFERENCE):
                row.problem("Section47ID", "that enquiry concluded no conference was needed")
            if enquiry["pk"] in self.conferences:
                row.problem("Section47ID", "that enquiry already has its initial conference")
        self._ended_with_reason(row, "CPPstartDate", "CPPendDate", "CPPendReason")

    def claims(self, rows):
        ok = [row for row in rows if not row.problems]
        items = [(str(row.refs["Section47ID"]), row.number, row.external_id) for row in ok]
        for index, earlier in self.importer.scratch.claim("s47", items).items():
            ok[index].problem("Section47ID", f"that enquiry's plan is already on row {earlier}")
        self._one_open_per_child(rows, ChildProtectionPlan, "CPPendDate", "child protection plan")

    def fields(self, row):
        v = row.values
        return {
            **self.importer.process_base(v["case_id"]),
            "child_id": v["child_id"],
            "started_on": v["CPPstartDate"],
            "initial_category": v["InitialCategoryOfAbuse"],
            "latest_category": v["LatestCategoryOfAbuse"] or v["InitialCategoryOfAbuse"],
            "ended_on": v["CPPendDate"],
            "end_reason": v["CPPendReason"],
        }

    def _conference(self, row) -> dict:
        v = row.values
        return {
            **self.importer.process_base(v["case_id"]),
            "child_id": v["child_id"],
            "kind": Conference.Kind.INITIAL,
            "held_on": v["CPPstartDate"],
            "section47_id": row.refs["Section47ID"],
            "plan_decided": True,
            "category": v["InitialCategoryOfAbuse"],
            "decision": f"Child protection plan (imported from {self.importer.source_system}).",
            "decided_on": v["CPPstartDate"],
        }

    def create(self, rows):
        # The plan's start is its initial conference (CIN census rule 2885).
        conferences = self.importer.insert(Conference, [self._conference(row) for row in rows])
        return self.importer.insert(
            ChildProtectionPlan,
            [
                {**self.fields(row), "conference_id": conference}
                for row, conference in zip(rows, conferences, strict=True)
            ],
        )

    def update(self, rows):
        super().update(rows)
        plans = ChildProtectionPlan.objects.in_bulk([row.existing[0] for row in rows])
        by_pk = Conference.objects.in_bulk([p.conference_id for p in plans.values()])
        names = ["case_id", "child_id", "held_on", "section47_id", "category", "decided_on"]
        conferences = []
        for row in rows:
            conference = by_pk[plans[row.existing[0]].conference_id]
            values = self._conference(row)
            for name in names:
                setattr(conference, name, values[name])
            conferences.append(conference)
        self.importer.bulk_update(Conference, conferences, names)


class CinPlansLayout(Layout):
    kind = ImportKind.CIN_PLANS
    model = ChildInNeedPlan

    def load(self, rows):
        self._child_in_case(rows)
        self.first_referral = dict(
            Referral.objects.filter(child_id__any_of={row.refs.get("LAchildID") for row in rows})
            .values("child_id")
            .annotate(first=Min("received_on"))
            .values_list("child_id", "first")
        )

    def rules(self, row):
        v = row.values
        self._check_child_in_case(row)
        child_id = row.refs.get("LAchildID")
        v["child_id"] = child_id
        first = self.first_referral.get(child_id)
        if child_id and first is None:
            row.problem("LAchildID", "the child has no referral: import the referral first")
        elif first and v["CINPlanStartDate"] < first:
            row.problem("CINPlanStartDate", f"is before the child's first referral ({_day(first)})")
        self._ended_with_reason(row, "CINPlanStartDate", "CINPlanEndDate", "CINPlanEndReason")

    def claims(self, rows):
        self._one_open_per_child(rows, ChildInNeedPlan, "CINPlanEndDate", "child in need plan")

    def fields(self, row):
        v = row.values
        return {
            **self.importer.process_base(row.refs["CaseID"]),
            "child_id": row.refs["LAchildID"],
            "started_on": v["CINPlanStartDate"],
            "ended_on": v["CINPlanEndDate"],
            "end_reason": v["CINPlanEndReason"],
        }


class LookedAfterLayout(Layout):
    kind = ImportKind.LOOKED_AFTER
    model = LookedAfterEpisode

    def load(self, rows):
        self._child_in_case(rows)

    def rules(self, row):
        self._check_child_in_case(row)
        row.values["child_id"] = row.refs.get("LAchildID")
        self._ended_with_reason(row, "DECOM", "DEC", "REC")

    def claims(self, rows):
        self._one_open_per_child(rows, LookedAfterEpisode, "DEC", "looked-after episode")

    def fields(self, row):
        # Only the SSDA903 episode fields: anything else the episode records keeps its default.
        v = row.values
        return {
            **self.importer.process_base(row.refs["CaseID"]),
            "child_id": row.refs["LAchildID"],
            "started_on": v["DECOM"],
            "legal_status": v["LS"],
            "placement": v["PL"],
            "ended_on": v["DEC"],
            "reason_ceased": v["REC"],
        }


LAYOUTS = {
    layout.kind: layout
    for layout in [
        PeopleLayout,
        CasesLayout,
        ReferralsLayout,
        AssessmentsLayout,
        Section47sLayout,
        CpPlansLayout,
        CinPlansLayout,
        LookedAfterLayout,
    ]
}


class Importer:
    """Checks and writes the rows of one file for one agency and source system."""

    def __init__(self, *, kind, agency, source_system, actor, run_id, header, today=None):
        self.agency, self.source_system, self.actor, self.run_id = (
            agency, source_system, actor, run_id,
        )  # fmt: skip
        self.today = today or timezone.localdate()
        self.now = timezone.now()
        self.scratch = Scratch()
        self.layout = LAYOUTS[kind](self)
        self.kind = kind
        self.header_problems = []
        self.positions = self._positions(header)
        self.codes = {
            column.name: {
                form: value
                for value, _ in column.codes
                for form in (value, value.upper(), value.lower())
            }
            for column in self.layout.columns
            if column.codes
        }
        names = self.layout.fingerprint_columns or [col.name for col in self.layout.columns]
        self.fingerprinted = list(names)
        self.first_load = self._is_first_load()

    def _is_first_load(self) -> bool:
        """Nothing of this kind imported from this source before, for a kind whose IDs stand on
        one row each (the scratch claims refuse a second): then no row can be found among the
        records already imported, and each chunk skips looking (a tenth of a first load's
        time)."""
        return (
            not self.layout.repeatable
            and not ImportedRecord.objects.filter(
                agency=self.agency, source_system=self.source_system, kind=self.kind
            ).exists()
        )

    def begin_writing(self, *, waiting=contextlib.nullcontext) -> None:
        """Called first inside the write's transaction. Waits until no other import of this
        kind from this source into this agency is writing, so that two never write the same
        legacy ID at once, then decides afresh whether this is a first load. On PostgreSQL a
        transaction-scoped advisory lock, taken inside `waiting()` if another import holds it
        (so the run can say why it has not begun); SQLite's transactions here already take the
        write lock when they begin."""
        if connection.vendor == "postgresql":
            key = f"{self.agency.pk}:{self.source_system}:{self.kind}".encode()
            lock = int.from_bytes(hashlib.blake2b(key, digest_size=8).digest(), "big", signed=True)
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [lock])
                if not cursor.fetchone()[0]:
                    with waiting():
                        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [lock])
        self.first_load = self._is_first_load()

    def _positions(self, header: list[str]) -> list[tuple[c.Column, int | None]]:
        given = {name.lower(): index for index, name in enumerate(header) if name}
        known = {column.name.lower() for column in self.layout.columns}
        positions = []
        for column in self.layout.columns:
            index = given.get(column.name.lower())
            if index is None and column.required:
                self.header_problems.append(
                    Problem(1, column.name, "", "this required column is missing")
                )
            positions.append((column, index))
        for name, index in given.items():
            if name not in known:
                self.header_problems.append(
                    Problem(1, header[index], header[index], "is not a column of this file kind")
                )
        return positions

    def close(self) -> None:
        self.scratch.close()

    def process_base(self, case_id) -> dict:
        return {"agency_id": self.agency.pk, "case_id": case_id, "recorded_by_id": self.actor.pk}

    # Parsing -----------------------------------------------------------------------------

    def parse(self, number: int, cells: list[str]) -> Row:
        width = len(cells)
        row = Row(
            number,
            {
                column.name: (cells[index] if index is not None and index < width else "")
                for column, index in self.positions
            },
        )
        values = row.values
        for column, _ in self.positions:
            text = row.cells[column.name]
            if not text:
                if column.required:
                    row.problem(column.name, "is required")
                values[column.name] = None if column.kind in {c.DATE, c.REF} else ""
                continue
            kind = column.kind
            if kind in {c.TEXT, c.ID, c.REF}:
                if column.max_length and len(text) > column.max_length:
                    row.problem(column.name, f"is longer than {column.max_length} characters")
                values[column.name] = text
            elif kind == c.DATE:
                try:
                    day = parse_date(text)
                except ValueError:
                    row.problem(column.name, "is not a date: use YYYY-MM-DD or DD/MM/YYYY")
                    day = None
                else:
                    if day > self.today and not column.future_ok:
                        row.problem(column.name, "is in the future")
                values[column.name] = day
            elif kind == c.CODE:
                value = self.codes[column.name].get(text)
                if value is None:
                    row.problem(column.name, self._not_a_code(column))
                values[column.name] = value or ""
            elif kind == c.CODES:
                found = []
                for part in text.replace(";", " ").replace(",", " ").split():
                    value = self.codes[column.name].get(part)
                    if value is None:
                        row.problem(column.name, f"{part} {self._not_a_code(column)}")
                    elif value not in found:
                        found.append(value)
                values[column.name] = found
            elif kind == c.YES_NO:
                answer = {"y": True, "yes": True, "n": False, "no": False}.get(text.lower())
                if answer is None:
                    row.problem(column.name, "is not Y or N")
                values[column.name] = answer
        row.external_id = values[self.layout.id_column] or ""
        digest = hashlib.blake2b(digest_size=16)
        digest.update("\x1f".join(str(values[name]) for name in self.fingerprinted).encode())
        row.fingerprint = digest.hexdigest()
        return row

    def _not_a_code(self, column) -> str:
        listed = ", ".join(value for value, _ in column.codes[:12])
        more = ", …" if len(column.codes) > 12 else ""
        return f"is not a code in the list ({listed}{more})"

    # Checking a chunk --------------------------------------------------------------------

    def check(self, raw: list[tuple[int, list[str]]]) -> list[Row]:
        rows = [self.parse(number, cells) for number, cells in raw]
        layout = self.layout
        items = [
            (row.external_id, row.number, row.fingerprint if layout.repeatable else str(row.number))
            for row in rows
            if row.external_id
        ]
        with_ids = [row for row in rows if row.external_id]
        for index, earlier in self.scratch.claim("id", items).items():
            reason = (
                f"the same ID has different details on row {earlier}"
                if layout.repeatable
                else f"the same ID is already on row {earlier}"
            )
            with_ids[index].problem(layout.id_column, reason)
        self._resolve(rows)
        layout.load(rows)
        for row in rows:
            if not row.problems:
                layout.rules(row)
        layout.claims(rows)
        return rows

    def _lookup(self, kind: str, external_ids) -> dict:
        external_ids = [value for value in external_ids if value]
        if not external_ids:
            return {}
        return {
            external_id: (object_id, fingerprint, run_id)
            for external_id, object_id, fingerprint, run_id in ImportedRecord.objects.filter(
                agency=self.agency,
                source_system=self.source_system,
                kind=kind,
                external_id__any_of=set(external_ids),
            ).values_list("external_id", "object_id", "fingerprint", "run_id")
        }

    def _resolve(self, rows: list[Row]) -> None:
        existing = {} if self.first_load else self._lookup(self.kind, [r.external_id for r in rows])
        for row in rows:
            row.existing = existing.get(row.external_id)
        for column in self.layout.columns:
            if column.kind != c.REF:
                continue
            found = self._lookup(column.ref, [row.values[column.name] for row in rows])
            for row in rows:
                value = row.values[column.name]
                if not value:
                    continue
                if value in found:
                    row.refs[column.name] = found[value][0]
                else:
                    row.problem(
                        column.name,
                        f"no {RECORD_NAMES[column.ref]} with this ID has been imported from "
                        f"{self.source_system}",
                    )

    # Writing a chunk ---------------------------------------------------------------------

    def insert(self, model, rows: list[dict]) -> list[int]:
        return insert_rows(
            model,
            rows,
            history_user_id=self.actor.pk,
            history_reason=f"Imported from {self.source_system}",
            history_date=self.now,
        )

    def bulk_update(self, model, objects, names) -> None:
        names = list(names)
        for obj in objects:
            obj.updated_at = self.now
            if hasattr(obj, "revision"):
                obj.revision += 1
        extra = ["updated_at"] + (["revision"] if hasattr(objects[0], "revision") else [])
        model.objects.bulk_update(objects, names + extra, batch_size=500)
        model.history.bulk_history_create(
            objects,
            batch_size=500,
            update=True,
            default_user=self.actor,
            default_change_reason=f"Updated from {self.source_system}",
            default_date=self.now,
        )

    def write(self, rows: list[Row]) -> Counts:
        if self.kind == ImportKind.CASES:
            return self._write_cases(rows)
        counts = Counts()
        new = [row for row in rows if row.existing is None]
        changed = [row for row in rows if row.existing and row.existing[1] != row.fingerprint]
        counts.created, counts.updated = len(new), len(changed)
        counts.unchanged = len(rows) - len(new) - len(changed)
        if new:
            self._remember(new, self.layout.create(new))
        if changed:
            self.layout.update(changed)
            self._remember_again(changed)
        if self.layout.is_process:
            self.scratch.touch_cases(
                {obj_case for row in new + changed for obj_case in [self._case_of(row)]}
            )
        return counts

    def _case_of(self, row: Row):
        return row.refs.get("CaseID") or row.values.get("case_id")

    def _remember(self, rows: list[Row], object_ids: list[int]) -> None:
        agency_id, source, kind, run_id = self.agency.pk, self.source_system, self.kind, self.run_id
        insert_rows(
            ImportedRecord,
            [
                {
                    "agency_id": agency_id,
                    "source_system": source,
                    "kind": kind,
                    "external_id": row.external_id,
                    "object_id": object_id,
                    "fingerprint": row.fingerprint,
                    "run_id": run_id,
                }
                for row, object_id in zip(rows, object_ids, strict=True)
            ],
        )

    def _remember_again(self, rows: list[Row]) -> None:
        records = ImportedRecord.objects.filter(
            agency=self.agency,
            source_system=self.source_system,
            kind=self.kind,
            external_id__any_of=[row.external_id for row in rows],
        )
        by_id = {record.external_id: record for record in records}
        for row in rows:
            by_id[row.external_id].fingerprint = row.fingerprint
            by_id[row.external_id].run_id = self.run_id
        ImportedRecord.objects.bulk_update(list(by_id.values()), ["fingerprint", "run_id"])

    def _write_cases(self, rows: list[Row]) -> Counts:
        """One case per legacy ID, however many rows name it; one membership per row."""
        counts = Counts()
        first = {}
        for row in rows:
            first.setdefault(row.external_id, row)
        new = [row for row in first.values() if row.existing is None]
        changed = [
            row for row in first.values() if row.existing and row.existing[1] != row.fingerprint
        ]
        case_ids = {row.external_id: row.existing[0] for row in first.values() if row.existing}
        touched = {row.external_id for row in new + changed}
        if new:
            keys = self.layout.create(new)
            self._remember(new, keys)
            case_ids.update((row.external_id, key) for row, key in zip(new, keys, strict=True))
        if changed:
            self.layout.update(changed)
            self._remember_again(changed)
        members = {
            (m.case_id, m.person_id): m
            for m in CaseMember.objects.filter(
                case_id__any_of=set(case_ids.values()),
                person_id__any_of={row.refs["LAchildID"] for row in rows},
            )
        }
        to_create, to_update = [], []
        for row in rows:
            case_id, person_id = case_ids[row.external_id], row.refs["LAchildID"]
            lives = row.values["LivesInHousehold"] is not False
            member = members.get((case_id, person_id))
            if member is None:
                to_create.append(
                    CaseMember(
                        agency=self.agency,
                        case_id=case_id,
                        person_id=person_id,
                        lives_in_household=lives,
                    )
                )
                counts.created += 1
            elif member.lives_in_household != lives:
                member.lives_in_household = lives
                to_update.append(member)
                counts.updated += 1
            elif row.external_id in touched:
                counts.updated += 1
            else:
                counts.unchanged += 1
        insert_objects(CaseMember, to_create)
        CaseMember.objects.bulk_update(to_update, ["lives_in_household"], batch_size=500)
        return counts


def refresh_after_write(importer: Importer, process_changed_cases) -> int:
    """Tell whoever derives from the process (timescales) about every case the file touched, as
    each process service does after its write: a batch of cases at a time."""
    count = 0
    for case_ids in importer.scratch.touched_cases():
        cases = list(Case.objects.filter(pk__any_of=case_ids))
        process_changed_cases(cases)
        count += len(cases)
    return count
