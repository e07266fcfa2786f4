#!/usr/bin/env bash
# experiments/sensitivity: which fit dimension drives the variance of the key outcomes, alone and through
# interactions? Sobol indices over the three fit knobs (Saltelli sampling, 32 base samples = 160 points,
# 5 replicates of 180 days each): `missionfit -m experiment=sensitivity`.
#
#   bash experiments/sensitivity/run.sh [--quick] [--out DIR] [--resume] [KEY=VALUE ...]
#
#   --quick      4 base samples (20 points), 1 replicate of 20 days (for the tests)
#   --out DIR    output directory (default: experiments/sensitivity/output); replaced unless --resume
#   --resume     keep DIR and redo only unfinished jobs
#   KEY=VALUE    extra Hydra overrides, e.g. sensitivity.n=64, or sensitivity.method=morris sensitivity.n=20
#
# Writes DIR/ (the sweep directory: summary.parquet, sensitivity.parquet, report.md, batch jobs),
# DIR/figures/sensitivity_sobol.{pdf,png} (sensitivity_morris with Morris), DIR/tables/sensitivity.{csv,tex},
# DIR/runtime.txt.
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
NAME=sensitivity
source "$HERE/../_lib.sh" "$@"

SIZE=()
if [[ "$QUICK" == 1 ]]; then
    SIZE=(sensitivity.n=4 design.batch_size=20 sim.replicates=1 sim.days=20 sim.progress=false)
fi
prepare_out
step "sweep -> $OUT"
"$MISSIONFIT" -m experiment=sensitivity "${SIZE[@]}" "${EXTRA[@]}" "hydra.sweep.dir='$OUT'"
step "figures"
"$FIGURES" "$OUT"
step "tables"
"$PYTHON" -m missionfit.cli.tables sensitivity "$OUT" "$OUT/tables"
finish
