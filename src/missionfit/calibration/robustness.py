"""Robustness of the headline conclusions across parameter ensembles (docs/validation.md §7.5; issue 17 §2).

A robustness file (`configs/calibration/robustness_minusma.yaml`) names the prior file, the baselines (scenario and
days) and the conclusions (an arm's interventions and its baseline). For every parameter set of an ensemble, every
baseline and every conclusion arm runs `replicates` replicates at `seed` with the set's values (common random
numbers: replicate r of every arm shares the world and the keyed behavioural draws), and the per-replicate metric
is kept. Two ensembles: the **prior** one (a Latin hypercube over the priors, `design_seed`, `prior_sets` sets,
orderings kept, no acceptance) and the **accepted** one of a calibration run. `conclusions` judges them.

Every chunk of sets is written as it finishes (`<out>/chunks/`, atomically), so a run resumes without redoing any.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from missionfit.calibration import design as designs
from missionfit.calibration.priors import PriorSpace, apply_point, load_priors
from missionfit.calibration.run import claim_run_dir, execute_chunks
from missionfit.scenario.errors import ScenarioError

CHUNK = 2  # sets per chunk file: one set is 14 arms x 30 replicates, about 15 s
SETTINGS_FILE = "robustness.json"
REPLICATES_FILE = "replicates.parquet"
CONCLUSION_SHAPE = "each conclusion is {name, baseline (a baseline's name), interventions (a non-empty list)}"
FILE_KEYS = {"priors", "replicates", "seed", "prior_sets", "design_seed", "delta", "metric", "baselines", "conclusions"}


@dataclass(frozen=True)
class Arm:
    """One run per set: a scenario, its days and the interventions applied."""

    name: str
    scenario: str
    days: int
    interventions: tuple[str, ...] = ()
    baseline: str | None = None  # the arm this one is compared with (None: a baseline)


@dataclass(frozen=True)
class RobustnessSpec:
    """A robustness file: its prior space, sizes and arms."""

    path: Path
    priors: PriorSpace
    replicates: int
    seed: int
    prior_sets: int
    design_seed: int
    delta: float
    metric: str
    arms: tuple[Arm, ...]

    @property
    def conclusions(self) -> tuple[Arm, ...]:
        """The compared arms, in file order."""
        return tuple(a for a in self.arms if a.baseline is not None)


def load_robustness(path: str | Path) -> RobustnessSpec:
    """Read and check a robustness file (errors: one line naming file, key and value)."""
    path = Path(path)
    if not path.is_file():
        raise ScenarioError(str(path), "robustness", str(path), "no such robustness file")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise ScenarioError(str(path), "yaml", None, str(getattr(exc, "problem", exc))) from None
    if not isinstance(data, dict):
        raise ScenarioError(str(path), "robustness", type(data).__name__, "a robustness file is a mapping")
    unknown = sorted(set(data) - FILE_KEYS)
    if unknown:
        raise ScenarioError(
            str(path), unknown[0], data[unknown[0]], f"unknown key (expected {', '.join(sorted(FILE_KEYS))})"
        )
    for key, low in (("replicates", 2), ("seed", 0), ("prior_sets", 1), ("design_seed", 0)):
        v = data.get(key)
        if not isinstance(v, int) or isinstance(v, bool) or v < low:
            raise ScenarioError(str(path), key, v, f"must be an integer >= {low}")
    delta = data.get("delta")
    if not isinstance(delta, (int, float)) or isinstance(delta, bool) or not 0 < delta < 1:
        raise ScenarioError(str(path), "delta", delta, "must be a number in (0, 1)")
    if not isinstance(data.get("metric"), str):
        raise ScenarioError(str(path), "metric", data.get("metric"), "name the metric (a contract name)")
    priors = load_priors(path.parent / str(data.get("priors")))
    arms: list[Arm] = []
    for b in data.get("baselines") or []:
        if not (isinstance(b, dict) and isinstance(b.get("name"), str) and isinstance(b.get("scenario"), str)
                and isinstance(b.get("days"), int) and b["days"] >= 1):  # fmt: skip
            raise ScenarioError(str(path), "baselines[]", b, "each baseline is {name, scenario, days >= 1}")
        arms.append(Arm(b["name"], b["scenario"], b["days"]))
    by_name = {a.name: a for a in arms}
    for c in data.get("conclusions") or []:
        ivs = c.get("interventions") if isinstance(c, dict) else None
        if not (isinstance(c, dict) and isinstance(c.get("name"), str) and c.get("baseline") in by_name
                and isinstance(ivs, list) and ivs and all(isinstance(i, str) for i in ivs)):  # fmt: skip
            raise ScenarioError(str(path), "conclusions[]", c, CONCLUSION_SHAPE)
        base = by_name[c["baseline"]]
        arms.append(Arm(c["name"], base.scenario, base.days, tuple(ivs), baseline=base.name))
    names = [a.name for a in arms]
    if len(set(names)) != len(names) or not any(a.baseline for a in arms):
        raise ScenarioError(str(path), "conclusions", names, "arm names must be unique, with at least one conclusion")
    return RobustnessSpec(path=path, priors=priors, replicates=data["replicates"], seed=data["seed"],
                          prior_sets=data["prior_sets"], design_seed=data["design_seed"], delta=float(delta),
                          metric=data["metric"], arms=tuple(arms))  # fmt: skip


# ------------------------------------------------------------------------------------------------------------------
# one set (in a worker process)

_SPECS: dict[tuple[str, tuple[str, ...]], dict[str, Any]] = {}


def _spec(arm: Arm) -> dict[str, Any]:
    key = (arm.scenario, arm.interventions)
    if key not in _SPECS:
        from missionfit.api.spec import scenario_spec

        _SPECS[key] = scenario_spec(arm.scenario, interventions=list(arm.interventions))
    return _SPECS[key]


def evaluate_set(rob: RobustnessSpec, values: Mapping[str, Any], *, replicates: int, seed: int) -> pd.DataFrame:
    """Every arm of one parameter set: one row per arm and replicate with the metric (tidy)."""
    from missionfit.api.spec import build
    from missionfit.model.metrics import replicate_metrics
    from missionfit.model.simulation import BatchSimulation

    frames = []
    for arm in rob.arms:
        # strict only on the calibrated scenario itself; another year may lack a unit a prior names
        strict = arm.scenario == rob.priors.scenario
        spec, mech = apply_point(rob.priors, copy.deepcopy(_spec(arm)), values, strict=strict)
        scenario = build(spec, mechanisms=mech)
        # the replicates of `missionfit.run` (same seeds, same metrics), without the tables this report never reads
        metric = []
        for r in range(replicates):
            model = BatchSimulation(scenario=scenario, seed=seed, replicate=r, days=arm.days)
            model.run()
            value: Any = replicate_metrics(model)
            for part in rob.metric.split("."):
                value = value[part]
            metric.append(float(value))
        frames.append(pd.DataFrame({"arm": arm.name, "replicate": range(replicates), rob.metric: metric}))
    return pd.concat(frames, ignore_index=True)


def _run_chunk(path_rob: str, rows: list[dict[str, Any]], sizes: dict[str, int], path: str) -> str:
    rob = load_robustness(path_rob)
    frames = []
    for row in rows:
        tic = time.perf_counter()
        df = evaluate_set(rob, designs.as_values(rob.priors, row), **sizes)
        frames.append(df.assign(ensemble=row["ensemble"], set=row["set"], seconds=time.perf_counter() - tic))
    tmp = f"{path}.tmp-{os.getpid()}"
    pd.concat(frames, ignore_index=True).to_parquet(tmp, index=False)
    os.replace(tmp, path)
    return path


# ------------------------------------------------------------------------------------------------------------------
# the run


def ensembles(rob: RobustnessSpec, calibration: Path | None, prior_sets: int) -> pd.DataFrame:
    """The sets to run: the prior ensemble, the calibration's accepted sets and its medoid (if a run is given).

    Columns: `ensemble` (`prior`, `accepted`, `medoid`), `set` (its index within the ensemble), the unit
    coordinates and the parameter values.
    """
    base = _spec(next(a for a in rob.arms if a.scenario == rob.priors.scenario and not a.interventions))
    prior, _ = designs.draw(rob.priors, base, prior_sets, rob.design_seed)
    cols = ["ensemble", "set", *[designs.unit_column(n) for n in rob.priors.names], *rob.priors.names]
    frames = [prior.assign(ensemble="prior", set=prior["point"])[cols]]
    if calibration is not None:
        accepted = pd.read_parquet(calibration / "accepted.parquet").reset_index(drop=True)
        medoid_file = calibration / "medoid.json"
        if medoid_file.is_file():
            # first: the medoid gives each conclusion its sign, so a partial run can already judge the others
            chosen = json.loads(medoid_file.read_text())
            row = accepted[(accepted["round"] == chosen["round"]) & (accepted["point"] == chosen["point"])]
            frames.insert(0, row.assign(ensemble="medoid", set=0)[cols])
        frames.append(accepted.assign(ensemble="accepted", set=range(len(accepted)))[cols])
    return pd.concat(frames, ignore_index=True)


def read_replicates(out: Path) -> pd.DataFrame:
    """Every finished set's replicates in a run directory (tidy), in ensemble, set, arm and replicate order."""
    files = sorted((out / "chunks").glob("*.parquet"))
    if not files:
        return pd.DataFrame(columns=["ensemble", "set", "arm", "replicate"])
    reps = pd.concat([pd.read_parquet(f) for f in files], ignore_index=True)
    return reps.sort_values(["ensemble", "set", "arm", "replicate"], kind="stable").reset_index(drop=True)


