"""The analysis, as pure functions over pandas frames: no database, no randomness without a seed.

Frames:
- values: code, year, measure, value (float or NaN), code_ (suppression code, "" if published)
- populations: code, mid_year, children
- a panel (from `indicator_panel`): code, year, numerator, denominator, value, suppressed, small

Methods:
- Rates use the ONS mid-(T-1) estimate for reporting year T (as DfE does).
- Difference-in-differences: two-way fixed effects (authority and year) OLS, with standard errors
  clustered by authority, and a permutation (placebo-group) interval: the same estimate with the
  implementation dates given to random sets of comparison authorities.
- Event study: a coefficient for each year relative to the start (the year before is the
  reference), clustered standard errors, and a joint test that the pre-start coefficients are 0.
"""

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import statsmodels.api as sm

from evaluation.indicators import Indicator
from evaluation.reorganisations import SERIES_MEMBERS, SERIES_OF

SEED = 20141001  # fixed: the innovation programme's first autumn
PERMUTATIONS = 999
SMALL_NUMBER = 10  # fewer events than this in a year: a rate that moves a lot by chance
CONFIDENCE = 0.95
MIN_TREATED = 3  # implementing authorities needed for an event-study year of its own


# The panel ------------------------------------------------------------------------------------


def _measure(values: pd.DataFrame, measure: str) -> pd.DataFrame:
    part = values.loc[values["measure"] == measure, ["code", "year", "value", "code_"]]
    return part.rename(columns={"value": "amount", "code_": "flag"})


def _harmonise(frame: pd.DataFrame, key: str) -> pd.DataFrame:
    """Authorities on either side of a reorganisation added up into their combined unit: a
    unit-year has a number only when every member reporting that year has one."""
    members = frame["code"].isin(list(SERIES_OF))
    if not members.any():
        return frame
    part = frame[members].copy()
    part["code"] = part["code"].map(SERIES_OF)
    part["flag"] = part["flag"].where(part["flag"].ne("") | part["amount"].notna(), "x")
    grouped = part.groupby(["code", key], as_index=False, sort=True).agg(
        amount=("amount", "sum"), flag=("flag", "max")
    )
    grouped.loc[grouped["flag"].ne(""), "amount"] = np.nan
    return pd.concat([frame[~members], grouped], ignore_index=True)


def indicator_panel(
    values: pd.DataFrame,
    populations: pd.DataFrame,
    indicator: Indicator,
    *,
    harmonise: bool = True,
) -> pd.DataFrame:
    """One row per place and reporting year: numerator, denominator, the indicator's value,
    whether it is suppressed or missing, and whether it rests on a small number."""
    numerator = _measure(values, indicator.numerator)
    if indicator.denominator == "population":
        denominator = populations.rename(columns={"children": "amount"}).assign(
            year=lambda f: f["mid_year"] + 1, flag=""
        )[["code", "year", "amount", "flag"]]
    else:
        denominator = _measure(values, indicator.denominator)
    if harmonise:
        numerator = _harmonise(numerator, "year")
        denominator = _harmonise(denominator, "year")
    panel = numerator.merge(denominator, on=["code", "year"], how="left", suffixes=("_num", "_den"))
    panel["numerator"] = panel["amount_num"]
    panel["denominator"] = panel["amount_den"]
    no_denominator = "no population" if indicator.denominator == "population" else "x"
    panel["flag"] = np.select(
        [panel["flag_num"].ne(""), panel["flag_den"].isna(), panel["flag_den"].ne("")],
        [panel["flag_num"], no_denominator, panel["flag_den"]],
        default="",
    )
    ok = panel["numerator"].notna() & panel["denominator"].gt(0)
    panel["value"] = np.where(
        ok, panel["numerator"] / panel["denominator"].where(ok, 1) * indicator.per, np.nan
    )
    panel["suppressed"] = ~ok
    panel["small"] = ok & panel["numerator"].lt(SMALL_NUMBER)
    columns = ["code", "year", "numerator", "denominator", "value", "flag", "suppressed", "small"]
    return panel[columns].sort_values(["code", "year"]).reset_index(drop=True)


def series_code(code: str) -> str:
    return SERIES_OF.get(code, code)


def series_members(code: str) -> tuple[str, ...]:
    return SERIES_MEMBERS.get(code, (code,))


# Comparisons ----------------------------------------------------------------------------------


