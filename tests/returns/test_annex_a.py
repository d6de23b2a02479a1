import datetime
import io

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse

from core.models import AuditEvent
from process.models import (
    Closure,
    LookedAfterEpisode,
    MissingEpisode,
    StatutoryVisit,
)
from returns.annex_a import LISTS, AnnexPeriod, annex_a_workbook, build_annex_a, months_before
from returns.selectors import annex_a_records
from tests import factories

pytestmark = pytest.mark.django_db

REF = datetime.date(2026, 3, 31)
PERIOD = AnnexPeriod(reference_date=REF)


def annex(world, period=PERIOD):
    return build_annex_a(
        records=annex_a_records(agency=world["agency"], period=period), period=period
    )


def column(annex_list: int, header: str) -> int:
    return next(a for a in LISTS if a.number == annex_list).columns.index(header)


@pytest.fixture
def world():
    world = factories.census_world()
    factories.AllocationFactory(
        case=world["case"], worker=world["worker"], started_on=datetime.date(2025, 4, 1)
    )
    return world


def test_months_before_keeps_the_day_or_takes_the_month_end():
    assert months_before(datetime.date(2026, 3, 31), 6) == datetime.date(2025, 9, 30)
    assert months_before(datetime.date(2026, 8, 31), 6) == datetime.date(2026, 2, 28)
    assert PERIOD.start == datetime.date(2025, 10, 1)


def test_referrals_in_the_six_months_with_their_codes_and_counts(world):
    factories.census_episode(world=world, received_on=datetime.date(2025, 5, 1), stage="referral")
    factories.census_episode(
        world=world,
        received_on=datetime.date(2025, 11, 3),
        stage="referral",
        decision="no_further_action",
    )
    rows = annex(world).rows[3]
    assert len(rows) == 1  # May is outside the six months
    [row] = rows
    child = world["child"]
    assert row[:5] == [str(child.pk), "a) Male", "a) WBRI", child.date_of_birth, 3]
    assert row[5:9] == [datetime.date(2025, 11, 3), "e) 2A: Schools", "a) Yes", 2]
    assert row[9:] == [world["team"].name, str(world["worker"])]


def test_a_plan_open_across_the_period_start_is_listed_with_its_last_visit(world):
    made = factories.census_episode(world=world, received_on=datetime.date(2025, 4, 10))
    plan = made["cp_plan"]
    StatutoryVisit.objects.create(
        agency=world["agency"],
        case=world["case"],
        recorded_by=world["worker"],
        child=world["child"],
        visited_on=datetime.date(2026, 3, 2),
        seen_alone=True,
    )
    [row] = annex(world).rows[7]
    header = LISTS[6].columns
    values = dict(zip(header, row, strict=True))
    assert values["Child Protection Plan Start Date"] == plan.started_on
    assert values["Date of the Last Statutory Visit"] == datetime.date(2026, 3, 2)
    assert values["Was the Child Seen Alone?"] == "a) Yes"
    assert values["Number of Previous Child Protection Plans"] == 0
    assert values["Child Protection Plan End Date"] is None


def test_children_in_need_show_their_status_and_closure(world):
    factories.census_episode(world=world, received_on=datetime.date(2025, 6, 1), stage="cin_plan")
    rows = annex(world).rows[6]
    [row] = rows
    assert row[column(6, "Case Status")] == "c) Child in need plan"
    Closure.objects.create(
        agency=world["agency"],
        case=world["case"],
        recorded_by=world["worker"],
        closed_on=datetime.date(2025, 9, 1),
        reason="RC7",
        approved=True,
    )
    # Closed before the six months began: no longer on the list.
    assert annex(world).rows[6] == []


