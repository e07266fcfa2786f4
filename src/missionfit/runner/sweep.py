"""Sweeps: design jobs, per-job execution with error capture and resume, and end-of-sweep aggregation.

Layout of a sweep directory::

    sweep.json            # manifest: jobs, swept keys, design, written before the first job
    multirun.yaml         # Hydra's
    0/ 1/ ...             # one run directory per job (Hydra's sweep subdir); a batch job holds p00000/ ...
    errors/<job>.json     # one per failed job: job, overrides, message
    summary.parquet       # one row per run × replicate: job, swept keys, metrics, provenance
    comparison.parquet    # sweeps over `interventions`: paired differences against the baseline arm
    sensitivity.parquet   # Sobol/Morris designs: indices per parameter and metric

`collect(sweep_dir)` (the `missionfit-collect` command) rebuilds the three tables from the run directories.
"""

from __future__ import annotations

import json
import math
import sys
import traceback
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
from omegaconf import DictConfig, OmegaConf

from missionfit.runner.designs import Design, DesignError, analyze, batch_indices, make_design
from missionfit.runner.rundir import METRICS_FILE, is_complete, write_json, write_parquet
from missionfit.runner.stats import paired_comparison

MANIFEST = "sweep.json"
ERRORS_DIR = "errors"

#: State of the last sweep run in this process (read by `missionfit.cli.app.main` to set the exit code).
LAST_SWEEP: dict[str, Any] = {}


def report(message: str) -> None:
    """Print a progress line of the sweep on stderr."""
    print(f"missionfit: {message}", file=sys.stderr, flush=True)


def fail_line(message: str) -> int:
    """Print `missionfit: error: <message>` on stderr and return the exit code for it."""
    print(f"missionfit: error: {message}", file=sys.stderr, flush=True)
    return 2


# --------------------------------------------------------------------------------------------------
# designs


def design_from_cfg(cfg: DictConfig) -> Design:
    """Build the design of a config's `design` node (deterministic: the sweeper and every job agree).

    Args:
        cfg: The composed config.

    Returns:
        The design.

    Raises:
        DesignError: Unknown method or parameter, bad bounds.
    """
    d = cfg.design
    params = {str(k): list(v) for k, v in d.params.items()}
    integer = []
    for key in params:
        if key.startswith("design.") or key.startswith("hydra."):
            raise DesignError(f"design.params.{key}: cannot vary the design itself")
        value = OmegaConf.select(cfg, key, default="__missing__")
        if isinstance(value, str) and value == "__missing__":
            raise DesignError(f"design.params.{key} = {params[key]}: unknown config key")
        if isinstance(value, int) and not isinstance(value, bool):
            integer.append(key)
    s = cfg.sensitivity
    sens = d.method in ("sobol", "morris")
    return make_design(
        str(d.method),
        params,
        n=int(s.n if sens else d.n),
        levels=int(d.levels),
        seed=int(d.seed),
        second_order=bool(s.second_order),
        num_levels=int(s.num_levels),
        integer_keys=integer,
    )


def _fmt(value: float | int) -> str:
    return repr(int(value)) if isinstance(value, int) else repr(float(value))


def design_job_overrides(config: DictConfig, grid: list[list[str]]) -> tuple[list[list[str]], dict[str, Any] | None]:
    """Cross the grid jobs with the design points of `config.design`.

    Args:
        config: The sweep's config (task keys and `hydra`).
        grid: Override lists of the grid jobs (from the command line and `hydra.sweeper.params`).

    Returns:
        `(jobs, design)`: override lists, and the design as stored in the manifest (None without a design).

    Raises:
        ConfigError: An invalid design.
    """
    from missionfit.runner.validate import ConfigError

    method = str(OmegaConf.select(config, "design.method", default="none"))
    if method == "none":
        return grid, None
    try:
        design = design_from_cfg(config)
    except DesignError as err:
        raise ConfigError(f"configs: {err}") from None
    bs = int(config.design.batch_size)
    if bs < 1:
        raise ConfigError(f"configs: design.batch_size = {bs}: must be at least 1")
    n = design.X.shape[0]
    jobs: list[list[str]] = []
    for g in grid:
        if bs == 1:
            for i in range(n):
                point = [f"{k}={_fmt(v)}" for k, v in design.point(i).items()]
                jobs.append([*g, *point, f"design.point={i}"])
        else:
            for b in range(math.ceil(n / bs)):
                jobs.append([*g, f"design.batch={b}"])
    return jobs, {**design.to_dict(), "batch_size": bs, "points": n}


