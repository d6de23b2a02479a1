"""Voices pages through the browser's eyes: who reaches what, htmx partials, no-JS fallbacks,
conflicts, documents and bounded queries."""

import io

import docx
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, get_resolver, reverse
from django.utils import timezone

from agencies.models import Role
from core.models import AuditEvent
from practice import services as practice_services
from tests import factories
from tests.documents.reading import pdf_is_tagged, pdf_text
from tests.practice.test_services import make_finalisable
from tests.voices.test_services import SECTIONS, WORDS
from voices import selectors, services
from voices.models import VoiceRecord, WPVersion

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
CASE_RECORDERS = {"social_worker", "team_manager", "conference_chair"}
READ_ONLY = {"practice_lead", "senior_leader", "performance_analyst"}


def voices_url_names() -> dict[str, list[str]]:
    resolver = get_resolver()
    names = {}
    for pattern in resolver.url_patterns:
        if getattr(pattern, "namespace", None) == "voices":
            for inner in pattern.url_patterns:
                if isinstance(inner, URLPattern):
                    names[f"voices:{inner.name}"] = list(inner.pattern.regex.groupindex)
    return names


@pytest.fixture
def world(worker, case, child, draft_map):
    ids = factories.make_voices_world(actor=worker, case=case, child=child)
    return {
        "case_id": case.pk,
        **ids,
        "_record": VoiceRecord.objects.get(pk=ids["record_id"]),
        "_version": WPVersion.objects.get(pk=ids["version_id"]),
    }


def url_for(name, params, world):
    return reverse(name, kwargs={key: world[key] for key in params})


def test_every_voices_url_is_checked_here():
    assert set(voices_url_names()) == {
        "voices:child_detail", "voices:voice_add", "voices:voice_detail", "voices:voice_words",
        "voices:voice_edit", "voices:voice_share", "voices:voice_bring",
        "voices:voice_picture_add", "voices:voice_picture", "voices:voice_picture_remove",
        "voices:three_houses_pdf", "voices:three_houses_docx", "voices:wp_add",
        "voices:wp_detail", "voices:wp_edit", "voices:wp_revise", "voices:wp_pdf",
        "voices:wp_docx", "voices:wp_agree", "voices:wp_share", "voices:wp_picture_add",
        "voices:wp_picture", "voices:wp_picture_remove",
    }  # fmt: skip


@pytest.mark.parametrize("role", sorted(Role.values))
def test_another_agency_gets_404_on_every_voices_url(client, world, role):
    client.force_login(factories.UserFactory(role=role))
    for name, params in voices_url_names().items():
        url = url_for(name, params, world)
        assert client.get(url).status_code in {404, 405}, f"GET {url}"
        assert client.post(url, {}).status_code == 404, f"POST {url}"
    assert VoiceRecord.objects.count() == 1 and WPVersion.objects.count() == 1


def test_anonymous_visitors_are_sent_to_sign_in(client, world):
    for name, params in voices_url_names().items():
        response = client.get(url_for(name, params, world))
        assert response.status_code == 302 and response.url.startswith(reverse("login")), name


def test_a_child_outside_the_case_is_404(client, worker, case, world):
    elsewhere = factories.CaseMemberFactory(case=factories.CaseFactory(team=case.team))
    client.force_login(worker)
    url = reverse("voices:child_detail", args=[case.pk, elsewhere.person_id])
    assert client.get(url).status_code == 404
    adult = factories.PersonFactory(agency=case.agency, kind="adult", date_of_birth=None)
    factories.CaseMemberFactory(case=case, person=adult)
    assert client.get(reverse("voices:child_detail", args=[case.pk, adult.pk])).status_code == 404


WRITES = {
    "voices:voice_add", "voices:voice_edit", "voices:voice_share", "voices:voice_bring",
    "voices:voice_picture_add", "voices:voice_picture_remove", "voices:wp_add",
    "voices:wp_edit", "voices:wp_revise", "voices:wp_agree", "voices:wp_share",
    "voices:wp_picture_add", "voices:wp_picture_remove",
}  # fmt: skip


