import pytest
from django.core.management import CommandError, call_command

from imports.models import ImportRun
from people.models import Person
from tests import factories
from tests.imports.conftest import PEOPLE, PEOPLE_HEADER


def test_the_command_checks_then_imports_with_a_progress_bar(analyst, team, write_csv, capsys):
    path = write_csv("people.csv", PEOPLE_HEADER, PEOPLE)
    admin = factories.UserFactory(agency=analyst.agency, team=None, role="administrator")
    call_command("legacy_import", str(path), agency="873", kind="people", dry_run=True)
    assert ImportRun.objects.get().started_by == admin  # the agency's administrator by default
    out = capsys.readouterr()
    assert "Checked: ready to import" in out.out
    assert "100%" in out.err and "rows/s" in out.err
    assert not Person.objects.exists()
    call_command("legacy_import", str(path), agency="873", kind="people", user=analyst.username)
    assert Person.objects.count() == 3
    assert ImportRun.objects.order_by("pk").last().started_by == analyst


def test_the_command_refuses_a_bad_file_with_its_report(analyst, team, write_csv, capsys):
    path = write_csv("people.csv", PEOPLE_HEADER, [["C1", "kid", "Leo", "Okafor", "", "", "", ""]])
    with pytest.raises(CommandError) as refused:
        call_command("legacy_import", str(path), agency="873", kind="people", user=analyst.username)
    assert refused.value.returncode == 1
    assert "row 2, PersonType = 'kid': is not a code in the list" in capsys.readouterr().out
    assert not Person.objects.exists()


def test_the_command_needs_a_known_agency(db, tmp_path):
    with pytest.raises(CommandError, match="No agency has the code 000"):
        call_command("legacy_import", str(tmp_path / "x.csv"), agency="000", kind="people")
