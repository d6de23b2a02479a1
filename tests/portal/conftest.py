import datetime

import pytest
from django.utils import timezone

from portal import services
from portal.access import SESSION_ACCESS
from portal.models import Scope
from tests import factories

FAMILY_SCOPES = [Scope.WORDS_AND_PICTURES, Scope.SAFETY_PLAN, Scope.MAP_SUMMARY]
LINK_BASE = "http://testserver/family/sign-in/link/"


@pytest.fixture
def world(case, worker, child):
    return factories.make_portal_world(actor=worker, case=case, child=child)


def invite(worker, case, *, delivery="print", email="", expires_in=30, **who):
    return services.portal_invitation_create(
        actor=worker,
        case=case,
        expires_on=timezone.localdate() + datetime.timedelta(days=expires_in),
        delivery=delivery,
        email=email,
        link_base=LINK_BASE,
        **who,
    )


@pytest.fixture
def parent_invite(worker, case, world):
    return invite(worker, case, kind="parent", person=world["parent"], scopes=FAMILY_SCOPES)


@pytest.fixture
def member_invite(worker, case, world):
    return invite(
        worker,
        case,
        kind="network_member",
        network_member=world["grandma"],
        scopes=[Scope.PLAN_RULES_AND_CHECK_IN],
    )


def sign_in(client, code):
    """Sign a test client in to the portal with a printed code."""
    response = client.post("/family/sign-in/", {"code": code})
    assert response.status_code == 302, response.content[:500]
    assert SESSION_ACCESS in client.session
    return response


@pytest.fixture
def parent_client(client, parent_invite):
    sign_in(client, parent_invite[1])
    return client


@pytest.fixture
def member_client(client, member_invite):
    sign_in(client, member_invite[1])
    return client
