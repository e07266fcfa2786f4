"""``missionfit-import-geopko``: print or write scenario ``units:`` entries from Geo-PKO CSV files.

Example::

    missionfit-import-geopko --data-dir ../shared/data/geopko --mission MINUSMA --year 2015
    missionfit-import-geopko --data-dir DIR --mission MINUSMA --year 2018 --scaffold --out units.yaml

See ``docs/scenarios.md`` for the location-to-sector and contributor-to-group tables.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

from missionfit.importers import geopko


def _table(path: str | None) -> dict[str, str] | None:
    """Load a YAML mapping name -> value, with keys normalized like the built-in tables."""
    if path is None:
        return None
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise SystemExit(f"missionfit-import-geopko: {path} must hold a mapping name -> value")
    return {geopko.slug(str(k)): str(v) for k, v in data.items()}


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser."""
    parser = argparse.ArgumentParser(
        prog="missionfit-import-geopko",
        description="Turn Geo-PKO (v2.3) TCCMap rows of one mission and year into missionfit scenario units.",
    )
    parser.add_argument(
        "--data-dir", required=True, help="directory holding TCCMap*.csv (and TTMap, FrontMap)"
    )
    parser.add_argument("--mission", default="MINUSMA", help="mission acronym (default: MINUSMA)")
    parser.add_argument("--year", type=int, required=True, help="year of the deployment maps")
    parser.add_argument("--out", help="write the YAML here instead of printing it")
    parser.add_argument(
        "--sector-table",
        help="YAML mapping location -> sector replacing the built-in MINUSMA table (for other missions)",
    )
    parser.add_argument("--group-table", help="YAML mapping contributor -> group added to the built-in table")
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
        default=geopko.S2_MIN_STRENGTH,
        help=f"minimum strength for an S2 cell with --scaffold (default {geopko.S2_MIN_STRENGTH})",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the importer.

    Args:
        argv: Command-line arguments (default ``sys.argv[1:]``).

    Returns:
        Process exit code.
    """
    args = build_parser().parse_args(argv)
    groups = dict(geopko.CONTRIBUTOR_GROUPS)
    groups.update(_table(args.group_table) or {})
    try:
        contingents = geopko.import_contingents(
            args.data_dir,
            mission=args.mission,
            year=args.year,
            sectors=_table(args.sector_table),
            groups=groups,
            strict=not args.lenient,
        )
    except (geopko.GeoPkoError, OSError) as exc:
        print(f"missionfit-import-geopko: {exc}", file=sys.stderr)
        return 2
    s2_units, edges = (None, None)
    if args.scaffold:
        s2_units, edges = geopko.scaffold(contingents, s2_min_strength=args.s2_min_strength)
    text = geopko.to_yaml(contingents, s2_units, edges)
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
