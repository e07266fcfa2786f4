#!/usr/bin/env bash
# experiments/calibration: pattern-oriented calibration of minusma_2015 (docs/validation.md §7.1, issue 17 §1).
# `missionfit-calibrate`: a Latin hypercube over the prior file configs/calibration/minusma_2015.yaml (the priors of
# docs/validation.md §10, with the paper's orderings kept), each set run for 180 days with R_cal = 20 replicates,
# seed 0, and accepted when P1-P3 hold as pre-registered; new hypercubes (next design seed) until 50 are accepted.
#
#   bash experiments/calibration/run.sh [--quick] [--out DIR] [--resume] [KEY=VALUE ...]
#
#   --quick      6 sets x 2 replicates x 20 days, one round (the machinery only, for the tests)
#   --out DIR    output directory (default: experiments/calibration/output); replaced unless --resume
#   --resume     keep DIR and evaluate only the sets not yet written to DIR/chunks/
#   KEY=VALUE    sets=N, replicates=N, days=N, jobs=N, design-seed=N, min-accepted=N, max-rounds=N or priors=FILE
#                (options of missionfit-calibrate, not Hydra overrides); jobs defaults to the number of cores
#
# Writes DIR/calibration.json (settings), DIR/chunks/ (every finished set), DIR/ensemble.parquet (every set: its
# parameters, unit-cube coordinates, P1-P3 statistics and conditions), DIR/accepted.parquet, DIR/posterior.parquet,
# DIR/medoid.json, DIR/summary.json, DIR/report.md, DIR/figures/posterior.{pdf,png} and DIR/runtime.txt.
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
NAME=calibration
source "$HERE/../_lib.sh" "$@"

ARGS=(--jobs "$(nproc 2>/dev/null || echo 1)")
if [[ "$QUICK" == 1 ]]; then
    ARGS+=(--quick)
fi
for kv in "${EXTRA[@]}"; do
    case "$kv" in
        sets=* | replicates=* | days=* | jobs=* | design-seed=* | min-accepted=* | max-rounds=* | priors=*)
            ARGS+=("--${kv%%=*}" "${kv#*=}") ;;
        *) die "unknown KEY=VALUE $kv (sets, replicates, days, jobs, design-seed, min-accepted, max-rounds, priors)" ;;
    esac
done
[[ "$RESUME" == 1 ]] && ARGS+=(--resume)
prepare_out
step "calibration -> $OUT"
"$PYTHON" -m missionfit.cli.calibrate --out "$OUT" "${ARGS[@]}"
finish
