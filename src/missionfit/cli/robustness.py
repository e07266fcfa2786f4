"""`missionfit-robustness`: do the headline conclusions survive other plausible parameters (validation.md §7.5)?

Runs every conclusion arm and its baseline, paired, on every set of the prior ensemble (a Latin hypercube over the
priors) and, with `--calibration`, of the accepted ensemble and its medoid; then judges each conclusion per set
(holds, flips, undecided), counts the shares, and finds where a conclusion flips (PRIM). Writes to `--out`:
`robustness.json`, `sets.parquet`, `chunks/` (kept across interruptions: `--resume`), `replicates.parquet` (tidy),
`conclusions.parquet`, `shares.parquet`, `prim.json`, `figures/` and `report.md`.

    missionfit-robustness --out runs/robustness --calibration runs/calibration --jobs 2
    missionfit-robustness --out /tmp/rob --quick     # 2 prior sets x 2 replicates: the machinery only
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from missionfit.cli.calibrate import _positive
from missionfit.paths import config_dir


def default_file() -> Path:
    """The packaged robustness file of the MINUSMA conclusions."""
    return config_dir() / "calibration" / "robustness_minusma.yaml"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the robustness report; one line on stderr and a non-zero exit on bad input or interruption."""
    p = argparse.ArgumentParser(prog="missionfit-robustness", description=__doc__.split("\n")[0])
    p.add_argument("--file", type=Path, default=None, help="robustness file (default: the packaged MINUSMA one)")
    p.add_argument("--out", type=Path, required=True, help="run directory (created; resumed with --resume)")
    p.add_argument("--calibration", type=Path, default=None, help="a calibration run directory (accepted ensemble)")
    p.add_argument("--prior-sets", type=_positive, help="sets of the prior ensemble (default: the file's)")
    p.add_argument("--replicates", type=_positive, help="replicates per arm and set (default: the file's R_rob)")
    p.add_argument("--jobs", type=_positive, default=1, help="worker processes (default 1)")
    p.add_argument("--resume", action="store_true", help="continue an interrupted run in --out")
    p.add_argument("--quick", action="store_true", help="2 prior sets x 2 replicates (for the tests)")
    p.add_argument(
        "--report-only",
        action="store_true",
        help="write the tables and report of the sets finished so far in --out, running nothing",
    )
    args = p.parse_args(argv)
    from missionfit.calibration.robustness import robustness
    from missionfit.calibration.robustness_report import finish
    from missionfit.scenario.errors import ScenarioError

    if args.report_only:
        if not (args.out / "sets.parquet").is_file():
            print(f"missionfit-robustness: {args.out}: out = {str(args.out)!r}: not a robustness run directory",
                  file=sys.stderr)  # fmt: skip
            return 2
        finish(args.out)
        print(f"missionfit-robustness: report {args.out / 'report.md'}", file=sys.stderr)
        return 0
    if args.calibration is not None and not (args.calibration / "accepted.parquet").is_file():
        print(f"missionfit-robustness: {args.calibration}: calibration = {str(args.calibration)!r}: "
              "no accepted.parquet (run missionfit-calibrate first)", file=sys.stderr)  # fmt: skip
        return 2
    sizes = {"prior_sets": args.prior_sets or (2 if args.quick else None),
             "replicates": args.replicates or (2 if args.quick else None)}  # fmt: skip
    try:
        robustness(args.file or default_file(), args.out, calibration=args.calibration, jobs=args.jobs,
                   resume=args.resume, report=lambda line: print(line, file=sys.stderr), **sizes)  # fmt: skip
        finish(args.out)
    except ScenarioError as exc:
        print(f"missionfit-robustness: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"missionfit-robustness: interrupted; finished sets kept in {args.out}/chunks "
              "(run again with --resume to continue)", file=sys.stderr)  # fmt: skip
        return 130
    print(f"missionfit-robustness: report {args.out / 'report.md'}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
