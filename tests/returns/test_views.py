"""The census page, its download and the command: who may use them, and the audit."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from lxml import etree

from agencies.models import Role
from core.models import AuditEvent
from tests import factories

pytestmark = pytest.mark.django_db
PAGE = reverse("returns:cin_census")
DOWNLOAD = reverse("returns:cin_census_download")


@pytest.fixture
def world():
    world = factories.census_world()
    factories.census_episode(world=world, received_on=datetime.date(2025, 6, 2))
    return world


def signed_in(client, world, role):
    user = factories.UserFactory(agency=world["agency"], team=world["team"], role=role)
    client.force_login(user)
    return user


@pytest.mark.parametrize("role", [Role.PERFORMANCE_ANALYST, Role.SENIOR_LEADER])
def test_analysts_and_leaders_see_the_page_and_download(client, world, role):
    user = signed_in(client, world, role)
    page = client.get(PAGE, {"year": 2026})
    assert page.status_code == 200
    assert b"Census 2025-26" in page.content
    response = client.get(DOWNLOAD, {"year": 2026})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    assert "CIN_census_999_2026.xml" in response["Content-Disposition"]
    root = etree.fromstring(response.content)
    assert root.findtext("Header/Source/LEA") == "999"
    event = AuditEvent.objects.get(verb="returns.cin_census_exported")
    assert event.actor == user and event.agency_id == world["agency"].pk
    assert event.changes["year"] == 2026 and event.changes["children"] == 1


@pytest.mark.parametrize(
    "role",
    [
        Role.SOCIAL_WORKER,
        Role.TEAM_MANAGER,
        Role.CONFERENCE_CHAIR,
        Role.PRACTICE_LEAD,
        Role.ADMINISTRATOR,
    ],
)
def test_everyone_else_is_refused(client, world, role):
    signed_in(client, world, role)
    assert client.get(PAGE).status_code == 403
    assert client.get(DOWNLOAD, {"year": 2026}).status_code == 403
    assert not AuditEvent.objects.filter(verb="returns.cin_census_exported").exists()


def test_signed_out_is_sent_to_sign_in(client):
    assert client.get(PAGE).status_code == 302


def test_only_the_users_own_agency(client, world):
    other = factories.census_world(code="998")
    signed_in(client, other, Role.PERFORMANCE_ANALYST)
    root = etree.fromstring(client.get(DOWNLOAD, {"year": 2026}).content)
    assert root.findtext("Header/Source/LEA") == "998"
    assert str(world["child"].pk) not in [e.text for e in root.iter("LAchildID")]


def test_report_links_each_failure_to_the_childs_process_page(client, world):
    child = world["child"]
    child.ethnicity, child.disabilities = "NOBT", []
    child.save()
    signed_in(client, world, Role.PERFORMANCE_ANALYST)
    page = client.get(PAGE, {"year": 2026}).content.decode()
    assert "8540" in page
    assert reverse("process:case_process", args=[world["case"].pk]) in page
    assert child.display_name in page


def test_page_only_is_not_audited_and_bad_year_is_refused(client, world):
    signed_in(client, world, Role.SENIOR_LEADER)
    assert client.get(PAGE, {"year": 2026}).status_code == 200
    assert not AuditEvent.objects.filter(verb="returns.cin_census_exported").exists()
    assert client.get(PAGE, {"year": 1999}).status_code == 400
    assert client.get(DOWNLOAD, {"year": 1999}).status_code == 302


def test_agency_code_that_is_not_an_la_number(client):
    world = factories.census_world(code="T01")
    signed_in(client, world, Role.PERFORMANCE_ANALYST)
    assert b"not a three-digit DfE local authority number" in client.get(PAGE).content
    response = client.get(DOWNLOAD, {"year": 2026}, follow=True)
    assert b"not a three-digit DfE local authority number" in response.content
    assert not AuditEvent.objects.filter(verb="returns.cin_census_exported").exists()


def test_htmx_gets_the_report_only(client, world):
    signed_in(client, world, Role.SENIOR_LEADER)
    response = client.get(PAGE, {"year": 2026}, headers={"HX-Request": "true"})
    assert b'id="report"' in response.content and b"<h1>" not in response.content


def test_command_writes_the_file_and_audits(world, tmp_path, capsys):
    out = tmp_path / "cin.xml"
    call_command("cin_census", agency="999", year=2026, out=str(out))
    printed = capsys.readouterr().out
    assert "children: 1" in printed and "Failures: 0" in printed
    assert etree.fromstring(out.read_bytes()).findtext("Header/CollectionDetails/Year") == "2026"
    event = AuditEvent.objects.get(verb="returns.cin_census_exported")
    assert event.actor is None and event.changes["children"] == 1
