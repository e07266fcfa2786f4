"""What an accepted ensemble says: the posterior ranges beside the priors, and its medoid (validation.md §7.1).

The medoid is the accepted set with the smallest sum of Euclidean distances to the others, on the rank-scaled
parameters (each parameter's ranks among the accepted sets, scaled to [0, 1]), so that no parameter weighs more for
having a wider or differently scaled range. A parameter the calibration patterns cannot constrain keeps (about) its
whole prior: its accepted unit coordinates stay close to uniform, which a Kolmogorov-Smirnov test reports.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from missionfit.calibration.design import as_values, unit_column, unit_matrix
from missionfit.calibration.priors import PriorSpace

#: A parameter counts as constrained when its accepted unit coordinates differ from uniform at this level (KS).
KS_LEVEL = 0.01


def rank_scaled(x: np.ndarray) -> np.ndarray:
    """Each column's average ranks scaled to [0, 1] (a constant column is all 0.5)."""
    from scipy.stats import rankdata

    n = x.shape[0]
    if n == 1:
        return np.full_like(x, 0.5, dtype=float)
    return (rankdata(x, axis=0) - 1.0) / (n - 1.0)


def medoid_index(x: np.ndarray) -> int:
    """The row with the smallest sum of Euclidean distances to all rows, on rank-scaled columns (first on ties)."""
    if x.shape[0] == 0:
        raise ValueError("no accepted sets: an empty ensemble has no medoid")
    r = rank_scaled(x)
    dist = np.sqrt(((r[:, None, :] - r[None, :, :]) ** 2).sum(axis=2))
    return int(np.argmin(dist.sum(axis=1)))


def medoid(space: PriorSpace, accepted: pd.DataFrame) -> dict[str, Any]:
    """The medoid set of an accepted ensemble: its round, point and parameter values.

    Raises:
        ValueError: The ensemble is empty.
    """
    accepted = accepted.reset_index(drop=True)
    i = medoid_index(unit_matrix(space, accepted))
    row = accepted.iloc[i]
    return {"round": int(row["round"]), "point": int(row["point"]), "values": as_values(space, row)}


def posterior_ranges(space: PriorSpace, accepted: pd.DataFrame, chosen: dict[str, Any] | None = None) -> pd.DataFrame:
    """One row per parameter: its prior, the accepted sets' quantiles, and whether the patterns constrain it.

    Columns: `parameter`, `rule`, `source`, `prior_low`, `prior_high`, `log`, `accepted`, `q05`, `median`, `q95`
    (values), `u_q05`, `u_median`, `u_q95` (positions in the prior range, unit scale), `ks_p` (accepted unit
    coordinates against uniform), `constrained` (`ks_p` < `KS_LEVEL`), and `medoid` / `u_medoid` if given.
    """
    from scipy.stats import kstest

    rows = []
    for p in space.parameters:
        u = accepted[unit_column(p.name)].to_numpy(dtype=float) if len(accepted) else np.array([])
        v = accepted[p.name].to_numpy(dtype=float) if len(accepted) else np.array([])
        q = np.quantile(v, [0.05, 0.5, 0.95]) if len(v) else [np.nan] * 3
        uq = np.quantile(u, [0.05, 0.5, 0.95]) if len(u) else [np.nan] * 3
        ks = float(kstest(u, "uniform").pvalue) if len(u) >= 2 else np.nan
        row = {
            "parameter": p.name, "rule": p.rule, "source": p.source,
            "prior_low": p.choices[0] if p.choices else p.low, "prior_high": p.choices[-1] if p.choices else p.high,
            "log": p.log, "accepted": len(v), "q05": q[0], "median": q[1], "q95": q[2],
            "u_q05": uq[0], "u_median": uq[1], "u_q95": uq[2], "ks_p": ks,
            "constrained": bool(ks < KS_LEVEL) if np.isfinite(ks) else False,
        }  # fmt: skip
        if chosen is not None:
            row["medoid"] = chosen["values"][p.name]
            row["u_medoid"] = p.rank(chosen["values"][p.name])
        rows.append(row)
    return pd.DataFrame(rows)