@pytest.mark.parametrize("role", sorted(READ_ONLY | {"administrator"}))
def test_read_only_roles_read_but_get_403_on_every_write(client, case, world, role):
    user = factories.UserFactory(team=None, agency=case.agency, role=role)
    client.force_login(user)
    for name, params in voices_url_names().items():
        url = url_for(name, params, world)
        if role == "administrator":  # no case records at all
            assert client.get(url).status_code in {404, 405}, url
            continue
        if name in WRITES:
            assert client.post(url, {}).status_code == 403, f"POST {url}"
            if client.get(url).status_code != 405:
                assert client.get(url).status_code == 403, f"GET {url}"
        elif not name.endswith(("_pdf", "_docx")):
            assert client.get(url).status_code in {200, 302}, f"GET {url}"
    assert VoiceRecord.objects.count() == 1


@pytest.mark.parametrize("role", sorted(CASE_RECORDERS))
def test_recording_roles_reach_the_pages(client, team, case, world, role):
    user = factories.UserFactory(team=team, agency=case.agency, role=role)
    client.force_login(user)
    for name in ["voices:child_detail", "voices:voice_add", "voices:wp_detail", "voices:wp_edit"]:
        url = url_for(name, voices_url_names()[name], world)
        assert client.get(url).status_code == 200, url


def test_recording_three_houses_with_a_drawing_without_javascript(client, worker, case, child):
    client.force_login(worker)
    url = reverse("voices:voice_add", args=[case.pk, child.pk])
    page = client.get(url + "?kind=three_houses").content.decode()
    assert 'enctype="multipart/form-data"' in page and "House of worries" in page
    response = client.post(
        url,
        {
            "kind": "three_houses",
            "done_on": "2026-03-03",
            "done_by": worker.pk,
            "worries": "When Dad shouts I hide.",
            "good_things": "Pancakes with Grandma.",
            "dreams": "",
            "picture": factories.upload(factories.png_bytes()),
            "alt_text": "Leo's three houses",
            "picture_part": "",
        },
    )
    assert response.status_code == 302
    record = VoiceRecord.objects.get()
    assert record.child_age == 7 and record.pictures.get().alt_text == "Leo's three houses"
    page = client.get(response.url).content.decode()
    assert "When Dad shouts I hide." in page and 'alt="Leo&#x27;s three houses"' in page
    assert AuditEvent.objects.filter(verb="voices.record_viewed").exists()


def test_a_drawing_needs_its_description(client, worker, case, child):
    client.force_login(worker)
    response = client.post(
        reverse("voices:voice_add", args=[case.pk, child.pk]),
        {
            "kind": "safety_house",
            "done_on": "2026-03-03",
            "done_by": worker.pk,
            "inside": "Mum, me and my cat",
            "picture": factories.upload(factories.png_bytes()),
            "alt_text": "",
        },
    )
    html = response.content.decode()
    assert response.status_code == 400 and "Say in a few words what the picture shows." in html
    assert "Mum, me and my cat" in html  # the words are kept
    assert not VoiceRecord.objects.exists()


def test_inline_edit_with_htmx_and_conflict_keeps_the_text(client, worker, manager, world):
    record = world["_record"]
    url = reverse("voices:voice_edit", args=[record.case_id, record.child_id, record.pk])
    client.force_login(worker)
    partial = client.get(url, **HTMX).content.decode()
    assert "<html" not in partial and 'name="revision"' in partial
    services.voice_record_update(
        actor=manager,
        record=record,
        expected_revision=1,
        done_on=record.done_on,
        words={**WORDS, "dreams": "Manager typed this"},
    )
    data = {"done_on": "2026-01-05", "done_by": worker.pk, **WORDS, "revision": 1}
    data["dreams"] = "Worker typed this"
    html = client.post(url, data, **HTMX).content.decode()
    assert "Someone else changed this" in html
    assert "Worker typed this" in html and "Manager typed this" in html
    html = client.post(url, {**data, "revision": 2}, **HTMX).content.decode()
    assert 'id="words"' in html and "<html" not in html and "Worker typed this" in html
    response = client.post(url, {**data, "revision": 3, "dreams": "Again"})
    assert response.status_code == 302 and response.url.endswith("#words")


