#!/usr/bin/env bash
# `make bench`: greenshift against its peers on three generated scenarios; docs/performance.md
# explains the sizes, what is measured and the results.
#
#   Benchmarks/bench.sh GREENSHIFT_BINARY [SIZE ...]     sizes S, P, M, L (default: all four)
#
# For every size: generate the scenario (fixed seed), run `greenshift optimize --timings` (stage
# seconds, peak memory), export the LP as MPS and the MathProg data, then solve the same LP with
#   glpsol --dual --flip, glpsol --dual, glpsol (primal)     on the exported MPS
#   glpsol --model Models/greenshift.mod                     the MathProg statement of model.md
#   HiGHS (highspy, installed with pip when missing)        on the exported MPS
# and check that every peer that finished reached greenshift's optimum (relative 1e-6). The
# MathProg model must: a mismatch there fails the bench.
#
# Environment: BENCH_DIR (work folder, default a new /tmp/greenshift-bench.XXXXXX),
# BENCH_TIMEOUT (seconds per peer run, default 900), BENCH_PEERS (the peers to run, default
# "glpsol-dual-flip glpsol-dual glpsol-primal glpsol-mathprog highs"; "none" for greenshift
# alone), PYTHON (default python3).
set -euo pipefail

BIN=${1:?usage: bench.sh GREENSHIFT_BINARY [S] [P] [M] [L]}
shift
SIZES=("$@")
[ ${#SIZES[@]} -eq 0 ] && SIZES=(S P M L)
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")
WORK=${BENCH_DIR:-$(mktemp -d /tmp/greenshift-bench.XXXXXX)}
TIMEOUT=${BENCH_TIMEOUT:-900}
PYTHON=${PYTHON:-python3}
PEERS=" ${BENCH_PEERS:-glpsol-dual-flip glpsol-dual glpsol-primal glpsol-mathprog highs} "
wanted() { case $PEERS in *" $1 "*) return 0 ;; *) return 1 ;; esac; }
mkdir -p "$WORK"
RESULTS=$WORK/results.tsv
: > "$RESULTS"
FAILED=0

# size -> generate arguments. S joins every pair of its 10 nodes; M and L about 6 links per node;
# P is S's size with general, ai and hpc pools (spec v2), so the MathProg model's pools are checked too.
generate_args() {
    case $1 in
        S) echo "--nodes 10 --periods 24 --period-minutes 60 --classes 3 --seed 1 --links-per-node 9" ;;
        P) echo "--nodes 20 --periods 24 --period-minutes 60 --classes 3 --seed 1 --links-per-node 6 --pools general,ai,hpc" ;;
        M) echo "--nodes 50 --periods 96 --period-minutes 15 --classes 3 --seed 1 --links-per-node 6" ;;
        L) echo "--nodes 100 --periods 168 --period-minutes 60 --classes 4 --seed 1 --links-per-node 6" ;;
        *) echo "unknown size $1 (S, P, M or L)" >&2; exit 2 ;;
    esac
}

if ! command -v glpsol >/dev/null 2>&1; then
    echo "bench.sh: glpsol not found (Debian: apt-get install glpk-utils)" >&2
    exit 1
fi

# GNU time gives peak memory; without it, only wall-clock seconds.
if /usr/bin/time -f "%e" true 2>/dev/null; then HAVE_TIME=1; else HAVE_TIME=0; fi

# run_timed NAME OUTFILE CMD...: runs CMD under `timeout`, leaves "seconds peak_mb status" in
# $WORK/$NAME.time (status: ok, timeout or failed).
run_timed() {
    local name=$1 out=$2; shift 2
    local timefile=$WORK/$name.time.raw start end code=0
    start=$(date +%s.%N)
    if [ $HAVE_TIME = 1 ]; then
        /usr/bin/time -f "%M" -o "$timefile" timeout "$TIMEOUT" "$@" > "$out" 2>&1 || code=$?
    else
        timeout "$TIMEOUT" "$@" > "$out" 2>&1 || code=$?
    fi
    end=$(date +%s.%N)
    local mb="-"
    if [ $HAVE_TIME = 1 ] && [ -s "$timefile" ]; then
        mb=$(awk '/^[0-9]+$/ { printf "%.0f", $1 / 1024 }' "$timefile")
        [ -n "$mb" ] || mb="-"
    fi
    local status=ok
    if [ $code = 124 ]; then status=timeout; elif [ $code != 0 ]; then status=failed; fi
    echo "$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }') $mb $status" > "$WORK/$name.time"
}

