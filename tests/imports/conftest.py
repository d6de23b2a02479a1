import csv

import pytest

from agencies.models import Role
from imports.services import import_file_start, import_run_execute
from tests import factories


@pytest.fixture(autouse=True)
def _tasks_run_at_once(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def agency(db):
    return factories.AgencyFactory(code="873")


@pytest.fixture
def team(agency):
    return factories.TeamFactory(agency=agency, name="Assessment team")


@pytest.fixture
def analyst(agency):
    return factories.UserFactory(agency=agency, team=None, role=Role.PERFORMANCE_ANALYST)


@pytest.fixture
def write_csv(tmp_path):
    def write(name, header, rows):
        path = tmp_path / name
        with open(path, "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            writer.writerows(rows)
        return path

    return write


@pytest.fixture
def run_file(analyst, agency):
    def run(kind, path, *, dry_run=False, actor=None, source_system="LCS", on_progress=None):
        actor = actor or analyst
        started = import_file_start(
            actor=actor,
            agency=actor.agency,
            kind=kind,
            source_system=source_system,
            path=path,
            dry_run=dry_run,
        )
        return import_run_execute(run_id=started.pk, on_progress=on_progress)

    return run


PEOPLE_HEADER = [
    "LAchildID", "PersonType", "GivenName", "FamilyName", "PersonBirthDate", "Sex", "Ethnicity",
    "Disabilities",
]  # fmt: skip
PEOPLE = [
    ["C1", "child", "Leo", "Okafor", "2016-05-01", "M", "BAFR", "NONE"],
    ["C2", "child", "Mia", "Okafor", "02/03/2019", "F", "BAFR", ""],
    ["A1", "adult", "Grace", "Okafor", "1988-01-09", "F", "BAFR", ""],
]
CASES_HEADER = [
    "CaseID", "CaseReference", "CaseName", "Team", "Service", "CaseOpenedDate", "LAchildID",
]  # fmt: skip
CASES = [
    ["K1", "LCS-0001", "Okafor family", "Assessment team", "child_protection", "2024-04-01", "C1"],
    ["K1", "LCS-0001", "Okafor family", "Assessment team", "child_protection", "2024-04-01", "C2"],
    ["K1", "LCS-0001", "Okafor family", "Assessment team", "child_protection", "2024-04-01", "A1"],
]


@pytest.fixture
def family(team, write_csv, run_file):
    """People and a case imported from the legacy system LCS."""
    people = run_file("people", write_csv("people.csv", PEOPLE_HEADER, PEOPLE))
    cases = run_file("cases", write_csv("cases.csv", CASES_HEADER, CASES))
    assert (people.state, cases.state) == ("imported", "imported")
    return people, cases