def test_bringing_a_worry_into_the_draft_map_with_htmx(client, worker, world, draft_map):
    record = world["_record"]
    client.force_login(worker)
    page = client.get(
        reverse("voices:voice_detail", args=[record.case_id, record.child_id, record.pk])
    ).content.decode()
    assert "Bring into map 1" in page
    url = reverse("voices:voice_bring", args=[record.case_id, record.child_id, record.pk])
    html = client.post(
        url, {"part": "worries", "category": "harm", "text": "When Dad shouts I hide."}, **HTMX
    ).content.decode()
    assert 'id="part-worries"' in html and "<html" not in html
    assert "Added to map 1 as harm" in html
    entry = draft_map.entries.get()
    assert entry.text == "When Dad shouts I hide."
    child_page = client.get(
        reverse("voices:child_detail", args=[record.case_id, record.child_id])
    ).content.decode()
    assert "From Leo&#x27;s Three Houses, 5 January" in child_page
    assert f"#entry-{entry.pk}" in child_page
    map_page = client.get(
        reverse("practice:map_detail", args=[record.case_id, draft_map.pk])
    ).content.decode()
    assert "From Leo&#x27;s Three Houses, 5 January" in map_page
    # Without JavaScript: post, then redirect back to the part.
    response = client.post(
        url, {"part": "good_things", "category": "existing_strength", "text": "Pancakes"}
    )
    assert response.status_code == 302 and response.url.endswith("#part-good_things")
    assert draft_map.entries.filter(category="existing_strength", text="Pancakes").exists()


def test_bringing_words_into_a_finalised_map_keeps_the_text(client, worker, world, draft_map):
    record = world["_record"]
    client.force_login(worker)
    url = reverse("voices:voice_bring", args=[record.case_id, record.child_id, record.pk])
    make_finalisable(draft_map, worker)
    practice_services.map_finalise(actor=worker, map_=draft_map, expected_revision=1)
    response = client.post(url, {"part": "worries", "category": "harm", "text": "Kept words"})
    html = response.content.decode()
    assert response.status_code == 400 and "no draft map" in html and "Kept words" in html


def test_words_and_pictures_write_revise_agree_and_share(client, worker, case, child, parent):
    client.force_login(worker)
    response = client.post(reverse("voices:wp_add", args=[case.pk, child.pk]), SECTIONS)
    assert response.status_code == 302
    version = WPVersion.objects.get()
    wp = version.words_and_pictures
    args = [case.pk, child.pk, wp.pk]
    revise = reverse("voices:wp_revise", args=args)
    form = client.get(revise).content.decode()
    assert "Make version 2" in form and SECTIONS["what_happened"] in form
    client.post(revise, {**SECTIONS, "what_happened": "Leo stayed at Gran's.", "revision": 1})
    second = WPVersion.objects.get(number=2)
    agree = reverse("voices:wp_agree", args=[*args, second.pk])
    today = timezone.localdate().isoformat()
    response = client.post(agree, {"person": parent.pk, "agreed_on": today})
    assert response.status_code == 302
    second.refresh_from_db()
    assert second.is_agreed
    # Changing an agreed version goes to making a new one instead.
    response = client.get(reverse("voices:wp_edit", args=args))
    assert response.status_code == 302 and response.url.endswith("/new-version/")
    response = client.post(
        reverse("voices:wp_edit", args=args), {**SECTIONS, "revision": second.revision}
    )
    assert "agreed by a parent" in response.content.decode()
    share = reverse("voices:wp_share", args=[*args, second.pk])
    assert client.post(share, {"shared_on": today, "present": "Mum and Sam"}).status_code == 302
    page = client.get(reverse("voices:wp_detail", args=args)).content.decode()
    assert "Jade Testington agreed version 2" in page and "Mum and Sam" in page
    old = client.get(reverse("voices:wp_detail", args=args) + "?version=1").content.decode()
    assert "You are reading version 1" in old and SECTIONS["what_happened"] in old


def test_a_stale_words_and_pictures_edit_keeps_the_text(client, worker, manager, case, child):
    version = services.wp_start(actor=worker, case=case, child=child, sections=SECTIONS)
    services.wp_version_update(
        actor=manager,
        version=version,
        expected_revision=1,
        sections={**SECTIONS, "who_is_worried": "Manager's words"},
    )
    client.force_login(worker)
    url = reverse("voices:wp_edit", args=[case.pk, child.pk, version.words_and_pictures_id])
    response = client.post(url, {**SECTIONS, "who_is_worried": "Worker's words", "revision": 1})
    html = response.content.decode()
    assert "Someone else changed this" in html
    assert "Worker&#x27;s words" in html and "Manager&#x27;s words" in html


