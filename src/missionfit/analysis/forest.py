"""Counterfactual forest plot: paired difference (arm − baseline) per metric, with 95% CIs."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

import matplotlib.lines as mlines
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from missionfit.analysis.style import (
    COLUMN_WIDTH,
    OKABE_ITO,
    PAGE_WIDTH,
    arm_label,
    label,
    new_figure,
    publication_style,
)
from missionfit.contract import COMPARISON_COLUMNS, arm_key, is_unit_interval

#: Metrics shown by default, in this order, when present.
KEY_METRICS = (
    "goal_realization",
    "fc_current_warning_rate",
    "asifu_use_rate_fc",
    "jmac_receipt_from_sf_isr",
    "duplication",
)


def plot_forest(
    comparison: pd.DataFrame,
    metrics: Sequence[str] | None = None,
    width: float | None = None,
) -> tuple[Figure, np.ndarray]:
    """One panel per metric, one row per intervention arm: mean paired difference and its 95% CI.

    A filled marker means the CI excludes zero; an open marker that it does not.

    Args:
        comparison: `comparison.parquet` (arm, metric, mean_diff, ci_low, ci_high[, n]).
        metrics: Metrics to show (default: `KEY_METRICS` present, else every metric in the table, at most 5).
        width: Figure width (default: a column for one metric, a page for more).

    Returns:
        `(fig, axes)`: one axes per metric, sharing the arm axis.
    """
    df = comparison.copy()
    df["metric"] = df["metric"].astype(str)
    if metrics is None:
        present = list(dict.fromkeys(df["metric"]))
        metrics = [m for m in KEY_METRICS if m in present] or present[:5]
    metrics = [m for m in metrics if m in set(df["metric"])]
    if not metrics:
        raise ValueError("comparison table has none of the requested metrics")
    df["_arm"] = df["arm"].map(arm_key)
    by = [c for c in df.columns if c not in _COLUMNS and not c.startswith("_")]
    names = {a: arm_label(a) for a in df["_arm"]}
    if by:  # separate comparisons (e.g. per fit level): one row per arm and level
        extra = df[by].apply(lambda r: ", ".join(f"{label(k)} = {_value(v)}" for k, v in r.items()), axis=1)
        df["_arm"] = df["_arm"] + " | " + extra
        names = {k: f"{arm_label(k.split(' | ')[0])} ({k.split(' | ', 1)[1]})" for k in df["_arm"]}
    arms = list(dict.fromkeys(df.loc[df["metric"] == metrics[0], "_arm"]))
    for m in metrics[1:]:
        arms += [a for a in dict.fromkeys(df.loc[df["metric"] == m, "_arm"]) if a not in arms]
    # Order arms by their effect on the first metric (largest on top).
    first = df[df["metric"] == metrics[0]].set_index("_arm")["mean_diff"]
    arms.sort(key=lambda a: -first.get(a, -np.inf) if np.isfinite(first.get(a, np.nan)) else np.inf)
    n_arms = len(arms)
    y = {a: n_arms - 1 - i for i, a in enumerate(arms)}
    if width is None:
        width = COLUMN_WIDTH if len(metrics) == 1 else PAGE_WIDTH
    height = 1.1 + 0.3 * n_arms
    wrap = max(12, int((width - 1.6) / len(metrics) * 72 / 4.3))
    # shares and indices in [0, 1] (the contract's kinds) are shown in percentage points
    scale = {m: 100.0 if is_unit_interval(m) else 1.0 for m in metrics}
    unit = " (percentage points)" if all(v == 100.0 for v in scale.values()) else ""
    with publication_style():
        fig = new_figure(width, height)
        axes = np.atleast_1d(fig.subplots(1, len(metrics), sharey=True, squeeze=False)[0])
        for ax, metric in zip(axes, metrics, strict=True):
            sub = df[df["metric"] == metric].set_index("_arm")
            for arm in arms:
                if arm not in sub.index:
                    continue
                r = sub.loc[arm]
                if isinstance(r, pd.DataFrame):
                    r = r.iloc[0]
                m, lo, hi = (scale[metric] * float(r[k]) for k in ("mean_diff", "ci_low", "ci_high"))
                sig = np.isfinite(lo) and np.isfinite(hi) and (lo > 0 or hi < 0)
                err = [[m - lo if np.isfinite(lo) else 0.0], [hi - m if np.isfinite(hi) else 0.0]]
                ax.errorbar(
                    m,
                    y[arm],
                    xerr=err,
                    fmt="o",
                    color=OKABE_ITO["blue"],
                    ecolor="#333333",
                    elinewidth=0.9,
                    capsize=1.8,
                    ms=3.6,
                    mfc=OKABE_ITO["blue"] if sig else "white",
                    mew=0.9,
                    label=names[arm],
                )
            ax.axvline(0, color="#777777", lw=0.6, ls=(0, (3, 2)), zorder=0)
            ax.ticklabel_format(axis="x", useOffset=False, style="plain")
            vals = sub[["mean_diff", "ci_low", "ci_high"]].to_numpy(float) * scale[metric]
            span = np.nanmax(np.abs(vals)) if np.isfinite(vals).any() else 0.0
            if span < 1e-9:  # no difference at all: a readable symmetric axis instead of rounding noise
                ax.set_xlim(-1, 1)
            ax.set_title(textwrap.fill(label(metric), wrap), loc="left", fontsize=7)
            ax.xaxis.set_major_locator(_locator())
            ax.margins(x=0.15)
        axes[0].set_yticks(list(y.values()), [textwrap.fill(names[a], 24) for a in y])
        axes[0].set_ylim(-0.6, n_arms - 0.4)
        axes[0].set_ylabel("Intervention")
        for ax in axes[1:]:
            ax.tick_params(labelleft=False)
        for ax, metric in zip(axes, metrics, strict=True):
            if scale[metric] == 100.0 and not unit:
                ax.set_title(ax.get_title() + " (pp)", loc="left", fontsize=7)
        if len(axes) == 1:
            axes[0].set_xlabel("Difference from baseline" + unit)
        else:
            fig.supxlabel("Difference from baseline" + (unit or " (intervention − as observed)"), fontsize=8)
        keys = [
            mlines.Line2D([], [], ls="", marker="o", ms=3.6, color=OKABE_ITO["blue"], label="95% CI excludes 0"),
            mlines.Line2D(
                [],
                [],
                ls="",
                marker="o",
                ms=3.6,
                mfc="white",
                mew=0.9,
                color=OKABE_ITO["blue"],
                label="95% CI includes 0",
            ),
        ]
        fig.legend(handles=keys, loc="outside upper right", ncol=2, fontsize=6, handletextpad=0.2, columnspacing=1.0)
    return fig, axes


_COLUMNS = set(COMPARISON_COLUMNS)


def _value(v: object) -> str:
    try:
        return f"{float(v):g}"
    except (TypeError, ValueError):
        return str(v)


def _locator():
    from matplotlib.ticker import MaxNLocator

    return MaxNLocator(nbins=3, steps=[1, 2, 5, 10])
