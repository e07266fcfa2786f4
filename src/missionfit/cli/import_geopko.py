"""``missionfit-import-geopko``: write a scenario file of contingent units from Geo-PKO CSV files.

Example::

    missionfit-import-geopko --data-dir ../shared/data/geopko --mission MINUSMA --year 2015
    missionfit-import-geopko --data-dir DIR --year 2015 --scaffold --out configs/scenario/minusma/contingents_2015.yaml

The mission's tables (location -> sector, contributor -> group, S2 threshold, sensor rules) are read from a mapping
file, by default ``configs/importers/geopko_<mission>.yaml``; see ``docs/scenarios.md``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

from missionfit.importers import geopko
from missionfit.importers.mapping import load_mapping, mapping_file, slug


def _table(path: str | None) -> dict[str, str] | None:
    """Load a YAML mapping name -> value, with keys normalized like the mapping file's tables."""
    if path is None:
        return None
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise SystemExit(f"missionfit-import-geopko: {path} must hold a mapping name -> value")
    return {slug(str(k)): str(v) for k, v in data.items()}


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser."""
    parser = argparse.ArgumentParser(
        prog="missionfit-import-geopko",
        description="Turn Geo-PKO (v2.3) TCCMap rows of one mission and year into a missionfit scenario file.",
    )
    parser.add_argument(
        "--data-dir", required=True, help="directory holding TCCMap*.csv (and TTMap, FrontMap)"
    )
    parser.add_argument("--mission", default="MINUSMA", help="mission acronym (default: MINUSMA)")
    parser.add_argument("--year", type=int, required=True, help="year of the deployment maps")
    parser.add_argument("--out", help="write the YAML here instead of printing it")
    parser.add_argument(
        "--mapping",
        help="mapping file of the mission's tables (default: configs/importers/geopko_<mission>.yaml, if any)",
    )
    parser.add_argument(
        "--sector-table",
        help="YAML mapping location -> sector replacing the mapping file's (for other missions)",
    )
    parser.add_argument("--group-table", help="YAML mapping contributor -> group added to the mapping file's")
    parser.add_argument(
        "--lenient",
        action="store_true",
        help="leave unmapped locations without a sector (with a warning) instead of failing",
    )
    parser.add_argument(
        "--scaffold",
        action="store_true",
        help="also emit S2 cells and the contingent-level edges (to shq_<sector>, g2_<sector>, force_hq, u2)",
    )
    parser.add_argument(
        "--s2-min-strength",
        type=int,
        default=None,
        help="minimum strength for an S2 cell with --scaffold (default: the mapping file's, else 150)",
    )
    return parser


def _command(args: argparse.Namespace) -> str:
    """The command line that regenerates the output, without machine-specific paths."""
    parts = ["missionfit-import-geopko --data-dir <geopko>", f"--mission {args.mission}", f"--year {args.year}"]
    if args.mapping:
        parts.append(f"--mapping {Path(args.mapping).name}")
    for flag in ("sector_table", "group_table"):
        if getattr(args, flag):
            parts.append(f"--{flag.replace('_', '-')} {Path(getattr(args, flag)).name}")
    if args.lenient:
        parts.append("--lenient")
    if args.scaffold:
        parts.append("--scaffold")
    if args.s2_min_strength is not None:
        parts.append(f"--s2-min-strength {args.s2_min_strength}")
    return " ".join(parts)


def main(argv: list[str] | None = None) -> int:
    """Run the importer.

    Args:
        argv: Command-line arguments (default ``sys.argv[1:]``).

    Returns:
        Process exit code.
    """
    args = build_parser().parse_args(argv)
    try:
        mapping = load_mapping(args.mapping, args.mission)
        if args.mapping is None and mapping.path is None:
            print(
                f"missionfit-import-geopko: no mapping file {mapping_file(args.mission)}; "
                "using empty tables (pass --mapping or --sector-table)",
                file=sys.stderr,
            )
        groups = dict(mapping.contributor_groups)
        groups.update(_table(args.group_table) or {})
        contingents = geopko.import_contingents(
            args.data_dir,
            mission=args.mission,
            year=args.year,
            sectors=_table(args.sector_table),
            groups=groups,
            strict=not args.lenient,
            mapping=mapping,
        )
    except (geopko.GeoPkoError, OSError, ValueError) as exc:
        print(f"missionfit-import-geopko: {exc}", file=sys.stderr)
        return 2
    s2_units, edges = (None, None)
    if args.scaffold:
        s2_units, edges = geopko.scaffold(contingents, s2_min_strength=args.s2_min_strength, mapping=mapping)
    text = geopko.to_yaml(contingents, s2_units, edges, command=_command(args))
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
        print(
            f"missionfit-import-geopko: wrote {len(contingents)} contingents to {args.out}", file=sys.stderr
        )
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
