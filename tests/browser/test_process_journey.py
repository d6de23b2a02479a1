"""A worker takes the test family from contact to closure in the browser, each step started
from the process page's next steps; the conferences are recorded as maps with each attendee's
scaling; the manager approves the assessment, the plan and the closure. With axe-core checks."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from agencies.models import Role
from practice import services as practice_services
from practice.models import Map
from tests import factories
from tests.browser.test_map_journey import (
    assert_accessible,
    family,  # noqa: F401 - a fixture
    open_form,
    sign_in,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BASE = datetime.date.today() - datetime.timedelta(days=150)


def day(offset: int) -> str:
    return (BASE + datetime.timedelta(days=offset)).isoformat()


def next_step(page, live_server, case, kind):
    """Open the process page and follow the next step of that kind."""
    page.goto(f"{live_server.url}/cases/{case.pk}/process/")
    page.locator(f"#step-{kind}").get_by_role("link").first.click()


def save(page, button):
    page.get_by_role("button", name=button).click()
    expect(page.get_by_role("heading", level=1, name="Statutory process")).to_be_visible()


def record_attendees_and_finalise(page, new_attendee=None):
    """On a conference map: the attendees (the last meeting's are listed already), each
    scaling the danger statement and overall safety."""
    participants = page.locator("#participants")
    expect(participants).to_contain_text("Jade Testington")
    if new_attendee:
        open_form(page, "Add someone who took part")
        participants.get_by_label("Name").fill(new_attendee)
        participants.get_by_label("Role").select_option("conference_chair")
        participants.get_by_role("button", name="Add").click()
        expect(participants.get_by_text(new_attendee)).to_be_visible()
    for name, role, score in [
        ("Jade Testington", "parent", "6"),
        ("Pat Chair", "conference_chair", "3"),
    ]:
        for subject in (1, 0):
            open_form(page, "Add a scale judgement")
            scales = page.locator("#scales")
            scales.get_by_label("What is being scaled?").select_option(index=subject)
            scales.get_by_label("Whose judgement is it?").fill(name)
            scales.get_by_label("Their role").select_option(role)
            scales.locator(f"input[name=score][value='{score}']").check()
            scales.get_by_label("Why that number?").fill("Dad has started going to his group.")
            # Wait for the new row itself: the name may already be on the page from the
            # person's other judgement, and typing into a form htmx is about to replace loses it.
            rows = page.locator("#scales tbody tr")
            before = rows.count()
            scales.get_by_role("button", name="Add judgement").click()
            expect(rows).to_have_count(before + 1)
            expect(page.locator("#scales")).to_contain_text(name)
    page.get_by_role("button", name="Finalise map").click()
    expect(page.get_by_text(re.compile(r"Map \d+ is finalised"))).to_be_visible()


def test_contact_to_closure(page, browser, live_server, family):  # noqa: F811
    worker, case = family
    manager = factories.UserFactory(
        username="morgan", first_name="Morgan", team=case.team, role=Role.TEAM_MANAGER
    )
    # The family was mapped before: the statutory meetings start from that map.
    first_map = practice_services.map_start(
        actor=worker, case=case, purpose="mapping", held_on=BASE
    )
    factories.process_finalise_map(first_map, worker)
    sign_in(page, live_server)

    page.goto(f"{live_server.url}/cases/{case.pk}/process/")
    assert_accessible(page, "process page, new case")
    page.get_by_role("link", name="Record a contact").click()
    page.get_by_label("Date of contact").fill(day(0))
    page.get_by_label("Who got in touch?").select_option("2A")
    page.get_by_label("Leo Testington").check()
    save(page, "Save the contact")

    next_step(page, live_server, case, "referral")
    expect(page.get_by_label("Leo Testington")).to_be_checked()
    expect(page.get_by_label("Referral source")).to_have_value("2A")  # from the contact
    page.get_by_label("Primary need").select_option("N1")
    assert_accessible(page, "referral form")
    save(page, "Save the referral")

    next_step(page, live_server, case, "referral_decision")
    page.get_by_label("Assessment by children's social care").check()
    page.get_by_label("Date of the decision").fill(day(1))
    save(page, "Save the decision")

    next_step(page, live_server, case, "assessment")
    page.get_by_label("Date the assessment started").fill(day(2))
    save(page, "Start the assessment")

    next_step(page, live_server, case, "strategy_discussion")
    page.get_by_label("Date of the strategy discussion").fill(day(3))
    page.get_by_label("Who took part").fill("Police, school, health visitor")
    page.get_by_label("What was decided").fill("Start a section 47 enquiry today.")
    page.get_by_role("group", name="Did it decide to start a section 47 enquiry?").get_by_label(
        "Yes"
    ).check()
    page.get_by_role("button", name="Save and open its map").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Map 2")
    # The strategy discussion's own mapping is the map journey's business: finalise it here.
    factories.process_finalise_map(Map.objects.get(number=2, case=case), worker)

    next_step(page, live_server, case, "s47")
    page.get_by_label("Date the section 47 enquiry started").fill(day(3))
    save(page, "Start the enquiry")
    next_step(page, live_server, case, "s47")
    page.get_by_label("Date the enquiry concluded").fill(day(10))
    page.get_by_label("Concerns substantiated: initial conference needed").check()
    save(page, "Save the outcome")

    # The initial conference: a map pre-filled from the latest, with each attendee's scaling.
    next_step(page, live_server, case, "initial_conference")
    expect(page.get_by_label("Initial child protection conference")).to_be_checked()
    page.get_by_label("Date of the conference").fill(day(14))
    page.get_by_role("button", name="Start the conference map").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Map 3")
    expect(page.locator("#section-danger_statement")).to_contain_text("shout and push")
    record_attendees_and_finalise(page, new_attendee="Pat Chair")

    next_step(page, live_server, case, "conference_decision")
    expect(page.get_by_role("region", name="The meeting's map")).to_contain_text("Pat Chair")
    assert_accessible(page, "conference decision")
    page.get_by_role("group", name=re.compile("subject to a child protection plan")).get_by_label(
        "Yes"
    ).check()
    page.get_by_label("Emotional abuse").check()
    page.get_by_label("The conference's decision and recommendations").fill("A plan for Leo.")
    save(page, "Save the decision")

    # The plan starts from the conference decision: its day and its category.
    next_step(page, live_server, case, "cp_plan")
    expect(page.get_by_label("Start date")).to_have_value(day(14))
    expect(page.get_by_label("Emotional abuse", exact=True)).to_be_checked()
    save(page, "Start the plan and send for approval")

    next_step(page, live_server, case, "first_core_group")
    page.get_by_label("Date of the core group meeting").fill(day(20))
    save(page, "Save the core group")

    next_step(page, live_server, case, "cp_visit")
    page.get_by_label("Date of the visit").fill(day(21))
    page.get_by_label("Yes").check()
    save(page, "Save the visit")

    next_step(page, live_server, case, "assessment")
    page.get_by_label("Date the assessment was completed").fill(day(30))
    page.get_by_label("Domestic abuse: concerns about the parent or carer").check()
    page.get_by_label("Child protection enquiries (section 47)").check()
    save(page, "Complete and send for approval")

    next_step(page, live_server, case, "review_conference")
    expect(page.get_by_label("Review child protection conference")).to_be_checked()
    page.get_by_label("Date of the conference").fill(day(100))
    page.get_by_role("button", name="Start the conference map").click()
    record_attendees_and_finalise(page)
    next_step(page, live_server, case, "conference_decision")
    page.get_by_role("group", name=re.compile("subject to a child protection plan")).get_by_label(
        "No"
    ).check()
    save(page, "Save the decision")

    next_step(page, live_server, case, "cp_plan_end")
    page.get_by_label("Date the plan ended").fill(day(100))
    page.get_by_label("No longer needed: safe enough without a plan").check()
    save(page, "End the plan")

    next_step(page, live_server, case, "closure")
    page.get_by_label("Date of closure").fill(day(101))
    page.get_by_label("RC7").check()
    page.get_by_label("Closing summary").fill("The plan worked; the network keeps Leo safe.")
    save(page, "Send the closure for approval")
    timeline = page.locator("table")
    for line in [
        "Referral received",
        "Initial child protection conference",
        "Core group meeting",
        "Review child protection conference",
        "Child protection plan ended",
        "Case closure",
    ]:
        expect(timeline).to_contain_text(line)
    assert_accessible(page, "process page")

    # The manager approves the assessment, the plan and the closure from their list.
    manager_context = browser.new_context(viewport={"width": 1280, "height": 900})
    manager_page = manager_context.new_page()
    manager_page.set_default_timeout(10_000)
    manager_page.goto(f"{live_server.url}/")
    manager_page.get_by_label("Username").fill(manager.username)
    manager_page.get_by_label("Password").fill(factories.PASSWORD)
    manager_page.get_by_role("button", name="Sign in").click()
    expect(manager_page.get_by_role("button", name="Sign out")).to_be_visible()
    manager_page.goto(f"{live_server.url}/process/approvals/")
    rows = manager_page.locator("tbody tr")
    expect(rows).to_have_count(3)
    assert_accessible(manager_page, "approvals")
    for _ in range(3):
        manager_page.locator("tbody tr").first.get_by_role(
            "link", name=re.compile("Approve")
        ).click()
        assert_accessible(manager_page, "approval")
        manager_page.get_by_label("Approve", exact=True).check()
        manager_page.get_by_label("Comments", exact=True).fill("Agreed.")
        manager_page.get_by_role("button", name="Save your decision").click()
        expect(
            manager_page.get_by_role("heading", level=1, name="Waiting for your approval")
        ).to_be_visible()
    expect(manager_page.get_by_text("Nothing is waiting for your approval.")).to_be_visible()
    manager_context.close()

    page.goto(f"{live_server.url}/cases/{case.pk}/process/")
    expect(page.get_by_text("The case is closed.").first).to_be_visible()
    case.refresh_from_db()
    assert case.status == "closed"


def test_steps_work_without_javascript(page_without_js, live_server, family):  # noqa: F811
    worker, case = family
    page = page_without_js
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/cases/{case.pk}/process/")
    page.get_by_role("link", name="Record a referral").first.click()
    page.get_by_label("Leo Testington").check()
    page.get_by_label("Date the referral was received").fill(day(0))
    page.get_by_label("Primary need").select_option("N4")
    page.get_by_role("button", name="Save the referral").click()
    expect(page.locator("#step-referral_decision")).to_be_visible()
    next_step(page, live_server, case, "referral_decision")
    page.get_by_label("Date of the decision").fill(day(-3))
    page.get_by_role("button", name="Save the decision").click()
    expect(page.locator(".error-summary")).to_contain_text("can't be before the referral")
    expect(page.get_by_label("Date of the decision")).to_have_value(day(-3))
