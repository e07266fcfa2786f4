"""`missionfit-collect DIR`: rebuild a sweep's `summary.parquet` (and comparison/sensitivity tables).

Works at any time, also while a sweep is running or after it was interrupted: only complete run directories
(those holding `metrics.json`) are read.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point of the `missionfit-collect` console script.

    Args:
        argv: Arguments (default: `sys.argv[1:]`).
    """
    parser = argparse.ArgumentParser(
        prog="missionfit-collect",
        description="Rebuild summary.parquet (and comparison.parquet, sensitivity.parquet) of a sweep dir.",
    )
    parser.add_argument("sweep_dir", type=Path, help="the sweep directory (hydra.sweep.dir)")
    args = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
    from missionfit.runner.sweep.collect import collect
    from missionfit.runner.sweep.layout import failures

    if not args.sweep_dir.is_dir():
        print(f"missionfit-collect: error: {args.sweep_dir}: not a directory", file=sys.stderr)
        raise SystemExit(2)
    written = collect(args.sweep_dir)
    for name, path in written.items():
        print(f"{name}: {path}")
    failed = failures(args.sweep_dir)
    if failed:
        print(
            f"missionfit-collect: {len(failed)} failed job(s) recorded in {args.sweep_dir / 'errors'}",
            file=sys.stderr,
        )
        raise SystemExit(1)


if __name__ == "__main__":
    main()
