"""Building the CIN census XML from the record: structure, order, codes, who is included."""

import dataclasses
import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from lxml import etree

from process.models import ChildProtectionPlan, Closure, Conference
from returns import selectors
from returns.cin_census import build_census, census_xml, upn_check_letter
from returns.spec import CIN_2025_26, SPECS, spec_for
from returns.validation import schema_path, validate_schema
from tests import factories

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 4, 10, 9, 0, tzinfo=datetime.UTC)
needs_schema = pytest.mark.skipif(
    not schema_path(CIN_2025_26).exists(), reason="shared statutory data not installed"
)


def census_for(agency, spec=CIN_2025_26):
    return build_census(
        spec=spec, lea=agency.code, records=selectors.census_records(agency=agency, spec=spec)
    )


def xml_for(agency, spec=CIN_2025_26):
    census = census_for(agency, spec)
    return census, etree.fromstring(census_xml(census, created_at=NOW))


def child_node(root, person):
    return root.xpath(f"Children/Child[ChildIdentifiers/LAchildID='{person.pk}']")[0]


def tags(element):
    return [child.tag for child in element]


def test_header_and_element_order():
    world = factories.census_world()
    factories.census_episode(world=world, received_on=datetime.date(2025, 6, 2))
    census, root = xml_for(world["agency"])
    assert tags(root) == ["Header", "Children"]
    assert root.findtext("Header/CollectionDetails/Collection") == "CIN"
    assert root.findtext("Header/CollectionDetails/Year") == "2026"
    assert root.findtext("Header/CollectionDetails/ReferenceDate") == "2026-03-31"
    assert root.findtext("Header/Source/LEA") == "999"
    assert root.findtext("Header/Source/DateTime") == "2026-04-10T09:00:00"
    child = root.find("Children/Child")
    assert tags(child) == ["ChildIdentifiers", "ChildCharacteristics", "CINdetails"]
    assert tags(child.find("ChildIdentifiers")) == [
        "LAchildID",
        "UPNunknown",
        "PersonBirthDate",
        "Sex",
    ]
    details = child.find("CINdetails")
    assert tags(details) == [
        "CINreferralDate",
        "ReferralSource",
        "PrimaryNeedCode",
        "Assessments",
        "Section47",
        "ReferralNFA",
        "ChildProtectionPlans",
    ]
    assert tags(details.find("Section47")) == [
        "S47ActualStartDate",
        "InitialCPCtarget",
        "DateOfInitialCPC",
        "ICPCnotRequired",
    ]
    assert tags(details.find("ChildProtectionPlans")) == [
        "CPPstartDate",
        "InitialCategoryOfAbuse",
        "LatestCategoryOfAbuse",
        "NumberOfPreviousCPP",
    ]
    # The plan starts on the day of the initial conference, recorded inside Section47 (2885).
    assert details.findtext("ChildProtectionPlans/CPPstartDate") == details.findtext(
        "Section47/DateOfInitialCPC"
    )
    assert details.findtext("ReferralNFA") == "0"
    assert details.findtext("Section47/ICPCnotRequired") == "0"
    assert census.counts["children"] == 1 and census.counts["cp_plans"] == 1


def test_code_mapping():
    world = factories.census_world()
    upn = "A" + "202123456789"
    upn = upn_check_letter(upn) + upn[1:]
    child = factories.census_child(
        case=world["case"],
        sex="F",
        ethnicity="MWBC",
        disabilities=["AUT", "COMM"],
        upn=upn.lower(),
        date_of_birth=datetime.date(2015, 3, 1),
    )
    done = factories.census_episode(
        world=world, child=child, received_on=datetime.date(2025, 9, 1), stage="assessment"
    )
    done["referral"].source, done["referral"].primary_need = "6", "N3"
    done["referral"].save()
    _census, root = xml_for(world["agency"])
    node = child_node(root, child)
    assert node.findtext("ChildIdentifiers/UPN") == upn
    assert node.find("ChildIdentifiers/UPNunknown") is None
    assert node.findtext("ChildIdentifiers/Sex") == "F"
    assert node.findtext("ChildCharacteristics/Ethnicity") == "MWBC"
    assert [d.text for d in node.iterfind("ChildCharacteristics/Disabilities/Disability")] == [
        "AUT",
        "COMM",
    ]
    assert node.findtext("CINdetails/ReferralSource") == "6"
    assert node.findtext("CINdetails/PrimaryNeedCode") == "N3"
    factors = node.iterfind("CINdetails/Assessments/FactorsIdentifiedAtAssessment/*")
    assert [f.text for f in factors] == ["3B", "17A"]


