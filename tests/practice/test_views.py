"""Map pages through the browser's eyes: permissions, htmx partials, no-JS fallbacks, conflicts."""

import pytest
from django.urls import reverse

from agencies.models import Role
from practice import services
from practice.models import Map
from tests import factories
from tests.practice.test_services import GOAL, STATEMENT, make_finalisable

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def filled_map(draft_map, worker):
    services.map_entry_add(actor=worker, map_=draft_map, category="harm", text="Leo had a bruise.")
    make_finalisable(draft_map, worker)
    return draft_map


@pytest.fixture
def finalised_map(filled_map, worker):
    return services.map_finalise(
        actor=worker, map_=filled_map, expected_revision=filled_map.revision
    )


def case_urls(case, map_):
    """Every URL that shows or changes something of this case."""
    entry = map_.entries.first()
    danger = map_.danger_statements.first()
    judgement = map_.scale_judgements.first()
    participant = map_.participants.first()
    c, m = case.pk, map_.pk
    return [
        reverse("casefile:case_detail", args=[c]),
        reverse("casefile:case_access_report", args=[c]),
        reverse("people:case_allocate", args=[c]),
        reverse("practice:map_start", args=[c]),
        reverse("practice:map_compare", args=[c]),
        reverse("practice:map_detail", args=[c, m]),
        reverse("practice:map_details_update", args=[c, m]),
        reverse("practice:map_print", args=[c, m]),
        reverse("practice:map_finalise", args=[c, m]),
        reverse("practice:map_sign_off", args=[c, m]),
        reverse("practice:entry_add", args=[c, m]),
        reverse("practice:entry_detail", args=[c, m, entry.pk]),
        reverse("practice:entry_edit", args=[c, m, entry.pk]),
        reverse("practice:entry_remove", args=[c, m, entry.pk]),
        reverse("practice:danger_add", args=[c, m]),
        reverse("practice:danger_edit", args=[c, m, danger.pk]),
        reverse("practice:danger_remove", args=[c, m, danger.pk]),
        reverse("practice:scale_add", args=[c, m]),
        reverse("practice:scale_remove", args=[c, m, judgement.pk]),
        reverse("practice:participant_add", args=[c, m]),
        reverse("practice:participant_remove", args=[c, m, participant.pk]),
    ]


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_user_from_another_agency_gets_404_on_every_url_of_a_case(
    client, case, filled_map, method
):
    outsider = factories.UserFactory(role=Role.CONFERENCE_CHAIR)  # agency-wide, but another agency
    client.force_login(outsider)
    for url in case_urls(case, filled_map):
        response = getattr(client, method)(url)
        assert response.status_code in {404, 405}, url
        if method == "post" or response.status_code != 405:
            assert response.status_code == 404, url
    filled_map.refresh_from_db()
    assert filled_map.entries.count() == 1 and filled_map.is_draft


def test_anonymous_visitors_are_sent_to_sign_in(client, case, filled_map):
    for url in case_urls(case, filled_map):
        response = client.get(url)
        assert response.status_code in {302, 405}
        if response.status_code == 302:
            assert response.url.startswith(reverse("login"))


def test_read_only_roles_can_read_but_not_record(client, case, filled_map):
    lead = factories.UserFactory(team=None, agency=case.agency, role=Role.PRACTICE_LEAD)
    client.force_login(lead)
    assert (
        client.get(reverse("practice:map_detail", args=[case.pk, filled_map.pk])).status_code == 200
    )
    response = client.post(
        reverse("practice:entry_add", args=[case.pk, filled_map.pk]),
        {"category": "harm", "text": "Sneaky"},
    )
    assert response.status_code == 403
    assert not filled_map.entries.filter(text="Sneaky").exists()


