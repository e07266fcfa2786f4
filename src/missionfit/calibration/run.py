"""Pattern-oriented calibration (Grimm et al. 2005) by rejection: run every design point, keep those where P1-P3 hold.

docs/validation.md §7.1: a Latin hypercube over the priors (`design_seed`), each set run on the baseline scenario
(`replicates`, `seed`, `days` as the prior file says: R_cal = 20, seed 0, 180 days), accepted when every condition
of §4 holds on the mean over its replicates. If fewer than `min_accepted` sets are accepted, another round draws a
new hypercube with the next design seed, up to `max_rounds`. Nothing else enters acceptance.

Every chunk of sets is written to `<out>/chunks/` as soon as it is done (Parquet, atomically), so an interrupted
run resumes (`resume=True`) without redoing finished sets, and a finished set is never lost. A run directory
belongs to one prior file and one set of settings (`calibration.json`); resuming another is refused.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import pandas as pd

from missionfit.calibration import design as designs
from missionfit.calibration import patterns
from missionfit.calibration.priors import PriorSpace, load_priors
from missionfit.scenario.errors import ScenarioError

#: Sets per chunk file: small enough that an interruption loses little, large enough that files stay few.
CHUNK = 10
#: The run directory's settings file, written first.
SETTINGS_FILE = "calibration.json"
ENSEMBLE_FILE = "ensemble.parquet"
ACCEPTED_FILE = "accepted.parquet"


@dataclass(frozen=True)
class Settings:
    """What a calibration run is: its prior file (by content), sizes and seeds."""

    priors: str
    priors_sha256: str
    scenario: str
    sets: int
    replicates: int
    seed: int
    days: int
    design_seed: int
    min_accepted: int
    max_rounds: int

    def as_dict(self) -> dict[str, Any]:
        """The settings as JSON-ready data."""
        return dict(self.__dict__)


def settings_for(space: PriorSpace, **overrides: Any) -> Settings:
    """The run's settings: the prior file's, with the given overrides (None keeps the file's value)."""
    values = {k: getattr(space, k) for k in ("sets", "replicates", "seed", "days", "design_seed", "min_accepted",
                                             "max_rounds")}  # fmt: skip
    values.update({k: v for k, v in overrides.items() if v is not None})
    digest = hashlib.sha256(space.path.read_bytes()).hexdigest()
    return Settings(priors=str(space.path), priors_sha256=digest, scenario=space.scenario, **values)


# ------------------------------------------------------------------------------------------------------------------
# one set (runs in a worker process)

_CACHE: dict[str, Any] = {}


def _base(space: PriorSpace) -> dict[str, Any]:
    """The composed scenario spec of the prior space's scenario (composed once per process)."""
    key = f"spec:{space.scenario}"
    if key not in _CACHE:
        from missionfit.api.spec import scenario_spec

        _CACHE[key] = scenario_spec(space.scenario)
    return _CACHE[key]


def evaluate_set(space: PriorSpace, values: Mapping[str, Any], *, replicates: int, seed: int, days: int) -> dict:
    """Run one parameter set and return its P1-P3 statistics and conditions (validation.md §4).

    Raises:
        ScenarioError: The point does not build (a prior range outside what the scenario loader accepts).
    """
    from missionfit.api.results import run
    from missionfit.api.spec import build

    tic = time.perf_counter()
    spec, mech = designs.point_spec(space, _base(space), values)
    scenario = build(spec, mechanisms=mech)
    res = run(scenario, replicates=replicates, seed=seed, days=days, events=False, trust=False)
    stats = patterns.statistics(res.replicates)
    return {**stats, **patterns.conditions(stats), "seconds": time.perf_counter() - tic}


def _run_chunk(priors: str, rows: list[dict[str, Any]], sizes: dict[str, int], path: str) -> str:
    """Evaluate a chunk of design rows and write them, with their statistics, to `path` (atomically)."""
    space = load_priors(priors)
    out = []
    for row in rows:
        result = evaluate_set(space, designs.as_values(space, row), **sizes)
        out.append({**row, **result})
    tmp = f"{path}.tmp-{os.getpid()}"
    pd.DataFrame(out).to_parquet(tmp, index=False)
    os.replace(tmp, path)
    return path


# ------------------------------------------------------------------------------------------------------------------
# the run


def claim_run_dir(out: Path, settings_file: str, settings: dict[str, Any], resume: bool, kind: str) -> None:
    """Check that `out` may hold this run: new or empty, or (with `resume`) a run of exactly these settings.

    Raises:
        ScenarioError: `out` holds a run and `resume` is off; a resumed run was made with another value (the first
            such key is named); or `out` holds something else.
    """
    file = out / settings_file
    if file.is_file():
        old = json.loads(file.read_text())
        if not resume:
            raise ScenarioError(
                str(file), "out", str(out), f"holds a {kind} run already (resume it, or choose another directory)"
            )
        if old != settings:
            key = sorted(k for k in settings if old.get(k) != settings[k])[0]
            raise ScenarioError(
                str(file),
                key,
                old.get(key),
                f"the run was made with another value (now {settings[key]!r}); cannot resume it",
            )
    elif out.exists() and any(out.iterdir()):
        raise ScenarioError(str(out), "out", str(out), f"exists and is not a {kind} run directory")


def _check_dir(out: Path, settings: Settings, resume: bool) -> None:
    """Create the run directory, or check that a resumed one belongs to the same settings."""
    claim_run_dir(out, SETTINGS_FILE, settings.as_dict(), resume, "calibration")
    file = out / SETTINGS_FILE
    for stale in (ENSEMBLE_FILE, ACCEPTED_FILE, "summary.json", "report.md"):  # a resumed run rewrites them at its end
        (out / stale).unlink(missing_ok=True)
    (out / "chunks").mkdir(parents=True, exist_ok=True)
    file.write_text(json.dumps(settings.as_dict(), indent=2) + "\n")


def _chunks(design: pd.DataFrame, round_: int) -> list[tuple[str, list[dict[str, Any]]]]:
    rows = design.assign(round=round_).to_dict("records")
    return [(f"round{round_:02d}-{i:05d}.parquet", rows[i : i + CHUNK]) for i in range(0, len(rows), CHUNK)]


def execute_chunks(
    todo: Sequence[tuple[str, list[dict[str, Any]]]],
    out: Path,
    spec_file: str,
    sizes: dict[str, int],
    jobs: int,
    report: Callable[[str], None],
    *,
    chunk_dir: str = "chunks",
    runner: Callable[[str, list[dict[str, Any]], dict[str, int], str], str] | None = None,
    tag: str = "calibration",
) -> None:
    """Run the chunks not yet in `out/chunk_dir`, in `jobs` worker processes (1: in this process).

    `runner(spec_file, rows, sizes, path)` evaluates one chunk and writes it to `path` (atomically); it must be a
    module-level function, so that a spawned worker can import it. Progress goes to `report` as `<tag>: done/total`.
    On an interruption the pool's queued chunks are cancelled; the finished ones are on disk already.
    """
    runner = runner or _run_chunk
    todo = [(name, rows) for name, rows in todo if not (out / chunk_dir / name).is_file()]
    if not todo:
        return
    total, done, tic = sum(len(r) for _, r in todo), 0, time.perf_counter()
    if jobs <= 1:
        for name, rows in todo:
            runner(spec_file, rows, sizes, str(out / chunk_dir / name))
            done += len(rows)
            report(f"{tag}: {done}/{total} sets, {time.perf_counter() - tic:.0f} s")
        return
    # spawn: each worker imports the engine afresh (numba's cache), nothing forked from a process with threads
    with ProcessPoolExecutor(max_workers=jobs, mp_context=get_context("spawn")) as pool:
        futures = {pool.submit(runner, spec_file, rows, sizes, str(out / chunk_dir / name)): len(rows)
                   for name, rows in todo}  # fmt: skip
        try:
            for fut in as_completed(futures):
                fut.result()
                done += futures[fut]
                report(f"{tag}: {done}/{total} sets, {time.perf_counter() - tic:.0f} s")
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise


def read_chunks(out: Path) -> pd.DataFrame:
    """Every set evaluated so far in a run directory (one row per set), in round and point order."""
    files = sorted((out / "chunks").glob("round*.parquet"))
    if not files:
        return pd.DataFrame()
    return pd.concat([pd.read_parquet(f) for f in files], ignore_index=True).sort_values(["round", "point"])


def calibrate(
    priors: str | Path,
    out: str | Path,
    *,
    sets: int | None = None,
    replicates: int | None = None,
    days: int | None = None,
    seed: int | None = None,
    design_seed: int | None = None,
    min_accepted: int | None = None,
    max_rounds: int | None = None,
    jobs: int = 1,
    resume: bool = False,
    report: Callable[[str], None] = lambda message: None,
) -> dict[str, Any]:
    """Run a calibration and write its ensemble; returns the run's summary (also `<out>/summary.json`).

    Args:
        priors: A prior file (`configs/calibration/<scenario>.yaml`).
        out: The run directory (created; resumed with `resume`).
        sets: Sets per round (default: the prior file's).
        replicates: Replicates per set (R_cal).
        days: Days per replicate.
        seed: The replicates' experiment seed.
        design_seed: The first round's hypercube seed (round k uses `design_seed + k`).
        min_accepted: Accepted sets wanted before stopping.
        max_rounds: Rounds at most.
        jobs: Worker processes.
        resume: Continue an interrupted run in `out` (finished chunks are kept, never redone).
        report: Called with one progress line at a time.

    Raises:
        ScenarioError: A bad prior file, a run directory of other settings, or a point that does not build.
    """
    space = load_priors(priors)
    settings = settings_for(space, sets=sets, replicates=replicates, days=days, seed=seed, design_seed=design_seed,
                            min_accepted=min_accepted, max_rounds=max_rounds)  # fmt: skip
    out = Path(out)
    _check_dir(out, settings, resume)
    sizes = {"replicates": settings.replicates, "seed": settings.seed, "days": settings.days}
    tic = time.perf_counter()
    rounds = []
    for k in range(settings.max_rounds):
        design, summary = designs.draw(space, _base(space), settings.sets, settings.design_seed + k)
        rounds.append({"round": k, "design_seed": settings.design_seed + k, **summary})
        execute_chunks(_chunks(design, k), out, str(space.path), sizes, jobs, report)
        ensemble = read_chunks(out)
        if int(ensemble["accepted"].sum()) >= settings.min_accepted:
            break
    ensemble = ensemble[ensemble["round"] < len(rounds)]
    ensemble.to_parquet(out / ENSEMBLE_FILE, index=False)
    accepted = ensemble[ensemble["accepted"]]
    accepted.to_parquet(out / ACCEPTED_FILE, index=False)
    summary = {
        "settings": settings.as_dict(),
        "rounds": rounds,
        "evaluated": len(ensemble),
        "accepted": len(accepted),
        "acceptance_rate": len(accepted) / len(ensemble) if len(ensemble) else float("nan"),
        "condition_pass_rates": {label: float(ensemble[label].mean()) for label, *_ in patterns.CONDITIONS},
        "seconds_this_call": round(time.perf_counter() - tic, 1),
        "set_seconds_total": round(float(ensemble["seconds"].sum()), 1),
    }
    (out / "summary.json").write_text(json.dumps(summary, indent=2) + "\n")
    return summary


#: validation.md §4 and §7.2.3: on the accepted ensemble the conditions are re-checked at seed 1 with R_H = 50.
RECHECK = {"replicates": 50, "seed": 1}
RECHECK_FILE = "recheck.parquet"


def recheck(
    out: str | Path, *, replicates: int = 50, seed: int = 1, jobs: int = 1, report: Callable[[str], None] = print
) -> dict[str, Any]:
    """Re-run every accepted set of a finished calibration at another seed and more replicates (no acceptance).

    Writes `recheck.parquet` (the accepted sets with their statistics and conditions at `seed`, `replicates`) and
    returns the share of sets that still meet each condition and all of them. Chunks go to `<out>/recheck/`, so an
    interrupted re-check resumes. Nothing here changes the accepted ensemble: it is reported, never used.
    """
    out = Path(out)
    settings = json.loads((out / SETTINGS_FILE).read_text())
    accepted = pd.read_parquet(out / ACCEPTED_FILE)
    space = load_priors(settings["priors"])
    keep = ["round", "point", "design_seed", *[designs.unit_column(n) for n in space.names], *space.names]
    rows = accepted[keep].to_dict("records")
    todo = [(f"recheck-{i:05d}.parquet", rows[i : i + CHUNK]) for i in range(0, len(rows), CHUNK)]
    (out / "recheck").mkdir(exist_ok=True)
    sizes = {"replicates": replicates, "seed": seed, "days": settings["days"]}
    execute_chunks(todo, out, settings["priors"], sizes, jobs, report, chunk_dir="recheck")
    files = sorted((out / "recheck").glob("recheck-*.parquet"))
    if not files:  # no accepted set: nothing to re-check
        table = accepted.iloc[0:0]
    else:
        table = pd.concat([pd.read_parquet(f) for f in files], ignore_index=True).sort_values(["round", "point"])
    table.to_parquet(out / RECHECK_FILE, index=False)
    summary = {
        "replicates": replicates,
        "seed": seed,
        "sets": len(table),
        "still_accepted": float(table["accepted"].mean()) if len(table) else float("nan"),
        "condition_shares": {label: float(table[label].mean()) for label, *_ in patterns.CONDITIONS},
    }
    (out / "recheck.json").write_text(json.dumps(summary, indent=2) + "\n")
    return summary
