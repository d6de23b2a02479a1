"""The idle-session warning, and typed text surviving a sign-out."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_map_journey import family, sign_in, start_first_map  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_warning_before_sign_out_and_staying_signed_in(page, live_server, family, settings):  # noqa: F811
    settings.SESSION_COOKIE_AGE = 125  # the warning comes two minutes before: after 5 s
    sign_in(page, live_server)
    warning = page.get_by_role("alertdialog")
    expect(warning).to_contain_text("You will be signed out in 2 minutes", timeout=10_000)
    expect(page.get_by_role("button", name="Stay signed in")).to_be_focused()
    page.get_by_role("button", name="Stay signed in").click()
    expect(warning).to_have_count(0)


def test_typed_text_is_kept_when_the_session_ends(page, live_server, family):  # noqa: F811
    sign_in(page, live_server)
    start_first_map(page)
    map_url = page.url
    page.locator("#section-harm summary").click()
    page.locator("#section-harm textarea").fill("Leo told his teacher about the shouting.")
    page.context.clear_cookies(name="sessionid")  # the session ends
    page.get_by_role("button", name="Add harm").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.get_by_label("Username").fill("sam")
    page.get_by_label("Password").fill("correct-horse-battery-staple")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(map_url)
    expect(page.locator("#section-harm textarea")).to_have_value(
        "Leo told his teacher about the shouting."
    )
    expect(page.locator("#section-harm")).to_contain_text("We kept what you were typing")
