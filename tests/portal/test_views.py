import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from agencies.models import Role
from core.models import AuditEvent
from portal.models import CheckInAlert, PortalInvitation
from portal.services import hash_secret
from safety.models import MonitoringCheckIn
from tests import factories
from tests.documents.reading import pdf_text
from tests.portal.conftest import sign_in

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


# The family side: parents ---------------------------------------------------------------------


def test_home_lists_everything_the_parent_can_see(parent_client):
    page = text(parent_client.get(reverse("portal:family_home")))
    assert "Hello, Jade Testington" in page
    assert "Read Words and Pictures" in page
    assert "Read the plan" in page
    assert "Read the map" in page
    assert "Your part in the plan" not in page


def test_parent_reads_the_plan(parent_client, world, case):
    page = text(parent_client.get(reverse("portal:family_plan")))
    assert "Grandma Pat picks Leo up from school on Mondays." in page
    assert "Uncle Ray takes Dad to his group on Thursdays." in page
    assert "Ring Sam straight away." in page
    assert case.reference not in page


def test_parent_downloads_the_plan_as_pdf(parent_client, world, parent_invite):
    response = parent_client.get(reverse("portal:family_plan_pdf"))
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert "Grandma Pat picks Leo up" in pdf_text(response.content)
    event = AuditEvent.objects.filter(verb="portal.document_downloaded").get()
    assert event.actor is None
    assert event.changes["portal_person"] == "Jade Testington"
    assert event.changes["portal_access"] == parent_invite[0].pk


def test_parent_reads_and_downloads_words_and_pictures(parent_client, world):
    page = text(parent_client.get(reverse("portal:family_words_and_pictures")))
    assert "Grown-ups at home shouted and pushed." in page
    wp_id = world["wp_version"].words_and_pictures_id
    response = parent_client.get(reverse("portal:family_words_and_pictures_pdf", args=[wp_id]))
    assert response["Content-Type"] == "application/pdf"


def test_a_draft_words_and_pictures_is_never_shown(parent_client, world, worker):
    from voices import services as voices_services

    voices_services.wp_version_revise(
        actor=worker,
        version=world["wp_version"],
        expected_revision=world["wp_version"].revision,
        sections={
            "who_is_worried": "DRAFT WORDS",
            "worried_about": "DRAFT WORDS",
            "what_happened": "DRAFT WORDS",
            "what_we_are_doing": "DRAFT WORDS",
        },
        change_note="Not agreed yet",
    )
    page = text(parent_client.get(reverse("portal:family_words_and_pictures")))
    assert "DRAFT WORDS" not in page
    assert "Grown-ups at home shouted and pushed." in page


def test_parent_reads_the_map_summary(parent_client, world):
    page = text(parent_client.get(reverse("portal:family_map")))
    assert "Mum walks Leo to school." in page
    assert "Dad stays calm and sober" in page
    assert "6 out of 10" in page
    response = parent_client.get(reverse("portal:family_map_pdf"))
    assert response["Content-Type"] == "application/pdf"


def test_every_family_page_view_is_audited(parent_client, parent_invite):
    before = AuditEvent.objects.count()
    for name in ["portal:family_home", "portal:family_plan", "portal:family_map"]:
        parent_client.get(reverse(name))
    events = list(AuditEvent.objects.order_by("id")[before:])
    assert [e.verb for e in events] == [
        "portal.home_viewed",
        "portal.plan_viewed",
        "portal.map_viewed",
    ]
    assert all(e.actor is None and e.case_id == parent_invite[0].case_id for e in events)
    assert all(e.changes["portal_person"] == "Jade Testington" for e in events)


def test_the_access_report_names_the_portal_visitor(parent_client, client, manager, case):
    parent_client.get(reverse("portal:family_plan"))
    parent_client.post(reverse("portal:family_sign_out"))
    client.force_login(manager)
    page = text(client.get(reverse("casefile:case_access_report", args=[case.pk])))
    assert "Jade Testington (family portal)" in page
    assert "Read the safety plan in the family portal" in page


def test_signing_out_ends_the_session(parent_client):
    response = parent_client.post(reverse("portal:family_sign_out"))
    assert response["Location"] == reverse("portal:family_sign_in")
    assert parent_client.get(reverse("portal:family_home")).status_code == 302


# The family side: network members -------------------------------------------------------------


