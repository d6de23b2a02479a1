import datetime
import hashlib
import threading
import time

import pytest
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook

from core.models import AuditEvent
from imports import engine
from imports.models import ImportedRecord, ImportRun
from imports.services import import_file_start, import_run_execute
from people.models import Case, CaseMember, Person
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
from tests import factories
from tests.imports.conftest import CASES, CASES_HEADER, PEOPLE, PEOPLE_HEADER

REFERRALS_HEADER = [
    "ReferralID", "CaseID", "LAchildID", "CINreferralDate", "ReferralSource", "PrimaryNeedCode",
    "ReferralDecision", "ReferralDecisionDate",
]  # fmt: skip


def _refs(*rows):
    return list(rows)


def test_people_are_imported_with_their_legacy_ids_history_and_one_audit_event(
    team, write_csv, run_file, analyst
):
    run = run_file("people", write_csv("people.csv", PEOPLE_HEADER, PEOPLE))
    assert (run.state, run.rows_read, run.created_count, run.error_count) == ("imported", 3, 3, 0)
    leo = Person.objects.get(given_name="Leo")
    assert (leo.kind, leo.date_of_birth, leo.sex, leo.ethnicity, leo.disabilities) == (
        "child", datetime.date(2016, 5, 1), "M", "BAFR", ["NONE"],
    )  # fmt: skip
    # DD/MM/YYYY, as many UK systems extract dates, reads as the same day.
    assert Person.objects.get(given_name="Mia").date_of_birth == datetime.date(2019, 3, 2)
    record = ImportedRecord.objects.get(external_id="C1")
    assert (record.object_id, record.source_system, record.kind) == (leo.pk, "LCS", "people")
    assert leo.history.count() == 1
    events = AuditEvent.objects.filter(verb__startswith="imports.")
    assert [(e.verb, e.actor_id, e.changes["created"], e.changes["rows_read"]) for e in events] == [
        ("imports.file_imported", analyst.pk, 3, 3)
    ]


def test_a_case_is_made_once_with_one_membership_per_row(family):
    case = Case.objects.get()
    assert (case.reference, case.name, case.team.name, case.status) == (
        "LCS-0001", "Okafor family", "Assessment team", "open",
    )  # fmt: skip
    assert sorted(m.person.given_name for m in CaseMember.objects.filter(case=case)) == [
        "Grace", "Leo", "Mia",
    ]  # fmt: skip


def _process_chain(write_csv, run_file):
    referrals = run_file(
        "referrals",
        write_csv(
            "referrals.csv",
            REFERRALS_HEADER,
            [
                ["R1", "K1", "C1", "2024-04-02", "6", "N1", "assessment", "2024-04-03"],
                ["R2", "K1", "C2", "2024-04-02", "2A", "N4", "", ""],
            ],
        ),
    )
    assessments = run_file(
        "assessments",
        write_csv(
            "assessments.csv",
            ["AssessmentID", "ReferralID", "AssessmentActualStartDate", "AssessmentCompletedDate",
             "AssessmentAuthorisationDate", "FactorsIdentifiedAtAssessment", "AssessmentOutcome"],
            [["AS1", "R1", "2024-04-04", "2024-05-01", "2024-05-02", "3B;2B", "child_protection"]],
        ),
    )  # fmt: skip
    s47s = run_file(
        "section47s",
        write_csv(
            "s47.csv",
            ["Section47ID", "CaseID", "LAchildID", "StrategyDiscussionInitiatingSection47Date",
             "S47ActualStartDate", "S47CompletedDate", "S47Outcome"],
            [["S1", "K1", "C1", "2024-04-05", "2024-04-05", "2024-04-20", "conference"]],
        ),
    )  # fmt: skip
    cp_plans = run_file(
        "cp_plans",
        write_csv(
            "cp.csv",
            ["CPPlanID", "Section47ID", "CPPstartDate", "InitialCategoryOfAbuse", "CPPendDate",
             "CPPendReason"],
            [["P1", "S1", "2024-04-25", "NEG", "2025-01-10", "step_down_cin"]],
        ),
    )  # fmt: skip
    cin_plans = run_file(
        "cin_plans",
        write_csv(
            "cin.csv",
            ["CINPlanID", "CaseID", "LAchildID", "CINPlanStartDate"],
            [["N1", "K1", "C1", "2025-01-10"]],
        ),
    )
    episodes = run_file(
        "looked_after",
        write_csv(
            "lac.csv",
            ["EpisodeID", "CaseID", "LAchildID", "DECOM", "LS", "PL", "DEC", "REC"],
            [
                ["E1", "K1", "C2", "2024-06-01", "V2", "U6", "2024-07-01", "E4A"],
                ["E2", "K1", "C2", "2024-08-01", "C2", "U4", "", ""],
            ],
        ),
    )
    return referrals, assessments, s47s, cp_plans, cin_plans, episodes