def jobs_to_validate(jobs: Sequence[Sequence[str]]) -> list[Sequence[str]]:
    """Pick jobs so that every distinct grid override is composed once (design values are not re-checked).

    Args:
        jobs: Override lists of all jobs.

    Returns:
        A subset of `jobs` (always the first one).
    """
    seen: set[str] = set()
    chosen = []
    for job in jobs:
        grid = {o for o in job if not o.startswith("design.")}
        if not chosen or not grid <= seen:
            chosen.append(job)
            seen |= grid
        # design values are numbers inside validated bounds; the first job checks their types
    return chosen


def check_sweep_overrides(config_loader: Any, config: DictConfig, jobs: Sequence[Sequence[str]]) -> None:
    """Check that every job of a sweep will compose, cheaply.

    The first job is composed in full. For the other jobs, each distinct override is checked on its own: a
    config group selection must name existing options, a value must be assignable to the typed first config.
    Overrides that add, delete or re-package keys are composed in full.

    Args:
        config_loader: Hydra's config loader.
        config: The sweep's config.
        jobs: Override lists of every job.

    Raises:
        ConfigError: An unknown group option or a value of the wrong type (one line).
        Exception: Hydra's composition errors of a job composed in full.
    """
    from hydra.core.object_type import ObjectType
    from hydra.core.override_parser.overrides_parser import OverridesParser

    from missionfit.runner.validate import (
        GROUPS,
        ConfigError,
        check_entries,
        describe_exception,
        unknown_group_option,
    )

    if not jobs:
        return
    first = config_loader.load_sweep_config(config, list(jobs[0]))
    check_entries(first)
    choices = dict(first.hydra.runtime.choices)
    checked = set(jobs[0])
    parser = OverridesParser.create(config_loader=config_loader)
    options: dict[str, set[str]] = {}
    probe = OmegaConf.masked_copy(first, [k for k in first if k != "hydra"])
    OmegaConf.set_struct(probe, True)
    for job in jobs[1:]:
        for text in job:
            if text in checked or text.startswith("design."):
                continue
            checked.add(text)
            o = parser.parse_override(text)
            key = o.key_or_group
            if o.is_add() or o.is_delete() or o.package is not None:
                try:
                    config_loader.load_sweep_config(config, list(job))
                except Exception as err:  # noqa: BLE001
                    raise ConfigError(describe_exception(err, list(job))) from None
                continue
            if key in choices or key in GROUPS or "/" in key:
                if key not in options:
                    options[key] = set(config_loader.get_group_options(key, results_filter=ObjectType.CONFIG))
                value = o.value()
                names = value if isinstance(value, list) else [value]
                for name in names:
                    if name is not None and str(name) not in options[key]:
                        raise ConfigError(unknown_group_option(key, str(name)))
                continue
            try:
                OmegaConf.update(probe, key, o.value(), merge=True)
            except Exception as err:  # noqa: BLE001
                raise ConfigError(f"command line: {describe_value_error(key, o.value(), err)}") from None


def describe_value_error(key: str, value: Any, err: BaseException) -> str:
    """Return `<key> = <value>: <reason>` for a value rejected by the typed config."""
    from missionfit.runner.validate import _reason

    reason, _ = _reason(str(err))
    return f"{key} = {value}: {reason}"


def write_sweep_manifest(
    sweep_dir: Path,
    config: DictConfig,
    *,
    jobs: list[list[str]],
    swept: list[str],
    design: dict[str, Any] | None,
) -> None:
    """Write `sweep.json` (before the first job).

    Args:
        sweep_dir: The sweep directory.
        config: The sweep's config.
        jobs: Override lists of every job, by job number.
        swept: Keys swept on the command line or in `hydra.sweeper.params`.
        design: The design (see `design_job_overrides`) or None.
    """
    swept_keys = list(dict.fromkeys([*swept, *((design or {}).get("names", []))]))
    write_json(
        Path(sweep_dir) / MANIFEST,
        {
            "created": datetime.now(UTC).isoformat(),
            "experiment_name": str(OmegaConf.select(config, "experiment_name", default="sweep")),
            "total": len(jobs),
            "swept": swept_keys,
            "jobs": jobs,
            "design": design,
            "sensitivity": OmegaConf.to_container(config.sensitivity, resolve=True)
            if "sensitivity" in config
            else None,
            "comparison": OmegaConf.to_container(config.comparison, resolve=True) if "comparison" in config else None,
            "launcher": str(OmegaConf.select(config, "hydra.launcher._target_", default="")),
        },
    )


