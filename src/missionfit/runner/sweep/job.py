"""Run one job of a sweep inside Hydra's task function: resume without redoing finished runs, never raise.

A run directory is complete once it holds `metrics.json` (written last, atomically). A job whose run directory
is complete with the same overrides is skipped, so rerunning a sweep's command into the same `hydra.sweep.dir`
redoes only the jobs that failed or never finished. A failure is recorded in `errors/<job>.json` and the
sweep goes on.
"""

from __future__ import annotations

import json
import traceback
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from hydra.core.hydra_config import HydraConfig
from hydra.core.override_parser.overrides_parser import OverridesParser
from omegaconf import DictConfig, OmegaConf

from missionfit.contract import PROVENANCE_FILE
from missionfit.runner.designs import Design, DesignError, batch_indices
from missionfit.runner.run import execute_run
from missionfit.runner.rundir import is_complete
from missionfit.runner.sweep.layout import error_file, read_manifest, report, write_error
from missionfit.runner.sweep.plan import design_from_cfg
from missionfit.runner.validate import GROUPS


def interventions_label(names: Iterable[str]) -> str:
    """Canonical string of an intervention selection, as typed on the command line: `[a,b]`."""
    return "[" + ",".join(names) + "]"


def arm_label(names: Sequence[str], baseline: str = "baseline") -> str:
    """Arm name of an intervention selection: `baseline`, `a` or `a+b`."""
    return "+".join(names) if names else baseline


def params_of(cfg: DictConfig, overrides: Sequence[str], choices: Mapping[str, Any]) -> dict[str, Any]:
    """The keys set by a job's overrides and their values (typed by the schema), for summary columns.

    Args:
        cfg: The job's config.
        overrides: The job's task overrides.
        choices: Hydra's `runtime.choices` (config group selections).

    Returns:
        Key -> value; config groups by their selection (`interventions` as `[a,b]`), plus `arm`.
    """
    parsed = OverridesParser.create().parse_overrides(list(overrides))
    params: dict[str, Any] = {}
    for o in parsed:
        key = o.key_or_group
        if key.startswith("hydra") or key.startswith("design."):
            continue
        if key == "interventions":
            params[key] = interventions_label(list(cfg.interventions))
        elif key in choices or key in GROUPS:
            value = choices.get(key)
            params[key] = None if value is None else str(value)
        else:
            value = OmegaConf.select(cfg, key, default=None)
            if OmegaConf.is_config(value):
                value = json.dumps(OmegaConf.to_container(value, resolve=True))
            params[key] = value
    if "interventions" in params:
        params["arm"] = arm_label(list(cfg.interventions), str(cfg.comparison.baseline))
    return params