def test_spec_is_the_one_place_for_year_changes():
    # Next year is a new spec object: a renamed element flows through the builder unchanged.
    world = factories.census_world()
    factories.census_episode(world=world, received_on=datetime.date(2025, 6, 2), stage="referral")
    older = dataclasses.replace(
        CIN_2025_26,
        sex_element="GenderCurrent",
        sex_codes={"M": "1", "F": "2", "U": "0"},
        child_identifiers=tuple(
            "GenderCurrent" if n == "Sex" else n for n in CIN_2025_26.child_identifiers
        ),
    )
    _census, root = xml_for(world["agency"], older)
    assert root.findtext("Children/Child/ChildIdentifiers/GenderCurrent") == "1"
    assert root.find("Children/Child/ChildIdentifiers/Sex") is None
    assert spec_for(2026) is CIN_2025_26 and list(SPECS) == [2026]
    with pytest.raises(ValueError, match="No CIN census specification"):
        spec_for(2030)


def test_unknown_element_is_refused():
    world = factories.census_world()
    factories.census_episode(world=world, received_on=datetime.date(2025, 6, 2), stage="referral")
    broken = dataclasses.replace(CIN_2025_26, child_identifiers=("LAchildID",))
    census = census_for(world["agency"], broken)
    with pytest.raises(ValueError, match="not in the specification"):
        census_xml(census, created_at=NOW)


def test_inclusion_rules():
    world = factories.census_world()
    case, agency = world["case"], world["agency"]
    closed_before = factories.census_child(case=case, given_name="Before")
    referred_after = factories.census_child(case=case, given_name="After")
    open_from_last_year = factories.census_child(case=case, given_name="Carried")
    nfa = factories.census_child(
        case=case,
        given_name="Nfa",
        date_of_birth=None,
        expected_date_of_birth=datetime.date(2025, 9, 1),
        sex="U",
    )
    # Referred and closed in the previous year: not in the return.
    factories.census_episode(
        world=world,
        child=closed_before,
        received_on=datetime.date(2024, 5, 1),
        stage="referral",
        decision="no_further_action",
    )
    # Referred after the census date: not in the return.
    factories.census_episode(
        world=world, child=referred_after, received_on=datetime.date(2026, 4, 2), stage="referral"
    )
    # Referred last year, still open in this one: in, with last year's CP plan (open) but not
    # its completed section 47 enquiry.
    factories.census_episode(
        world=world, child=open_from_last_year, received_on=datetime.date(2024, 11, 4)
    )
    # Referral with no further action in the year: in, closed on the decision date.
    factories.census_episode(
        world=world,
        child=nfa,
        received_on=datetime.date(2025, 7, 7),
        stage="referral",
        decision="no_further_action",
    )
    census, root = xml_for(agency)
    ids = {c.la_child_id for c in census.children}
    assert ids == {str(open_from_last_year.pk), str(nfa.pk)}
    carried = child_node(root, open_from_last_year)
    assert carried.find("CINdetails/Section47") is None
    assert carried.find("CINdetails/Assessments") is None  # authorised in the previous year
    assert carried.findtext("CINdetails/ChildProtectionPlans/CPPstartDate") == "2024-11-18"
    unborn = child_node(root, nfa)
    assert unborn.findtext("ChildIdentifiers/ExpectedPersonBirthDate") == "2025-09-01"
    assert unborn.findtext("ChildIdentifiers/UPNunknown") == "UN1"
    assert unborn.findtext("CINdetails/ReferralNFA") == "1"
    assert unborn.findtext("CINdetails/CINclosureDate") == "2025-07-07"
    assert unborn.findtext("CINdetails/ReasonForClosure") == "RC7"


def test_dates_after_the_census_date_are_left_out_and_closure_applies():
    world = factories.census_world()
    done = factories.census_episode(world=world, received_on=datetime.date(2026, 3, 20))
    # Everything after 31 March 2026 had not happened at the census date.
    census, root = xml_for(world["agency"])
    details = root.find("Children/Child/CINdetails")
    assert details.find("Section47/DateOfInitialCPC") is None  # held in April
    assert details.find("ChildProtectionPlans") is None  # starts in April
    assert details.findtext("Assessments/AssessmentActualStartDate") == "2026-03-21"
    assert details.find("Assessments/AssessmentAuthorisationDate") is None  # 11 April
    assert details.find("Assessments/FactorsIdentifiedAtAssessment") is None  # rule 8614
    # An approved closure closes the episode with its reason; a plan ending the same day.
    ChildProtectionPlan.objects.filter(pk=done["cp_plan"].pk).delete()
    Conference.objects.filter(pk=done["icpc"].pk).delete()
    s47 = done["s47"]
    s47.conference_needed, s47.outcome = False, "child_in_need"
    s47.save()
    Closure.objects.create(
        agency=world["agency"],
        case=world["case"],
        recorded_by=world["worker"],
        closed_on=datetime.date(2026, 3, 30),
        reason="RC7",
        approved=True,
    )
    census, root = xml_for(world["agency"])
    details = root.find("Children/Child/CINdetails")
    assert details.findtext("CINclosureDate") == "2026-03-30"
    assert details.findtext("ReasonForClosure") == "RC7"
    assert details.findtext("Section47/ICPCnotRequired") == "1"


