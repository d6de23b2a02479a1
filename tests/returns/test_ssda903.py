"""The SSDA903 return built from the record: files and headers, one hand-built child's rows,
the year's boundaries, the in-app checks, the audit, the command, the pages and the demo."""

import csv
import datetime
import io
import zipfile

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from agencies.models import Role
from core.models import AuditEvent
from people.models import Relationship
from process.models import (
    Adoption,
    AdoptionDecision,
    AsylumSeekingStatus,
    LookedAfterEpisode,
    LookedAfterOutcomes,
    LookedAfterReview,
    MissingEpisode,
)
from returns.services import ssda903_export, ssda903_prepare
from returns.spec import LAC_2025_26, lac_spec_for
from returns.validation import statutory_data_dir
from tests import factories

pytestmark = pytest.mark.django_db
D = datetime.date
PAGE = reverse("returns:ssda903")
DOWNLOAD = reverse("returns:ssda903_download")


@pytest.fixture
def world():
    world = factories.census_world()
    world["child"].date_of_birth = D(2014, 5, 14)
    world["child"].upn = "A202151234567"
    world["child"].save()
    return world


def rows(result, name):
    return list(csv.DictReader(io.StringIO(result.files[name].decode())))


def episode(world, **values):
    return factories.lac_record(LookedAfterEpisode, world=world, **values)


# Files and headers ---------------------------------------------------------------------------


def test_every_file_has_the_dfe_headers_even_when_empty(world):
    result = ssda903_prepare(agency=world["agency"], year=2026)
    assert sorted(result.files) == sorted(name for name, _ in LAC_2025_26.tables.values())
    for name, columns in LAC_2025_26.tables.values():
        assert result.files[name].decode().splitlines() == [",".join(columns)]
    assert LAC_2025_26.tables["episodes"][1] == (
        "CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "DEC", "REC",
        "REASON_PLACE_CHANGE", "HOME_POST", "PL_POST", "URN",
    )  # fmt: skip


@pytest.mark.skipif(
    not (statutory_data_dir() / "ssda903" / "d2i_fake_data").exists(),
    reason="shared statutory data not installed",
)
def test_headers_match_the_files_the_independent_validator_reads():
    # The validator recognises each table by its exact set of headers (statutory-data.md §2).
    folder = statutory_data_dir() / "ssda903" / "d2i_fake_data"
    for name, columns in LAC_2025_26.tables.values():
        first = (folder / name).read_text(encoding="utf-8-sig").splitlines()[0]
        assert first.split(",") == list(columns), name


def test_an_unknown_year_is_refused():
    with pytest.raises(ValueError, match="No SSDA903 specification"):
        lac_spec_for(2019)


# One hand-built child -------------------------------------------------------------------------


