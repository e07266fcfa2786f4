"""Knock-outs (issue 17 §4): each role of the intelligence system blinded in turn, paired against the baseline.

A knock-out takes every unit holding one role (scenario vocabulary, docs/scenarios.md "Roles") and leaves it
without sensors and without analysts: it still decides, relays and consumes, but it no longer collects or fuses.
Every arm runs the same replicates as the baseline (common random numbers for the world and, since issue 16 §4,
for behaviour), so the paired difference in goal realization is the causal share of that part of the
intelligence system, beside the accounting of `goal_realization_by_path` (which credits each mitigated event to
the path that made its consumer aware, not to what would have happened without it).

The roles knocked out are found in the scenario, not listed here: every role some unit of it holds while having
sensors or analysts. A last arm knocks out all of them at once (what is left is baseline mitigation).

Run it as `python -m missionfit.cli.knockout --out DIR` (experiments/knockout/run.sh does).
"""

from __future__ import annotations

import argparse
import copy
import functools
import json
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from missionfit.cli.ablation import METRICS, Arm, compare, levels, markdown, run_arms

#: The name of the arm that knocks out nothing.
BASELINE = "full"


def blind(role: str) -> dict[str, Any]:
    """The patch that blinds every unit holding `role`: no sensors, no analysts."""
    return {"set_units": [{"select": {"role": role}, "set": {"analysts": 0.0, "sensors": []}}]}


def knockout_roles(spec: Mapping[str, Any]) -> list[str]:
    """The roles of the scenario whose units collect or fuse (some unit with sensors or analysts), in ROLES order."""
    from missionfit.api.spec import build
    from missionfit.scenario.codes import ROLES, has_role

    units = build(spec).units
    active = [u for u in units if u.get("sensors") or float(u.get("analysts") or 0.0) > 0.0]
    return [role for role in ROLES if any(has_role(u, role) for u in active)]


def arms(roles: Sequence[str]) -> tuple[Arm, ...]:
    """The baseline, one arm per role, and all roles at once (scenario edits are patches: `arm_spec`)."""
    single = tuple(Arm(f"no_{role}", f"{role} blinded (no sensors, no analysts)") for role in roles)
    every = Arm("no_intelligence", "every role above blinded")
    return (Arm(BASELINE, "baseline (nothing knocked out)"), *single, every)


def arm_spec(base: Mapping[str, Any], arm: Arm, roles: Sequence[str]) -> dict[str, Any]:
    """A copy of the spec with the arm's knock-out patches added to its interventions."""
    spec = copy.deepcopy(dict(base))
    blinded = roles if arm.name == "no_intelligence" else [r for r in roles if arm.name == f"no_{r}"]
    interventions = dict(spec.get("interventions") or {})
    for role in blinded:
        interventions[f"knockout_{role}"] = blind(role)
    spec["interventions"] = interventions
    return spec


def run_arm(spec: Mapping[str, Any], name: str, *, replicates: int, seed: int, days: int) -> pd.DataFrame:
    """The per-replicate metrics of one arm (one row per replicate, nested metrics dotted), with `arm`."""
    from missionfit.api.results import run
    from missionfit.api.spec import build

    res = run(build(spec), replicates=replicates, seed=seed, days=days, events=False)
    return res.replicates.assign(arm=name)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the knock-outs and write replicates.csv, comparison.csv, levels.csv, table.md, provenance.json to `--out`."""
    p = argparse.ArgumentParser(prog="python -m missionfit.cli.knockout", description=__doc__.split("\n")[0])
    p.add_argument("--out", required=True, type=Path)
    p.add_argument("--scenario", default="minusma_2015")
    p.add_argument("--replicates", type=int, default=30)
    p.add_argument("--days", type=int, default=180)
    p.add_argument("--seed", type=int, default=2)
    p.add_argument("--roles", nargs="*", help="knock out only these roles (default: every active role)")
    p.add_argument("--resume", action="store_true", help="keep arms already written to OUT/arms/")
    args = p.parse_args(argv)

    from missionfit.api.spec import scenario_spec
    from missionfit.runner.provenance import git_info

    tic = time.perf_counter()
    base = scenario_spec(args.scenario)
    roles = knockout_roles(base)
    if args.roles:
        unknown = sorted(set(args.roles) - set(roles))
        if unknown:
            p.error(f"--roles: {unknown[0]} is not an active role of {args.scenario} (active: {', '.join(roles)})")
        roles = [r for r in roles if r in args.roles]
    design = arms(roles)
    (args.out / "arms").mkdir(parents=True, exist_ok=True)
    git = git_info()
    meta = {
        "scenario": args.scenario, "replicates": args.replicates, "days": args.days, "seed": args.seed,
        "commit": git["commit"], "dirty": git["dirty"], "arms": {a.name: a.label for a in design},
    }
    # written first, so that an interrupted output directory is recognised as one (experiments/_lib.sh)
    _write_json(args.out / "provenance.json", meta)
    sizes = {"replicates": args.replicates, "seed": args.seed, "days": args.days}
    runs = [(a.name, functools.partial(run_arm, arm_spec(base, a, roles), a.name, **sizes)) for a in design]
    reps = run_arms(runs, args.out / "arms", resume=args.resume, tag="knockout")
    comp, lev = compare(reps, baseline=BASELINE), levels(reps)
    reps.to_csv(args.out / "replicates.csv", index=False)
    comp.to_csv(args.out / "comparison.csv", index=False)
    lev.to_csv(args.out / "levels.csv", index=False)
    _write_json(args.out / "provenance.json", {**meta, "seconds": round(time.perf_counter() - tic, 1)})
    head = (
        f"# Knock-outs: {args.scenario}, {args.days} days, {args.replicates} replicates, seed {args.seed}, "
        f"commit {str(git['commit'])[:7]}{' (dirty)' if git['dirty'] else ''}\n\n"
        "Δ = mean paired difference knock-out − baseline over replicates (common random numbers), in percentage "
        "points, [95 % t interval of the paired differences]; \"= full\": equal to the baseline bit for bit in every "
        "replicate. Stylized, uncalibrated defaults.\n\n"
    )
    groups = (METRICS[:9], METRICS[9:])
    (args.out / "table.md").write_text(head + markdown(comp, lev, design, groups, baseline_label="baseline"))
    return 0


def _write_json(path: Path, data: Mapping[str, Any]) -> None:
    path.write_text(json.dumps(data, indent=2) + "\n")


if __name__ == "__main__":
    raise SystemExit(main())
