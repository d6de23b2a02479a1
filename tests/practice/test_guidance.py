"""The plain-language check: advice that never blocks saving, from the agency's own word list."""

import pytest
from django.urls import reverse

from agencies.models import Role
from core.models import AuditEvent
from practice import services
from practice.guidance import (
    Kind,
    count_syllables,
    danger_statement_guidance,
    guidance_for,
    reading_grade,
    safety_goal_guidance,
)
from practice.models import DangerStatement, PlainLanguageTerm
from tests import factories
from tests.practice.test_services import GOAL, STATEMENT

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
PLAIN = "Dad hit Mum in the kitchen. Leo saw it and hid under the table."
HARD = (
    "The professional network has identified significant difficulties regarding parental "
    "cooperation with statutory organisations and the consequential emotional dysregulation "
    "experienced by the children."
)


def kinds(advice):
    return [item.kind for item in advice]


@pytest.fixture
def agency(team):
    return team.agency


# Jargon ---------------------------------------------------------------------------------------


def test_default_terms_apply_when_an_agency_has_no_list(agency):
    PlainLanguageTerm.objects.filter(agency=agency).delete()
    advice = guidance_for("There was DV last night.", agency_id=agency.pk, kind="entry")
    assert [a.message for a in advice] == ['Instead of "DV", say what happened, e.g. "Dad hit Mum"']
    assert advice[0].kind == Kind.JARGON


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Mum did not engage with services.", "engage"),
        ("Poor engagement from Dad.", "engagement"),
        ("There are concerns about home conditions.", "concerns"),
        ("High risk of harm.", "risk"),
        ("Dad was non-compliant with the plan.", "non-compliant"),
        ("Mum's substance misuse continues.", "substance misuse"),
        ("Leo is LAC.", "LAC"),
        ("The CP plan continues.", "CP"),
        ("An s47 was opened.", "s47"),
        ("The children were neglected.", "neglected"),
        ("Domestic violence was reported.", "Domestic violence"),
    ],
)
def test_each_default_term_is_found(agency, text, found):
    PlainLanguageTerm.objects.filter(agency=agency).delete()
    advice = guidance_for(text, agency_id=agency.pk, kind="danger_statement")
    assert f'Instead of "{found}",' in advice[0].message


def test_terms_do_not_match_inside_other_words(agency):
    PlainLanguageTerm.objects.filter(agency=agency).delete()
    advice = guidance_for("Cpl Jones went to the picnic.", agency_id=agency.pk, kind="entry")
    assert advice == []


def test_the_agencys_own_list_is_used(agency):
    PlainLanguageTerm.objects.filter(agency=agency).delete()
    factories.PlainLanguageTermFactory(
        agency=agency, term="TAF", suggestion='say "the family meeting"'
    )
    advice = guidance_for("The TAF met; there was DV.", agency_id=agency.pk, kind="entry")
    assert [a.message for a in advice] == ['Instead of "TAF", say "the family meeting"']


def test_deactivated_terms_are_ignored(agency):
    PlainLanguageTerm.objects.filter(agency=agency).delete()
    factories.PlainLanguageTermFactory(
        agency=agency, term="DV", suggestion="say what happened", active=False
    )
    factories.PlainLanguageTermFactory(agency=agency, term="risk", suggestion="say what may happen")
    advice = guidance_for("DV is a risk.", agency_id=agency.pk, kind="entry")
    assert [a.message for a in advice] == ['Instead of "risk", say what may happen']


def test_another_agencys_list_is_not_used(agency):
    PlainLanguageTerm.objects.filter(agency=agency).delete()
    factories.PlainLanguageTermFactory(agency=agency, term="risk", suggestion="say what may happen")
    factories.PlainLanguageTermFactory(term="bruise", suggestion="never shown here")
    assert guidance_for("A bruise.", agency_id=agency.pk, kind="entry") == []


def test_data_migration_seeded_existing_agencies_and_new_ones_are_seeded_lazily(agency):
    PlainLanguageTerm.objects.filter(agency=agency).delete()
    services.plain_language_terms_seed(agency_id=agency.pk)
    terms = set(PlainLanguageTerm.objects.filter(agency=agency).values_list("term", flat=True))
    assert {"DV", "neglect", "engage", "concerns", "risk", "LAC", "CP", "s47"} <= terms
    services.plain_language_terms_seed(agency_id=agency.pk)  # a second time changes nothing
    assert PlainLanguageTerm.objects.filter(agency=agency).count() == len(terms)


