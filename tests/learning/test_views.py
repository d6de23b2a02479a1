import datetime

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from agencies.models import Role
from core.models import AuditEvent
from learning import selectors, services
from learning.models import SupervisionAction, SupervisionSession
from people.services import case_restrict
from practice.models import MeetingPurpose
from tests import factories

pytestmark = pytest.mark.django_db


def test_a_supervisor_records_a_group_supervision_through_the_form(
    client, manager, worker, colleague, case, today
):
    client.force_login(manager)
    page = client.get(reverse("learning:session_add"))
    assert page.status_code == 200 and case.name in page.content.decode()
    response = client.post(
        reverse("learning:session_add"),
        {
            "kind": "group",
            "held_on": today.isoformat(),
            "case": case.pk,
            "presenter": worker.pk,
            "attendees": [colleague.pk],
            "focus": "Safe enough to close?",
        },
    )
    session = SupervisionSession.objects.get()
    assert response.url == reverse("learning:session_detail", args=[session.pk])
    assert set(session.attendees.all()) == {worker, colleague}
    # The map is started from the session and edited in the ordinary map editor.
    response = client.post(reverse("learning:session_map_start", args=[session.pk]))
    session.refresh_from_db()
    assert session.map.purpose == MeetingPurpose.SUPERVISION
    assert response.url == reverse("practice:map_detail", args=[case.pk, session.map_id])
    response = client.post(
        reverse("learning:action_add", args=[session.pk]),
        {"text": "Ask Nan to the network meeting", "owner": worker.pk, "due_on": today},
    )
    assert response.status_code == 302
    assert SupervisionAction.objects.get().owner == worker
    page = client.get(reverse("learning:session_detail", args=[session.pk])).content.decode()
    assert "Ask Nan to the network meeting" in page and "Map 1 for" in page


def test_group_supervision_without_a_case_is_sent_back_with_the_error(client, manager, worker):
    client.force_login(manager)
    response = client.post(
        reverse("learning:session_add"),
        {"kind": "group", "held_on": "2026-01-10", "attendees": [worker.pk]},
    )
    assert response.status_code == 400
    assert "Choose the case the worker presented." in response.content.decode()


def test_actions_appear_in_the_owners_worklist_and_can_be_done_there(
    client, session, manager, worker, today
):
    action = services.action_add(
        actor=manager, session=session, text="Do Three Houses with Leo", owner=worker,
        due_on=today + datetime.timedelta(days=5),
    )  # fmt: skip
    client.force_login(worker)
    page = client.get(reverse("timescales:my_work")).content.decode()
    assert "Actions from supervision (1)" in page and "Do Three Houses with Leo" in page
    response = client.post(
        reverse("learning:action_done", args=[action.pk]), {"revision": 1, "next": "my_work"}
    )
    assert response.url == reverse("timescales:my_work")
    action.refresh_from_db()
    assert action.done_on == today
    assert (
        "Actions from supervision" not in client.get(reverse("timescales:my_work")).content.decode()
    )


