"""Collect a sweep: `summary.parquet` from the complete run directories, and the comparison tables.

`finish_sweep` runs after the last job (in the sweeper, whatever happened to single jobs); `collect` alone is
the `missionfit-collect` command and works at any time, also on a sweep still running or interrupted.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from missionfit.contract import COMPARISON_FILE, PROVENANCE_FILE, REPLICATES_FILE, SENSITIVITY_FILE, SUMMARY_FILE
from missionfit.runner.designs import Design, analyze
from missionfit.runner.rundir import METRICS_FILE, write_parquet
from missionfit.runner.stats import paired_comparison
from missionfit.runner.sweep.layout import fail_line, failures, read_manifest, report


@dataclass(frozen=True)
class SweepOutcome:
    """How a sweep ended: what was written, and the jobs that failed.

    Attributes:
        sweep_dir: The sweep directory.
        failed: The error records of the failed jobs (`errors/*.json`), by job.
        written: Name -> path of each table written (`summary`, `comparison`, `sensitivity`).
    """

    sweep_dir: Path
    failed: list[dict[str, Any]] = field(default_factory=list)
    written: dict[str, Path] = field(default_factory=dict)

    def failure_report(self) -> str | None:
        """The lines that tell a user which jobs failed and how to redo only those; None if none failed."""
        if not self.failed:
            return None
        lines = [f"missionfit: error: {len(self.failed)} job(s) of the sweep failed ({self.sweep_dir}):"]
        for rec in self.failed:
            lines.append(f"  job {rec.get('job')} [{' '.join(rec.get('overrides', []))}]: {rec.get('message')}")
        lines.append("  (fix and rerun the same command with hydra.sweep.dir=<that dir> to redo only these)")
        return "\n".join(lines)


def finish_sweep(sweep_dir: Path) -> SweepOutcome:
    """Aggregate a finished sweep and gather its failures.

    An aggregation error is reported as one line and does not hide the finished runs (`missionfit-collect`
    redoes it).

    Args:
        sweep_dir: The sweep directory.

    Returns:
        The outcome; the sweeper sets the exit code from its failures.
    """
    written: dict[str, Path] = {}
    try:
        written = collect(sweep_dir)
    except Exception as err:  # noqa: BLE001 - aggregation must not hide the finished runs
        fail_line(
            f"{sweep_dir}: aggregation failed: {str(err).splitlines()[0] if str(err) else type(err).__name__}"
            " (rerun missionfit-collect)"
        )
    for name, path in written.items():
        report(f"wrote {name}: {path}")
    return SweepOutcome(sweep_dir=Path(sweep_dir), failed=failures(sweep_dir), written=written)


#: Provenance fields repeated on every row of `summary.parquet` (which code and host made the row).
PROVENANCE_COLUMNS = ("package_version", "git_commit", "hostname", "python")


def _run_dirs(sweep_dir: Path) -> list[Path]:
    """The complete run directories below a sweep directory, in natural order (`2` before `10`)."""
    dirs = [p.parent for p in Path(sweep_dir).rglob(METRICS_FILE)]
    return sorted((d for d in dirs if d != Path(sweep_dir) and (d / REPLICATES_FILE).is_file()), key=_natural)


def _natural(p: Path) -> list[Any]:
    """Sort key of a path: its digit runs compare as numbers."""
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
        rep = pd.read_parquet(run / REPLICATES_FILE)
        prov = json.loads((run / PROVENANCE_FILE).read_text(encoding="utf-8"))
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
    path = sweep_dir / SUMMARY_FILE
    write_parquet(path, summary)
    written["summary"] = path

    numeric = [c for c in metric_cols if c in summary and pd.api.types.is_numeric_dtype(summary[c])]
    if "interventions" in swept and "arm" in summary and (summary["arm"] == baseline).any():
        by = [c for c in swept if c not in ("interventions", "arm") and c in summary]
        comp = paired_comparison(summary, arm_col="arm", baseline=baseline, metrics=numeric, by=by)
        path = sweep_dir / COMPARISON_FILE
        write_parquet(path, comp)
        written["comparison"] = path

    design = manifest.get("design")
    if design and design.get("method") in ("sobol", "morris"):
        sens = sensitivity_table(summary, Design.from_dict(design), manifest.get("sensitivity") or {}, numeric, swept)
        path = sweep_dir / SENSITIVITY_FILE
        write_parquet(path, sens)
        written["sensitivity"] = path
    return written


def _ordered_union(column: pd.Series) -> list[str]:
    """The longest intervention selection of a column of `[a,b]` labels, as a list of names in its order."""
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
