import datetime

import pytest
from django.utils import timezone

from agencies.models import Role
from core.models import AuditEvent
from people.models import Case
from people.services import case_restrict
from practice import services as practice_services
from tests import factories
from tests.api.conftest import assert_error, caller_for

pytestmark = pytest.mark.django_db


def test_list_gives_the_visible_cases_with_their_worker(api, case, worker):
    body = api.get("/cases").json()
    assert body["count"] == 1
    assert body["next_offset"] is None
    [row] = body["results"]
    assert row["id"] == case.pk
    assert row["reference"] == case.reference
    assert row["allocated_worker"] == {"id": worker.pk, "name": str(worker)}
    assert row["team"]["id"] == case.team_id
    assert "restriction_reason" not in row and "deletion_reason" not in row


def test_detail_and_allocations(api, case, worker):
    assert api.get(f"/cases/{case.pk}").json()["name"] == case.name
    [allocation] = api.get(f"/cases/{case.pk}/allocations").json()
    assert allocation["worker"]["id"] == worker.pk
    assert allocation["ended_on"] is None


def test_people_of_a_case(api, case, child):
    adult = factories.PersonFactory(agency=case.agency, kind="adult", given_name="Jade")
    factories.CaseMemberFactory(case=case, person=adult)
    body = api.get(f"/cases/{case.pk}/people").json()
    assert [p["id"] for p in body["children"]] == [child.pk]
    assert [p["id"] for p in body["adults"]] == [adult.pk]
    listed = api.get("/people").json()
    assert {p["id"] for p in listed["results"]} == {child.pk, adult.pk}


def test_reads_are_audited_with_the_client_and_how_many(api, case, worker):
    api.get("/cases")
    api.get(f"/cases/{case.pk}")
    listed = AuditEvent.objects.get(verb="api.cases_listed")
    assert listed.actor == worker
    assert listed.changes == {"client": api.api_client.name, "count": 1, "ids": [case.pk]}
    read = AuditEvent.objects.get(verb="api.case_read")
    assert (read.case_id, read.actor, read.changes["count"]) == (case.pk, worker, 1)


def test_pagination(api, team, worker):
    for n in range(5):
        factories.CaseFactory(team=team, name=f"Family {n}")
    page = api.get("/cases", {"limit": 2}).json()
    assert page["count"] == 5 and page["next_offset"] == 2
    names = [c["name"] for c in page["results"]]
    page2 = api.get("/cases", {"limit": 2, "offset": 2}).json()
    page3 = api.get("/cases", {"limit": 2, "offset": 4}).json()
    assert page3["next_offset"] is None
    names += [c["name"] for c in page2["results"] + page3["results"]]
    assert names == [f"Family {n}" for n in range(5)]


@pytest.mark.parametrize("params", [{"limit": 0}, {"limit": 201}, {"offset": -1}])
def test_bad_paging_is_422_with_details(api, params):
    error = assert_error(api.get("/cases", params), 422, "invalid")
    assert error["details"][0]["location"][0] == "query"


def test_updated_since_gives_cases_changed_since(api, case, team, worker):
    other = factories.CaseFactory(team=team, name="Other family")
    later = timezone.now() + datetime.timedelta(seconds=1)
    Case.objects.filter(pk=other.pk).update(updated_at=later + datetime.timedelta(seconds=5))
    body = api.get("/cases", {"updated_since": later.isoformat()}).json()
    assert [c["id"] for c in body["results"]] == [other.pk]
    # A map written on the first case counts as a change to it, though the case row is the same.
    Case.objects.filter(pk=case.pk).update(updated_at=later - datetime.timedelta(days=1))
    before_write = timezone.now()
    practice_services.map_start(actor=worker, case=case, purpose="mapping", held_on=case.opened_on)
    body = api.get("/cases", {"updated_since": before_write.isoformat()}).json()
    assert case.pk in [c["id"] for c in body["results"]]
    # Reads are not changes: the API's own read events do not bring a case back.
    after = timezone.now()
    api.get(f"/cases/{case.pk}")
    assert case.pk not in [
        c["id"] for c in api.get("/cases", {"updated_since": after.isoformat()}).json()["results"]
    ]
    assert body["synced_at"]


