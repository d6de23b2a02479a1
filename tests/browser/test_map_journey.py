"""A social worker's day in a real browser: sign in, map, scale, finalise; with axe-core checks."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from agencies.models import Role
from tests import factories
from tests.documents.reading import docx_text, pdf_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def family():
    team = factories.TeamFactory(name="Riverside assessment team")
    worker = factories.UserFactory(
        username="sam", first_name="Sam", last_name="Reid", team=team, role=Role.SOCIAL_WORKER
    )
    case = factories.CaseFactory(team=team, name="Testington family")
    factories.AllocationFactory(case=case, worker=worker)
    child = factories.PersonFactory(agency=case.agency, given_name="Leo")
    factories.CaseMemberFactory(case=case, person=child)
    return worker, case


def sign_in(page, live_server, username="sam"):
    page.goto(f"{live_server.url}/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="My caseload")).to_be_visible()


def assert_accessible(page, what):
    results = Axe().run(page)
    assert results.violations_count == 0, f"{what}:\n{results.generate_report()}"


def open_form(page, summary_text):
    """Open a collapsed add form; after an add it stays open for the next entry."""
    details = page.locator("details", has=page.locator("summary", has_text=summary_text))
    if details.get_attribute("open") is None:
        details.locator("summary").click()


def download(page, link_name) -> bytes:
    """Click a download link as a person would, and return the file the browser saved."""
    with page.expect_download() as saved:
        page.get_by_role("link", name=link_name).click()
    with open(saved.value.path(), "rb") as file:
        return file.read()


def start_first_map(page):
    page.get_by_role("link", name="Testington family").click()
    expect(page.get_by_role("heading", level=1, name="Testington family")).to_be_visible()
    page.get_by_label("What kind of meeting or mapping?").select_option("mapping")
    page.get_by_role("button", name="Start map").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Map 1")


def test_worker_maps_scales_and_finalises(page, live_server, family):
    sign_in(page, live_server)
    assert_accessible(page, "caseload")
    start_first_map(page)

    page.get_by_text("Add someone who took part").click()
    participants = page.locator("#participants")
    participants.get_by_label("Name").fill("Jade Testington")
    participants.get_by_label("Role").select_option("parent")
    participants.get_by_role("button", name="Add").click()
    expect(participants.get_by_text("Jade Testington")).to_be_visible()

    page.get_by_text("Add danger statement and its safety goal").click()
    danger = page.locator("#section-danger_statement")
    danger.get_by_label("Who is worried?").fill("Sam (social worker) and Leo's school")
    danger.get_by_label("What are they worried about?").fill(
        "When Dad drinks he shouts and has pushed Mum while Leo was in the room."
    )
    danger.get_by_label("What may happen to the children if nothing changes?").fill(
        "Leo could be hurt, and he will keep being frightened at home."
    )
    danger.get_by_label("Leo Testington").check()
    danger.get_by_label("Safety goal: what will everyone see instead?").fill(
        "Dad is sober whenever he looks after Leo, and grown-ups sort out arguments calmly."
    )
    danger.get_by_label("Who will see it?").fill("Grandma Pat, the school and Sam")
    danger.get_by_label("For how long?").fill("6")
    danger.get_by_label("Weeks or months").select_option("months")
    danger.get_by_role("button", name="Add danger statement").click()
    expect(page.locator("#section-safety_goal")).to_contain_text("Dad is sober whenever")
    expect(danger).to_contain_text("pushed Mum")

    judgements = [
        ("Sam Reid", "worker", "3", 1),  # the danger statement and its goal, from two perspectives
        ("Jade Testington", "parent", "6", 1),
        ("Sam Reid", "worker", "4", 0),  # overall safety
    ]
    for name, role, score, subject in judgements:
        open_form(page, "Add a scale judgement")
        scales = page.locator("#scales")
        scales.get_by_label("What is being scaled?").select_option(index=subject)
        scales.get_by_label("Whose judgement is it?").fill(name)
        scales.get_by_label("Their role").select_option(role)
        scales.locator(f"input[name=score][value='{score}']").check()
        scales.get_by_label("Why that number?").fill("Dad has started going to his group.")
        scales.get_by_role("button", name="Add judgement").click()
        expect(page.locator("#scales")).to_contain_text(name)
    expect(danger).to_contain_text("Jade Testington (parent or carer) 6")

    assert_accessible(page, "draft map")
    page.get_by_role("button", name="Finalise map").click()

    expect(page.get_by_text("Map 1 is finalised")).to_be_visible()
    board = page.locator("#map-board")
    expect(board.get_by_role("heading", name="What are we worried about?")).to_be_visible()
    expect(board.locator(".map-column--worried")).to_contain_text("pushed Mum")
    expect(board.locator(".map-column--needs_to_happen")).to_contain_text("Dad is sober whenever")
    expect(page.locator("#scales")).to_contain_text("Sam Reid")
    expect(page.locator(".chart svg")).to_be_visible()
    assert_accessible(page, "case page")

    # The finalised map, for the family, as a PDF and as a Word document.
    page.get_by_role("link", name="Open map 1").click()
    text = pdf_text(download(page, "Map for the family (PDF)"))
    assert "What are we worried about?" in text and "pushed Mum" in text
    assert "Dad is sober whenever" in docx_text(download(page, "Map for the family (Word)"))


def test_fast_entry_by_keyboard_alone(page, live_server, family):
    sign_in(page, live_server)
    start_first_map(page)
    summary = page.locator("#section-harm summary")
    summary.focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")  # into the text box
    page.keyboard.type("Leo had a bruise on his arm in March.")
    page.get_by_role("button", name="Add harm").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#section-harm .entries")).to_contain_text("bruise on his arm")
    # Focus returns to the add box, so the next entry can be typed straight away.
    page.keyboard.type("Leo missed two doctor's appointments.")
    page.get_by_role("button", name="Add harm").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#section-harm .entry")).to_have_count(2)

    # Change an entry inline, then remove it, all without reloading the page.
    page.locator("#section-harm .entry").first.get_by_role("link", name="Change").click()
    editor = page.locator("#section-harm .entry--editing")
    editor.get_by_label("What to write").fill("Leo had a bruise on his upper arm in March.")
    editor.get_by_role("button", name="Save").click()
    expect(page.locator("#section-harm")).to_contain_text("upper arm")
    page.locator("#section-harm .entry").last.get_by_role("button", name="Remove").click()
    expect(page.locator("#section-harm .entry")).to_have_count(1)


def test_the_map_works_without_javascript(page_without_js, live_server, family):
    page = page_without_js
    sign_in(page, live_server)
    start_first_map(page)
    page.locator("#section-existing_strength summary").click()
    page.locator("#section-existing_strength textarea").fill("Mum walks Leo to school every day.")
    page.locator("#section-existing_strength button[type=submit]").click()
    expect(page.locator("#section-existing_strength .entries")).to_contain_text(
        "walks Leo to school"
    )
    page.locator("#section-existing_strength .entry").first.get_by_role(
        "link", name="Change"
    ).click()
    page.get_by_label("What to write").fill("Mum walks Leo to school and picks him up.")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#section-existing_strength")).to_contain_text("picks him up")


def test_sign_in_page_is_accessible_and_wrong_password_is_explained(page, live_server, family):
    page.goto(f"{live_server.url}/accounts/login/")
    assert_accessible(page, "sign in")
    page.get_by_label("Username").fill("sam")
    page.get_by_label("Password").fill("wrong password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("Your username or password is not right")).to_be_visible()
    assert_accessible(page, "sign in with error")