def test_a_hand_built_child_gives_the_known_rows(world):
    child = world["child"]
    first = episode(
        world,
        started_on=D(2025, 5, 1),
        legal_status="C1",
        reason_new_episode="S",
        previous_permanence="Z1",
        ended_on=D(2025, 9, 1),
        reason_ceased="X1",
        reason_placement_change="CARPL",
    )
    # Recorded before the return's fields were asked: RNE and CIN are worked out.
    episode(
        world,
        started_on=D(2025, 9, 1),
        legal_status="C2",
        placement="K2",
        placement_provider="PR4",
        placement_postcode="TW7 5RN",
        urn="SC999101",
        category_of_need="",
    )
    factories.lac_record(
        LookedAfterReview, world=world, held_on=D(2025, 5, 28), participation="PN1"
    )
    factories.lac_record(
        LookedAfterReview, world=world, held_on=D(2024, 5, 28), participation="PN1"
    )
    factories.lac_record(
        MissingEpisode, world=world, kind="M", started_on=D(2025, 7, 3), ended_on=D(2025, 7, 4)
    )
    factories.lac_record(AsylumSeekingStatus, world=world)
    factories.lac_record(AdoptionDecision, world=world, decided_on=D(2026, 1, 10))
    result = ssda903_prepare(agency=world["agency"], year=2026)
    cid = str(child.pk)
    assert rows(result, "header.csv") == [
        {
            "CHILD": cid, "SEX": "M", "DOB": "14/05/2014", "ETHNIC": "WBRI",
            "UPN": "A202151234567", "MOTHER": "", "MC_DOB": "",
        }
    ]  # fmt: skip
    assert rows(result, "episodes.csv") == [
        {
            "CHILD": cid, "DECOM": "01/05/2025", "RNE": "S", "LS": "C1", "CIN": "N1",
            "PLACE": "U4", "PLACE_PROVIDER": "PR1", "DEC": "01/09/2025", "REC": "X1",
            "REASON_PLACE_CHANGE": "CARPL", "HOME_POST": "", "PL_POST": "TW1 2NN",
            "URN": "SC999001",
        },
        {
            "CHILD": cid, "DECOM": "01/09/2025", "RNE": "U", "LS": "C2", "CIN": "N1",
            "PLACE": "K2", "PLACE_PROVIDER": "PR4", "DEC": "", "REC": "",
            "REASON_PLACE_CHANGE": "", "HOME_POST": "", "PL_POST": "TW7 5RN",
            "URN": "SC999101",
        },
    ]  # fmt: skip
    # An asylum-seeking child's home postcode is not returned (rule 406). Only the review in
    # the year.
    assert rows(result, "reviews.csv") == [
        {"CHILD": cid, "DOB": "14/05/2014", "REVIEW": "28/05/2025", "REVIEW_CODE": "PN1"}
    ]
    assert rows(result, "missing.csv") == [
        {
            "CHILD": cid, "DOB": "14/05/2014", "MISSING": "M", "MIS_START": "03/07/2025",
            "MIS_END": "04/07/2025",
        }
    ]  # fmt: skip
    # Still an asylum-seeking child: the status ceases on their 18th birthday.
    assert rows(result, "uasc.csv") == [
        {"CHILD": cid, "SEX": "M", "DOB": "14/05/2014", "DUC": "14/05/2032"}
    ]
    assert rows(result, "previous_permanence.csv") == [
        {"CHILD": cid, "DOB": "14/05/2014", "PREV_PERM": "Z1", "LA_PERM": "", "DATE_PERM": ""}
    ]
    assert rows(result, "placed_for_adoption.csv") == [
        {
            "CHILD": cid, "DOB": "14/05/2014", "DATE_PLACED": "10/01/2026",
            "DATE_PLACED_CEASED": "", "REASON_PLACED_CEASED": "",
        }
    ]  # fmt: skip
    assert rows(result, "ad1.csv") == rows(result, "oc3.csv") == []
    assert result.lac.children[0].case_id == first.case_id  # where the report links to


def test_social_worker_episodes_come_from_the_allocations(world):
    factories.AllocationFactory(
        case=world["case"],
        worker=world["worker"],
        started_on=D(2025, 5, 1),
        ended_on=D(2025, 10, 1),
    )
    other = factories.UserFactory(agency=world["agency"], team=world["team"])
    # The case closed: the last worker's episode stays open (DfE rule SW17STG2).
    factories.AllocationFactory(
        case=world["case"],
        worker=other,
        started_on=D(2025, 10, 1),
        ended_on=D(2026, 2, 1),
        reason="LEFTRL: moved on",
    )
    episode(world, started_on=D(2025, 5, 1), reason_new_episode="S")
    result = ssda903_prepare(agency=world["agency"], year=2026)
    assert [
        (r["SW_ID"], r["SW_DECOM"], r["SW_DEC"], r["SW_REASON"])
        for r in rows(result, "sw_episodes.csv")
    ] == [
        (f"SW{world['worker'].pk:06d}", "01/05/2025", "01/10/2025", "FCONTA"),
        (f"SW{other.pk:06d}", "01/10/2025", "", "LEFTRL"),
    ]


def test_a_girl_who_is_a_mother_has_her_first_childs_birth(world):
    girl = factories.census_child(case=world["case"], sex="F", date_of_birth=D(2009, 2, 1))
    baby = factories.census_child(case=world["case"], date_of_birth=D(2025, 11, 2))
    Relationship.objects.create(
        agency=world["agency"], person=girl, relative=baby, kind=Relationship.Kind.MOTHER
    )
    episode(world, child=girl, started_on=D(2025, 6, 1), reason_new_episode="S")
    header = rows(ssda903_prepare(agency=world["agency"], year=2026), "header.csv")
    assert (header[0]["MOTHER"], header[0]["MC_DOB"]) == ("1", "02/11/2025")


