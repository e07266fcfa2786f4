# Shared by experiments/*/run.sh (sourced, not run). The caller sets HERE (its own folder), NAME and a usage line.
#
# Options every run.sh accepts:
#   --quick        tiny sizes (seconds, for the tests); also QUICK=1 in the environment
#   --out DIR      write here instead of experiments/<name>/output; also MISSIONFIT_EXPERIMENT_OUT=DIR
#   --resume       keep an existing output directory: finished jobs are skipped (Hydra sweep resume)
#   -h, --help     this text
#   KEY=VALUE ...  extra Hydra overrides, passed to `missionfit` after the experiment's own
set -euo pipefail

REPO="$(cd "$HERE/../.." && pwd)"

die() {
    echo "experiments/$NAME: error: $*" >&2
    exit 2
}

# A console script of the package: the repository's venv first, else PATH.
find_bin() {
    if [[ -x "$REPO/.venv/bin/$1" ]]; then
        echo "$REPO/.venv/bin/$1"
    elif command -v "$1" >/dev/null 2>&1; then
        command -v "$1"
    else
        die "$1 not found (neither $REPO/.venv/bin/$1 nor on PATH); install the package: pip install -e '$REPO[parallel,sa]'"
    fi
}

QUICK="${QUICK:-0}"
OUT="${MISSIONFIT_EXPERIMENT_OUT:-$HERE/output}"
RESUME=0
EXTRA=()
while [[ $# -gt 0 ]]; do
    case "$1" in
        --quick) QUICK=1 ;;
        --out) [[ $# -ge 2 ]] || die "--out needs a directory"; OUT="$2"; shift ;;
        --out=*) OUT="${1#--out=}" ;;
        --resume) RESUME=1 ;;
        -h | --help)
            awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$HERE/run.sh"
            exit 0 ;;
        -*) die "unknown option $1 (see --help)" ;;
        *) EXTRA+=("$1") ;;
    esac
    shift
done
[[ "$QUICK" == "0" || "$QUICK" == "" ]] && QUICK=0 || QUICK=1

MISSIONFIT="$(find_bin missionfit)"
FIGURES="$(find_bin missionfit-figures)"
# The interpreter that runs `missionfit` (its shebang), so that `-m missionfit.cli.tables` imports the same package.
PYTHON="$(head -n 1 "$MISSIONFIT" | sed -n 's/^#! *\([^ ]*\).*/\1/p')"
if [[ -z "$PYTHON" || ! -x "$PYTHON" || "$PYTHON" == */env ]]; then
    PYTHON="$(command -v python3 || command -v python || die "no python found")"
fi
mkdir -p "$(dirname "$OUT")"
OUT="$(cd "$(dirname "$OUT")" && pwd)/$(basename "$OUT")"

# Start from scratch unless --resume, but only delete a directory this script could have written.
prepare_out() {
    if [[ -e "$OUT" && "$RESUME" == "0" ]]; then
        [[ -d "$OUT" ]] || die "$OUT exists and is not a directory"
        if [[ -z "$(ls -A "$OUT")" || -e "$OUT/sweep.json" || -e "$OUT/multirun.yaml" || -e "$OUT/metrics.json" \
            || -e "$OUT/provenance.json" || -e "$OUT/.hydra" || -e "$OUT/runtime.txt" || -e "$OUT/calibration.json" || -e "$OUT/robustness.json" ]]; then
            rm -rf -- "$OUT"
        else
            die "$OUT exists and does not look like an experiment output; choose another --out or remove it"
        fi
    fi
    mkdir -p "$OUT"
}

START_SECONDS=$SECONDS
step() {
    echo "experiments/$NAME: $*" >&2
}

# Record the wall time of the whole command (for the README) and say where everything is.
finish() {
    local elapsed=$((SECONDS - START_SECONDS))
    {
        echo "seconds: $elapsed"
        echo "quick: $QUICK"
        echo "cores: $(nproc 2>/dev/null || echo '?')"
        echo "finished: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
        echo "overrides: ${EXTRA[*]-}"
    } >"$OUT/runtime.txt"
    step "done in ${elapsed} s: $OUT"
}
