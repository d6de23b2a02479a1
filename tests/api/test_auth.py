import datetime

import pytest
from django.utils import timezone

from agencies.models import Role
from api.models import ApiToken, Scope
from tests import factories
from tests.api.conftest import ApiCaller, assert_error, caller_for

pytestmark = pytest.mark.django_db


def test_no_token_is_401_in_the_one_error_format(case):
    response = ApiCaller(None).get(f"/cases/{case.pk}")
    assert_error(response, 401, "unauthenticated")
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("token", ["nonsense", "tf_not-a-real-token", "", "tf_" + "x" * 500])
def test_an_unknown_token_is_401(case, token):
    assert_error(ApiCaller(token).get("/cases"), 401, "unauthenticated")


def test_a_basic_auth_header_is_401(case):
    caller = ApiCaller(None)
    response = caller.client.get("/api/v1/cases", headers={"Authorization": "Basic dXNlcjpwYXNz"})
    assert_error(response, 401, "unauthenticated")


def test_an_expired_token_is_401(case, worker):
    client = factories.ApiClientFactory(acting_user=worker)
    token = factories.api_token(client)
    ApiToken.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert_error(ApiCaller(token).get("/cases"), 401, "unauthenticated")


def test_a_revoked_token_is_401(case, worker):
    client = factories.ApiClientFactory(acting_user=worker)
    token = factories.api_token(client, revoked_at=timezone.now())
    assert_error(ApiCaller(token).get("/cases"), 401, "unauthenticated")


def test_a_switched_off_client_is_401(api):
    api.api_client.revoked_at = timezone.now()
    api.api_client.save()
    assert_error(api.get("/cases"), 401, "unauthenticated")


def test_a_client_whose_user_has_left_is_401(api, worker):
    worker.is_active = False
    worker.save()
    assert_error(api.get("/cases"), 401, "unauthenticated")


def test_a_token_works_and_records_when_it_was_used(api):
    response = api.get("/cases")
    assert response.status_code == 200
    assert ApiToken.objects.get().last_used_at is not None


def test_a_missing_scope_is_403(case, worker):
    caller = caller_for(worker, scopes=["cases:read"])
    assert caller.get("/cases").status_code == 200
    assert_error(caller.get(f"/cases/{case.pk}/maps"), 403, "forbidden")
    assert_error(
        caller.post(f"/cases/{case.pk}/maps", {"purpose": "mapping", "held_on": "2026-02-01"}),
        403,
        "forbidden",
    )


def test_a_signed_in_session_is_not_enough(client, case, worker):
    """No cookie authentication: a browser session gets 401, never data or a sign-in page."""
    client.force_login(worker)
    response = client.get(f"/api/v1/cases/{case.pk}")
    assert_error(response, 401, "unauthenticated")
    response = client.post(
        f"/api/v1/cases/{case.pk}/maps",
        {"purpose": "mapping", "held_on": "2026-02-01"},
        content_type="application/json",
    )
    assert_error(response, 401, "unauthenticated")


def test_bearer_writes_need_no_csrf_token(api, case):
    # ApiCaller's Django client enforces CSRF checks, as a browser would meet them.
    response = api.post(f"/cases/{case.pk}/maps", {"purpose": "mapping", "held_on": "2026-02-01"})
    assert response.status_code == 201, response.content


def test_anonymous_callers_are_not_sent_to_the_sign_in_page(client, case):
    response = client.get(f"/api/v1/cases/{case.pk}/maps")
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")


def test_the_openapi_document_and_docs_page_need_no_token(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["info"]["version"] == "1"
    assert "/api/v1/cases" in schema["paths"]
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "/api/v1/cases/{case_id}/maps" in html
    # Nothing loaded from anywhere else: the CSP allows only this site.
    assert "cdn" not in html.lower() and "swagger" not in html.lower()


def test_an_administrator_acting_user_sees_no_cases(case):
    admin = factories.UserFactory(agency=case.agency, team=None, role=Role.ADMINISTRATOR)
    caller = caller_for(admin)
    assert caller.get("/cases").json()["count"] == 0
    assert_error(caller.get(f"/cases/{case.pk}"), 404, "not_found")


def test_the_test_clients_have_every_scope_there_is():
    assert set(factories.API_SCOPES) == set(Scope.values)


def test_a_method_an_operation_lacks_is_405_in_the_one_format(api, case):
    response = api.client.delete(
        f"/api/v1/cases/{case.pk}", headers={"Authorization": f"Bearer {api.token}"}
    )
    assert_error(response, 405, "method_not_allowed")
    assert response["Allow"] == "GET"


def test_an_unexpected_authorization_header_is_never_logged(settings, case, caplog):
    settings.DEBUG = True
    caller = ApiCaller(None)
    caller.client.get("/api/v1/cases", headers={"Authorization": "Basic c2VjcmV0OnNlY3JldA=="})
    assert "c2VjcmV0" not in caplog.text


def test_two_factor_for_staff_does_not_redirect_api_calls(settings, api, case):
    """Tokens are not sessions: the two-factor prompt is for people signing in to pages."""
    settings.TWO_FACTOR_ROLES = list(Role.values)
    response = api.get(f"/cases/{case.pk}")
    assert response.status_code == 200


def test_every_operation_documents_its_errors_and_leaks_nothing_internal(client):
    schema = client.get("/api/v1/openapi.json").json()
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            documented = set(operation["responses"])
            assert {"400", "401", "403", "404", "422", "429"} <= documented, (method, path)
            if method != "get":
                assert "409" in documented, (method, path)
            assert operation["security"], (method, path)
    text = str(schema["components"])
    for internal in [
        "token_hash",
        "restriction_reason",
        "deletion_reason",
        "deleted_by",
        "password",
    ]:
        assert internal not in text
