import pytest

from tests.api.conftest import assert_error, caller_for

pytestmark = pytest.mark.django_db


def test_too_many_requests_is_429_with_retry_after(settings, case, worker):
    settings.THREEFOLD_API_RATE = "3/min"
    api = caller_for(worker)
    for _ in range(3):
        assert api.get("/cases").status_code == 200
    response = api.get("/cases")
    assert_error(response, 429, "rate_limited")
    assert int(response["Retry-After"]) >= 1
    # Each client has its own allowance.
    assert caller_for(worker).get("/cases").status_code == 200
