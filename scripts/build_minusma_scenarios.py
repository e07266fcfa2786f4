"""Regenerate the generated part of the MINUSMA scenarios: configs/scenario/minusma/contingents_<year>.yaml.

    python scripts/build_minusma_scenarios.py [YEAR ...]

Runs `missionfit-import-geopko` for each year (default 2014, 2015, 2018) with the mapping file
configs/importers/geopko_minusma.yaml. Everything else in the scenarios is written by hand, once, in
configs/scenario/minusma/structure.yaml and the year files' `patches:` (docs/scenarios.md §0).

Environment: GEOPKO_DIR (default shared/data/geopko beside the repository or beside the folder of its worktrees).
"""

import os
import sys
from pathlib import Path

from missionfit.cli import import_geopko

REPO = Path(__file__).resolve().parents[1]
CANDIDATES = [REPO.parent / "shared" / "data" / "geopko", REPO.parent.parent / "shared" / "data" / "geopko"]
DATA = Path(os.environ.get("GEOPKO_DIR") or next((d for d in CANDIDATES if d.is_dir()), CANDIDATES[0]))
MAPPING = REPO / "configs" / "importers" / "geopko_minusma.yaml"
OUT = REPO / "configs" / "scenario" / "minusma"


def main(years: list[str]) -> int:
    """Import each year's contingents; return the first non-zero exit code of the importer, else 0."""
    for year in years or ["2014", "2015", "2018"]:
        out = OUT / f"contingents_{year}.yaml"
        argv = ["--data-dir", str(DATA), "--mapping", str(MAPPING), "--year", year, "--scaffold", "--out", str(out)]
        code = import_geopko.main(argv)
        if code:
            return code
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
