"""The family and network portal in a real browser: a worker invites a parent and a safety
network member; on a phone-sized screen the parent signs in with the printed code, reads the
plan and downloads it, and the network member records a check-in saying a rule was broken;
the worker sees the alert. axe-core checks every page with zero violations."""

import re

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.browser.test_map_journey import (
    assert_accessible,
    family,  # noqa: F401 - a fixture
    sign_in,
)
from tests.documents.reading import pdf_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def shared(family):  # noqa: F811
    worker, case = family
    child = case.members.get(given_name="Leo")
    return worker, case, factories.make_portal_world(actor=worker, case=case, child=child)


@pytest.fixture
def phone(browser):
    contexts = []

    def open_phone():
        context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        return page

    yield open_phone
    for context in contexts:
        context.close()


def invite(page, live_server, case, who, scopes) -> str:
    page.goto(f"{live_server.url}/cases/{case.pk}/portal/")
    page.get_by_role("link", name="Invite someone").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Invite someone to the family portal")
    assert_accessible(page, "invitation form")
    page.get_by_label("Who are you inviting?").select_option(label=who)
    for scope in scopes:
        page.get_by_label(scope, exact=True).check()
    page.get_by_label("Print a one-time code to give them").check()
    page.get_by_role("button", name="Invite").click()
    expect(page.get_by_role("heading", name="Your family pages")).to_be_visible()
    assert_accessible(page, "printable invitation")
    code = page.locator("article strong").filter(has_text=re.compile(r"^\w{4}-\w{4}$")).inner_text()
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}", code)
    return code


def fits_the_screen(page):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def portal_sign_in(page, live_server, code, greeting):
    page.goto(f"{live_server.url}/family/sign-in/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    assert_accessible(page, "portal sign-in on a phone")
    fits_the_screen(page)
    page.get_by_label("Your code").fill(code.lower())
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(greeting)
    assert_accessible(page, "portal home on a phone")
    fits_the_screen(page)


def test_parent_reads_the_plan_and_network_member_reports_a_breach(
    page, phone, live_server, shared
):
    worker, case, world = shared
    sign_in(page, live_server)
    parent_code = invite(
        page,
        live_server,
        case,
        "Jade Testington (parent or carer)",
        ["Words and Pictures", "The safety plan", "A summary of the map"],
    )
    member_code = invite(
        page,
        live_server,
        case,
        "Grandma Pat (Mum's mum)",
        ["Their part in the safety plan, and check-ins"],
    )
    page.goto(f"{live_server.url}/cases/{case.pk}/portal/")
    expect(page.get_by_role("row", name=re.compile("Jade Testington"))).to_contain_text("Not yet")
    assert_accessible(page, "the case's family portal page")

    # The parent, on a phone.
    parent = phone()
    portal_sign_in(parent, live_server, parent_code, "Hello, Jade Testington")
    parent.get_by_role("link", name="Read the plan").click()
    expect(parent.get_by_role("heading", level=1)).to_have_text("Our safety plan")
    expect(parent.get_by_text("Grandma Pat picks Leo up from school on Mondays.")).to_be_visible()
    assert_accessible(parent, "the plan on a phone")
    fits_the_screen(parent)
    with parent.expect_download() as saved:
        parent.get_by_role("link", name="Get the plan as a PDF").click()
    with open(saved.value.path(), "rb") as file:
        assert "Grandma Pat picks Leo up from school on Mondays." in pdf_text(file.read())
    parent.get_by_role("link", name="Back to home").click()
    parent.get_by_role("link", name="Read Words and Pictures").click()
    expect(parent.get_by_text("Grown-ups at home shouted and pushed.")).to_be_visible()
    drawing = parent.get_by_role("img", name="Leo's drawing of Grandma Pat's house")
    expect(drawing).to_be_visible()
    src = drawing.get_attribute("src")
    fetched = parent.request.get(f"{live_server.url}{src}")
    assert fetched.status == 200, (fetched.status, fetched.text()[:300])
    parent.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=drawing.element_handle()
    )
    assert_accessible(parent, "Words and Pictures on a phone")
    fits_the_screen(parent)
    parent.get_by_role("link", name="Back to home").click()
    parent.get_by_role("link", name="Read the map").click()
    expect(parent.get_by_text("Mum walks Leo to school.")).to_be_visible()
    assert_accessible(parent, "the map on a phone")
    fits_the_screen(parent)
    # The parent can't reach the staff side: it asks for a staff sign-in.
    parent.goto(f"{live_server.url}/cases/{case.pk}/")
    expect(parent.get_by_label("Username")).to_be_visible()

    # The safety network member, on a phone.
    member = phone()
    portal_sign_in(member, live_server, member_code, "Hello, Grandma Pat")
    member.get_by_role("link", name="See your part").click()
    expect(member.get_by_text("Grandma Pat picks Leo up from school on Mondays.")).to_be_visible()
    expect(member.get_by_text("Uncle Ray")).to_have_count(0)
    assert_accessible(member, "a network member's part on a phone")
    member.get_by_role("link", name="Tell us how it went").click()
    expect(member.get_by_role("heading", level=1)).to_have_text("Tell us how it went")
    assert_accessible(member, "the check-in form on a phone")
    fits_the_screen(member)
    member.get_by_label("Grandma Pat picks Leo up from school on Mondays.").check()
    member.get_by_label("What did you see?").fill("Dad was at the school gate at pick-up.")
    member.get_by_role("group", name="Was the plan kept?").get_by_label("No").check()
    member.get_by_role("button", name="Send").click()
    expect(member.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert_accessible(member, "the check-in form with errors on a phone")
    member.get_by_label("If not: what happened?").fill("Dad had been drinking.")
    member.get_by_label("If not: what did you do?").fill("I took Leo home with me and rang Sam.")
    member.get_by_role("button", name="Send").click()
    expect(member.get_by_text("told the social worker")).to_be_visible()
    assert_accessible(member, "after the check-in on a phone")

    # The worker sees the alert and acknowledges it.
    page.goto(f"{live_server.url}/cases/{case.pk}/portal/")
    alerts = page.locator("#alerts")
    expect(alerts).to_contain_text("A rule was broken")
    expect(alerts).to_contain_text("Dad had been drinking.")
    assert_accessible(page, "the check-in alert")
    alerts.get_by_label("What you are doing about it (optional)").fill("Visiting today.")
    alerts.get_by_role("button", name=re.compile("Acknowledge")).click()
    expect(page.locator("#alerts")).to_contain_text("Acknowledged by Sam Reid")
