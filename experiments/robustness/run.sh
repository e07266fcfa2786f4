#!/usr/bin/env bash
# experiments/robustness: do the headline conclusions survive other plausible parameters? (docs/validation.md §7.5,
# issue 17 §2). `missionfit-robustness`: the 11 ΔGR conclusions of validation.md §6.8, each paired against its
# baseline, on every set of the prior ensemble (200 sets, design seed 1) and of the calibration's accepted ensemble
# and its medoid; R_rob = 30 replicates per arm and set, seed 2.
#
#   bash experiments/robustness/run.sh [--quick] [--out DIR] [--resume] [KEY=VALUE ...]
#
#   --quick      2 prior sets x 2 replicates, no calibration (the machinery only, for the tests)
#   --out DIR    output directory (default: experiments/robustness/output); replaced unless --resume
#   --resume     keep DIR and run only the sets not yet written to DIR/chunks/
#   KEY=VALUE    calibration=DIR (default: experiments/calibration/output, if it holds accepted.parquet),
#                prior-sets=N, replicates=N, jobs=N (default: the number of cores) or file=FILE
#
# Writes DIR/robustness.json, DIR/sets.parquet, DIR/chunks/, DIR/replicates.parquet (tidy), DIR/conclusions.parquet,
# DIR/shares.parquet, DIR/prim.json, DIR/figures/, DIR/report.md and DIR/runtime.txt.
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
NAME=robustness
source "$HERE/../_lib.sh" "$@"

ARGS=(--jobs "$(nproc 2>/dev/null || echo 1)")
CALIBRATION="$HERE/../calibration/output"
if [[ "$QUICK" == 1 ]]; then
    ARGS+=(--quick)
    CALIBRATION=""
fi
for kv in "${EXTRA[@]}"; do
    case "$kv" in
        calibration=*) CALIBRATION="${kv#*=}" ;;
        prior-sets=* | replicates=* | jobs=* | file=*) ARGS+=("--${kv%%=*}" "${kv#*=}") ;;
        *) die "unknown KEY=VALUE $kv (calibration, prior-sets, replicates, jobs or file)" ;;
    esac
done
if [[ -n "$CALIBRATION" ]]; then
    [[ -f "$CALIBRATION/accepted.parquet" ]] || die "no calibration run in $CALIBRATION (run experiments/calibration/run.sh first, or pass calibration=DIR)"
    ARGS+=(--calibration "$CALIBRATION")
fi
[[ "$RESUME" == 1 ]] && ARGS+=(--resume)
prepare_out
step "robustness -> $OUT"
"$PYTHON" -m missionfit.cli.robustness --out "$OUT" "${ARGS[@]}"
finish
