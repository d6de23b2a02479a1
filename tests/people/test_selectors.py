"""The case's family as every page and form lists it."""

import datetime

import pytest

from people.models import Person
from people.selectors import case_children, case_family, case_people
from tests import factories

pytestmark = pytest.mark.django_db


def test_children_are_listed_eldest_first_and_twins_by_name_everywhere(case):
    born = datetime.date(2020, 6, 1)
    for name, day in [("Zara", born), ("Amir", born), ("Bea", datetime.date(2016, 2, 1))]:
        person = factories.PersonFactory(agency=case.agency, given_name=name, date_of_birth=day)
        factories.CaseMemberFactory(case=case, person=person)
    mum = factories.PersonFactory(
        agency=case.agency, kind=Person.Kind.ADULT, given_name="Anna", date_of_birth=None
    )
    factories.CaseMemberFactory(case=case, person=mum)

    children = [p.given_name for p in case_children(case)]
    assert children == ["Bea", "Leo", "Amir", "Zara"]
    assert [p.given_name for p in case_family(case)] == [*children, "Anna"]
    # The case page reads the family its own way, in one query; the order must be the same.
    assert [p.given_name for p in case_people(case)["children"]] == children