def test_migration_copy_of_the_defaults_matches():
    import importlib

    from practice.plain_language_defaults import DEFAULT_TERMS

    migration = importlib.import_module("practice.migrations.0003_seed_plain_language_terms")
    assert migration.TERMS == DEFAULT_TERMS


# Reading level and sentences ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "syllables"),
    [("cat", 1), ("make", 1), ("water", 2), ("jumped", 1), ("shouted", 2), ("family", 3)],
)
def test_syllable_counter(word, syllables):
    assert count_syllables(word) == syllables


def test_reading_grade_tells_plain_from_hard():
    assert reading_grade(PLAIN) < 4
    assert reading_grade(HARD) > 14
    assert reading_grade("") is None


def test_hard_text_gets_reading_advice(agency):
    advice = guidance_for(HARD, agency_id=agency.pk, kind="entry")
    assert Kind.READING in kinds(advice)
    assert "hard to read" in next(a for a in advice if a.kind == Kind.READING).message
    assert guidance_for(PLAIN, agency_id=agency.pk, kind="entry") == []


def test_words_and_pictures_is_held_to_a_childs_reading_level(agency):
    text = "Your mum and dad sometimes argue loudly, and the police came to the house twice."
    assert Kind.READING not in kinds(guidance_for(text, agency_id=agency.pk, kind="entry"))
    advice = guidance_for(text, agency_id=agency.pk, kind="words_and_pictures")
    assert Kind.READING in kinds(advice)


def test_long_sentences(agency, settings):
    sentence = " ".join(["word"] * 26) + "."
    advice = guidance_for(sentence, agency_id=agency.pk, kind="entry")
    assert Kind.LONG_SENTENCE in kinds(advice)
    assert "26 words" in next(a for a in advice if a.kind == Kind.LONG_SENTENCE).message
    short = " ".join(["word"] * 25) + "."
    assert Kind.LONG_SENTENCE not in kinds(guidance_for(short, agency_id=agency.pk, kind="x"))
    settings.THREEFOLD_GUIDANCE_MAX_SENTENCE_WORDS = 10
    assert Kind.LONG_SENTENCE in kinds(guidance_for(short, agency_id=agency.pk, kind="x"))


# Missing parts ------------------------------------------------------------------------------


def test_danger_statement_without_impact(agency):
    advice = danger_statement_guidance(
        {"worried_about": "Dad hits Mum.", "impact_on_child": ""}, agency_id=agency.pk
    )
    assert kinds(advice) == [Kind.MISSING_IMPACT]


def test_danger_statement_whose_impact_says_nothing_about_a_child(agency):
    fields = {"worried_about": "Dad hits Mum.", "impact_on_child": "Mum will get hurt."}
    assert Kind.MISSING_IMPACT in kinds(danger_statement_guidance(fields, agency_id=agency.pk))
    fields["impact_on_child"] = "Leo could get hurt."
    fields["child_names"] = ["Leo"]
    assert kinds(danger_statement_guidance(fields, agency_id=agency.pk)) == []
    fields["impact_on_child"] = "The children could get hurt."
    fields["child_names"] = []
    assert kinds(danger_statement_guidance(fields, agency_id=agency.pk)) == []


@pytest.mark.parametrize(
    "goal_text",
    [
        "Dad will not drink when Leo is home.",
        "Dad won't shout.",
        "Mum no longer leaves Leo alone.",
        "Dad stops hitting Mum.",
        "Dad will never drink again.",
    ],
)
def test_goal_written_as_an_absence(agency, goal_text):
    advice = safety_goal_guidance(
        {"what_will_be_seen": goal_text, "sustain_for": 3, "sustain_unit": "months"},
        agency_id=agency.pk,
    )
    assert kinds(advice) == [Kind.GOAL_ABSENCE]
    assert guidance_for(goal_text, agency_id=agency.pk, kind="safety_goal")[-1].kind == (
        Kind.GOAL_ABSENCE
    )


def test_goal_without_a_sustain_period(agency):
    fields = {"what_will_be_seen": "Dad is sober when he looks after Leo."}
    assert kinds(safety_goal_guidance(fields, agency_id=agency.pk)) == [Kind.GOAL_SUSTAIN]
    fields |= {"sustain_for": 6, "sustain_unit": "months"}
    assert safety_goal_guidance(fields, agency_id=agency.pk) == []


# On the map -------------------------------------------------------------------------------

JARGON_STATEMENT = {
    **STATEMENT,
    "worried_about": "DV and substance misuse; Mum does not engage.",
    "impact_on_child": "There is a risk of significant harm.",
}
JARGON_GOAL = {**GOAL, "what_will_be_seen": "Dad will stop drinking."}


