import pytest
from django.utils import timezone

from core.models import AuditEvent
from practice import services
from practice.models import Map, MapEntry
from tests import factories
from tests.api.conftest import assert_error, caller_for
from tests.practice.test_services import make_finalisable

pytestmark = pytest.mark.django_db

STATEMENT = {
    "who_is_worried": "Social worker and school",
    "worried_about": "Dad hits Mum when he has been drinking, and Leo sees it",
    "impact_on_child": "Leo could be hurt, and grows up frightened at home",
}
GOAL = {
    "what_will_be_seen": "Mum and Leo are safe at home, with Grandma checking in every day",
    "seen_by": "Grandma Pat and the school",
    "sustain_for": 6,
    "sustain_unit": "months",
}


def _map_url(case, map_, rest=""):
    return f"/cases/{case.pk}/maps/{map_.pk}{rest}"


def test_start_a_map_and_write_to_it_through_the_services(api, case, worker, child):
    response = api.post(f"/cases/{case.pk}/maps", {"purpose": "mapping", "held_on": "2026-02-01"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["number"], body["status"], body["created_by"]["id"]) == (1, "draft", worker.pk)
    map_ = Map.objects.get(pk=body["id"])

    response = api.post(
        _map_url(case, map_, "/entries"),
        {"category": "harm", "text": "  Leo had a bruise on his arm  ", "children": [child.pk]},
    )
    assert response.status_code == 201, response.content
    entry = response.json()
    assert (entry["text"], entry["children"], entry["revision"]) == (
        "Leo had a bruise on his arm",
        [child.pk],
        1,
    )
    event = AuditEvent.objects.get(verb="map.entry_added")
    assert (event.actor, event.case_id) == (worker, case.pk)
    # The change history names the acting user as the author, as if they had typed it.
    assert {h.history_user for h in MapEntry.history.filter(id=entry["id"])} == {worker}

    danger = api.post(
        _map_url(case, map_, "/danger-statements"), {"statement": STATEMENT, "goal": GOAL}
    )
    assert danger.status_code == 201, danger.content
    danger = danger.json()
    assert danger["safety_goal"]["sustain_for"] == 6
    scale = api.post(
        _map_url(case, map_, "/scale-judgements"),
        {
            "danger_statement_id": danger["id"],
            "rater_name": "Sam Reid",
            "rater_role": "worker",
            "score": 3,
            "zero_means": "Leo will be hurt again",
            "ten_means": "Leo is safe enough to close",
            "reason": "Early days",
        },
    )
    assert scale.status_code == 201, scale.content
    overall = api.post(
        _map_url(case, map_, "/scale-judgements"),
        {
            "rater_name": "Jade",
            "rater_role": "parent",
            "score": 6,
            "zero_means": "0",
            "ten_means": "10",
            "reason": "Things are better",
        },
    )
    assert overall.json()["danger_statement_id"] is None
    assert (
        api.post(_map_url(case, map_, "/participants"), {"name": "Jade", "role": "parent"})
    ).status_code == 201

    detail = api.get(_map_url(case, map_)).json()
    assert [e["id"] for e in detail["entries"]] == [entry["id"]]
    assert [d["id"] for d in detail["danger_statements"]] == [danger["id"]]
    assert len(detail["scale_judgements"]) == 2
    assert detail["labels"]["danger_statement"]
    assert AuditEvent.objects.filter(verb="api.map_read", case_id=case.pk).count() == 1

    map_.refresh_from_db()
    response = api.post(_map_url(case, map_, "/finalise"), {"expected_revision": map_.revision})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "finalised"
    # A finalised map is never edited: the service's rule comes back as a 422.
    refused = api.post(_map_url(case, map_, "/entries"), {"category": "harm", "text": "More"})
    assert_error(refused, 422, "rule_violation")


def test_change_and_remove_an_entry_with_revisions(api, case, draft_map, worker):
    entry = services.map_entry_add(actor=worker, map_=draft_map, category="harm", text="A bruise")
    url = _map_url(case, draft_map, f"/entries/{entry.pk}")
    changed = api.put(url, {"expected_revision": 1, "text": "A bruise on his arm"})
    assert changed.status_code == 200, changed.content
    assert changed.json()["revision"] == 2
    # Someone else's change has moved the revision on: the stale save is refused with 409.
    stale = api.put(url, {"expected_revision": 1, "text": "My older text"})
    error = assert_error(stale, 409, "conflict")
    assert error["details"][0]["type"] == "stale_revision"
    assert "2" in error["details"][0]["message"]
    assert MapEntry.objects.get(pk=entry.pk).text == "A bruise on his arm"
    assert_error(api.delete(url, "?expected_revision=1"), 409, "conflict")
    assert api.delete(url, "?expected_revision=2").status_code == 204
    assert not MapEntry.objects.filter(pk=entry.pk).exists()
    assert AuditEvent.objects.filter(verb="map.entry_removed").count() == 1
    assert_error(api.delete(url, "?expected_revision=2"), 404, "not_found")


def test_finalising_an_incomplete_map_says_what_is_missing(api, case, draft_map):
    error = assert_error(
        api.post(_map_url(case, draft_map, "/finalise"), {"expected_revision": 1}),
        422,
        "rule_violation",
    )
    assert "danger statement" in error["message"]
    assert_error(
        api.post(_map_url(case, draft_map, "/finalise"), {"expected_revision": 7}), 409, "conflict"
    )


def test_only_this_cases_children_and_statements(api, case, draft_map):
    stranger = factories.PersonFactory(agency=case.agency)
    error = assert_error(
        api.post(
            _map_url(case, draft_map, "/entries"),
            {"category": "harm", "text": "x", "children": [stranger.pk]},
        ),
        422,
        "rule_violation",
    )
    assert "children in this case" in error["message"]
    response = api.post(
        _map_url(case, draft_map, "/scale-judgements"),
        {
            "danger_statement_id": 999999,
            "rater_name": "A",
            "rater_role": "worker",
            "score": 1,
            "zero_means": "0",
            "ten_means": "10",
            "reason": "r",
        },
    )
    assert_error(response, 422, "rule_violation")


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"category": "danger_statement", "text": "x"},
        {"category": "harm", "text": "   "},
        {"category": "harm", "text": "nul\x00byte"},
        {"category": "harm", "text": "x" * 10_001},
    ],
)
def test_invalid_bodies_are_422_with_details(api, case, draft_map, body):
    error = assert_error(api.post(_map_url(case, draft_map, "/entries"), body), 422, "invalid")
    assert error["details"] and error["details"][0]["location"][0] == "body"


