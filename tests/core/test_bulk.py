import datetime

import pytest
from django.db import transaction
from django.utils import timezone

from core.bulk import insert_objects, insert_rows
from people.models import Person
from tests.factories import AgencyFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


def _people(agency, count):
    return [
        Person(
            agency=agency,
            kind=Person.Kind.CHILD,
            given_name=f"Ada{n}",
            family_name="O'Neill\tLine",  # a tab must survive COPY's text format
            date_of_birth=datetime.date(2015, 3, n + 1),
            disabilities=["NONE"] if n % 2 else [],
        )
        for n in range(count)
    ]


def test_rows_are_stored_as_the_orm_would_store_them_with_their_keys():
    agency = AgencyFactory()
    people = _people(agency, 3)
    with transaction.atomic():
        insert_objects(Person, people)
    stored = Person.objects.filter(agency=agency).order_by("pk")
    assert [p.pk for p in stored] == [p.pk for p in people]
    first = stored[0]
    assert (first.given_name, first.family_name) == ("Ada0", "O'Neill\tLine")
    assert first.date_of_birth == datetime.date(2015, 3, 1)
    assert [p.disabilities for p in stored] == [[], ["NONE"], []]
    assert first.created_at is not None and first.updated_at is not None
    # The database computes the sound-alike keys search uses, as for any other row.
    assert first.given_name_key


def test_the_orm_numbers_on_after_the_reserved_keys():
    agency = AgencyFactory()
    with transaction.atomic():
        insert_objects(Person, _people(agency, 2))
    later = PersonFactory(agency=agency)
    assert later.pk > max(Person.objects.exclude(pk=later.pk).values_list("pk", flat=True))


def test_each_row_gets_a_created_row_of_record_history():
    agency = AgencyFactory()
    importer = UserFactory(agency=agency)
    when = timezone.now()
    people = _people(agency, 2)
    with transaction.atomic():
        insert_objects(
            Person,
            people,
            history_user_id=importer.pk,
            history_reason="Imported from LEGACY",
            history_date=when,
        )
    history = Person.history.filter(id=people[1].pk).get()
    assert history.history_type == "+"
    assert history.history_user_id == importer.pk
    assert history.history_change_reason == "Imported from LEGACY"
    assert history.history_date == when
    assert history.given_name == "Ada1" and history.disabilities == ["NONE"]


def test_plain_rows_take_defaults_and_stamps_and_come_back_with_their_keys():
    agency = AgencyFactory()
    with transaction.atomic():
        keys = insert_rows(
            Person,
            [
                {"agency_id": agency.pk, "kind": Person.Kind.CHILD, "given_name": name}
                for name in ["Bea", "Cal"]
            ],
        )
    stored = Person.objects.in_bulk(keys)
    assert [stored[key].given_name for key in keys] == ["Bea", "Cal"]
    bea = stored[keys[0]]
    assert (bea.sex, bea.disabilities, bea.family_name) == ("U", [], "")
    assert bea.created_at is not None


def test_plain_rows_can_get_their_created_row_of_record_history():
    agency = AgencyFactory()
    importer = UserFactory(agency=agency)
    when = timezone.now()
    with transaction.atomic():
        (key,) = insert_rows(
            Person,
            [{"agency_id": agency.pk, "kind": Person.Kind.CHILD, "given_name": "Dee"}],
            history_user_id=importer.pk,
            history_reason="Imported from LEGACY",
            history_date=when,
        )
    history = Person.history.get(id=key)
    assert (history.history_type, history.history_user_id) == ("+", importer.pk)
    assert (history.given_name, history.sex, history.history_date) == ("Dee", "U", when)


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_it_refuses_and_writes_nothing():
    agency = AgencyFactory()
    with pytest.raises(RuntimeError, match="inside a transaction"):
        insert_objects(Person, _people(agency, 1))
    assert not Person.objects.filter(agency=agency).exists()


def test_any_text_and_json_comes_back_as_written_in_the_record_and_its_history():
    agency = AgencyFactory()
    awkward = 'Zoë \\ "Quinn"\nO\'Neill\r\tÅsa'
    with transaction.atomic():
        (key,) = insert_rows(
            Person,
            [
                {
                    "agency_id": agency.pk,
                    "kind": Person.Kind.CHILD,
                    "given_name": awkward,
                    "expected_date_of_birth": None,
                    "disabilities": ["NONE", {"note": awkward}],
                }
            ],
            history_user_id=None,
            history_date=timezone.now(),
        )
    for stored in (Person.objects.get(pk=key), Person.history.get(id=key)):
        assert stored.given_name == awkward
        assert stored.disabilities == ["NONE", {"note": awkward}]
        assert stored.expected_date_of_birth is None