def comparison_table(
    panel: pd.DataFrame, *, code: str, neighbours: list[str], national: str
) -> pd.DataFrame:
    """For each year: the authority, the simple average of its statistical neighbours (as DfE's
    benchmarking tool averages them), how many neighbours had a value, and England."""
    values = panel.set_index(["code", "year"])["value"]
    years = sorted(panel["year"].unique())
    neighbour_frame = panel[panel["code"].isin(neighbours)]
    rows = []
    for year in years:
        in_year = neighbour_frame.loc[neighbour_frame["year"] == year, "value"].dropna()
        rows.append(
            {
                "year": int(year),
                "authority": values.get((code, year), np.nan),
                "neighbours": in_year.mean() if len(in_year) else np.nan,
                "neighbours_reporting": len(in_year),
                "england": values.get((national, year), np.nan),
            }
        )
    return pd.DataFrame(rows)


# Difference-in-differences ---------------------------------------------------------------------


@dataclass
class Estimate:
    estimate: float
    se: float
    low: float
    high: float
    p_value: float


@dataclass
class DidResult:
    estimate: Estimate | None
    permutation_low: float | None = None
    permutation_high: float | None = None
    permutation_p: float | None = None
    permutations: int = 0
    n_obs: int = 0
    treated: list[str] = field(default_factory=list)
    comparison: list[str] = field(default_factory=list)
    pre_years: list[int] = field(default_factory=list)
    means: dict = field(default_factory=dict)  # (group, period) -> mean value
    note: str = ""


def design_sample(
    panel: pd.DataFrame, starts: dict[str, int], comparison: list[str], years: tuple[int, int]
) -> pd.DataFrame:
    """The authority-years in the design, with the treatment indicator; suppressed cells out."""
    first, last = years
    codes = set(starts) | set(comparison)
    sample = panel[
        panel["code"].isin(codes) & panel["year"].between(first, last) & ~panel["suppressed"]
    ].copy()
    sample["treated_group"] = sample["code"].isin(starts)
    start = sample["code"].map(starts)
    sample["treated"] = (sample["treated_group"] & (sample["year"] >= start)).astype(float)
    return sample.sort_values(["code", "year"]).reset_index(drop=True)


def _fixed_effects(sample: pd.DataFrame) -> pd.DataFrame:
    authority = pd.get_dummies(sample["code"], prefix="a", drop_first=True, dtype=float)
    year = pd.get_dummies(sample["year"], prefix="y", drop_first=True, dtype=float)
    return pd.concat([authority, year], axis=1).assign(const=1.0)


def _fit(y, X, groups) -> object:
    return sm.OLS(y, X).fit(cov_type="cluster", cov_kwds={"groups": groups}, use_t=True)


def _estimate(fit, name) -> Estimate:
    low, high = fit.conf_int(alpha=1 - CONFIDENCE).loc[name]
    return Estimate(
        float(fit.params[name]),
        float(fit.bse[name]),
        float(low),
        float(high),
        float(fit.pvalues[name]),
    )


def difference_in_differences(
    panel: pd.DataFrame,
    starts: dict[str, int],
    comparison: list[str],
    years: tuple[int, int],
    *,
    permutations: int = PERMUTATIONS,
    seed: int = SEED,
) -> DidResult:
    sample = design_sample(panel, starts, comparison, years)
    treated = sorted(set(sample.loc[sample["treated_group"], "code"]))
    control = sorted(set(sample.loc[~sample["treated_group"], "code"]))
    result = DidResult(None, treated=treated, comparison=control, n_obs=len(sample))
    result.pre_years = sorted(y for y in sample["year"].unique() if y < min(starts.values()))
    if not treated or len(control) < 2 or sample["treated"].sum() == 0:
        result.note = "Not enough implementing and comparison authorities with numbers."
        return result
    if not result.pre_years:
        result.note = "No year before implementation has numbers: no comparison is possible."
        return result
    sample["post"] = sample["year"] >= sample["code"].map(starts).fillna(min(starts.values()))
    for (group, post), part in sample.groupby(["treated_group", "post"]):
        key = ("implementation" if group else "comparison", "after" if post else "before")
        result.means[key] = float(part["value"].mean())
    X = _fixed_effects(sample).assign(treated=sample["treated"])
    fit = _fit(sample["value"], X, pd.factorize(sample["code"], sort=True)[0])
    result.estimate = _estimate(fit, "treated")
    if permutations:
        placebo = placebo_estimates(
            sample[~sample["treated_group"]],
            [starts[code] for code in treated],
            permutations=permutations,
            seed=seed,
        )
        if placebo is not None:
            result.permutations = len(placebo)
            alpha = (1 - CONFIDENCE) / 2
            q_low, q_high = np.quantile(placebo, [alpha, 1 - alpha])
            estimate = result.estimate.estimate
            result.permutation_low = float(estimate - q_high)
            result.permutation_high = float(estimate - q_low)
            extreme = int(np.sum(np.abs(placebo) >= abs(estimate) - 1e-12))
            result.permutation_p = (1 + extreme) / (1 + len(placebo))
    return result