def test_a_stale_action_save_is_refused_and_the_text_kept(client, session, manager, worker, today):
    action = services.action_add(
        actor=manager, session=session, text="Original", owner=worker, due_on=today
    )
    services.action_mark_done(actor=manager, action=action, expected_revision=1, done_on=today)
    client.force_login(worker)
    response = client.post(
        reverse("learning:action_edit", args=[action.pk]),
        {"revision": 1, "text": "My change", "owner": worker.pk, "due_on": today.isoformat()},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Someone else changed this action" in body and "My change" in body


def test_a_restricted_case_shows_as_a_case_you_cannot_open(client, session, manager, colleague):
    case_restrict(actor=manager, case=session.case, reason="Staff member's relative")
    client.force_login(colleague)
    body = client.get(reverse("learning:session_detail", args=[session.pk])).content.decode()
    assert "a case you cannot open" in body
    assert session.case.name not in body and session.case.reference not in body
    assert "Start the session" not in body
    listing = client.get(reverse("learning:session_list")).content.decode()
    assert "a case you cannot open" in listing and session.case.name not in listing
    # The view is audited without tying the colleague to the case.
    event = AuditEvent.objects.filter(verb="learning.session_viewed", actor=colleague).get()
    assert event.case_id is None
    assert client.post(reverse("learning:session_map_start", args=[session.pk])).status_code == 403


def test_another_agency_never_reaches_sessions_inquiries_or_the_library(
    client, session, inquiry, manager
):
    services.inquiry_share(
        actor=manager, inquiry=inquiry, expected_revision=1, confirmed_anonymised=True
    )
    action = services.action_add(
        actor=manager, session=session, text="X", owner=manager, due_on=session.held_on
    )
    for role in Role.values:
        client.force_login(factories.UserFactory(role=role))
        for name, key in [
            ("learning:session_detail", session.pk),
            ("learning:session_edit", session.pk),
            ("learning:action_edit", action.pk),
            ("learning:inquiry_detail", inquiry.pk),
            ("learning:library_entry", inquiry.pk),
        ]:
            assert client.get(reverse(name, args=[key])).status_code in {403, 404}, (name, role)
        library = client.get(reverse("learning:library")).content.decode()
        assert inquiry.title not in library


def test_sharing_is_blocked_while_the_text_names_someone(client, inquiry, worker, manager):
    values = {name: getattr(inquiry, name) for name in services.INQUIRY_FIELDS}
    values["shared_text"] = "Leo drew his house of worries."
    services.inquiry_update(
        actor=worker, inquiry=inquiry, expected_revision=1, workers=[worker], case=inquiry.case,
        **values,
    )  # fmt: skip
    client.force_login(manager)
    page = client.get(reverse("learning:inquiry_detail", args=[inquiry.pk])).content.decode()
    assert "still names someone" in page and "<li>Leo</li>" in page
    response = client.post(
        reverse("learning:inquiry_share", args=[inquiry.pk]),
        {"revision": 2, "confirmed_anonymised": "on"},
    )
    assert response.status_code == 400
    inquiry.refresh_from_db()
    assert not inquiry.is_shared


def test_a_practice_lead_shares_and_every_member_of_staff_finds_it(client, inquiry, lead, team):
    client.force_login(lead)
    response = client.post(
        reverse("learning:inquiry_share", args=[inquiry.pk]),
        {"revision": 1, "confirmed_anonymised": "on"},
    )
    assert response.status_code == 302
    reader = factories.UserFactory(team=None, agency=team.agency, role=Role.PERFORMANCE_ANALYST)
    client.force_login(reader)
    found = client.get(reverse("learning:library"), {"q": "worries", "theme": "three_houses"})
    body = found.content.decode()
    assert inquiry.title in body
    # Only the anonymised account: nothing private, not the case, not the workers.
    assert inquiry.what_made_it_work not in body and inquiry.case.name not in body
    entry = client.get(reverse("learning:library_entry", args=[inquiry.pk])).content.decode()
    assert inquiry.shared_text in entry and inquiry.case.reference not in entry
    assert "No shared practice" not in entry
    # A private record is not reachable as a library entry.
    assert client.get(reverse("learning:inquiry_detail", args=[inquiry.pk])).status_code == 404


def test_the_frequency_page_shows_gaps_by_team(
    client, manager, worker, colleague, lead, today, django_assert_max_num_queries
):
    factories.SupervisionSessionFactory(
        facilitator=manager, attendees=[worker], held_on=today - datetime.timedelta(days=3)
    )
    client.force_login(lead)
    with django_assert_max_num_queries(12):
        body = client.get(reverse("learning:supervision_frequency")).content.decode()
    assert "<strong>1</strong> of 2 social workers" in body
    assert "Sessions held and workers supervised each month" in body
    client.force_login(worker)
    assert client.get(reverse("learning:supervision_frequency")).status_code == 403


def test_the_session_list_query_count_does_not_grow_with_sessions(
    client, manager, worker, case, today, django_assert_max_num_queries
):
    for _ in range(8):
        session = factories.SupervisionSessionFactory(
            facilitator=manager, attendees=[worker], held_on=today, kind="group", case=case
        )
        factories.SupervisionActionFactory(session=session, owner=worker)
    client.force_login(worker)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("learning:session_list"))
    assert response.content.decode().count("Group supervision</a>") == 8


def test_the_proposed_case_page_panel_renders(session, manager, worker, today):
    services.session_map_start(actor=manager, session=session)
    services.action_add(
        actor=manager, session=session, text="Talk to school", owner=worker, due_on=today
    )
    html = render_to_string(
        "learning/_case_section.html",
        {
            "case": session.case,
            "supervision_sessions": selectors.sessions_for_case(worker, session.case),
            "supervision_actions": selectors.actions_for_case(worker, session.case),
        },
    )
    assert "Talk to school" in html and "map 1</a>" in html
    assert reverse("learning:session_detail", args=[session.pk]) in html
