"""The analysis on synthetic panels with known effects: pure pandas, no database."""

import numpy as np
import pandas as pd
import pytest

from evaluation import analysis
from evaluation.indicators import BY_KEY

YEARS = (2010, 2019)


def synthetic_panel(
    *,
    effect: float = 0.0,
    units: int = 40,
    treated: int = 10,
    pre_trend: float = 0.0,
    noise: float = 2.0,
    seed: int = 1,
) -> tuple[pd.DataFrame, dict[str, int], list[str]]:
    """Authority and year effects plus noise; the first `treated` units start in 2015 (two in
    2016), and from then on their value is higher by `effect`."""
    rng = np.random.default_rng(seed)
    codes = [f"{800 + i}" for i in range(units)]
    starts = {code: (2016 if i < 2 else 2015) for i, code in enumerate(codes[:treated])}
    authority_effect = dict(zip(codes, rng.normal(300, 60, units), strict=True))
    year_effect = {year: 5 * (year - 2010) + rng.normal(0, 3) for year in range(2010, 2020)}
    rows = []
    for code in codes:
        for year in range(YEARS[0], YEARS[1] + 1):
            value = authority_effect[code] + year_effect[year] + rng.normal(0, noise)
            if code in starts:
                value += pre_trend * (year - 2015)
                if year >= starts[code]:
                    value += effect
            rows.append({"code": code, "year": year, "value": value})
    panel = pd.DataFrame(rows)
    panel["suppressed"] = False
    panel["small"] = False
    return panel, starts, [c for c in codes if c not in starts]


def test_difference_in_differences_recovers_an_injected_effect():
    panel, starts, comparison = synthetic_panel(effect=-12.0)
    result = analysis.difference_in_differences(panel, starts, comparison, YEARS)
    estimate = result.estimate
    assert estimate.estimate == pytest.approx(-12.0, abs=1.0)
    assert estimate.low < -12.0 < estimate.high
    assert estimate.high < 0 and estimate.p_value < 0.001
    assert result.permutation_low < -12.0 < result.permutation_high
    assert result.permutation_high < 0
    assert result.permutation_p == pytest.approx(1 / (1 + result.permutations))
    assert result.permutations == analysis.PERMUTATIONS
    assert len(result.treated) == 10 and len(result.comparison) == 30
    assert result.pre_years == [2010, 2011, 2012, 2013, 2014]


def test_with_no_effect_the_intervals_cover_zero():
    panel, starts, comparison = synthetic_panel(effect=0.0, seed=7)
    result = analysis.difference_in_differences(panel, starts, comparison, YEARS)
    assert result.estimate.low < 0 < result.estimate.high
    assert result.permutation_low < 0 < result.permutation_high
    assert result.permutation_p > 0.05


def test_the_permutation_interval_is_deterministic_and_depends_on_the_seed():
    panel, starts, comparison = synthetic_panel(effect=3.0)
    first = analysis.difference_in_differences(panel, starts, comparison, YEARS)
    again = analysis.difference_in_differences(panel, starts, comparison, YEARS)
    other = analysis.difference_in_differences(panel, starts, comparison, YEARS, seed=99)
    assert (first.permutation_low, first.permutation_high) == (
        again.permutation_low,
        again.permutation_high,
    )
    assert first.permutation_low != other.permutation_low


def test_placebo_estimates_centre_on_zero_among_untreated_authorities():
    panel, starts, comparison = synthetic_panel(effect=20.0)
    sample = analysis.design_sample(panel, starts, comparison, YEARS)
    placebo = analysis.placebo_estimates(
        sample[~sample["treated_group"]], [2015] * 5, permutations=500
    )
    assert len(placebo) == 500
    assert abs(np.median(placebo)) < 1.0
    assert np.all(np.abs(placebo) < 20)


def test_event_study_is_flat_before_and_steps_up_after():
    panel, starts, comparison = synthetic_panel(effect=15.0)
    study = analysis.event_study(panel, starts, comparison, YEARS)
    rows = study.coefficients.set_index("relative_year")
    assert rows.loc[-1, "estimate"] == 0
    for k in (-4, -3, -2):
        assert abs(rows.loc[k, "estimate"]) < 3
    for k in (0, 1, 2, 3):
        assert rows.loc[k, "estimate"] == pytest.approx(15, abs=3)
        assert rows.loc[k, "low"] < rows.loc[k, "estimate"] < rows.loc[k, "high"]
    assert study.pre_trend_p > 0.05
    assert study.pre_trend_terms == 3


def test_a_pre_trend_is_detected():
    panel, starts, comparison = synthetic_panel(effect=0.0, pre_trend=3.0)
    study = analysis.event_study(panel, starts, comparison, YEARS)
    assert study.pre_trend_p < 0.01
    result = analysis.difference_in_differences(panel, starts, comparison, YEARS)
    caveats = analysis.caveats(panel, starts, comparison, YEARS, result, study)
    assert any("parallel-trends assumption is doubtful" in s for s in caveats.statements)