def test_malformed_json_is_400(api, case, draft_map):
    response = api.client.post(
        f"/api/v1{_map_url(case, draft_map, '/entries')}",
        "{not json",
        content_type="application/json",
        headers={"Authorization": f"Bearer {api.token}"},
    )
    assert_error(response, 400, "bad_request")


def test_read_only_roles_may_read_but_not_write(case, draft_map):
    lead = caller_for(factories.UserFactory(agency=case.agency, team=None, role="practice_lead"))
    assert lead.get(_map_url(case, draft_map)).status_code == 200
    response = lead.post(_map_url(case, draft_map, "/entries"), {"category": "harm", "text": "x"})
    assert_error(response, 403, "forbidden")
    assert_error(
        lead.post(f"/cases/{case.pk}/maps", {"purpose": "mapping", "held_on": "2026-02-01"}),
        403,
        "forbidden",
    )


def test_a_map_of_another_case_is_404(api, case, draft_map, team, worker):
    other = factories.CaseFactory(team=team)
    assert_error(api.get(f"/cases/{other.pk}/maps/{draft_map.pk}"), 404, "not_found")


def test_maps_list_and_updated_since(api, case, worker, draft_map):
    services.map_entry_add(actor=worker, map_=draft_map, category="harm", text="A bruise")
    make_finalisable(draft_map, worker)
    services.map_finalise(actor=worker, map_=draft_map, expected_revision=draft_map.revision)
    since = timezone.now()
    second = services.map_start(actor=worker, case=case, purpose="mapping", held_on=case.opened_on)
    body = api.get(f"/cases/{case.pk}/maps").json()
    assert [m["number"] for m in body["results"]] == [2, 1]
    assert [
        m["id"]
        for m in api.get(f"/cases/{case.pk}/maps", {"updated_since": since.isoformat()}).json()[
            "results"
        ]
    ] == [second.pk]
    later = timezone.now()
    assert (
        api.get(f"/cases/{case.pk}/maps", {"updated_since": later.isoformat()}).json()["count"] == 0
    )
    # Removing an entry leaves no row behind, but the draft still counts as changed.
    entry = second.entries.first()
    services.map_entry_remove(actor=worker, entry=entry, expected_revision=entry.revision)
    changed = api.get(f"/cases/{case.pk}/maps", {"updated_since": later.isoformat()}).json()
    assert [m["id"] for m in changed["results"]] == [second.pk]


@pytest.mark.parametrize("entries", [1, 15])
def test_map_detail_query_count_is_fixed(
    api, case, draft_map, worker, entries, django_assert_max_num_queries
):
    for n in range(entries):
        services.map_entry_add(actor=worker, map_=draft_map, category="harm", text=f"Entry {n}")
        services.danger_statement_add(actor=worker, map_=draft_map, statement=STATEMENT, goal=GOAL)
    with django_assert_max_num_queries(22):
        body = api.get(_map_url(case, draft_map)).json()
    assert len(body["entries"]) == entries
