"""A worker records a child's Three Houses with a drawing, brings one of the child's worries
into the draft map, and writes, revises and agrees a Words and Pictures; with axe-core checks."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_map_journey import (  # noqa: F401 (family is a fixture)
    assert_accessible,
    download,
    family,
    open_form,
    sign_in,
    start_first_map,
)
from tests.documents.reading import docx_text, pdf_text
from tests.factories import png_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_worker_records_leos_voice_and_words_and_pictures(page, live_server, family):  # noqa: F811
    _worker, case = family
    leo = case.members.get(given_name="Leo")
    sign_in(page, live_server)
    start_first_map(page)

    page.goto(f"{live_server.url}/cases/{case.pk}/children/{leo.pk}/")
    expect(page.get_by_role("heading", level=1, name="Leo Testington")).to_be_visible()
    assert_accessible(page, "child page")

    # Three Houses, in Leo's own words, with his drawing.
    page.get_by_role("link", name="Record Three Houses with Leo").click()
    page.get_by_label("House of worries").fill("When Dad shouts I hide under my bed.")
    page.get_by_label("House of good things").fill("Grandma Pat makes pancakes on Saturdays.")
    page.get_by_label("House of dreams").fill("Everyone is kind at home.")
    page.get_by_label("Drawing or photo (optional)").set_input_files(
        {"name": "houses.png", "mimeType": "image/png", "buffer": png_bytes(300, 200)}
    )
    page.get_by_label("Short description of the picture").fill(
        "Leo's drawing of three houses with a big sun"
    )
    page.get_by_role("button", name="Save Three Houses").click()
    expect(page.get_by_text("Leo's Three Houses is saved.")).to_be_visible()
    drawing = page.get_by_role("img", name="Leo's drawing of three houses with a big sun")
    expect(drawing).to_be_visible()
    # Served through the permission-checked view, and really a picture.
    drawing.scroll_into_view_if_needed()
    page.wait_for_function(
        "image => image.complete && image.naturalWidth === 300", arg=drawing.element_handle()
    )

    # Bring one of Leo's worries into the draft map.
    worries = page.locator("#part-worries")
    open_form(page, "Bring into map 1: house of worries")
    worries.get_by_label("Where on the map do these words belong?").select_option("harm")
    worries.get_by_label("What to add to the map").fill("Leo said: When Dad shouts I hide.")
    worries.get_by_role("button", name="Add to the map").click()
    expect(page.locator("#part-worries")).to_contain_text("Added to map 1 as harm")
    expect(page.locator("#part-worries")).to_contain_text("In the map")

    page.get_by_role("link", name="Back to Leo's page").click()
    expect(page.locator("#heading-links + ul")).to_contain_text("From Leo's Three Houses")
    page.get_by_role("link", name="map 1, harm").click()
    expect(page.locator("#section-harm")).to_contain_text("Leo said: When Dad shouts I hide.")
    page.go_back()

    # Words and Pictures: written, revised with the parents, agreed.
    page.get_by_role("link", name="Write a Words and Pictures for Leo").click()
    page.get_by_label("Who is worried?").fill("Sam the social worker and Miss Khan at school.")
    page.get_by_label("What are they worried about?").fill(
        "Mum and Dad shouted at each other and Dad pushed Mum. Leo was scared."
    )
    page.get_by_label("What happened then?").fill("Leo stayed with Grandma Pat for a few days.")
    page.get_by_label("What are we doing about it?").fill(
        "Mum and Dad meet Sam every week to make a plan so home feels safe."
    )
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Words and Pictures version 1 is saved as a draft.")).to_be_visible()

    page.get_by_role("link", name="Make a new version (version 2)").click()
    page.get_by_label("What are we doing about it?").fill(
        "Mum and Dad meet Sam every week. Dad goes to a group on Tuesdays."
    )
    page.get_by_label("What changed and why (optional)").fill("Dad asked us to add his group.")
    page.get_by_role("button", name="Save version 2").click()
    expect(page.get_by_text("Version 2 is saved as a draft.")).to_be_visible()

    agreement = page.locator("#agreement")
    agreement.get_by_label("Their name, if not listed").fill("Jade Testington")
    agreement.get_by_role("button", name="Record that they agreed").click()
    expect(page.locator("#agreement")).to_contain_text("Jade Testington agreed version 2")
    expect(
        page.get_by_text("A parent agreed this version, so it can't be changed.")
    ).to_be_visible()
    expect(page.locator("#versions")).to_contain_text("Dad asked us to add his group.")
    assert_accessible(page, "Words and Pictures")
    text = pdf_text(download(page, "Download for the family (PDF)"))
    assert "What happened then?" in text and "Dad goes to a group on Tuesdays." in text
    assert "Leo stayed with Grandma Pat" in docx_text(download(page, "Download to edit (Word)"))

    # Leo's Three Houses, for the family.
    page.get_by_role("link", name="Back to Leo's page").click()
    page.locator("table").first.get_by_role("link").first.click()
    text = pdf_text(download(page, "Download for the family (PDF)"))
    assert "Leo's house of worries" in text and "When Dad shouts I hide under my bed." in text
    assert "pancakes on Saturdays" in docx_text(download(page, "Download to edit (Word)"))
