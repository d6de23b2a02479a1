"""The synthetic agency's census passes the schema and the rules checked in the app."""

import datetime

import pytest

from demo.generator import generate_agency
from returns.services import cin_census_prepare, ssda903_prepare
from returns.spec import CIN_2025_26
from returns.validation import schema_path

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        not schema_path(CIN_2025_26).exists(), reason="shared statutory data not installed"
    ),
]


def test_demo_agency_export_is_valid():
    generated = generate_agency(families=14, today=datetime.date(2026, 6, 1))
    result = cin_census_prepare(agency=generated.agency, year=2026)
    assert result.census.lea == "999"
    assert result.census.counts["children"] > 0
    assert result.schema_checked and result.schema_failures == []
    # The demo leaves a few children's disabilities "not yet recorded", on purpose: 8540.
    assert {f.rule for f in result.rule_failures} <= {"8540"}


def test_demo_agency_has_a_clean_ssda903_return():
    generated = generate_agency(families=14, today=datetime.date(2026, 6, 1))
    result = ssda903_prepare(agency=generated.agency, year=2026)
    assert len(result.lac.children) >= 3
    assert result.lac.counts["reviews"] > 0 and result.lac.counts["sw_episodes"] > 0
    assert result.failures == []
