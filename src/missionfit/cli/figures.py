"""`missionfit-figures DIR`: the publication figures of a run or sweep directory, and a sweep's report.md.

Writes every figure that applies into `DIR/figures/` as a vector PDF (TrueType fonts embedded) and a
300-dpi PNG, printing one line per figure (written, skipped with the missing input, or failed). For a sweep
directory it also writes `DIR/report.md`.

Exit status: 0 when every figure whose inputs exist was drawn; 1 when an input file was unreadable or a
figure could not be drawn from it; 2 when DIR is missing or is neither a run nor a sweep directory.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

PROG = "missionfit-figures"


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog=PROG,
        description="Draw the paper figures of a missionfit run or sweep directory into DIR/figures/ "
        "(PDF + 300-dpi PNG); for a sweep, also write DIR/report.md.",
    )
    p.add_argument(
        "dir",
        metavar="DIR",
        help="a run directory (metrics.json, units.parquet, ...) or a sweep directory (summary.parquet)",
    )
    p.add_argument("-o", "--out", metavar="OUT", help="write the figures here instead of DIR/figures")
    p.add_argument("--no-report", action="store_true", help="do not write report.md for a sweep")
    p.add_argument("-q", "--quiet", action="store_true", help="print only skipped and failed figures")
    return p


def _error(message: str) -> int:
    print(f"{PROG}: error: {message}", file=sys.stderr)
    return 2


def main(argv: list[str] | None = None) -> int:
    """Run the command; returns the exit status."""
    args = _parser().parse_args(argv)
    path = Path(args.dir)
    if not path.exists():
        return _error(f"{path}: no such directory")
    if not path.is_dir():
        return _error(f"{path}: not a directory")

    import matplotlib

    matplotlib.use("Agg")
    from missionfit.analysis import io
    from missionfit.analysis.figures import render
    from missionfit.analysis.report import write_report
    from missionfit.contract import SUMMARY_FILE

    kind = io.dir_kind(path)
    if kind is None:
        return _error(
            f"{path}: neither a run directory (none of {', '.join(io.RUN_OUTPUT_FILES)}) "
            f"nor a sweep directory (no {SUMMARY_FILE})"
        )
    try:
        _, results = render(path, args.out)
    except OSError as exc:
        return _error(f"cannot write figures: {exc}")
    for r in results:
        if not args.quiet or r.status != "written":
            print(r.line())
    status = 1 if any(r.status == "failed" for r in results) else 0
    written = sum(r.status == "written" for r in results)
    if kind == "sweep" and not args.no_report:
        try:
            drawn = [r.name for r in results if r.status == "written"]
            report = write_report(path, make_figures=False, figures=drawn, figures_dir=args.out)
            print(f"wrote   report: {report}")
        except (io.InputError, OSError) as exc:
            print(f"failed  report: {exc}")
            status = 1
    if written == 0:
        print(f"{PROG}: error: no figure could be drawn from {path}", file=sys.stderr)
        return max(status, 1)
    return status


if __name__ == "__main__":
    sys.exit(main())