def test_every_kind_of_process_record_is_imported_in_order(family, write_csv, run_file):
    runs = _process_chain(write_csv, run_file)
    assert [(r.kind, r.state, r.created_count) for r in runs] == [
        ("referrals", "imported", 2),
        ("assessments", "imported", 1),
        ("section47s", "imported", 1),
        ("cp_plans", "imported", 1),
        ("cin_plans", "imported", 1),
        ("looked_after", "imported", 2),
    ]
    leo = Person.objects.get(given_name="Leo")
    referral = Referral.objects.get(child=leo)
    assert (referral.source, referral.decision, referral.decided_on) == (
        "6", "assessment", datetime.date(2024, 4, 3),
    )  # fmt: skip
    assessment = Assessment.objects.get()
    assert (assessment.referral, assessment.child, assessment.factors) == (
        referral, leo, ["2B", "3B"],
    )  # fmt: skip
    enquiry = Section47Enquiry.objects.get()
    assert enquiry.strategy_discussion == StrategyDiscussion.objects.get(starts_s47=True)
    assert enquiry.conference_needed is True
    plan = ChildProtectionPlan.objects.get()
    assert plan.conference == Conference.objects.get(kind="initial", section47=enquiry)
    assert (plan.initial_category, plan.latest_category, plan.end_reason) == (
        "NEG", "NEG", "step_down_cin",
    )  # fmt: skip
    assert ChildInNeedPlan.objects.get().child == leo
    assert LookedAfterEpisode.objects.filter(ended_on__isnull=True).count() == 1
    assert referral.recorded_by.role == "performance_analyst"


def test_the_timescales_follow_the_imported_process(family, write_csv, run_file):
    from timescales.models import Deadline

    _process_chain(write_csv, run_file)
    assert Deadline.objects.filter(case=Case.objects.get()).exists()


BAD_PEOPLE = [
    ["C1", "child", "Leo", "Okafor", "2016-05-01", "M", "BAFR", ""],
    ["C2", "kid", "Mia", "Okafor", "31/02/2019", "F", "BAFR", ""],
    ["C3", "child", "", "Okafor", "2099-01-01", "X", "BAFR", "NONE MOB"],
    ["C1", "child", "Leo", "Again", "2016-05-01", "M", "ZZZZ", ""],
]


def test_a_file_with_bad_rows_is_refused_with_a_precise_report_and_writes_nothing(
    team, write_csv, run_file
):
    run = run_file("people", write_csv("people.csv", PEOPLE_HEADER, BAD_PEOPLE))
    assert run.state == "refused"
    problems = [(p["row"], p["field"], p["value"], p["reason"]) for p in run.errors]
    assert problems[:2] == [
        (3, "PersonType", "kid", "is not a code in the list (child, adult)"),
        (3, "PersonBirthDate", "31/02/2019", "is not a date: use YYYY-MM-DD or DD/MM/YYYY"),
    ]
    assert (4, "GivenName", "", "is required") in problems
    assert (4, "PersonBirthDate", "2099-01-01", "is in the future") in problems
    assert (4, "Sex", "X", "is not a code in the list (M, F, U)") in problems
    assert (5, "LAchildID", "C1", "the same ID is already on row 2") in problems
    assert any(p[:3] == (5, "Ethnicity", "ZZZZ") for p in problems)
    assert (run.rows_read, run.rows_valid, run.error_count) == (4, 1, len(problems))
    # Row 2 was good, but a file is imported whole or not at all.
    assert not Person.objects.exists()
    assert not ImportedRecord.objects.exists()
    assert AuditEvent.objects.get(verb="imports.file_refused").changes["problems"] == len(problems)


