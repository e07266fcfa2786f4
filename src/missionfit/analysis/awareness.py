"""How early the Force Commander is aware of imminent security threats (v2 core, `events.parquet`)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from missionfit.analysis.style import COLUMN_WIDTH, CYCLE, arm_label, new_figure, publication_style

#: Columns of `events.parquet` the awareness curve needs.
EVENT_COLUMNS = ("time", "fc_aware_time", "is_false", "line", "horizon")


def imminent_threats(events: pd.DataFrame) -> pd.DataFrame:
    """The true imminent security threats of an events table (the denominator of `fc_awareness_rate`).

    Raises:
        ValueError: A needed column is missing.
    """
    missing = [c for c in EVENT_COLUMNS if c not in events.columns]
    if missing:
        raise ValueError("events table lacks " + ", ".join(missing))
    keep = (
        (events["line"].astype(str) == "security")
        & (events["horizon"].astype(str) == "imminent")
        & ~events["is_false"].astype(bool)
    )
    return events[keep]


def awareness_curve(threats: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, float]:
    """The share of threats the FC was aware of at least x days before the event, as a step function.

    Args:
        threats: Rows of `imminent_threats` (one group).

    Returns:
        `(x, share, never)`: the lead times x (0 first, then the distinct positive leads, ascending), the share of
        threats with lead ≥ x (non-increasing; at x = 0 the aware share) and the never-aware share.
    """
    n = len(threats)
    if n == 0:
        raise ValueError("no imminent security threats")
    lead = pd.to_numeric(threats["time"], errors="coerce") - pd.to_numeric(threats["fc_aware_time"], errors="coerce")
    lead = lead.to_numpy(float)
    never = float(np.mean(~np.isfinite(lead)))
    aware = np.sort(lead[np.isfinite(lead) & (lead >= 0)])
    x = np.unique(np.r_[0.0, aware])
    share = (len(aware) - np.searchsorted(aware, x, side="left")) / n  # #{lead >= x} / n
    return x, share, never


def plot_awareness_curve(
    events: pd.DataFrame, group: str = "arm", width: float = COLUMN_WIDTH, labels: dict[str, str] | None = None
) -> tuple[Figure, np.ndarray]:
    """Share of imminent security threats the FC was aware of at least x days before the event.

    A step curve over x in [0, the longest lead], pooled over replicates: one line per arm when `events` has a
    `group` column, else one line. Each legend entry gives the number of threats and the never-aware share.

    Args:
        events: `events.parquet` (columns `time`, `fc_aware_time`, `is_false`, `line`, `horizon`; optionally
            `arm`).
        group: Column that splits the lines (default `arm`).
        width: Figure width.
        labels: Intervention name -> label for the arms (default: the config folder's).

    Returns:
        `(fig, axes)` with a single axes; one line (gid `awareness`) per group.
    """
    threats = imminent_threats(events)
    if threats.empty:
        raise ValueError("no imminent true security threats")
    grouped = group in threats.columns
    if grouped:
        keys = sorted(set(threats[group].astype(str)), key=lambda a: (a not in ("[]", "baseline"), a))
        parts = [(arm_label(k, labels), threats[threats[group].astype(str) == k]) for k in keys]
    else:
        parts = [("This run", threats)]
    with publication_style():
        fig = new_figure(width, 2.3 + 0.14 * len(parts))
        ax = fig.add_subplot()
        xmax = 0.0
        for k, (name, sub) in enumerate(parts):
            x, share, never = awareness_curve(sub)
            xmax = max(xmax, float(x[-1]))
            ax.step(
                x,
                share,
                where="pre",
                color=CYCLE[k % len(CYCLE)],
                lw=1.1,
                label=f"{name} ({len(sub):,}; never aware {never:.0%})",
                gid="awareness",
            )
        ax.set_xlim(0, xmax if xmax > 0 else 1.0)
        ax.set_ylim(0, 1.02)
        ax.set_xlabel("Days before the event (x)")
        ax.set_ylabel("Imminent security threats\nknown to the FC ≥ x days ahead")
        fig.legend(
            loc="outside lower center",
            fontsize=6,
            title="Threats (number; never aware in time)",
            title_fontsize=6.5,
            alignment="left",
        )
    return fig, np.array([ax], dtype=object)
