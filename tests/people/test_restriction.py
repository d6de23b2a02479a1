"""Restricted cases, break-glass access and soft deletion."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from agencies.models import Role
from core.models import AuditEvent
from people import services
from people.selectors import break_glass_report, case_list_visible_to
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def colleague(team):
    return factories.UserFactory(team=team, role=Role.SOCIAL_WORKER)


@pytest.fixture
def restricted(case, manager):
    return services.case_restrict(actor=manager, case=case, reason="A staff member's relative")


def test_restricting_keeps_the_manager_and_worker_and_hides_it_from_everyone_else(
    restricted, manager, worker, colleague, case
):
    chair = factories.UserFactory(team=None, agency=case.agency, role=Role.CONFERENCE_CHAIR)
    assert manager.has_perm("people.view_case", case)
    assert worker.has_perm("people.view_case", case)
    for outsider in [colleague, chair]:
        assert not outsider.has_perm("people.view_case", case)
        assert case not in case_list_visible_to(outsider, status="")
        assert not case_list_visible_to(outsider, search=case.reference, status="").exists()


def test_a_person_added_to_the_list_can_find_it_and_removing_them_hides_it(
    restricted, manager, colleague, case
):
    grant = services.case_access_grant(actor=manager, case=case, user=colleague)
    assert grant.agency_id == case.agency_id
    assert colleague.has_perm("people.view_case", case)
    services.case_access_revoke(actor=manager, grant=grant)
    assert not colleague.has_perm("people.view_case", case)


def test_break_glass_opens_for_a_while_and_is_reported(
    restricted, manager, colleague, case, client
):
    client.force_login(colleague)
    url = reverse("casefile:case_detail", args=[case.pk])
    assert client.get(url).status_code == 404
    response = client.post(
        reverse("people:break_glass"),
        {"reference": case.reference, "reason": "Police at the house tonight"},
    )
    assert response.status_code == 302 and response.url == url
    assert client.get(url).status_code == 200
    event = AuditEvent.objects.get(verb="case.break_glass")
    assert event.actor == colleague and event.changes["reason"] == "Police at the house tonight"
    assert [a.user for a in break_glass_report(manager)] == [colleague]
    client.force_login(manager)
    report = client.get(reverse("people:break_glass_report")).content.decode()
    assert "Police at the house tonight" in report
    # It expires.
    case.break_glass.update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    assert not colleague.has_perm("people.view_case", case)


def test_break_glass_needs_a_reason_and_a_case_the_role_could_reach(restricted, case, client):
    stranger = factories.UserFactory()  # another agency
    client.force_login(stranger)
    response = client.post(
        reverse("people:break_glass"),
        {"reference": case.reference, "reason": "I am curious about this"},
    )
    assert "There is no restricted case with that reference" in response.content.decode()
    assert not case.break_glass.exists()
    with pytest.raises(ValidationError):
        services.case_break_glass(actor=stranger, case=case, reason="short")


def test_unrestricted_cases_cannot_be_broken_into(case, colleague, client):
    client.force_login(colleague)
    client.post(
        reverse("people:break_glass"), {"reference": case.reference, "reason": "Because I can"}
    )
    assert not case.break_glass.exists()


def test_soft_delete_hides_the_case_and_an_administrator_restores_it(case, manager, worker, client):
    client.force_login(manager)
    client.post(reverse("people:case_delete", args=[case.pk]), {"reason": "Recorded in error"})
    case.refresh_from_db()
    assert case.deleted_at is not None and case.deletion_reason == "Recorded in error"
    assert not worker.has_perm("people.view_case", case)
    assert client.get(reverse("casefile:case_detail", args=[case.pk])).status_code == 404
    admin = factories.UserFactory(team=None, agency=case.agency, role=Role.ADMINISTRATOR)
    client.force_login(admin)
    listing = client.get(reverse("people:deleted_cases")).content.decode()
    assert case.reference in listing and "Recorded in error" in listing
    client.post(reverse("people:deleted_cases"), {"case": case.pk})
    case.refresh_from_db()
    assert case.deleted_at is None
    assert worker.has_perm("people.view_case", case)
    assert list(
        AuditEvent.objects.filter(case_id=case.pk, verb__in=["case.deleted", "case.restored"])
        .values_list("verb", flat=True)
        .order_by("id")
    ) == ["case.deleted", "case.restored"]


def test_only_managers_restrict_or_delete_and_only_administrators_restore(case, worker, client):
    client.force_login(worker)
    assert client.get(reverse("people:case_restriction", args=[case.pk])).status_code == 403
    assert (
        client.post(reverse("people:case_delete", args=[case.pk]), {"reason": "x"}).status_code
        == 403
    )
    assert client.get(reverse("people:deleted_cases")).status_code == 403
    case.refresh_from_db()
    assert case.deleted_at is None


def test_restriction_page_flow(case, manager, colleague, client):
    client.force_login(manager)
    url = reverse("people:case_restriction", args=[case.pk])
    client.post(url, {"action": "restrict", "reason": "A relative of a team member"})
    case.refresh_from_db()
    assert case.is_restricted
    client.post(url, {"action": "grant", "user": colleague.pk})
    assert colleague.has_perm("people.view_case", case)
    page = client.get(url).content.decode()
    assert str(colleague) in page and "Access list" in page
