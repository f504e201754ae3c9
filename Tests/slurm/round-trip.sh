#!/usr/bin/env bash
# `make test-slurm`: greenshift's Slurm output against a real Slurm (docs/schedulers.md).
# Installs Debian's slurm-wlm and munge when missing, starts munged, slurmctld and slurmd as a
# one-machine cluster whose every file (slurm.conf, munge key and socket, state, logs) is in a
# temporary folder, creates the reservations of a plan (twice: the script is idempotent), reads
# them back with `scontrol show reservation` and compares them with the plan's capacity curves,
# submits jobs through the sbatch wrapper and checks their start times in squeue; then stops
# every daemon it started, by process id. Run as root (the daemons' user).
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=${BIN:-.build/debug/greenshift}

if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
    echo "Installing slurm-wlm and munge with apt-get..."
    SUDO=$( [ "$(id -u)" = 0 ] || echo sudo )
    $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq slurm-wlm munge >/dev/null
fi
[ -x "$BIN" ] || swift build

WORK=$(mktemp -d /tmp/greenshift-slurm.XXXXXX)
chmod 700 "$WORK"
PIDS=()
stop() {
    local status=$?
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    if [ $status -ne 0 ]; then
        echo "--- slurmctld.log"; tail -n 30 "$WORK/slurmctld.log" 2>/dev/null || true
        echo "--- slurmd.log"; tail -n 30 "$WORK/slurmd.log" 2>/dev/null || true
        echo "FAILED (files kept in $WORK)"
    else
        rm -rf "$WORK"
    fi
}
trap stop EXIT
failures=0
check() { # description, expected, actual
    if [ "$2" = "$3" ]; then echo "ok   $1"; else echo "FAIL $1: expected [$2], got [$3]"; failures=$((failures + 1)); fi
}

# A plan whose periods are still ahead: the two-node example moved to tomorrow (+08:00).
day=$(date -u -d '+32 hours' +%F)
mkdir -p "$WORK/scenario"
cp -r Tests/GreenShiftCLITests/Fixtures/two-nodes/. "$WORK/scenario/"
before=$(date -u -d "$day -1 day" +%F)   # the day before in UTC, where some series start
grep -rlE '2026-11-2[67]' "$WORK/scenario" | xargs sed -i "s/2026-11-27/$day/g; s/2026-11-26/$before/g"
GREENSHIFT_COOLING_LIBRARY=$PWD/Models/cooling "$BIN" optimize "$WORK/scenario" --out "$WORK/plan" -q

# --- the cluster: munge and Slurm on localhost, everything under $WORK
dd if=/dev/urandom of="$WORK/munge.key" bs=1024 count=1 status=none
chmod 400 "$WORK/munge.key"
munged -F -f --socket="$WORK/munge.socket" --key-file="$WORK/munge.key" --pid-file="$WORK/munged.pid" \
    --log-file="$WORK/munged.log" --seed-file="$WORK/munged.seed" 2>"$WORK/munged.stderr" &
PIDS+=($!)
port=$((20000 + RANDOM % 20000))
mkdir -p "$WORK/state" "$WORK/spool"
cat > "$WORK/slurm.conf" <<CONF
ClusterName=greenshift-test
SlurmctldHost=$(hostname -s)(127.0.0.1)
SlurmctldPort=$port
SlurmdPort=$((port + 1))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$WORK/munge.socket
StateSaveLocation=$WORK/state
SlurmdSpoolDir=$WORK/spool
SlurmctldPidFile=$WORK/slurmctld.pid
SlurmdPidFile=$WORK/slurmd.pid
SlurmctldLogFile=$WORK/slurmctld.log
SlurmdLogFile=$WORK/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
MailProg=/bin/true
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
SlurmdParameters=config_overrides
ReturnToService=2
Licenses=greencu:1000
NodeName=gs1 NodeHostname=$(hostname -s) NodeAddr=127.0.0.1 CPUs=64 Boards=1 SocketsPerBoard=1 CoresPerSocket=64 ThreadsPerCore=1 RealMemory=1000 State=UNKNOWN
NodeName=gs2 NodeHostname=localhost NodeAddr=127.0.0.1 CPUs=64 Boards=1 SocketsPerBoard=1 CoresPerSocket=64 ThreadsPerCore=1 RealMemory=1000 State=UNKNOWN
PartitionName=flex Nodes=gs1,gs2 Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF=$WORK/slurm.conf
for _ in $(seq 50); do [ -S "$WORK/munge.socket" ] && break; sleep 0.1; done
slurmctld -D -i -f "$SLURM_CONF" 2>"$WORK/slurmctld.stderr" &
PIDS+=($!)
slurmd -D -f "$SLURM_CONF" -N gs1 2>"$WORK/slurmd.stderr" &
PIDS+=($!)
for _ in $(seq 100); do
    state=$(sinfo -h -n gs1 -o %t 2>/dev/null || true)
    [ "$state" = idle ] && break
    sleep 0.2
done
check "slurmd gs1 is up" idle "$state"