def placebo_estimates(
    comparison_sample: pd.DataFrame,
    start_years: list[int],
    *,
    permutations: int = PERMUTATIONS,
    seed: int = SEED,
) -> np.ndarray | None:
    """The DiD estimate with the implementation start years given to random sets of comparison
    authorities (none of which implemented): the spread of estimates when there is no effect.

    The fixed effects are the same in every draw, so they are partialled out once (Frisch-Waugh)
    and each draw costs one residualised regression."""
    codes = sorted(comparison_sample["code"].unique())
    if len(codes) <= len(start_years):
        return None
    sample = comparison_sample.sort_values(["code", "year"]).reset_index(drop=True)
    X = _fixed_effects(sample).to_numpy()
    y = sample["value"].to_numpy()
    rng = np.random.default_rng(seed)
    position = {code: i for i, code in enumerate(codes)}
    unit = sample["code"].map(position).to_numpy()
    year = sample["year"].to_numpy()
    D = np.zeros((len(sample), permutations))
    for draw in range(permutations):
        chosen = rng.choice(len(codes), size=len(start_years), replace=False)
        start_of = np.full(len(codes), np.inf)
        start_of[chosen] = rng.permutation(start_years)
        D[:, draw] = year >= start_of[unit]
    projection = np.linalg.lstsq(X, np.column_stack([y, D]), rcond=None)[0]
    residual = np.column_stack([y, D]) - X @ projection
    y_r, D_r = residual[:, 0], residual[:, 1:]
    denominator = np.sum(D_r * D_r, axis=0)
    usable = denominator > 1e-9
    return (D_r.T @ y_r)[usable] / denominator[usable]


# Event study ----------------------------------------------------------------------------------


@dataclass
class EventStudy:
    coefficients: pd.DataFrame  # relative_year, estimate, low, high, n_treated
    pre_trend_p: float | None
    pre_trend_terms: int
    note: str = ""


def event_study(
    panel: pd.DataFrame,
    starts: dict[str, int],
    comparison: list[str],
    years: tuple[int, int],
    *,
    window: tuple[int, int] = (-4, 5),
) -> EventStudy:
    """Coefficients for each year relative to the start (the year before it is the reference,
    0 by definition), with years beyond the window binned into its ends."""
    sample = design_sample(panel, starts, comparison, years)
    empty = pd.DataFrame(columns=["relative_year", "estimate", "low", "high", "n_treated"])
    if sample["treated_group"].sum() == 0 or (~sample["treated_group"]).sum() == 0:
        return EventStudy(empty, None, 0, "Not enough authorities with numbers.")
    relative = (sample["year"] - sample["code"].map(starts)).where(sample["treated_group"])
    # Years seen for fewer than MIN_TREATED implementing authorities are binned into the
    # nearest end, so no coefficient rests on one authority alone.
    per_year = sample[sample["treated_group"]].assign(k=relative).groupby("k")["code"].nunique()
    supported = [int(k) for k, n in per_year.items() if n >= MIN_TREATED]
    low = max(window[0], min(supported, default=-1))
    high = min(window[1], max(supported, default=0))
    sample["relative"] = relative.clip(min(low, -1), max(high, 0))
    leads_lags = sorted(int(k) for k in sample["relative"].dropna().unique() if k != -1)
    if not leads_lags or -1 not in set(sample["relative"].dropna()):
        return EventStudy(empty, None, 0, "No treated authority has the year before its start.")
    X = _fixed_effects(sample)
    names = []
    for k in leads_lags:
        name = f"k{k}"
        X[name] = (sample["relative"] == k).astype(float)
        names.append(name)
    fit = _fit(sample["value"], X, pd.factorize(sample["code"], sort=True)[0])
    intervals = fit.conf_int(alpha=1 - CONFIDENCE)
    rows = [
        {
            "relative_year": -1,
            "estimate": 0.0,
            "low": 0.0,
            "high": 0.0,
            "n_treated": int((sample["relative"] == -1).sum()),
        }
    ]
    for k, name in zip(leads_lags, names, strict=True):
        rows.append(
            {
                "relative_year": k,
                "estimate": float(fit.params[name]),
                "low": float(intervals.loc[name, 0]),
                "high": float(intervals.loc[name, 1]),
                "n_treated": int((sample["relative"] == k).sum()),
            }
        )
    frame = pd.DataFrame(rows).sort_values("relative_year").reset_index(drop=True)
    pre = [name for k, name in zip(leads_lags, names, strict=True) if k <= -2]
    p_value = None
    if pre:
        restriction = np.zeros((len(pre), len(X.columns)))
        for row, name in enumerate(pre):
            restriction[row, list(X.columns).index(name)] = 1
        p_value = float(np.squeeze(fit.f_test(restriction).pvalue))
    return EventStudy(frame, p_value, len(pre))