def test_adding_an_entry_with_htmx_returns_just_its_section(client, worker, case, draft_map):
    client.force_login(worker)
    url = reverse("practice:entry_add", args=[case.pk, draft_map.pk])
    response = client.post(
        url, {"category": "existing_strength", "text": "Mum is honest with us."}, **HTMX
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert 'id="section-existing_strength"' in html and "Mum is honest with us." in html
    assert 'hx-swap-oob="true"' in html  # the finalise checklist updates too
    assert draft_map.entries.get().text == "Mum is honest with us."


def test_adding_an_entry_without_javascript_redirects_back_to_the_section(
    client, worker, case, draft_map
):
    client.force_login(worker)
    url = reverse("practice:entry_add", args=[case.pk, draft_map.pk])
    response = client.post(url, {"category": "next_step", "text": "Sam visits on Friday."})
    assert response.status_code == 302
    assert response.url.endswith("#section-next_step")
    page = client.get(response.url)
    assert "Sam visits on Friday." in page.content.decode()


def test_an_empty_entry_gets_a_clear_error_in_place(client, worker, case, draft_map):
    client.force_login(worker)
    url = reverse("practice:entry_add", args=[case.pk, draft_map.pk])
    response = client.post(url, {"category": "harm", "text": ""}, **HTMX)
    html = response.content.decode()
    assert "There is a problem" in html and "This field is required." in html
    assert 'aria-invalid="true"' in html
    assert not draft_map.entries.exists()


def test_second_editor_sees_a_conflict_and_keeps_their_text(
    client, worker, manager, case, draft_map
):
    entry = services.map_entry_add(actor=worker, map_=draft_map, category="harm", text="Original")
    services.map_entry_update(
        actor=manager, entry=entry, expected_revision=1, text="Manager's words"
    )
    client.force_login(worker)
    url = reverse("practice:entry_edit", args=[case.pk, draft_map.pk, entry.pk])
    response = client.post(url, {"text": "Worker's words", "revision": 1}, **HTMX)
    html = response.content.decode()
    assert "Someone else changed this entry" in html
    assert "Worker&#x27;s words" in html and "Manager&#x27;s words" in html
    entry.refresh_from_db()
    assert entry.text == "Manager's words"
    # Saving again from the refreshed form is a deliberate choice, and goes through.
    client.post(url, {"text": "Worker's words", "revision": 2}, **HTMX)
    entry.refresh_from_db()
    assert entry.text == "Worker's words"


def test_inline_edit_form_and_cancel(client, worker, case, draft_map):
    entry = services.map_entry_add(actor=worker, map_=draft_map, category="harm", text="Original")
    client.force_login(worker)
    edit = client.get(
        reverse("practice:entry_edit", args=[case.pk, draft_map.pk, entry.pk]), **HTMX
    )
    assert "<html" not in edit.content.decode() and 'name="revision"' in edit.content.decode()
    full = client.get(reverse("practice:entry_edit", args=[case.pk, draft_map.pk, entry.pk]))
    assert "<html" in full.content.decode()
    cancel = client.get(
        reverse("practice:entry_detail", args=[case.pk, draft_map.pk, entry.pk]), **HTMX
    )
    assert f'id="entry-{entry.pk}"' in cancel.content.decode()


def test_danger_statement_with_goal_through_the_form(client, worker, case, draft_map, child):
    client.force_login(worker)
    data = {**STATEMENT, **GOAL, "children": [child.pk]}
    response = client.post(
        reverse("practice:danger_add", args=[case.pk, draft_map.pk]), data, **HTMX
    )
    html = response.content.decode()
    assert 'id="section-danger_statement"' in html and 'id="section-safety_goal"' in html
    danger = draft_map.danger_statements.get()
    assert danger.safety_goal.seen_by == GOAL["seen_by"]
    missing_goal = {**STATEMENT, "children": []}
    response = client.post(
        reverse("practice:danger_add", args=[case.pk, draft_map.pk]), missing_goal, **HTMX
    )
    assert "There is a problem" in response.content.decode()
    assert draft_map.danger_statements.count() == 1


def test_scaling_from_two_perspectives(client, worker, case, draft_map):
    danger = services.danger_statement_add(
        actor=worker, map_=draft_map, statement=STATEMENT, goal=GOAL
    )
    client.force_login(worker)
    url = reverse("practice:scale_add", args=[case.pk, draft_map.pk])
    for name, role, score in [("Sam Reid", "worker", 3), ("Jade Testington", "parent", 6)]:
        client.post(
            url,
            {
                "danger_statement": danger.pk,
                "rater_name": name,
                "rater_role": role,
                "score": score,
                "zero_means": "0",
                "ten_means": "10",
                "reason": "Because",
            },
            **HTMX,
        )
    assert sorted(danger.scale_judgements.values_list("score", flat=True)) == [3, 6]
    response = client.post(
        url,
        {
            "rater_name": "X",
            "rater_role": "worker",
            "score": 11,
            "zero_means": "0",
            "ten_means": "10",
            "reason": "r",
        },
        **HTMX,
    )
    assert "There is a problem" in response.content.decode()


def test_finalise_through_the_page_then_case_shows_it(client, worker, case, filled_map):
    client.force_login(worker)
    response = client.post(
        reverse("practice:map_finalise", args=[case.pk, filled_map.pk]),
        {"revision": filled_map.revision},
    )
    assert response.status_code == 302
    filled_map.refresh_from_db()
    assert filled_map.status == Map.Status.FINALISED
    page = client.get(response.url).content.decode()
    assert "Current map: map 1" in page
    assert "What are we worried about?" in page and "What needs to happen?" in page


def test_finalising_an_incomplete_map_explains_what_is_missing(client, worker, case, draft_map):
    client.force_login(worker)
    response = client.post(
        reverse("practice:map_finalise", args=[case.pk, draft_map.pk]),
        {"revision": draft_map.revision},
        follow=True,
    )
    assert "Add at least one danger statement" in response.content.decode()
    draft_map.refresh_from_db()
    assert draft_map.is_draft


def test_finalised_map_page_offers_no_editing(client, worker, case, finalised_map):
    client.force_login(worker)
    html = client.get(
        reverse("practice:map_detail", args=[case.pk, finalised_map.pk])
    ).content.decode()
    assert "can't be changed" in html
    assert "Add harm" not in html


def test_only_the_manager_signs_off(client, worker, manager, case, finalised_map):
    url = reverse("practice:map_sign_off", args=[case.pk, finalised_map.pk])
    client.force_login(worker)
    assert client.post(url).status_code == 403
    client.force_login(manager)
    client.post(url)
    finalised_map.refresh_from_db()
    assert finalised_map.signed_off_by == manager


def test_print_and_compare_pages(client, worker, case, finalised_map):
    second = services.map_start(
        actor=worker, case=case, purpose="core_group", held_on=finalised_map.held_on
    )
    services.map_entry_add(actor=worker, map_=second, category="next_step", text="Family meeting")
    client.force_login(worker)
    printed = client.get(reverse("practice:map_print", args=[case.pk, finalised_map.pk]))
    assert "Leo had a bruise." in printed.content.decode()
    assert "print.css" in printed.content.decode()
    compared = client.get(
        reverse("practice:map_compare", args=[case.pk]),
        {"older": finalised_map.pk, "newer": second.pk},
    ).content.decode()
    assert "Compare map 1 with map 2" in compared
    assert "Family meeting" in compared and "Added" in compared


def test_editing_a_map_finalised_meanwhile_keeps_the_text_and_explains(
    client, worker, case, filled_map
):
    client.force_login(worker)
    services.map_finalise(actor=worker, map_=filled_map, expected_revision=filled_map.revision)
    response = client.post(
        reverse("practice:entry_add", args=[case.pk, filled_map.pk]),
        {"category": "harm", "text": "Late thought"},
        **HTMX,
    )
    html = response.content.decode()
    assert "This map was finalised by" in html and "Late thought" in html
    assert not filled_map.entries.filter(text="Late thought").exists()


def test_a_family_member_takes_part_without_retyping_their_name(
    client, worker, case, draft_map, child
):
    client.force_login(worker)
    url = reverse("practice:participant_add", args=[case.pk, draft_map.pk])
    client.post(url, {"person": child.pk, "name": "", "role": "child"}, **HTMX)
    participant = draft_map.participants.get()
    assert (participant.name, participant.person) == (child.display_name, child)
    response = client.post(url, {"name": "", "role": "professional"}, **HTMX)
    assert "Give the name of the person who took part." in response.content.decode()
    stranger = factories.PersonFactory(agency=case.agency)
    response = client.post(url, {"person": stranger.pk, "role": "parent"}, **HTMX)
    assert draft_map.participants.count() == 1


def test_change_history_shows_who_changed_what_and_what_it_was_before(
    client, worker, manager, case, draft_map
):
    client.force_login(worker)
    client.post(
        reverse("practice:entry_add", args=[case.pk, draft_map.pk]),
        {"category": "harm", "text": "First words"},
    )
    entry = draft_map.entries.get()
    client.force_login(manager)
    client.post(
        reverse("practice:entry_edit", args=[case.pk, draft_map.pk, entry.pk]),
        {"text": "Better words", "revision": 1},
    )
    html = client.get(
        reverse("practice:map_history", args=[case.pk, draft_map.pk])
    ).content.decode()
    assert f"{worker} added harm" in html
    assert f"{manager} changed harm" in html
    assert "First words" in html and "Better words" in html
