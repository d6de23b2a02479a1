import pytest
from django.test import Client

from tests import factories

API = "/api/v1"


class ApiCaller:
    """A test client that sends a bearer token and JSON, and never a session cookie."""

    def __init__(self, token: str | None):
        self.client = Client(enforce_csrf_checks=True)
        self.token = token

    def _headers(self):
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    def get(self, path, params=None):
        return self.client.get(f"{API}{path}", params or {}, headers=self._headers())

    def post(self, path, data=None):
        return self.client.post(
            f"{API}{path}", data or {}, content_type="application/json", headers=self._headers()
        )

    def put(self, path, data=None):
        return self.client.put(
            f"{API}{path}", data or {}, content_type="application/json", headers=self._headers()
        )

    def patch(self, path, data=None):
        return self.client.patch(
            f"{API}{path}", data or {}, content_type="application/json", headers=self._headers()
        )

    def delete(self, path, params=""):
        return self.client.delete(f"{API}{path}{params}", headers=self._headers())


def caller_for(user, **client_kwargs) -> ApiCaller:
    client = factories.ApiClientFactory(acting_user=user, **client_kwargs)
    caller = ApiCaller(factories.api_token(client))
    caller.api_client = client
    return caller


@pytest.fixture
def api(worker):
    """The case's allocated social worker's system, with every scope."""
    return caller_for(worker)


def assert_error(response, status: int, code: str):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"}
    assert body["error"]["code"] == code
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    assert isinstance(body["error"]["details"], list)
    return body["error"]
