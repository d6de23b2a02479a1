"""axe-core on the pages not already checked along the journeys: no violations anywhere."""

import pytest

from practice import services
from tests.browser.test_map_journey import assert_accessible, family, sign_in  # noqa: F401
from tests.practice.test_services import make_finalisable

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_secondary_pages_have_no_accessibility_violations(page, live_server, family):  # noqa: F811
    from agencies.models import Role
    from tests import factories

    worker, case = family
    first = services.map_start(actor=worker, case=case, purpose="mapping", held_on=case.opened_on)
    services.map_entry_add(
        actor=worker, map_=first, category="existing_strength", text="Grandma helps."
    )
    make_finalisable(first, worker)
    services.map_finalise(actor=worker, map_=first, expected_revision=first.revision)
    second = services.map_start(
        actor=worker, case=case, purpose="core_group", held_on=case.opened_on
    )
    entry = second.entries.get()
    services.map_entry_update(
        actor=worker, entry=entry, expected_revision=1, text="Grandma helps daily."
    )
    manager = factories.UserFactory(username="kim", team=case.team, role=Role.TEAM_MANAGER)

    sign_in(page, live_server)
    base = f"{live_server.url}/cases/{case.pk}"
    for path in [
        f"/maps/compare/?older={first.pk}&newer={second.pk}",
        f"/maps/{first.pk}/print/",
        f"/maps/{second.pk}/history/",
        f"/maps/{second.pk}/entries/{entry.pk}/edit/",
        f"/maps/{second.pk}/danger-statements/{second.danger_statements.first().pk}/edit/",
    ]:
        page.goto(base + path)
        assert_accessible(page, path)
    page.goto(f"{live_server.url}/accounts/")
    assert_accessible(page, "account")

    page.get_by_role("button", name="Sign out", exact=True).click()
    sign_in_as_manager = page.goto(f"{live_server.url}/accounts/login/")
    assert sign_in_as_manager.ok
    page.get_by_label("Username").fill(manager.username)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    for path in ["/allocate/", "/access/", "/restriction/", "/delete/"]:
        page.goto(base + path)
        assert_accessible(page, path)
    page.goto(f"{live_server.url}/break-glass/report/")
    assert_accessible(page, "break-glass report")
