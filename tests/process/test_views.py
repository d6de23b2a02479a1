"""The process pages: full page or htmx partial, forms pre-filled, refusals explained, audited."""

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from core.models import AuditEvent
from process import selectors
from process.models import Approval, Referral
from tests import factories
from tests.factories import process_day, process_to

pytestmark = pytest.mark.django_db


def _url(name, case, *args):
    return reverse(f"process:{name}", args=[case.pk, *args])


def test_the_process_page_shows_stage_steps_and_timeline_and_is_audited(
    client, worker, case, child
):
    process_to("conference_decided", actor=worker, case=case, child=child)
    client.force_login(worker)
    response = client.get(_url("case_process", case))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="step-cp_plan"' in html
    assert "Initial child protection conference" in html
    assert "Open the conference map" in html
    assert AuditEvent.objects.filter(verb="process.viewed", case_id=case.pk).exists()


def test_htmx_gets_just_the_page_body(client, worker, case, child):
    client.force_login(worker)
    response = client.get(_url("case_process", case), HTTP_HX_REQUEST="true")
    assert "<html" not in response.content.decode()
    assert "Statutory process" in response.content.decode()


def test_a_referral_is_prefilled_from_the_latest_contact(client, worker, case, child):
    client.force_login(worker)
    response = client.post(
        _url("contact_add", case),
        {"contact_on": "2026-01-04", "source": "3B", "child": child.pk, "summary": "Worried"},
    )
    assert response.status_code == 302
    form = client.get(_url("referral_add", case)).context["form"]
    assert form.initial["source"] == "3B"
    assert form.initial["child"] == child.pk
    response = client.post(
        _url("referral_add", case),
        {"child": child.pk, "received_on": "2026-01-05", "source": "3B", "primary_need": "N1"},
    )
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert referral.contact is not None


def test_the_plan_form_is_prefilled_from_the_conference_decision(client, worker, case, child):
    conference = process_to("conference_decided", actor=worker, case=case, child=child)[
        "conference"
    ]
    client.force_login(worker)
    response = client.get(_url("cp_plan_start", case) + f"?conference={conference.pk}")
    initial = response.context["form"].initial
    assert initial == {
        "conference": conference.pk,
        "started_on": conference.held_on,
        "category": "EMO",
    }
    response = client.post(
        _url("cp_plan_start", case),
        {"conference": conference.pk, "started_on": "2026-01-21", "category": "EMO"},
    )
    assert response.status_code == 200
    assert "starts on the day of the conference" in response.content.decode()


def test_a_refused_step_comes_back_with_the_reason_and_the_answers(client, worker, case, child):
    process_to("s47", actor=worker, case=case, child=child)
    client.force_login(worker)
    response = client.post(
        _url("conference_start", case),
        {"child": child.pk, "kind": "initial", "held_on": "2026-01-06"},
    )
    html = response.content.decode()
    assert "can&#x27;t be before its section 47 enquiry started" in html
    assert 'value="2026-01-06"' in html


def test_starting_a_conference_opens_its_map(client, worker, case, child):
    process_to("s47_completed", actor=worker, case=case, child=child)
    client.force_login(worker)
    response = client.post(
        _url("conference_start", case),
        {"child": child.pk, "kind": "initial", "held_on": process_day(15).isoformat()},
    )
    conference = case.maps.latest("number").conferences.get()
    assert response.url == reverse("practice:map_detail", args=[case.pk, conference.map_id])


def test_a_form_with_errors_is_shown_with_an_error_summary(client, worker, case, child):
    client.force_login(worker)
    response = client.post(_url("visit_add", case), {"child": child.pk})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()


def test_a_stale_decision_is_explained(client, worker, case, child):
    referral = process_to("referral", actor=worker, case=case, child=child)["referral"]
    client.force_login(worker)
    response = client.post(
        _url("referral_decide", case, referral.pk),
        {"revision": 5, "decision": "assessment", "decided_on": "2026-01-06"},
    )
    assert "Someone else changed this referral" in response.content.decode()


def test_readers_cannot_record(client, worker, case, child):
    lead = factories.UserFactory(team=None, agency=case.agency, role="practice_lead")
    client.force_login(lead)
    assert client.get(_url("case_process", case)).status_code == 200
    assert client.get(_url("visit_add", case)).status_code == 403


def test_the_manager_approves_from_their_list(client, worker, manager, case, child):
    process_to("cp_plan", actor=worker, case=case, child=child)
    approval = Approval.objects.get()
    client.force_login(manager)
    listing = client.get(reverse("process:approvals")).content.decode()
    assert f'id="approval-{approval.pk}"' in listing
    url = _url("approval_decide", case, approval.pk)
    response = client.post(url, {"decision": "return", "comments": ""})
    assert "Say what needs to change" in response.content.decode()
    response = client.post(url, {"decision": "approve", "comments": "Good plan."})
    assert response.status_code == 302
    approval.refresh_from_db()
    assert approval.status == Approval.Status.APPROVED


def test_a_returned_item_can_be_sent_back(client, worker, manager, case, child):
    from process import services

    process_to("cp_plan", actor=worker, case=case, child=child)
    approval = Approval.objects.get()
    services.approval_return(actor=manager, approval=approval, comments="Say why EMO.")
    client.force_login(worker)
    page = client.get(_url("case_process", case)).content.decode()
    assert "Say why EMO." in page
    response = client.post(_url("approval_resubmit", case, approval.pk), {"note": "Added"})
    assert response.status_code == 302
    assert Approval.objects.filter(status="submitted").count() == 1


def test_the_case_section_renders_with_its_summary(rf, worker, case, child):
    process_to("cp_plan", actor=worker, case=case, child=child)
    request = rf.get("/")
    request.user = worker
    html = render_to_string(
        "process/_case_section.html",
        {"case": case, "process": selectors.case_process_summary(case, user=worker)},
        request=request,
    )
    assert "Child protection plan" in html
    assert 'id="step-first_core_group"' in html
    assert "Awaiting approval" in html
