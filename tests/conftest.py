import pytest
from django.core.cache import cache
from django.core.management import call_command

from agencies.models import Role
from tests import factories


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache: API rate limits and kept measures' month-ends are
    kept there, under keys (record IDs) a later test's records may reuse."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def shared_cache(settings):
    """Django's cache in the database's table, as production has it: one that every process
    (the server's, the background worker's) reads and writes."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "threefold_cache",
        }
    }
    call_command("createcachetable", verbosity=0)
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _uploads_in_tmp(settings, tmp_path):
    """Children's pictures go to a throwaway folder, never the project's uploads folder. MEDIA_ROOT
    follows it, as in settings, so documents read the pictures through default storage."""
    settings.THREEFOLD_UPLOAD_ROOT = tmp_path / "uploads"
    settings.MEDIA_ROOT = settings.THREEFOLD_UPLOAD_ROOT
    return settings.THREEFOLD_UPLOAD_ROOT


@pytest.fixture
def team(db):
    return factories.TeamFactory()


@pytest.fixture
def worker(team):
    return factories.UserFactory(team=team, role=Role.SOCIAL_WORKER)


@pytest.fixture
def manager(team):
    return factories.UserFactory(team=team, role=Role.TEAM_MANAGER)


@pytest.fixture
def case(team, worker):
    case = factories.CaseFactory(team=team)
    factories.AllocationFactory(case=case, worker=worker)
    child = factories.PersonFactory(agency=case.agency, given_name="Leo")
    factories.CaseMemberFactory(case=case, person=child)
    return case


@pytest.fixture
def child(case):
    return case.members.get(given_name="Leo")


@pytest.fixture
def draft_map(case, worker):
    from practice.services import map_start

    return map_start(actor=worker, case=case, purpose="mapping", held_on=case.opened_on)
