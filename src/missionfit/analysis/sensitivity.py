"""Global sensitivity: Sobol indices (first and total order) or Morris μ* and σ, with confidence intervals."""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from missionfit.analysis.style import OKABE_ITO, PAGE_WIDTH, arm_label, label, new_figure, publication_style

_COLUMNS = {"method", "parameter", "metric", "S1", "S1_conf", "ST", "ST_conf", "S2", "S2_conf", "mu_star",
            "mu_star_conf", "sigma", "mu"}  # fmt: skip
_PREFERRED = ("goal_realization", "fc_current_warning_rate", "duplication", "asifu_use_rate_fc")


def sensitivity_methods(sens: pd.DataFrame) -> list[str]:
    """Methods present in a sensitivity table (`sobol`, `morris`), in that order."""
    present = {str(m).lower() for m in sens.get("method", pd.Series(dtype=str)).dropna()}
    return [m for m in ("sobol", "morris") if m in present] + sorted(present - {"sobol", "morris"})


def plot_sensitivity(
    sens: pd.DataFrame,
    method: str = "sobol",
    metrics: Sequence[str] | None = None,
    width: float = PAGE_WIDTH,
) -> tuple[Figure, np.ndarray]:
    """One panel per metric: horizontal bars per parameter with 95% confidence intervals.

    Sobol: first-order S1 and total-order ST side by side, parameters sorted by ST. Morris: μ* (mean absolute
    elementary effect) bars with their CI, and σ (spread of effects: interactions/non-linearity) as a
    marker, parameters sorted by μ*.

    Args:
        sens: `sensitivity.parquet` (method, parameter, metric, and S1, S1_conf, ST, ST_conf or mu_star,
            mu_star_conf, sigma). `*_conf` are half-widths of the 95% CI, as SALib reports them.
        method: `sobol` or `morris`.
        metrics: Metrics to show (default: up to four, goal realization first).
        width: Figure width.

    With grouping columns (separate analyses per level of another swept key), the first group is drawn and
    named in the panel titles.

    Returns:
        `(fig, axes)`: one axes per metric.
    """
    df = sens[sens["method"].astype(str).str.lower() == method].copy()
    if df.empty:
        raise ValueError(f"sensitivity table has no {method!r} rows")
    # Separate analyses (the runner adds a column per other swept key): show the first one, say which.
    group_cols = [c for c in df.columns if c not in _COLUMNS]
    where = ""
    if group_cols:
        first = df[group_cols].drop_duplicates().iloc[0]
        for c in group_cols:
            df = df[df[c].astype(str) == str(first[c])]
        where = "; ".join(f"{label(c)} = {arm_label(first[c]) if c == 'interventions' else first[c]}"
                          for c in group_cols)  # fmt: skip
    present = list(dict.fromkeys(df["metric"].astype(str)))
    if metrics is None:
        metrics = [m for m in _PREFERRED if m in present] + [m for m in present if m not in _PREFERRED]
        metrics = metrics[:4]
    metrics = [m for m in metrics if m in present]
    if not metrics:
        raise ValueError("sensitivity table has none of the requested metrics")
    n_par = df["parameter"].nunique()
    ncol = min(len(metrics), 2)
    nrow = math.ceil(len(metrics) / ncol)
    if len(metrics) == 1:
        width = min(width, 3.5)
    height = 0.7 + nrow * (0.5 + 0.22 * n_par * (1.4 if method == "sobol" else 1.0))
    with publication_style():
        fig = new_figure(width, height)
        axes = fig.subplots(nrow, ncol, squeeze=False).ravel()
        for ax in axes[len(metrics) :]:
            ax.remove()
        axes = axes[: len(metrics)]
        for ax, metric in zip(axes, metrics, strict=True):
            sub = df[df["metric"].astype(str) == metric]
            if method == "sobol":
                _sobol(ax, sub)
            else:
                _morris(ax, sub)
            ax.set_title(label(metric) + (f" ({where})" if where else ""), loc="left", fontsize=7.5)
            ax.set_ylabel("Parameter")
        handles, labels = axes[0].get_legend_handles_labels()
        fig.legend(handles, labels, loc="outside upper right", ncol=len(labels), fontsize=6.5)
    return fig, np.asarray(axes)


def _param_labels(params: Sequence[str]) -> list[str]:
    return [textwrap.fill(label(p), 22) for p in params]


def _sobol(ax, sub: pd.DataFrame) -> None:
    sub = sub.sort_values("ST", ascending=True)
    y = np.arange(len(sub))
    h = 0.38
    for col, off, color, name in (
        ("ST", h / 2, OKABE_ITO["blue"], "Total order (ST)"),
        ("S1", -h / 2, OKABE_ITO["orange"], "First order (S1)"),
    ):
        vals = sub[col].to_numpy(float)
        conf = sub.get(f"{col}_conf", pd.Series(np.nan, index=sub.index)).to_numpy(float)
        ax.barh(y + off, vals, height=h, color=color, label=name, gid=f"bar:{col}")
        ax.errorbar(vals, y + off, xerr=np.nan_to_num(conf), fmt="none", ecolor="#222222", elinewidth=0.7, capsize=1.5)
    ax.set_yticks(y, _param_labels(sub["parameter"]))
    ax.axvline(0, color="#777777", lw=0.5)
    ax.set_xlabel("Sobol index (share of output variance)")
    ax.set_xlim(left=min(0.0, float(np.nanmin(sub[["S1", "ST"]].to_numpy(float))) - 0.05))


def _morris(ax, sub: pd.DataFrame) -> None:
    sub = sub.sort_values("mu_star", ascending=True)
    y = np.arange(len(sub))
    vals = sub["mu_star"].to_numpy(float)
    conf = sub.get("mu_star_conf", pd.Series(np.nan, index=sub.index)).to_numpy(float)
    ax.barh(y, vals, height=0.6, color=OKABE_ITO["blue"], label="μ* (mean |elementary effect|)", gid="bar:mu_star")
    ax.errorbar(vals, y, xerr=np.nan_to_num(conf), fmt="none", ecolor="#222222", elinewidth=0.7, capsize=1.5)
    if "sigma" in sub:
        ax.plot(
            sub["sigma"].to_numpy(float),
            y,
            ls="",
            marker="D",
            ms=3,
            mfc="white",
            mec=OKABE_ITO["vermillion"],
            mew=0.9,
            label="σ (spread of effects)",
        )
    ax.set_yticks(y, _param_labels(sub["parameter"]))
    ax.set_xlabel("Morris elementary effect")
    ax.set_xlim(left=0)
