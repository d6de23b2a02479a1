"""Property-based tests generated from the OpenAPI document (schemathesis), run in-process
against the WSGI application with a real token for a seeded agency. Every generated request,
valid or not, must get an answer that is not a server error, with a status code, content type
and body that the document declares for it."""

import os

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.api import api_v1
from practice import services
from safety import services as safety_services
from tests import factories
from threefold.wsgi import application

# Small by default so the suite stays quick; raise it for a deeper run, e.g.
# THREEFOLD_SCHEMATHESIS_EXAMPLES=100 .venv/bin/pytest tests/api/test_schemathesis.py
EXAMPLES = int(os.environ.get("THREEFOLD_SCHEMATHESIS_EXAMPLES", "8"))
SCHEMA = schemathesis.openapi.from_dict(api_v1.get_openapi_schema(path_prefix="/api/v1/"))


@pytest.fixture
def _keep_the_test_connection():
    """The real WSGI handler closes "old" database connections around each request, which would
    close the test's transaction on PostgreSQL. Django's own test client switches this off the
    same way."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def seeded(_keep_the_test_connection, case, worker, child, settings):
    """A case with a draft map (entry, danger statement, scale), a network member and a draft
    plan, and a token for its social worker's system with every scope."""
    settings.THREEFOLD_API_RATE = "100000/min"
    map_ = services.map_start(actor=worker, case=case, purpose="mapping", held_on=case.opened_on)
    entry = services.map_entry_add(actor=worker, map_=map_, category="harm", text="A bruise")
    safety_services.network_member_add(actor=worker, case=case, name="Grandma Pat", kind="family")
    plan = safety_services.safety_plan_start(actor=worker, case=case)
    token = factories.api_token(factories.ApiClientFactory(acting_user=worker))
    ids = {"case_id": case.pk, "map_id": map_.pk, "entry_id": entry.pk, "plan_id": plan.pk}
    return token, ids


@pytest.mark.django_db
@SCHEMA.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_no_request_gets_a_server_error(case, seeded):
    token, ids = seeded
    # Point most requests at the seeded records, so the generated bodies reach the services
    # rather than stopping at a 404.
    for name in list(case.path_parameters or {}):
        if name in ids:
            case.path_parameters[name] = ids[name]
    case.call_and_validate(
        app=application,
        headers={"Authorization": f"Bearer {token}"},
        checks=[
            not_a_server_error,
            status_code_conformance,
            content_type_conformance,
            response_schema_conformance,
        ],
    )
