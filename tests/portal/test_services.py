import datetime

import pytest
from django.core import mail
from django.utils import timezone

from core.errors import RuleViolation
from core.models import AuditEvent
from portal import services
from portal.models import CheckInAlert, PortalSignInAttempt, PortalToken, Scope
from safety.models import MonitoringCheckIn
from tests import factories
from tests.portal.conftest import FAMILY_SCOPES, LINK_BASE, invite

pytestmark = pytest.mark.django_db


def test_a_printed_invitation_gives_a_readable_code_and_keeps_only_its_hash(parent_invite):
    invitation, code = parent_invite
    assert len(code) == services.CODE_LENGTH
    assert set(code) <= set(services.CODE_ALPHABET)
    token = invitation.tokens.get()
    assert token.kind == PortalToken.Kind.CODE
    assert token.token_hash == services.hash_secret(code)
    assert code not in str(PortalToken.objects.values_list())
    assert not any(code in str(e.changes) for e in AuditEvent.objects.all())
    assert invitation.scopes == [s.value for s in FAMILY_SCOPES]
    assert invitation.name == "Jade Testington"


def test_an_emailed_invitation_sends_a_single_use_link(worker, case, world):
    invitation, code = invite(
        worker,
        case,
        kind="parent",
        person=world["parent"],
        scopes=[Scope.SAFETY_PLAN],
        delivery="email",
        email="jade@example.org",
    )
    assert code is None
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["jade@example.org"]
    assert LINK_BASE + "?token=" in message.body
    assert case.reference not in message.body  # nothing about the case travels by email
    token = message.body.split("?token=")[1].split()[0]
    assert invitation.tokens.get().token_hash == services.hash_secret(token)
    assert services.portal_sign_in(secret=token, kind="link") == invitation
    with pytest.raises(RuleViolation):
        services.portal_sign_in(secret=token, kind="link")


def test_a_network_member_may_see_only_their_part(worker, case, world):
    with pytest.raises(RuleViolation):
        invite(
            worker,
            case,
            kind="network_member",
            network_member=world["grandma"],
            scopes=[Scope.SAFETY_PLAN],
        )


def test_a_parent_can_not_be_given_check_ins(worker, case, world):
    with pytest.raises(RuleViolation):
        invite(
            worker,
            case,
            kind="parent",
            person=world["parent"],
            scopes=[Scope.PLAN_RULES_AND_CHECK_IN],
        )


def test_a_young_person_needs_the_workers_judgement(worker, case, world, child):
    with pytest.raises(RuleViolation, match="right for this young person"):
        invite(worker, case, kind="young_person", person=child, scopes=FAMILY_SCOPES)
    invitation, _ = invite(
        worker,
        case,
        kind="young_person",
        person=child,
        scopes=[Scope.WORDS_AND_PICTURES],
        young_person_judgement="Leo is 14 and asked to read it.",
    )
    assert invitation.kind == "young_person"


def test_only_people_from_this_case_can_be_invited(worker, case, world):
    stranger = factories.PersonFactory(agency=case.agency, kind="adult", given_name="Kim")
    with pytest.raises(RuleViolation):
        invite(worker, case, kind="parent", person=stranger, scopes=FAMILY_SCOPES)
    other_member = factories.NetworkMemberFactory()
    with pytest.raises(RuleViolation):
        invite(
            worker,
            case,
            kind="network_member",
            network_member=other_member,
            scopes=[Scope.PLAN_RULES_AND_CHECK_IN],
        )


def test_no_invitations_on_a_closed_case(worker, case, world):
    case.status = "closed"
    case.closed_on = timezone.localdate()
    case.save()
    with pytest.raises(RuleViolation, match="closed"):
        invite(worker, case, kind="parent", person=world["parent"], scopes=FAMILY_SCOPES)


def test_invitation_must_end_within_a_year(worker, case, world):
    with pytest.raises(RuleViolation):
        invite(
            worker, case, kind="parent", person=world["parent"], scopes=FAMILY_SCOPES,
            expires_in=400,
        )  # fmt: skip
    with pytest.raises(RuleViolation):
        invite(
            worker, case, kind="parent", person=world["parent"], scopes=FAMILY_SCOPES,
            expires_in=0,
        )  # fmt: skip


def test_a_code_works_once(parent_invite):
    invitation, code = parent_invite
    assert services.portal_sign_in(secret=code.lower(), kind="code") == invitation
    with pytest.raises(RuleViolation):
        services.portal_sign_in(secret=code, kind="code")
    invitation.refresh_from_db()
    assert invitation.last_used_at is not None


def test_a_code_is_typed_with_dashes_and_spaces(parent_invite):
    invitation, code = parent_invite
    typed = f" {code[:4].lower()} - {code[4:]} "
    assert services.portal_sign_in(secret=typed, kind="code") == invitation


def test_an_expired_code_is_refused(parent_invite):
    invitation, code = parent_invite
    invitation.tokens.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    with pytest.raises(RuleViolation):
        services.portal_sign_in(secret=code, kind="code")


def test_a_code_is_not_a_link(parent_invite):
    with pytest.raises(RuleViolation):
        services.portal_sign_in(secret=parent_invite[1], kind="link")


def test_a_new_code_cancels_the_old_one(worker, parent_invite):
    invitation, old = parent_invite
    new = services.portal_code_issue(actor=worker, invitation=invitation)
    with pytest.raises(RuleViolation):
        services.portal_sign_in(secret=old, kind="code")
    assert services.portal_sign_in(secret=new, kind="code") == invitation
    assert {t.agency_id for t in invitation.tokens.all()} == {invitation.agency_id}


