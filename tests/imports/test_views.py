import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from core.models import AuditEvent
from imports.models import ImportRun
from people.models import Person
from tests import factories
from tests.imports.conftest import PEOPLE, PEOPLE_HEADER


def _csv_upload(rows, name="people.csv"):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(PEOPLE_HEADER)
    writer.writerows(rows)
    return SimpleUploadedFile(name, out.getvalue().encode(), content_type="text/csv")


@pytest.fixture
def upload(client, django_capture_on_commit_callbacks):
    """Upload a people file; the check runs when the upload commits (the immediate backend)."""

    def post(rows):
        data = {"kind": "people", "source_system": "LCS", "upload": _csv_upload(rows)}
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(reverse("imports:home"), data)

    return post


def test_only_administrators_and_analysts_may_import(client, agency, upload):
    client.force_login(factories.UserFactory(agency=agency, role="social_worker"))
    assert client.get(reverse("imports:home")).status_code == 403
    assert upload(PEOPLE).status_code == 403
    assert not ImportRun.objects.exists()


def test_upload_checks_first_then_imports_on_confirmation(
    client, analyst, team, upload, django_capture_on_commit_callbacks
):
    client.force_login(analyst)
    response = upload(PEOPLE)
    run = ImportRun.objects.get()
    assert response.url == reverse("imports:run_detail", args=[run.pk])
    page = client.get(response.url)
    assert page.status_code == 200
    assert b"Checked: ready to import" in page.content
    assert b"Import 3 rows" in page.content
    assert not Person.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        confirm = client.post(reverse("imports:run_confirm", args=[run.pk]))
    real = ImportRun.objects.get(checked_by_run=run)
    assert confirm.url == reverse("imports:run_detail", args=[real.pk])
    assert real.state == "imported"
    assert Person.objects.count() == 3
    # The check can't be imported twice.
    client.post(reverse("imports:run_confirm", args=[run.pk]))
    assert ImportRun.objects.count() == 2
    verbs = AuditEvent.objects.filter(verb__startswith="imports.").order_by("id")
    verbs = verbs.values_list("verb", flat=True)
    assert list(verbs) == ["imports.file_checked", "imports.file_imported"]
    history = client.get(reverse("imports:home"))
    assert history.content.count(b"people.csv") == 2


def test_the_report_lists_each_problem_with_row_column_value_and_reason(
    client, analyst, team, upload
):
    client.force_login(analyst)
    upload([["C1", "kid", "Leo", "Okafor", "2016-05-01", "M", "BAFR", ""]])
    run = ImportRun.objects.get()
    page = client.get(reverse("imports:run_detail", args=[run.pk])).content.decode()
    assert "Refused: nothing was written" in page
    assert "<td>2</td><td>PersonType</td><td>kid</td><td>is not a code in the list" in page
    assert "run_confirm" not in page and "Import 0" not in page
    assert client.post(reverse("imports:run_confirm", args=[run.pk])).status_code == 302
    assert ImportRun.objects.count() == 1


def test_a_file_that_is_not_csv_or_xlsx_is_refused_at_upload(client, analyst):
    client.force_login(analyst)
    data = {
        "kind": "people",
        "source_system": "LCS",
        "upload": SimpleUploadedFile("people.txt", b"x"),
    }
    response = client.post(reverse("imports:home"), data)
    assert response.status_code == 400
    assert b"Upload a CSV or an XLSX file." in response.content


def test_the_progress_partial_polls_until_the_run_finishes(client, analyst):
    run = factories.ImportRunFactory(
        agency=analyst.agency, state="checking", rows_expected=100, rows_read=40
    )
    client.force_login(analyst)
    url = reverse("imports:run_detail", args=[run.pk])
    partial = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert partial.startswith('\n<section id="progress"') or partial.lstrip().startswith(
        '<section id="progress"'
    )
    assert 'hx-trigger="every 2s"' in partial
    assert 'max="100" value="40"' in partial
    assert f'href="{url}">Refresh' in partial
    run.state = "checked"
    run.save()
    assert "hx-trigger" not in client.get(url, headers={"HX-Request": "true"}).content.decode()


def test_an_import_waiting_for_another_says_what_it_waits_for_and_keeps_polling(client, analyst):
    run = factories.ImportRunFactory(
        agency=analyst.agency, kind="people", source_system="LCS", dry_run=False,
        state="waiting", rows_expected=100,
    )  # fmt: skip
    client.force_login(analyst)
    partial = client.get(
        reverse("imports:run_detail", args=[run.pk]), headers={"HX-Request": "true"}
    ).content.decode()
    assert "Waiting for another import to finish" in partial
    assert "Another import of people (children and adults) from LCS is being written" in partial
    assert 'hx-trigger="every 2s"' in partial


def test_another_agencys_run_is_not_found(client, analyst):
    run = factories.ImportRunFactory()
    client.force_login(analyst)
    assert client.get(reverse("imports:run_detail", args=[run.pk])).status_code == 404
    assert client.post(reverse("imports:run_confirm", args=[run.pk])).status_code == 404


def test_templates_download_with_the_documented_columns(client, analyst):
    client.force_login(analyst)
    response = client.get(reverse("imports:template", args=["referrals", "csv"]))
    assert response.content.decode().strip() == (
        "ReferralID,CaseID,LAchildID,CINreferralDate,ReferralSource,PrimaryNeedCode,"
        "ReferralDecision,ReferralDecisionDate,Summary"
    )
    response = client.get(reverse("imports:template", args=["looked_after", "xlsx"]))
    book = load_workbook(io.BytesIO(response.content))
    assert [c.value for c in book["looked_after"][1]] == [
        "EpisodeID", "CaseID", "LAchildID", "DECOM", "LS", "PL", "DEC", "REC",
    ]  # fmt: skip
    guide = list(book["Columns"].values)
    assert guide[5][:2] == ("LS", "Yes") and "C1 = C1 Interim care order" in guide[5][4]
    assert client.get(reverse("imports:template", args=["nope", "csv"])).status_code == 404


def test_the_guide_lists_every_kind_and_its_columns(client, analyst):
    client.force_login(analyst)
    page = client.get(reverse("imports:layouts")).content.decode()
    for name in ["CINreferralDate", "S47ActualStartDate", "CPPstartDate", "DECOM"]:
        assert f"<code>{name}</code>" in page
