import datetime

import pytest
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from agencies.models import Role
from core.models import AuditEvent
from people.models import Person
from people.names import name_key
from people.search import parse_person_search
from people.selectors import PERSON_SEARCH_LIMIT, person_search
from people.services import case_restrict
from tests import factories

pytestmark = pytest.mark.django_db


def on_case(case, **person):
    found = factories.PersonFactory(agency=case.agency, **person)
    factories.CaseMemberFactory(case=case, person=found)
    return found


def names(result) -> list[str]:
    return [f"{p.given_name} {p.family_name}" for p in result.people]


class TestNameKey:
    @pytest.mark.parametrize(
        ("one", "other"),
        [
            ("Smith", "Smyth"),
            ("Catherine", "Katherine"),
            ("Phillips", "Filips"),
            ("Jon", "John"),
            ("Smith-Jones", "smith jones"),
        ],
    )
    def test_names_that_sound_alike_share_a_key(self, one, other):
        assert name_key(one) == name_key(other)

    @pytest.mark.parametrize(("one", "other"), [("Smith", "Brown"), ("Leo", "Mia")])
    def test_names_that_sound_different_do_not(self, one, other):
        assert name_key(one) != name_key(other)

    # Each example writes to the database, whose speed on a busy machine is no test of the key.
    @settings(deadline=None, max_examples=50)
    @given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz -'ABCXYZ", max_size=30))
    def test_the_database_computes_the_same_key_as_python(self, name):
        # Hypothesis examples share one database transaction, so each one cleans up after itself.
        agency = factories.AgencyFactory()
        person = Person.objects.create(
            agency=agency, kind=Person.Kind.ADULT, given_name=name or "x", family_name="Doe"
        )
        person.refresh_from_db()
        assert person.given_name_key == name_key(name or "x")
        person.delete()


class TestParse:
    def test_reads_a_name_and_a_day_first_date(self):
        terms = parse_person_search("Amy  Smith 12/03/2015")
        assert terms.words == ["amy", "smith"]
        assert terms.born_on == datetime.date(2015, 3, 12)

    @pytest.mark.parametrize("written", ["2015-03-12", "12.3.2015", "12 March 2015", "12 mar 2015"])
    def test_reads_dates_as_people_write_them(self, written):
        assert parse_person_search(written).born_on == datetime.date(2015, 3, 12)

    def test_reads_an_nhs_number_written_with_spaces_as_one_identifier(self):
        assert parse_person_search("943 476 5919").identifiers == ["9434765919"]

    def test_an_impossible_date_is_reported_not_searched(self):
        terms = parse_person_search("31/02/2015")
        assert terms.born_on is None
        assert terms.problems == ["“31/02/2015” is not a real date."]


