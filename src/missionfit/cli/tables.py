"""`missionfit-tables KIND DIR [OUT]`: the tables of a published experiment (CSV and booktabs LaTeX).

KIND is `baseline` (a run directory), `counterfactuals`, `fit_landscape` or `sensitivity` (sweep directories);
the tables go into OUT (default: DIR/tables), one line per file written. Exit status 1, with one line naming the
input, when an input file is missing or unsuitable. See `missionfit.analysis.tables`.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

PROG = "missionfit-tables"
KIND_NAMES = ("baseline", "counterfactuals", "fit_landscape", "sensitivity")


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog=PROG, description="Tables of the published experiments: CSV and booktabs LaTeX.")
    p.add_argument("kind", choices=KIND_NAMES)
    p.add_argument("dir", type=Path, help="the run directory (baseline) or sweep directory")
    p.add_argument("out", type=Path, nargs="?", help="output directory (default: DIR/tables)")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; returns the exit status."""
    args = _parser().parse_args(argv)
    from missionfit.analysis.tables import KINDS, TablesError  # after parsing: --help needs no pandas

    out = args.out or args.dir / "tables"
    try:
        written = KINDS[args.kind](args.dir, out)
    except TablesError as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return 1
    for path in written:
        print(f"wrote   {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
