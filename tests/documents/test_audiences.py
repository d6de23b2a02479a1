"""Who reaches the URLs added with family documents and the plain-language check, checked the
way tests/threefold/test_authorisation_matrix.py checks every URL (these rows belong in its
EXPECTED table too)."""

import pytest
from django.urls import reverse

from agencies.models import Role
from practice import services
from tests import factories
from tests.practice.test_services import make_finalisable

pytestmark = pytest.mark.django_db

CASE_READERS = {
    "social_worker",
    "team_manager",
    "conference_chair",
    "practice_lead",
    "senior_leader",
    "performance_analyst",
}
CASE_RECORDERS = {"social_worker", "team_manager", "conference_chair"}

EXPECTED = {
    "documents:map_pdf": (CASE_READERS, None),
    "documents:map_docx": (CASE_READERS, None),
    "practice:guidance": (CASE_RECORDERS, None),
    "practice:plain_language_terms": ({"practice_lead"}, {"practice_lead"}),
}


@pytest.fixture
def world(worker, manager, case, child):
    agency = case.agency
    users = {
        role: factories.UserFactory(team=None, agency=agency, role=role)
        for role in [
            "conference_chair",
            "practice_lead",
            "senior_leader",
            "performance_analyst",
            "administrator",
        ]
    }
    users["social_worker"], users["team_manager"] = worker, manager
    map_ = services.map_start(actor=worker, case=case, purpose="mapping", held_on=case.opened_on)
    make_finalisable(map_, worker)
    return users, case, map_


def url_for(name, case, map_):
    if name == "practice:plain_language_terms":
        return reverse(name)
    return reverse(name, args=[case.pk, map_.pk])


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_role_gets_exactly_the_access_declared(client, world, name):
    users, case, map_ = world
    get_roles, post_roles = EXPECTED[name]
    url = url_for(name, case, map_)
    for role, user in users.items():
        client.force_login(user)
        status = client.get(url).status_code
        assert (status < 400) == (role in get_roles), f"GET {url} as {role}: {status}"
        if role not in (post_roles or set()):
            status = client.post(url, {}).status_code
            assert status in {403, 404, 405}, f"POST {url} as {role}: {status}"


@pytest.mark.parametrize(
    "name", sorted(n for n in EXPECTED if n != "practice:plain_language_terms")
)
def test_another_agency_never_reaches_a_case(client, world, name):
    _, case, map_ = world
    url = url_for(name, case, map_)
    for role in Role.values:
        client.force_login(factories.UserFactory(role=role))
        assert client.get(url).status_code == 404, f"GET {url} as outside {role}"
        assert client.post(url, {}).status_code == 404, f"POST {url} as outside {role}"


def test_a_practice_lead_elsewhere_sees_only_their_own_list(client, world):
    users, case, map_ = world
    outsider = factories.UserFactory(role=Role.PRACTICE_LEAD)
    client.force_login(outsider)
    html = client.get(reverse("practice:plain_language_terms")).content.decode()
    assert outsider.agency.name in html and case.agency.name not in html
