"""The calibration patterns P1-P3 of docs/validation.md §4 as statistics of one parameter set's replicates.

Only these three patterns may set parameters (validation.md §7.1). A set is accepted when every condition holds on
the mean over its replicates (rejection ABC with an indicator kernel); the thresholds are the pre-registered ones
and are never relaxed. `tests/test_patterns.py` checks the same conditions at the scenario defaults with its own
code, and `tests/test_calibration.py` checks that the two agree.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

#: The per-replicate metrics the conditions read (names of the output contract, docs/contract.md).
METRICS = (
    "fc_awareness_rate", "asifu_awareness_rate", "asifu_assessments_to_fc", "asifu_use_rate_fc",
    "u2_asifu_receipt_from_sf_isr", "jmac_receipt_from_sf_isr",
)  # fmt: skip

#: validation.md §4: each condition's label, statistic, comparison and threshold, in the order written there.
CONDITIONS = (
    ("P1a", "fc_awareness_rate", "<", 0.5),
    ("P1b_mean", "asifu_minus_fc_awareness", ">=", 0.10),
    ("P1b_lower", "asifu_minus_fc_awareness_lower", ">", 0.0),
    ("P2a", "asifu_assessments_to_fc", ">=", 90.0),
    ("P2b", "asifu_use_rate_fc", "<", 0.2),
    ("P3a", "u2_asifu_receipt_from_sf_isr", ">", 0.4),
    ("P3b", "jmac_receipt_from_sf_isr", "<", 0.1),
    ("P3c", "sf_isr_receipt_ordered_share", ">=", 1.0),
)

#: validation.md §2: BCa resamples (the one-sided 95 % bound is the lower end of the two-sided 90 % interval).
N_BOOT = 9999


def one_sided_lower_bca(d: np.ndarray) -> float:
    """validation.md §2: the one-sided 95 % lower bound of a mean, the low end of its 90 % BCa interval.

    A constant sample returns its value (the bootstrap is degenerate); the resampling is seeded (`random_state=0`).
    """
    from scipy import stats

    d = np.asarray(d, dtype=float)
    if np.all(d == d[0]):
        return float(d[0])
    res = stats.bootstrap((d,), np.mean, confidence_level=0.90, n_resamples=N_BOOT, method="BCa", random_state=0)
    return float(res.confidence_interval.low)


def statistics(replicates: pd.DataFrame) -> dict[str, float]:
    """The statistics the conditions compare, from one row per replicate of one parameter set."""
    col = {m: replicates[m].to_numpy(dtype=float) for m in METRICS}
    d = col["asifu_awareness_rate"] - col["fc_awareness_rate"]
    return {
        "replicates": float(len(replicates)),
        "fc_awareness_rate": float(np.mean(col["fc_awareness_rate"])),
        "asifu_awareness_rate": float(np.mean(col["asifu_awareness_rate"])),
        "asifu_minus_fc_awareness": float(np.mean(d)),
        "asifu_minus_fc_awareness_sd": float(np.std(d, ddof=1)) if len(d) > 1 else float("nan"),
        "asifu_minus_fc_awareness_lower": one_sided_lower_bca(d),
        "asifu_assessments_to_fc": float(np.mean(col["asifu_assessments_to_fc"])),
        "asifu_use_rate_fc": float(np.mean(col["asifu_use_rate_fc"])),
        "u2_asifu_receipt_from_sf_isr": float(np.mean(col["u2_asifu_receipt_from_sf_isr"])),
        "jmac_receipt_from_sf_isr": float(np.mean(col["jmac_receipt_from_sf_isr"])),
        "sf_isr_receipt_ordered_share": float(
            np.mean(col["u2_asifu_receipt_from_sf_isr"] > col["jmac_receipt_from_sf_isr"])
        ),
    }


_COMPARE = {"<": np.less, "<=": np.less_equal, ">": np.greater, ">=": np.greater_equal}


def conditions(stats: Mapping[str, Any]) -> dict[str, bool]:
    """Each condition of `CONDITIONS` (a NaN statistic fails it), and `accepted`: all of them."""
    out = {
        label: bool(_COMPARE[op](float(stats[stat]), threshold)) and not np.isnan(float(stats[stat]))
        for label, stat, op, threshold in CONDITIONS
    }
    out["accepted"] = all(out.values())
    return out