class TestPersonSearch:
    def test_finds_by_exact_name_first_then_sound_alike(self, case, worker):
        on_case(case, given_name="Amy", family_name="Smith")
        on_case(case, given_name="Amy", family_name="Smyth")
        on_case(case, given_name="Amy", family_name="Brown")
        result = person_search(worker, query="amy smith")
        assert names(result) == ["Amy Smith", "Amy Smyth"]
        assert [p.similar_name for p in result.people] == [False, True]

    def test_finds_part_of_a_double_barrelled_name(self, case, worker):
        on_case(case, given_name="Zara", family_name="Smith-Jones")
        assert names(person_search(worker, query="Jones")) == ["Zara Smith-Jones"]

    def test_finds_by_known_as(self, case, worker):
        on_case(case, given_name="Alexander", known_as="Sasha", family_name="Okafor")
        assert names(person_search(worker, query="sasha")) == ["Alexander Okafor"]

    def test_finds_by_date_of_birth_and_name_together(self, case, worker):
        on_case(
            case, given_name="Ava", family_name="Hall", date_of_birth=datetime.date(2015, 3, 12)
        )
        on_case(case, given_name="Ava", family_name="Hill", date_of_birth=datetime.date(2016, 1, 2))
        assert names(person_search(worker, query="ava 12/03/2015")) == ["Ava Hall"]
        assert names(person_search(worker, query="2016-01-02")) == ["Ava Hill"]

    def test_finds_by_identifiers(self, case, worker):
        on_case(case, given_name="Noah", upn="A123456789012", nhs_number="9434765919")
        assert names(person_search(worker, query="a123456789012")) == ["Noah Testington"]
        assert names(person_search(worker, query="943 476 5919")) == ["Noah Testington"]
        assert "Noah Testington" in names(person_search(worker, query=case.reference.lower()))

    def test_lists_only_the_cases_the_user_may_open(self, case, worker, team):
        person = on_case(case, given_name="Mo", family_name="Farah")
        other_team_case = factories.CaseFactory(agency=case.agency)
        factories.CaseMemberFactory(case=other_team_case, person=person)
        [found] = person_search(worker, query="farah").people
        assert [m.case_id for m in found.visible_memberships] == [case.pk]

    def test_never_finds_people_on_cases_out_of_reach(self, case, worker):
        elsewhere = factories.CaseFactory()  # another agency
        factories.CaseMemberFactory(
            case=elsewhere,
            person=factories.PersonFactory(agency=elsewhere.agency, family_name="Zed"),
        )
        restricted = factories.CaseFactory(team=case.team)
        factories.CaseMemberFactory(
            case=restricted,
            person=factories.PersonFactory(agency=case.agency, given_name="Ola", family_name="Zed"),
        )
        manager = factories.UserFactory(team=case.team, role=Role.TEAM_MANAGER)
        case_restrict(actor=manager, case=restricted, reason="A relative of staff")
        assert person_search(worker, query="zed").people == []
        assert names(person_search(manager, query="zed")) == ["Ola Zed"]

    def test_shows_the_closest_matches_up_to_the_limit(self, case, worker):
        for number in range(PERSON_SEARCH_LIMIT + 1):
            on_case(case, given_name=f"Kid{'x' * (number % 3)}", family_name="Many")
        result = person_search(worker, query="many")
        assert len(result.people) == PERSON_SEARCH_LIMIT
        assert result.more

    def test_query_count_does_not_grow_with_results(self, case, worker, django_assert_num_queries):
        for _ in range(10):
            other = factories.CaseFactory(team=case.team)
            factories.CaseMemberFactory(
                case=other, person=on_case(case, family_name="Count", given_name="Kim")
            )
        with django_assert_num_queries(2):
            result = person_search(worker, query="kim count")
        assert len(result.people) == 10
        # An identifier is looked up first: two more queries, whoever holds it.
        with django_assert_num_queries(4):
            result = person_search(worker, query=case.reference)
        assert len(result.people) == 11  # and the case's child, Leo


class TestSearchPage:
    def test_shows_results_and_audits_the_search(self, client, case, worker):
        on_case(case, given_name="Amy", family_name="Smyth")
        client.force_login(worker)
        response = client.get(reverse("people:search"), {"q": "amy smith"})
        assert response.status_code == 200
        assert "Amy Smyth" in response.text and "Similar name" in response.text
        event = AuditEvent.objects.get(verb="people.searched")
        assert event.actor == worker and event.changes == {"query": "amy smith", "found": 1}

    def test_htmx_gets_only_the_results(self, client, case, worker):
        client.force_login(worker)
        response = client.get(reverse("people:search"), {"q": "leo"}, HTTP_HX_REQUEST="true")
        assert "<h1>" not in response.text and "Leo Testington" in response.text

    def test_empty_search_explains_and_is_not_audited(self, client, worker):
        client.force_login(worker)
        response = client.get(reverse("people:search"))
        assert "You will find the children and adults" in response.text
        assert not AuditEvent.objects.filter(verb="people.searched").exists()

    def test_administrators_who_open_no_cases_cannot_search(self, client, team):
        client.force_login(factories.UserFactory(team=team, role=Role.ADMINISTRATOR))
        assert client.get(reverse("people:search"), {"q": "leo"}).status_code == 403
