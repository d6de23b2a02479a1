import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from people.models import Person
from tests.factories import AgencyFactory, PersonFactory

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


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the array form is PostgreSQL's")
def test_on_postgresql_thousands_of_values_go_as_one_array():
    values = [f"P{n}" for n in range(2000)]
    with CaptureQueriesContext(connection) as queries:
        list(Person.objects.filter(upn__any_of=values))
    (query,) = queries.captured_queries
    assert "= ANY(" in query["sql"] and query["sql"].count("P1999") == 1
