"""The case's family as every page and form lists it."""

import datetime

import pytest

from people.models import Person, Relationship
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


def test_the_family_names_each_relationship_from_the_people_it_has_read(
    case, django_assert_num_queries
):
    mum = factories.PersonFactory(
        agency=case.agency, kind=Person.Kind.ADULT, given_name="Anna", date_of_birth=None
    )
    factories.CaseMemberFactory(case=case, person=mum)
    child = case_children(case).get()
    Relationship.objects.create(
        agency=case.agency, person=mum, relative=child, kind=Relationship.Kind.MOTHER
    )
    with django_assert_num_queries(2):  # the members, then how they are related
        family = case_people(case)
        (mother,) = family["relationships"]
        assert (mother.person.given_name, mother.relative.given_name) == ("Anna", child.given_name)
