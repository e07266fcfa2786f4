"""Goal realization decomposed by attribution path (v2 core, docs/design/v2-core.md §6.1): stacked bars per arm."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from missionfit.analysis.style import COLUMN_WIDTH, OKABE_ITO, arm_label, new_figure, publication_style
from missionfit.contract import PATHS

#: Column prefix of the per-path metrics.
PATH_PREFIX = "goal_realization_by_path."

#: Words for the attribution paths (legend), in the contract's path order.
PATH_LABELS = {
    "baseline": "Baseline (no action)",
    "own_sensing": "Own sensing",
    "commander_chain": "Commander chain",
    "intel_line": "Intelligence line (S2/G2/U2)",
    "all_source_fusion": "All-source fusion (ASIFU)",
    "mission_analysis": "Mission analysis (JMAC)",
    "other_analysis": "Other analysis",
    "board": "Coordination boards",
    "liaison": "Liaison",
    "informal": "Informal contacts",
}

#: Segment face colour and hatch per path: Okabe-Ito, grey for the baseline, a hatch for the tenth path.
PATH_STYLE = {
    "baseline": ("#BBBBBB", None),
    "own_sensing": (OKABE_ITO["yellow"], None),
    "commander_chain": (OKABE_ITO["orange"], None),
    "intel_line": (OKABE_ITO["sky_blue"], None),
    "all_source_fusion": (OKABE_ITO["blue"], None),
    "mission_analysis": (OKABE_ITO["bluish_green"], None),
    "other_analysis": (OKABE_ITO["reddish_purple"], None),
    "board": (OKABE_ITO["vermillion"], None),
    "liaison": (OKABE_ITO["black"], None),
    "informal": ("#FFFFFF", "////"),
}


def path_columns(table: pd.DataFrame) -> list[str]:
    """The `goal_realization_by_path.<path>` columns of a table, in the contract's path order."""
    return [f"{PATH_PREFIX}{p}" for p in PATHS if f"{PATH_PREFIX}{p}" in table.columns]


def path_table(table: pd.DataFrame, group: str = "arm") -> pd.DataFrame:
    """Mean goal realization per path over replicates, one row per group (or one row for the table).

    Args:
        table: `replicates.parquet` of a run, or a sweep summary with a `group` column.
        group: The column that defines a bar (used when present).

    Returns:
        Index: the groups (baseline arm first) or `["run"]`; columns: the paths present, in order.

    Raises:
        ValueError: The table has no `goal_realization_by_path.<path>` column.
    """
    cols = path_columns(table)
    if not cols:
        raise ValueError("no goal_realization_by_path.<path> columns")
    values = table[cols].apply(pd.to_numeric, errors="coerce")
    if group in table.columns:
        means = values.groupby(table[group].astype(str), sort=False).mean()
        means = means.loc[sorted(means.index, key=lambda a: (a not in ("[]", "baseline"), a))]
    else:
        means = values.mean().to_frame("run").T
    means.columns = [c[len(PATH_PREFIX) :] for c in cols]
    return means


def plot_path_decomposition(
    table: pd.DataFrame, group: str = "arm", width: float = COLUMN_WIDTH, labels: dict[str, str] | None = None
) -> tuple[Figure, np.ndarray]:
    """Stacked horizontal bar(s) of goal realization by attribution path (mean over replicates).

    One bar per arm when `table` has a `group` column (a sweep summary), else one bar for the run; the segments
    are the paths in the contract's order (`contract.PATHS`), so a bar's length is the mean goal realization.

    Args:
        table: `replicates.parquet` of a run (columns `goal_realization_by_path.<path>`), or a sweep summary with
            an `arm` column.
        group: Column that defines the bars (default `arm`).
        width: Figure width.
        labels: Intervention name -> label for the arms (default: the config folder's).

    Returns:
        `(fig, axes)` with a single axes; its patches are the segments, bar by bar, path by path.
    """
    means = path_table(table, group)
    if means.empty:
        raise ValueError("no rows to draw")
    n = len(means)
    y = np.arange(n)[::-1].astype(float)
    grouped = group in table.columns
    names = [arm_label(a, labels) for a in means.index] if grouped else ["This run"]
    with publication_style():
        fig = new_figure(width, 1.6 + 0.3 * n)
        ax = fig.add_subplot()
        left = np.zeros(n)
        for path in means.columns:
            w = means[path].fillna(0.0).to_numpy(float)
            face, hatch = PATH_STYLE.get(path, ("#999999", None))
            ax.barh(
                y,
                w,
                left=left,
                height=0.62,
                color=face,
                hatch=hatch,
                edgecolor="#333333" if hatch else "white",
                linewidth=0.4,
                label=PATH_LABELS.get(path, path.replace("_", " ")),
                gid=path,
            )
            left += w
        for yy, total in zip(y, left, strict=True):
            ax.text(total + 0.01, yy, f"{total:.0%}", va="center", ha="left", fontsize=6.5)
        ax.set_yticks(y, names)
        ax.set_xlim(0, max(1.0, float(left.max()) + 0.08))
        ax.set_xlabel("Goal realization (share of severity)")
        ax.grid(axis="x", color="#E0E0E0", lw=0.5)
        ax.set_axisbelow(True)
        handles = [
            Patch(
                facecolor=PATH_STYLE.get(p, ("#999999", None))[0],
                hatch=PATH_STYLE.get(p, ("#999999", None))[1],
                edgecolor="#333333",
                linewidth=0.4,
                label=PATH_LABELS.get(p, p.replace("_", " ")),
            )
            for p in means.columns
        ]
        fig.legend(
            handles=handles,
            loc="outside lower center",
            ncol=2,
            fontsize=6,
            title="Attribution path",
            title_fontsize=6.5,
        )
    return fig, np.array([ax], dtype=object)
