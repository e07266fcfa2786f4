"""Time series over the rotation: the mean over replicates with a band holding 95% of the replicates."""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from missionfit.analysis.stats import t_quantile_975
from missionfit.analysis.style import CYCLE, PAGE_WIDTH, arm_label, label, new_figure, publication_style
from missionfit.contract import TIMESERIES_FILE, UNIT_INTERVAL_KINDS, Kind, columns_of_kind

#: Series shown by default, in this order, when present in timeseries.parquet.
DEFAULT_SERIES = ("goal_realization", "fc_current_warning_rate", "reports_delivered", "mean_trust")
#: Stand-ins when a default series is missing.
_FALLBACK = {"fc_current_warning_rate": "fc_warned"}

#: Per-day counts, by the contract's kinds (smoothed with a centred 7-day mean; the y label says so).
COUNT_SERIES = frozenset(columns_of_kind(TIMESERIES_FILE, Kind.COUNT))

#: Series in [0, 1] (shares and indices): their axis spans at least `MIN_SHARE_SPAN`.
SHARE_SERIES = frozenset(columns_of_kind(TIMESERIES_FILE, *UNIT_INTERVAL_KINDS))
MIN_SHARE_SPAN = 0.1

_Y_LABELS = {
    "goal_realization": "Goal realization to date",
    "fc_current_warning_rate": "Threats warned to FC in time, to date",
    "fc_warned": "Timely warnings to FC per day",
    "events": "Events per day",
    "reports_created": "Reports created per day",
    "reports_delivered": "Reports delivered per day",
    "reports_dropped": "Reports dropped per day",
    "hops": "Transmission attempts per day",
    "mean_trust": "Mean trust between units",
}


def plot_timeseries(
    ts: pd.DataFrame,
    series: Sequence[str] | None = None,
    group: str | None = None,
    band: str | None = None,
    smooth_days: int = 7,
    width: float = PAGE_WIDTH,
) -> tuple[Figure, np.ndarray]:
    """One panel per series: mean over replicates per day, with a band.

    Args:
        ts: `timeseries.parquet` (replicate, day, series columns); with `group`, several arms stacked.
        series: Columns to draw (default: `DEFAULT_SERIES` present, else the first four numeric columns).
        group: Optional column that splits the lines (e.g. `arm`); one colour per group.
        band: `quantile` (2.5-97.5% of replicates: the spread of outcomes) or `ci` (95% CI of the mean).
            Default: `quantile` for one group, `ci` when comparing groups (overlapping spreads hide means).
        smooth_days: Window of the centred moving mean applied to per-day counts (1 = none).
        width: Figure width.

    Returns:
        `(fig, axes)`: one axes per series (unused grid cells removed).
    """
    if "day" not in ts.columns:
        raise ValueError("timeseries table has no 'day' column")
    skip = {"replicate", "day", "job", group}
    if series is None:
        series = [s if s in ts.columns else _FALLBACK.get(s, s) for s in DEFAULT_SERIES]
        series = [s for s in series if s in ts.columns]
        if not series:
            series = [c for c in ts.columns if c not in skip and pd.api.types.is_numeric_dtype(ts[c])][:4]
    series = [s for s in series if s in ts.columns]
    if not series:
        raise ValueError("timeseries table has none of the requested series")
    ncol = 2 if len(series) > 1 else 1
    nrow = math.ceil(len(series) / ncol)
    if len(series) == 1:
        width = min(width, 3.5)
    height = 0.4 + 1.75 * nrow
    groups = list(dict.fromkeys(ts[group])) if group else [None]
    if band is None:
        band = "ci" if len(groups) > 1 else "quantile"
    alpha = 0.22 if len(groups) == 1 else 0.14
    with publication_style():
        fig = new_figure(width, height)
        axes = fig.subplots(nrow, ncol, squeeze=False, sharex=True).ravel()
        for ax in axes[len(series) :]:
            ax.remove()
        axes = axes[: len(series)]
        for ax, col in zip(axes, series, strict=True):
            window = smooth_days if col in COUNT_SERIES and smooth_days > 1 else 1
            for k, g in enumerate(groups):
                sub = ts if g is None else ts[ts[group] == g]
                stats = _daily(sub, col, window, band)
                color = CYCLE[k % len(CYCLE)]
                if col in COUNT_SERIES:
                    stats["lo"] = stats["lo"].clip(lower=0)
                ax.fill_between(stats.index, stats["lo"], stats["hi"], color=color, alpha=alpha, lw=0, gid="band")
                name = arm_label(g) if group in ("arm", "interventions") else str(g)
                ax.plot(stats.index, stats["mean"], color=color, lw=1.1, gid="mean", label=name)
            ylab = _Y_LABELS.get(col, label(col))
            if window > 1:
                ylab += f" ({window}-day mean)"
            ax.set_ylabel(textwrap.fill(ylab, 26))
            ax.margins(x=0)
            lo, hi = ax.get_ylim()
            if col in SHARE_SERIES:
                if hi - lo < MIN_SHARE_SPAN:  # do not blow rounding-level changes up to the full height
                    mid = (lo + hi) / 2
                    lo, hi = mid - MIN_SHARE_SPAN / 2, mid + MIN_SHARE_SPAN / 2
                    if lo < 0:
                        lo, hi = 0.0, MIN_SHARE_SPAN
                    if hi > 1:
                        lo, hi = 1.0 - MIN_SHARE_SPAN, 1.0
                ax.set_ylim(max(lo, 0.0), min(hi, 1.0))
            elif col in COUNT_SERIES:
                ax.set_ylim(max(lo, 0.0), hi)
        for ax in axes[-ncol:]:
            ax.set_xlabel("Day of the rotation")
            ax.tick_params(labelbottom=True)
        what = "2.5-97.5% of replicates" if band == "quantile" else "95% CI of the mean"
        if "replicate" not in ts.columns:
            n_rep = 1
        elif group:
            n_rep = int(ts.groupby(group)["replicate"].nunique().max())
        else:
            n_rep = ts["replicate"].nunique()
        handles, labels = axes[0].get_legend_handles_labels()
        if group and len(groups) > 1:
            fig.legend(handles, labels, loc="outside upper center", ncol=min(len(groups), 3), fontsize=6.5)
        per = " per arm" if group and len(groups) > 1 else ""
        fig.supxlabel(f"Line: mean over {n_rep} replicates{per}; band: {what}.", fontsize=6, color="#444444")
    return fig, np.asarray(axes)


def _daily(sub: pd.DataFrame, col: str, window: int, band: str) -> pd.DataFrame:
    """Per-day mean and band over replicates, after smoothing each replicate's series."""
    if "replicate" in sub.columns:
        wide = sub.pivot_table(index="day", columns="replicate", values=col, aggfunc="mean").sort_index()
    else:
        wide = sub.groupby("day")[col].mean().to_frame()
    if window > 1:
        wide = wide.rolling(window, center=True, min_periods=1).mean()
    mean = wide.mean(axis=1)
    if band == "ci":
        n = wide.notna().sum(axis=1)
        half = wide.std(axis=1, ddof=1) / np.sqrt(n) * n.map(lambda k: t_quantile_975(k - 1) if k > 1 else np.nan)
        lo, hi = mean - half, mean + half
    else:
        lo, hi = wide.quantile(0.025, axis=1), wide.quantile(0.975, axis=1)
    return pd.DataFrame({"mean": mean, "lo": lo.fillna(mean), "hi": hi.fillna(mean)})
