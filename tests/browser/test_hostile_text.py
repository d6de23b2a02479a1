"""Script typed into every free-text field (the map, the network, the safety plan, a child's
words and Words and Pictures) is shown as text and never runs."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_map_journey import family, open_form, sign_in, start_first_map  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAYLOAD = '<img src=x onerror="window.hacked=1"><script>window.hacked=1</script>'


def test_script_payloads_never_run(page, live_server, family):  # noqa: F811
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    sign_in(page, live_server)
    start_first_map(page)

    open_form(page, "Add someone who took part")
    page.locator("#participants").get_by_label("Name").fill(PAYLOAD)
    page.locator("#participants").get_by_label("Organisation (optional)").fill(PAYLOAD)
    page.locator("#participants").get_by_role("button", name="Add").click()

    open_form(page, "Add harm")
    page.locator("#section-harm textarea").fill(PAYLOAD)
    page.get_by_role("button", name="Add harm").click()
    expect(page.locator("#section-harm .entries")).to_contain_text("window.hacked")

    open_form(page, "Add danger statement")
    danger = page.locator("#section-danger_statement")
    for label in [
        "Who is worried?",
        "What are they worried about?",
        "What may happen to the children if nothing changes?",
        "Does anyone disagree? Who? (optional)",
        "What do they say instead? (optional)",
        "Safety goal: what will everyone see instead?",
        "Who will see it?",
    ]:
        danger.get_by_label(label).fill(PAYLOAD)
    danger.get_by_label("For how long?").fill("3")
    danger.get_by_role("button", name="Add danger statement").click()
    expect(page.locator("#section-safety_goal")).to_contain_text("window.hacked")

    open_form(page, "Add a scale judgement")
    scales = page.locator("#scales")
    for label in ["Whose judgement is it?", "Why that number?", "0 means", "10 means"]:
        scales.get_by_label(label, exact=True).fill(PAYLOAD)
    scales.locator("input[name=score][value='5']").check()
    scales.get_by_role("button", name="Add judgement").click()
    expect(scales).to_contain_text("window.hacked")

    page.reload()
    assert page.evaluate("window.hacked") is None
    page.goto(page.url.split("#")[0] + "print/")
    assert page.evaluate("window.hacked") is None
    assert dialogs == []
    expect(page.locator("main")).to_contain_text("<script>window.hacked=1</script>")


def fill_every_text_box(form, payload=PAYLOAD):
    for box in form.locator("input[type=text], input[type=email], input[type=tel], textarea").all():
        if box.is_visible():
            box.fill(payload)


def test_script_payloads_in_the_network_plan_and_childrens_words_never_run(
    page,
    live_server,
    family,  # noqa: F811
):
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    _worker, case = family
    leo = case.members.get(given_name="Leo")
    sign_in(page, live_server)

    page.goto(f"{live_server.url}/cases/{case.pk}/network/")
    open_form(page, "Add someone to the network")
    form = page.locator("details", has=page.locator("summary", has_text="Add someone to the"))
    fill_every_text_box(form)
    form.get_by_label("Who are they to the family?").select_option("family")
    form.get_by_role("button", name="Add to the network").click()
    expect(page.locator("#network-members")).to_contain_text("window.hacked")

    page.get_by_role("link", name="Safety plans").click()
    page.get_by_role("button", name="Start the safety plan").click()
    open_form(page, "Add a rule")
    form = page.locator("#plan-rules details.add-form")
    fill_every_text_box(form)
    form.get_by_role("button", name="Add the rule").click()
    expect(page.locator("#plan-rules .rule")).to_contain_text("window.hacked")

    page.goto(f"{live_server.url}/cases/{case.pk}/children/{leo.pk}/")
    page.get_by_role("link", name="Record Three Houses with Leo").click()
    fill_every_text_box(page.locator("main form").first)
    page.get_by_role("button", name="Save Three Houses").click()
    expect(page.get_by_text("Leo's Three Houses is saved.")).to_be_visible()
    expect(page.locator("main")).to_contain_text("window.hacked")

    page.goto(f"{live_server.url}/cases/{case.pk}/children/{leo.pk}/")
    page.get_by_role("link", name="Write a Words and Pictures for Leo").click()
    fill_every_text_box(page.locator("main form").first)
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator("main")).to_contain_text("<script>window.hacked=1</script>")

    for path in ["network/", "safety-plans/", f"children/{leo.pk}/", ""]:
        page.goto(f"{live_server.url}/cases/{case.pk}/{path}")
        assert page.evaluate("window.hacked") is None, path
    assert dialogs == []