def form_data(statement, goal):
    return {**statement, **goal}


def test_a_statement_full_of_jargon_still_saves_and_shows_the_check(client, worker, draft_map):
    client.force_login(worker)
    url = reverse("practice:danger_add", args=[draft_map.case_id, draft_map.pk])
    response = client.post(url, form_data(JARGON_STATEMENT, JARGON_GOAL), **HTMX)
    assert response.status_code == 200
    assert DangerStatement.objects.filter(map=draft_map).count() == 1
    html = response.content.decode()
    assert "Plain-language check" in html
    assert 'role="status"' in html
    assert "Instead of &quot;DV&quot;" in html
    assert "Instead of &quot;substance misuse&quot;" in html
    assert "The goal says &quot;stop" in html
    assert "This is advice only" in html


def test_a_changed_statement_shows_its_check(client, worker, draft_map):
    from practice import services

    danger = services.danger_statement_add(
        actor=worker, map_=draft_map, statement=STATEMENT, goal=GOAL
    )
    client.force_login(worker)
    url = reverse("practice:danger_edit", args=[draft_map.case_id, draft_map.pk, danger.pk])
    data = form_data(JARGON_STATEMENT, JARGON_GOAL) | {"revision": danger.revision}
    response = client.post(url, data, **HTMX)
    assert response.status_code == 200
    danger.refresh_from_db()
    assert danger.worried_about == JARGON_STATEMENT["worried_about"]
    assert "Instead of &quot;engage&quot;" in response.content.decode()


def test_the_board_loads_the_word_list_once(
    client, worker, draft_map, django_assert_max_num_queries
):
    from practice import services

    client.force_login(worker)
    url = reverse("practice:map_detail", args=[draft_map.case_id, draft_map.pk])
    services.danger_statement_add(actor=worker, map_=draft_map, statement=STATEMENT, goal=GOAL)
    client.get(url)
    with django_assert_max_num_queries(60) as one:
        client.get(url)
    for _ in range(4):
        services.danger_statement_add(
            actor=worker, map_=draft_map, statement=JARGON_STATEMENT, goal=JARGON_GOAL
        )
    with django_assert_max_num_queries(60) as five:
        client.get(url)
    terms = [q for q in five.captured_queries if "practice_plainlanguageterm" in q["sql"]]
    assert len(terms) == 1
    assert len(five.captured_queries) == len(one.captured_queries)


def test_the_forms_ask_for_live_guidance(client, worker, draft_map):
    client.force_login(worker)
    html = client.get(reverse("practice:map_detail", args=[draft_map.case_id, draft_map.pk]))
    html = html.content.decode()
    guidance_url = reverse("practice:guidance", args=[draft_map.case_id, draft_map.pk])
    assert f'hx-get="{guidance_url}"' in html
    assert 'hx-trigger="keyup changed delay:600ms"' in html
    assert 'id="add-danger-what_will_be_seen-guidance"' in html


def test_read_only_board_has_no_check(client, case, draft_map, worker):
    from practice import services

    services.danger_statement_add(
        actor=worker, map_=draft_map, statement=JARGON_STATEMENT, goal=JARGON_GOAL
    )
    lead = factories.UserFactory(team=None, agency=case.agency, role=Role.PRACTICE_LEAD)
    client.force_login(lead)
    html = client.get(reverse("practice:map_detail", args=[case.pk, draft_map.pk]))
    assert "Plain-language check" not in html.content.decode()