def test_a_period_of_care_runs_across_episodes(world):
    child = world["child"]
    base = {
        "agency": world["agency"],
        "case": world["case"],
        "recorded_by": world["worker"],
        "child": child,
    }
    LookedAfterEpisode.objects.create(
        **base,
        started_on=datetime.date(2025, 7, 1),
        ended_on=datetime.date(2025, 12, 1),
        reason_ceased="X1",  # a new episode follows: only the legal status changed
        legal_status="C1",
        placement="U3",
        category_of_need="N1",
    )
    LookedAfterEpisode.objects.create(
        **base,
        started_on=datetime.date(2025, 12, 1),
        legal_status="C2",
        placement="U3",
        placement_provider="PR1",
        placement_postcode="AB1 2CD",
    )
    MissingEpisode.objects.create(**base, kind="M", started_on=datetime.date(2026, 1, 5))
    [row] = annex(world).rows[8]
    values = dict(zip(LISTS[7].columns, row, strict=True))
    assert values["Date Started to be Looked After"] == datetime.date(2025, 7, 1)
    assert values["Start date of current legal status"] == datetime.date(2025, 12, 1)
    assert values["Child's Legal Status"] == "C2: FCO"
    assert values["Start Date of Most Recent Placement"] == datetime.date(2025, 7, 1)
    assert values["Number of Placements in the Last 12 months"] == 1
    assert values["Placement Type"] == "c) U3: Foster placement - relative - not FFA"
    assert values["Placement Provider"] == "b) PR1: Own provision"
    assert values["Child's Category of Need"] == "N1 - Abuse or neglect"
    missing = next(v for k, v in values.items() if "‘Missing’" in k)
    assert missing == 1


def test_the_workbook_has_every_list_with_the_template_headers(world):
    factories.census_episode(world=world, received_on=datetime.date(2025, 11, 3))
    content = annex_a_workbook(annex(world), agency_name="Test agency")
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    assert workbook.sheetnames == ["About"] + [f"List {n}" for n in range(1, 12)]
    for annex_list in LISTS:
        sheet = workbook[f"List {annex_list.number}"]
        assert [c.value for c in sheet[1]] == annex_list.columns
    referral_date = workbook["List 3"]["F2"]
    assert referral_date.value.date() == datetime.date(2025, 11, 3)
    assert referral_date.number_format == "DD/MM/YYYY"


def test_another_agencys_children_never_appear(world):
    other = factories.census_world(code="888")
    factories.census_episode(world=other, received_on=datetime.date(2025, 11, 3))
    assert all(rows == [] for rows in annex(world).rows.values())


def test_queries_do_not_grow_with_children(world, django_assert_max_num_queries):
    for number in range(5):
        child = factories.census_child(case=world["case"], given_name=f"Kid{number}")
        factories.census_episode(world=world, child=child, received_on=datetime.date(2025, 11, 3))
    with django_assert_max_num_queries(22):
        annex(world)


def test_analysts_see_the_lists_and_download_an_audited_workbook(client, world):
    factories.census_episode(world=world, received_on=datetime.date(2025, 11, 3))
    analyst = factories.UserFactory(agency=world["agency"], team=None, role="performance_analyst")
    client.force_login(analyst)
    query = {"reference_date": "31/03/2026", "months": "6"}
    page = client.get(reverse("returns:annex_a"), query)
    assert page.status_code == 200
    assert "1 October 2025 to 31 March 2026" in page.text
    download = client.get(reverse("returns:annex_a_download"), query)
    assert download["Content-Disposition"].endswith('_2026-03-31.xlsx"')
    event = AuditEvent.objects.get(verb="returns.annex_a_exported")
    assert event.actor == analyst
    assert event.changes["rows"]["list_3"] == 1


def test_a_future_reference_date_is_refused_with_a_reason(client, world):
    analyst = factories.UserFactory(agency=world["agency"], team=None, role="senior_leader")
    client.force_login(analyst)
    response = client.get(reverse("returns:annex_a"), {"reference_date": "01/01/2099"})
    assert response.status_code == 400
    assert "cannot be in the future" in response.text


def test_the_command_writes_the_workbook(world, tmp_path):
    factories.census_episode(world=world, received_on=datetime.date(2025, 11, 3))
    out = io.StringIO()
    target = tmp_path / "annex.xlsx"
    call_command(
        "annex_a", "--agency=999", "--reference-date=2026-03-31", f"--out={target}", stdout=out
    )
    assert "List 3: 1 rows" in out.getvalue()
    assert openpyxl.load_workbook(target)["List 3"].max_row == 2
