"""Statistics of replicates: t-intervals, paired differences and effect sizes.

The 95% intervals are Student-t intervals over replicates, mean ± t(0.975, n-1) · sd / √n. The t quantile is
computed here (exact values for small degrees of freedom, the Cornish-Fisher expansion of Abramowitz & Stegun
26.7.5 beyond), so the runner does not need SciPy.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

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


def paired_difference(treatment: Sequence[float], baseline: Sequence[float]) -> dict[str, float]:
    """Compare two arms replicate by replicate (common random numbers).

    Args:
        treatment: Metric values of the arm, aligned with `baseline` by replicate.
        baseline: Metric values of the baseline arm.

    Returns:
        `mean_diff`, `ci_low`, `ci_high` (95% t-interval of the paired differences), `effect_size`
        (Cohen's d_z = mean / sd of the differences; NaN when sd = 0) and `n`.
    """
    d = np.asarray(treatment, dtype=float) - np.asarray(baseline, dtype=float)
    d = d[np.isfinite(d)]
    mean, low, high = mean_ci95(d)
    sd = float(d.std(ddof=1)) if d.size > 1 else math.nan
    effect = mean / sd if sd and math.isfinite(sd) and sd > 0 else math.nan
    return {"mean_diff": mean, "ci_low": low, "ci_high": high, "effect_size": effect, "n": int(d.size)}


def paired_comparison(
    frame: pd.DataFrame,
    *,
    arm_col: str,
    baseline: str,
    metrics: Sequence[str],
    by: Sequence[str] = (),
    pair_col: str = "replicate",
) -> pd.DataFrame:
    """Paired differences of every arm against the baseline arm, for every metric.

    Args:
        frame: One row per arm × replicate (e.g. a sweep's `summary.parquet`).
        arm_col: Column naming the arm.
        baseline: Arm label of the baseline.
        metrics: Metric columns to compare.
        by: Further columns that define separate comparisons (e.g. other swept keys).
        pair_col: Column pairing the rows of two arms (the replicate index: common random numbers).

    Returns:
        Columns `*by, arm, metric, mean_diff, ci_low, ci_high, effect_size, n`; empty when no baseline.
    """
    rows: list[dict] = []
    groups = frame.groupby(list(by), dropna=False, sort=False) if by else [((), frame)]
    for key, group in groups:
        key = key if isinstance(key, tuple) else (key,)
        base = group[group[arm_col] == baseline].set_index(pair_col)
        if base.empty:
            continue
        for arm, sub in group.groupby(arm_col, sort=False):
            if arm == baseline:
                continue
            sub = sub.set_index(pair_col)
            common = sub.index.intersection(base.index)
            for metric in metrics:
                stats = paired_difference(sub.loc[common, metric].to_numpy(), base.loc[common, metric].to_numpy())
                rows.append({**dict(zip(by, key, strict=True)), "arm": arm, "metric": metric, **stats})
    columns = [*by, "arm", "metric", "mean_diff", "ci_low", "ci_high", "effect_size", "n"]
    return pd.DataFrame(rows, columns=columns)