def test_a_problem_found_while_writing_undoes_every_chunk_already_written(
    team, write_csv, run_file, monkeypatch
):
    """Another write between the check and the import: the import is refused with what it
    found, and every chunk it had written is undone."""
    monkeypatch.setattr(engine, "CHUNK_SIZE", 1)
    monkeypatch.setattr("imports.services.CHUNK_SIZE", 1)
    original = engine.PeopleLayout.rules
    calls = {"n": 0}

    def rules(self, row):
        original(self, row)
        calls["n"] += 1
        if calls["n"] == 3:  # the third row, after two chunks were written
            row.problem("GivenName", "changed since the check")

    monkeypatch.setattr(engine.PeopleLayout, "rules", rules)
    run = run_file("people", write_csv("people.csv", PEOPLE_HEADER, PEOPLE))
    assert run.state == "refused"
    assert run.errors == [
        {"row": 4, "field": "GivenName", "value": "Grace", "reason": "changed since the check"}
    ]
    assert not Person.objects.exists()
    assert not ImportedRecord.objects.exists()
    assert (run.created_count, run.rows_written) == (0, 0)


def test_an_unchecked_bad_file_is_read_again_to_report_every_problem(
    team, write_csv, run_file, monkeypatch
):
    """An import reads a file once; the first bad chunk stops the write, and the whole file is
    then checked, writing nothing, so the report is as complete as a dry run's."""
    monkeypatch.setattr(engine, "CHUNK_SIZE", 1)
    monkeypatch.setattr("imports.services.CHUNK_SIZE", 1)
    rows = [*PEOPLE, ["C4", "kid", "Leo", "Okafor", "", "", "", ""], PEOPLE[0]]
    run = run_file("people", write_csv("people.csv", PEOPLE_HEADER, rows), dry_run=False)
    assert run.state == "refused"
    assert [(p["row"], p["field"]) for p in run.errors] == [(5, "PersonType"), (6, "LAchildID")]
    assert (run.rows_read, run.rows_valid, run.error_count, run.rows_written) == (5, 3, 2, 0)
    assert not Person.objects.exists()
    assert AuditEvent.objects.filter(verb="imports.file_refused").count() == 1


def test_a_missing_required_column_refuses_the_file_at_its_header(team, write_csv, run_file):
    run = run_file("people", write_csv("people.csv", ["LAchildID", "GivenName", "Colour"], []))
    assert run.state == "refused"
    assert [(p["row"], p["field"], p["reason"]) for p in run.errors] == [
        (1, "PersonType", "this required column is missing"),
        (1, "FamilyName", "this required column is missing"),
        (1, "Colour", "is not a column of this file kind"),
    ]


def test_importing_the_same_file_again_adds_nothing_and_a_changed_row_updates(
    team, write_csv, run_file
):
    path = write_csv("people.csv", PEOPLE_HEADER, PEOPLE)
    run_file("people", path)
    again = run_file("people", path)
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 3)
    assert Person.objects.count() == 3
    changed = [row[:] for row in PEOPLE]
    changed[0][3] = "Okafor-Smith"
    third = run_file("people", write_csv("people2.csv", PEOPLE_HEADER, changed))
    assert (third.created_count, third.updated_count, third.unchanged_count) == (0, 1, 2)
    leo = Person.objects.get(given_name="Leo")
    assert leo.family_name == "Okafor-Smith"
    assert leo.history.count() == 2
    assert Person.objects.count() == 3


def test_importing_cases_and_referrals_again_keeps_one_of_each(family, write_csv, run_file):
    again = run_file("cases", write_csv("cases.csv", CASES_HEADER, CASES))
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 3)
    _process_chain(write_csv, run_file)
    runs = _process_chain(write_csv, run_file)
    assert all(run.unchanged_count == run.rows_read for run in runs)
    assert (Case.objects.count(), CaseMember.objects.count(), Referral.objects.count()) == (1, 3, 2)
    assert (ChildProtectionPlan.objects.count(), Conference.objects.count()) == (1, 1)
    assert StrategyDiscussion.objects.count() == 1


