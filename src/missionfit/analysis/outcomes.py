"""Goal realization overall and per mandate line, with 95% CIs (from metrics.json or replicates.parquet)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from missionfit.analysis.io import metric_value
from missionfit.analysis.stats import mean_ci
from missionfit.analysis.style import COLUMN_WIDTH, LABELS, OKABE_ITO, new_figure, publication_style

#: Mandate lines in display order (docs/ODD.md §2).
LINES = ("security", "protection_of_civilians", "political_process", "state_authority", "humanitarian")


def goal_table(metrics: dict | None = None, replicates: pd.DataFrame | None = None) -> pd.DataFrame:
    """Mean and 95% CI of goal realization, overall and per mandate line.

    Replicates give t-based CIs; otherwise `metrics.json` values are used as written.

    Returns:
        Rows (name, label, mean, ci_low, ci_high), overall first; empty if neither input has them.
    """
    rows = []
    names = ["goal_realization"]
    lines = list(LINES)
    if replicates is not None:
        lines += sorted(
            c.split(".", 1)[1]
            for c in replicates.columns
            if c.startswith("goal_realization_by_line.") and c.split(".", 1)[1] not in LINES
        )
    elif metrics is not None and isinstance(metrics.get("goal_realization_by_line"), dict):
        lines += sorted(k for k in metrics["goal_realization_by_line"] if k not in LINES)
    names += [f"goal_realization_by_line.{line}" for line in lines]
    for name in names:
        if replicates is not None and name in replicates.columns:
            m, lo, hi, _ = mean_ci(replicates[name])
        else:
            m, lo, hi = metric_value(metrics, name)
        if np.isfinite(m):
            line = name.split(".", 1)[1] if "." in name else None
            text = "All lines (weighted)" if line is None else LABELS.get(line, line.replace("_", " ")).capitalize()
            rows.append({"name": name, "label": text, "mean": m, "ci_low": lo, "ci_high": hi})
    return pd.DataFrame(rows, columns=["name", "label", "mean", "ci_low", "ci_high"])


def plot_goal_by_line(table: pd.DataFrame, width: float = COLUMN_WIDTH) -> tuple[Figure, np.ndarray]:
    """Dot-and-interval chart of goal realization per mandate line (overall on top, set apart).

    Args:
        table: Output of `goal_table`.
        width: Figure width.

    Returns:
        `(fig, axes)` with a single axes.
    """
    if table.empty:
        raise ValueError("no goal realization values")
    n = len(table)
    y = np.arange(n)[::-1].astype(float)
    y[1:] -= 0.4  # a gap under the overall row
    with publication_style():
        fig = new_figure(width, 0.8 + 0.25 * n)
        ax = fig.add_subplot()
        for yy, r in zip(y, table.itertuples(index=False), strict=True):
            overall = r.name == "goal_realization"
            lo = r.mean - r.ci_low if np.isfinite(r.ci_low) else 0.0
            hi = r.ci_high - r.mean if np.isfinite(r.ci_high) else 0.0
            ax.errorbar(
                r.mean,
                yy,
                xerr=[[lo], [hi]],
                fmt="D" if overall else "o",
                ms=4 if overall else 3.5,
                color=OKABE_ITO["black"] if overall else OKABE_ITO["blue"],
                ecolor="#333333",
                elinewidth=0.9,
                capsize=1.8,
            )
        ax.set_yticks(y, list(table["label"]))
        lows = pd.to_numeric(table["ci_low"], errors="coerce")
        highs = pd.to_numeric(table["ci_high"], errors="coerce")
        # [0, 1], widened only if a t-interval pokes out (small n): never cut an interval off
        ax.set_xlim(
            min(0.0, float(lows.min()) - 0.02) if lows.notna().any() else 0.0,
            max(1.0, float(highs.max()) + 0.02) if highs.notna().any() else 1.0,
        )
        ax.set_xlabel("Goal realization (share of event severity\nmitigated; mean and 95% CI)")
        ax.set_ylabel("Mandate line")
        ax.grid(axis="x", color="#E0E0E0", lw=0.5)
        ax.set_axisbelow(True)
    return fig, np.array([ax], dtype=object)
