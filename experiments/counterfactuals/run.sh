#!/usr/bin/env bash
# experiments/counterfactuals: which of the paper's recommendations raise goal realization, and through which
# flows? The MINUSMA 2015 baseline, each of the 9 interventions alone and all 9 combined, paired replicate by
# replicate (common random numbers): `missionfit -m experiment=counterfactuals` (30 replicates, 180 days).
#
#   bash experiments/counterfactuals/run.sh [--quick] [--out DIR] [--resume] [KEY=VALUE ...]
#
#   --quick      baseline, one intervention and a combination of two; 2 replicates of 20 days (for the tests)
#   --out DIR    output directory (default: experiments/counterfactuals/output); replaced unless --resume
#   --resume     keep DIR and redo only unfinished jobs
#   KEY=VALUE    extra Hydra overrides, e.g. sim.replicates=50 scenario=minusma_2014 hydra.launcher.n_jobs=1
#
# Writes DIR/ (the sweep directory: summary.parquet, comparison.parquet, report.md, one run dir per arm),
# DIR/figures/forest.{pdf,png}, DIR/tables/comparison.{csv,tex} and levels.csv, DIR/runtime.txt.
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
NAME=counterfactuals
source "$HERE/../_lib.sh" "$@"

SIZE=()
if [[ "$QUICK" == 1 ]]; then
    SIZE=(sim.replicates=2 sim.days=20 sim.progress=false
        'interventions=[],[jcb_directive],[jcb_directive,liaison_officers]')
fi
prepare_out
step "sweep -> $OUT"
"$MISSIONFIT" -m experiment=counterfactuals "${SIZE[@]}" "${EXTRA[@]}" "hydra.sweep.dir='$OUT'"
step "figures"
"$FIGURES" "$OUT"
step "tables"
"$PYTHON" -m missionfit.cli.tables counterfactuals "$OUT" "$OUT/tables"
finish
