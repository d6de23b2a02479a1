"""Subject access exports, retention reviews and spreadsheet-safe downloads."""

import datetime

import pytest
from django.urls import reverse

from agencies.models import Role
from core.exports import spreadsheet_safe
from core.models import AuditEvent
from people.models import Case
from people.retention import retention_due
from practice import services
from tests import factories

pytestmark = pytest.mark.django_db


def test_subject_access_export_holds_their_record_and_marks_other_people(
    client, case, worker, child, draft_map
):
    mum = factories.PersonFactory(agency=case.agency, kind="adult", given_name="Jade")
    factories.CaseMemberFactory(case=case, person=mum)
    services.map_entry_add(
        actor=worker,
        map_=draft_map,
        category="harm",
        text="Jade saw Leo fall down the stairs.",
        children=[child],
    )
    leader = factories.UserFactory(team=None, agency=case.agency, role=Role.SENIOR_LEADER)
    client.force_login(leader)
    html = client.get(reverse("casefile:subject_access", args=[child.pk])).content.decode()
    assert "What we hold about Leo Testington" in html
    assert '<mark class="third-party">Jade</mark> saw Leo fall down the stairs.' in html
    assert AuditEvent.objects.filter(
        verb="person.subject_access_export", target_id=child.pk
    ).exists()
    client.force_login(worker)
    assert client.get(reverse("casefile:subject_access", args=[child.pk])).status_code == 404
    outsider = factories.UserFactory(role=Role.SENIOR_LEADER)
    client.force_login(outsider)
    assert client.get(reverse("casefile:subject_access", args=[child.pk])).status_code == 404


def test_retention_review_lists_closed_cases_by_the_youngest_childs_age(case, child):
    admin = factories.UserFactory(team=None, agency=case.agency, role=Role.ADMINISTRATOR)
    today = datetime.date(2026, 11, 26)
    assert retention_due(admin, today=today) == []  # open
    Case.objects.filter(pk=case.pk).update(status="closed", closed_on=datetime.date(2020, 1, 1))
    child.date_of_birth = datetime.date(2001, 12, 1)  # 25 on 1 December 2026
    child.save()
    due = retention_due(admin, today=today)
    assert [(d.case, d.review_on, d.rule) for d in due] == [
        (case, datetime.date(2026, 12, 1), "default")
    ]
    younger = factories.PersonFactory(agency=case.agency, date_of_birth=datetime.date(2010, 1, 1))
    factories.CaseMemberFactory(case=case, person=younger)
    assert retention_due(admin, today=today) == []  # kept until the youngest is 25
    worker = factories.UserFactory(team=case.team)
    assert retention_due(worker, today=today) == []


def test_looked_after_childrens_records_are_kept_for_75_years(case, child):
    from people.retention import retention_review_date

    case.service = "children_looked_after"
    case.child_memberships = list(case.memberships.select_related("person"))
    assert retention_review_date(case) == (datetime.date(2093, 4, 1), "children_looked_after")


def test_spreadsheet_formulas_are_neutralised():
    assert spreadsheet_safe(['=HYPERLINK("x")', "+1", "-2", "@SUM(A1)", "plain", 3]) == [
        '\'=HYPERLINK("x")',
        "'+1",
        "'-2",
        "'@SUM(A1)",
        "plain",
        3,
    ]


def test_access_report_downloads_as_safe_csv(client, case, manager):
    evil = factories.UserFactory(team=case.team, first_name="=cmd|' /C calc'!A0", last_name="X")
    client.force_login(evil)
    client.get(reverse("casefile:case_detail", args=[case.pk]))
    client.force_login(manager)
    response = client.get(reverse("casefile:case_access_report_csv", args=[case.pk]))
    body = response.content.decode()
    assert response["Content-Type"].startswith("text/csv")
    assert "'=cmd" in body and ",=cmd" not in body