def test_member_sees_only_their_rules_and_no_one_elses_details(member_client, world, case):
    page = text(member_client.get(reverse("portal:family_rules")))
    assert "Grandma Pat picks Leo up from school on Mondays." in page
    assert "Ring Sam straight away." in page  # what to do if a rule is broken
    assert "Out of hours: 01632 960999" in page  # who to call
    assert "Uncle Ray" not in page
    assert "07700 900456" not in page  # another member's phone
    assert "07700 900123" not in page  # not even their own number, it is not needed
    assert "Dad shouts and pushes Mum" not in page  # no danger statements
    assert case.reference not in page
    home = text(member_client.get(reverse("portal:family_home")))
    assert "Uncle Ray" not in home and case.reference not in home


def test_member_records_a_check_in_reporting_a_breach(member_client, world, worker, client):
    url = reverse("portal:family_check_in")
    page = text(member_client.get(url))
    assert "Uncle Ray takes Dad" not in page  # only their own rules to tick
    response = member_client.post(
        url,
        {
            "checked_on": timezone.localdate().isoformat(),
            "rules": [world["her_rule"].pk],
            "what_they_saw": "Dad was at the school gate.",
            "plan_kept": "no",
            "what_happened": "Dad had been drinking at pick-up.",
            "what_they_did": "I took Leo home with me and rang Sam.",
            "worries": "",
        },
    )
    assert response.status_code == 302
    check_in = MonitoringCheckIn.objects.get()
    assert check_in.breach and check_in.member == world["grandma"]
    alert = CheckInAlert.objects.get()
    assert "told the social worker" in text(member_client.get(response["Location"]))
    # The worker sees it on the case's portal page and can acknowledge it.
    client.force_login(worker)
    page = text(client.get(reverse("portal:case_portal", args=[alert.case_id])))
    assert "A rule was broken" in page
    assert "Dad had been drinking at pick-up." in page
    response = client.post(
        reverse("portal:alert_acknowledge", args=[alert.case_id]),
        {"alert": alert.pk, "note": "Visited this afternoon."},
    )
    assert response.status_code == 302
    alert.refresh_from_db()
    assert alert.acknowledged_by == worker


def test_member_check_in_needs_what_happened_when_the_plan_was_not_kept(member_client):
    response = member_client.post(
        reverse("portal:family_check_in"),
        {"checked_on": timezone.localdate().isoformat(), "what_they_saw": "x", "plan_kept": "no"},
    )
    assert response.status_code == 200
    assert "Say what happened." in text(response)
    assert not MonitoringCheckIn.objects.exists()


def test_member_can_not_tick_someone_elses_rule(member_client, world):
    response = member_client.post(
        reverse("portal:family_check_in"),
        {
            "checked_on": timezone.localdate().isoformat(),
            "rules": [world["other_rule"].pk],
            "what_they_saw": "x",
            "plan_kept": "yes",
        },
    )
    assert response.status_code == 200
    assert not MonitoringCheckIn.objects.exists()


# The staff side -------------------------------------------------------------------------------


