"""Every operation in the OpenAPI document, called by a client acting as each role, and by a
client of another agency. The API's URL patterns are not named (they are reached with bearer
tokens, never sessions), so tests/threefold/test_authorisation_matrix.py does not walk them:
this does, from the document, so a new operation cannot be left out."""

import datetime

import pytest

from agencies.models import Role
from api.api import api_v1
from practice import services
from process import services as process_services
from safety import services as safety_services
from tests import factories
from tests.api.conftest import caller_for

pytestmark = pytest.mark.django_db

SCHEMA = api_v1.get_openapi_schema(path_prefix="/api/v1/")
OPERATIONS = sorted(
    (method.upper(), path.removeprefix("/api/v1"))
    for path, methods in SCHEMA["paths"].items()
    for method in methods
)
CASE_READERS = {
    "social_worker",
    "team_manager",
    "conference_chair",
    "practice_lead",
    "senior_leader",
    "performance_analyst",
}
CASE_RECORDERS = {"social_worker", "team_manager", "conference_chair"}
# The measures of practice: figures, not a case; those with a dashboard on the pages read them.
FIGURES = ("GET", "/measures")
FIGURE_READERS = CASE_READERS - {"conference_chair"}

GOAL = {"what_will_be_seen": "Safe", "seen_by": "Pat", "sustain_for": 3, "sustain_unit": "months"}
STATEMENT = {"who_is_worried": "School", "worried_about": "Hitting", "impact_on_child": "Hurt"}
VALID = {
    ("POST", "/cases/{case_id}/maps"): {"purpose": "mapping", "held_on": "2026-02-01"},
    ("POST", "/cases/{case_id}/maps/{map_id}/finalise"): {"expected_revision": 1},
    ("POST", "/cases/{case_id}/maps/{map_id}/participants"): {"name": "Jade", "role": "parent"},
    ("POST", "/cases/{case_id}/maps/{map_id}/entries"): {"category": "harm", "text": "A bruise"},
    ("PUT", "/cases/{case_id}/maps/{map_id}/entries/{entry_id}"): {
        "expected_revision": 1,
        "text": "A bruise on his arm",
    },
    ("DELETE", "/cases/{case_id}/maps/{map_id}/entries/{entry_id}"): None,
    ("POST", "/cases/{case_id}/maps/{map_id}/danger-statements"): {
        "statement": STATEMENT,
        "goal": GOAL,
    },
    ("POST", "/cases/{case_id}/maps/{map_id}/scale-judgements"): {
        "rater_name": "Jade",
        "rater_role": "parent",
        "score": 5,
        "zero_means": "0",
        "ten_means": "10",
        "reason": "Better",
    },
    ("POST", "/cases/{case_id}/network"): {"name": "Grandma Pat", "kind": "family"},
    ("POST", "/cases/{case_id}/safety-plans"): None,
    ("PATCH", "/cases/{case_id}/safety-plans/{plan_id}"): {
        "expected_revision": 1,
        "if_broken": "Call",
    },
    ("POST", "/cases/{case_id}/safety-plans/{plan_id}/rules"): {"text": "Pat collects Leo."},
    ("POST", "/cases/{case_id}/safety-plans/{plan_id}/agree"): {
        "expected_revision": 1,
        "agreed_on": "2026-02-01",
        "next_review_on": "2026-03-01",
        "agreed_with": "Jade",
    },
    ("POST", "/cases/{case_id}/referrals"): {
        "child_id": "{child_id}",
        "received_on": "2026-02-01",
        "source": "2A",
        "primary_need": "N1",
    },
    ("POST", "/cases/{case_id}/referrals/{referral_id}/decision"): {
        "expected_revision": 2,
        "decision": "assessment",
        "decided_on": "2026-01-11",
    },
    ("POST", "/cases/{case_id}/assessments"): {
        "child_id": "{child_id}",
        "started_on": "2026-01-12",
    },
    ("POST", "/cases/{case_id}/assessments/{assessment_id}/complete"): {
        "expected_revision": 1,
        "completed_on": "2026-02-01",
        "factors": ["3A"],
        "outcome": "cin_plan",
    },
    ("POST", "/cases/{case_id}/visits"): {
        "child_id": "{child_id}",
        "visited_on": "2026-02-01",
        "seen_alone": True,
    },
}


