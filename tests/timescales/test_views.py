import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from agencies.models import Role
from core.models import AuditEvent
from tests import factories
from timescales.models import Deadline, TimescaleRules

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture
def overdue(case, child):
    return factories.DeadlineFactory(
        case=case, child=child, kind="cp_visit", started_on=days(-30), due_on=days(-3)
    )


def reason_url(deadline):
    return reverse("timescales:overdue_reason", args=[deadline.case_id, deadline.pk])


def test_my_work_page(client, worker, case, overdue):
    factories.DeadlineFactory(case=case, kind="cin_review", started_on=days(-5), due_on=days(2))
    client.force_login(worker)
    response = client.get(reverse("timescales:my_work"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>My work</h1>" in page
    assert "Visit the child (child protection plan)" in page
    assert "Review the child in need plan" in page
    assert f'href="/cases/{case.pk}/process/#step-cp_visit"' in page
    assert "Say why it is late" in page
    assert f'id="reason-{overdue.pk}-reason"' in page


def test_my_work_partial_for_htmx(client, worker, overdue):
    client.force_login(worker)
    response = client.get(reverse("timescales:my_work"), **HTMX)
    page = response.content.decode()
    assert page.lstrip().startswith('<div id="worklist">')
    assert "<h1>" not in page


@pytest.mark.parametrize(
    "role", [Role.ADMINISTRATOR, Role.PRACTICE_LEAD, Role.SENIOR_LEADER, Role.CONFERENCE_CHAIR]
)
def test_my_work_is_for_people_who_hold_cases(client, role, team):
    client.force_login(factories.UserFactory(team=team, role=role))
    assert client.get(reverse("timescales:my_work")).status_code == 403


def test_team_work_page(client, manager, worker, case, overdue):
    factories.CaseFactory(team=case.team, name="Nobody's family")
    client.force_login(manager)
    response = client.get(reverse("timescales:team_work"))
    assert response.status_code == 200
    page = response.content.decode()
    assert f"Team work: {case.team.name}" in page
    assert f"Held by {worker}" in page
    assert "Nobody&#x27;s family" in page
    assert "Allocate" in page
    partial = client.get(reverse("timescales:team_work"), **HTMX).content.decode()
    assert partial.lstrip().startswith('<div id="team-worklist">')


def test_team_work_is_for_team_managers(client, worker):
    client.force_login(worker)
    assert client.get(reverse("timescales:team_work")).status_code == 403


# Reasons for being overdue -------------------------------------------------------------------


def test_a_reason_without_javascript_comes_back_to_the_list(client, worker, overdue):
    client.force_login(worker)
    response = client.post(
        reason_url(overdue), {"reason": "Family on holiday", "next": "/team-work/"}
    )
    assert response.status_code == 302
    assert response.url == "/team-work/"
    overdue.refresh_from_db()
    assert overdue.overdue_reason == "Family on holiday"
    assert AuditEvent.objects.filter(verb="timescales.overdue_reason_recorded").count() == 1


def test_a_reason_never_redirects_off_site(client, worker, overdue):
    client.force_login(worker)
    response = client.post(reason_url(overdue), {"reason": "Late", "next": "https://evil.example/"})
    assert response.url == reverse("timescales:my_work")


def test_a_reason_with_htmx_swaps_the_item(client, worker, overdue):
    client.force_login(worker)
    response = client.post(
        reason_url(overdue), {"reason": "Family on holiday", "next": "/my-work/"}, **HTMX
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert page.lstrip().startswith(
        f'<li class="entry deadline deadline--overdue" id="deadline-{overdue.pk}"'
    )
    assert "Family on holiday" in page
    assert "Saved the reason." in page


def test_an_empty_reason_is_refused(client, worker, overdue):
    client.force_login(worker)
    response = client.post(reason_url(overdue), {"reason": "  "})
    assert response.status_code == 400
    assert "There is a problem" in response.content.decode()
    response = client.post(reason_url(overdue), {"reason": ""}, **HTMX)
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert f'id="deadline-{overdue.pk}"' in response.content.decode()
    overdue.refresh_from_db()
    assert overdue.overdue_reason == ""


def test_a_reason_for_something_not_overdue_is_refused(client, worker, case):
    due = factories.DeadlineFactory(case=case, due_on=days(3))
    client.force_login(worker)
    response = client.post(reason_url(due), {"reason": "Just in case"})
    assert response.status_code == 400
    assert "not overdue" in response.content.decode()


def test_the_reason_form_page_works_without_javascript(client, worker, overdue):
    client.force_login(worker)
    response = client.get(reason_url(overdue) + "?next=/my-work/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>Why is it late?</h1>" in page
    assert 'value="/my-work/"' in page


def test_reasons_are_for_people_who_record_on_the_case(client, case, overdue):
    reader = factories.UserFactory(team=None, agency=case.agency, role=Role.PRACTICE_LEAD)
    client.force_login(reader)
    assert client.post(reason_url(overdue), {"reason": "x"}).status_code == 403
    outsider = factories.UserFactory(role=Role.SOCIAL_WORKER)
    client.force_login(outsider)
    assert client.post(reason_url(overdue), {"reason": "x"}).status_code == 404


def test_a_deadline_of_another_case_is_not_found(client, worker, team, overdue):
    other = factories.CaseFactory(team=team)
    client.force_login(worker)
    url = reverse("timescales:overdue_reason", args=[other.pk, overdue.pk])
    assert client.post(url, {"reason": "x"}).status_code == 404


# The agency's timescales ---------------------------------------------------------------------


def test_a_practice_lead_changes_the_timescales(client, case, overdue):
    lead = factories.UserFactory(team=None, agency=case.agency, role=Role.PRACTICE_LEAD)
    client.force_login(lead)
    response = client.get(reverse("timescales:rules"))
    assert response.status_code == 200
    assert "Statutory timescales" in response.content.decode()
    values = {
        "calendar_region": "GB-ENG",
        "referral_decision_days": 1,
        "assessment_days": 45,
        "initial_conference_days": 15,
        "first_core_group_days": 10,
        "first_review_months": 3,
        "later_review_months": 6,
        "cp_visit_days": 15,
        "cin_review_every": 3,
        "cin_review_unit": "months",
    }
    response = client.post(reverse("timescales:rules"), values)
    assert response.status_code == 302
    rules = TimescaleRules.objects.get(agency=case.agency)
    assert (rules.cp_visit_days, rules.updated_by) == (15, lead)
    overdue.refresh_from_db()
    assert overdue.due_on != days(-3)  # moved under the new rule
    assert AuditEvent.objects.filter(verb="timescales.rules_changed").count() == 1


def test_timescales_must_be_whole_positive_numbers(client, case):
    admin = factories.UserFactory(team=None, agency=case.agency, role=Role.ADMINISTRATOR)
    client.force_login(admin)
    response = client.post(reverse("timescales:rules"), {"calendar_region": "GB-ENG"})
    assert response.status_code == 400
    assert "There is a problem" in response.content.decode()
    assert not AuditEvent.objects.filter(verb="timescales.rules_changed").exists()


def test_timescales_are_kept_by_administrators_and_practice_leads(client, worker, manager):
    for user in (worker, manager):
        client.force_login(user)
        assert client.get(reverse("timescales:rules")).status_code == 403


def test_withdrawn_deadlines_are_not_found(client, worker, case):
    gone = factories.DeadlineFactory(case=case, due_on=days(-3), status=Deadline.Status.WITHDRAWN)
    client.force_login(worker)
    assert client.get(reason_url(gone)).status_code == 404


# The case page's section ---------------------------------------------------------------------


def render_case_section(case, user):
    from django.template.loader import render_to_string
    from django.test import RequestFactory

    from timescales.selectors import case_deadlines_summary

    request = RequestFactory().get(f"/cases/{case.pk}/")
    request.user = user
    context = {"case": case, "timescales": case_deadlines_summary(case, user=user)}
    return render_to_string("timescales/_case_section.html", context, request=request)


def test_the_case_section_shows_overdue_with_reasons_and_next_due(case, worker, overdue):
    Deadline.objects.filter(pk=overdue.pk).update(
        overdue_reason="Family away", overdue_reason_by=worker, overdue_reason_at=timezone.now()
    )
    factories.DeadlineFactory(case=case, kind="cin_review", started_on=days(-5), due_on=days(20))
    page = render_case_section(case, worker)
    assert 'id="timescales"' in page
    assert "Why it is late:</strong> Family away" in page
    assert "Review the child in need plan" in page
    assert f"{reason_url(overdue)}?next=/cases/{case.pk}/" in page
    reader = factories.UserFactory(team=None, agency=case.agency, role=Role.PRACTICE_LEAD)
    assert reason_url(overdue) not in render_case_section(case, reader)


def test_the_case_section_with_nothing_due(case, worker):
    assert "Nothing is due." in render_case_section(case, worker)


@pytest.mark.parametrize("size", [2, 15])
def test_the_case_section_takes_a_fixed_number_of_queries(
    case, worker, child, size, django_assert_max_num_queries
):
    for n in range(size):
        factories.DeadlineFactory(case=case, child=child, due_on=days(n - size // 2))
    with django_assert_max_num_queries(4):
        render_case_section(case, worker)


@pytest.mark.parametrize("size", [2, 15])
def test_worklist_pages_take_a_fixed_number_of_queries(
    client, team, worker, manager, size, django_assert_max_num_queries
):
    for _ in range(size):
        case = factories.CaseFactory(team=team)
        factories.AllocationFactory(case=case, worker=worker)
        child = factories.PersonFactory(agency=case.agency)
        factories.DeadlineFactory(case=case, child=child, due_on=days(-2))
        factories.DeadlineFactory(case=case, due_on=days(3))
        factories.DeadlineFactory(case=case, due_on=days(-3), status="met", met_on=days(-2))
        factories.CaseFactory(team=team)
    for user, name in ((worker, "timescales:my_work"), (manager, "timescales:team_work")):
        client.force_login(user)
        with django_assert_max_num_queries(12):
            assert client.get(reverse(name)).status_code == 200
