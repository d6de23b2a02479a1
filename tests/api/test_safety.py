import pytest

from core.models import AuditEvent
from safety import services
from safety.models import SafetyPlan
from tests import factories
from tests.api.conftest import assert_error, caller_for

pytestmark = pytest.mark.django_db


def test_network_read_and_add(api, case, child, worker):
    response = api.post(
        f"/cases/{case.pk}/network",
        {
            "name": "Grandma Pat",
            "kind": "family",
            "relationship": "Mum's mum",
            "children": [child.pk],
            "informed": True,
            "informed_on": "2026-01-10",
            "informed_by": "Sam Reid",
            "email": "pat@example.org",
        },
    )
    assert response.status_code == 201, response.content
    member = response.json()
    assert (member["status"], member["children"], member["informed"]) == (
        "active",
        [child.pk],
        True,
    )
    assert AuditEvent.objects.get(verb="safety.network_member_added").actor == worker
    [listed] = api.get(f"/cases/{case.pk}/network").json()
    assert listed["id"] == member["id"]
    assert AuditEvent.objects.get(verb="api.network_read").changes["count"] == 1
    assert_error(
        api.post(f"/cases/{case.pk}/network", {"name": "X", "email": "not an email"}),
        422,
        "invalid",
    )


def test_a_plan_from_start_to_agreement(api, case, worker):
    member = services.network_member_add(
        actor=worker, case=case, name="Grandma Pat", kind="family", relationship="Mum's mum"
    )
    response = api.post(f"/cases/{case.pk}/safety-plans")
    assert response.status_code == 201, response.content
    plan = response.json()
    url = f"/cases/{case.pk}/safety-plans/{plan['id']}"
    rule = api.post(
        f"{url}/rules",
        {
            "text": "Grandma Pat collects Leo from school.",
            "who": "Grandma Pat",
            "members": [member.pk],
        },
    )
    assert rule.status_code == 201, rule.content
    assert rule.json()["members"] == [member.pk]
    refused = api.post(
        f"{url}/agree",
        {
            "expected_revision": 1,
            "agreed_on": "2026-02-01",
            "next_review_on": "2026-03-01",
            "agreed_with": "Jade",
        },
    )
    assert "if a rule is broken" in assert_error(refused, 422, "rule_violation")["message"]
    details = api.patch(url, {"expected_revision": 1, "if_broken": "Pat calls the social worker."})
    assert details.status_code == 200, details.content
    assert_error(api.patch(url, {"expected_revision": 1}), 409, "conflict")
    agreed = api.post(
        f"{url}/agree",
        {
            "expected_revision": 2,
            "agreed_on": "2026-02-01",
            "next_review_on": "2026-03-01",
            "members": [member.pk],
        },
    )
    assert agreed.status_code == 200, agreed.content
    assert agreed.json()["status"] == "agreed"
    detail = api.get(url).json()
    assert [r["text"] for r in detail["rules"]] == ["Grandma Pat collects Leo from school."]
    listed = api.get(f"/cases/{case.pk}/safety-plans").json()
    assert [p["id"] for p in listed["results"]] == [plan["id"]]
    assert SafetyPlan.objects.get().agreed_recorded_by == worker


def test_safety_writes_need_recording_rights_and_scope(case):
    lead = caller_for(factories.UserFactory(agency=case.agency, team=None, role="senior_leader"))
    assert lead.get(f"/cases/{case.pk}/network").status_code == 200
    assert_error(lead.post(f"/cases/{case.pk}/safety-plans"), 403, "forbidden")
    reader = caller_for(case.allocations.get().worker, scopes=["safety:read"])
    assert_error(reader.post(f"/cases/{case.pk}/safety-plans"), 403, "forbidden")


def test_members_and_statements_of_another_case_are_refused(api, case, team, worker):
    other = factories.CaseFactory(team=team)
    stranger = services.network_member_add(actor=worker, case=other, name="Someone", kind="friend")
    plan = services.safety_plan_start(actor=worker, case=case)
    response = api.post(
        f"/cases/{case.pk}/safety-plans/{plan.pk}/rules",
        {"text": "A rule", "members": [stranger.pk]},
    )
    assert_error(response, 422, "rule_violation")