def test_previous_plans_and_reviews():
    world = factories.census_world()
    first = factories.census_episode(world=world, received_on=datetime.date(2024, 6, 3))
    plan = first["cp_plan"]
    plan.ended_on, plan.end_reason = datetime.date(2025, 1, 6), "no_longer_needed"
    plan.save()
    Closure.objects.create(
        agency=world["agency"],
        case=world["case"],
        recorded_by=world["worker"],
        closed_on=datetime.date(2025, 2, 3),
        reason="RC7",
        approved=True,
    )
    second = factories.census_episode(world=world, received_on=datetime.date(2025, 6, 2))
    Conference.objects.create(
        agency=world["agency"],
        case=world["case"],
        recorded_by=world["worker"],
        child=world["child"],
        kind="review",
        held_on=datetime.date(2025, 9, 8),
        reviewed_plan=second["cp_plan"],
        plan_decided=True,
        category="EMO",
    )
    census, root = xml_for(world["agency"])
    plans = root.findall("Children/Child/CINdetails/ChildProtectionPlans")
    assert len(plans) == 1  # the first episode closed before the year
    assert plans[0].findtext("NumberOfPreviousCPP") == "1"
    assert [r.text for r in plans[0].iterfind("Reviews/CPPreviewDate")] == ["2025-09-08"]


def test_children_whose_episodes_all_ended_before_the_year_are_not_even_read():
    world = factories.census_world()
    gone = factories.census_child(case=world["case"], given_name="Gone")
    old = [
        factories.census_episode(
            world=world, child=gone, received_on=datetime.date(2023, 5, 2), stage="cin_plan"
        ),
        factories.census_episode(
            world=world, received_on=datetime.date(2023, 9, 4), stage="cin_plan"
        ),
    ]
    for episode in old:
        plan = episode["cin_plan"]
        plan.ended_on, plan.end_reason = datetime.date(2024, 1, 29), "needs_met"
        plan.save()
    Closure.objects.create(
        agency=world["agency"],
        case=world["case"],
        recorded_by=world["worker"],
        closed_on=datetime.date(2024, 2, 1),
        reason="RC1",
        approved=True,
    )
    # The case's first child is referred again in the year: in, with the old episode read too.
    factories.census_episode(world=world, received_on=datetime.date(2025, 8, 4), stage="cin_plan")
    records = selectors.census_records(agency=world["agency"], spec=CIN_2025_26)
    assert {r.child_id for r in records.referrals} == {world["child"].pk}
    assert len(records.referrals) == 2 and len(records.cin_plans) == 2
    census = census_for(world["agency"])
    assert [c.la_child_id for c in census.children] == [str(world["child"].pk)]


def test_bounded_queries():
    world = factories.census_world()
    factories.census_episode(world=world, received_on=datetime.date(2025, 6, 2))
    with CaptureQueriesContext(connection) as few:
        census_for(world["agency"])
    for n in range(6):
        child = factories.census_child(case=world["case"], given_name=f"Child{n}")
        factories.census_episode(world=world, child=child, received_on=datetime.date(2025, 7, 1))
        factories.census_episode(
            world=world, child=child, received_on=datetime.date(2025, 5, 1), stage="cin_plan"
        )
    with CaptureQueriesContext(connection) as many:
        census = census_for(world["agency"])
    assert len(census.children) == 7
    assert len(many) == len(few) <= 8


@needs_schema
def test_the_built_file_passes_the_schema():
    world = factories.census_world()
    factories.census_episode(world=world, received_on=datetime.date(2025, 6, 2))
    other = factories.census_child(case=world["case"], given_name="Mia")
    factories.census_episode(
        world=world, child=other, received_on=datetime.date(2025, 6, 2), stage="cin_plan"
    )
    census = census_for(world["agency"])
    assert validate_schema(census_xml(census, created_at=NOW), CIN_2025_26, census) == []


@needs_schema
def test_schema_failures_name_the_child():
    world = factories.census_world()
    factories.census_episode(world=world, received_on=datetime.date(2025, 6, 2))
    census = census_for(world["agency"])
    census.children[0].ethnicity = "XXXX"
    failures = validate_schema(census_xml(census, created_at=NOW), CIN_2025_26, census)
    assert failures and failures[0].rule == "schema"
    assert failures[0].child is census.children[0]


@needs_schema
def test_the_known_good_file_passes_the_schema():
    from returns.validation import statutory_data_dir

    xml = (statutory_data_dir() / "authored" / "cin_clean_2025_26.xml").read_bytes()
    assert validate_schema(xml, CIN_2025_26) == []