@pytest.mark.parametrize(
    "value", ["0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-05:00", "not a date"]
)
def test_out_of_range_updated_since_is_422_not_an_error(api, value):
    assert_error(api.get("/cases", {"updated_since": value}), 422, "invalid")


def test_search_and_status(api, case, team):
    closed = factories.CaseFactory(team=team, name="Closed family", status="closed")
    assert [c["id"] for c in api.get("/cases", {"search": case.reference}).json()["results"]] == [
        case.pk
    ]
    assert [c["id"] for c in api.get("/cases", {"status": "closed"}).json()["results"]] == [
        closed.pk
    ]
    assert api.get("/cases", {"status": "all"}).json()["count"] == 2
    assert_error(api.get("/cases", {"status": "deleted"}), 422, "invalid")
    assert_error(api.get("/cases", {"search": "a\x00b"}), 422, "invalid")


# Tenancy and the UI's scoping ------------------------------------------------------------


def test_another_agency_never_sees_a_case(case):
    outsider = factories.UserFactory(role=Role.CONFERENCE_CHAIR)  # agency-wide, elsewhere
    caller = caller_for(outsider)
    assert caller.get("/cases").json()["count"] == 0
    assert caller.get("/people").json()["count"] == 0
    for path in ["", "/allocations", "/people", "/maps", "/network", "/safety-plans"]:
        assert_error(caller.get(f"/cases/{case.pk}{path}"), 404, "not_found")


def test_a_social_worker_sees_what_they_see_on_their_pages(case, team):
    other_team = factories.TeamFactory(agency=case.agency)
    other_team_case = factories.CaseFactory(team=other_team)
    colleague = factories.UserFactory(team=team, role=Role.SOCIAL_WORKER)
    caller = caller_for(colleague)
    assert [c["id"] for c in caller.get("/cases").json()["results"]] == [case.pk]
    assert_error(caller.get(f"/cases/{other_team_case.pk}"), 404, "not_found")
    chair = caller_for(
        factories.UserFactory(agency=case.agency, team=None, role="conference_chair")
    )
    assert chair.get("/cases").json()["count"] == 2


def test_a_restricted_case_is_invisible_off_its_access_list(case, team, manager, worker):
    colleague = factories.UserFactory(team=team, role=Role.SOCIAL_WORKER)
    caller = caller_for(colleague)
    case_restrict(actor=manager, case=case, reason="Staff member's relative")
    assert caller.get("/cases").json()["count"] == 0
    assert caller.get("/cases", {"search": case.reference}).json()["count"] == 0
    assert_error(caller.get(f"/cases/{case.pk}"), 404, "not_found")
    # The allocated worker is on the access list and still sees it.
    assert caller_for(worker).get(f"/cases/{case.pk}").status_code == 200


def test_a_deleted_case_is_gone(api, case):
    Case.objects.filter(pk=case.pk).update(deleted_at=timezone.now())
    assert_error(api.get(f"/cases/{case.pk}"), 404, "not_found")


@pytest.mark.parametrize("size", [1, 12])
def test_list_query_count_does_not_grow_with_the_list(
    api, team, django_assert_max_num_queries, size
):
    for n in range(size):
        c = factories.CaseFactory(team=team, name=f"Family {n}")
        factories.AllocationFactory(case=c, worker=api.api_client.acting_user)
        factories.CaseMemberFactory(case=c)
    with django_assert_max_num_queries(16):
        assert api.get("/cases").json()["count"] == size
    with django_assert_max_num_queries(14):
        assert api.get("/people").json()["count"] == size
