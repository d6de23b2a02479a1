import pytest

from learning import anonymity
from safety import services as safety_services
from tests import factories

pytestmark = pytest.mark.django_db


def test_names_of_the_cases_people_network_and_workers_are_checked(case, worker):
    safety_services.network_member_add(
        actor=worker, case=case, name="Grandma Pat Doyle", kind="family", relationship="Nan"
    )
    names = anonymity.names_to_avoid(case=case, workers=[worker])
    assert {"Leo", "Pat", "Doyle", case.reference, worker.first_name} <= names
    assert "Grandma" not in names, "a relationship word is not a name"


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Leo drew his house of worries.", ["Leo"]),
        ("LEO drew it.", ["Leo"]),
        ("The boy drew his house of worries.", []),
        ("Leonie drew it.", []),  # a whole word only
        ("A young person scaled it.", []),  # a surname like Young only counts capitalised
        ("Mr Young scaled it.", ["Young"]),
    ],
)
def test_whole_names_are_found_as_written(text, found):
    assert anonymity.names_found(text, {"Leo", "Young"}) == found


def test_an_inquiry_without_a_case_checks_the_workers_names(team):
    worker = factories.UserFactory(team=team, first_name="Siobhan", last_name="Kerr")
    names = anonymity.names_to_avoid(case=None, workers=[worker])
    assert anonymity.names_found("Siobhan's patience made it work.", names) == ["Siobhan"]
