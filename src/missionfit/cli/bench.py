"""`missionfit-bench`: time the engine in-process and print one line (MODEL.md §4).

    missionfit units=N days=D replicates=R ms_per_replicate=X hops_per_second=Y

Method (after Mesa's own benchmarks): the scenario is compiled once; one warm-up replicate (numba
compilation or cache load) is not timed; garbage collection is off while timing; each timed replicate
builds a fresh model (world, agents, state) and runs it to the horizon, so construction counts; the
reported figures use the total wall time over `--replicates` replicates, repeated `--repeats` times, best
repeat kept. A hop is one attempt to pass one message across one edge (`metrics.hops`).

`--naive PATH` also runs the plain-Mesa reference workload (../shared/bench/naive_mesa_reference.py) in
the same process and prints its line and the ratio of hop throughputs.
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import io
import re
import sys
import time
from contextlib import redirect_stdout
from pathlib import Path

from missionfit import engine
from missionfit.library import load
from missionfit.model import MissionModel


def time_replicates(scenario, days: int, replicates: int, seed: int = 0) -> tuple[float, int]:
    """Wall seconds and hops of `replicates` fresh replicates run to `days`."""
    hops = 0
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        start = time.perf_counter()
        for r in range(replicates):
            model = MissionModel(scenario=scenario, seed=seed, replicate=r, days=days)
            model.run()
            hops += int(model.engine_state.flow.counters[engine.C_HOPS])
        wall = time.perf_counter() - start
    finally:
        if gc_was_enabled:
            gc.enable()
    return wall, hops


def run_naive(path: Path, units: int, days: int, replicates: int) -> tuple[str, float]:
    """Run the naive Mesa reference in this process; its printed line and hops per second."""
    spec = importlib.util.spec_from_file_location("naive_mesa_reference", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    buf = io.StringIO()
    with redirect_stdout(buf):
        module.main(units, days, replicates)
    line = buf.getvalue().strip()
    match = re.search(r"hops_per_second=(\d+)", line)
    return line, float(match.group(1)) if match else float("nan")


def main(argv: list[str] | None = None) -> int:
    """Console entry point."""
    parser = argparse.ArgumentParser(prog="missionfit-bench", description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", default="minusma_2015")
    parser.add_argument("--days", type=int, default=180)
    parser.add_argument("--replicates", type=int, default=20)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--n-units", type=int, default=None, help="size of a generated scenario")
    parser.add_argument("--naive", type=Path, default=None, help="path of naive_mesa_reference.py")
    args = parser.parse_args(argv)
    if args.days <= 0 or args.replicates <= 0 or args.repeats <= 0:
        print("missionfit-bench: error: --days, --replicates and --repeats must be positive", file=sys.stderr)
        return 2
    overrides = {"n_units": args.n_units} if args.n_units else None
    scenario = load(args.scenario, overrides=overrides)
    time_replicates(scenario, args.days, 1, seed=12345)  # warm-up: compile or load the numba cache
    best_wall, hops = min(time_replicates(scenario, args.days, args.replicates) for _ in range(args.repeats))
    ms = 1000.0 * best_wall / args.replicates
    hps = hops / best_wall
    print(
        f"missionfit units={scenario.n_units} days={args.days} replicates={args.replicates} "
        f"ms_per_replicate={ms:.1f} hops_per_second={hps:.0f}"
    )
    if args.naive is not None:
        line, naive_hps = run_naive(args.naive, 100, args.days, 5)
        print(line)
        print(f"ratio hops_per_second missionfit/naive={hps / naive_hps:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
