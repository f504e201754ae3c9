import ArgumentParser
import Foundation
import GreenShift

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check a scenario without solving it.",
        discussion: """
            Exit 0 and a short description, exit 2 and every problem found, or exit 3 when a node cannot \
            power its idle load (the one way the model can be infeasible, checked without solving).
            """)

    @OptionGroup var input: ScenarioArgument

    func run() throws {
        try runReportingErrors {
            let s = try input.load()
            try IdleFeasibility.check(s)
            let demand = s.demandCUh.map { $0.joined().reduce(0, +) }
            print("\(input.scenario): ok")
            print("  \(s.name): \(s.periodCount) periods of \(s.periodMinutes) min from \(s.start), committing \(s.commitPeriods), \(s.carbonSignal.rawValue) carbon signal")
            if !s.backlog.isEmpty || s.nodes.contains(where: { $0.battery?.stateEnergyMWh != nil }) {
                let batteries = s.nodes.filter { $0.battery?.stateEnergyMWh != nil }.count
                print("  state: \(String(format: "%.0f", s.backlog.reduce(0) { $0 + $1.cuH })) CU*h backlog in \(s.backlog.count) entr\(s.backlog.count == 1 ? "y" : "ies"), \(batteries) batter\(batteries == 1 ? "y" : "ies") from the state")
            }
            print("  \(s.nodes.count) nodes, \(s.classes.count) classes, \(s.links.count) link\(s.links.count == 1 ? "" : "s")\(s.pricePerMWh == nil ? "" : ", prices")")
            for (w, c) in s.classes.enumerated() {
                let window = s.windowPeriods(w)
                print("  class \(c.id): \(String(format: "%.0f", demand[w])) CU*h, window \(window) period\(window == 1 ? "" : "s")\(c.movable ? ", movable" : ""), \(c.pool) pool")
            }
            for (n, node) in s.nodes.enumerated() {
                let pools = node.pools.map { "\($0.type) \(String(format: "%.0f", $0.capacityCU)) CU" }.joined(separator: ", ")
                print("  node \(node.id): \(pools), cooling \(node.coolingModel) (\(s.cooling[n].source))")
            }
        }
    }
}
