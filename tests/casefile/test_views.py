import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agencies.models import Role
from core.models import AuditEvent
from practice import services
from tests import factories
from tests.practice.test_services import make_finalisable

pytestmark = pytest.mark.django_db


def test_caseload_shows_my_cases_and_not_other_teams(client, worker, case):
    elsewhere = factories.CaseFactory(agency=case.agency, name="Elsewhere family")
    foreign = factories.CaseFactory(name="Foreign family")
    client.force_login(worker)
    html = client.get(reverse("casefile:caseload")).content.decode()
    assert "My caseload" in html and case.name in html
    assert elsewhere.name not in html and foreign.name not in html


def test_manager_sees_the_whole_team_by_default(client, manager, case):
    client.force_login(manager)
    html = client.get(reverse("casefile:caseload")).content.decode()
    assert case.name in html and "Cases" in html


def test_search_by_child_name_or_reference_and_htmx_returns_rows_only(client, worker, case):
    other = factories.CaseFactory(team=case.team, name="Zed family")
    factories.AllocationFactory(case=other, worker=worker)
    client.force_login(worker)
    by_child = client.get(reverse("casefile:caseload"), {"q": "leo"}).content.decode()
    assert case.name in by_child and "Zed family" not in by_child
    by_reference = client.get(
        reverse("casefile:caseload"), {"q": other.reference}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "Zed family" in by_reference and case.name not in by_reference
    assert "<html" not in by_reference


def test_caseload_query_count_does_not_grow_with_the_caseload(
    client, worker, django_assert_max_num_queries
):
    for _ in range(12):
        case = factories.CaseFactory(team=worker.team)
        factories.AllocationFactory(case=case, worker=worker)
        factories.CaseMemberFactory(case=case)
    client.force_login(worker)
    # Session, user with agency, session refresh, count, page, allocations, children: fixed.
    with django_assert_max_num_queries(9):
        response = client.get(reverse("casefile:caseload"))
    assert response.content.decode().count("Testington family") == 12


def test_case_page_shows_the_current_map_in_three_columns_and_the_trajectory(
    client, worker, case, draft_map
):
    services.map_entry_add(
        actor=worker,
        map_=draft_map,
        category="existing_strength",
        text="Grandma Pat picks Leo up from school.",
    )
    make_finalisable(draft_map, worker)
    services.map_finalise(actor=worker, map_=draft_map, expected_revision=draft_map.revision)
    client.force_login(worker)
    html = client.get(reverse("casefile:case_detail", args=[case.pk])).content.decode()
    for heading in [
        "What are we worried about?",
        "What&#x27;s working well?",
        "What needs to happen?",
    ]:
        assert heading in html or heading.replace("&#x27;", "'") in html
    assert "Grandma Pat picks Leo up from school." in html
    assert "<svg viewBox" in html and "Every scale judgement on finalised maps" in html
    assert "Update the map" in html


def test_viewing_a_case_is_audited(client, worker, case):
    client.force_login(worker)
    client.get(reverse("casefile:case_detail", args=[case.pk]))
    event = AuditEvent.objects.get(verb="case.viewed")
    assert event.actor == worker and event.case_id == case.pk and event.agency_id == case.agency_id


def test_early_help_uses_its_own_words(client, case, worker, draft_map):
    from practice.models import CategoryLabel

    CategoryLabel.objects.create(
        agency=case.agency,
        service=draft_map.service,
        category="danger_statement",
        label="Worry statement",
    )
    client.force_login(worker)
    html = client.get(reverse("practice:map_detail", args=[case.pk, draft_map.pk])).content.decode()
    assert "Worry statements" in html and "Add worry statement" in html


def test_allocation_page_for_managers_only(client, worker, manager, case):
    url = reverse("people:case_allocate", args=[case.pk])
    client.force_login(worker)
    assert client.get(url).status_code == 403
    client.force_login(manager)
    newcomer = factories.UserFactory(team=case.team, role=Role.SOCIAL_WORKER, first_name="Nadia")
    response = client.post(url, {"worker": newcomer.pk, "started_on": "2026-03-01", "reason": ""})
    assert response.status_code == 302
    html = client.get(reverse("casefile:case_detail", args=[case.pk])).content.decode()
    assert "Nadia" in html
    bad = client.post(url, {"worker": newcomer.pk, "started_on": "2026-03-02"})
    assert "already allocated" in bad.content.decode()


def test_long_caseloads_are_paged(client, worker):
    for n in range(55):
        case = factories.CaseFactory(team=worker.team, name=f"Family {n:02d}")
        factories.AllocationFactory(case=case, worker=worker)
    client.force_login(worker)
    first = client.get(reverse("casefile:caseload")).content.decode()
    assert "Showing 1 to 50 of 55 cases." in first and "Family 49" in first
    second = client.get(reverse("casefile:caseload"), {"page": 2, "show": "mine"}).content.decode()
    assert "Family 54" in second and "Family 00" not in second


def test_access_report_lists_who_opened_and_changed_the_record(client, worker, manager, case):
    client.force_login(worker)
    client.get(reverse("casefile:case_detail", args=[case.pk]))
    url = reverse("casefile:case_access_report", args=[case.pk])
    assert client.get(url).status_code == 403
    client.force_login(manager)
    html = client.get(url).content.decode()
    assert "Opened the case" in html and str(worker) in html and "127.0.0.1" in html
    leader = factories.UserFactory(team=None, agency=case.agency, role=Role.SENIOR_LEADER)
    client.force_login(leader)
    assert client.get(url).status_code == 200
    assert AuditEvent.objects.filter(verb="case.access_report_viewed").count() == 2


def test_opening_printing_and_comparing_maps_is_audited(client, worker, case, draft_map):
    client.force_login(worker)
    client.get(reverse("practice:map_detail", args=[case.pk, draft_map.pk]))
    client.get(reverse("practice:map_print", args=[case.pk, draft_map.pk]))
    verbs = set(AuditEvent.objects.filter(case_id=case.pk).values_list("verb", flat=True))
    assert {"map.viewed", "map.printed"} <= verbs


def test_case_page_queries_do_not_grow_with_the_familys_history(client, worker, case, child):
    """A family with years of maps, a big network and many children's voices opens in as many
    queries as a new one."""

    def add_history():
        map_ = services.map_start(
            actor=worker, case=case, purpose="mapping", held_on=case.opened_on
        )
        services.map_entry_add(actor=worker, map_=map_, category="harm", text="A bruise")
        make_finalisable(map_, worker)
        services.map_finalise(actor=worker, map_=map_, expected_revision=map_.revision)
        sibling = factories.PersonFactory(agency=case.agency, given_name="Mia")
        factories.CaseMemberFactory(case=case, person=sibling)
        factories.NetworkMemberFactory(case=case, informed=True)
        factories.make_voices_world(actor=worker, case=case, child=sibling)

    def queries_to_open():
        with CaptureQueriesContext(connection) as opened:
            assert client.get(reverse("casefile:case_detail", args=[case.pk])).status_code == 200
        return len(opened)

    client.force_login(worker)
    add_history()
    queries_to_open()  # the session's first page also stamps its activity time (a write)
    once = queries_to_open()
    for _ in range(3):
        add_history()
    assert queries_to_open() == once
    # Every section (map, scales, process, timescales, network, voices, portal) reads its own
    # summary. The ceiling is today's count: a new read on the county's busiest page is a
    # choice to make on purpose (docs/scale.md), not one that slips in.
    assert once <= 55


def test_case_page_offers_an_audit_to_auditors_but_not_on_a_case_they_hold(client, manager, case):
    lead = factories.UserFactory(agency=case.agency, team=None, role=Role.PRACTICE_LEAD)
    client.force_login(lead)
    html = client.get(reverse("casefile:case_detail", args=[case.pk])).content.decode()
    assert "Case audits" in html and "This case has not been audited." in html
    assert reverse("audits:audit_start", args=[case.pk]) in html
    held = factories.CaseFactory(team=case.team)
    factories.AllocationFactory(case=held, worker=manager)
    client.force_login(manager)
    html = client.get(reverse("casefile:case_detail", args=[case.pk])).content.decode()
    assert reverse("audits:audit_start", args=[case.pk]) in html
    html = client.get(reverse("casefile:case_detail", args=[held.pk])).content.decode()
    assert reverse("audits:audit_start", args=[held.pk]) not in html


def test_case_page_shows_the_family_survey_and_supervision_panels(client, worker, case):
    client.force_login(worker)
    html = client.get(reverse("casefile:case_detail", args=[case.pk])).content.decode()
    assert "Family survey" in html
    assert "Nobody in this family has been asked" in html
    assert "This case has not been taken to group supervision" in html


def test_case_page_sends_auditors_to_the_audit_in_progress_not_to_a_second_one(client, case):
    lead = factories.UserFactory(agency=case.agency, team=None, role=Role.PRACTICE_LEAD)
    audit_id = factories.make_audits_world(case=case, auditor=lead)["audit_id"]
    client.force_login(lead)
    html = client.get(reverse("casefile:case_detail", args=[case.pk])).content.decode()
    assert reverse("audits:audit_detail", args=[audit_id]) in html
    assert reverse("audits:audit_start", args=[case.pk]) not in html