# The year's boundaries -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("started", "ended", "expected"),
    [
        (D(2024, 6, 1), D(2025, 3, 31), None),  # ended the day before the year
        (D(2024, 6, 1), D(2025, 4, 1), ("01/06/2024", "01/04/2025")),  # ended on its first day
        (D(2025, 6, 1), D(2026, 3, 31), ("01/06/2025", "31/03/2026")),  # ended on its last day
        (D(2025, 6, 1), D(2026, 4, 1), ("01/06/2025", "")),  # still open at 31 March
        (D(2026, 4, 1), None, None),  # started after the year
    ],
)
def test_episodes_in_the_year(world, started, ended, expected):
    episode(
        world,
        started_on=started,
        ended_on=ended,
        reason_ceased="E13" if ended else "",
        reason_new_episode="S",
    )
    result = ssda903_prepare(agency=world["agency"], year=2026)
    found = [(r["DECOM"], r["DEC"]) for r in rows(result, "episodes.csv")]
    assert found == ([expected] if expected else [])
    if expected and not expected[1]:
        assert rows(result, "episodes.csv")[0]["REC"] == ""  # the end had not happened


def test_a_child_looked_after_across_the_year_needs_outcomes(world):
    episode(world, started_on=D(2024, 2, 1), reason_new_episode="S")
    result = ssda903_prepare(agency=world["agency"], year=2026)
    assert result.lac.children[0].continuously_12_months
    assert rows(result, "previous_permanence.csv") == []  # the period started before the year
    assert "191" in {f.rule for f in result.failures}
    factories.lac_record(
        LookedAfterOutcomes,
        world=world,
        year=2026,
        sdq_score=12,
        convicted=False,
        immunisations=True,
        teeth_check=True,
        health_assessment=True,
        substance_misuse=False,
    )
    result = ssda903_prepare(agency=world["agency"], year=2026)
    assert rows(result, "oc2.csv")[0] == {
        "CHILD": str(world["child"].pk), "DOB": "14/05/2014", "SDQ_SCORE": "12",
        "SDQ_REASON": "", "CONVICTED": "0", "HEALTH_CHECK": "", "IMMUNISATIONS": "1",
        "TEETH_CHECK": "1", "HEALTH_ASSESSMENT": "1", "SUBSTANCE_MISUSE": "0",
        "INTERVENTION_RECEIVED": "", "INTERVENTION_OFFERED": "",
    }  # fmt: skip
    assert "191" not in {f.rule for f in result.failures}


def test_an_adoption_in_the_year_is_in_ad1(world):
    episode(
        world,
        started_on=D(2024, 1, 5),
        placement="A5",
        reason_new_episode="S",
        ended_on=D(2025, 11, 20),
        reason_ceased="E11",
    )
    result = ssda903_prepare(agency=world["agency"], year=2026)
    assert {"601", "551"} <= {f.rule for f in result.failures}
    factories.lac_record(AdoptionDecision, world=world, decided_on=D(2024, 3, 1))
    factories.lac_record(
        Adoption,
        world=world,
        best_interests_on=D(2024, 3, 1),
        matched_on=D(2025, 2, 1),
        by_foster_carers=True,
        adopters=2,
        adopters_sex="MF",
        adopters_legal_status="L3",
    )
    result = ssda903_prepare(agency=world["agency"], year=2026)
    assert rows(result, "ad1.csv")[0]["DATE_MATCH"] == "01/02/2025"
    assert rows(result, "ad1.csv")[0]["FOSTER_CARE"] == "1"
    assert not {"601", "551"} & {f.rule for f in result.failures}


# In-app checks -------------------------------------------------------------------------------


def test_the_check_lists_problems_by_child_and_rule(world):
    episode(
        world,
        started_on=D(2025, 6, 1),
        placement="K2",
        placement_provider="",
        urn="",
        placement_postcode="",
        category_of_need="",
        reason_new_episode="S",
    )
    failures = ssda903_prepare(agency=world["agency"], year=2026).failures
    found = {(f.rule, f.child.la_child_id) for f in failures}
    child = str(world["child"].pk)
    # No referral to take the category of need from; provider, postcode, URN, permanence.
    assert {("145", child), ("526", child), ("169", child), ("218", child), ("630", child)} <= (
        found
    )


def test_pn0_is_only_for_a_child_under_four_at_the_review(world):
    episode(world, started_on=D(2025, 6, 1), reason_new_episode="S", previous_permanence="Z1")
    factories.lac_record(LookedAfterReview, world=world, held_on=D(2025, 7, 1), participation="PN0")
    rules = {f.rule for f in ssda903_prepare(agency=world["agency"], year=2026).failures}
    assert "440" in rules and "441" not in rules