# glpsol's objective and status from its -o report.
glpsol_objective() {
    awk '/^Status:/ { status = $2 } /^Objective:/ { value = $4 } END { if (status == "OPTIMAL" && value != "") print value; else print "-" }' "$1"
}

# check OBJECTIVE REFERENCE -> ok | MISMATCH | -
check() {
    awk -v a="$1" -v b="$2" 'BEGIN {
        if (a == "-" || b == "-") { print "-"; exit }
        d = a - b; if (d < 0) d = -d; s = b < 0 ? -b : b; if (s < 1) s = 1
        print (d / s <= 1e-6 ? "ok" : "MISMATCH") }'
}

record() { printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >> "$RESULTS"; }

highs_ready() {
    command -v "$PYTHON" >/dev/null 2>&1 || return 1
    "$PYTHON" -c "import highspy" 2>/dev/null && return 0
    echo "installing highspy with pip (HiGHS, for perspective)..."
    "$PYTHON" -m pip install --quiet highspy >/dev/null 2>&1 || true
    "$PYTHON" -c "import highspy" 2>/dev/null
}
HIGHS=0
if wanted highs; then
    if highs_ready; then HIGHS=1; else echo "note: HiGHS skipped ($PYTHON or highspy unavailable)"; fi
fi

echo "greenshift bench in $WORK (peer time limit ${TIMEOUT} s; one run each)"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GB", $2 / 1048576 }' /proc/meminfo), $(glpsol --version | head -1)"