def robustness(
    path: str | Path,
    out: str | Path,
    *,
    calibration: str | Path | None = None,
    prior_sets: int | None = None,
    replicates: int | None = None,
    jobs: int = 1,
    resume: bool = False,
    report: Callable[[str], None] = lambda message: None,
) -> pd.DataFrame:
    """Run every arm for every set of the ensembles and write `<out>/replicates.parquet` (tidy); returns it.

    Args:
        path: A robustness file.
        out: The run directory (created; resumed with `resume`).
        calibration: A calibration run directory (its `accepted.parquet` and `medoid.json`); None: prior only.
        prior_sets: Sets of the prior ensemble (default: the file's).
        replicates: Replicates per arm and set (default: the file's R_rob).
        jobs: Worker processes.
        resume: Continue an interrupted run (finished chunks are never redone).
        report: Called with one progress line at a time.
    """
    rob = load_robustness(path)
    out = Path(out)
    cal = Path(calibration) if calibration is not None else None
    sizes = {"replicates": replicates or rob.replicates, "seed": rob.seed}
    n_prior = prior_sets or rob.prior_sets
    settings = {
        "robustness": str(rob.path), "sha256": hashlib.sha256(rob.path.read_bytes()).hexdigest(),
        "priors_sha256": hashlib.sha256(rob.priors.path.read_bytes()).hexdigest(), "prior_sets": n_prior,
        "calibration": str(cal) if cal else None, **sizes,
    }  # fmt: skip
    claim_run_dir(out, SETTINGS_FILE, settings, resume, "robustness")
    file = out / SETTINGS_FILE
    (out / "chunks").mkdir(parents=True, exist_ok=True)
    (out / REPLICATES_FILE).unlink(missing_ok=True)
    file.write_text(json.dumps(settings, indent=2) + "\n")
    sets = ensembles(rob, cal, n_prior)
    sets.to_parquet(out / "sets.parquet", index=False)
    rows = sets.to_dict("records")
    todo = [
        (f"{rows[i]['ensemble']}-{rows[i]['set']:05d}-{i:05d}.parquet", rows[i : i + CHUNK])
        for i in range(0, len(rows), CHUNK)
    ]
    execute_chunks(todo, out, str(rob.path), sizes, jobs, report, runner=_run_chunk, tag="robustness")
    reps = read_replicates(out)
    reps.to_parquet(out / REPLICATES_FILE, index=False)
    return reps