def test_provider_and_placement_must_agree(world):
    episode(world, started_on=D(2025, 6, 1), placement="P1", urn="", reason_new_episode="S")
    failures = ssda903_prepare(agency=world["agency"], year=2026).failures
    assert "527" in {f.rule for f in failures}


# Audit, command and pages --------------------------------------------------------------------


def test_the_export_is_audited_with_its_counts(world):
    episode(world, started_on=D(2025, 6, 1), reason_new_episode="S", previous_permanence="Z1")
    user = factories.UserFactory(agency=world["agency"], role=Role.PERFORMANCE_ANALYST)
    ssda903_export(actor=user, agency=world["agency"], year=2026, ip_address="10.0.0.1")
    event = AuditEvent.objects.get(verb="returns.ssda903_exported")
    assert event.actor == user and event.agency_id == world["agency"].pk
    assert event.changes["year"] == 2026 and event.changes["children"] == 1
    assert event.changes["records"]["episodes"] == 1
    assert event.changes["records"]["header"] == 1


def test_the_command_writes_the_files_and_is_audited(world, tmp_path):
    episode(world, started_on=D(2025, 6, 1), reason_new_episode="S", previous_permanence="Z1")
    out = io.StringIO()
    call_command("ssda903", agency="999", year=2026, out=str(tmp_path / "903"), stdout=out)
    assert (tmp_path / "903" / "episodes.csv").read_text().count("\n") == 2
    assert len(list((tmp_path / "903").glob("*.csv"))) == 11
    assert "episodes: 1" in out.getvalue()
    assert AuditEvent.objects.filter(verb="returns.ssda903_exported", actor=None).count() == 1
    with pytest.raises(CommandError, match="No agency"):
        call_command("ssda903", agency="123", year=2026, out=str(tmp_path), stdout=out)
    with pytest.raises(CommandError, match="No SSDA903 specification"):
        call_command("ssda903", agency="999", year=2020, out=str(tmp_path), stdout=out)


@pytest.mark.parametrize("role", [Role.PERFORMANCE_ANALYST, Role.SENIOR_LEADER])
def test_analysts_and_leaders_see_the_page_and_download_the_zip(client, world, role):
    episode(world, started_on=D(2025, 6, 1), reason_new_episode="S", placement_provider="")
    user = factories.UserFactory(agency=world["agency"], team=world["team"], role=role)
    client.force_login(user)
    page = client.get(PAGE, {"year": 2026})
    assert page.status_code == 200
    assert b"SSDA903 2025-26" in page.content
    assert b"record the placement provider" in page.content  # the check, by child
    response = client.get(DOWNLOAD, {"year": 2026})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "SSDA903_999_2026.zip" in response["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert "episodes.csv" in archive.namelist() and len(archive.namelist()) == 11
    event = AuditEvent.objects.get(verb="returns.ssda903_exported")
    assert event.actor == user and event.changes["children"] == 1


@pytest.mark.parametrize(
    "role",
    [Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.PRACTICE_LEAD, Role.ADMINISTRATOR],
)
def test_everyone_else_is_refused(client, world, role):
    client.force_login(factories.UserFactory(agency=world["agency"], role=role))
    assert client.get(PAGE).status_code == 403
    assert client.get(DOWNLOAD).status_code == 403
    assert not AuditEvent.objects.filter(verb="returns.ssda903_exported").exists()


def test_another_agencys_children_are_not_in_the_return(world):
    other = factories.census_world(code="888")
    factories.lac_record(
        LookedAfterEpisode,
        world=other,
        started_on=D(2025, 6, 1),
        legal_status="C2",
        placement="U4",
        reason_new_episode="S",
    )
    assert ssda903_prepare(agency=world["agency"], year=2026).lac.children == []


def test_the_page_reads_a_fixed_number_of_queries(client, world, django_assert_max_num_queries):
    for number in range(5):
        child = factories.census_child(case=world["case"], date_of_birth=D(2015, 1, number + 1))
        episode(world, child=child, started_on=D(2025, 6, 1), reason_new_episode="S")
        factories.lac_record(
            LookedAfterReview, world=world, child=child, held_on=D(2025, 7, 1), participation="PN1"
        )
    client.force_login(factories.UserFactory(agency=world["agency"], role=Role.PERFORMANCE_ANALYST))
    with django_assert_max_num_queries(20):
        assert client.get(PAGE, {"year": 2026}).status_code == 200
