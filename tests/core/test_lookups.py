import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from people.models import CaseMember, Person
from tests.factories import AgencyFactory, CaseMemberFactory, PersonFactory

pytestmark = pytest.mark.django_db


def test_any_of_finds_what_in_finds():
    agency = AgencyFactory()
    people = [PersonFactory(agency=agency, given_name=name) for name in ["Ada", "Bo", "Cy"]]
    names = ["Ada", "Cy", "Nobody"]
    assert (
        set(Person.objects.filter(given_name__any_of=names))
        == set(Person.objects.filter(given_name__in=names))
        == {people[0], people[2]}
    )
    keys = [people[1].pk, 10**9]
    assert list(Person.objects.filter(pk__any_of=keys)) == [people[1]]
    assert not Person.objects.filter(given_name__any_of=[]).exists()
    assert not Person.objects.filter(given_name__any_of=[None]).exists()
    assert set(Person.objects.exclude(given_name__any_of=["Ada", None])) == set(people[1:])


def test_any_of_works_on_a_foreign_key_as_in_does():
    member = CaseMemberFactory()
    CaseMemberFactory()
    found = CaseMember.objects.filter(case_id__any_of=[member.case_id, 10**9])
    assert list(found) == [member]
    assert list(CaseMember.objects.filter(case__any_of=[member.case])) == [member]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the array form is PostgreSQL's")
def test_on_postgresql_thousands_of_values_go_as_one_array():
    values = [f"P{n}" for n in range(2000)]
    with CaptureQueriesContext(connection) as queries:
        list(Person.objects.filter(upn__any_of=values))
    (query,) = queries.captured_queries
    assert "= ANY(" in query["sql"] and query["sql"].count("P1999") == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the array form is PostgreSQL's")
def test_on_postgresql_the_array_has_the_type_of_the_column():
    """Small numbers would otherwise make an int2[] that PostgreSQL compares with a bigint
    column value by value, instead of using the plan `IN` gets."""
    with CaptureQueriesContext(connection) as queries:
        list(CaseMember.objects.filter(case_id__any_of=[1, 2, 3]))
    assert "::bigint[])" in queries.captured_queries[0]["sql"]
