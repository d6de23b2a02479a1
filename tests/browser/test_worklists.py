"""A worker reads My work and says why something is late (with and without JavaScript); their
manager reads the team's work; with axe-core checks."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from agencies.models import Role
from tests import factories
from tests.browser.test_map_journey import (
    assert_accessible,
    family,  # noqa: F401 - a fixture
    sign_in,
)
from tests.timescales import fake_events
from tests.timescales.fake_events import event, record
from timescales import services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def deadlines(family, settings):  # noqa: F811
    """Sam's case has a referral decision overdue, one due tomorrow or so, and one done."""
    settings.THREEFOLD_PROCESS_EVENTS = fake_events.PATH
    fake_events.EVENTS.clear()
    worker, case = family
    today = timezone.localdate()
    record(
        case,
        event("referral_received", today - datetime.timedelta(days=14), "referral:1"),
        event("referral_received", today - datetime.timedelta(days=5), "referral:2"),
        event("referral_decided", today - datetime.timedelta(days=4), "referral:2"),
        event("referral_received", today, "referral:3"),
    )
    services.deadlines_refresh(case=case)
    yield worker, case
    fake_events.EVENTS.clear()


def test_worker_reads_my_work_and_says_why_something_is_late(page, live_server, deadlines):
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/my-work/")
    expect(page.get_by_role("heading", level=1, name="My work")).to_be_visible()
    expect(page.get_by_role("heading", name="Overdue (1)")).to_be_visible()
    expect(page.get_by_role("heading", name="Due in the next 7 days (1)")).to_be_visible()
    expect(page.get_by_role("heading", name="Done in the last 14 days (1)")).to_be_visible()
    assert_accessible(page, "my work")

    overdue = page.locator(".deadline--overdue")
    overdue.locator("summary").click()
    overdue.get_by_label("Why is it overdue?").fill("Mum asked to meet after the school holiday.")
    overdue.get_by_role("button", name="Save the reason").click()
    expect(page.locator(".deadline--overdue")).to_contain_text(
        "Why it is late: Mum asked to meet after the school holiday."
    )
    expect(page.locator(".deadline--overdue")).to_contain_text("Saved the reason.")
    assert_accessible(page, "my work after saving a reason")

    # Each item opens the step that does the work, on the case's statutory process page.
    page.locator(".deadline--overdue").get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Statutory process")
    assert "#step-" in page.url


def test_a_reason_without_javascript(page_without_js, live_server, deadlines):
    page = page_without_js
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/my-work/")
    overdue = page.locator(".deadline--overdue")
    overdue.locator("summary").click()
    overdue.get_by_role("button", name="Save the reason").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    page.get_by_label("Why is it overdue?").fill("The family were away.")
    page.get_by_role("button", name="Save the reason").click()
    expect(page.get_by_role("heading", level=1, name="My work")).to_be_visible()
    expect(page.locator(".deadline--overdue")).to_contain_text("The family were away.")


def test_manager_reads_the_teams_work(page, live_server, deadlines):
    worker, case = deadlines
    factories.UserFactory(username="mo", team=case.team, role=Role.TEAM_MANAGER)
    factories.CaseFactory(team=case.team, name="Unheld family")
    page.goto(f"{live_server.url}/")
    page.get_by_label("Username").fill("mo")
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{live_server.url}/team-work/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Team work")
    expect(page.get_by_role("heading", name="Cases breaching a timescale (1)")).to_be_visible()
    expect(page.get_by_role("heading", name="Open cases nobody holds (1)")).to_be_visible()
    expect(page.locator("#team-worklist")).to_contain_text("Unheld family")
    expect(page.locator("#team-worklist")).to_contain_text("Held by Sam Reid")
    assert_accessible(page, "team work")


def test_practice_lead_changes_the_timescales(page, live_server, deadlines):
    worker, case = deadlines
    factories.UserFactory(username="pat", team=None, agency=case.agency, role=Role.PRACTICE_LEAD)
    page.goto(f"{live_server.url}/")
    page.get_by_label("Username").fill("pat")
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{live_server.url}/timescales/")
    expect(page.get_by_role("heading", level=1, name="Statutory timescales")).to_be_visible()
    assert_accessible(page, "timescales")
    page.get_by_label("Visits to a child on a child protection plan").fill("0")
    page.get_by_role("button", name="Save the timescales").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert_accessible(page, "timescales with an error")
    page.get_by_label("Visits to a child on a child protection plan").fill("15")
    page.get_by_label("Wales").check()
    page.get_by_role("button", name="Save the timescales").click()
    expect(page.get_by_text("Saved the timescales.")).to_be_visible()
