"""Small statistics for figures and reports: t-based 95% CIs and paired differences (common random numbers).

Kept free of SciPy (not a dependency of missionfit): the two-sided 95% t quantile is tabulated for small
degrees of freedom and uses the Cornish-Fisher expansion beyond (error < 1e-4 for df > 30).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from missionfit.analysis.style import arm_key

# t_{0.975, df} for df = 1..30.
_T975 = (
    12.7062,
    4.3027,
    3.1824,
    2.7764,
    2.5706,
    2.4469,
    2.3646,
    2.3060,
    2.2622,
    2.2281,
    2.2010,
    2.1788,
    2.1604,
    2.1448,
    2.1314,
    2.1199,
    2.1098,
    2.1009,
    2.0930,
    2.0860,
    2.0796,
    2.0739,
    2.0687,
    2.0639,
    2.0595,
    2.0555,
    2.0518,
    2.0484,
    2.0452,
    2.0423,
)
_Z975 = 1.959963984540054


def t975(df: float) -> float:
    """Two-sided 95% quantile of Student's t with `df` degrees of freedom (NaN for df < 1)."""
    if not df >= 1:
        return float("nan")
    if df <= 30 and float(df).is_integer():
        return _T975[int(df) - 1]
    z, v = _Z975, float(df)
    return (
        z
        + (z**3 + z) / (4 * v)
        + (5 * z**5 + 16 * z**3 + 3 * z) / (96 * v**2)
        + (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / (384 * v**3)
    )


def mean_ci(values: Iterable[float]) -> tuple[float, float, float, int]:
    """Mean and t-based 95% confidence interval of the mean.

    Args:
        values: Observations (NaN ignored).

    Returns:
        `(mean, ci_low, ci_high, n)`; the interval is NaN when fewer than two observations.
    """
    x = np.asarray(list(values), dtype=float)
    x = x[np.isfinite(x)]
    n = int(x.size)
    if n == 0:
        return float("nan"), float("nan"), float("nan"), 0
    m = float(x.mean())
    if n < 2:
        return m, float("nan"), float("nan"), n
    half = t975(n - 1) * float(x.std(ddof=1)) / math.sqrt(n)
    return m, m - half, m + half, n


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
    ground-truth events (MODEL.md §6), so the CI comes from the paired differences.

    Args:
        summary: One row per job × replicate.
        metrics: Metric columns to compare.
        arm_col: Column naming the arm.
        baseline: The baseline arm (any spelling `parse_arm` accepts).
        pair_on: Columns identifying a pair.

    Returns:
        A table with columns arm, metric, mean_diff, ci_low, ci_high, effect_size, n (empty if no baseline).
    """
    cols = ["arm", "metric", "mean_diff", "ci_low", "ci_high", "effect_size", "n"]
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
