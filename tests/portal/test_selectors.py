import pytest
from django.urls import reverse
from django.utils import timezone

from agencies.models import Role
from portal import selectors, services
from portal.access import PortalAccess
from portal.models import Scope
from tests import factories
from tests.portal.conftest import FAMILY_SCOPES, invite

pytestmark = pytest.mark.django_db


def breach(invitation, world):
    return services.portal_check_in_record(
        invitation=invitation,
        plan=world["plan"],
        checked_on=timezone.localdate(),
        what_they_saw="Dad was at the gate.",
        plan_kept=False,
        what_happened="Dad had been drinking.",
        what_they_did="Rang Sam.",
    )[1]


def test_member_part_is_only_their_rules(member_invite, world):
    part = selectors.portal_member_part(PortalAccess(member_invite[0]))
    assert part["rules"] == [world["her_rule"]]
    assert part["plan"] == world["plan"]


def test_member_gets_nothing_a_parent_sees(member_invite):
    access = PortalAccess(member_invite[0])
    assert selectors.portal_plan(access) is None
    assert selectors.portal_map_summary(access) is None
    assert selectors.portal_words_and_pictures(access) == []


def test_parent_gets_no_member_part(parent_invite):
    assert selectors.portal_member_part(PortalAccess(parent_invite[0])) is None


def test_a_young_person_sees_only_their_own_words_and_pictures(worker, case, world, child):
    from voices import services as voices_services

    sister = factories.PersonFactory(agency=case.agency, given_name="Mia")
    factories.CaseMemberFactory(case=case, person=sister)
    version = voices_services.wp_start(
        actor=worker,
        case=case,
        child=sister,
        sections={k: "Words for Mia." for k in ["who_is_worried", "worried_about",
                                                 "what_happened", "what_we_are_doing"]},
    )  # fmt: skip
    voices_services.wp_version_agree(
        actor=worker, version=version, agreed_on=timezone.localdate(), person=world["parent"]
    )
    parent, _ = invite(worker, case, kind="parent", person=world["parent"], scopes=FAMILY_SCOPES)
    assert {s.child for s in selectors.portal_words_and_pictures(PortalAccess(parent))} == {
        child,
        sister,
    }
    young, _ = invite(
        worker,
        case,
        kind="young_person",
        person=child,
        scopes=[Scope.WORDS_AND_PICTURES],
        young_person_judgement="Leo asked to read it.",
    )
    stories = selectors.portal_words_and_pictures(PortalAccess(young))
    assert [s.child for s in stories] == [child]


def test_map_summary_has_three_columns_and_numbers(parent_invite):
    summary = selectors.portal_map_summary(PortalAccess(parent_invite[0]))
    assert summary.working_well == ["Mum walks Leo to school."]
    assert any("Dad shouts" in text for text in summary.worried)
    assert any("calm and sober" in text for text in summary.needs_to_happen)
    assert summary.scales == [
        {"who": "Jade Testington", "about": "How safe things are overall", "score": 6}
    ]


def test_breach_alerts_go_to_the_allocated_worker_only(worker, manager, member_invite, world):
    alert = breach(member_invite[0], world)
    assert list(selectors.breach_alerts_for(worker)) == [alert]
    assert list(selectors.breach_alerts_for(manager)) == []  # not allocated to them
    colleague = factories.UserFactory(team=worker.team, role=Role.SOCIAL_WORKER)
    assert list(selectors.breach_alerts_for(colleague)) == []
    services.portal_alert_acknowledge(actor=worker, alert=alert)
    assert list(selectors.breach_alerts_for(worker)) == []


def test_breach_alerts_never_cross_agencies(member_invite, world):
    outsider = factories.UserFactory(role=Role.SOCIAL_WORKER)
    breach(member_invite[0], world)
    assert list(selectors.breach_alerts_for(outsider)) == []


def test_case_portal_summary(worker, case, parent_invite, member_invite, world):
    breach(member_invite[0], world)
    services.portal_invitation_withdraw(actor=worker, invitation=parent_invite[0])
    summary = selectors.case_portal_summary(case, user=worker)
    assert [i.name for i in summary["live_invitations"]] == ["Grandma Pat"]
    assert summary["invitation_count"] == 2
    assert summary["alert_count"] == 1
    assert summary["may_record"]


def test_a_case_with_no_invitations_has_no_alerts_to_count(worker, case, django_assert_num_queries):
    with django_assert_num_queries(1):  # its invitations: none
        summary = selectors.case_portal_summary(case, user=worker, may_record=True)
    assert summary["invitation_count"] == summary["alert_count"] == 0


# Query counts stay the same whatever the size of the family or the number of invitations. --


def test_case_portal_summary_queries_are_bounded(
    worker, case, world, django_assert_max_num_queries
):
    for _ in range(6):
        invite(worker, case, kind="parent", person=world["parent"], scopes=FAMILY_SCOPES)
    with django_assert_max_num_queries(6):
        selectors.case_portal_summary(case, user=worker)


def test_breach_alerts_for_is_one_query(worker, member_invite, world, django_assert_num_queries):
    for _ in range(3):
        breach(member_invite[0], world)
    with django_assert_num_queries(1):
        alerts = list(selectors.breach_alerts_for(worker))
        assert all(a.check_in.member.name for a in alerts)


@pytest.mark.parametrize(
    "name",
    ["portal:family_home", "portal:family_plan", "portal:family_map",
     "portal:family_words_and_pictures"],
)  # fmt: skip
def test_family_pages_queries_are_bounded(parent_client, name, django_assert_max_num_queries):
    with django_assert_max_num_queries(25):
        assert parent_client.get(reverse(name)).status_code == 200


def test_member_pages_queries_are_bounded(member_client, world, django_assert_max_num_queries):
    for _ in range(4):
        breach(member_client_invitation(world), world)
    with django_assert_max_num_queries(20):
        assert member_client.get(reverse("portal:family_rules")).status_code == 200


def member_client_invitation(world):
    from portal.models import PortalInvitation

    return PortalInvitation.objects.get(network_member=world["grandma"])


def test_staff_portal_page_queries_are_bounded(
    client, worker, case, world, member_invite, django_assert_max_num_queries
):
    for _ in range(5):
        invite(worker, case, kind="parent", person=world["parent"], scopes=FAMILY_SCOPES)
        breach(member_invite[0], world)
    client.force_login(worker)
    with django_assert_max_num_queries(20):
        assert client.get(reverse("portal:case_portal", args=[case.pk])).status_code == 200