# Caveats --------------------------------------------------------------------------------------


@dataclass
class Caveats:
    cells: int
    suppressed: int
    suppressed_treated: int
    small: int
    small_treated: int
    pre_years: int
    treated_clusters: int
    comparison_clusters: int
    pre_trend_p: float | None
    statements: list[str]


def caveats(
    panel: pd.DataFrame,
    starts: dict[str, int],
    comparison: list[str],
    years: tuple[int, int],
    did: DidResult,
    study: EventStudy,
) -> Caveats:
    """What this indicator's data can and cannot say, counted from the data itself."""
    first, last = years
    codes = set(starts) | set(comparison)
    expected = pd.MultiIndex.from_product(
        [sorted(codes), range(first, last + 1)], names=["code", "year"]
    )
    present = panel[panel["code"].isin(codes) & panel["year"].between(first, last)]
    present = present.set_index(["code", "year"]).reindex(expected)
    # A cell not in the panel at all (NaN after reindexing) is missing too.
    missing = present["suppressed"].map(lambda v: v != v or bool(v)).astype(bool)
    small = present["small"].map(lambda v: v == v and bool(v)).astype(bool)
    treated_index = present.index.get_level_values("code").isin(list(starts))
    statements = []
    n_missing, n_small = int(missing.sum()), int(small.sum())
    if n_missing:
        statements.append(
            f"{n_missing} of {len(present)} authority-years have no usable number (suppressed, "
            f"not published, no population estimate or before or after the authority existed), "
            f"{int(missing[treated_index].sum())} of them among the implementing authorities; "
            "they are left out, so the panel is unbalanced."
        )
    if n_small:
        statements.append(
            f"{n_small} authority-years rest on fewer than {SMALL_NUMBER} events "
            f"({int(small[treated_index].sum())} among the implementing authorities): their "
            "rates move a lot by chance."
        )
    pre = len(did.pre_years)
    if pre < 3:
        statements.append(
            f"Only {pre} year(s) before implementation: whether the groups were on parallel "
            "trends beforehand can hardly be checked, and the estimate depends on assuming so."
        )
    if study.pre_trend_p is not None:
        if study.pre_trend_p < 0.1:
            statements.append(
                f"The years before implementation already differ (pre-trend test p = "
                f"{study.pre_trend_p:.3f}): the parallel-trends assumption is doubtful."
            )
        else:
            statements.append(
                f"No clear difference before implementation (pre-trend test p = "
                f"{study.pre_trend_p:.3f}), which with so few years is weak reassurance."
            )
    treated_clusters = len(did.treated)
    if treated_clusters and treated_clusters < 30:
        statements.append(
            f"Only {treated_clusters} implementing authorities: cluster-robust standard errors "
            "can be too small with so few treated clusters, so the permutation interval is the "
            "more honest of the two."
        )
    if did.estimate is not None:
        e = did.estimate
        if e.low <= 0 <= e.high:
            statements.append(
                f"The 95% interval ({e.low:.1f} to {e.high:.1f}) includes no change: the data "
                "cannot tell an effect of this size from none."
            )
        else:
            statements.append(
                f"The 95% interval ({e.low:.1f} to {e.high:.1f}) excludes no change, but the "
                "implementing authorities chose to implement: other changes at the same time "
                "(leadership, Ofsted inspections, funding) could explain it."
            )
    if did.note:
        statements.append(did.note)
    return Caveats(
        cells=len(present),
        suppressed=n_missing,
        suppressed_treated=int(missing[treated_index].sum()),
        small=n_small,
        small_treated=int(small[treated_index].sum()),
        pre_years=pre,
        treated_clusters=treated_clusters,
        comparison_clusters=len(did.comparison),
        pre_trend_p=study.pre_trend_p,
        statements=statements,
    )