for size in "${SIZES[@]}"; do
    dir=$WORK/$size
    rm -rf "$dir"; mkdir -p "$dir"
    # shellcheck disable=SC2046
    "$BIN" generate $(generate_args "$size") --out "$dir/scenario" > /dev/null

    # Timed from outside like the peers (process start-up included); --timings adds the stages.
    run_timed "$size.greenshift" "$dir/timings.tsv" "$BIN" optimize "$dir/scenario" --out "$dir/plan" --timings --quiet
    read -r ours_wall ours_mb ours_status < "$WORK/$size.greenshift.time"
    if [ "$ours_status" != ok ]; then
        echo "!! $size: greenshift optimize $ours_status"; cat "$dir/timings.tsv"; FAILED=1; continue
    fi
    val() { awk -F'\t' -v k="$1" '$1 == k { print $2 }' "$dir/timings.tsv"; }
    sum() { awk -F'\t' -v ks="$*" 'BEGIN { n = split(ks, k, " "); for (i = 1; i <= n; i++) want[k[i]] = 1 }
                                   ($1 in want) { s += $2 } END { printf "%.2f", s }' "$dir/timings.tsv"; }
    ours=$(val objective)
    ours_total=$ours_wall
    record "$size" "greenshift" "$ours_wall" "$(val peak_rss_mb)" "$ours" "ok"

    "$BIN" export "$dir/scenario" --out "$dir/lp.mps" > /dev/null
    "$BIN" export "$dir/scenario" --format mathprog-data --out "$dir/data.dat" > /dev/null

    echo
    echo "== $size: $(generate_args "$size")"
    echo "LP: $(val variables) variables, $(val rows) rows, $(val nonzeros) nonzeros; $(val iterations) simplex iterations"
    echo "greenshift stages, seconds (total: inside the process; wall: from outside, as for the peers)"
    printf '%8s %8s %8s %9s %9s %8s %8s %8s %8s %8s %8s\n' \
        read build solve tie-break baseline extract verify write total wall "peak MB"
    printf '%8s %8s %8s %9s %9s %8s %8s %8s %8s %8s %8s\n' \
        "$(val seconds.read)" "$(sum seconds.build seconds.load)" "$(val seconds.solve)" "$(val seconds.tie-break)" \
        "$(sum seconds.baseline-build seconds.baseline-solve)" "$(val seconds.extract)" "$(val seconds.verify)" \
        "$(val seconds.write)" "$(val seconds.total)" "$ours_wall" "$(val peak_rss_mb)"
    awk -F'\t' '$1 == "seconds.solve" { solve = $2 }
                $1 == "seconds.build" || $1 == "seconds.load" || $1 == "seconds.extract" || $1 == "seconds.write" { rest += $2 }
                END { if (solve > 0) printf "build + load + extract + write = %.1f %% of solve\n", 100 * rest / solve }' "$dir/timings.tsv"

    peer() {  # peer NAME CMD... (glpsol, writing its report to a temporary file)
        local name=$1; shift
        wanted "$name" || return 0
        local report=$dir/$name.report
        rm -f "$report"
        run_timed "$size.$name" "$dir/$name.log" "$@" -o "$report"
        read -r seconds mb status < "$WORK/$size.$name.time"
        local objective="-"
        [ "$status" = ok ] && [ -s "$report" ] && objective=$(glpsol_objective "$report")
        local verdict=$status
        [ "$status" = ok ] && verdict=$(check "$objective" "$ours")
        [ "$status" = timeout ] && seconds="timeout"
        record "$size" "$name" "$seconds" "$mb" "$objective" "$verdict"
    }
    peer "glpsol-dual-flip" glpsol --freemps "$dir/lp.mps" --dual --flip
    peer "glpsol-dual" glpsol --freemps "$dir/lp.mps" --dual
    peer "glpsol-primal" glpsol --freemps "$dir/lp.mps" --primal
    peer "glpsol-mathprog" glpsol --model "$ROOT/Models/greenshift.mod" --data "$dir/data.dat"
    if [ $HIGHS = 1 ] && wanted highs; then
        run_timed "$size.highs" "$dir/highs.out" "$PYTHON" "$ROOT/Benchmarks/highs_solve.py" "$dir/lp.mps"
        read -r seconds mb status < "$WORK/$size.highs.time"
        objective="-"; verdict=$status
        if [ "$status" = ok ]; then
            # HiGHS prints a banner first; the result is the one tab-separated line of 5 fields.
            objective=$(awk -F'\t' 'NF == 5 && $1 == "Optimal" { print $2 }' "$dir/highs.out")
            [ -n "$objective" ] || objective="-"
            verdict=$(check "$objective" "$ours")
            # Read + solve, without Python's start-up.
            seconds=$(awk -F'\t' 'NF == 5 { print $3 }' "$dir/highs.out")
            [ -n "$seconds" ] || { seconds="-"; verdict=failed; }
        fi
        [ "$status" = timeout ] && seconds="timeout"
        record "$size" "highs" "$seconds" "$mb" "$objective" "$verdict"
    fi

    printf '%-18s %10s %8s %18s %9s %11s\n' run seconds "peak MB" objective check "ours/peer"
    awk -F'\t' -v s="$size" -v ours="$ours_total" '$1 == s {
        ratio = ($3 ~ /^[0-9.]+$/ && $3 > 0) ? sprintf("%.2f", ours / $3) : "-"
        printf "%-18s %10s %8s %18s %9s %11s\n", $2, $3, $4, $5, $6, ratio }' "$RESULTS"
    if awk -F'\t' -v s="$size" '$1 == s && $6 == "MISMATCH"' "$RESULTS" | grep -q .; then
        echo "!! $size: a peer reached a different optimum"
        awk -F'\t' -v s="$size" '$1 == s && $2 == "glpsol-mathprog" && $6 == "MISMATCH"' "$RESULTS" | grep -q . && FAILED=1
    fi
done

echo
echo "== greenshift wall seconds / peer wall seconds (below 1: greenshift faster)"
awk -F'\t' -v sizes="${SIZES[*]}" '
    BEGIN { n = split(sizes, size, " ") }
    { t[$1, $2] = $3; if (!($2 in seen)) { seen[$2] = 1; order[++m] = $2 } }
    END {
        printf "%-18s", "peer"; for (i = 1; i <= n; i++) printf " %9s", size[i]; printf "\n"
        for (k = 1; k <= m; k++) {
            p = order[k]; if (p == "greenshift") continue
            printf "%-18s", p
            for (i = 1; i <= n; i++) {
                a = t[size[i], "greenshift"]; b = t[size[i], p]
                if (b == "timeout") r = "<" sprintf("%.2f", a / '"$TIMEOUT"')
                else if (b ~ /^[0-9.]+$/ && b > 0) r = sprintf("%.3f", a / b)
                else r = "-"
                printf " %9s", r
            }
            printf "\n"
        }
    }' "$RESULTS"
echo "results: $RESULTS"
exit $FAILED
