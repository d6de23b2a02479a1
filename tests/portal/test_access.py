"""Who can reach what: portal visitors never reach staff pages, other families or anything
their invitation does not name; staff never use the family pages; and every way access ends
is checked on every request."""

import datetime

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from portal import services
from portal.access import SESSION_ACCESS, SESSION_SEEN, SESSION_STARTED
from portal.models import Scope
from tests import factories
from tests.portal.conftest import invite, sign_in

pytestmark = pytest.mark.django_db

FAMILY_PAGES = [
    "portal:family_home",
    "portal:family_words_and_pictures",
    "portal:family_plan",
    "portal:family_plan_pdf",
    "portal:family_map",
    "portal:family_map_pdf",
    "portal:family_rules",
    "portal:family_check_in",
]
PARENT_PAGES = FAMILY_PAGES[:6]
MEMBER_PAGES = ["portal:family_home", "portal:family_rules", "portal:family_check_in"]


def staff_urls():
    """Every named URL in the project outside the portal's family side, reversed with
    placeholder ids (a portal visitor must be refused before any id is looked at)."""
    found = []

    def walk(patterns, namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace == "admin":
                    continue
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                found.append((f"{namespace}{pattern.name}", list(pattern.pattern.regex.groupindex)))

    walk(get_resolver().url_patterns)
    urls = []
    for name, params in found:
        if name.startswith("portal:family_") or name == "login":
            continue
        if name == "surveys:family_answer":
            continue  # A family's survey link: public to whoever holds it (tests/surveys).
        for value in (1, "x"):
            try:
                urls.append((name, reverse(name, kwargs={p: value for p in params})))
                break
            except Exception:  # noqa: BLE001 - try the next kind of placeholder
                continue
    return urls


def test_a_portal_visitor_never_reaches_a_staff_page(parent_client, case):
    """A portal session is worth nothing outside the family pages: every other URL answers
    a portal visitor exactly as it answers someone who is not signed in at all, which is
    never a page of records (a redirect to the staff sign-in, or the API's 401)."""
    from django.test import Client

    anonymous = Client()
    urls = staff_urls()
    assert any(name == "casefile:caseload" for name, _ in urls)
    assert any(name == "portal:case_portal" for name, _ in urls)
    for name, url in urls:
        url = url.replace("/cases/1/", f"/cases/{case.pk}/")
        for method in ("get", "post"):
            response = getattr(parent_client, method)(url)
            expected = getattr(anonymous, method)(url)
            assert response.status_code == expected.status_code, f"{method} {name}"
            if response.status_code == 302:
                assert response["Location"].startswith(reverse("login")), name
            elif response.status_code == 200:
                # Public for everyone (the API's schema): nothing differs for a portal visitor.
                assert name.startswith("api:") and "openapi" in name, f"{name} answered 200"
    # Still signed in to the portal: staff pages simply treat the visitor as anonymous.
    assert parent_client.get(reverse("portal:family_home")).status_code == 200


def test_the_api_is_not_reachable(parent_client, case):
    for path in ["/api/v1/cases/", f"/api/v1/cases/{case.pk}/", "/api-clients/", "/admin/"]:
        response = parent_client.get(path)
        assert response.status_code in {302, 401, 404}, path
        if response.status_code == 302:
            assert "/family/" not in response["Location"]


def test_staff_never_use_the_family_pages(client, worker, parent_invite):
    client.force_login(worker)
    for name in FAMILY_PAGES + ["portal:family_sign_in", "portal:family_link_request"]:
        assert client.get(reverse(name)).status_code == 403, name
    assert (
        client.post(reverse("portal:family_sign_in"), {"code": parent_invite[1]}).status_code == 403
    )


def test_signing_in_to_the_staff_side_ends_the_portal_session(parent_client, worker):
    parent_client.force_login(worker)
    assert parent_client.get(reverse("portal:family_home")).status_code == 403
    assert SESSION_ACCESS not in parent_client.session


def test_signing_in_to_the_portal_throws_away_the_old_session(client, parent_invite):
    session = client.session
    session["something"] = "from before"
    session.save()
    old_key = session.session_key
    assert client.session["something"] == "from before"
    sign_in(client, parent_invite[1])
    assert client.session.session_key != old_key
    assert "something" not in client.session


def test_without_a_session_every_family_page_asks_to_sign_in(client, world):
    for name in FAMILY_PAGES:
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"] == reverse("portal:family_sign_in")
    url = reverse(
        "portal:family_words_and_pictures_pdf", args=[world["wp_version"].words_and_pictures_id]
    )
    assert client.get(url)["Location"] == reverse("portal:family_sign_in")


def test_a_network_member_sees_only_their_part(member_client):
    for name in MEMBER_PAGES:
        assert member_client.get(reverse(name)).status_code == 200, name
    for name in set(PARENT_PAGES) - set(MEMBER_PAGES):
        assert member_client.get(reverse(name)).status_code == 404, name


def test_a_parent_sees_only_what_the_invitation_names(client, worker, case, world):
    _, code = invite(
        worker, case, kind="parent", person=world["parent"], scopes=[Scope.SAFETY_PLAN]
    )
    sign_in(client, code)
    assert client.get(reverse("portal:family_plan")).status_code == 200
    for name in [
        "portal:family_map",
        "portal:family_map_pdf",
        "portal:family_words_and_pictures",
        "portal:family_rules",
        "portal:family_check_in",
    ]:
        assert client.get(reverse(name)).status_code == 404, name


def test_another_familys_words_and_pictures_is_404(parent_client, worker):
    team = factories.TeamFactory()
    other_worker = factories.UserFactory(team=team)
    other_case = factories.CaseFactory(team=team)
    factories.AllocationFactory(case=other_case, worker=other_worker)
    other_child = factories.PersonFactory(agency=other_case.agency, given_name="Mia")
    factories.CaseMemberFactory(case=other_case, person=other_child)
    other = factories.make_portal_world(actor=other_worker, case=other_case, child=other_child)
    url = reverse(
        "portal:family_words_and_pictures_pdf", args=[other["wp_version"].words_and_pictures_id]
    )
    assert parent_client.get(url).status_code == 404
    # And the other family's staff pages are just staff pages: sign in first.
    response = parent_client.get(reverse("portal:case_portal", args=[other_case.pk]))
    assert response["Location"].startswith(reverse("login"))


def test_withdrawal_ends_a_session_at_once(parent_client, parent_invite, worker):
    services.portal_invitation_withdraw(actor=worker, invitation=parent_invite[0])
    response = parent_client.get(reverse("portal:family_plan"))
    assert response["Location"] == reverse("portal:family_sign_in")
    assert SESSION_ACCESS not in parent_client.session


def test_closing_the_case_ends_access(parent_client, case):
    case.status = "closed"
    case.closed_on = timezone.localdate()
    case.save()
    assert parent_client.get(reverse("portal:family_home")).status_code == 302


def test_deleting_the_case_ends_access(parent_client, case, manager):
    case.deleted_at = timezone.now()
    case.deleted_by = manager
    case.save()
    assert parent_client.get(reverse("portal:family_home")).status_code == 302


def test_the_invitation_ending_ends_access(parent_client, parent_invite):
    invitation = parent_invite[0]
    invitation.expires_at = timezone.now() - datetime.timedelta(seconds=1)
    invitation.save()
    assert parent_client.get(reverse("portal:family_home")).status_code == 302


def test_an_idle_session_ends_after_fifteen_minutes(parent_client):
    session = parent_client.session
    session[SESSION_SEEN] = (timezone.now() - datetime.timedelta(minutes=16)).timestamp()
    session.save()
    assert parent_client.get(reverse("portal:family_home")).status_code == 302


def test_a_busy_session_still_ends_after_its_absolute_limit(parent_client):
    session = parent_client.session
    session[SESSION_STARTED] = (timezone.now() - datetime.timedelta(hours=3)).timestamp()
    session.save()
    assert parent_client.get(reverse("portal:family_home")).status_code == 302


def test_a_used_code_is_refused_in_the_browser(client, parent_invite):
    sign_in(client, parent_invite[1])
    client.post(reverse("portal:family_sign_out"))
    response = client.post(reverse("portal:family_sign_in"), {"code": parent_invite[1]})
    assert response.status_code == 200
    assert b"does not work" in response.content
    assert SESSION_ACCESS not in client.session


def test_guessing_codes_in_the_browser_is_stopped(client, parent_invite):
    for _ in range(services.failure_limit()):
        client.post(reverse("portal:family_sign_in"), {"code": "AAAA-AAAA"})
    response = client.post(reverse("portal:family_sign_in"), {"code": parent_invite[1]})
    assert b"Too many tries" in response.content
    assert SESSION_ACCESS not in client.session


def test_a_link_only_works_when_the_button_is_pressed(client, worker, member_invite):
    from django.core import mail

    invitation = member_invite[0]
    invitation.email = "pat@example.org"
    invitation.save()
    services.portal_link_send(
        actor=worker, invitation=invitation, link_base="http://testserver/family/sign-in/link/"
    )
    token = mail.outbox[-1].body.split("?token=")[1].split()[0]
    url = f"{reverse('portal:family_link')}?token={token}"
    assert client.get(url).status_code == 200  # an email scanner opening it uses nothing
    assert client.get(url).status_code == 200
    response = client.post(reverse("portal:family_link"), {"token": token})
    assert response["Location"] == reverse("portal:family_home")
    client.post(reverse("portal:family_sign_out"))
    response = client.post(reverse("portal:family_link"), {"token": token})
    assert b"does not work" in response.content
    assert SESSION_ACCESS not in client.session


def test_an_expired_link_is_refused(client, worker, member_invite):
    from django.core import mail

    invitation = member_invite[0]
    invitation.email = "pat@example.org"
    invitation.save()
    services.portal_link_send(actor=worker, invitation=invitation, link_base="http://x/")
    token = mail.outbox[-1].body.split("?token=")[1].split()[0]
    invitation.tokens.filter(kind="link").update(expires_at=timezone.now())
    response = client.post(reverse("portal:family_link"), {"token": token})
    assert b"does not work" in response.content


def test_family_pages_are_never_cached(parent_client):
    response = parent_client.get(reverse("portal:family_home"))
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]


def test_the_sign_in_page_sends_a_signed_in_visitor_home(parent_client):
    response = parent_client.get(reverse("portal:family_sign_in"))
    assert response["Location"] == reverse("portal:family_home")


def test_a_member_who_steps_back_loses_access(member_client, world, worker):
    from safety import services as safety_services

    grandma = world["grandma"]
    safety_services.network_member_change_status(
        actor=worker,
        member=grandma,
        expected_revision=grandma.revision,
        status="stepped_back",
        changed_on=timezone.localdate(),
        reason="Moved away for a while",
    )
    assert member_client.get(reverse("portal:family_rules")).status_code == 302