def _same_job(run_dir: Path, overrides: Sequence[str]) -> bool:
    """Whether the finished run in `run_dir` was made by these overrides (its provenance says so)."""
    try:
        prov = json.loads((run_dir / PROVENANCE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return list(prov.get("overrides", [])) == list(overrides)


def run_guarded(
    cfg: DictConfig,
    run_dir: Path,
    *,
    sweep_dir: Path,
    job: str,
    job_num: int,
    overrides: Sequence[str],
    params: Mapping[str, Any],
    design_point: int | None = None,
) -> dict[str, Any]:
    """Run one configuration of a sweep; skip it if already complete; record an error instead of raising.

    Args:
        cfg: The configuration.
        run_dir: Its run directory.
        sweep_dir: The sweep directory (for `errors/`).
        job: Job id (`3`, or `3/p00017` for a point of a batch job).
        job_num: Hydra job number.
        overrides: The job's overrides (a complete run dir with other overrides is never overwritten).
        params: Swept keys and values.
        design_point: Index of the design point, if any.

    Returns:
        `{"job", "status": ok|skipped|failed, ...}`.
    """
    err_path = error_file(sweep_dir, job)
    if is_complete(run_dir):
        if _same_job(run_dir, overrides):
            err_path.unlink(missing_ok=True)
            return {"job": job, "status": "skipped"}
        message = f"{run_dir}: holds a finished run of other overrides; not overwritten (use a new hydra.sweep.dir)"
        write_error(sweep_dir, job, overrides, message, type="ResumeError")
        return {"job": job, "status": "failed", "message": message}
    try:
        result = execute_run(
            cfg,
            run_dir,
            overrides=overrides,
            params=params,
            job={"job": job, "job_num": job_num, "design_point": design_point},
            progress_desc=f"job {job}",
        )
    except Exception as err:  # noqa: BLE001 - a failed job never aborts the sweep
        message = str(err).splitlines()[0] if str(err) else type(err).__name__
        write_error(sweep_dir, job, overrides, message, type=type(err).__name__, traceback=traceback.format_exc())
        return {"job": job, "status": "failed", "message": message}
    err_path.unlink(missing_ok=True)
    return {"job": job, "status": "ok", "wall_seconds": result["wall_seconds"]}


def point_config(cfg: DictConfig, design: Design, i: int) -> DictConfig:
    """Return a copy of `cfg` with design point `i` applied (typed assignment: the schema still checks)."""
    out = OmegaConf.masked_copy(cfg, [k for k in cfg if k != "hydra"]) if "hydra" in cfg else cfg.copy()
    OmegaConf.set_struct(out, True)
    for key, value in design.point(i).items():
        OmegaConf.update(out, key, value, merge=False)
    out.design.point = i
    return out


def _run_batch(
    cfg: DictConfig, out: Path, *, sweep_dir: Path, job: str, num: int, overrides: list[str], base: dict[str, Any]
) -> list[dict[str, Any]]:
    """Run the design points of a batch job, each in its own `p<i>/` run directory."""
    try:
        design = design_from_cfg(cfg)
    except DesignError as err:
        write_error(sweep_dir, job, overrides, str(err))
        return [{"job": job, "status": "failed", "message": str(err)}]
    runs = []
    for i in batch_indices(design.X.shape[0], int(cfg.design.batch_size), int(cfg.design.batch)):
        point_job = f"{job}/p{i:05d}"
        try:
            cfg_i = point_config(cfg, design, i)
        except Exception as err:  # noqa: BLE001 - a point that cannot be applied fails alone
            write_error(sweep_dir, point_job, overrides, str(err))
            runs.append({"job": point_job, "status": "failed", "message": str(err)})
            continue
        runs.append(
            run_guarded(
                cfg_i,
                out / f"p{i:05d}",
                sweep_dir=sweep_dir,
                job=point_job,
                job_num=num,
                overrides=[*overrides, f"design.point={i}"],
                params={**base, **design.point(i), "design_point": i},
                design_point=i,
            )
        )
    return runs


def run_job(cfg: DictConfig) -> dict[str, Any]:
    """The body of a sweep job (called inside Hydra's task function).

    Args:
        cfg: The job's config.

    Returns:
        A small, picklable result: job number and the status of each run.
    """
    hc = HydraConfig.get()
    sweep_dir = Path(str(hc.sweep.dir))
    out = Path(str(hc.runtime.output_dir))
    num = int(hc.job.num)
    job = str(out.relative_to(sweep_dir)) if out.is_relative_to(sweep_dir) else str(num)
    overrides = list(hc.overrides.task)
    base_params = params_of(cfg, overrides, dict(hc.runtime.choices))
    if cfg.design.batch is not None:
        runs = _run_batch(cfg, out, sweep_dir=sweep_dir, job=job, num=num, overrides=overrides, base=base_params)
    else:
        point = cfg.design.point
        params = dict(base_params)
        if point is not None:
            params["design_point"] = int(point)
        runs = [
            run_guarded(
                cfg,
                out,
                sweep_dir=sweep_dir,
                job=job,
                job_num=num,
                overrides=overrides,
                params=params,
                design_point=None if point is None else int(point),
            )
        ]
    if cfg.sim.progress:
        total = read_manifest(sweep_dir).get("total", "?")
        done = sum(1 for p in sweep_dir.iterdir() if p.is_dir() and job_complete(p))
        failed = [r["job"] for r in runs if r["status"] == "failed"]
        state = f"failed ({', '.join(failed)})" if failed else runs[0]["status"] if len(runs) == 1 else "ok"
        report(f"job {num} {state}; jobs done {done}/{total}")
    return {"job_num": num, "runs": runs}


def job_complete(job_dir: Path) -> bool:
    """Whether a job's directory holds a complete run, or complete runs of all its design points."""
    if is_complete(job_dir):
        return True
    points = [p for p in job_dir.iterdir() if p.is_dir() and p.name.startswith("p")]
    return bool(points) and all(is_complete(p) for p in points)
