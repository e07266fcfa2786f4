"""Paired-to-unpaired standard-error ratios per intervention (issue 16 §4; docs/experiments.md).

For each shipped intervention: replicates 0..n-1 of the baseline and of the intervention arm, same seed (common
random numbers: the world stream, and since issue 16 §4 every behavioural draw, are keyed by the replicate). The
ratio is SE(paired mean difference) / SE(unpaired difference of means) = sd(b - a) / sqrt(var(a) + var(b)); 1 means
pairing buys nothing, 0.5 means a paired comparison needs a quarter of the replicates.

    python scripts/crn_ratios.py [--replicates 30] [--seed 0]
"""

from __future__ import annotations

import argparse

import numpy as np

from missionfit.model.replicate import run_replicate
from missionfit.scenario import build_scenario
from missionfit.scenario.loading import available, read_intervention, read_scenario

METRICS = ("goal_realization", "shared_awareness", "reports_withheld")
#: Interventions whose mechanism needs another scenario or horizon (UAV accreditation matters only in 2014, when
#: the UAV is not yet accredited, and over its 365 days).
SCENARIO_OF = {"uav_fast_accreditation": "minusma_2014"}


def ratios(intervention: str, replicates: int, seed: int) -> dict[str, float]:
    """The ratio per metric for one intervention."""
    name = SCENARIO_OF.get(intervention, "minusma_2015")
    spec = read_scenario(name)
    patch, _ = read_intervention(intervention)
    base = build_scenario(spec)
    arm = build_scenario(spec, interventions={intervention: patch})
    days = base.days if name != "minusma_2015" else 180
    a = [run_replicate(base, seed=seed, replicate=r, days=days).metrics for r in range(replicates)]
    b = [run_replicate(arm, seed=seed, replicate=r, days=days).metrics for r in range(replicates)]
    out = {}
    for m in METRICS:
        x, y = np.array([r[m] for r in a], float), np.array([r[m] for r in b], float)
        unpaired = np.sqrt(x.var(ddof=1) + y.var(ddof=1))
        out[m] = float(np.std(y - x, ddof=1) / unpaired) if unpaired > 0 else float("nan")
    return out


def main() -> None:
    """Print the table of docs/experiments.md."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replicates", type=int, default=30)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    print("| intervention | " + " | ".join(METRICS) + " |")
    print("|---|" + "---|" * len(METRICS))
    for name in available("interventions"):
        r = ratios(name, args.replicates, args.seed)
        print(f"| `{name}` | " + " | ".join(f"{r[m]:.2f}" for m in METRICS) + " |")


if __name__ == "__main__":
    main()