def read_manifest(sweep_dir: Path) -> dict[str, Any]:
    """Return the sweep's manifest (`sweep.json`), or an empty dict."""
    p = Path(sweep_dir) / MANIFEST
    if not p.is_file():
        return {}
    return json.loads(p.read_text(encoding="utf-8"))


# --------------------------------------------------------------------------------------------------
# one job


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
    from hydra.core.override_parser.overrides_parser import OverridesParser

    from missionfit.runner.validate import GROUPS

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
    try:
        prov = json.loads((run_dir / "provenance.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return list(prov.get("overrides", [])) == list(overrides)


def error_file(sweep_dir: Path, job: str) -> Path:
    """Path of the error record of a job (`errors/<job>.json`, `/` in batch ids replaced by `_`)."""
    return Path(sweep_dir) / ERRORS_DIR / f"{job.replace('/', '_')}.json"


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
    from missionfit.runner.run import execute_run

    err_path = error_file(sweep_dir, job)
    if is_complete(run_dir):
        if _same_job(run_dir, overrides):
            err_path.unlink(missing_ok=True)
            return {"job": job, "status": "skipped"}
        message = f"{run_dir}: holds a finished run of other overrides; not overwritten (use a new hydra.sweep.dir)"
        write_json(err_path, {"job": job, "overrides": list(overrides), "message": message, "type": "ResumeError"})
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
        write_json(
            err_path,
            {
                "job": job,
                "overrides": list(overrides),
                "message": message,
                "type": type(err).__name__,
                "traceback": traceback.format_exc(),
            },
        )
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


def run_job(cfg: DictConfig) -> dict[str, Any]:
    """The body of a sweep job (called inside Hydra's task function).

    Args:
        cfg: The job's config.

    Returns:
        A small, picklable result: job number and the status of each run.
    """
    from hydra.core.hydra_config import HydraConfig

    hc = HydraConfig.get()
    sweep_dir = Path(str(hc.sweep.dir))
    out = Path(str(hc.runtime.output_dir))
    num = int(hc.job.num)
    job = str(out.relative_to(sweep_dir)) if out.is_relative_to(sweep_dir) else str(num)
    overrides = list(hc.overrides.task)
    choices = dict(hc.runtime.choices)
    base_params = params_of(cfg, overrides, choices)
    runs = []
    if cfg.design.batch is not None:
        try:
            design = design_from_cfg(cfg)
        except DesignError as err:
            write_json(error_file(sweep_dir, job), {"job": job, "overrides": overrides, "message": str(err)})
            return {"job_num": num, "runs": [{"job": job, "status": "failed", "message": str(err)}]}
        for i in batch_indices(design.X.shape[0], int(cfg.design.batch_size), int(cfg.design.batch)):
            point_job = f"{job}/p{i:05d}"
            try:
                cfg_i = point_config(cfg, design, i)
            except Exception as err:  # noqa: BLE001
                write_json(
                    error_file(sweep_dir, point_job),
                    {"job": point_job, "overrides": overrides, "message": str(err)},
                )
                runs.append({"job": point_job, "status": "failed", "message": str(err)})
                continue
            params = {**base_params, **design.point(i), "design_point": i}
            runs.append(
                run_guarded(
                    cfg_i,
                    out / f"p{i:05d}",
                    sweep_dir=sweep_dir,
                    job=point_job,
                    job_num=num,
                    overrides=[*overrides, f"design.point={i}"],
                    params=params,
                    design_point=i,
                )
            )
    else:
        point = cfg.design.point
        params = dict(base_params)
        if point is not None:
            params["design_point"] = int(point)
        runs.append(
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
        )
    if cfg.sim.progress:
        manifest = read_manifest(sweep_dir)
        total = manifest.get("total", "?")
        done = sum(1 for p in sweep_dir.iterdir() if p.is_dir() and _job_complete(p))
        failed = [r["job"] for r in runs if r["status"] == "failed"]
        state = f"failed ({', '.join(failed)})" if failed else runs[0]["status"] if len(runs) == 1 else "ok"
        report(f"job {num} {state}; jobs done {done}/{total}")
    return {"job_num": num, "runs": runs}


def _job_complete(job_dir: Path) -> bool:
    if is_complete(job_dir):
        return True
    points = [p for p in job_dir.iterdir() if p.is_dir() and p.name.startswith("p")]
    return bool(points) and all(is_complete(p) for p in points)


def record_launcher_failures(
    sweep_dir: Path, results: Sequence[Any], chunk: Sequence[Sequence[str]], start: int
) -> None:
    """Record jobs that failed outside the task function's guard (e.g. in the launcher).

    Args:
        sweep_dir: The sweep directory.
        results: JobReturns of one launch.
        chunk: Their overrides.
        start: Job number of the first.
    """
    from hydra.core.utils import JobStatus

    for k, r in enumerate(results):
        if getattr(r, "status", None) == JobStatus.FAILED:
            job = str(start + k)
            err = getattr(r, "_return_value", None)
            message = str(err).splitlines()[0] if err is not None and str(err) else "job failed"
            write_json(
                error_file(sweep_dir, job),
                {"job": job, "overrides": list(chunk[k]), "message": message, "type": type(err).__name__},
            )


def failures(sweep_dir: Path) -> list[dict[str, Any]]:
    """Return the error records of a sweep (`errors/*.json`), sorted by job."""
    out = []
    for p in sorted((Path(sweep_dir) / ERRORS_DIR).glob("*.json")):
        try:
            out.append(json.loads(p.read_text(encoding="utf-8")))
        except (OSError, ValueError):
            out.append({"job": p.stem, "message": "unreadable error record"})
    return out


def finish_sweep(sweep_dir: Path) -> None:
    """Aggregate a finished sweep and remember its failures for the exit code.

    Args:
        sweep_dir: The sweep directory.
    """
    written: dict[str, Path] = {}
    try:
        written = collect(sweep_dir)
    except Exception as err:  # noqa: BLE001 - aggregation must not hide the finished runs
        fail_line(
            f"{sweep_dir}: aggregation failed: {str(err).splitlines()[0] if str(err) else type(err).__name__}"
            " (rerun missionfit-collect)"
        )
    failed = failures(sweep_dir)
    LAST_SWEEP.clear()
    LAST_SWEEP.update({"dir": str(sweep_dir), "failed": failed, "written": {k: str(v) for k, v in written.items()}})
    for name, path in written.items():
        report(f"wrote {name}: {path}")


# --------------------------------------------------------------------------------------------------
# aggregation

PROVENANCE_COLUMNS = ("package_version", "git_commit", "hostname", "python")


def _run_dirs(sweep_dir: Path) -> list[Path]:
    dirs = [p.parent for p in Path(sweep_dir).rglob(METRICS_FILE)]
    return sorted((d for d in dirs if d != Path(sweep_dir) and (d / "replicates.parquet").is_file()), key=_natural)


def _natural(p: Path) -> list[Any]:
    import re

    return [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", str(p))]


def build_summary(sweep_dir: Path) -> tuple[pd.DataFrame, list[str], list[str]]:
    """Build `summary.parquet`'s table from the complete run directories of a sweep.

    Args:
        sweep_dir: The sweep directory.

    Returns:
        `(summary, param_columns, metric_columns)`.
    """
    sweep_dir = Path(sweep_dir)
    frames = []
    param_cols: list[str] = []
    metric_cols: list[str] = []
    for run in _run_dirs(sweep_dir):
        rep = pd.read_parquet(run / "replicates.parquet")
        prov = json.loads((run / "provenance.json").read_text(encoding="utf-8"))
        for c in rep.columns:
            if c not in ("replicate", "seed") and c not in metric_cols:
                metric_cols.append(c)
        params = prov.get("params", {})
        for k in params:
            if k not in param_cols and k != "design_point" and k not in rep.columns:
                param_cols.append(k)
        job = prov.get("job", {})
        rel = str(run.relative_to(sweep_dir))
        head = pd.DataFrame(
            {
                "job": job.get("job", rel),
                "job_num": job.get("job_num"),
                "design_point": params.get("design_point", job.get("design_point")),
            },
            index=rep.index,
        )
        for k, v in params.items():
            if k != "design_point" and k not in rep.columns:  # e.g. a swept `seed` is already a column
                head[k] = v
        tail = pd.DataFrame(index=rep.index)
        seeds = {s.get("replicate"): s for s in prov.get("replicate_seeds", [])}
        tail["seed_entropy"] = [str(seeds.get(r, {}).get("entropy", "")) for r in rep["replicate"]]
        tail["seed_spawn_key"] = [json.dumps(seeds.get(r, {}).get("spawn_key", [])) for r in rep["replicate"]]
        for c in PROVENANCE_COLUMNS:
            tail[c] = prov.get(c)
        tail["run_dir"] = rel
        tail["run_wall_seconds"] = prov.get("wall_seconds")
        frames.append(pd.concat([head, rep, tail], axis=1))
    if not frames:
        return pd.DataFrame(columns=["job", "job_num", "design_point", "replicate", "seed"]), [], []
    summary = pd.concat(frames, ignore_index=True)
    order = ["job", "job_num", "design_point", *param_cols, "replicate", "seed", *metric_cols]
    rest = [c for c in summary.columns if c not in order]
    summary = summary[[*order, *rest]]
    summary["job_num"] = summary["job_num"].astype("Int64")
    summary["design_point"] = summary["design_point"].astype("Int64")
    return summary, param_cols, metric_cols


def collect(sweep_dir: Path) -> dict[str, Path]:
    """Rebuild `summary.parquet`, and `comparison.parquet` / `sensitivity.parquet` where they apply.

    Args:
        sweep_dir: The sweep directory.

    Returns:
        Name -> path of each file written.
    """
    sweep_dir = Path(sweep_dir)
    manifest = read_manifest(sweep_dir)
    summary, param_cols, metric_cols = build_summary(sweep_dir)
    written: dict[str, Path] = {}
    swept = manifest.get("swept")
    if swept is None:
        swept = [c for c in param_cols if c in summary and summary[c].astype(str).nunique() > 1]
    comparison_cfg = manifest.get("comparison") or {}
    baseline = comparison_cfg.get("baseline", "baseline")
    if "arm" in summary and "interventions" in summary:
        union: set[str] = set()
        for s in summary["interventions"].dropna().unique():
            union |= {x for x in str(s).strip("[]").split(",") if x}
        longest = _ordered_union(summary["interventions"])
        if len(union) > 1 and set(longest) == union:
            all_arm = "+".join(longest)
            summary.loc[summary["arm"] == all_arm, "arm"] = comparison_cfg.get("all_label", "all")
    path = sweep_dir / "summary.parquet"
    write_parquet(path, summary)
    written["summary"] = path

    numeric = [c for c in metric_cols if c in summary and pd.api.types.is_numeric_dtype(summary[c])]
    if "interventions" in swept and "arm" in summary and (summary["arm"] == baseline).any():
        by = [c for c in swept if c not in ("interventions", "arm") and c in summary]
        comp = paired_comparison(summary, arm_col="arm", baseline=baseline, metrics=numeric, by=by)
        path = sweep_dir / "comparison.parquet"
        write_parquet(path, comp)
        written["comparison"] = path

    design = manifest.get("design")
    if design and design.get("method") in ("sobol", "morris"):
        sens = sensitivity_table(summary, Design.from_dict(design), manifest.get("sensitivity") or {}, numeric, swept)
        path = sweep_dir / "sensitivity.parquet"
        write_parquet(path, sens)
        written["sensitivity"] = path
    return written


def _ordered_union(column: pd.Series) -> list[str]:
    longest: list[str] = []
    for s in column.dropna().unique():
        names = [x for x in str(s).strip("[]").split(",") if x]
        if len(names) > len(longest):
            longest = names
    return longest


def sensitivity_table(
    summary: pd.DataFrame,
    design: Design,
    spec: Mapping[str, Any],
    metrics: Sequence[str],
    swept: Sequence[str],
) -> pd.DataFrame:
    """Sensitivity indices from a design sweep's summary (replicate means per design point).

    Args:
        summary: The sweep's summary.
        design: The design (from the manifest).
        spec: The `sensitivity` config (metrics, second_order, num_levels, seed).
        metrics: Candidate metric columns.
        swept: Swept keys; those not in the design define separate analyses.

    Returns:
        `method, parameter, metric, S1, S1_conf, ST, ST_conf` (or Morris columns), plus grouping columns.
    """
    chosen = [m for m in (spec.get("metrics") or []) if m in summary.columns] or [
        m for m in metrics if m not in ("replicates", "wall_seconds")
    ]
    by = [c for c in swept if c not in design.names and c in summary]
    n = design.X.shape[0]
    out = []
    groups = summary.groupby(by, dropna=False, sort=False) if by else [((), summary)]
    for key, group in groups:
        key = key if isinstance(key, tuple) else (key,)
        means = group.groupby("design_point")[chosen].mean().reindex(range(n))
        table = analyze(
            design,
            {m: means[m].to_numpy() for m in chosen},
            second_order=bool(spec.get("second_order", False)),
            num_levels=int(spec.get("num_levels", 4)),
            seed=int(spec.get("seed", 0)),
        )
        for col, value in zip(by, key, strict=True):
            table.insert(0, col, value)
        out.append(table)
    return pd.concat(out, ignore_index=True) if out else pd.DataFrame()