def test_a_dry_run_checks_and_counts_but_writes_nothing(team, write_csv, run_file):
    run = run_file("people", write_csv("people.csv", PEOPLE_HEADER, PEOPLE), dry_run=True)
    assert (run.state, run.rows_valid, run.created_count) == ("checked", 3, 3)
    assert not Person.objects.exists()
    assert not ImportedRecord.objects.exists()
    assert AuditEvent.objects.get(verb="imports.file_checked").changes["dry_run"] is True


def test_an_xlsx_file_with_date_cells_imports_like_its_csv(team, run_file, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(PEOPLE_HEADER)
    sheet.append(["C1", "child", "Leo", "Okafor", datetime.datetime(2016, 5, 1), "M", "BAFR", ""])
    sheet.append([])
    sheet.append([101, "adult", "Grace", "Okafor", datetime.date(1988, 1, 9), "F", "BAFR", ""])
    path = tmp_path / "people.xlsx"
    book.save(path)
    run = run_file("people", path)
    assert (run.state, run.created_count) == ("imported", 2)
    assert Person.objects.get(given_name="Leo").date_of_birth == datetime.date(2016, 5, 1)
    assert ImportedRecord.objects.filter(external_id="101").exists()


def test_bad_xlsx_rows_report_the_spreadsheet_row_numbers(team, run_file, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(PEOPLE_HEADER)
    sheet.append(["C1", "child", "Leo", "Okafor", "not a date", "M", "BAFR", ""])
    path = tmp_path / "people.xlsx"
    book.save(path)
    run = run_file("people", path)
    assert run.errors == [
        {
            "row": 2,
            "field": "PersonBirthDate",
            "value": "not a date",
            "reason": "is not a date: use YYYY-MM-DD or DD/MM/YYYY",
        }
    ]


def test_one_agencys_legacy_ids_never_find_another_agencys_records(family, write_csv, run_file):
    other_team = factories.TeamFactory(name="Assessment team")
    other = factories.UserFactory(agency=other_team.agency, team=None, role="performance_analyst")
    referral = run_file(
        "referrals",
        write_csv(
            "referrals.csv",
            REFERRALS_HEADER,
            [["R1", "K1", "C1", "2024-04-02", "6", "N1", "", ""]],
        ),
        actor=other,
    )
    assert referral.state == "refused"
    assert {(p["field"], p["reason"]) for p in referral.errors} == {
        ("CaseID", "no case with this ID has been imported from LCS"),
        ("LAchildID", "no person with this ID has been imported from LCS"),
    }
    # The same IDs in the other agency make its own records and leave the first agency's alone.
    people = run_file("people", write_csv("people.csv", PEOPLE_HEADER, PEOPLE), actor=other)
    assert people.created_count == 3
    assert Person.objects.filter(agency=other.agency).count() == 3
    assert Person.objects.count() == 6


def test_another_source_systems_ids_are_separate(family, write_csv, run_file):
    run = run_file(
        "referrals",
        write_csv("r.csv", REFERRALS_HEADER, [["R1", "K1", "C1", "2024-04-02", "6", "N1", "", ""]]),
        source_system="Mosaic",
    )
    assert run.state == "refused"


def test_process_rules_are_kept(family, write_csv, run_file):
    run = run_file(
        "referrals",
        write_csv(
            "referrals.csv",
            REFERRALS_HEADER,
            [
                ["R1", "K1", "A1", "2024-04-02", "6", "N1", "", ""],
                ["R2", "K1", "C1", "2024-04-02", "6", "N1", "assessment", "2024-04-01"],
                ["R3", "K1", "C1", "2024-04-02", "6", "N1", "assessment", ""],
            ],
        ),
    )
    assert [(p["row"], p["field"], p["reason"]) for p in run.errors] == [
        (2, "LAchildID", "is not a child in that case (see the cases file)"),
        (3, "ReferralDecisionDate", "is before CINreferralDate (2 April 2024)"),
        (4, "ReferralDecisionDate", "is required when ReferralDecision is given"),
    ]
    assert not Referral.objects.exists()


def test_one_open_plan_per_child_across_the_file_and_the_record(family, write_csv, run_file):
    header = ["CINPlanID", "CaseID", "LAchildID", "CINPlanStartDate"]
    run_file(
        "referrals",
        write_csv("r.csv", REFERRALS_HEADER, [["R1", "K1", "C1", "2024-04-02", "6", "N1", "", ""]]),
    )
    run = run_file(
        "cin_plans",
        write_csv(
            "cin.csv", header, [["N1", "K1", "C1", "2024-05-01"], ["N2", "K1", "C1", "2024-06-01"]]
        ),
    )
    assert [(p["row"], p["reason"]) for p in run.errors] == [
        (3, "the child already has an open child in need plan on row 2")
    ]
    run_file("cin_plans", write_csv("cin1.csv", header, [["N1", "K1", "C1", "2024-05-01"]]))
    run = run_file("cin_plans", write_csv("cin2.csv", header, [["N2", "K1", "C1", "2024-06-01"]]))
    assert [(p["row"], p["reason"]) for p in run.errors] == [
        (2, "the child already has an open child in need plan in Threefold")
    ]


def test_an_assessment_needs_a_referral_decided_for_assessment(family, write_csv, run_file):
    run_file(
        "referrals",
        write_csv("r.csv", REFERRALS_HEADER, [["R1", "K1", "C1", "2024-04-02", "6", "N1", "", ""]]),
    )
    run = run_file(
        "assessments",
        write_csv(
            "a.csv",
            ["AssessmentID", "ReferralID", "AssessmentActualStartDate", "AssessmentCompletedDate"],
            [["AS1", "R1", "2024-04-01", "2024-04-10"]],
        ),
    )
    assert [(p["field"], p["reason"]) for p in run.errors] == [
        ("ReferralID", "that referral was not decided for assessment"),
        ("AssessmentActualStartDate", "is before the referral was received (2 April 2024)"),
        ("AssessmentOutcome", "is required once the assessment is completed"),
        (
            "FactorsIdentifiedAtAssessment",
            "is required once the assessment is completed (21 for none)",
        ),
    ]


def test_progress_is_saved_as_the_rows_are_read(team, write_csv, run_file, monkeypatch):
    monkeypatch.setattr("imports.services.CHUNK_SIZE", 1)
    seen = []
    run = run_file(
        "people",
        write_csv("people.csv", PEOPLE_HEADER, PEOPLE),
        on_progress=lambda run: seen.append((run.state, run.rows_read, run.rows_written)),
    )
    # An import checks and writes each chunk in the one reading of the file.
    assert seen == [("writing", 1, 1), ("writing", 2, 2), ("writing", 3, 3)]
    assert (run.rows_expected, run.progress_max, run.progress_value) == (3, 6, 6)


def test_the_report_keeps_the_first_problems_and_counts_them_all(
    team, write_csv, run_file, monkeypatch
):
    monkeypatch.setattr("imports.services.PROBLEMS_KEPT", 2)
    rows = [[f"C{n}", "kid", "Leo", "Okafor", "", "", "", ""] for n in range(5)]
    run = run_file("people", write_csv("people.csv", PEOPLE_HEADER, rows))
    assert (run.error_count, len(run.errors)) == (5, 2)


def test_nhs_number_check_digit():
    assert engine.nhs_number_valid("9434765919")
    assert not engine.nhs_number_valid("9434765918")


def test_a_case_repeated_with_other_details_or_a_taken_reference_is_refused(
    team, write_csv, run_file
):
    run_file("people", write_csv("people.csv", PEOPLE_HEADER, PEOPLE))
    rows = [
        CASES[0],
        [*CASES[1][:2], "Okafor household", *CASES[1][3:]],
        ["K2", "LCS-0001", "Another family", "Assessment team", "child_protection",
         "2024-04-01", "A1"],
        ["K3", "LCS-0003", "Third family", "No such team", "child_protection", "2024-04-01",
         "A1"],
    ]  # fmt: skip
    run = run_file("cases", write_csv("cases.csv", CASES_HEADER, rows))
    assert [(p["row"], p["field"], p["reason"]) for p in run.errors] == [
        (3, "CaseID", "the same ID has different details on row 2"),
        (4, "CaseReference", "is the reference of another case on row 2"),
        (5, "Team", "is not the name of a team in this agency"),
    ]
    assert not Case.objects.exists()


def test_a_first_load_skips_looking_for_earlier_records_yet_refuses_a_repeated_id(
    team, write_csv, run_file, monkeypatch
):
    monkeypatch.setattr(engine, "CHUNK_SIZE", 1)
    monkeypatch.setattr("imports.services.CHUNK_SIZE", 1)
    looked_up = []
    lookup = engine.Importer._lookup

    def spy(importer, kind, external_ids):
        looked_up.append(kind)
        return lookup(importer, kind, external_ids)

    monkeypatch.setattr(engine.Importer, "_lookup", spy)
    first = run_file("people", write_csv("people.csv", PEOPLE_HEADER, PEOPLE))
    assert (first.state, first.created_count, looked_up) == ("imported", 3, [])

    # Another source's first load, with an ID repeated in a later chunk: still refused whole.
    repeated = [*PEOPLE, ["C1", "child", "Leon", "Okafor", "2016-05-01", "M", "BAFR", "NONE"]]
    refused = run_file(
        "people", write_csv("repeated.csv", PEOPLE_HEADER, repeated), source_system="OLD"
    )
    assert refused.state == "refused"
    assert refused.errors[0]["row"] == 5 and "already on row 2" in refused.errors[0]["reason"]
    assert Person.objects.count() == 3

    # The first source again is no first load: each chunk looks its rows up and finds them.
    again = run_file("people", write_csv("again.csv", PEOPLE_HEADER, PEOPLE))
    assert (again.created_count, again.unchanged_count) == (0, 3)
    assert looked_up == ["people"] * 3


def test_whether_an_import_is_a_first_load_is_decided_again_when_its_write_begins(
    team, analyst, write_csv, run_file
):
    waiting = engine.Importer(
        kind="people", agency=analyst.agency, source_system="LCS", actor=analyst, run_id=None,
        header=PEOPLE_HEADER,
    )  # fmt: skip
    assert waiting.first_load
    # Another import of the same kind from the same source finishes in the meantime.
    run_file("people", write_csv("people.csv", PEOPLE_HEADER, PEOPLE))
    try:
        with transaction.atomic(), CaptureQueriesContext(connection) as queries:
            waiting.begin_writing()
    finally:
        waiting.close()
    assert not waiting.first_load  # so its rows are looked up, and updated, not duplicated
    locks = [q["sql"] for q in queries if "advisory_xact_lock" in q["sql"]]
    assert len(locks) == (1 if connection.vendor == "postgresql" else 0)


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite has one writer: nothing to wait for"
)
@pytest.mark.django_db(transaction=True)
def test_an_import_waiting_for_another_of_its_kind_says_so_then_imports(
    analyst, write_csv, run_file
):
    path = write_csv("people.csv", PEOPLE_HEADER, PEOPLE)
    run = import_file_start(
        actor=analyst, agency=analyst.agency, kind="people", source_system="LCS", path=path,
        dry_run=False,
    )  # fmt: skip
    # Another import of people from LCS is writing: it holds the lock this one needs.
    other = connections.create_connection("default")
    key = f"{analyst.agency.pk}:LCS:people".encode()
    lock = int.from_bytes(hashlib.blake2b(key, digest_size=8).digest(), "big", signed=True)
    other.set_autocommit(False)
    with other.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [lock])
    seen = []

    def execute():
        try:
            import_run_execute(run_id=run.pk, on_progress=lambda r: seen.append(r.state))
        finally:
            connections.close_all()

    worker = threading.Thread(target=execute)
    worker.start()
    try:
        deadline = time.monotonic() + 10
        while (
            time.monotonic() < deadline
            and not ImportRun.objects.filter(pk=run.pk, state=ImportRun.State.WAITING).exists()
        ):
            time.sleep(0.05)
        waiting = ImportRun.objects.get(pk=run.pk)
        assert waiting.state == ImportRun.State.WAITING
        assert waiting.rows_written == 0
    finally:
        other.rollback()  # the other import ends: the lock is free
        other.close()
        worker.join(timeout=30)
    finished = ImportRun.objects.get(pk=run.pk)
    assert finished.state == ImportRun.State.IMPORTED
    assert finished.created_count == len(PEOPLE)
    assert seen[:2] == [ImportRun.State.WAITING, ImportRun.State.WRITING]  # the command's bar
