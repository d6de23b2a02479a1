import re

import pytest
from django.urls import reverse

from agencies.models import Role
from api.models import ApiClient, ApiToken
from api.services import token_hash
from core.models import AuditEvent
from tests import factories
from tests.api.conftest import ApiCaller, assert_error

pytestmark = pytest.mark.django_db


@pytest.fixture
def administrator(case):
    return factories.UserFactory(agency=case.agency, team=None, role=Role.ADMINISTRATOR)


def test_an_administrator_adds_a_client_issues_a_token_and_revokes_it(
    client, administrator, worker, case
):
    client.force_login(administrator)
    page = client.get(reverse("api_clients:clients"))
    assert page.status_code == 200
    assert "Add a client" in page.content.decode()
    response = client.post(
        reverse("api_clients:clients"),
        {"name": "Case management system", "acting_user": worker.pk, "scopes": ["cases:read"]},
    )
    assert response.status_code == 302
    api_client = ApiClient.objects.get()
    assert (api_client.acting_user, api_client.scopes) == (worker, ["cases:read"])

    issued = client.post(reverse("api_clients:token_issue"), {"client": api_client.pk, "days": 30})
    assert issued.status_code == 200
    secret = re.search(r'value="(tf_[^"]+)"', issued.content.decode()).group(1)
    token = ApiToken.objects.get()
    # Only the hash is kept; the page never shows the secret again.
    assert token.token_hash == token_hash(secret) and secret not in str(token.__dict__)
    assert token.agency_id == api_client.agency_id
    assert secret not in client.get(reverse("api_clients:clients")).content.decode()
    assert ApiCaller(secret).get(f"/cases/{case.pk}").status_code == 200

    client.post(reverse("api_clients:token_revoke"), {"token": token.pk})
    assert_error(ApiCaller(secret).get(f"/cases/{case.pk}"), 401, "unauthenticated")
    verbs = list(
        AuditEvent.objects.filter(verb__startswith="api.", actor=administrator)
        .order_by("sequence")
        .values_list("verb", flat=True)
    )
    assert verbs == ["api.client_created", "api.token_issued", "api.token_revoked"]


def test_switching_a_client_off_stops_every_token(client, administrator, worker, case):
    api_client = factories.ApiClientFactory(acting_user=worker)
    secret = factories.api_token(api_client)
    client.force_login(administrator)
    client.post(reverse("api_clients:client_revoke"), {"client": api_client.pk})
    assert_error(ApiCaller(secret).get("/cases"), 401, "unauthenticated")
    assert ApiToken.objects.get().revoked_at is not None
    refused = client.post(reverse("api_clients:token_issue"), {"client": api_client.pk, "days": 30})
    assert refused.status_code == 302
    assert ApiToken.objects.count() == 1


def test_a_client_cannot_act_as_an_administrator_or_someone_elsewhere(client, administrator):
    client.force_login(administrator)
    elsewhere = factories.UserFactory()
    response = client.post(
        reverse("api_clients:clients"),
        {"name": "X", "acting_user": elsewhere.pk, "scopes": ["cases:read"]},
    )
    assert response.status_code == 400
    assert not ApiClient.objects.exists()


def test_other_agencies_clients_are_out_of_reach(client, administrator):
    theirs = factories.ApiClientFactory()
    client.force_login(administrator)
    assert theirs.name not in client.get(reverse("api_clients:clients")).content.decode()
    response = client.post(reverse("api_clients:client_revoke"), {"client": theirs.pk})
    assert response.status_code == 404
    response = client.post(reverse("api_clients:token_issue"), {"client": theirs.pk, "days": 30})
    assert response.status_code == 404
    assert client.post(reverse("api_clients:token_revoke"), {"token": "abc"}).status_code == 404


def test_only_administrators(client, worker):
    client.force_login(worker)
    assert client.get(reverse("api_clients:clients")).status_code == 403