def test_plain_language_guidance_shows_but_does_not_block(client, worker, case, child):
    client.force_login(worker)
    jargon = {**SECTIONS, "worried_about": "There were domestic abuse incidents and a s47."}
    response = client.post(reverse("voices:wp_add", args=[case.pk, child.pk]), jargon)
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert "Plain-language check" in page


def test_documents_download_as_pdf_and_docx(client, worker, world):
    client.force_login(worker)
    record, version = world["_record"], world["_version"]
    args = [record.case_id, record.child_id]
    pdf = client.get(reverse("voices:three_houses_pdf", args=[*args, record.pk]))
    text = pdf_text(pdf.content)
    for words in ["Leo's Three Houses", "When Dad shouts I hide under my bed.", "Pancakes"]:
        assert words in text, words
    assert "Page 1 of 1" in text and pdf_is_tagged(pdf.content)
    word = client.get(reverse("voices:three_houses_docx", args=[*args, record.pk]))
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(word.content)).paragraphs)
    assert "When Dad shouts I hide under my bed." in text
    wp_args = [*args, version.words_and_pictures_id]
    pdf = client.get(reverse("voices:wp_pdf", args=wp_args))
    text = pdf_text(pdf.content)
    for heading in [
        "Who is worried?",
        "What are they worried about?",
        "What happened then?",
        "What are we doing about it?",
    ]:
        assert heading in text, heading
    assert "Leo stayed with Grandma Pat for a few days." in text
    word = client.get(reverse("voices:wp_docx", args=wp_args))
    document = docx.Document(io.BytesIO(word.content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Leo stayed with Grandma Pat for a few days." in text and "What happened then?" in text
    assert document.inline_shapes  # the picture is in the document


def test_the_child_page_takes_a_fixed_number_of_queries(client, worker, case, child, world):
    client.force_login(worker)
    url = reverse("voices:child_detail", args=[case.pk, child.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for day in range(2, 8):
        record = services.voice_record_add(
            actor=worker, case=case, child=child, kind="safety_house",
            done_on=case.opened_on.replace(day=day), words={"inside": "Mum"},
        )  # fmt: skip
        services.voice_words_bring_into_map(
            actor=worker, record=record, part="inside", map_=world_map(case),
            category="existing_safety", text=f"Mum {day}",
        )  # fmt: skip
        services.wp_start(actor=worker, case=case, child=child, sections=SECTIONS)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)


def world_map(case):
    return case.maps.get(status="draft")


def test_case_voices_summary_is_bounded_and_counts(worker, case, child, world):
    sister = factories.PersonFactory(agency=case.agency, given_name="Mia")
    factories.CaseMemberFactory(case=case, person=sister)
    with CaptureQueriesContext(connection) as few:
        selectors.case_voices_summary(case, user=worker)
    for someone in [child, sister, sister]:
        services.voice_record_add(
            actor=worker, case=case, child=someone, kind="fairy_wizard",
            done_on=case.opened_on, words={"wand_dreams": "A puppy"},
        )  # fmt: skip
        services.wp_start(actor=worker, case=case, child=someone, sections=SECTIONS)
    with CaptureQueriesContext(connection) as many:
        summary = selectors.case_voices_summary(case, user=worker)
    assert len(many) == len(few) <= 4
    rows = {row["child"].given_name: row for row in summary["children"]}
    assert rows["Leo"]["total"] == 2 and rows["Mia"]["total"] == 2
    assert rows["Mia"]["kinds"][1]["count"] == 2 and len(rows["Mia"]["words_and_pictures"]) == 2
    assert summary["may_record"] is True


def test_the_case_section_renders(rf, worker, case, world):
    from django.template.loader import render_to_string

    html = render_to_string(
        "voices/_case_section.html",
        {"voices": selectors.case_voices_summary(case, user=worker)},
    )
    assert "Children's voices and Words and Pictures" in html
    assert "Three Houses: 1, latest 5 Jan 2026" in html
    assert "version 1, draft" in html
    assert reverse("voices:child_detail", args=[case.pk, world["person_id"]]) in html