def test_caveats_count_suppressed_and_small_cells():
    panel, starts, comparison = synthetic_panel(effect=5.0)
    first_treated = sorted(starts)[0]
    hidden = (panel["code"] == first_treated) & panel["year"].isin([2011, 2012])
    panel.loc[hidden, ["value", "suppressed"]] = [np.nan, True]
    panel.loc[(panel["code"] == comparison[0]) & (panel["year"] == 2013), "small"] = True
    panel = panel[~((panel["code"] == comparison[1]) & (panel["year"] == 2019))]  # not there
    result = analysis.difference_in_differences(panel, starts, comparison, YEARS, permutations=0)
    study = analysis.event_study(panel, starts, comparison, YEARS)
    caveats = analysis.caveats(panel, starts, comparison, YEARS, result, study)
    assert (caveats.suppressed, caveats.suppressed_treated) == (3, 2)
    assert (caveats.small, caveats.small_treated) == (1, 0)
    assert caveats.cells == 400
    assert caveats.treated_clusters == 10
    assert any("3 of 400 authority-years" in s for s in caveats.statements)
    assert result.n_obs == 397
    assert result.permutation_low is None


def test_too_few_years_before_is_said_plainly():
    panel, starts, comparison = synthetic_panel(effect=5.0)
    years = (2014, 2019)
    result = analysis.difference_in_differences(panel, starts, comparison, years, permutations=0)
    study = analysis.event_study(panel, starts, comparison, years)
    caveats = analysis.caveats(panel, starts, comparison, years, result, study)
    assert caveats.pre_years == 1
    assert any("Only 1 year(s) before implementation" in s for s in caveats.statements)


def test_no_year_before_means_no_estimate():
    panel, starts, comparison = synthetic_panel()
    result = analysis.difference_in_differences(panel, starts, comparison, (2016, 2019))
    assert result.estimate is None and "No year before implementation" in result.note


def test_indicator_panel_rates_percentages_suppression_and_small_numbers():
    values = pd.DataFrame(
        [
            ("855", 2019, "referrals", 1000.0, ""),
            ("855", 2019, "rereferrals", 200.0, ""),
            ("856", 2019, "referrals", np.nan, "c"),
            ("856", 2019, "rereferrals", 8.0, ""),
            ("857", 2019, "referrals", 8.0, ""),
            ("857", 2019, "rereferrals", 1.0, ""),
        ],
        columns=["code", "year", "measure", "value", "code_"],
    )
    populations = pd.DataFrame(
        [("855", 2018, 200_000.0), ("856", 2018, 50_000.0), ("857", 2019, 9_000.0)],
        columns=["code", "mid_year", "children"],
    )
    rates = analysis.indicator_panel(values, populations, BY_KEY["referral_rate"]).set_index("code")
    assert rates.loc["855", "value"] == pytest.approx(50.0)
    assert rates.loc["856", "suppressed"] and rates.loc["856", "flag"] == "c"
    # Rutland has only a mid-2019 estimate, which belongs to 2020: no rate for 2019.
    assert rates.loc["857", "suppressed"] and rates.loc["857", "flag"] == "no population"
    shares = analysis.indicator_panel(values, populations, BY_KEY["rereferral_pct"]).set_index(
        "code"
    )
    assert shares.loc["855", "value"] == pytest.approx(20.0)
    assert shares.loc["857", "value"] == pytest.approx(12.5) and shares.loc["857", "small"]


def test_reorganised_authorities_are_combined_only_when_all_members_have_numbers():
    values = pd.DataFrame(
        [
            ("928", 2021, "referrals", 5000.0, ""),
            ("940", 2022, "referrals", 2600.0, ""),
            ("941", 2022, "referrals", 2700.0, ""),
            ("940", 2023, "referrals", 2600.0, ""),
            ("941", 2023, "referrals", np.nan, "c"),
        ],
        columns=["code", "year", "measure", "value", "code_"],
    )
    populations = pd.DataFrame(
        [("928", 2020, 170_000.0), ("940", 2021, 80_000.0), ("941", 2021, 90_000.0)]
        + [("940", 2022, 80_000.0), ("941", 2022, 90_000.0)],
        columns=["code", "mid_year", "children"],
    )
    panel = analysis.indicator_panel(values, populations, BY_KEY["referral_rate"])
    combined = panel.set_index(["code", "year"])
    assert combined.loc[("928+", 2022), "value"] == pytest.approx(5300 / 170_000 * 10_000)
    assert combined.loc[("928+", 2023), "suppressed"]
    assert combined.loc[("928+", 2021), "value"] == pytest.approx(5000 / 170_000 * 10_000)


def test_comparison_table_averages_the_neighbours_that_have_a_value():
    panel = pd.DataFrame(
        [
            ("855", 2019, 50.0, False),
            ("856", 2019, 40.0, False),
            ("857", 2019, np.nan, True),
            ("858", 2019, 60.0, False),
            ("E92000001", 2019, 55.0, False),
        ],
        columns=["code", "year", "value", "suppressed"],
    )
    table = analysis.comparison_table(
        panel, code="855", neighbours=["856", "857", "858"], national="E92000001"
    )
    row = table.iloc[0]
    assert (row.authority, row.neighbours, row.neighbours_reporting, row.england) == (
        50.0,
        50.0,
        2,
        55.0,
    )
