#!/usr/bin/env bash
# experiments/baseline_structure: how does intelligence flow (and fail to flow) through MINUSMA's 2015 command
# structure as observed? One run of the minusma_2015 baseline (no intervention, fit knobs at 0), 30 replicates
# of 180 days: `missionfit sim.replicates=30`.
#
#   bash experiments/baseline_structure/run.sh [--quick] [--out DIR] [--resume] [KEY=VALUE ...]
#
#   --quick      2 replicates of 20 days (for the tests)
#   --out DIR    output directory (default: experiments/baseline_structure/output); replaced unless --resume
#   --resume     keep DIR if it already holds the finished run (only figures and tables are redrawn)
#   KEY=VALUE    extra Hydra overrides, e.g. scenario=minusma_2014 sim.replicates=50
#
# Writes DIR/ (the run directory: metrics.json, replicates/timeseries/flows/units/fc_latency .parquet, ...),
# DIR/figures/{network,coherence,goal_by_line,timeseries,fc_latency}.{pdf,png},
# DIR/tables/metrics.{csv,tex} and coherence.csv, DIR/runtime.txt.
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
NAME=baseline_structure
source "$HERE/../_lib.sh" "$@"

SIZE=(sim.replicates=30)
if [[ "$QUICK" == 1 ]]; then
    SIZE=(sim.replicates=2 sim.days=20 sim.progress=false)
fi
prepare_out
if [[ "$RESUME" == 1 && -e "$OUT/metrics.json" ]]; then
    step "run already finished in $OUT (--resume): redrawing figures and tables only"
else
    step "run -> $OUT"
    "$MISSIONFIT" "${SIZE[@]}" "${EXTRA[@]}" "hydra.run.dir='$OUT'"
fi
step "figures"
"$FIGURES" "$OUT"
step "tables"
"$PYTHON" -m missionfit.cli.tables baseline "$OUT" "$OUT/tables"
finish
