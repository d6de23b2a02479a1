import datetime

import pytest

from core.audit import actor_label
from core.models import AuditEvent
from process.models import Assessment, Referral
from tests import factories
from tests.api.conftest import assert_error, caller_for

pytestmark = pytest.mark.django_db

REFERRAL = {"received_on": "2026-01-10", "source": "2A", "primary_need": "N1"}


def test_a_referral_through_to_a_completed_assessment(api, case, child, worker):
    response = api.post(f"/cases/{case.pk}/referrals", REFERRAL | {"child_id": child.pk})
    assert response.status_code == 201, response.content
    referral = response.json()
    assert (referral["child_id"], referral["decision"], referral["revision"]) == (child.pk, "", 1)

    decided = api.post(
        f"/cases/{case.pk}/referrals/{referral['id']}/decision",
        {"expected_revision": 1, "decision": "assessment", "decided_on": "2026-01-11"},
    )
    assert decided.json()["decision"] == "assessment", decided.content

    started = api.post(
        f"/cases/{case.pk}/assessments", {"child_id": child.pk, "started_on": "2026-01-12"}
    )
    assert started.status_code == 201, started.content
    assessment = started.json()
    assert assessment["referral_id"] == referral["id"]

    completed = api.post(
        f"/cases/{case.pk}/assessments/{assessment['id']}/complete",
        {
            "expected_revision": 1,
            "completed_on": "2026-02-01",
            "factors": ["3A", "1B"],
            "outcome": "cin_plan",
        },
    )
    assert completed.status_code == 200, completed.content
    assert completed.json()["factors"] == ["1B", "3A"]
    assert Assessment.objects.get().completed_on == datetime.date(2026, 2, 1)

    kinds = [event["kind"] for event in api.get(f"/cases/{case.pk}/process-events").json()]
    assert kinds[:4] == [
        "referral_received",
        "referral_decided",
        "assessment_started",
        "assessment_completed",
    ]


def test_writes_name_the_client_as_well_as_the_person(api, case, child, worker):
    api.post(f"/cases/{case.pk}/referrals", REFERRAL | {"child_id": child.pk})
    event = AuditEvent.objects.get(verb="process.referral_recorded")
    assert event.actor == worker
    assert event.changes["client"] == api.api_client.name
    assert actor_label(event) == f"{worker} (through {api.api_client.name})"


def test_the_process_rules_hold_through_the_api(api, case, child):
    api.post(f"/cases/{case.pk}/referrals", REFERRAL | {"child_id": child.pk})
    # A second referral while the first waits for its decision is refused, as on the page.
    error = assert_error(
        api.post(f"/cases/{case.pk}/referrals", REFERRAL | {"child_id": child.pk}),
        422,
        "rule_violation",
    )
    assert "still waiting for its decision" in error["message"]
    assert Referral.objects.count() == 1


def test_a_stale_revision_is_a_conflict(api, case, child):
    referral = api.post(f"/cases/{case.pk}/referrals", REFERRAL | {"child_id": child.pk}).json()
    url = f"/cases/{case.pk}/referrals/{referral['id']}/decision"
    body = {"expected_revision": 1, "decision": "early_help", "decided_on": "2026-01-11"}
    assert api.post(url, body).status_code == 200
    assert_error(api.post(url, body), 409, "conflict")


def test_only_children_of_the_case_can_be_named(api, case):
    adult = factories.PersonFactory(agency=case.agency, kind="adult")
    factories.CaseMemberFactory(case=case, person=adult)
    stranger = factories.PersonFactory(agency=case.agency)
    for person in (adult, stranger):
        assert_error(
            api.post(
                f"/cases/{case.pk}/visits",
                {"child_id": person.pk, "visited_on": "2026-02-01", "seen_alone": True},
            ),
            422,
            "rule_violation",
        )


def test_a_visit_and_the_lists(api, case, child):
    response = api.post(
        f"/cases/{case.pk}/visits",
        {"child_id": child.pk, "visited_on": "2026-02-01", "seen_alone": True, "notes": "Seen"},
    )
    assert response.status_code == 201, response.content
    assert response.json()["seen_alone"] is True
    for path in ("referrals", "assessments", "child-protection-plans", "looked-after-episodes"):
        assert api.get(f"/cases/{case.pk}/{path}").json() == []


def test_process_scopes_are_needed(case, worker):
    reader = caller_for(worker, scopes=["cases:read", "process:read"])
    assert reader.get(f"/cases/{case.pk}/referrals").status_code == 200
    assert_error(
        reader.post(
            f"/cases/{case.pk}/visits",
            {"child_id": 1, "visited_on": "2026-02-01", "seen_alone": True},
        ),
        403,
        "forbidden",
    )
