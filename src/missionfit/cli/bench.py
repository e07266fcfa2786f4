"""`missionfit-bench`: time the engine in-process and print one line (docs/contract.md).

    missionfit units=N days=D replicates=R ms_per_replicate=X hops_per_second=Y

Method (after Mesa's own benchmarks, `benchmarks/global_benchmark.py`: the fastest replication per seed,
averaged over seeds): the scenario is compiled once and one warm-up replicate (numba compilation or cache
load) is not timed. Each replicate `r` in `0 .. R-1` is then timed `--repeats` times with
`time.perf_counter`, from building a fresh model (world, agents, state) to the end of its run, so
construction counts and interpreter start-up does not. Garbage collection is off while a replicate is timed
and a full collection runs, untimed, before each one, so every replicate starts from the same heap rather
than from the garbage of the ones before it. Per replicate the fastest repeat is kept;
`ms_per_replicate` is their mean and `hops_per_second` is the replicates' hops over the sum of their
fastest times. A hop is one attempt to pass one message across one edge (`metrics.hops`); the hops of a
replicate are the same at every repeat.

`--naive PATH` also times the plain-Mesa reference workload (../shared/bench/naive_mesa_reference.py:
100 units, the same days, 5 seeds) in the same process with exactly the same harness (its `Mission` model,
fastest of `--repeats` per seed, GC off while timing), prints its line in the reference's own format and
the ratio of hop throughputs.
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import sys
import time
from collections.abc import Callable
from pathlib import Path

from missionfit import engine
from missionfit.model import MissionModel
from missionfit.scenario.loading import load


def time_once(build_and_run: Callable[[], int]) -> tuple[float, int]:
    """Wall seconds and hops of one call, with GC off while timing and a full collection before."""
    gc_was_enabled = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        start = time.perf_counter()
        hops = build_and_run()
        wall = time.perf_counter() - start
    finally:
        if gc_was_enabled:
            gc.enable()
    return wall, hops


def fastest(jobs: list[Callable[[], int]], repeats: int) -> tuple[list[float], int]:
    """Per job the fastest of `repeats` timings (jobs interleaved within a repeat), and the jobs' hops."""
    best = [float("inf")] * len(jobs)
    hops = [0] * len(jobs)
    for _ in range(repeats):
        for i, job in enumerate(jobs):
            wall, hops[i] = time_once(job)
            best[i] = min(best[i], wall)
    return best, sum(hops)


def missionfit_job(scenario, days: int, seed: int, replicate: int) -> Callable[[], int]:
    """Build and run one replicate; returns its hops."""

    def job() -> int:
        model = MissionModel(scenario=scenario, seed=seed, replicate=replicate, days=days)
        model.run()
        return int(model.engine_state.flow.counters[engine.C_HOPS])

    return job


def naive_jobs(path: Path, units: int, days: int, seeds: int) -> list[Callable[[], int]]:
    """The reference workload of `naive_mesa_reference.py`, one job per seed (as its `main` runs it)."""
    spec = importlib.util.spec_from_file_location("naive_mesa_reference", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)

    def job_for(seed: int) -> Callable[[], int]:
        def job() -> int:
            model = module.Mission(n_units=units, seed=seed)
            for _ in range(days):
                model.step()
            return int(model.hops)

        return job

    return [job_for(seed) for seed in range(seeds)]


def line(prefix: str, units: int, days: int, best: list[float], hops: int) -> tuple[str, float]:
    """The contract line and the hop throughput."""
    ms = 1000.0 * sum(best) / len(best)
    hps = hops / sum(best)
    return (
        f"{prefix} units={units} days={days} replicates={len(best)} ms_per_replicate={ms:.1f} "
        f"hops_per_second={hps:.0f}"
    ), hps


def main(argv: list[str] | None = None) -> int:
    """Console entry point."""
    parser = argparse.ArgumentParser(prog="missionfit-bench", description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", default="minusma_2015")
    parser.add_argument("--days", type=int, default=180)
    parser.add_argument("--replicates", type=int, default=20)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--n-units", type=int, default=None, help="size of a generated scenario")
    parser.add_argument("--naive", type=Path, default=None, help="path of naive_mesa_reference.py")
    args = parser.parse_args(argv)
    if args.days <= 0 or args.replicates <= 0 or args.repeats <= 0:
        print("missionfit-bench: error: --days, --replicates and --repeats must be positive", file=sys.stderr)
        return 2
    overrides = {"n_units": args.n_units} if args.n_units else None
    scenario = load(args.scenario, overrides=overrides)
    missionfit_job(scenario, args.days, 12345, 0)()  # warm-up: compile or load the numba cache
    jobs = [missionfit_job(scenario, args.days, args.seed, r) for r in range(args.replicates)]
    best, hops = fastest(jobs, args.repeats)
    text, hps = line("missionfit", scenario.n_units, args.days, best, hops)
    print(text, flush=True)
    if args.naive is not None:
        jobs = naive_jobs(args.naive, 100, args.days, 5)
        jobs[0]()  # warm-up
        best, hops = fastest(jobs, args.repeats)
        text, naive_hps = line("naive-mesa", 100, args.days, best, hops)
        print(text)
        print(f"ratio hops_per_second missionfit/naive={hps / naive_hps:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
