"""A worker builds the safety network, writes and agrees a safety plan with two rules, records
a network check-in, and sees it all on the case page; with axe-core checks."""

import datetime

import pytest
from playwright.sync_api import expect

from practice import services as practice_services
from practice.models import Map
from tests.browser.test_map_journey import (
    assert_accessible,
    download,
    family,  # noqa: F401 - a fixture
    open_form,
    sign_in,
    start_first_map,
)
from tests.documents.reading import docx_text, pdf_text
from tests.practice.test_services import GOAL, STATEMENT

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def add_member(page, name, kind, relationship, *, told_by=""):
    open_form(page, "Add someone to the network")
    form = page.locator("details", has=page.locator("summary", has_text="Add someone to the"))
    form.get_by_label("Name", exact=True).fill(name)
    form.get_by_label("Who are they to the family?").select_option(kind)
    form.get_by_label("How they know the children or family").fill(relationship)
    form.get_by_label("Leo Testington").check()
    if told_by:
        form.get_by_label("They have been told about the worries").check()
        form.get_by_label("When were they told?").fill(datetime.date.today().isoformat())
        form.get_by_label("Who told them?").fill(told_by)
    else:
        # The last member's words were saved: the draft store must not bring them back here.
        expect(form.get_by_label("Who told them?")).to_have_value("")
    form.get_by_role("button", name="Add to the network").click()
    expect(page.locator("#network-members .network-card", has_text=name)).to_be_visible()


def write_rule(page, text, who, when, how):
    open_form(page, "Add a rule")
    form = page.locator("#plan-rules details.add-form")
    form.get_by_label("The rule, in the family's own words").fill(text)
    form.get_by_label("Who does it?").fill(who)
    form.get_by_label("When?").fill(when)
    form.get_by_label("How will everyone know it is happening?").fill(how)
    form.get_by_label("From map 1:").check()
    form.get_by_label("Grandma Pat (Mum's mum)").check()
    form.get_by_role("button", name="Add the rule").click()
    expect(page.locator("#plan-rules .rules")).to_contain_text(text)


def test_worker_builds_the_network_agrees_a_plan_and_records_a_check_in(
    page,
    live_server,
    family,  # noqa: F811
):
    worker, case = family
    sign_in(page, live_server)
    start_first_map(page)
    practice_services.danger_statement_add(
        actor=worker, map_=Map.objects.get(case=case), statement=STATEMENT, goal=GOAL
    )

    page.goto(f"{live_server.url}/cases/{case.pk}/network/")
    expect(page.get_by_role("heading", level=1, name="Safety network")).to_be_visible()
    add_member(page, "Grandma Pat", "family", "Mum's mum", told_by="Jade (Mum), with Sam")
    add_member(page, "Mr Ahmed", "professional", "Leo's teacher")
    counts = page.locator(".network__counts")
    expect(counts).to_contain_text("2 people in the network now, 1 told about the worries")
    expect(page.locator(".network-card", has_text="Grandma Pat")).to_contain_text(
        "by Jade (Mum), with Sam"
    )
    assert_accessible(page, "safety network")

    page.get_by_role("link", name="Safety plans").click()
    page.get_by_role("button", name="Start the safety plan").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Safety plan, version 1")
    write_rule(
        page,
        "Dad does not drink when he is looking after Leo.",
        "Dad",
        "Every day",
        "Grandma Pat pops in after school and texts Sam on Fridays.",
    )
    write_rule(
        page,
        "If Mum and Dad start to argue, Dad goes for a walk and Leo goes to Grandma's.",
        "Mum and Dad",
        "Whenever an argument starts",
        "Leo tells Grandma Pat, and Mum tells Sam at each visit.",
    )
    expect(page.locator("#plan-rules .rule")).to_have_count(2)

    open_form(page, "Write what happens if a rule is broken")
    details = page.locator("#plan-details")
    details.get_by_label("What will everyone do if a rule is broken?").fill(
        "Grandma Pat takes Leo to hers and rings Sam the same day."
    )
    details.get_by_label("Who to call if anyone is worried").fill("Sam: 01632 960000")
    details.get_by_role("button", name="Save").click()
    expect(page.locator("#plan-details")).to_contain_text("rings Sam the same day")
    expect(page.locator("#plan-agree .checklist")).to_have_count(0)
    assert_accessible(page, "draft safety plan")

    agree = page.locator("#plan-agree")
    review_on = datetime.date.today() + datetime.timedelta(days=42)
    agree.get_by_label("When will it be reviewed?").fill(review_on.isoformat())
    agree.get_by_label("Who agreed it? Names and roles").fill("Jade (Mum), Dad, Sam")
    agree.get_by_label("Grandma Pat (Mum's mum)").check()
    agree.get_by_role("button", name="Record that the plan is agreed").click()
    expect(page.get_by_text("Safety plan 1 is agreed and is now in use.")).to_be_visible()
    expect(page.locator("#plan-summary")).to_contain_text("Agreed")

    open_form(page, "Record a check-in")
    check_ins = page.locator("#plan-check-ins")
    check_ins.get_by_label("Who checked in?").select_option(label="Grandma Pat (Mum's mum)")
    check_ins.get_by_label("What did they see?").fill("Dad was sober and cooked tea for Leo.")
    check_ins.get_by_role("button", name="Record the check-in").click()
    expect(page.locator("#plan-check-ins table")).to_contain_text("Dad was sober")
    assert_accessible(page, "agreed safety plan")

    open_form(page, "Record a review")
    reviews = page.locator("#plan-reviews")
    reviews.get_by_label("When was the review?").fill(datetime.date.today().isoformat())
    reviews.get_by_label("The plan is working: carry on").check()
    reviews.get_by_label("Who took part? (optional)").fill("Jade, Dad, Grandma Pat and Sam")
    next_review = datetime.date.today() + datetime.timedelta(days=56)
    reviews.get_by_label("Next review (optional)").fill(next_review.isoformat())
    reviews.get_by_role("button", name="Record the review").click()
    expect(page.locator("#plan-reviews table")).to_contain_text("Jade, Dad, Grandma Pat and Sam")
    expect(page.locator("#plan-summary")).to_contain_text("Agreed and reviewed")
    review_on = next_review
    text = pdf_text(download(page, "Download the plan for the family (PDF)"))
    assert "Our safety plan" in text and "Dad does not drink when he is looking after Leo." in text
    assert "Grandma Pat" in docx_text(download(page, "Download as a Word document"))

    page.get_by_role("link", name="Back to the case").click()
    section = page.locator("section#safety")
    expect(section.get_by_role("heading", name="Safety network and safety plan")).to_be_visible()
    expect(section).to_contain_text("2 people in the network, 1 told about the worries")
    expect(section).to_contain_text(f"Next review: {review_on:%-d %B %Y}")
    expect(section.get_by_role("link", name="Open the safety plan")).to_be_visible()
