"""The files of a sweep directory every phase shares: the manifest, the error records, progress lines."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from hydra.core.utils import JobStatus

from missionfit.contract import SWEEP_MANIFEST_FILE
from missionfit.runner.rundir import write_json

#: The sweep's manifest, written by the sweeper before the first job.
MANIFEST = SWEEP_MANIFEST_FILE
#: Folder of the failed jobs' records (`<job>.json`), removed job by job once a rerun succeeds.
ERRORS_DIR = "errors"


def report(message: str) -> None:
    """Print a progress line of the sweep on stderr."""
    print(f"missionfit: {message}", file=sys.stderr, flush=True)


def fail_line(message: str) -> int:
    """Print `missionfit: error: <message>` on stderr and return the exit code for it."""
    print(f"missionfit: error: {message}", file=sys.stderr, flush=True)
    return 2


def read_manifest(sweep_dir: Path) -> dict[str, Any]:
    """Return the sweep's manifest (`sweep.json`), or an empty dict."""
    p = Path(sweep_dir) / MANIFEST
    if not p.is_file():
        return {}
    return json.loads(p.read_text(encoding="utf-8"))


def error_file(sweep_dir: Path, job: str) -> Path:
    """Path of the error record of a job (`errors/<job>.json`, `/` in batch ids replaced by `_`)."""
    return Path(sweep_dir) / ERRORS_DIR / f"{job.replace('/', '_')}.json"


def failures(sweep_dir: Path) -> list[dict[str, Any]]:
    """Return the error records of a sweep (`errors/*.json`), sorted by job."""
    out = []
    for p in sorted((Path(sweep_dir) / ERRORS_DIR).glob("*.json")):
        try:
            out.append(json.loads(p.read_text(encoding="utf-8")))
        except (OSError, ValueError):
            out.append({"job": p.stem, "message": "unreadable error record"})
    return out


def write_error(sweep_dir: Path, job: str, overrides: Sequence[str], message: str, **details: Any) -> None:
    """Write the error record of a failed job (`errors/<job>.json`).

    Args:
        sweep_dir: The sweep directory.
        job: Job id (`3`, or `3/p00017` for a point of a batch job).
        overrides: The job's overrides (shown again when the sweep ends).
        message: One line.
        **details: Further fields (`type`, `traceback`).
    """
    record = {"job": job, "overrides": list(overrides), "message": message, **details}
    write_json(error_file(sweep_dir, job), record)


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
    for k, r in enumerate(results):
        if getattr(r, "status", None) == JobStatus.FAILED:
            err = getattr(r, "_return_value", None)
            message = str(err).splitlines()[0] if err is not None and str(err) else "job failed"
            write_error(sweep_dir, str(start + k), chunk[k], message, type=type(err).__name__)
