#!/usr/bin/env bash
# experiments/fit_landscape: how does goal realization depend on strategic, cultural and operational fit, and
# is a low fit on one dimension a weakest link? The full-factorial grid over the three fit knobs, 5 levels each
# (125 points, 10 replicates of 180 days each): `missionfit -m experiment=fit_grid`.
#
#   bash experiments/fit_landscape/run.sh [--quick] [--out DIR] [--resume] [KEY=VALUE ...]
#
#   --quick      2 levels per knob (8 points), 2 replicates of 20 days (for the tests)
#   --out DIR    output directory (default: experiments/fit_landscape/output); replaced unless --resume
#   --resume     keep DIR and redo only unfinished jobs
#   KEY=VALUE    extra Hydra overrides, e.g. design.levels=3 scenario=minusma_2014 sim.replicates=20
#
# Writes DIR/ (the sweep directory: summary.parquet, report.md, batch jobs 0/p00000 ...),
# DIR/figures/fit_landscape.{pdf,png}, DIR/tables/fit_grid.{csv,tex}, DIR/runtime.txt.
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
NAME=fit_landscape
source "$HERE/../_lib.sh" "$@"

SIZE=()
if [[ "$QUICK" == 1 ]]; then
    SIZE=(design.levels=2 design.batch_size=8 sim.replicates=2 sim.days=20 sim.progress=false)
fi
prepare_out
step "sweep -> $OUT"
"$MISSIONFIT" -m experiment=fit_grid "${SIZE[@]}" "${EXTRA[@]}" "hydra.sweep.dir='$OUT'"
step "figures"
"$FIGURES" "$OUT"
step "tables"
"$PYTHON" -m missionfit.cli.tables fit_landscape "$OUT" "$OUT/tables"
finish