def test_withdrawal_cancels_codes_and_sessions(worker, parent_invite):
    invitation, code = parent_invite
    generation = invitation.session_generation
    services.portal_invitation_withdraw(actor=worker, invitation=invitation, reason="Moved away")
    invitation.refresh_from_db()
    assert invitation.session_generation == generation + 1
    with pytest.raises(RuleViolation):
        services.portal_sign_in(secret=code, kind="code")
    with pytest.raises(RuleViolation):
        services.portal_code_issue(actor=worker, invitation=invitation)


def test_a_closed_case_refuses_its_codes(case, parent_invite):
    case.status = "closed"
    case.save()
    with pytest.raises(RuleViolation):
        services.portal_sign_in(secret=parent_invite[1], kind="code")


def test_guessing_codes_is_limited_by_address(parent_invite, settings):
    invitation, code = parent_invite
    for _ in range(services.failure_limit()):
        with pytest.raises(RuleViolation):
            services.portal_sign_in(secret="AAAA-AAAA", kind="code", ip_address="203.0.113.9")
    with pytest.raises(RuleViolation, match="Too many tries"):
        services.portal_sign_in(secret=code, kind="code", ip_address="203.0.113.9")
    # The right code still works from elsewhere, and has not been used up.
    assert services.portal_sign_in(secret=code, kind="code", ip_address="198.51.100.1")
    assert PortalSignInAttempt.objects.filter(succeeded=False).count() == 6


def test_asking_for_a_link_reveals_nothing_and_is_limited(worker, case, world, member_invite):
    invitation, _ = member_invite
    invitation.email = "pat@example.org"
    invitation.save()
    assert services.portal_link_request(email="nobody@example.org", link_base=LINK_BASE) == 0
    sent = [
        services.portal_link_request(email="PAT@example.org", link_base=LINK_BASE)
        for _ in range(services.links_per_hour() + 2)
    ]
    assert sent == [1] * services.links_per_hour() + [0, 0]
    assert len(mail.outbox) == services.links_per_hour()


def test_a_link_expires_after_its_minutes(worker, member_invite):
    invitation, _ = member_invite
    invitation.email = "pat@example.org"
    invitation.save()
    services.portal_link_send(actor=worker, invitation=invitation, link_base=LINK_BASE)
    token = mail.outbox[-1].body.split("?token=")[1].split()[0]
    link = invitation.tokens.get(kind="link")
    assert link.expires_at - link.created_at <= datetime.timedelta(minutes=31)
    invitation.tokens.filter(kind="link").update(expires_at=timezone.now())
    with pytest.raises(RuleViolation):
        services.portal_sign_in(secret=token, kind="link")


def check_in(invitation, world, **values):
    defaults = {
        "invitation": invitation,
        "plan": world["plan"],
        "checked_on": timezone.localdate(),
        "what_they_saw": "Leo was happy at pick-up.",
        "plan_kept": True,
        "rules": [world["her_rule"]],
    }
    return services.portal_check_in_record(**(defaults | values))


def test_a_check_in_is_the_plans_one_monitoring_record(member_invite, world, worker):
    invitation, _ = member_invite
    record, alert = check_in(invitation, world)
    assert alert is None
    assert MonitoringCheckIn.objects.get() == record
    assert record.member == world["grandma"]
    assert record.plan == world["plan"]
    assert not record.breach
    event = AuditEvent.objects.get(verb="portal.check_in_recorded")
    assert event.actor is None
    assert event.changes["portal_person"] == "Grandma Pat"


def test_a_breach_raises_an_alert(member_invite, world):
    invitation, _ = member_invite
    record, alert = check_in(
        invitation,
        world,
        plan_kept=False,
        what_happened="Dad had been drinking at pick-up.",
        what_they_did="I took Leo to mine and rang Sam.",
    )
    assert record.breach
    assert record.breach_details == "Dad had been drinking at pick-up."
    assert alert.breach and alert.case_id == world["plan"].case_id
    assert CheckInAlert.objects.get() == alert


def test_a_worry_raises_an_alert_too(member_invite, world):
    record, alert = check_in(member_invite[0], world, worries="Leo seemed very quiet.")
    assert not record.breach
    assert "Leo seemed very quiet." in record.what_they_saw
    assert alert.worries == "Leo seemed very quiet." and not alert.breach


def test_a_member_checks_only_their_own_rules(member_invite, world):
    with pytest.raises(RuleViolation):
        check_in(member_invite[0], world, rules=[world["other_rule"]])


def test_a_parent_can_not_check_in(parent_invite, world):
    with pytest.raises(RuleViolation):
        check_in(parent_invite[0], world)


def test_a_withdrawn_member_can_not_check_in(worker, member_invite, world):
    services.portal_invitation_withdraw(actor=worker, invitation=member_invite[0])
    with pytest.raises(RuleViolation):
        check_in(member_invite[0], world)


def test_acknowledging_an_alert_once(worker, member_invite, world):
    _, alert = check_in(
        member_invite[0], world, plan_kept=False, what_happened="x", what_they_did="y"
    )
    services.portal_alert_acknowledge(actor=worker, alert=alert, note="Visited today.")
    alert.refresh_from_db()
    assert alert.acknowledged_by == worker
    with pytest.raises(RuleViolation):
        services.portal_alert_acknowledge(actor=worker, alert=alert)


def test_a_portal_check_in_names_no_member_of_staff_as_its_author(member_invite, world):
    """The plan's monitoring record and the access report say the network member wrote it,
    not the worker who invited them."""
    invitation, _ = member_invite
    record, _ = check_in(invitation, world)
    assert record.recorded_by is None and record.through_portal
    event = AuditEvent.objects.get(verb="safety.check_in_recorded")
    assert event.actor is None
    assert event.changes["portal_person"] == "Grandma Pat"
