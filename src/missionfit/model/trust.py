"""Trust after a run (issue 16 §1): the dyads' metrics and `trust.parquet`, in O(interacting pairs)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from missionfit import engine as E

if TYPE_CHECKING:
    from missionfit.model.simulation import Simulation

#: Two components closer than this to their prior have not moved (float rounding of repeated updates aside).
MOVED_TOLERANCE = 1e-12


def _dyads(model: Simulation) -> tuple[np.ndarray, np.ndarray]:
    """The float and int rows of the interacting dyads (columns = dyads, in the order they first interacted)."""
    fl = model.engine_state.flow
    n = int(fl.counters[E.C_NDYAD])
    return fl.dy_f[:, :n], fl.dy_i[:, :n]


def trust_metrics(model: Simulation) -> dict[str, Any]:
    """`mean_trust` and the contract 3.0 trust metrics of one replicate."""
    f, _ = _dyads(model)
    c = model.engine_state.flow.counters
    n = f.shape[1]
    moved = (np.abs(f[E.DY_COMPETENCE] - f[E.DY_COMPETENCE0]) > MOVED_TOLERANCE) | (
        np.abs(f[E.DY_GOODWILL] - f[E.DY_GOODWILL0]) > MOVED_TOLERANCE
    )
    mean = (lambda a: float(np.mean(a))) if n else (lambda a: float("nan"))
    return {
        "mean_trust": mean(0.5 * (f[E.DY_COMPETENCE] + f[E.DY_GOODWILL])),
        "mean_competence": mean(f[E.DY_COMPETENCE]),
        "mean_goodwill": mean(f[E.DY_GOODWILL]),
        "trust_pairs": int(n),
        "trust_moved_share": mean(moved),
        "leaks": int(c[E.C_LEAKS]),
        "requests_sent": int(c[E.C_RFI_SENT]),
        "requests_answered": int(c[E.C_RFI_ANSWERED]),
        "escorts": int(c[E.C_ESCORTS]),
        "escorts_refused": int(c[E.C_ESCORTS_REFUSED]),
        "safety_incidents": int(c[E.C_INCIDENTS]),
    }


def trust_table(model: Simulation) -> pd.DataFrame:
    """`trust.parquet`'s rows of one replicate (contract `TRUST`, without `replicate`): one per interacting dyad."""
    f, i = _dyads(model)
    ids = model.mission.labels["unit_id"]
    return pd.DataFrame(
        {
            "source": ids.take(i[E.DY_TRUSTER]),
            "target": ids.take(i[E.DY_TRUSTEE]),
            "competence_initial": f[E.DY_COMPETENCE0].copy(),
            "competence_final": f[E.DY_COMPETENCE].copy(),
            "goodwill_initial": f[E.DY_GOODWILL0].copy(),
            "goodwill_final": f[E.DY_GOODWILL].copy(),
            "interactions": i[E.DY_INTERACTIONS].astype(np.int64),
        }
    )


def trust_of(model: Simulation, truster: int, trustee: int) -> tuple[float, float]:
    """(competence, goodwill) of unit `truster` in unit `trustee` now: the dyad's, or the prior if they never met."""
    if truster == trustee:
        return 1.0, 1.0
    fl = model.engine_state.flow
    from missionfit.engine.pictures import find

    row = int(find(fl.dy_keys, fl.dy_slots, truster * model.mission.n_units + trustee))
    if row < 0:
        p = model.mission.trust_prior[truster, trustee]
        return p, p
    return float(fl.dy_f[E.DY_COMPETENCE, row]), float(fl.dy_f[E.DY_GOODWILL, row])
