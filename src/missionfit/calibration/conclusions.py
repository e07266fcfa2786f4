"""Judge each conclusion on each parameter set, and count how often it holds, flips or stays undecided.

docs/validation.md §7.5: per set and conclusion, the paired differences d_r = m(arm, r) − m(baseline, r), their mean
and 95 % BCa interval (§2: 9,999 resamples, `random_state=0`; bounded by construction, since every resampled mean of
differences of shares lies in [−1, 1]); TOST at α = 0.05 against ±δ for the "negligible" column. A conclusion's sign
is the sign of the medoid's mean ΔGR. Each set then **holds** (CI on the medoid's side of 0), **flips** (CI on the
other side) or is **undecided** (CI contains 0). If the medoid's own CI contains 0 the conclusion is "no detectable
effect", and the shares of sets with a CI above 0, below 0 and containing 0 are reported instead.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats

from missionfit.calibration.robustness import RobustnessSpec

N_BOOT = 9999
#: Two-sided α of each set's interval, and the power of the minimal detectable effect (validation.md §3).
ALPHA, POWER = 0.05, 0.8


def bca_interval(d: np.ndarray) -> tuple[float, float]:
    """The 95 % BCa interval of the mean of paired differences (a constant sample: the point)."""
    d = np.asarray(d, dtype=float)
    if np.all(d == d[0]):
        return float(d[0]), float(d[0])
    res = stats.bootstrap((d,), np.mean, confidence_level=1 - ALPHA, n_resamples=N_BOOT, method="BCa", random_state=0)
    return float(res.confidence_interval.low), float(res.confidence_interval.high)


def tost_negligible(d: np.ndarray, delta: float, alpha: float = ALPHA) -> bool:
    """Two one-sided t-tests: E[d] > −δ and E[d] < δ both reject at `alpha` (a constant sample: |d| < δ)."""
    d = np.asarray(d, dtype=float)
    sd = d.std(ddof=1)
    if sd == 0:
        return bool(abs(d[0]) < delta)
    se = sd / math.sqrt(len(d))
    t_low, t_high = (d.mean() + delta) / se, (d.mean() - delta) / se
    df = len(d) - 1
    return bool(stats.t.sf(t_low, df) < alpha and stats.t.cdf(t_high, df) < alpha)


def minimal_detectable_effect(sd: float, n: int, alpha: float = ALPHA, power: float = POWER) -> float:
    """The two-sided paired MDE (z_{1−α/2} + z_power) · σ_d / √n (validation.md §3)."""
    return float((stats.norm.ppf(1 - alpha / 2) + stats.norm.ppf(power)) * sd / math.sqrt(n))


def per_set(rob: RobustnessSpec, reps: pd.DataFrame) -> pd.DataFrame:
    """One row per ensemble, set and conclusion: mean ΔGR, its BCa interval, SD, MDE and the TOST verdict."""
    rows = []
    wide = reps.pivot_table(index=["ensemble", "set", "replicate"], columns="arm", values=rob.metric)
    for (ensemble, set_id), df in wide.groupby(level=["ensemble", "set"], sort=True):
        for arm in rob.conclusions:
            d = (df[arm.name] - df[arm.baseline]).to_numpy(dtype=float)
            lo, hi = bca_interval(d)
            sd = float(d.std(ddof=1))
            rows.append({
                "ensemble": ensemble, "set": int(set_id), "conclusion": arm.name, "baseline": arm.baseline,
                "mean_diff": float(d.mean()), "ci_low": lo, "ci_high": hi, "sd": sd, "n": len(d),
                "mde": minimal_detectable_effect(sd, len(d)), "negligible": tost_negligible(d, rob.delta),
            })  # fmt: skip
    return pd.DataFrame(rows)


def outcomes(sets: pd.DataFrame) -> pd.DataFrame:
    """Add each set's outcome (`holds`, `flips`, `undecided`; or `above`, `below`, `contains_0`) per conclusion.

    The sign comes from the `medoid` ensemble's row of the same conclusion; without one the conclusion is judged
    against "no detectable effect" (above / below / containing 0).
    """
    sets = sets.copy()
    medoid = sets[sets["ensemble"] == "medoid"].set_index("conclusion")
    side = np.where(sets["ci_low"] > 0, 1, np.where(sets["ci_high"] < 0, -1, 0))
    out = []
    for i, row in enumerate(sets.itertuples(index=False)):
        sign = 0
        if row.conclusion in medoid.index:
            m = medoid.loc[row.conclusion]
            sign = 1 if m["ci_low"] > 0 else -1 if m["ci_high"] < 0 else 0
        if sign == 0:
            out.append({1: "above", -1: "below", 0: "contains_0"}[int(side[i])])
        else:
            out.append("holds" if side[i] == sign else "flips" if side[i] == -sign else "undecided")
    sets["outcome"] = out
    return sets


def shares(judged: pd.DataFrame) -> pd.DataFrame:
    """Per ensemble and conclusion: the number of sets, the share of each outcome, of negligible sets, the MDE."""
    rows = []
    order = {c: i for i, c in enumerate(dict.fromkeys(judged["conclusion"]))}
    ensembles = {"prior": 0, "accepted": 1, "medoid": 2}
    keys = sorted(judged.groupby(["ensemble", "conclusion"]).groups,
                  key=lambda k: (order[k[1]], ensembles.get(k[0], 3), k[0]))  # fmt: skip
    groups = judged.groupby(["ensemble", "conclusion"])
    for ensemble, conclusion in keys:
        df = groups.get_group((ensemble, conclusion))
        n = len(df)
        row = {"ensemble": ensemble, "conclusion": conclusion, "sets": n}
        for outcome in ("holds", "flips", "undecided", "above", "below", "contains_0"):
            row[outcome] = float((df["outcome"] == outcome).mean())
        row["negligible"] = float(df["negligible"].mean())
        row["median_diff"] = float(df["mean_diff"].median())
        row["median_mde"] = float(df["mde"].median())
        rows.append(row)
    return pd.DataFrame(rows)
