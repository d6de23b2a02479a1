"""Sign-in protections: lockout, second factor, signing out everywhere, idle sessions."""

import datetime

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from agencies.models import Role
from core.models import AuditEvent
from tests import factories

pytestmark = pytest.mark.django_db


def sign_in(client, user, password=factories.PASSWORD):
    return client.post(reverse("login"), {"username": user.username, "password": password})


def current_code(device):
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def test_five_wrong_passwords_lock_the_account_even_for_the_right_one(client, worker):
    for _ in range(5):
        response = sign_in(client, worker, password="not the password")
    response = sign_in(client, worker)
    assert response.status_code == 429
    assert "Too many attempts to sign in" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_right_password_signs_in_and_resets_the_count(client, worker):
    for _ in range(3):
        sign_in(client, worker, password="nope")
    response = sign_in(client, worker)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(worker.pk)


def test_a_signed_in_page_reads_the_person_with_their_agency_in_one_query(client, worker, case):
    sign_in(client, worker)
    with CaptureQueriesContext(connection) as queries:
        html = client.get(reverse("casefile:caseload")).content.decode()
    assert worker.agency.name in html  # the header names the person's agency
    user_reads = [q["sql"] for q in queries if 'FROM "agencies_user"' in q["sql"]]
    assert len(user_reads) == 1 and '"agencies_agency"' in user_reads[0]
    assert not any(q["sql"].startswith('SELECT "agencies_agency"') for q in queries)


def test_staff_in_a_two_factor_role_must_set_up_and_use_an_authenticator(
    client, worker, case, settings
):
    settings.TWO_FACTOR_ROLES = [Role.SOCIAL_WORKER]
    sign_in(client, worker)
    case_url = reverse("casefile:case_detail", args=[case.pk])
    response = client.get(case_url)
    assert response.status_code == 302 and response.url.startswith(reverse("two_factor_verify"))
    setup = client.get(response.url, follow=True)
    assert "Set up your authenticator app" in setup.content.decode()
    assert "<svg" in setup.content.decode()
    device = TOTPDevice.objects.get(user=worker, confirmed=False)
    wrong = client.post(reverse("two_factor_setup"), {"token": "000000", "next": case_url})
    assert "That code is not right" in wrong.content.decode()
    done = client.post(
        reverse("two_factor_setup"), {"token": current_code(device), "next": case_url}
    )
    assert done.status_code == 302 and done.url == case_url
    assert client.get(case_url).status_code == 200
    # Next time: password, then the code.
    other = Client()
    sign_in(other, worker)
    assert other.get(case_url).status_code == 302
    device.refresh_from_db()
    device.last_t = -1
    device.save()
    verified = other.post(
        reverse("two_factor_verify"), {"token": current_code(device), "next": case_url}
    )
    assert verified.url == case_url
    assert other.get(case_url).status_code == 200


def test_roles_outside_the_two_factor_list_are_not_asked(client, worker, case, settings):
    settings.TWO_FACTOR_ROLES = [Role.TEAM_MANAGER]
    sign_in(client, worker)
    assert client.get(reverse("casefile:case_detail", args=[case.pk])).status_code == 200


def test_sign_out_everywhere_ends_every_session(worker, case):
    laptop, phone = Client(), Client()
    sign_in(laptop, worker)
    sign_in(phone, worker)
    url = reverse("casefile:case_detail", args=[case.pk])
    assert phone.get(url).status_code == 200
    laptop.post(reverse("sign_out_everywhere"))
    assert phone.get(url).status_code == 302
    assert laptop.get(url).status_code == 302
    assert AuditEvent.objects.filter(verb="user.signed_out_everywhere", actor=worker).exists()


def test_an_htmx_request_after_the_session_ends_reloads_the_sign_in_page(client, case, draft_map):
    url = reverse("practice:entry_add", args=[case.pk, draft_map.pk])
    response = client.post(
        url,
        {"category": "harm", "text": "Typed before timeout"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_CURRENT_URL="http://testserver/cases/1/maps/1/",
    )
    assert response.status_code == 204
    assert response["HX-Redirect"] == f"{reverse('login')}?next=/cases/1/maps/1/"


def test_sessions_end_after_the_idle_time(settings):
    assert settings.SESSION_COOKIE_AGE == settings.SESSION_IDLE_MINUTES * 60 <= 60 * 60
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True


def test_use_keeps_a_session_alive_without_a_write_on_every_page(client, worker, monkeypatch):
    clock = [1_000_000]
    monkeypatch.setattr("core.middleware.time.time", lambda: clock[0])
    client.force_login(worker)
    url = reverse("casefile:caseload")
    client.get(url)
    key = client.session.session_key
    ends = Session.objects.get(session_key=key).expire_date

    clock[0] += 30  # within the minute: the end stays where it was, with no write
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    assert not [q for q in queries if "django_session" in q["sql"] and "UPDATE" in q["sql"]]
    assert Session.objects.get(session_key=key).expire_date == ends

    clock[0] += 31  # a minute on: the session's end moves a whole idle time on
    client.get(url)
    later = Session.objects.get(session_key=key).expire_date
    assert later > ends
    assert later - timezone.now() > datetime.timedelta(minutes=settings.SESSION_IDLE_MINUTES - 1)


def test_passwords_must_be_strong():
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    for weak in ["password123", "short", "12345678901234"]:
        with pytest.raises(ValidationError):
            validate_password(weak)
    validate_password("a long and unusual passphrase")


def test_an_administrator_unlocks_and_resets_an_authenticator(client, worker, settings):
    admin = factories.UserFactory(team=None, agency=worker.agency, role=Role.ADMINISTRATOR)
    for _ in range(5):
        sign_in(client, worker, password="wrong")
    assert sign_in(client, worker).status_code == 429
    TOTPDevice.objects.create(user=worker, name="Authenticator app", confirmed=True)
    admin_client = Client()
    admin_client.force_login(admin)
    page = admin_client.get(reverse("staff_sign_in")).content.decode()
    assert "Locked out" in page and "Reset app" in page
    admin_client.post(reverse("staff_sign_in"), {"user": worker.pk, "action": "unlock"})
    assert sign_in(Client(), worker).status_code == 302
    admin_client.post(reverse("staff_sign_in"), {"user": worker.pk, "action": "reset_two_factor"})
    assert not TOTPDevice.objects.filter(user=worker).exists()
    assert set(AuditEvent.objects.filter(actor=admin).values_list("verb", flat=True)) == {
        "user.unlocked",
        "user.two_factor_reset",
    }


def test_administrators_of_another_agency_cannot_touch_our_staff(client, worker):
    from agencies.services import user_unlock
    from core.errors import RuleViolation

    outsider = factories.UserFactory(role=Role.ADMINISTRATOR)
    with pytest.raises(RuleViolation):
        user_unlock(actor=outsider, user=worker)
    client.force_login(outsider)
    assert (
        client.post(reverse("staff_sign_in"), {"user": worker.pk, "action": "unlock"}).status_code
        == 404
    )