def test_worker_invites_a_parent_with_a_printed_code(client, worker, case, world):
    client.force_login(worker)
    url = reverse("portal:invitation_add", args=[case.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "who": f"person-{world['parent'].pk}",
            "scopes": ["safety_plan", "words_and_pictures"],
            "delivery": "print",
            "email": "",
            "expires_on": (timezone.localdate().replace(day=1)).isoformat(),
        },
    )
    assert response.status_code == 200  # the end date is in the past: the form comes back
    assert "must end after today" in text(response)
    response = client.post(
        url,
        {
            "who": f"person-{world['parent'].pk}",
            "scopes": ["safety_plan", "words_and_pictures"],
            "delivery": "print",
            "email": "",
            "expires_on": (timezone.localdate() + datetime.timedelta(30)).isoformat(),
        },
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    code = re.search(r"<strong>([A-Z0-9]{4}-[A-Z0-9]{4})</strong>", response.content.decode())[1]
    invitation = PortalInvitation.objects.get()
    assert invitation.tokens.get().token_hash == hash_secret(code.replace("-", ""))
    client.logout()
    sign_in(client, code)


def test_worker_invites_a_network_member_by_email(client, worker, case, world):
    client.force_login(worker)
    response = client.post(
        reverse("portal:invitation_add", args=[case.pk]),
        {
            "who": f"member-{world['grandma'].pk}",
            "scopes": ["plan_rules_and_check_in"],
            "delivery": "email",
            "email": "pat@example.org",
            "expires_on": (timezone.localdate() + datetime.timedelta(30)).isoformat(),
        },
    )
    assert response.status_code == 302
    assert mail.outbox[0].to == ["pat@example.org"]
    assert "http://testserver/family/sign-in/link/?token=" in mail.outbox[0].body


def test_worker_sees_invitations_and_withdraws_one(client, worker, case, parent_invite):
    invitation = parent_invite[0]
    client.force_login(worker)
    page = text(client.get(reverse("portal:case_portal", args=[case.pk])))
    assert "Jade Testington" in page and "Not yet" in page
    response = client.post(
        reverse("portal:invitation_withdraw", args=[case.pk]),
        {"invitation": invitation.pk, "reason": "Asked us to stop"},
    )
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.withdrawn_by == worker
    assert invitation.withdrawal_reason == "Asked us to stop"


def test_worker_prints_a_new_code(client, worker, case, parent_invite):
    client.force_login(worker)
    response = client.post(
        reverse("portal:invitation_new_code", args=[case.pk]), {"invitation": parent_invite[0].pk}
    )
    assert response.status_code == 200
    code = re.search(r"<strong>([A-Z0-9]{4}-[A-Z0-9]{4})</strong>", response.content.decode())[1]
    client.logout()
    sign_in(client, code)


def test_a_reader_sees_the_portal_page_but_can_not_invite(client, case, parent_invite):
    lead = factories.UserFactory(team=None, agency=case.agency, role=Role.PRACTICE_LEAD)
    client.force_login(lead)
    page = text(client.get(reverse("portal:case_portal", args=[case.pk])))
    assert "Jade Testington" in page
    assert "Withdraw access" not in page
    assert client.get(reverse("portal:invitation_add", args=[case.pk])).status_code == 403
    response = client.post(
        reverse("portal:invitation_withdraw", args=[case.pk]), {"invitation": parent_invite[0].pk}
    )
    assert response.status_code == 403


def test_an_invitation_from_another_case_is_404(client, worker, case, parent_invite):
    other = factories.CaseFactory(team=case.team)
    client.force_login(worker)
    response = client.post(
        reverse("portal:invitation_withdraw", args=[other.pk]), {"invitation": parent_invite[0].pk}
    )
    assert response.status_code == 404
    response = client.post(
        reverse("portal:invitation_withdraw", args=[case.pk]), {"invitation": "nonsense"}
    )
    assert response.status_code == 404


def test_the_case_page_section_and_worklist_alerts_render(member_invite, world, worker, rf):
    from django.template.loader import render_to_string

    from portal import selectors, services

    services.portal_check_in_record(
        invitation=member_invite[0],
        plan=world["plan"],
        checked_on=timezone.localdate(),
        what_they_saw="Dad was at the gate.",
        plan_kept=False,
        what_happened="Dad had been drinking.",
        what_they_did="Rang Sam.",
    )
    case = member_invite[0].case
    request = rf.get("/")
    request.user = worker
    section = render_to_string(
        "portal/_case_section.html",
        {"case": case, "portal": selectors.case_portal_summary(case, user=worker)},
        request=request,
    )
    assert "1 check-in alert" in section
    assert "Grandma Pat" in section
    worklist = render_to_string(
        "portal/_alerts.html",
        {"alerts": selectors.breach_alerts_for(worker), "show_case": True},
        request=request,
    )
    assert "A rule was broken" in worklist
    assert case.name in worklist


def test_parent_sees_the_childs_pictures(parent_client, world):
    page = parent_client.get(reverse("portal:family_words_and_pictures")).content.decode()
    wp_id = world["wp_version"].words_and_pictures_id
    url = reverse("portal:family_words_and_pictures_picture", args=[wp_id, world["wp_picture"].pk])
    assert f'src="{url}"' in page
    assert 'alt="Leo&#x27;s drawing of Grandma Pat&#x27;s house"' in page
    response = parent_client.get(url)
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert AuditEvent.objects.filter(verb="portal.picture_viewed").exists()


def test_a_picture_from_another_story_is_404(parent_client, world, worker, case):
    other = factories.make_voices_world(
        actor=worker, case=case, child=world["wp_version"].words_and_pictures.child
    )
    wp_id = world["wp_version"].words_and_pictures_id
    url = reverse("portal:family_words_and_pictures_picture", args=[wp_id, other["wp_picture_id"]])
    assert parent_client.get(url).status_code == 404


def test_a_member_can_not_see_pictures(member_client, world):
    wp_id = world["wp_version"].words_and_pictures_id
    url = reverse("portal:family_words_and_pictures_picture", args=[wp_id, world["wp_picture"].pk])
    assert member_client.get(url).status_code == 404
