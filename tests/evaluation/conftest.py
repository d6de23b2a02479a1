from pathlib import Path

import pytest

from agencies.models import Role
from evaluation.services import statistics_load
from tests import factories

DATA = Path(__file__).parent / "data"
SHARED = Path(__file__).resolve().parents[3] / "shared" / "data" / "outcomes"


@pytest.fixture
def loaded(db):
    return statistics_load(actor=None, directory=DATA)


@pytest.fixture
def analyst(db):
    return factories.UserFactory(
        team=None, agency=factories.AgencyFactory(), role=Role.PERFORMANCE_ANALYST
    )


def write_csv(folder: Path, name: str, header: str, rows: list[str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


C1_HEADER = (
    "time_period,time_identifier,geographic_level,country_code,country_name,region_code,"
    "region_name,old_la_code,new_la_code,la_name,category,referral_count,rereferral_count,"
    "rereferral_percent"
)
POP_HEADER = (
    "time_period,time_identifier,geographic_level,country_code,country_name,region_code,"
    "region_name,old_la_code,new_la_code,la_name,age_group,population_estimate"
)


def c1_row(year, code, name, referrals, rereferrals="10", ons="E06000001", level="LA"):
    if level == "National":
        return (
            f"{year},Reporting year,National,E92000001,England,,,,,,Referrals,"
            f"{referrals},{rereferrals},1"
        )
    return (
        f"{year},Reporting year,Local authority,E92000001,England,E12000004,East Midlands,"
        f"{code},{ons},{name},Referrals,{referrals},{rereferrals},1"
    )


def pop_row(year, code, name, children, ons="E06000001"):
    return (
        f"{year},Reporting year,Local authority,E92000001,England,E12000004,East Midlands,"
        f"{code},{ons},{name},Children aged 0 to 17 years,{children}"
    )
