/// A plan for Slurm (docs/schedulers.md): a script of `scontrol create reservation` commands, one
/// reservation per node, pool and period with flexible work, and an `sbatch` wrapper that defers a
/// job to the period the plan chose for its class at its node.
public struct SlurmSchedule {
    public let plan: Plan
    public let site: Site
    public let horizon: Horizon

    public init(plan: Plan, site: Site, horizon: Horizon) {
        self.plan = plan; self.site = site; self.horizon = horizon
    }

    public struct Reservation: Sendable, Equatable {
        public var name: String
        public var node: String
        public var pool: String
        public var period: Int
        public var cu: Double
        /// `CoreCnt=60`, `Nodes=a,b` or `Licenses=greencu:8 Flags=ANY_NODES`.
        public var resources: String
    }

    /// Names are unique per node, pool and start, so a later plan covering the same hour replaces the reservation.
    public func reservations() throws(InputError) -> [Reservation] {
        let capacity = FlexibleCapacity(plan, site: site)
        var problems: [Diagnostic] = []
        let result = capacity.slots.compactMap { slot -> Reservation? in
            let cu = capacity.cu[slot]!
            guard let mapping = site.nodes[slot.node]?.pools[slot.pool]?.slurm else { return nil }
            let resources: String
            switch mapping {
            case .cores(let perCU):
                resources = "CoreCnt=\(wholeUnits(cu * perCU))"
            case .nodes(let names, let cuPerNode):
                let count = wholeUnits(cu / cuPerNode)
                guard count <= names.count else {
                    problems.append(Diagnostic(file: site.path, "node '\(slot.node)' pool '\(slot.pool)' needs \(count) Slurm nodes in period \(slot.period) (\(JSON.format(cu)) CU), the site lists \(names.count)"))
                    return nil
                }
                resources = "Nodes=" + names.prefix(count).joined(separator: ",")
            case .licenses(let license, let cuPerLicense):
                // Slurm reserves licenses alone only with ANY_NODES: the jobs may run on any node.
                resources = "Licenses=\(license):\(wholeUnits(cu / cuPerLicense)) Flags=ANY_NODES"
            }
            return Reservation(name: "greenshift-\(slot.node)-\(slot.pool)-\(horizon.start(of: slot.period).utcStamp)",
                               node: slot.node, pool: slot.pool, period: slot.period, cu: cu, resources: resources)
        }
        guard problems.isEmpty else { throw InputError(problems) }
        return result
    }

    public func files() throws(InputError) -> [(name: String, contents: String)] {
        let reservations = try reservations()
        return [("reservations.sh", reservationScript(reservations)), ("sbatch.sh", sbatchWrapper(reservations))]
    }

    private var header: String {
        "# Plan \"\(plan.scenario)\" from \(plan.start), flexible classes \(site.flexibleClasses.joined(separator: ", ")).\n"
            + "# Written by `greenshift schedule --for slurm`; times are UTC (Slurm reads times in the caller's zone).\n"
    }

    func reservationScript(_ reservations: [Reservation]) -> String {
        guard let slurm = site.slurm else { return "" }
        var who: [String] = []
        if !slurm.users.isEmpty { who.append("Users=" + slurm.users.joined(separator: ",")) }
        if !slurm.accounts.isEmpty { who.append("Accounts=" + slurm.accounts.joined(separator: ",")) }
        if let partition = slurm.partition { who.append("PartitionName=\(partition)") }
        var out = """
            #!/bin/sh
            # Slurm reservations for the flexible work of a greenshift plan: one per node, pool and period.
            \(header)# Running it again leaves the same reservations: one that already holds what is planned is left
            # alone (jobs may wait in it), another is replaced. A period that has begun is reserved from now
            # to its end, one that is over is skipped. Exit 1 if a reservation could not be replaced.
            set -eu
            export TZ=UTC
            now=$(date +%s) status=0
            reserve() {
                name=$1 start=$2 end=$3 minutes=$4; shift 4
                [ "$now" -lt "$end" ] || return 0
                from=$(date -d "@$start" +%Y-%m-%dT%H:%M:%S) to=$(date -d "@$end" +%Y-%m-%dT%H:%M:%S)
                if [ "$now" -gt "$start" ]; then
                    set -- StartTime=now EndTime="$to" "$@"
                else
                    set -- StartTime="$from" Duration="$minutes" "$@"
                fi
                if held=$(scontrol show reservation "$name" --oneliner 2>/dev/null); then
                    same=yes
                    # The same end and resources, and the same start unless the period has begun.
                    for option in EndTime="$to" "$@"; do
                        case "$option" in StartTime=*|Duration=*) continue ;; esac
                        case " $held " in *" $option "*) ;; *) same=no ;; esac
                    done
                    case " $held " in *" StartTime=$from "*|*" State=ACTIVE "*) ;; *) same=no ;; esac
                    [ $same = no ] || return 0
                    # Not updated: an update keeps resources the plan no longer asks for (and Slurm
                    # updates no core reservation).
                    if ! scontrol delete ReservationName="$name"; then
                        echo "$0: $name differs from the plan but cannot be replaced; left as it is" >&2
                        status=1
                        return 0
                    fi
                fi
                scontrol create reservation ReservationName="$name" "$@"
            }

            """
        if reservations.isEmpty { out += "# The plan has no flexible work: nothing to reserve.\n" }
        for r in reservations {
            let start = horizon.start(of: r.period), end = horizon.start(of: r.period + 1)
            out += "# \(r.node) \(r.pool), period \(r.period) from \(start.utcLocal) UTC: \(JSON.format(r.cu)) CU\n"
            out += "reserve \(r.name) \(start.epochSeconds) \(end.epochSeconds) \(horizon.periodMinutes) \(r.resources) \(who.joined(separator: " "))\n"
        }
        return out + "exit $status\n"
    }

    func sbatchWrapper(_ reservations: [Reservation]) -> String {
        var out = """
            #!/bin/sh
            # Submits a deferred job of a flexible class at a node to the period the plan chose for it:
            #   sbatch.sh NODE CLASS [sbatch options] SCRIPT
            # The job begins at the start of the first period, not yet over, in which the plan runs CLASS at
            # NODE, inside that period's reservation (reservations.sh).
            \(header)set -eu
            export TZ=UTC
            [ $# -ge 3 ] || { echo "usage: $0 NODE CLASS [sbatch options] SCRIPT" >&2; exit 2; }
            node=$1 class=$2; shift 2
            now=$(date +%s)
            while read -r n c end begin reservation; do
                if [ "$n" = "$node" ] && [ "$c" = "$class" ] && [ "$now" -lt "$end" ]; then
                    exec sbatch --begin="$begin" --reservation="$reservation" "$@"
                fi
            done <<'PLAN'

            """
        let byName = Dictionary(reservations.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        var seen = Set<String>()
        for c in plan.capacityCurves where site.flexibleClasses.contains(c.classID) {
            let name = "greenshift-\(c.node)-\(c.pool)-\(horizon.start(of: c.period).utcStamp)"
            // One line per class, node and period: the first pool's reservation.
            guard byName[name] != nil, seen.insert("\(c.node) \(c.classID) \(c.period)").inserted else { continue }
            out += "\(c.node) \(c.classID) \(horizon.start(of: c.period + 1).epochSeconds) \(horizon.start(of: c.period).utcLocal) \(name)\n"
        }
        out += """
            PLAN
            echo "$0: the plan runs no more '$class' work at '$node'" >&2
            exit 1

            """
        return out
    }
}
