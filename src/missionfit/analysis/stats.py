"""Statistics of replicates: the package's one Student-t routine, 95% intervals and paired differences.

The 95% intervals are Student-t intervals over replicates, mean ± t(0.975, n-1) · sd / √n. The t quantile is
computed here (exact values for small degrees of freedom, the Cornish-Fisher expansion of Abramowitz & Stegun
26.7.5 beyond), so missionfit does not need SciPy. The runner's `metrics.json` intervals (`missionfit.runner.stats`),
the figures and the tables all use it, so they give the same interval for the same replicates.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from missionfit.contract import COMPARISON_COLUMNS, arm_key

#: Two-sided 95% quantiles t(0.975, df) for df = 1..30.
_T975 = (
    12.706204736174707,
    4.302652729749464,
    3.182446305284263,
    2.7764451051977934,
    2.570581835636314,
    2.4469118511449692,
    2.3646242515927844,
    2.306004135204166,
    2.2621571628540993,
    2.2281388519649385,
    2.200985160082949,
    2.1788128296634177,
    2.1603686564610127,
    2.1447866879169273,
    2.131449545559323,
    2.1199052992210112,
    2.109815577833181,
    2.10092204024096,
    2.093024054408263,
    2.0859634472658364,
    2.079613844727662,
    2.0738730679040147,
    2.068657610419041,
    2.063898561628021,
    2.0595385527532946,
    2.0555294386428713,
    2.0518305164802833,
    2.048407141795244,
    2.045229642132703,
    2.0422724563012373,
)
_Z975 = 1.959963984540054


def t_quantile_975(df: int) -> float:
    """Return the 0.975 quantile of Student's t distribution.

    Args:
        df: Degrees of freedom (≥ 1).

    Returns:
        t(0.975, df); exact to double precision for df ≤ 30, to better than 1e-6 beyond.

    Raises:
        ValueError: If `df` < 1.
    """
    if df < 1:
        raise ValueError(f"degrees of freedom must be >= 1, got {df}")
    if df <= len(_T975):
        return _T975[df - 1]
    z = _Z975
    g1 = (z**3 + z) / 4
    g2 = (5 * z**5 + 16 * z**3 + 3 * z) / 96
    g3 = (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / 384
    g4 = (79 * z**9 + 776 * z**7 + 1482 * z**5 - 1920 * z**3 - 945 * z) / 92160
    return z + g1 / df + g2 / df**2 + g3 / df**3 + g4 / df**4


def mean_ci95(values: Sequence[float] | np.ndarray) -> tuple[float, float, float]:
    """Mean and 95% t-interval of a sample.

    Args:
        values: The sample (NaNs are dropped).

    Returns:
        `(mean, low, high)`; `low`/`high` are NaN when fewer than two finite values remain.
    """
    x = np.asarray(values, dtype=float)
    x = x[np.isfinite(x)]
    n = x.size
    if n == 0:
        return math.nan, math.nan, math.nan
    mean = float(x.mean())
    if n < 2:
        return mean, math.nan, math.nan
    half = t_quantile_975(n - 1) * float(x.std(ddof=1)) / math.sqrt(n)
    return mean, mean - half, mean + half


def mean_ci(values: Iterable[float]) -> tuple[float, float, float, int]:
    """Mean and t-based 95% confidence interval of the mean, with the number of observations.

    Args:
        values: Observations (NaN ignored).

    Returns:
        `(mean, ci_low, ci_high, n)`; the interval is NaN when fewer than two observations.
    """
    x = np.asarray(list(values), dtype=float)
    x = x[np.isfinite(x)]
    mean, low, high = mean_ci95(x)
    return mean, low, high, int(x.size)


def paired_differences(
    summary: pd.DataFrame,
    metrics: Sequence[str],
    arm_col: str = "interventions",
    baseline: object = "[]",
    pair_on: Sequence[str] = ("replicate",),
) -> pd.DataFrame:
    """Paired differences arm − baseline per metric, the way `comparison.parquet` reports them.

    Rows are paired on `pair_on`: the replicate, plus any other swept column (e.g. a fit level) so that
    an arm is compared with the baseline of the same configuration. Replicate *r* of every arm sees the same
    ground-truth events (docs/ODD.md §4.9), so the CI comes from the paired differences.

    Args:
        summary: One row per job × replicate.
        metrics: Metric columns to compare.
        arm_col: Column naming the arm.
        baseline: The baseline arm (any spelling `parse_arm` accepts).
        pair_on: Columns identifying a pair.

    Returns:
        A table with columns arm, metric, mean_diff, ci_low, ci_high, effect_size, n (empty if no baseline).
    """
    cols = list(COMPARISON_COLUMNS)
    if arm_col not in summary.columns:
        return pd.DataFrame(columns=cols)
    df = summary.copy()
    df["_arm"] = df[arm_col].map(arm_key)
    base_key = arm_key(baseline)
    keys = [c for c in pair_on if c in df.columns]
    if not keys or base_key not in set(df["_arm"]):
        return pd.DataFrame(columns=cols)
    base = df[df["_arm"] == base_key]
    rows = []
    for arm in sorted(set(df["_arm"]) - {base_key}):
        other = df[df["_arm"] == arm]
        for metric in metrics:
            if metric not in df.columns:
                continue
            merged = other[keys + [metric]].merge(
                base[keys + [metric]].groupby(keys, as_index=False).mean(), on=keys, suffixes=("", "_base")
            )
            d = (merged[metric] - merged[f"{metric}_base"]).to_numpy(dtype=float)
            d = d[np.isfinite(d)]
            m, lo, hi, n = mean_ci(d)
            sd = float(d.std(ddof=1)) if n > 1 else float("nan")
            es = m / sd if sd and np.isfinite(sd) and sd > 0 else float("nan")
            rows.append(
                {
                    "arm": arm,
                    "metric": metric,
                    "mean_diff": m,
                    "ci_low": lo,
                    "ci_high": hi,
                    "effect_size": es,
                    "n": n,
                }
            )
    return pd.DataFrame(rows, columns=cols)
