/// The data section that goes with `Models/greenshift.mod`, the GNU MathProg statement of
/// model.md: sets and parameters worked out from a scenario the way `Formulation` works them out
/// (PUE from the cooling curves, windows K_w, allowed placements, backlog K_b, G of the chosen signal), so that
/// `glpsol --model Models/greenshift.mod --data <file>` reaches the same optimum as greenshift.
/// `make bench` uses it to time the MathProg path against greenshift's own.
public enum MathProgData {
    public static func text(_ scenario: Scenario) -> String {
        let T = scenario.periodCount
        let nodes = scenario.nodes, classes = scenario.classes
        let pue = scenario.pue
        var out: [String] = ["/* Data for Models/greenshift.mod: scenario \(comment(scenario.name)). */", "data;", ""]
        func q(_ id: String) -> String { "'" + id.replacingOccurrences(of: "'", with: "''") + "'" }
        func n(_ v: Double) -> String { "\(v)" }
        func set(_ name: String, _ members: [String]) {
            out.append("set \(name) :=" + (members.isEmpty ? "" : "\n  " + members.joined(separator: "\n  ")) + ";")
        }
        func param(_ name: String, _ entries: [String]) {
            out.append("param \(name) :=" + (entries.isEmpty ? "" : "\n  " + entries.joined(separator: "\n  ")) + ";")
        }

        out.append("param T := \(T);")
        out.append("param D := \(n(scenario.periodHours));")
        out.append("param unserved_penalty_kg_per_cu_h := \(n(scenario.unservedPenaltyKgPerCUh));")
        set("NODES", nodes.map { q($0.id) })
        set("CLASSES", classes.map { q($0.id) })
        param("K", classes.indices.map { "\(q(classes[$0].id)) \(scenario.windowPeriods($0))" })
        param("gb_per_cu_h", classes.map { "\(q($0.id)) \(n($0.gbPerCUh))" })
        let poolTypes = Set(nodes.flatMap { $0.pools.map(\.type) } + classes.map(\.pool)).sorted()
        set("POOL_TYPES", poolTypes.map(q))
        set("NODE_POOLS", nodes.flatMap { node in node.pools.map { "(\(q(node.id)), \(q($0.type)))" } })
        param("pool_of", classes.map { "\(q($0.id)) \(q($0.pool))" })
        let backlog = scenario.backlog.enumerated()
        set("BACKLOG", backlog.map { "\($0.offset + 1)" })
        param("backlog_class", backlog.map { "\($0.offset + 1) \(q(classes[$0.element.classIndex].id))" })
        param("backlog_origin", backlog.map { "\($0.offset + 1) \(q(nodes[$0.element.origin].id))" })
        param("backlog_last", backlog.map { "\($0.offset + 1) \($0.element.lastPeriod)" })
        param("backlog_cu_h", backlog.map { "\($0.offset + 1) \(n($0.element.cuH))" })

        var placements: [String] = []
        let network = NetworkIndex(scenario)
        for w in classes.indices {
            for o in nodes.indices {
                for t in Formulation.allowedNodes(scenario, network, classIndex: w, origin: o) {
                    placements.append("(\(q(classes[w].id)), \(q(nodes[o].id)), \(q(nodes[t].id)))")
                }
            }
        }
        set("PLACEMENTS", placements)

        var links: [String] = [], kwh: [String] = [], bandwidthLinks: [String] = [], bandwidth: [String] = []
        for link in scenario.links {
            for (a, b) in [(link.a, link.b), (link.b, link.a)] {
                links.append("(\(q(a)), \(q(b)))")
                kwh.append("\(q(a)) \(q(b)) \(n(link.kwhPerGB))")
                if let bw = link.bandwidthGbps {
                    bandwidthLinks.append("(\(q(a)), \(q(b)))")
                    bandwidth.append("\(q(a)) \(q(b)) \(n(bw))")
                }
            }
        }
        set("LINKS", links)
        param("kwh_per_gb", kwh)
        set("BANDWIDTH_LINKS", bandwidthLinks)
        param("bandwidth_gbps", bandwidth)

        var demand: [String] = []
        for w in classes.indices {
            for o in nodes.indices {
                for t in 0 ..< T where scenario.demandCUh[w][o][t] != 0 {
                    demand.append("\(q(classes[w].id)) \(q(nodes[o].id)) \(t) \(n(scenario.demandCUh[w][o][t]))")
                }
            }
        }
        param("A", demand)
        func series(_ name: String, _ value: (Int, Int) -> Double) {
            var entries: [String] = []
            entries.reserveCapacity(nodes.count * T)
            for i in nodes.indices { for t in 0 ..< T { entries.append("\(q(nodes[i].id)) \(t) \(n(value(i, t)))") } }
            param(name, entries)
        }
        series("R") { scenario.renewableMW[$0][$1] }
        series("G") { scenario.carbonKgPerMWh[$0][$1] }
        series("PUE") { pue[$0][$1] }

        func poolParam(_ name: String, _ value: (Pool) -> Double) {
            param(name, nodes.flatMap { node in node.pools.map { "\(q(node.id)) \(q($0.type)) \(n(value($0)))" } })
        }
        poolParam("capacity_cu", \.capacityCU)
        poolParam("idle_it_mw", \.idleITMW)
        poolParam("it_mw_per_cu", \.itMWPerCU)
        let capped = nodes.filter { $0.gridImportMW != nil }
        set("GRID_CAPPED", capped.map { q($0.id) })
        param("grid_import_mw", capped.map { "\(q($0.id)) \(n($0.gridImportMW!))" })
        let batteries = nodes.filter { $0.battery != nil }
        set("BATTERIES", batteries.map { q($0.id) })
        param("energy_mwh", batteries.map { "\(q($0.id)) \(n($0.battery!.energyMWh))" })
        param("power_mw", batteries.map { "\(q($0.id)) \(n($0.battery!.powerMW))" })
        param("round_trip_efficiency", batteries.map { "\(q($0.id)) \(n($0.battery!.roundTripEfficiency))" })
        param("initial_soc", batteries.map { "\(q($0.id)) \(n($0.battery!.initialSOC))" })
        param("start_energy_mwh", batteries.map { "\(q($0.id)) \(n($0.battery!.startEnergyMWh))" })
        out.append("")
        out.append("end;")
        return out.joined(separator: "\n") + "\n"
    }

    private static func comment(_ text: String) -> String { text.replacingOccurrences(of: "*/", with: "* /") }
}