def test_every_write_operation_has_a_valid_body_here():
    writes = {op for op in OPERATIONS if op[0] != "GET"}
    assert writes == set(VALID)


@pytest.fixture
def world(case, worker, manager):
    agency = case.agency
    users = {
        role: factories.UserFactory(team=None, agency=agency, role=role)
        for role in [
            "conference_chair",
            "practice_lead",
            "senior_leader",
            "performance_analyst",
            "administrator",
        ]
    }
    users["social_worker"], users["team_manager"] = worker, manager
    map_ = services.map_start(actor=worker, case=case, purpose="mapping", held_on=case.opened_on)
    entry = services.map_entry_add(actor=worker, map_=map_, category="harm", text="A bruise")
    plan = safety_services.safety_plan_start(actor=worker, case=case)
    child = case.members.get()
    referral = process_services.referral_record(
        actor=worker,
        case=case,
        child=child,
        received_on=datetime.date(2026, 1, 10),
        source="2A",
        primary_need="N1",
    )
    referral = process_services.referral_decide(
        actor=worker,
        referral=referral,
        expected_revision=1,
        decision="assessment",
        decided_on=datetime.date(2026, 1, 11),
    )
    assessment = process_services.assessment_start(
        actor=worker, case=case, child=child, started_on=datetime.date(2026, 1, 12)
    )
    ids = {
        "case_id": case.pk,
        "map_id": map_.pk,
        "entry_id": entry.pk,
        "plan_id": plan.pk,
        "child_id": child.pk,
        "referral_id": referral.pk,
        "assessment_id": assessment.pk,
    }
    return users, ids


def _call(caller, method, path, ids):
    url = path.format(**ids)
    body = VALID.get((method, path))
    if body:  # the child the world made goes into the body too
        body = {k: ids["child_id"] if v == "{child_id}" else v for k, v in body.items()}
    if method == "GET":
        return caller.get(url)
    if method == "DELETE":
        return caller.delete(url, "?expected_revision=1")
    return getattr(caller, method.lower())(url, body)


@pytest.mark.parametrize(("method", "path"), OPERATIONS)
def test_each_role_gets_exactly_what_its_pages_allow(world, method, path):
    users, ids = world
    removed = False
    # Those who may not write go first, so they meet the records as the world made them.
    for role, user in sorted(users.items(), key=lambda item: item[0] in CASE_RECORDERS):
        response = _call(caller_for(user), method, path, ids)
        status = response.status_code
        if removed and status == 404:
            continue  # a recorder before this one already removed the entry
        removed = removed or (method == "DELETE" and status == 204)
        if (method, path) == FIGURES:
            expected = 200 if role in FIGURE_READERS else 403
            assert status == expected, f"{method} {path} as {role}: {status}"
            continue
        if "{case_id}" not in path:  # the lists: scoped, never refused
            assert status == 200, f"{method} {path} as {role}: {status}"
            continue
        if method == "GET":
            expected = 200 if role in CASE_READERS else 404
            assert status == expected, f"{method} {path} as {role}: {status}"
        elif role in CASE_RECORDERS:
            # Allowed: done, or refused by a practice rule (e.g. a draft already exists).
            assert status < 400 or status in {409, 422}, f"{method} {path} as {role}: {status}"
        else:
            expected = 403 if role in CASE_READERS else 404
            assert status == expected, f"{method} {path} as {role}: {status}"


@pytest.mark.parametrize(("method", "path"), OPERATIONS)
def test_another_agency_never_reaches_a_case(world, method, path):
    _, ids = world
    for role in Role.values:
        caller = caller_for(factories.UserFactory(role=role))
        response = _call(caller, method, path, ids)
        if (method, path) == FIGURES:
            if role not in FIGURE_READERS:
                assert response.status_code == 403
                continue
            counted = [m["all"]["numerator"] for m in response.json()["measures"]]
            assert response.status_code == 200 and not any(counted), f"{path} as outside {role}"
        elif "{case_id}" not in path:
            assert response.status_code == 200
            assert response.json()["count"] == 0, f"{method} {path} as outside {role}"
        else:
            assert response.status_code == 404, f"{method} {path} as outside {role}"