# --- reservations from the plan: east's web work as whole nodes, west's batch work as cores
site() { # east's mapping
    cat > "$WORK/site.toml" <<SITE
flexible_classes = ["batch", "web"]
[slurm]
users = ["root"]
partition = "flex"
[nodes.east.pools.general]
$1
[nodes.west.pools.general]
slurm_cores_per_cu = 0.02
SITE
    "$BIN" schedule "$WORK/plan" --for slurm --site "$WORK/site.toml" --out "$WORK/slurm" >/dev/null
}
start0=$(date -d "${day}T00:00:00+08:00" +%s)
# What the plan asks for, per node, pool and period from capacity.csv (the flexible classes summed),
# as Slurm should hold it: $1 is east's resources and flags, west's are cores.
expected() {
    awk -F, 'NR > 1 && ($5 == "batch" || $5 == "web") { cu[$3 " " $4 " " $1] += $6 }
        END { for (k in cu) { split(k, f, " ")
            print f[1], f[2], f[3], (f[1] == "east" ? '"$1"' : "CoreCnt=" cu[k] * 0.02 " Flags="), "01:00:00 root flex" } }' \
        "$WORK/plan/capacity.csv" | sort
}
# What Slurm holds: one line per greenshift reservation, its period found from its start time.
held() {
    scontrol show reservation --oneliner | awk -v start0="$start0" '
        { delete v; for (i = 1; i <= NF; i++) { k = $i; sub(/=.*/, "", k); v[k] = substr($i, length(k) + 2) } }
        v["ReservationName"] ~ /^greenshift-/ {
            split(v["ReservationName"], name, "-")
            cmd = "TZ=UTC date -d " v["StartTime"] " +%s"; cmd | getline s; close(cmd)
            if (v["Licenses"] != "(null)") r = "Licenses=" v["Licenses"]
            else if (v["Flags"] ~ /SPEC_NODES/) r = "Nodes=" v["Nodes"]
            else r = "CoreCnt=" v["CoreCnt"]
            print name[2], name[3], (s - start0) / 3600, r, "Flags=" v["Flags"], v["Duration"], v["Users"], v["PartitionName"]
        }' | sort
}
site 'slurm_nodes = ["gs2"]
slurm_cu_per_node = 1000'
"$WORK/slurm/reservations.sh" >/dev/null
check "running the script again creates or deletes nothing" "" "$("$WORK/slurm/reservations.sh")"
check "reservations (whole nodes, cores) equal the plan's capacity curves" "$(expected '"Nodes=gs2 Flags=SPEC_NODES"')" "$(held)"
check "running the script twice leaves one reservation per node, pool and period" "$(expected x | wc -l)" \
    "$(scontrol show reservation --oneliner | grep -c '^ReservationName=greenshift-')"

# The same plan with east's CU as licenses: the same reservations are replaced.
site 'slurm_license = "greencu"
slurm_cu_per_license = 10'
"$WORK/slurm/reservations.sh"
check "reservations (licenses, cores) equal the plan's capacity curves" "$(expected '"Licenses=greencu:" cu[k] / 10 " Flags=ANY_NODES"')" "$(held)"

# --- deferred jobs through the wrapper: each begins in the first period the plan gives its class at its node
printf '#!/bin/sh\ntrue\n' > "$WORK/job.sh"
for job in "west batch" "east web"; do
    set -- $job
    id=$("$WORK/slurm/sbatch.sh" "$1" "$2" --parsable -n 1 -o /dev/null "$WORK/job.sh")
    first=$(awk -F, -v n="$1" -v c="$2" 'NR > 1 && $3 == n && $5 == c { print $1; exit }' "$WORK/plan/capacity.csv")
    want="$(TZ=UTC date -d "@$((start0 + first * 3600))" +%Y-%m-%dT%H:%M:%S) greenshift-$1-general-$(TZ=UTC date -d "@$((start0 + first * 3600))" +%Y%m%dT%H%MZ)"
    check "$2 job at $1 begins in period $first, in its reservation" "$want" "$(squeue -h -j "$id" -o '%S %v')"
done
check "a class the plan does not run at a node is refused" 1 \
    "$("$WORK/slurm/sbatch.sh" east batch "$WORK/job.sh" 2>/dev/null; echo $?)"

# Jobs waiting in reservations keep them: running the script again changes nothing.
"$WORK/slurm/reservations.sh"
check "running the script with jobs waiting keeps their reservations" "$(expected '"Licenses=greencu:" cu[k] / 10 " Flags=ANY_NODES"')" "$(held)"

# --- a plan with no flexible work reserves nothing
squeue -h -o %i | while read -r id; do scancel "$id"; done
scontrol show reservation --oneliner | sed -n 's/^ReservationName=\(greenshift-[^ ]*\).*/\1/p' | while read -r r; do scontrol delete ReservationName="$r"; done
sed -i 's/^flexible_classes = .*/flexible_classes = ["analytics"]/' "$WORK/site.toml"
"$BIN" schedule "$WORK/plan" --for slurm --site "$WORK/site.toml" --out "$WORK/slurm" >/dev/null
"$WORK/slurm/reservations.sh"
check "no flexible work, no reservations" 0 "$(held | wc -l)"

[ $failures -eq 0 ] || exit 1
echo "slurm round trip: all checks passed"
