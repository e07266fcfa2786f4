"""`missionfit-calibrate`: pattern-oriented calibration of a scenario's stylized parameters (docs/validation.md §7.1).

Samples the prior file's ranges (a Latin hypercube), runs each set on the baseline scenario and keeps the sets where
the calibration patterns P1-P3 hold, as pre-registered. Writes to `--out`: `calibration.json` (settings, first),
`chunks/` (every finished set, kept across interruptions: `--resume` continues), `ensemble.parquet` (every set,
its parameters and pattern statistics), `accepted.parquet`, `posterior.parquet`, `medoid.json`, `summary.json`,
`figures/posterior.{pdf,png}` and `report.md`.

    missionfit-calibrate --out runs/calibration                # the prior file's sizes (1,000 sets x 20 replicates)
    missionfit-calibrate --out runs/calibration --jobs 2 --resume
    missionfit-calibrate --out /tmp/cal --quick                # 6 sets x 2 replicates x 20 days: the machinery only
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from missionfit.paths import config_dir

#: The sizes of `--quick`: enough to run every stage end to end, not to accept anything meaningful.
QUICK = {"sets": 6, "replicates": 2, "days": 20, "min_accepted": 1, "max_rounds": 1}


def default_priors() -> Path:
    """The packaged prior file of `minusma_2015` (docs/validation.md §10)."""
    return config_dir() / "calibration" / "minusma_2015.yaml"


def _at_least(low: int):
    """An argparse type: an integer of at least `low` (a bad value: argparse's one-line usage error, exit 2)."""

    def check(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"must be an integer, got {text!r}") from None
        if value < low:
            raise argparse.ArgumentTypeError(f"must be at least {low}, got {value}")
        return value

    return check


_positive, _non_negative = _at_least(1), _at_least(0)


def parser() -> argparse.ArgumentParser:
    """The command's arguments."""
    p = argparse.ArgumentParser(prog="missionfit-calibrate", description=__doc__.split("\n")[0])
    p.add_argument("--priors", type=Path, default=None, help="prior file (default: the packaged minusma_2015 one)")
    p.add_argument("--out", type=Path, required=True, help="run directory (created; resumed with --resume)")
    p.add_argument("--sets", type=_positive, help="sets per round (default: the prior file's)")
    p.add_argument("--replicates", type=_positive, help="replicates per set (default: the prior file's R_cal)")
    p.add_argument("--days", type=_positive, help="days per replicate (default: the prior file's)")
    p.add_argument("--seed", type=_non_negative, help="experiment seed of the replicates")
    p.add_argument("--design-seed", type=_non_negative, help="seed of the first round's hypercube")
    p.add_argument("--min-accepted", type=_positive, help="accepted sets wanted before stopping")
    p.add_argument("--max-rounds", type=_positive, help="rounds of new hypercubes at most")
    p.add_argument("--jobs", type=_positive, default=1, help="worker processes (default 1)")
    p.add_argument("--resume", action="store_true", help="continue an interrupted run in --out")
    p.add_argument("--quick", action="store_true", help="6 sets x 2 replicates x 20 days, one round (for tests)")
    p.add_argument(
        "--recheck",
        action="store_true",
        help="re-run the accepted sets of the finished run in --out at seed 1, R_H = 50 (validation.md §7.2.3)",
    )
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Run the calibration; one line on stderr and a non-zero exit on bad input or interruption."""
    args = parser().parse_args(argv)
    from missionfit.calibration.report import finish
    from missionfit.calibration.run import calibrate, read_chunks
    from missionfit.scenario.errors import ScenarioError

    sizes = {
        "sets": args.sets, "replicates": args.replicates, "days": args.days, "seed": args.seed,
        "design_seed": args.design_seed, "min_accepted": args.min_accepted, "max_rounds": args.max_rounds,
    }  # fmt: skip
    if args.quick:
        sizes.update({k: v for k, v in QUICK.items() if sizes.get(k) is None})
    priors = args.priors or default_priors()
    if args.recheck:
        from missionfit.calibration.run import ACCEPTED_FILE, recheck

        if not (args.out / ACCEPTED_FILE).is_file():
            print(f"missionfit-calibrate: {args.out}: out = {str(args.out)!r}: no finished calibration run to re-check",
                  file=sys.stderr)  # fmt: skip
            return 2
        kw = {"replicates": args.replicates or 50, "seed": 1 if args.seed is None else args.seed}
        try:
            summary = recheck(args.out, jobs=args.jobs, report=lambda line: print(line, file=sys.stderr), **kw)
        except KeyboardInterrupt:
            print(f"missionfit-calibrate: interrupted; finished re-check chunks kept in {args.out}/recheck",
                  file=sys.stderr)  # fmt: skip
            return 130
        print(f"missionfit-calibrate: {100 * summary['still_accepted']:.1f} % of {summary['sets']} accepted sets meet "
              f"P1-P3 at seed {kw['seed']}, R = {kw['replicates']}", file=sys.stderr)  # fmt: skip
        return 0
    try:
        summary = calibrate(priors, args.out, jobs=args.jobs, resume=args.resume,
                            report=lambda line: print(line, file=sys.stderr), **sizes)  # fmt: skip
        finish(args.out)
    except ScenarioError as exc:
        print(f"missionfit-calibrate: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        kept = len(read_chunks(args.out)) if (args.out / "chunks").is_dir() else 0
        print(f"missionfit-calibrate: interrupted; {kept} finished sets kept in {args.out}/chunks "
              "(run again with --resume to continue)", file=sys.stderr)  # fmt: skip
        return 130
    print(f"missionfit-calibrate: {summary['accepted']} of {summary['evaluated']} sets accepted; "
          f"report {args.out / 'report.md'}", file=sys.stderr)  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
