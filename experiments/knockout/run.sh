#!/usr/bin/env bash
# experiments/knockout: which part of the intelligence system carries goal realization? MINUSMA 2015 with each
# role blinded in turn (no sensors, no analysts) and all of them together, paired replicate by replicate
# (common random numbers): `python -m missionfit.cli.knockout` (30 replicates, 180 days, seed 2, the
# robustness seed of docs/validation.md §2). Issue 17 §4.
#
#   bash experiments/knockout/run.sh [--quick] [--out DIR] [--resume] [KEY=VALUE ...]
#
#   --quick      every arm, 2 replicates of 20 days (for the tests)
#   --out DIR    output directory (default: experiments/knockout/output); replaced unless --resume
#   --resume     keep DIR and rerun only the arms not yet written to DIR/arms/
#   KEY=VALUE    replicates=N, days=N, seed=N or scenario=NAME (options of the script, not Hydra overrides)
#
# Writes DIR/arms/<arm>.csv (per-replicate metrics of each arm), DIR/replicates.csv (all arms),
# DIR/comparison.csv (paired differences vs the baseline, 95 % t intervals), DIR/levels.csv, DIR/table.md,
# DIR/provenance.json (sizes, seed, commit) and DIR/runtime.txt.
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
NAME=knockout
source "$HERE/../_lib.sh" "$@"

ARGS=()
if [[ "$QUICK" == 1 ]]; then
    ARGS=(--replicates 2 --days 20)
fi
for kv in "${EXTRA[@]}"; do
    case "$kv" in
        replicates=* | days=* | seed=* | scenario=*) ARGS+=("--${kv%%=*}" "${kv#*=}") ;;
        *) die "unknown KEY=VALUE $kv (replicates, days, seed or scenario)" ;;
    esac
done
[[ "$RESUME" == 1 ]] && ARGS+=(--resume)
prepare_out
step "knock-outs -> $OUT"
"$PYTHON" -m missionfit.cli.knockout --out "$OUT" "${ARGS[@]}"
finish
