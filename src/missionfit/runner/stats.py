"""Statistics of replicates for the runner: t-intervals (`metrics.json`), paired differences and effect sizes.

The 95% intervals are Student-t intervals over replicates, mean ± t(0.975, n-1) · sd / √n, computed by the
package's one Student-t routine, `missionfit.analysis.stats` (a figure, a table and `metrics.json` give the same
interval for the same replicates).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from missionfit.analysis.stats import mean_ci95
from missionfit.contract import COMPARISON_COLUMNS

__all__ = ["mean_ci95", "paired_comparison", "paired_difference"]


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
    columns = [*by, *COMPARISON_COLUMNS]
    return pd.DataFrame(rows, columns=columns)
