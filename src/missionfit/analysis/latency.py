"""Latency of reports reaching the Force Commander: one empirical CDF per source."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from missionfit.analysis.style import COLUMN_WIDTH, CYCLE, humanize, new_figure, publication_style

_DASHES = ["solid", (0, (4, 1.5)), (0, (1, 1)), (0, (5, 1.5, 1, 1.5)), (0, (2, 1)), (0, (6, 2))]


def plot_fc_latency(
    latency: pd.DataFrame,
    by: str | None = None,
    names: dict[str, str] | None = None,
    width: float = COLUMN_WIDTH,
    log_x: bool | None = None,
    kind_names: dict[str, str] | None = None,
) -> tuple[Figure, np.ndarray]:
    """Empirical CDFs of `latency_days`, one line per source, pooled over replicates.

    Each legend entry gives the number of reports and the share that arrived in time (`timely`).

    Args:
        latency: `fc_latency.parquet` (replicate, source, source_kind, channel, latency_days, timely).
        by: Column that defines a source: `source` (unit) or `source_kind`. Default: `source` when there
            are at most 7 sources, else `source_kind`.
        names: Display names of source units (unit id → name from units.parquet; parentheses dropped).
        width: Figure width.
        log_x: Logarithmic latency axis (default: when latencies span more than two orders of magnitude).
        kind_names: Display names of unit kinds, for `by="source_kind"` (kind → `kind_label` of
            units.parquet); kinds without one are put in words.

    Returns:
        `(fig, axes)` with a single axes.
    """
    df = latency.copy()
    df["latency_days"] = pd.to_numeric(df["latency_days"], errors="coerce")
    df = df[np.isfinite(df["latency_days"])]
    if df.empty:
        raise ValueError("no finite latencies")
    if by is None:
        by = "source" if df["source"].nunique() <= 7 or "source_kind" not in df else "source_kind"
    if by == "source_kind":  # unit names do not apply to kinds
        names = {k: (kind_names or {}).get(k) or humanize(k) for k in df["source_kind"].astype(str).unique()}
    else:
        names = {k: re.sub(r"\s*\([^)]*\)", "", str(v)).strip() or str(v) for k, v in (names or {}).items()}
    order = df.groupby(by)["latency_days"].median().sort_values().index.tolist()
    pos = df["latency_days"][df["latency_days"] > 0]
    if log_x is None:
        log_x = bool(len(pos)) and float(pos.max()) / max(float(pos.min()), 1e-9) > 100
    with publication_style():
        fig = new_figure(width, 2.3 + 0.14 * len(order))
        ax = fig.add_subplot()
        for k, src in enumerate(order):
            sub = df[df[by] == src]
            x = np.sort(sub["latency_days"].to_numpy(float))
            if log_x:
                x = np.clip(x, 1e-3, None)
            y = np.arange(1, len(x) + 1) / len(x)
            timely = sub["timely"].astype(bool).mean() if "timely" in sub else np.nan
            name = names.get(str(src), str(src))
            lab = f"{name} ({len(x):,}" + (f"; {timely:.0%})" if np.isfinite(timely) else ")")
            ax.step(
                np.r_[x[0], x],
                np.r_[0.0, y],
                where="post",
                color=CYCLE[k % len(CYCLE)],
                ls=_DASHES[(k // len(CYCLE)) % len(_DASHES)] if k >= len(CYCLE) else _DASHES[k % 3],
                lw=1.1,
                label=lab,
                gid="ecdf",
            )
        if log_x:
            ax.set_xscale("log")
            ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
        else:
            ax.set_xlim(left=0)
        ax.set_ylim(0, 1.02)
        ax.set_xlabel("Latency to the Force Commander (days" + (", log scale)" if log_x else ")"))
        ax.set_ylabel("Share of reports arriving\nwithin this latency")
        fig.legend(
            loc="outside lower center",
            fontsize=6,
            handlelength=2.2,
            title="Source (reports; share in time)",
            title_fontsize=6.5,
            alignment="left",
        )
    return fig, np.array([ax], dtype=object)
