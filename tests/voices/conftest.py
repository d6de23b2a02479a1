import pytest

from tests import factories


@pytest.fixture
def parent(case):
    mum = factories.PersonFactory(
        agency=case.agency, kind="adult", given_name="Jade", date_of_birth=None
    )
    factories.CaseMemberFactory(case=case, person=mum)
    return mum