def test_guidance_endpoint(client, worker, draft_map):
    client.force_login(worker)
    url = reverse("practice:guidance", args=[draft_map.case_id, draft_map.pk])
    response = client.get(url, {"text": "Dad won't drink. DV", "kind": "safety_goal"}, **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Plain-language check" in html
    assert "Instead of &quot;DV&quot;" in html and "won&#x27;t" in html
    # As htmx sends it: the textarea's own name, with the field named in hx-vals.
    response = client.get(
        url, {"impact_on_child": "Mum will be upset.", "kind": "impact", "field": "impact_on_child"}
    )
    assert "what it would mean for the children" in response.content.decode()
    response = client.get(url, {"text": PLAIN, "kind": "entry"})
    assert "Plain-language check" not in response.content.decode()
    assert client.post(url, {"text": "DV"}).status_code == 405


def test_guidance_endpoint_escapes_the_text(client, worker, draft_map):
    client.force_login(worker)
    url = reverse("practice:guidance", args=[draft_map.case_id, draft_map.pk])
    text = "<script>alert(1)</script> " + " ".join(["word"] * 30) + "."
    html = client.get(url, {"text": text, "kind": "entry"}).content.decode()
    assert "<script>" not in html


def test_guidance_endpoint_permissions(client, case, draft_map):
    url = reverse("practice:guidance", args=[case.pk, draft_map.pk])
    client.force_login(
        factories.UserFactory(team=None, agency=case.agency, role=Role.SENIOR_LEADER)
    )
    assert client.get(url, {"text": "DV"}).status_code == 403
    client.force_login(factories.UserFactory(role=Role.SOCIAL_WORKER))  # another agency
    assert client.get(url, {"text": "DV"}).status_code == 404


# The practice lead's word list ----------------------------------------------------------------


@pytest.fixture
def lead(agency):
    return factories.UserFactory(team=None, agency=agency, role=Role.PRACTICE_LEAD)


TERMS_URL = "practice:plain_language_terms"


@pytest.mark.parametrize(
    "role",
    [
        Role.SOCIAL_WORKER,
        Role.TEAM_MANAGER,
        Role.CONFERENCE_CHAIR,
        Role.SENIOR_LEADER,
        Role.PERFORMANCE_ANALYST,
        Role.ADMINISTRATOR,
    ],
)
def test_only_practice_leads_reach_the_word_list(client, agency, role):
    client.force_login(factories.UserFactory(team=None, agency=agency, role=role))
    assert client.get(reverse(TERMS_URL)).status_code == 403
    assert client.post(reverse(TERMS_URL), {"term": "x", "suggestion": "y"}).status_code == 403
    assert not PlainLanguageTerm.objects.filter(term="x").exists()


def test_practice_lead_sees_the_defaults_created_for_a_new_agency(client, lead):
    PlainLanguageTerm.objects.filter(agency=lead.agency).delete()
    client.force_login(lead)
    response = client.get(reverse(TERMS_URL))
    assert response.status_code == 200
    assert "DV" in response.content.decode()
    assert PlainLanguageTerm.objects.filter(agency=lead.agency, term="DV").exists()


def test_practice_lead_adds_changes_deactivates_and_reactivates(client, lead):
    client.force_login(lead)
    url = reverse(TERMS_URL)
    response = client.post(url, {"action": "add", "term": "TAF", "suggestion": "say meeting"})
    assert response.status_code == 302
    term = PlainLanguageTerm.objects.get(agency=lead.agency, term="TAF")
    added = AuditEvent.objects.get(verb="practice.plain_language_term_added")
    assert added.actor == lead and added.agency_id == lead.agency_id
    assert added.changes == {"term": "TAF", "suggestion": "say meeting"}

    assert client.get(url, {"edit": term.pk}).status_code == 200
    client.post(
        url,
        {"action": "edit", "term_id": term.pk, "term": "TAF", "suggestion": "say family meeting"},
    )
    term.refresh_from_db()
    assert term.suggestion == "say family meeting"
    changed = AuditEvent.objects.get(verb="practice.plain_language_term_changed")
    assert changed.changes == {"suggestion": ["say meeting", "say family meeting"]}

    client.post(url, {"action": "deactivate", "term_id": term.pk})
    term.refresh_from_db()
    assert not term.active
    assert AuditEvent.objects.filter(verb="practice.plain_language_term_deactivated").exists()
    assert guidance_for("The TAF met.", agency_id=lead.agency_id, kind="entry") == []

    client.post(url, {"action": "reactivate", "term_id": term.pk})
    term.refresh_from_db()
    assert term.active
    assert guidance_for("The TAF met.", agency_id=lead.agency_id, kind="entry")


def test_duplicate_terms_are_refused_with_a_message(client, lead):
    client.force_login(lead)
    client.get(reverse(TERMS_URL))  # seeds the defaults
    response = client.post(reverse(TERMS_URL), {"action": "add", "term": "dv", "suggestion": "x"})
    assert response.status_code == 400
    assert "already on the list" in response.content.decode()


def test_practice_lead_cannot_touch_another_agencys_terms(client, lead):
    other = factories.PlainLanguageTermFactory(term="elsewhere")
    client.force_login(lead)
    response = client.post(reverse(TERMS_URL), {"action": "deactivate", "term_id": other.pk})
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.active


def test_term_text_is_escaped_on_the_page(client, lead):
    client.force_login(lead)
    factories.PlainLanguageTermFactory(
        agency=lead.agency, term="<script>x</script>", suggestion="<b>y</b>"
    )
    html = client.get(reverse(TERMS_URL)).content.decode()
    assert "<script>x</script>" not in html and "<b>y</b>" not in html
